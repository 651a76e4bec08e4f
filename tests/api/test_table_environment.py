"""The embedding API: PyFlink's TableEnvironment names, result kinds and Python value types."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import sys
from pathlib import Path

import pandas as pd
import pytest

from engine import DataTypes, EnvironmentSettings, ResultKind, Row, RowKind, TableEnvironment, udf
from engine.errors import SqlParserException, ValidationException

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def t_env() -> TableEnvironment:
    env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    env.get_config().set("table.local-time-zone", "UTC")
    return env


def test_result_kinds_and_schema(t_env: TableEnvironment) -> None:
    created = t_env.execute_sql(
        "CREATE TABLE t (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '2')"
    )
    assert created.get_result_kind() == ResultKind.SUCCESS
    result = t_env.execute_sql("SELECT a, 1/2 AS half FROM t")
    assert result.get_result_kind() == ResultKind.SUCCESS_WITH_CONTENT
    schema = result.get_resolved_schema()
    assert schema.get_column_names() == ["a", "half"]
    assert [t.summary() for t in schema.get_column_data_types()] == ["INT", "INT NOT NULL"]
    rows = list(result.collect())
    assert len(rows) == 2 and all(r.get_row_kind() == RowKind.INSERT for r in rows)
    assert rows[0][1] == 0


def test_python_values_are_pyflinks(t_env: TableEnvironment) -> None:
    sql = (
        "SELECT CAST(1.5 AS DECIMAL(5, 2)) AS d, DATE '2020-01-02' AS day, "
        "TIMESTAMP '2020-01-02 03:04:05.123' AS ts, ARRAY[1, 2] AS arr, "
        "MAP['k', 1] AS m, ROW(1, 'x') AS r, CAST(NULL AS INT) AS n, TRUE AS b, X'0102' AS bin"
    )
    with t_env.execute_sql(sql).collect() as rows:
        (row,) = list(rows)
    assert row[0] == decimal.Decimal("1.50")
    assert row[1] == dt.date(2020, 1, 2)
    assert row[2] == dt.datetime(2020, 1, 2, 3, 4, 5, 123000)
    assert row[3] == [1, 2]
    assert row[4] == {"k": 1}
    assert isinstance(row[5], Row) and tuple(row[5]) == (1, "x")
    assert row[6] is None
    assert row[7] is True
    assert row[8] == b"\x01\x02"


def test_print_matches_pyflinks_layout(t_env: TableEnvironment) -> None:
    """Expected text printed by PyFlink 2.3's TableResult.print() for the same query."""
    out = io.StringIO()
    t_env.execute_sql("SELECT 1 AS x, 'ab' AS y, 1.5 AS d, TRUE AS b").print(out)
    wide = "-" * 32
    assert out.getvalue() == (
        f"+-------------+{wide}+--------+--------+\n"
        f"|           x |{' ' * 30}y |      d |      b |\n"
        f"+-------------+{wide}+--------+--------+\n"
        f"|           1 |{' ' * 29}ab |    1.5 |   TRUE |\n"
        f"+-------------+{wide}+--------+--------+\n"
        "1 row in set\n"
    )


def test_sql_query_table_api(t_env: TableEnvironment) -> None:
    table = t_env.sql_query("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)")
    assert table.get_schema().get_column_names() == ["id", "name"]
    assert table.to_pandas().to_dict("list") == {"id": [1, 2], "name": ["a", "b"]}
    assert table.to_arrow().num_rows == 2
    assert "Values" in table.explain()
    t_env.create_temporary_view("named", table)
    rows = [tuple(r) for r in t_env.execute_sql("SELECT name FROM named WHERE id = 2").collect()]
    assert rows == [("b",)]
    rows = [tuple(r) for r in t_env.sql_query(f"SELECT COUNT(*) FROM {table}").execute().collect()]
    assert rows == [(2,)]


