"""Turn a Python value of a Flink type into the exact text Flink's tableau shows for it.

Flink renders each cell with its CAST-to-STRING rules (RowDataToStringConverter); the shell and
`TableResult.print()` then lay the strings out. Values arrive as PyFlink returns them (int, float,
Decimal, str, bytes, bool, date/time/datetime, timedelta, list, dict, tuple/Row). Every rule here
was checked against Flink 2.3's output (see tests/fixtures/tableau/ and /work/flinkref/FINDINGS.md):

* NULL is `<NULL>` at the top level but `NULL` inside ARRAY/MAP/ROW/MULTISET.
* BOOLEAN is `TRUE`/`FALSE` everywhere.
* FLOAT/DOUBLE follow Java's Float/Double.toString: `1.0`, `1.0E10`, `1.0E-5`, `NaN`, `Infinity`.
* DECIMAL(p, s) always shows exactly s fraction digits (`1.50`, `12`), never an exponent.
* CHAR(n) values print as they are (padding happens in CAST); BINARY(n) is zero-padded to n
  bytes; bytes print as `x'0aff'`.
* TIMESTAMP(p)/TIMESTAMP_LTZ(p) show exactly p fraction digits (`...00.000` for p=3); TIME(p)
  drops trailing zeros but keeps one digit (`10:11:12.0`, `10:11:12.12`).
* INTERVAL DAY TO SECOND is `+d HH:MM:SS.fff`, INTERVAL YEAR TO MONTH is `+y-MM`.
* ARRAY `[1, 2]`, MAP and MULTISET `{k=v, ...}`, ROW `(1, x, TRUE)`; strings are not quoted.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import struct
from collections.abc import Mapping

from planner.types import FlinkType, parse_type

NULL_TEXT = "<NULL>"
NESTED_NULL_TEXT = "NULL"


# ---------------------------------------------------------------- formatting


def format_value(value: object, flink_type: str) -> str:
    """The text Flink's tableau shows for `value` of `flink_type` (a type string)."""
    return format_typed(value, parse_type(flink_type))


def format_typed(value: object, ftype: FlinkType, *, nested: bool = False) -> str:
    """The text Flink's tableau shows for `value` of `ftype`; `nested` cells spell NULL as `NULL`."""
    if value is None:
        return NESTED_NULL_TEXT if nested else NULL_TEXT
    root = ftype.name
    if root == "BOOLEAN":
        return "TRUE" if value else "FALSE"
    if root in {"TINYINT", "SMALLINT", "INT", "BIGINT"}:
        return str(int(value))  # type: ignore[call-overload]
    if root == "FLOAT":
        return java_float_text(float(value), single=True)  # type: ignore[arg-type]
    if root == "DOUBLE":
        return java_float_text(float(value), single=False)  # type: ignore[arg-type]
    if root == "DECIMAL":
        return _decimal_text(value, ftype.scale or 0)
    if root in ("CHAR", "VARCHAR"):
        # Flink pads CHAR(n) when it casts, not when it displays: a shorter value read from a
        # source shows as it is.
        return str(value)
    if root in {"BINARY", "VARBINARY"}:
        data = bytes(value)  # type: ignore[call-overload]
        if root == "BINARY":
            data = data.ljust(1 if ftype.precision is None else ftype.precision, b"\x00")
        return f"x'{data.hex()}'"
    if root == "DATE":
        return _date_text(value)  # type: ignore[arg-type]
    if root == "TIME":
        return _time_text(value, ftype.precision or 0)  # type: ignore[arg-type]
    if root in {"TIMESTAMP", "TIMESTAMP_LTZ"}:
        precision = 6 if ftype.precision is None else ftype.precision
        return _timestamp_text(value, precision)  # type: ignore[arg-type]
    if root == "INTERVAL_DT":
        return _interval_day_time_text(value)
    if root == "INTERVAL_YM":
        return _interval_year_month_text(value)
    if root == "ARRAY":
        elem = ftype.children[0]
        return "[" + ", ".join(format_typed(v, elem, nested=True) for v in value) + "]"  # type: ignore[attr-defined]
    if root == "MAP":
        key_t, val_t = ftype.children
        items = value.items() if isinstance(value, Mapping) else value
        return (
            "{"
            + ", ".join(
                f"{format_typed(k, key_t, nested=True)}={format_typed(v, val_t, nested=True)}"
                for k, v in items  # type: ignore[union-attr]
            )
            + "}"
        )
    if root == "MULTISET":
        return _multiset_text(value, ftype.children[0])
    if root == "ROW":
        fields = _row_fields(value)
        return (
            "("
            + ", ".join(format_typed(v, t, nested=True) for v, t in zip(fields, ftype.children))
            + ")"
        )
    if root == "NULL":
        return NESTED_NULL_TEXT if nested else NULL_TEXT
    return str(value)


