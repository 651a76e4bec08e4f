"""Attaching OVER (...) to every aggregate call of a lowered aggregate (planner/window_text.py).

Aggregate lowerings wrap their DuckDB calls in casts and arithmetic; inside OVER each call needs the
window, and nothing else (string literals, nested non-aggregate calls, FILTER clauses) may change.
"""

from __future__ import annotations

import pytest

from planner.window_text import WINDOWED_CALLS, attach_window

CASES = [
    ("count(*)", "count(*) OVER (w)"),
    ("CAST(sum(A) AS INTEGER)", "CAST(sum(A) OVER (w) AS INTEGER)"),
    (
        "CAST(sum(A) // nullif(count(A), 0) AS INTEGER)",
        "CAST(sum(A) OVER (w) // nullif(count(A) OVER (w), 0) AS INTEGER)",
    ),
    ("string_agg(A, 'sum(x)')", "string_agg(A, 'sum(x)') OVER (w)"),
    ("list(A) FILTER (WHERE (c(1)))", "list(A) FILTER (WHERE (c(1))) OVER (w)"),
    ("first_value(A IGNORE NULLS)", "first_value(A IGNORE NULLS) OVER (w)"),
    ("list_sum(A) + t.count(A)", "list_sum(A) + t.count(A)"),
    ("CAST(row_number() AS BIGINT)", "CAST(row_number() OVER (w) AS BIGINT)"),
]


@pytest.mark.parametrize(("template", "expected"), CASES)
def test_attach_window(template: str, expected: str) -> None:
    assert attach_window(template, "w", WINDOWED_CALLS) == expected
