"""Splitting scripts into statements: what ends a statement, what does not, and where each starts."""

from __future__ import annotations

import pytest

from planner.dialect import StatementText, split_statements

CASES: list[tuple[str, list[tuple[str, int, int]]]] = [
    ("SELECT 1; SELECT 2;", [("SELECT 1", 1, 1), ("SELECT 2", 1, 11)]),
    ("SELECT 1", [("SELECT 1", 1, 1)]),
    ("SELECT 1;\n  SELECT 2", [("SELECT 1", 1, 1), ("SELECT 2", 2, 3)]),
    ("SELECT 'a;b'; SELECT 2", [("SELECT 'a;b'", 1, 1), ("SELECT 2", 1, 15)]),
    ("SELECT 'it''s;'; SELECT 2", [("SELECT 'it''s;'", 1, 1), ("SELECT 2", 1, 18)]),
    ("SELECT `a;b` FROM t; SELECT 2", [("SELECT `a;b` FROM t", 1, 1), ("SELECT 2", 1, 22)]),
    ("SELECT 1 -- c;omment\n;SELECT 2", [("SELECT 1 -- c;omment", 1, 1), ("SELECT 2", 2, 2)]),
    ("SELECT /* ; */ 1; SELECT 2", [("SELECT /* ; */ 1", 1, 1), ("SELECT 2", 1, 19)]),
    ("-- only a comment;\n/* and ; another */\nSELECT 1;", [("SELECT 1", 3, 1)]),
    (";;  ;\n", []),
    ("SELECT 1; -- trailing comment", [("SELECT 1", 1, 1)]),
    (
        "EXECUTE STATEMENT SET BEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND;\nSELECT 3;",
        [
            (
                "EXECUTE STATEMENT SET BEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND",
                1,
                1,
            ),
            ("SELECT 3", 5, 1),
        ],
    ),
    (
        "execute statement set begin insert into a select case when x then 1 end from t; end; select 1",
        [
            (
                "execute statement set begin insert into a select case when x then 1 end from t; end",
                1,
                1,
            ),
            ("select 1", 1, 86),
        ],
    ),
    (
        "BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND;",
        [
            ("BEGIN STATEMENT SET", 1, 1),
            ("INSERT INTO a SELECT 1", 2, 1),
            ("INSERT INTO b SELECT 2", 3, 1),
            ("END", 4, 1),
        ],
    ),
    (
        "EXPLAIN STATEMENT SET BEGIN INSERT INTO a SELECT 1; END;",
        [("EXPLAIN STATEMENT SET BEGIN INSERT INTO a SELECT 1; END", 1, 1)],
    ),
    ("SET 'k' = 'v;w';\n\n\tRESET", [("SET 'k' = 'v;w'", 1, 1), ("RESET", 3, 2)]),
]


@pytest.mark.parametrize(("script", "expected"), CASES)
def test_split(script: str, expected: list[tuple[str, int, int]]) -> None:
    statements = split_statements(script)
    assert [(s.sql, s.line, s.col) for s in statements] == expected
    for statement in statements:
        assert script[statement.offset :].startswith(statement.sql)


def test_statement_text_is_frozen() -> None:
    text = StatementText(sql="SELECT 1", line=1, col=1, offset=0)
    with pytest.raises(AttributeError):
        text.sql = "x"  # type: ignore[misc]
