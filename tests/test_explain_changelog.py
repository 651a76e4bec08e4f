"""EXPLAIN CHANGELOG_MODE in streaming mode: each node's changelog mode and unique keys.

Each `tests/fixtures/explain_changelog/NAME.sql` ends with an EXPLAIN statement; `NAME.txt` holds the
expected "Optimized Physical Plan" section. `FRESHET_REGEN=1` rewrites the `.txt` files (review the
diff: these are goldens, not snapshots to accept blindly).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.config import Configuration
from engine.session import Session

ROOT = Path(__file__).parent / "fixtures" / "explain_changelog"
CASES = sorted(ROOT.glob("*.sql"))


def physical_plan(script: str) -> str:
    session = Session(Configuration({"execution.runtime-mode": "streaming"}))
    statements = [s.strip() for s in script.split(";\n") if s.strip()]
    result = None
    for text in statements:
        result = session.execute_sql(text.rstrip(";"))
    assert result is not None
    text = next(iter(result.collect()))[0]
    section = text.split("== Optimized Physical Plan ==\n", 1)[1]
    return section.split("\n\n== Optimized Execution Plan ==", 1)[0].strip() + "\n"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_explain_changelog_mode(path: Path) -> None:
    got = physical_plan(path.read_text())
    golden = path.with_suffix(".txt")
    if os.environ.get("FRESHET_REGEN"):
        golden.write_text(got)
    assert got == golden.read_text()


def test_append_only_sink_error_text() -> None:
    from engine.session import SqlError

    session = Session(Configuration({"execution.runtime-mode": "streaming"}))
    session.execute_sql(
        "CREATE TABLE src (k STRING, v INT) WITH "
        "('connector' = 'filesystem', 'path' = '/nonexistent', 'format' = 'csv')"
    )
    session.execute_sql(
        "CREATE TABLE out1 (k STRING, c BIGINT) WITH "
        "('connector' = 'filesystem', 'path' = '/nonexistent-out', 'format' = 'csv')"
    )
    with pytest.raises(SqlError) as info:
        session.execute_sql("INSERT INTO out1 SELECT k, COUNT(*) FROM src GROUP BY k")
    e = info.value
    assert e.kind == "org.apache.flink.table.api.TableException"
    assert e.message == (
        "Table sink 'default_catalog.default_database.out1' doesn't support consuming update "
        "changes which is produced by node GroupAggregate(groupBy=[k], select=[k, COUNT(*) AS "
        "EXPR$1])"
    )
    assert e.hint is not None and "PRIMARY KEY" in e.hint and "window aggregation" in e.hint
    assert (e.line, e.col) == (1, 1)