def test_from_elements_and_from_pandas(t_env: TableEnvironment) -> None:
    table = t_env.from_elements([(1, "a"), (2, None)], ["id", "name"])
    assert [tuple(r) for r in table.execute().collect()] == [(1, "a"), (2, None)]
    schema = DataTypes.ROW(
        [DataTypes.FIELD("x", DataTypes.INT()), DataTypes.FIELD("y", DataTypes.STRING())]
    )
    typed = t_env.from_elements([(1, "a")], schema)
    assert [str(t) for t in typed.get_schema().get_column_data_types()] == ["INT", "STRING"]
    frame = pd.DataFrame({"k": ["x", "y", "x"], "v": [1.0, 2.0, 3.0]})
    t_env.create_temporary_view("frame", t_env.from_pandas(frame))
    totals = sorted(
        tuple(r) for r in t_env.execute_sql("SELECT k, SUM(v) FROM frame GROUP BY k").collect()
    )
    assert totals == [("x", 4.0), ("y", 2.0)]


def test_insert_and_statement_set(t_env: TableEnvironment, tmp_path: Path) -> None:
    t_env.execute_sql(
        f"CREATE TABLE out_t (id INT, name STRING) WITH ('connector' = 'filesystem', 'path' = '{tmp_path}', 'format' = 'csv')"
    )
    t_env.execute_sql("INSERT INTO out_t VALUES (1, 'a'), (2, 'b')").wait()
    stmt_set = t_env.create_statement_set()
    stmt_set.add_insert_sql("INSERT INTO out_t VALUES (3, 'c')")
    stmt_set.add_insert("out_t", t_env.sql_query("SELECT 4, 'd'"))
    result = stmt_set.execute()
    result.wait()
    assert result.get_job_client() is not None
    rows = sorted(tuple(r) for r in t_env.execute_sql("SELECT * FROM out_t").collect())
    assert rows == [(1, "a"), (2, "b"), (3, "c"), (4, "d")]
    t_env.sql_query("SELECT 5, 'e'").execute_insert("out_t").wait()
    assert len(list(t_env.execute_sql("SELECT * FROM out_t").collect())) == 5


def test_python_udfs(t_env: TableEnvironment) -> None:
    @udf(result_type=DataTypes.INT())
    def twice(x):
        return None if x is None else 2 * x

    t_env.create_temporary_system_function("twice", twice)
    t_env.create_temporary_function("shout", __import__("udfs_for_tests").shout)
    t_env.execute_sql("CREATE FUNCTION add_one AS 'udfs_for_tests.add_one' LANGUAGE PYTHON")
    rows = [
        tuple(r)
        for r in t_env.execute_sql(
            "SELECT twice(x), add_one(x), shout(s) FROM (VALUES (1, 'a'), (CAST(NULL AS INT), 'b')) AS v(x, s)"
        ).collect()
    ]
    assert rows == [(2, 2, "A!"), (None, None, "B!")]
    assert "add_one" in t_env.list_user_defined_functions()


def test_bad_python_function_is_a_clear_error(t_env: TableEnvironment) -> None:
    with pytest.raises(ValidationException, match="not a user-defined function"):
        t_env.execute_sql("CREATE FUNCTION f AS 'udfs_for_tests.not_a_udf' LANGUAGE PYTHON")
    with pytest.raises(ValidationException, match="Cannot load Python function"):
        t_env.execute_sql("CREATE FUNCTION g AS 'no_such_module.f' LANGUAGE PYTHON")


def test_errors_are_pyflink_exception_types(t_env: TableEnvironment) -> None:
    with pytest.raises(SqlParserException):
        t_env.execute_sql("SELEC 1")
    with pytest.raises(ValidationException, match="Object 'nope' not found"):
        t_env.execute_sql("SELECT * FROM nope")


def test_catalog_listing(t_env: TableEnvironment) -> None:
    t_env.execute_sql("CREATE TABLE a (x INT) WITH ('connector' = 'blackhole')")
    t_env.execute_sql("CREATE VIEW v AS SELECT 1 AS one")
    assert t_env.list_tables() == ["a", "v"]
    assert t_env.list_views() == ["v"]
    assert t_env.get_current_catalog() == "default_catalog"
    assert t_env.get_current_database() == "default_database"
