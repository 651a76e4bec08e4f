"""Every streaming case, run three ways; the final table must equal the case's and batch mode's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.streaming.case_format import parse_case
from tests.streaming.harness import expected_rows, run_batch, run_streaming

CASES = sorted((Path(__file__).parent / "cases").rglob("*.test"))
MODES = ("written", "single", "random:1", "restore")


def _id(path: Path) -> str:
    return str(path.relative_to(Path(__file__).parent / "cases").with_suffix(""))


@pytest.mark.parametrize("path", CASES, ids=_id)
@pytest.mark.parametrize("mode", MODES)
def test_case(path: Path, mode: str) -> None:
    case = parse_case(path)
    outcome = run_streaming(case, mode)
    if mode in ("written", "restore"):
        # outcome.changes[0] is what the job emits on open (constant inputs)
        for n, step in enumerate(case.steps, start=1):
            if step.changes is None:
                continue
            got = [(k, list(c)) for k, c in _step_changes(outcome, case, n)]
            assert got == [(k, c) for k, c in step.changes], f"step {n}"
    if case.final is not None:
        assert outcome.final == expected_rows(case.final)
    if case.batch_differs is None:
        assert outcome.final == run_batch(case), "streaming final table != batch result"


def _step_changes(outcome, case, n: int):
    """The changes of step n (a step feeds one batch per table it touches)."""
    index = 1
    for i, step in enumerate(case.steps, start=1):
        tables = len(dict.fromkeys(r[0] for r in step.rows))
        if i == n:
            return [c for feed in outcome.changes[index : index + tables] for c in feed]
        index += tables
    raise IndexError(n)
