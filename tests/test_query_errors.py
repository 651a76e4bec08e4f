"""Query validation errors against the messages and exception classes Flink's SQL client prints.

`tests/fixtures/query_errors/NAME.sql` is a script of DDL then one failing query per line;
`NAME.out` is what Flink's client printed for it with `--keep-going` (one result block per
statement, generated with the reference Flink, never by hand). The script tests cannot hold these
cases: `freshet -f` stops at the first failing statement, as Flink's client does.

Each query is planned directly so the binder's error is checked as raised: its message must equal
Flink's and its `java_class` must be the class Flink's client names (the root cause it prints).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.config import Configuration
from engine.session import Session, SqlError
from planner import operations as ops
from planner.binder.context import ValidationError
from planner.dialect.split import split_statements

FIXTURES = Path(__file__).parent / "fixtures" / "query_errors"
DATA = Path(__file__).parent / "fixtures" / "scripts" / "queries" / "data"
RESULT = re.compile(
    r"(\+-[-+]*\+\n.*?(?:rows? in set)|Empty set|\[ERROR\][^\n]*\n[^\n]*|\[INFO\] Execute[^\n]*)",
    re.S,
)


def _results(out_text: str) -> list[str]:
    """One block per statement: an [INFO] line, a table, 'Empty set', or [ERROR] + its cause."""
    return RESULT.findall(out_text.split("Command history file path", 1)[1])


def _failure(session: Session, sql: str) -> tuple[str, str] | None:
    """(exception class, message) of a failing statement, None when it succeeds."""
    try:
        operations = session.parse(sql)
    except SqlError as e:
        return e.kind, e.message
    for op in operations:
        try:
            if isinstance(op, ops.Query):
                session.plan_query(op.query)
            else:
                session.execute(op)
        except ValidationError as e:
            return e.java_class, e.message
        except SqlError as e:
            return e.kind, e.message
    return None


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.sql")), ids=lambda p: p.name)
def test_query_errors(path: Path) -> None:
    session = Session(Configuration())
    statements = split_statements(path.read_text().replace("${DATA}", str(DATA)))
    expected_blocks = _results(path.with_suffix(".out").read_text())
    assert len(expected_blocks) == len(statements), "the .out does not match the script"
    mismatches = []
    for statement, expected in zip(statements, expected_blocks, strict=True):
        failure = _failure(session, statement.sql)
        if not expected.startswith("[ERROR]"):
            if failure is not None:
                mismatches.append(f"{statement.sql}\n  expected success, got {failure}")
            continue
        java_class, _, message = expected.splitlines()[1].partition(": ")
        actual = None if failure is None else (failure[0], failure[1].splitlines()[0])
        if actual != (java_class, message):
            mismatches.append(
                f"{statement.sql}\n  expected {(java_class, message)}\n  got      {actual}"
            )
    assert not mismatches, "\n".join(mismatches)
