"""`TableEnvironment.from_iterator`: rows from a Python iterable, as inserts, a changelog or upserts."""

from __future__ import annotations

import pyarrow as pa
import pytest

from engine import EnvironmentSettings, Row, RowKind, TableEnvironment


def _row(kind: RowKind, *values: object) -> Row:
    r = Row(*values)
    r.set_row_kind(kind)
    return r


def _changes(t_env: TableEnvironment, sql: str) -> list[tuple[str, tuple]]:
    return [(r.get_row_kind().short_string(), tuple(r)) for r in t_env.execute_sql(sql).collect()]


@pytest.fixture
def streaming() -> TableEnvironment:
    return TableEnvironment.create(EnvironmentSettings.in_streaming_mode())


def test_upsert_stream_is_normalized_to_updates_and_deletes(streaming: TableEnvironment) -> None:
    rows = [
        Row("a", 1),
        Row("b", 2),
        _row(RowKind.UPDATE_AFTER, "a", 5),
        _row(RowKind.UPDATE_AFTER, "a", 5),  # the same row again: no change
        _row(RowKind.DELETE, "b", None),  # a delete carries only the key
        _row(RowKind.DELETE, "zz", None),  # a key that is not there: nothing
        Row("c", 7),
    ]
    table = streaming.from_iterator(
        iter(rows), "ROW<k STRING, v INT>", changelog_mode="upsert", primary_key=["k"]
    )
    streaming.create_temporary_view("u", table)
    assert _changes(streaming, "SELECT * FROM u") == [
        ("+I", ("a", 1)),
        ("+I", ("b", 2)),
        ("-U", ("a", 1)),
        ("+U", ("a", 5)),
        ("-D", ("b", 2)),
        ("+I", ("c", 7)),
    ]


def test_upsert_stream_feeds_an_aggregate(streaming: TableEnvironment) -> None:
    rows = [Row("a", 1), Row("b", 2), _row(RowKind.UPDATE_AFTER, "a", 5)]
    table = streaming.from_iterator(
        rows, "ROW<k STRING, v INT>", changelog_mode="upsert", primary_key=["k"]
    )
    streaming.create_temporary_view("u", table)
    assert _changes(streaming, "SELECT SUM(v) AS s FROM u") == [
        ("+I", (1,)),
        ("-U", (1,)),
        ("+U", (3,)),
        ("-U", (3,)),  # the upsert's retraction of a=1 ...
        ("+U", (2,)),
        ("-U", (2,)),  # ... then its new row a=5, as Flink's ChangelogNormalize emits them
        ("+U", (7,)),
    ]


def test_changelog_mode_all_uses_row_kinds(streaming: TableEnvironment) -> None:
    rows = [Row("a", 1), _row(RowKind.UPDATE_BEFORE, "a", 1), _row(RowKind.UPDATE_AFTER, "a", 2)]
    table = streaming.from_iterator(rows, "ROW<k STRING, v INT>", changelog_mode="all")
    streaming.create_temporary_view("c", table)
    assert _changes(streaming, "SELECT k, COUNT(*) AS n, MAX(v) AS m FROM c GROUP BY k") == [
        ("+I", ("a", 1, 1)),
        ("-D", ("a", 1, 1)),
        ("+I", ("a", 1, 2)),
    ]


def test_insert_iterator_accepts_tuples_and_arrow_batches(streaming: TableEnvironment) -> None:
    def items():
        yield ("x", 1)
        yield pa.record_batch({"k": ["y", "z"], "v": [2, 3]})

    table = streaming.from_iterator(items(), "ROW<k STRING, v INT>")
    streaming.create_temporary_view("i", table)
    assert _changes(streaming, "SELECT k, v * 10 FROM i WHERE v > 1") == [
        ("+I", ("y", 20)),
        ("+I", ("z", 30)),
    ]


def test_batch_mode_reads_a_finite_iterable() -> None:
    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    table = t_env.from_iterator([("a", 1), ("a", 2)], "ROW<k STRING, v INT>")
    t_env.create_temporary_view("i", table)
    assert [
        tuple(r) for r in t_env.execute_sql("SELECT k, SUM(v) FROM i GROUP BY k").collect()
    ] == [("a", 3)]


def test_batch_mode_refuses_a_changelog() -> None:
    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    rows = [Row("a", 1), _row(RowKind.DELETE, "a", 1)]
    t_env.create_temporary_view("c", t_env.from_iterator(rows, "ROW<k STRING, v INT>", "all"))
    with pytest.raises(Exception, match="cannot be read in batch mode"):
        list(t_env.execute_sql("SELECT * FROM c").collect())


def test_upsert_needs_a_primary_key(streaming: TableEnvironment) -> None:
    with pytest.raises(ValueError, match="primary_key"):
        streaming.from_iterator([], "ROW<k STRING>", changelog_mode="upsert")


def test_errors_reach_programs_as_pyflink_exceptions(streaming: TableEnvironment) -> None:
    from engine import DataTypes, udf
    from engine.errors import TableException, ValidationException

    with pytest.raises(ValidationException, match="nosuch"):
        streaming.sql_query("SELECT nosuch FROM (VALUES (1)) v(a)")

    @udf(result_type=DataTypes.INT())
    def boom(x: int) -> int:
        raise RuntimeError("kaput")

    streaming.create_temporary_function("boom", boom)
    with pytest.raises(TableException, match="kaput"):
        list(streaming.execute_sql("SELECT boom(a) FROM (VALUES (1)) v(a)").collect())
