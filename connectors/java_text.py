"""Java's `toString` of the values Flink hands to `Row.toString` (the print connector's text).

Flink converts each row to external Java objects (Integer, Double, BigDecimal, LocalDateTime,
Instant, byte[], HashMap, Row, ...) and prints `Row.toString()`. Reproducing that text means
reproducing Java's number formatting, java.time's ISO printing and HashMap's iteration order.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal

import numpy as np


def _scientific(digits: str, exponent: int) -> str:
    """Java's computerized scientific notation: `d.dddE<exp>` with at least one fraction digit."""
    frac = digits[1:] or "0"
    return f"{digits[0]}.{frac}E{exponent}"


def _java_floating(text: str, value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    d = Decimal(text.lstrip("-"))
    t = d.normalize().as_tuple()
    digits = "".join(map(str, t.digits))
    exponent = t.exponent + len(digits) - 1  # type: ignore[operator]
    if 1e-3 <= abs(value) < 1e7:
        plain = format(d.normalize(), "f")
        if "." not in plain:
            plain += ".0"
        return sign + plain
    return sign + _scientific(digits, exponent)


def java_double(value: float) -> str:
    """Double.toString: `1.0`, `0.001`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`."""
    return _java_floating(repr(float(value)), float(value))


def java_float(value: float) -> str:
    """Float.toString, using the shortest digits that identify the 32-bit value."""
    f32 = np.float32(value)
    return _java_floating(str(f32), float(f32))


def java_big_decimal(value: Decimal) -> str:
    """BigDecimal.toString (the same to-scientific-string rule Python's Decimal implements)."""
    return str(value)


def _fraction(nanos: int) -> str:
    if nanos == 0:
        return ""
    if nanos % 1_000_000 == 0:
        return f".{nanos // 1_000_000:03d}"
    if nanos % 1000 == 0:
        return f".{nanos // 1000:06d}"
    return f".{nanos:09d}"


def java_local_time(hour: int, minute: int, second: int, nanos: int) -> str:
    """LocalTime.toString: `HH:mm`, `HH:mm:ss`, then `.SSS`/`.SSSSSS`/`.SSSSSSSSS` as needed."""
    text = f"{hour:02d}:{minute:02d}"
    if second or nanos:
        text += f":{second:02d}" + _fraction(nanos)
    return text


def java_local_date(d: dt.date) -> str:
    """LocalDate.toString (years beyond 9999 get a `+`, as in Java)."""
    if d.year > 9999:
        return f"+{d.year}-{d.month:02d}-{d.day:02d}"
    return d.isoformat()


_EPOCH = dt.datetime(1970, 1, 1)


def split_epoch(value: int, unit_per_second: int) -> tuple[dt.datetime, int]:
    """An epoch count in some unit → (naive UTC datetime to the second, nanos of second)."""
    seconds, sub = divmod(value, unit_per_second)
    nanos = sub * (1_000_000_000 // unit_per_second)
    return _EPOCH + dt.timedelta(seconds=seconds), nanos


def java_local_date_time(moment: dt.datetime, nanos: int) -> str:
    """LocalDateTime.toString: `2020-01-01T12:00`, `2020-01-01T12:00:00.123`."""
    return (
        java_local_date(moment.date())
        + "T"
        + java_local_time(moment.hour, moment.minute, moment.second, nanos)
    )


def java_instant(moment: dt.datetime, nanos: int) -> str:
    """Instant.toString (ISO_INSTANT): seconds always shown, fraction in groups of three, `Z`."""
    return (
        java_local_date(moment.date())
        + f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
        + _fraction(nanos)
        + "Z"
    )


def java_bytes(value: bytes) -> str:
    """Arrays.toString(byte[]): signed decimal bytes `[1, -1]`."""
    return "[" + ", ".join(str(b - 256 if b > 127 else b) for b in value) + "]"


def _int32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def java_hash(value: object) -> int | None:
    """Java's hashCode of a boxed key (String, Integer, Long, Boolean, Double); None if unknown."""
    if isinstance(value, bool):
        return 1231 if value else 1237
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return value
        v = value & 0xFFFFFFFFFFFFFFFF
        return _int32(v ^ (v >> 32))
    if isinstance(value, str):
        h = 0
        data = value.encode("utf-16-be")
        for i in range(0, len(data), 2):
            h = (31 * h + ((data[i] << 8) | data[i + 1])) & 0xFFFFFFFF
        return _int32(h)
    if isinstance(value, float):
        bits = int(np.float64(value).view(np.int64)) & 0xFFFFFFFFFFFFFFFF
        return _int32(bits ^ (bits >> 32))
    return None


def java_hash_map_order(keys: Sequence[object]) -> list[int]:
    """Indexes of `keys` in the order a java.util.HashMap filled in this order iterates them.

    HashMap iterates bucket by bucket (`(h ^ h >>> 16) & (capacity - 1)`), insertion order within
    a bucket, with capacity the power of two >= 16 keeping size <= 0.75 * capacity. Keys with no
    known Java hash keep insertion order.
    """
    hashes = [java_hash(k) for k in keys]
    if any(h is None for h in hashes):
        return list(range(len(keys)))
    capacity = 16
    while len(keys) > capacity * 3 // 4:
        capacity *= 2
    buckets = []
    for h in hashes:
        u = h & 0xFFFFFFFF  # type: ignore[operator]
        buckets.append((u ^ (u >> 16)) & (capacity - 1))
    return sorted(range(len(keys)), key=lambda i: (buckets[i], i))


def join_java_list(items: Iterable[str]) -> str:
    """AbstractCollection/Arrays.toString: `[a, b]`."""
    return "[" + ", ".join(items) + "]"