def _utf16_length(text: str) -> int:
    """Java string length: CHAR(n) counts UTF-16 code units, so an emoji takes two."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def java_float_text(x: float, *, single: bool) -> str:
    """Java's Float.toString / Double.toString for x (shortest round-trip digits)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    digits_text = _shortest_float32(x) if single else repr(x)
    sign, digits, exponent = decimal.Decimal(digits_text).as_tuple()
    ds = "".join(map(str, digits)).rstrip("0") or "0"
    # value = 0.ds * 10**point  (point = position of the decimal point after the first digit group)
    point = len(digits) + int(exponent)
    prefix = "-" if sign else ""
    magnitude = abs(x)
    if 1e-3 <= magnitude < 1e7:
        if point <= 0:
            return f"{prefix}0.{'0' * -point}{ds}"
        whole = ds[:point].ljust(point, "0")
        frac = ds[point:] or "0"
        return f"{prefix}{whole}.{frac}"
    mantissa = ds[0] + "." + (ds[1:] or "0")
    return f"{prefix}{mantissa}E{point - 1}"


def _shortest_float32(x: float) -> str:
    target = struct.unpack("f", struct.pack("f", x))[0]
    for precision in range(1, 10):
        text = f"{target:.{precision}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == target:
            return text
    return repr(target)


def _decimal_text(value: object, scale: int) -> str:
    number = value if isinstance(value, decimal.Decimal) else decimal.Decimal(str(value))
    # DECIMAL(38, s) needs 38 significant digits, more than Python's default context holds.
    context = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_UP)
    quantized = number.quantize(decimal.Decimal(1).scaleb(-scale), context=context)
    return format(quantized, "f")


def _date_text(value: dt.date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _fraction(microsecond: int, precision: int, nanos: int | None = None) -> str:
    if precision <= 0:
        return ""
    nine = f"{nanos:09d}" if nanos is not None else f"{microsecond:06d}000"
    return "." + nine[:precision]


def _time_text(value: dt.time, precision: int) -> str:
    """TIME(p > 0) shows its fraction without trailing zeros but with at least one digit
    (`10:11:12.0`, `10:11:12.5`, `10:11:12.123`), unlike TIMESTAMP(p), which pads to p."""
    base = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if precision <= 0:
        return base
    return base + "." + (_fraction(value.microsecond, precision)[1:].rstrip("0") or "0")


def _timestamp_text(value: dt.datetime, precision: int) -> str:
    nanos = getattr(value, "nanosecond", None)
    if nanos is not None:  # pandas.Timestamp keeps nanoseconds
        nanos = value.microsecond * 1000 + nanos
    clock = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    return f"{_date_text(value)} {clock}" + _fraction(value.microsecond, precision, nanos)


def _interval_day_time_text(value: object) -> str:
    millis = (
        round(value.total_seconds() * 1000) if isinstance(value, dt.timedelta) else int(value)  # type: ignore[call-overload]
    )
    sign = "-" if millis < 0 else "+"
    millis = abs(millis)
    days, rest = divmod(millis, 86_400_000)
    hours, rest = divmod(rest, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, ms = divmod(rest, 1000)
    return f"{sign}{days} {hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def _interval_year_month_text(value: object) -> str:
    months = int(value)  # type: ignore[call-overload]
    sign = "-" if months < 0 else "+"
    years, rest = divmod(abs(months), 12)
    return f"{sign}{years}-{rest:02d}"


def _multiset_text(value: object, elem: FlinkType) -> str:
    """MULTISET shows as {element=count, ...}; a list is counted in first-seen order."""
    if isinstance(value, Mapping):
        counts = list(value.items())
    else:
        seen: dict[object, int] = {}
        for item in value:  # type: ignore[attr-defined]
            seen[item] = seen.get(item, 0) + 1
        counts = list(seen.items())
    return "{" + ", ".join(f"{format_typed(k, elem, nested=True)}={c}" for k, c in counts) + "}"


def _row_fields(value: object) -> list[object]:
    """Fields of a ROW value: a tuple/list, a PyFlink Row (`_values`) or a mapping."""
    if isinstance(value, Mapping):
        return list(value.values())
    inner = getattr(value, "_values", None)
    if inner is not None:
        return list(inner)
    return list(value)  # type: ignore[call-overload]
