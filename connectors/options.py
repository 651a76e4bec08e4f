"""Reading typed option values the way Flink's Configuration does, with its error text.

Flink reports a bad value as `Could not parse value 'x' for key 'k'.`; these helpers raise the
same sentence as a ConnectorError so every connector and format reports bad values alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from connectors.api import ConnectorError


def _bad(value: str, key: str, why: str = "") -> ConnectorError:
    return ConnectorError(f"Could not parse value '{value}' for key '{key}'.{why}")


def parse_bool(options: Mapping[str, str], key: str, default: bool) -> bool:
    """Flink booleans: `true`/`false`, any case."""
    if key not in options:
        return default
    value = options[key].strip().lower()
    if value not in ("true", "false"):
        raise _bad(options[key], key)
    return value == "true"


def parse_int(options: Mapping[str, str], key: str, default: int | None = None) -> int | None:
    """A Java int/long option value (surrounding blanks allowed)."""
    if key not in options:
        return default
    text = options[key].strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise _bad(options[key], key)
    return int(text)


def parse_positive_int(options: Mapping[str, str], key: str) -> int:
    value = parse_int(options, key)
    if value is None or value <= 0:
        raise ConnectorError(
            f"Option '{key}' must be a positive integer, got '{options.get(key)}'."
        )
    return value


def parse_float(options: Mapping[str, str], key: str, default: float | None = None) -> float | None:
    if key not in options:
        return default
    try:
        return float(options[key].strip())
    except ValueError:
        raise _bad(options[key], key) from None


_DURATION_UNITS = {
    "ns": 1e-9, "nano": 1e-9, "nanos": 1e-9, "nanosecond": 1e-9, "nanoseconds": 1e-9,
    "us": 1e-6, "µs": 1e-6, "micro": 1e-6, "micros": 1e-6, "microsecond": 1e-6, "microseconds": 1e-6,
    "ms": 1e-3, "milli": 1e-3, "millis": 1e-3, "millisecond": 1e-3, "milliseconds": 1e-3,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
}  # fmt: skip


def parse_duration_ms(options: Mapping[str, str], key: str, default_ms: int) -> int:
    """Flink durations (`10 s`, `1min`, `500` = milliseconds) in milliseconds."""
    if key not in options:
        return default_ms
    m = re.fullmatch(r"\s*(\d+)\s*([a-zA-Zµ]*)\s*", options[key])
    if not m or (m.group(2) and m.group(2).lower() not in _DURATION_UNITS):
        raise _bad(options[key], key)
    scale = _DURATION_UNITS[m.group(2).lower()] if m.group(2) else 1e-3
    return round(int(m.group(1)) * scale * 1000)


def parse_choice(
    options: Mapping[str, str], key: str, choices: tuple[str, ...], default: str
) -> str:
    """An enum option; matching is case-insensitive as in Flink, the canonical spelling returned."""
    if key not in options:
        return default
    for c in choices:
        if c.lower() == options[key].strip().lower():
            return c
    raise _bad(options[key], key, f" Possible values: [{', '.join(choices)}]")


def parse_char(options: Mapping[str, str], key: str, default: str | None) -> str | None:
    """A single-character option; `\\t` style escapes and `U&'\\0001'`-decoded text are accepted."""
    if key not in options:
        return default
    raw = options[key]
    value = (
        raw.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in raw else raw
    )
    if len(value) != 1:
        raise ConnectorError(
            f"Option '{key}' must be a string with single character, but was: {raw}"
        )
    return value
