"""Writing typed Arrow columns as the text Flink's CSV and JSON writers produce.

Scalars are converted a whole column at a time (Arrow casts plus regex fix-ups to Java's
spelling); values Java prints differently from Arrow (doubles outside [1e-3, 1e7), bytes as
base64, nested values) are converted per value, which only touches those rows.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connectors.api import ConnectorError
from connectors.java_text import java_double, java_float
from planner.types import FlinkType

Style = Literal["csv", "json"]


def _per_value(
    arr: pa.Array, mask: np.ndarray, base: pa.Array, fn: Callable[[object], str]
) -> pa.Array:
    """Replace `base` at `mask` rows with `fn(value)` (the few rows Arrow cannot spell)."""
    if not mask.any():
        return base
    values = arr.to_pylist()
    texts = base.to_pylist()
    for i in np.flatnonzero(mask):
        texts[i] = fn(values[i])
    return pa.array(texts, pa.string())


def _float_texts(arr: pa.Array) -> pa.Array:
    text = pc.cast(arr, pa.string())
    absval = np.abs(arr.to_numpy(zero_copy_only=False).astype(np.float64))
    with np.errstate(invalid="ignore"):
        odd = ~((absval >= 1e-3) & (absval < 1e7)) & ~np.isnan(absval)
    odd &= ~np.asarray(pc.is_null(arr).to_numpy(zero_copy_only=False))
    # Inside [1e-3, 1e7) Arrow's shortest digits equal Java's; only a missing ".0" differs.
    text = pc.if_else(
        pc.match_substring(text, "."), text, pc.binary_join_element_wise(text, ".0", "")
    )
    text = pc.replace_substring(text, "nan.0", "NaN")
    fmt = java_float if pa.types.is_float32(arr.type) else java_double
    return _per_value(arr, odd, text, lambda v: fmt(v))  # type: ignore[arg-type]


def _strip_fraction_zeros(text: pa.Array) -> pa.Array:
    """ISO_LOCAL_TIME prints the fraction with trailing zeros removed (none at all if zero)."""
    text = pc.replace_substring_regex(text, r"(\.\d*?)0+$", r"\1")
    return pc.replace_substring_regex(text, r"\.$", "")


def _time_texts(arr: pa.Array) -> pa.Array:
    return _strip_fraction_zeros(pc.cast(arr, pa.string()))


def _timestamp_texts(arr: pa.Array, ltz: bool, sep: str) -> pa.Array:
    naive = arr.cast(pa.timestamp(arr.type.unit)) if arr.type.tz else arr
    text = _strip_fraction_zeros(pc.cast(naive, pa.string()))
    if sep != " ":
        text = pc.replace_substring(text, " ", sep, max_replacements=1)
    if ltz:
        text = pc.binary_join_element_wise(text, "Z", "")
    return text


def decimal_text(value: Decimal, plain: bool) -> str:
    """Jackson's text of `BigDecimal.stripTrailingZeros()`: `1.5`, `1E+2`, `0` (plain: `100`)."""
    normalized = value.normalize()
    return format(normalized, "f") if plain else str(normalized)


def _decimal_texts(arr: pa.Array, plain: bool) -> pa.Array:
    text = pc.cast(arr, pa.string())
    # Strip fraction zeros with kernels; integers ending in 0 and exponent forms need Decimal.
    text = pc.replace_substring_regex(text, r"(\.\d*?)0+$", r"\1")
    text = pc.replace_substring_regex(text, r"\.$", "")
    odd = pc.or_(pc.match_substring(text, "E"), pc.match_substring_regex(text, r"^-?[1-9]\d*0$"))
    mask = np.asarray(pc.fill_null(odd, False).to_numpy(zero_copy_only=False))
    text = pc.replace_substring_regex(text, r"^-0$", "0")
    return _per_value(arr, mask, text, lambda v: decimal_text(v, plain))  # type: ignore[arg-type]


def scalar_texts(
    arr: pa.Array, t: FlinkType, *, timestamp_sep: str = " ", plain_decimal: bool = True
) -> pa.Array | None:
    """Text of each scalar value (NULL stays NULL), or None for nested/binary types."""
    typ = arr.type
    if pa.types.is_integer(typ) or pa.types.is_date(typ):
        return pc.cast(arr, pa.string())
    if pa.types.is_boolean(typ):
        return pc.if_else(arr, "true", "false")
    if pa.types.is_floating(typ):
        return _float_texts(arr)
    if pa.types.is_decimal(typ):
        return _decimal_texts(arr, plain_decimal)
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return arr.cast(pa.string())
    if pa.types.is_time(typ):
        return _time_texts(arr)
    if pa.types.is_timestamp(typ):
        return _timestamp_texts(arr, t.name == "TIMESTAMP_LTZ" or bool(typ.tz), timestamp_sep)
    return None


def base64_texts(arr: pa.Array) -> pa.Array:
    """Jackson writes binary as base64 (per value: pyarrow has no base64 kernel)."""
    return pa.array(
        [None if v is None else base64.b64encode(v).decode("ascii") for v in arr.to_pylist()],
        pa.string(),
    )


def _json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def json_string_literals(text: pa.Array) -> pa.Array:
    """Quote and escape strings as Jackson does (control characters escaped, non-ASCII kept)."""
    out = text
    for raw, esc in (
        ("\\", "\\\\"),
        ('"', '\\"'),
        ("\n", "\\n"),
        ("\r", "\\r"),
        ("\t", "\\t"),
        ("\b", "\\b"),
        ("\f", "\\f"),
    ):
        out = pc.replace_substring(out, raw, esc)
    out = pc.binary_join_element_wise('"', out, '"', "")
    odd = np.asarray(
        pc.fill_null(pc.match_substring_regex(text, "[\x00-\x07\x0b\x0e-\x1f]"), False).to_numpy(
            zero_copy_only=False
        )
    )
    if odd.any():
        out = _per_value(text, odd, out, lambda v: _json_string(v).replace("\\u007f", "\x7f"))  # type: ignore[arg-type]
    return out


def unsupported(t: FlinkType, fmt: str) -> ConnectorError:
    return ConnectorError(f"The {fmt} format does not support the type {t.summary()}.")
