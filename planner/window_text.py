"""Windowed aggregate text for DuckDB: `OVER (...)` after every aggregate call of a lowering.

Aggregate lowerings (planner/functions) may wrap their DuckDB calls in casts and arithmetic, e.g.
`CAST(sum(x) // nullif(count(x), 0) AS INTEGER)`; used with OVER, each of those calls needs the
window. The batch lowering holds the argument texts out as placeholders, so the text scanned here
is only the lowering's own SQL.
"""

from __future__ import annotations

import re

WINDOWED_CALLS = frozenset(
    {
        *("count", "sum", "avg", "min", "max", "first", "last", "string_agg", "histogram", "list"),
        *("var_pop", "var_samp", "stddev_pop", "stddev_samp", "first_value", "last_value"),
        *("row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead"),
    }
)
"""DuckDB aggregate and window functions that aggregate lowerings emit (the calls that get OVER)."""


def attach_window(template: str, window: str, names: frozenset[str]) -> str:
    """Add `OVER (window)` after every call of a function in `names` (and its FILTER clause).

    `template` is an aggregate's lowered text with its arguments held out, so it contains only
    the lowering's own SQL: calls, casts, arithmetic and string literals.
    """
    out: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "'":
            end = _string_end(template, i)
            out.append(template[i:end])
            i = end
            continue
        match = _IDENT.match(template, i)
        if match is None:
            out.append(ch)
            i += 1
            continue
        word = match.group(0)
        j = match.end()
        if (
            word.lower() not in names
            or j >= len(template)
            or template[j] != "("
            or (i and template[i - 1] == ".")
        ):
            out.append(word)
            i = j
            continue
        end = _paren_end(template, j)
        inner = attach_window(template[j + 1 : end - 1], window, names)
        call = f"{word}({inner})"
        rest = template[end:]
        filter_match = _FILTER.match(rest)
        if filter_match is not None:
            f_end = _paren_end(rest, filter_match.end() - 1)
            call += rest[:f_end]
            end += f_end
        out.append(f"{call} OVER ({window})")
        i = end
    return "".join(out)


_IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_FILTER = re.compile(r"\s*FILTER\s*\(", re.IGNORECASE)


def _string_end(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text[i] == "'":
            if i + 1 < len(text) and text[i + 1] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return len(text)


def _paren_end(text: str, open_at: int) -> int:
    """Index just past the parenthesis matching the one at `open_at`."""
    depth = 0
    i = open_at
    while i < len(text):
        ch = text[i]
        if ch == "'":
            i = _string_end(text, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)
