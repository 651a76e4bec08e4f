"""Flink's tableau result layout, as the SQL client and `TableResult.print()` print it.

Facts (verified against Flink 2.3, see tests/fixtures/tableau/):

* Every cell and header is right-aligned; `+---+` borders; one space either side of a cell.
* Width is display width: UTF-16 code units plus one per full-width code point (East Asian Wide or
  Fullwidth), so a CJK character counts 2 and an astral emoji 3 (Flink's own arithmetic).
* Cells wider than the column are cut to `width - 3` and end in `...`.
* Client, batch mode: widths come from the data (cells by display width, the header by its plain
  UTF-16 length), capped at `table.display.max-column-width` (default 30); the header is cut too. Footer `N rows in set`,
  `1 row in set`; no rows prints only `Empty set`.
* Client, streaming mode: an `op` column first; widths come from the types so rows print as they
  arrive; a header longer than its type width widens the column and is never cut. Footer
  `Received a total of N rows` (`... of 1 row`, and `... of 0 row`: Flink's plural rule is `> 1`);
  with no rows the closing border is omitted.
* `TableResult.print()` (PyFlink/Java API): type widths in both modes, an `op` column only in
  streaming mode, footer `N rows in set` / `Empty set` (see `render_table_result`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TextIO

from planner.types import FlinkType, parse_type
from sql_client.value_format import NULL_TEXT, format_typed

DEFAULT_MAX_COLUMN_WIDTH = 30
TRUNCATION_MARK = "..."
ROW_KIND_COLUMN = "op"


def display_width(text: str) -> int:
    """Flink's display width: UTF-16 length plus one per full-width code point."""
    width = 0
    for ch in text:
        code = ord(ch)
        width += 2 if code > 0xFFFF else 1
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1
    return width


