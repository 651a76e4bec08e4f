"""Plans Flink refuses in streaming mode are refused with Flink's exception class and message."""

from __future__ import annotations

import pytest

from engine.config import Configuration
from engine.session import Session, SqlError


@pytest.fixture
def session() -> Session:
    s = Session(Configuration({"execution.runtime-mode": "streaming"}))
    s.execute_sql(
        "CREATE TABLE t (k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH "
        "('connector' = 'filesystem', 'path' = '/nonexistent', 'format' = 'csv')"
    )
    return s


@pytest.mark.parametrize("function", ["RANK", "DENSE_RANK"])
def test_rank_top_n_is_not_supported_in_streaming(session: Session, function: str) -> None:
    with pytest.raises(SqlError) as info:
        session.execute_sql(
            f"SELECT * FROM (SELECT k, v, {function}() OVER (PARTITION BY k ORDER BY v) AS r "
            "FROM t) WHERE r <= 2"
        )
    assert info.value.kind == "org.apache.flink.table.api.TableException"
    assert info.value.message == f"{function}() on streaming table is not supported currently"


def test_sort_without_time_attribute_or_limit_is_refused(session: Session) -> None:
    with pytest.raises(SqlError) as info:
        session.execute_sql("SELECT * FROM t ORDER BY v")
    assert info.value.kind == "org.apache.flink.table.api.TableException"
    assert info.value.message == "Sort on a non-time-attribute field is not supported."


def test_sort_with_limit_is_a_top_n(session: Session) -> None:
    session.execute_sql("SELECT * FROM t ORDER BY v DESC LIMIT 3")  # plans without error


@pytest.mark.parametrize("mode", ["streaming", "batch"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT * FROM t2 MATCH_RECOGNIZE (ORDER BY ts MEASURES A.v AS av PATTERN (A) "
            "DEFINE A AS A.v > 0)",
            "MATCH_RECOGNIZE is not supported yet",
        ),
        (
            "SELECT a.v FROM t2 AS a JOIN t2 FOR SYSTEM_TIME AS OF a.ts AS b ON a.v = b.v",
            "Temporal joins (FOR SYSTEM_TIME AS OF) are not supported yet",
        ),
    ],
)
def test_forms_not_executed_yet_fail_clearly(mode: str, query: str, message: str) -> None:
    """Forms that parse but do not run yet fail with a clear error, never a wrong answer."""
    s = Session(Configuration({"execution.runtime-mode": mode}))
    s.execute_sql(
        "CREATE TABLE t2 (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts) WITH "
        "('connector' = 'filesystem', 'path' = '/nonexistent', 'format' = 'csv')"
    )
    with pytest.raises(SqlError) as info:
        s.execute_sql(query)
    assert info.value.kind == "org.apache.flink.table.api.TableException"
    assert info.value.message.startswith(message)
    assert info.value.line == 1 and info.value.col is not None


def test_window_aggregation_over_unbounded_input_without_watermark_is_refused() -> None:
    s = Session(Configuration({"execution.runtime-mode": "streaming"}))
    s.execute_sql("CREATE TABLE g (ts TIMESTAMP(3), v INT) WITH ('connector' = 'datagen')")
    with pytest.raises(SqlError) as info:
        s.execute_sql(
            "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE g, DESCRIPTOR(ts), "
            "INTERVAL '10' SECOND)) GROUP BY window_start, window_end"
        )
    assert info.value.kind == "org.apache.flink.table.api.TableException"
    assert "unbounded table 'default_catalog.default_database.g'" in info.value.message


def test_window_aggregation_into_an_append_only_sink(tmp_path) -> None:
    """A window aggregation is append-only, so it can be written to a filesystem sink."""
    (tmp_path / "in.csv").write_text("2024-01-01 00:00:01,1\n2024-01-01 00:00:12,3\n")
    s = Session(Configuration({"execution.runtime-mode": "streaming", "table.dml-sync": "true"}))
    s.execute_sql(
        "CREATE TABLE t (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts) WITH ('connector' = "
        f"'filesystem', 'path' = '{tmp_path / 'in.csv'}', 'format' = 'csv')"
    )
    s.execute_sql(
        "CREATE TABLE out1 (ws TIMESTAMP(3), s INT) WITH ('connector' = 'filesystem', "
        f"'path' = '{tmp_path / 'out'}', 'format' = 'csv')"
    )
    s.execute_sql(
        "INSERT INTO out1 SELECT window_start, SUM(v) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), "
        "INTERVAL '10' SECOND)) GROUP BY window_start, window_end"
    )
    lines = sorted(
        line
        for f in (tmp_path / "out").rglob("*")
        if f.is_file() and not f.name.startswith(".")
        for line in f.read_text().splitlines()
    )
    assert lines == ['"2024-01-01 00:00:00",1', '"2024-01-01 00:00:10",3']
