"""Arrow columns to the Python values PyFlink returns, by Flink type.

Arrow's own `to_pylist` is close but not PyFlink's contract: MAP becomes a dict (not a list of
pairs), ROW a `Row` with field names, MULTISET a dict of counts, intervals a timedelta (DAY TO
SECOND) or a month count (YEAR TO MONTH), TIMESTAMP_LTZ a naive datetime in the session time zone.
CHAR(n) values are not padded here: Flink pads in CAST, and a shorter value from a source stays short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pyarrow as pa

from engine.row import Row, RowKind
from planner.types import FlinkType

Converter = Callable[[object], object]


def _identity(v: object) -> object:
    return v


def converter(t: FlinkType, tz: str = "UTC") -> Converter | None:
    """A per-value conversion for `t`, or None when Arrow's value is already right."""
    n = t.name
    if n == "MAP" or n == "MULTISET":
        k = converter(t.children[0], tz) or _identity
        v = converter(t.children[1], tz) if n == "MAP" else None
        v = v or _identity

        def to_dict(pairs: object) -> object:
            if pairs is None:
                return None
            return {k(a): v(b) for a, b in pairs}  # type: ignore[union-attr]

        return to_dict
    if n == "ROW":
        names = t.field_names
        convs = [converter(c, tz) or _identity for c in t.children]

        def to_row(d: object) -> object:
            if d is None:
                return None
            values = list(d.values()) if isinstance(d, dict) else list(d)  # type: ignore[union-attr]
            return Row.of([c(x) for c, x in zip(convs, values, strict=True)], names)

        return to_row
    if n == "ARRAY":
        inner = converter(t.children[0], tz)
        if inner is None:
            return None
        return lambda xs: None if xs is None else [inner(x) for x in xs]  # type: ignore[union-attr]
    if n == "INTERVAL_DT":
        return _interval_dt
    if n == "INTERVAL_YM":
        return _interval_ym
    if n == "TIMESTAMP_LTZ":
        zone = ZoneInfo(tz)
        return lambda v: None if v is None else v.astimezone(zone).replace(tzinfo=None)  # type: ignore[union-attr]
    return None


def _interval_dt(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, dt.timedelta):
        return v
    months, days, nanos = v.months, v.days, v.nanoseconds  # type: ignore[union-attr]
    return dt.timedelta(days=months * 30 + days, microseconds=nanos // 1000)


def _interval_ym(v: object) -> object:
    if v is None:
        return None
    return v.months  # type: ignore[union-attr]


def arrow_to_rows(
    table: pa.Table,
    types: list[FlinkType],
    names: tuple[str, ...] | None,
    tz: str = "UTC",
    kinds: list[RowKind] | None = None,
) -> list[Row]:
    """All rows of `table` as Rows (kind INSERT unless `kinds` given)."""
    columns = []
    for i, t in enumerate(types):
        values = table.column(i).to_pylist()
        conv = converter(t, tz)
        columns.append([conv(v) for v in values] if conv else values)
    rows = []
    for r, values in (
        enumerate(zip(*columns, strict=True)) if columns else enumerate([()] * table.num_rows)
    ):
        rows.append(Row.of(values, names, kinds[r] if kinds else RowKind.INSERT))
    return rows