def java_length(text: str) -> int:
    """String.length() in Java (UTF-16 units). Flink sizes columns by a header's plain length,
    not its display width, so a CJK header can end up wider than its column (then cut to '...')."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _char_width(ch: str) -> int:
    return display_width(ch)


def fit_cell(text: str, width: int) -> str:
    """Right-align `text` in `width` columns, cutting it with '...' when it does not fit."""
    if display_width(text) > width:
        budget = width - len(TRUNCATION_MARK)
        kept: list[str] = []
        used = 0
        for ch in text:
            w = _char_width(ch)
            if used + w > budget:
                break
            kept.append(ch)
            used += w
        text = "".join(kept) + TRUNCATION_MARK
    return " " * max(0, width - display_width(text)) + text


def type_column_width(ftype: FlinkType, max_width: int) -> int:
    """The width Flink reserves for a type when it cannot look at the data (streaming)."""
    root = ftype.name
    fixed = {"TINYINT": 4, "SMALLINT": 6, "INT": 11, "BIGINT": 20, "BOOLEAN": 5, "DATE": 10}
    if root in fixed:
        width = fixed[root]
    elif root == "DECIMAL":
        width = (ftype.precision or 10) + 2
    elif root == "TIME":
        precision = ftype.precision or 0
        width = 8 if precision == 0 else precision + 9
    elif root in ("TIMESTAMP", "TIMESTAMP_LTZ"):
        precision = 6 if ftype.precision is None else ftype.precision
        width = 19 if precision == 0 else precision + 20
    else:
        width = max_width
    return max(width, len(NULL_TEXT))


def _border(widths: Sequence[int]) -> str:
    return "+" + "+".join("-" * (w + 2) for w in widths) + "+"


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "|" + "|".join(f" {fit_cell(c, w)} " for c, w in zip(cells, widths)) + "|"


def _plural(count: int) -> str:
    """Flink pluralises only above one: `0 row`, `1 row`, `2 rows`."""
    return "rows" if count > 1 else "row"


def _time_cost_suffix(time_cost: float | None) -> str:
    return "" if time_cost is None else f" ({time_cost:.2f} seconds)"


def _types_of(columns: Sequence[tuple[str, str]]) -> list[FlinkType]:
    return [parse_type(type_string) for _, type_string in columns]


def render_tableau(
    columns: Sequence[tuple[str, str]],
    rows: Iterable[tuple[str | None, Sequence[object]]],
    *,
    streaming: bool,
    out: TextIO,
    max_column_width: int = DEFAULT_MAX_COLUMN_WIDTH,
    time_cost: float | None = None,
) -> int:
    """Write a query result the way Flink's SQL client shows it in tableau mode; return the row count.

    `columns` are (name, Flink type string); `rows` are (row kind or None, values). In streaming
    mode rows are written as they arrive (widths come from the types, nothing is buffered).
    `time_cost` (seconds) adds the client's `(1.23 seconds)` suffix to the footer, as Flink does
    when `sql-client.display.print-time-cost` is true.
    """
    types = _types_of(columns)
    names = [name for name, _ in columns]
    if streaming:
        return _render_streaming_client(names, types, rows, out, max_column_width, time_cost)
    return _render_batch_client(names, types, rows, out, max_column_width, time_cost)


def _render_batch_client(
    names: list[str],
    types: list[FlinkType],
    rows: Iterable[tuple[str | None, Sequence[object]]],
    out: TextIO,
    max_width: int,
    time_cost: float | None,
) -> int:
    texts = [[format_typed(v, t) for v, t in zip(values, types)] for _, values in rows]
    if not texts:
        out.write("Empty set" + _time_cost_suffix(time_cost) + "\n")
        return 0
    widths = [
        min(max_width, max([java_length(name), *(display_width(row[i]) for row in texts)]))
        for i, name in enumerate(names)
    ]
    border = _border(widths)
    out.write(border + "\n" + _line(names, widths) + "\n" + border + "\n")
    for row in texts:
        out.write(_line(row, widths) + "\n")
    out.write(border + "\n")
    out.write(f"{len(texts)} {_plural(len(texts))} in set{_time_cost_suffix(time_cost)}\n")
    return len(texts)


def _render_streaming_client(
    names: list[str],
    types: list[FlinkType],
    rows: Iterable[tuple[str | None, Sequence[object]]],
    out: TextIO,
    max_width: int,
    time_cost: float | None,
) -> int:
    widths = [len(ROW_KIND_COLUMN)] + [
        max(java_length(name), type_column_width(t, max_width)) for name, t in zip(names, types)
    ]
    border = _border(widths)
    out.write(border + "\n" + _line([ROW_KIND_COLUMN, *names], widths) + "\n" + border + "\n")
    out.flush()
    count = 0
    for kind, values in rows:
        cells = [kind or "+I", *(format_typed(v, t) for v, t in zip(values, types))]
        out.write(_line(cells, widths) + "\n")
        out.flush()
        count += 1
    if count:
        out.write(border + "\n")
    out.write(f"Received a total of {count} {_plural(count)}{_time_cost_suffix(time_cost)}\n")
    return count


def render_table_result(
    columns: Sequence[tuple[str, str]],
    rows: Iterable[tuple[str | None, Sequence[object]]],
    *,
    streaming: bool,
    out: TextIO,
    max_column_width: int = DEFAULT_MAX_COLUMN_WIDTH,
) -> int:
    """Write a result the way `TableResult.print()` does (PyFlink/Java API); return the row count.

    Unlike the SQL client it uses type widths in batch mode too, prints the `op` column only in
    streaming mode and always ends with `N rows in set` (or just `Empty set`). It has to see the
    first row before printing anything, because an empty result prints no table at all.
    """
    types = _types_of(columns)
    names = ([ROW_KIND_COLUMN] if streaming else []) + [name for name, _ in columns]
    widths = ([len(ROW_KIND_COLUMN)] if streaming else []) + [
        max(java_length(name), type_column_width(t, max_column_width))
        for (name, _), t in zip(columns, types)
    ]
    border = _border(widths)
    count = 0
    for kind, values in rows:
        if count == 0:
            out.write(border + "\n" + _line(names, widths) + "\n" + border + "\n")
        cells = [format_typed(v, t) for v, t in zip(values, types)]
        out.write(_line(([kind or "+I"] if streaming else []) + cells, widths) + "\n")
        count += 1
    if count == 0:
        out.write("Empty set\n")
        return 0
    out.write(border + "\n")
    out.write(f"{count} {_plural(count)} in set\n")
    return count
