"""Operation records produced for each statement kind: a table of SQL and the fields it must yield.

Values are compared in plain form: trees as their Flink SQL text, names as dotted text, ColumnDef as
(name, kind, type-or-expression, nullable, metadata_key, virtual, comment).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlglot import exp

from planner import operations as ops
from planner.dialect import FlinkSqlParseError, parse_statement, split_statements, to_flink_sql
from planner.statements import parse_script, to_operation


def _plain(value: Any) -> Any:
    if isinstance(value, exp.Expr):
        return to_flink_sql(value)
    if isinstance(value, ops.ObjectName):
        return ".".join(value.parts)
    if isinstance(value, ops.ColumnDef):
        shape = _plain(value.data_type if value.data_type is not None else value.expr)
        return (
            value.name,
            value.kind,
            shape,
            value.nullable,
            value.metadata_key,
            value.virtual,
            value.comment,
        )
    if isinstance(value, ops.WatermarkDef):
        return (value.column, _plain(value.expr))
    if isinstance(value, ops.LikeDef):
        return (_plain(value.source), tuple(f"{o.strategy} {o.feature}" for o in value.options))
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if dataclasses.is_dataclass(value):
        return type(value).__name__
    return value


P = "physical"
CASES: list[tuple[str, type, dict[str, Any]]] = [
    (
        "CREATE TEMPORARY TABLE IF NOT EXISTS c.d.`T` (id BIGINT NOT NULL COMMENT 'k', p AS id * 2, "
        "m TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL, ts TIMESTAMP(3), "
        "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND, CONSTRAINT pk PRIMARY KEY (id) NOT ENFORCED) "
        "COMMENT 'tbl' PARTITIONED BY (id) WITH ('connector' = 'kafka', 'topic' = 'x')",
        ops.CreateTable,
        {
            "name": "c.d.T",
            "columns": (
                ("id", P, "BIGINT NOT NULL", False, None, False, "k"),
                ("p", "computed", "id * 2", True, None, False, None),
                ("m", "metadata", "TIMESTAMP_LTZ(3)", True, "timestamp", True, None),
                ("ts", P, "TIMESTAMP(3)", True, None, False, None),
            ),
            "watermark": ("ts", "ts - INTERVAL '5' SECOND"),
            "primary_key": ("id",),
            "primary_key_name": "pk",
            "partition_keys": ("id",),
            "options": (("connector", "kafka"), ("topic", "x")),
            "comment": "tbl",
            "if_not_exists": True,
            "temporary": True,
            "as_query": None,
        },
    ),
    (
        "CREATE TABLE u (id INT PRIMARY KEY NOT ENFORCED, m INT METADATA) WITH ('connector' = 'jdbc')",
        ops.CreateTable,
        {
            "primary_key": ("id",),
            "columns": (
                ("id", P, "INT", True, None, False, None),
                ("m", "metadata", "INT", True, None, False, None),
            ),
        },
    ),
    (
        "CREATE TABLE s WITH ('connector' = 'print') LIKE src (INCLUDING ALL EXCLUDING OPTIONS)",
        ops.CreateTable,
        {"columns": (), "like": ("src", ("INCLUDING ALL", "EXCLUDING OPTIONS"))},
    ),
    (
        "CREATE OR REPLACE TABLE s WITH ('connector' = 'print') AS SELECT a FROM t",
        ops.CreateTable,
        {"replace": True, "as_query": "SELECT a FROM t", "options": (("connector", "print"),)},
    ),
    (
        "CREATE TEMPORARY VIEW IF NOT EXISTS v (x, y) COMMENT 'c' AS SELECT a,  b FROM t",
        ops.CreateView,
        {
            "name": "v",
            "query": "SELECT a, b FROM t",
            "query_sql": "SELECT a,  b FROM t",
            "column_names": ("x", "y"),
            "comment": "c",
            "if_not_exists": True,
            "temporary": True,
        },
    ),
    (
        "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS f AS 'm.f' LANGUAGE PYTHON",
        ops.CreateFunction,
        {"name": "f", "identifier": "m.f", "language": "PYTHON", "temporary": True, "system": True},
    ),
    ("CREATE FUNCTION c.d.f AS 'com.F'", ops.CreateFunction, {"name": "c.d.f", "language": "JAVA"}),
    (
        "CREATE CATALOG IF NOT EXISTS cat COMMENT 'x' WITH ('type' = 'generic_in_memory')",
        ops.CreateCatalog,
        {
            "name": "cat",
            "options": (("type", "generic_in_memory"),),
            "comment": "x",
            "if_not_exists": True,
        },
    ),
    (
        "CREATE DATABASE IF NOT EXISTS cat.db COMMENT 'd' WITH ('k' = 'v')",
        ops.CreateDatabase,
        {"name": "cat.db", "options": (("k", "v"),), "comment": "d", "if_not_exists": True},
    ),
    (
        "DROP TEMPORARY SYSTEM FUNCTION IF EXISTS f",
        ops.Drop,
        {"kind": "FUNCTION", "name": "f", "if_exists": True, "temporary": True, "system": True},
    ),
    (
        "DROP DATABASE db CASCADE",
        ops.Drop,
        {"kind": "DATABASE", "cascade": True, "if_exists": False},
    ),
    ("DROP CATALOG IF EXISTS cat", ops.Drop, {"kind": "CATALOG", "name": "cat", "if_exists": True}),
    ("DROP VIEW c.d.v", ops.Drop, {"kind": "VIEW", "name": "c.d.v"}),
    (
        "ALTER TABLE IF EXISTS t RENAME TO u",
        ops.AlterTable,
        {"action": "rename", "new_name": "u", "if_exists": True},
    ),
    ("ALTER TABLE t SET ('a' = 'b')", ops.AlterTable, {"action": "set", "options": (("a", "b"),)}),
    ("ALTER TABLE t RESET ('a', 'b')", ops.AlterTable, {"action": "reset", "keys": ("a", "b")}),
    (
        "ALTER TABLE t ADD (c INT NOT NULL, WATERMARK FOR ts AS ts, PRIMARY KEY (c) NOT ENFORCED)",
        ops.AlterTable,
        {
            "action": "add",
            "columns": (("c", P, "INT NOT NULL", False, None, False, None),),
            "watermark": ("ts", "ts"),
            "primary_key": ("c",),
        },
    ),
    (
        "ALTER TABLE t MODIFY d AS c + 1",
        ops.AlterTable,
        {"action": "modify", "columns": (("d", "computed", "c + 1", True, None, False, None),)},
    ),
    ("ALTER TABLE t DROP (a, b)", ops.AlterTable, {"action": "drop_columns", "keys": ("a", "b")}),
    ("ALTER TABLE t DROP PRIMARY KEY", ops.AlterTable, {"action": "drop_primary_key"}),
    ("ALTER TABLE t DROP WATERMARK", ops.AlterTable, {"action": "drop_watermark"}),
    (
        "ALTER TABLE t RENAME a TO b",
        ops.AlterTable,
        {"action": "rename_column", "old": "a", "new": "b"},
    ),
    ("ALTER VIEW v RENAME TO w", ops.AlterView, {"name": "v", "new_name": "w", "query": None}),
    ("ALTER VIEW v AS SELECT 1", ops.AlterView, {"query": "SELECT 1", "query_sql": "SELECT 1"}),
    (
        "ALTER DATABASE db SET ('k' = 'v')",
        ops.AlterDatabase,
        {"name": "db", "options": (("k", "v"),)},
    ),
    ("USE CATALOG cat", ops.Use, {"kind": "CATALOG", "name": "cat"}),
    ("USE cat.db", ops.Use, {"kind": "DATABASE", "name": "cat.db"}),
    ("USE MODULES hive, core", ops.Use, {"kind": "MODULES", "modules": ("hive", "core")}),
    ("SHOW CATALOGS", ops.Show, {"kind": "CATALOGS", "name": None, "like": None}),
    ("SHOW CURRENT DATABASE", ops.Show, {"kind": "CURRENT DATABASE"}),
    (
        "SHOW TABLES IN cat.db NOT LIKE 'a%'",
        ops.Show,
        {"kind": "TABLES", "name": "cat.db", "like": "a%", "not_like": True, "ilike": False},
    ),
    ("SHOW VIEWS ILIKE 'V%'", ops.Show, {"kind": "VIEWS", "like": "V%", "ilike": True}),
    ("SHOW USER FUNCTIONS", ops.Show, {"kind": "USER FUNCTIONS"}),
    ("SHOW COLUMNS FROM t LIKE '%id'", ops.Show, {"kind": "COLUMNS", "name": "t", "like": "%id"}),
    ("SHOW CREATE TABLE c.d.t", ops.Show, {"kind": "CREATE TABLE", "name": "c.d.t"}),
    ("SHOW CREATE VIEW v", ops.Show, {"kind": "CREATE VIEW", "name": "v"}),
    ("SHOW PARTITIONS t", ops.Show, {"kind": "PARTITIONS", "name": "t"}),
    ("SHOW JOBS", ops.Show, {"kind": "JOBS"}),
    ("SHOW FULL MODULES", ops.Show, {"kind": "FULL MODULES"}),
    ("DESC EXTENDED c.d.t", ops.Describe, {"name": "c.d.t", "extended": True}),
    ("DESCRIBE t", ops.Describe, {"name": "t", "extended": False}),
    ("SET", ops.Set, {"key": None, "value": None}),
    (
        "SET 'execution.runtime-mode' = 'batch'",
        ops.Set,
        {"key": "execution.runtime-mode", "value": "batch"},
    ),
    ("SET table.exec.state.ttl = 10 s", ops.Set, {"key": "table.exec.state.ttl", "value": "10 s"}),
    ("SET 'pipeline.name' = 'it''s'", ops.Set, {"value": "it's"}),
    ("RESET", ops.Reset, {"key": None}),
    ("RESET 'a.b'", ops.Reset, {"key": "a.b"}),
    (
        "STOP JOB 'abc' WITH SAVEPOINT WITH DRAIN",
        ops.StopJob,
        {"job_id": "abc", "with_savepoint": True, "with_drain": True},
    ),
    ("STOP JOB 'abc'", ops.StopJob, {"with_savepoint": False, "with_drain": False}),
    ("SELECT a FROM t", ops.Query, {"query": "SELECT a FROM t"}),
    ("VALUES (1), (2)", ops.Query, {"query": "VALUES (1), (2)"}),
    (
        "INSERT OVERWRITE c.d.t /*+ OPTIONS('sink.parallelism' = '2') */ PARTITION (dt = '2024') (a, b) SELECT 1, 2",
        ops.Insert,
        {
            "target": "c.d.t",
            "query": "SELECT 1, 2",
            "columns": ("a", "b"),
            "overwrite": True,
            "static_partitions": (("dt", "'2024'"),),
            "hints": (("sink.parallelism", "2"),),
        },
    ),
    (
        "EXECUTE INSERT INTO t VALUES (1)",
        ops.Insert,
        {"target": "t", "columns": None, "overwrite": False},
    ),
    (
        "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END",
        ops.StatementSet,
        {"inserts": ("Insert", "Insert")},
    ),
    ("BEGIN STATEMENT SET", ops.BeginStatementSet, {}),
    ("END", ops.End, {}),
    ("EXPLAIN PLAN FOR SELECT 1", ops.Explain, {"statement": "Query", "details": ()}),
    (
        "EXPLAIN CHANGELOG_MODE, PLAN_ADVICE INSERT INTO t SELECT 1",
        ops.Explain,
        {"statement": "Insert", "details": ("CHANGELOG_MODE", "PLAN_ADVICE")},
    ),
    (
        "EXPLAIN STATEMENT SET BEGIN INSERT INTO a SELECT 1; END",
        ops.Explain,
        {"statement": "StatementSet"},
    ),
]


@pytest.mark.parametrize(("sql", "kind", "expected"), CASES)
def test_operation_fields(sql: str, kind: type, expected: dict[str, Any]) -> None:
    operation = to_operation(parse_statement(sql))
    assert type(operation) is kind
    actual = {name: _plain(getattr(operation, name)) for name in expected}
    assert actual == expected


def test_statement_set_inserts_are_converted() -> None:
    operation = to_operation(
        parse_statement(
            "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b (x) SELECT 2; END"
        )
    )
    assert isinstance(operation, ops.StatementSet)
    assert [(_plain(i.target), i.columns) for i in operation.inserts] == [
        ("a", None),
        ("b", ("x",)),
    ]


def test_positions_come_from_the_script() -> None:
    script = "SET 'a' = 'b';\n\n  SELECT 1;\nSHOW TABLES"
    operations = parse_script(script)
    assert [(o.pos.line, o.pos.col, o.pos.sql) for o in operations] == [
        (1, 1, "SET 'a' = 'b'"),
        (3, 3, "SELECT 1"),
        (4, 1, "SHOW TABLES"),
    ]
    statement = split_statements(script)[1]
    assert to_operation(parse_statement(statement.sql), statement).pos.line == 3


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE t (id INT, PRIMARY KEY (id)) WITH ('a' = 'b')",
        "CREATE TABLE t (id INT PRIMARY KEY) WITH ('a' = 'b')",
        "CREATE TABLE t (id INT PRIMARY KEY ENFORCED) WITH ('a' = 'b')",
        "ALTER TABLE t ADD PRIMARY KEY (id)",
    ],
)
def test_primary_key_must_be_not_enforced(sql: str) -> None:
    with pytest.raises(FlinkSqlParseError, match="only supported mode is the NOT ENFORCED mode"):
        to_operation(parse_statement(sql))
