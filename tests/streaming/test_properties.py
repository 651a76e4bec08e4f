"""Property: for random inputs (with retractions) and random batch splits, streaming == batch.

A set of query templates over one changelog table `t(k, v)`; hypothesis draws the input rows,
which of them are later deleted, and where the input is cut into batches. The streaming job's
changes, applied to a table, must give exactly the batch answer over the surviving rows, and no
change may retract a row that is not there.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.streaming.case_format import Case, Step
from tests.streaming.harness import run_batch, run_streaming

TEMPLATES = [
    "SELECT k, COUNT(*) AS c, SUM(v) AS s, MIN(v) AS mn, MAX(v) AS mx FROM t GROUP BY k",
    "SELECT k, COUNT(DISTINCT v) AS d, AVG(v) AS a FROM t GROUP BY k HAVING COUNT(*) > 1",
    "SELECT c, COUNT(*) AS n FROM (SELECT k, COUNT(*) AS c FROM t GROUP BY k) GROUP BY c",
    "SELECT a.k, a.v, b.v AS w FROM t AS a JOIN t AS b ON a.k = b.k AND a.v < b.v",
    "SELECT a.k, a.v, b.v AS w FROM t AS a LEFT JOIN t AS b ON a.k = b.k AND a.v + 1 = b.v",
    "SELECT k, v FROM (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS rn "
    "FROM t) WHERE rn <= 2",
    "SELECT DISTINCT v FROM t WHERE k <> 'c'",
    "SELECT k FROM t WHERE v > 2 EXCEPT SELECT k FROM t WHERE v <= 2",
    "SELECT k, v FROM t WHERE v IN (SELECT v FROM t WHERE k = 'a')",
]

rows = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 5)), min_size=1, max_size=12
)


@pytest.mark.parametrize("query", TEMPLATES, ids=[f"q{i}" for i in range(len(TEMPLATES))])
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=rows, deletes=st.lists(st.integers(0, 11), max_size=4), cuts=st.integers(0, 2**16))
def test_streaming_equals_batch(query: str, data, deletes, cuts: int) -> None:
    changes = [("+I", [k if k is not None else "NULL", str(v)]) for k, v in data]
    for i in sorted(set(deletes)):
        if i < len(data):
            k, v = data[i]
            changes.append(("-D", [k if k is not None else "NULL", str(v)]))
    steps: list[Step] = []
    current = Step()
    for n, (kind, cells) in enumerate(changes):
        current.rows.append(("t", kind, cells))
        if (cuts >> (n % 16)) & 1:
            steps.append(current)
            current = Step()
    if current.rows:
        steps.append(current)
    case = Case(Path(f"property-{abs(hash(query))}.test"), [("t", "(k STRING, v INT)")])
    case.query = query
    case.steps = steps
    outcome = run_streaming(case, "written")
    assert outcome.final == run_batch(case)
    assert isinstance(outcome.final, Counter)
