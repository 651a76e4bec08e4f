"""Round trips over realistic Flink SQL, node shapes of expressions, and error positions (data files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlglot import exp

from planner.dialect import (
    FlinkSqlParseError,
    nodes,
    parse_expression,
    parse_statement,
    to_flink_sql,
)
from planner.statements import parse_script, to_operation

FIXTURES = Path(__file__).parent / "fixtures" / "dialect"


def _statements() -> list[str]:
    lines = (FIXTURES / "roundtrip.sql").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("--")]


def _error_cases() -> list[tuple[int, int, str, str]]:
    cases: list[tuple[int, int, str, str]] = []
    header: tuple[int, int, str] | None = None
    body: list[str] = []
    for line in (FIXTURES / "errors.sql").read_text().splitlines():
        if line.startswith("===="):
            if header:
                cases.append((*header, "\n".join(body)))
            where, fragment = line[4:].split("|", 1)
            line_no, col_no = where.split()
            header, body = (int(line_no), int(col_no), fragment.strip()), []
        elif header:
            body.append(line)
    if header:
        cases.append((*header, "\n".join(body)))
    return cases


def _shapes() -> list[tuple[str, str]]:
    lines = (FIXTURES / "shapes.txt").read_text().splitlines()
    pairs = [line.rsplit(" | ", 1) for line in lines if line.strip() and not line.startswith("#")]
    return [(sql.strip(), shape.strip()) for sql, shape in pairs]


def _shape(node: exp.Expr) -> str:
    text = type(node).__name__
    if isinstance(node, exp.Anonymous):
        text += f":{node.name}"
    if node.args.get("typed_literal"):
        text += "+typed_literal"
    if isinstance(node.this, exp.Expr):
        text += f"({type(node.this).__name__})"
    return text


STATEMENTS = _statements()


def test_fixture_is_large_enough() -> None:
    assert len(STATEMENTS) >= 180


@pytest.mark.parametrize("sql", STATEMENTS)
def test_round_trip(sql: str) -> None:
    tree = parse_statement(sql)
    printed = to_flink_sql(tree)
    reparsed = parse_statement(printed)
    assert reparsed == tree, printed
    assert to_flink_sql(reparsed) == printed


@pytest.mark.parametrize("sql", STATEMENTS)
def test_converts_to_operation(sql: str) -> None:
    operation = to_operation(parse_statement(sql))
    assert operation.pos.sql


@pytest.mark.parametrize(("sql", "shape"), _shapes())
def test_node_shape(sql: str, shape: str) -> None:
    assert _shape(parse_expression(sql)) == shape


def test_pi_is_a_column_where_a_name_is_expected() -> None:
    """DESCRIPTOR(..) and WATERMARK FOR take a plain identifier in Calcite: `pi` there is a column."""
    query = parse_statement(
        "SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(pi), INTERVAL '1' MINUTE))"
    )
    create = parse_statement("CREATE TABLE w (pi TIMESTAMP(3), WATERMARK FOR pi AS pi) WITH ()")
    descriptor = query.find(nodes.WindowTVF).args["timecol"]
    watermark = create.find(nodes.WatermarkDefinition)
    assert isinstance(descriptor, exp.Column) and descriptor.name == "pi"
    assert isinstance(watermark.this, exp.Column)
    assert isinstance(watermark.expression, exp.Pi)


@pytest.mark.parametrize(("line", "col", "fragment", "script"), _error_cases())
def test_error_position(line: int, col: int, fragment: str, script: str) -> None:
    with pytest.raises(FlinkSqlParseError) as caught:
        parse_script(script)
    error = caught.value
    assert (error.line, error.col) == (line, col), str(error)
    assert fragment in str(error)
    assert error.sql and error.sql in script


def test_error_carries_token_and_statement() -> None:
    with pytest.raises(FlinkSqlParseError) as caught:
        parse_statement("SELECT a FROM t ORDER a", line=3, col=5)
    error = caught.value
    assert (error.line, error.col, error.token) == (3, 27, "a")
    assert error.sql == "SELECT a FROM t ORDER a"
    assert str(error).startswith('SQL parse failed. Encountered "a" at line 3, column 27.')


def test_parse_statement_rejects_two_statements() -> None:
    with pytest.raises(FlinkSqlParseError):
        parse_statement("SELECT 1; SELECT 2")
