"""Turning a column of field texts into a typed Arrow column, the way Flink's CSV/JSON readers do.

Every function works on a whole column: it returns the typed values and a boolean mask of the
rows whose text did not parse, so a reader can name the first bad row or drop the bad rows
(`ignore-parse-errors`) without going back to per-row Python. DECIMAL is the exception (per value,
through Python's Decimal, to round and bound exactly as Java's BigDecimal does).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connectors.api import ConnectorError
from planner.types import FlinkType

_INT_RANGES = {
    "TINYINT": (-(2**7), 2**7 - 1),
    "SMALLINT": (-(2**15), 2**15 - 1),
    "INT": (-(2**31), 2**31 - 1),
    "BIGINT": (-(2**63), 2**63 - 1),
}
_FLOAT_RE = r"^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$"
_DATE_RE = r"^(\d{4})-(\d{2})-(\d{2})$"
_LENIENT_DATE_RE = r"^(\d{4})-(\d{1,2})-(\d{1,2})$"
_TIME_RE = r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
_STRICT_TIME_RE = r"\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?"
_PER_SECOND = {"s": 1, "ms": 1000, "us": 1_000_000, "ns": 1_000_000_000}


def _mask(arr: pa.Array) -> pa.Array:
    return pc.fill_null(arr, False)


def _bad(valid: pa.Array, strings: pa.Array) -> pa.Array:
    """Rows that had text but did not parse."""
    return pc.and_(pc.is_valid(strings), pc.invert(_mask(valid)))


def parse_column(
    strings: pa.Array,
    t: FlinkType,
    target: pa.DataType,
    *,
    timestamp_sep: str = " ",
    lenient_date_time: bool = False,
) -> tuple[pa.Array, pa.Array]:
    """Parse `strings` (NULL stays NULL) as Flink type `t` into Arrow `target`.

    Returns (values, bad) where `bad` marks rows whose text is not a valid `t`; those rows are NULL
    in `values`. `timestamp_sep` is the date/time separator expected in TIMESTAMP text.
    `lenient_date_time` accepts CSV's `2020-1-5` dates and `12:34` times (Flink's CSV reader uses
    java.sql.Date.valueOf and LocalTime.parse; its JSON reader insists on `yyyy-MM-dd`/`HH:mm:ss`).
    """
    name = t.name
    if name in ("CHAR", "VARCHAR"):
        return strings.cast(target), pa.array(np.zeros(len(strings), bool))
    if name in _INT_RANGES:
        text = pc.utf8_trim_whitespace(strings)
        valid = pc.match_substring_regex(text, r"^[+-]?\d{1,19}$")
        ints = (
            pc.cast(pc.if_else(valid, text, None), pa.decimal128(20, 0))
            if len(text)
            else pa.array([], pa.decimal128(20, 0))
        )
        lo, hi = _INT_RANGES[name]
        in_range = pc.and_(
            pc.greater_equal(ints, pa.scalar(Decimal(lo), ints.type)),
            pc.less_equal(ints, pa.scalar(Decimal(hi), ints.type)),
        )
        valid = pc.and_(_mask(valid), _mask(in_range))
        values = pc.cast(pc.if_else(valid, ints, None), target)
        return values, _bad(valid, strings)
    if name in ("FLOAT", "DOUBLE"):
        text = pc.utf8_trim_whitespace(strings)
        valid = _mask(pc.match_substring_regex(text, _FLOAT_RE))
        cleaned = pc.replace_substring_regex(text, r"[fFdD]$", "")
        cleaned = pc.replace_substring(cleaned, "Infinity", "inf")
        values = pc.cast(pc.if_else(valid, cleaned, None), pa.float64())
        return values.cast(target), _bad(valid, strings)
    if name == "BOOLEAN":
        # Boolean.parseBoolean: "true" in any case is true, every other text is false.
        values = pc.equal(pc.utf8_lower(pc.utf8_trim_whitespace(strings)), "true")
        return values, pa.array(np.zeros(len(strings), bool))
    if name == "DECIMAL":
        return _parse_decimal(strings, t, target)
    if name == "DATE":
        text = pc.utf8_trim_whitespace(strings)
        valid = _mask(
            pc.match_substring_regex(text, _LENIENT_DATE_RE if lenient_date_time else _DATE_RE)
        )
        days, ok = _days(pc.if_else(valid, text, None))
        valid = pc.and_(valid, ok)
        return pc.if_else(valid, days, None).cast(target), _bad(valid, strings)
    if name == "TIME":
        text = pc.utf8_trim_whitespace(strings)
        shape = _TIME_RE if lenient_date_time else _STRICT_TIME_RE
        valid = _mask(pc.match_substring_regex(text, "^" + shape + "$"))
        nanos, ok = _nanos_of_day(pc.if_else(valid, text, None), "^" + _TIME_RE + "$")
        valid = pc.and_(valid, ok)
        unit = target.unit
        values = pc.divide(nanos, 1_000_000_000 // _PER_SECOND[unit])
        values = pc.if_else(valid, values, None)
        return values.cast(pa.int64()).cast(
            pa.int32() if pa.types.is_time32(target) else pa.int64()
        ).cast(target), _bad(valid, strings)
    if name in ("TIMESTAMP", "TIMESTAMP_LTZ"):
        return _parse_timestamp(strings, t, target, timestamp_sep)
    raise ConnectorError(f"Reading type {t.summary()} from text is not supported.")


def _days(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    parts = pc.extract_regex(text, r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
    y = pc.cast(pc.struct_field(parts, "y"), pa.int64())
    m = pc.cast(pc.struct_field(parts, "m"), pa.int64())
    d = pc.cast(pc.struct_field(parts, "d"), pa.int64())
    ok = _mask(
        pc.and_(pc.and_(pc.greater_equal(m, 1), pc.less_equal(m, 12)), pc.greater_equal(d, 1))
    )
    ys, ms, ds = (
        np.nan_to_num(x.to_numpy(zero_copy_only=False).astype(float), nan=1).astype(np.int64)
        for x in (y, m, d)
    )
    ms = np.clip(ms, 1, 12)
    months = (ys - 1970) * 12 + (ms - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    next_first = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    month_len = (next_first - first).astype(np.int64)
    ok = pc.and_(ok, pa.array(ds <= month_len))
    days = (first.astype(np.int64) + ds - 1).astype(np.int32)
    return pa.array(days, pa.int32()).cast(pa.date32()), _mask(pc.and_(ok, pc.is_valid(text)))


def _nanos_of_day(text: pa.Array, pattern: str) -> tuple[pa.Array, pa.Array]:
    named = pattern.replace(
        r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?",
        r"(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?",
    )
    parts = pc.extract_regex(text, named)
    h = pc.cast(pc.struct_field(parts, "h"), pa.int64())
    mi = pc.cast(pc.struct_field(parts, "mi"), pa.int64())
    s = pc.cast(
        pc.if_else(pc.equal(pc.struct_field(parts, "s"), ""), "0", pc.struct_field(parts, "s")),
        pa.int64(),
    )
    frac = pc.utf8_rpad(pc.struct_field(parts, "f"), 9, "0")
    f = pc.cast(frac, pa.int64())
    ok = pc.and_(pc.and_(pc.less(h, 24), pc.less(mi, 60)), pc.less(s, 60))
    nanos = pc.add(
        pc.multiply(pc.add(pc.add(pc.multiply(h, 3600), pc.multiply(mi, 60)), s), 1_000_000_000), f
    )
    return nanos, _mask(ok)


def _parse_timestamp(
    strings: pa.Array, t: FlinkType, target: pa.DataType, sep: str
) -> tuple[pa.Array, pa.Array]:
    text = pc.utf8_trim_whitespace(strings)
    zone = "Z" if t.name == "TIMESTAMP_LTZ" else ""
    pattern = r"^\d{4}-\d{2}-\d{2}" + sep + _TIME_RE + zone + "$"
    valid = _mask(pc.match_substring_regex(text, pattern))
    text = pc.if_else(valid, text, None)
    days, ok_d = _days(pc.utf8_slice_codeunits(text, 0, 10))
    nanos, ok_t = _nanos_of_day(pc.utf8_slice_codeunits(text, 11), "^" + _TIME_RE)
    valid = pc.and_(valid, pc.and_(ok_d, ok_t))
    per_second = _PER_SECOND[target.unit]
    day_units = pc.multiply(pc.cast(days.cast(pa.int32()), pa.int64()), 86400 * per_second)
    units = pc.add(day_units, pc.divide(nanos, 1_000_000_000 // per_second))
    values = pc.if_else(valid, units, None).cast(pa.timestamp(target.unit)).cast(target)
    return values, _bad(valid, strings)


def _parse_decimal(
    strings: pa.Array, t: FlinkType, target: pa.DataType
) -> tuple[pa.Array, pa.Array]:
    precision, scale = target.precision, target.scale
    quantum = Decimal(1).scaleb(-scale)
    limit = Decimal(10) ** (precision - scale)
    out: list[Decimal | None] = []
    bad: list[bool] = []
    for text in strings.to_pylist():
        if text is None:
            out.append(None)
            bad.append(False)
            continue
        try:
            d = Decimal(text.strip())
            if not d.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            out.append(None)
            bad.append(True)
            continue
        q = d.quantize(quantum, rounding=ROUND_HALF_UP)
        # Flink's DecimalData.fromBigDecimal yields NULL (not an error) when precision overflows.
        out.append(q if abs(q) < limit else None)
        bad.append(False)
    return pa.array(out, target), pa.array(bad, pa.bool_())


def first_bad_row(bad: pa.Array) -> int | None:
    """Index of the first True in `bad`, or None."""
    if not pc.any(bad).as_py():
        return None
    return int(pc.index(bad, True).as_py())
