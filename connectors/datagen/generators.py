"""Column generators for datagen: whole Arrow columns from numpy, one call per batch.

Each generator is built once per field from its type and options and then called with the row
offset and count of a batch. Random values follow Flink's ranges and defaults (strings are hex
digits, timestamps lie in [now - max-past, now]); sequences count from `start` to `end`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connectors.api import ConnectorError
from connectors.datagen.options import default_length
from connectors.options import parse_bool, parse_duration_ms, parse_float, parse_int
from planner.types import FlinkType

# (rng, row offset, row count, now in epoch ms) -> column
Generator = Callable[[np.random.Generator, int, int, int], pa.Array]

_INT_BOUNDS = {
    "TINYINT": (np.int8, -(2**7), 2**7 - 1),
    "SMALLINT": (np.int16, -(2**15), 2**15 - 1),
    "INT": (np.int32, -(2**31), 2**31 - 1),
    "BIGINT": (np.int64, -(2**63), 2**63 - 1),
}
_FLOAT_DEFAULTS = {
    "FLOAT": (1.4e-45, 3.4028234663852886e38),
    "DOUBLE": (5e-324, 1.7976931348623157e308),
}
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


@dataclass(frozen=True)
class SequenceRange:
    start: int
    end: int

    @property
    def count(self) -> int:
        return max(self.end - self.start + 1, 0)


def _with_nulls(arr: pa.Array, null_rate: float, rng: np.random.Generator) -> pa.Array:
    if null_rate <= 0 or len(arr) == 0:
        return arr
    mask = rng.random(len(arr)) < null_rate
    return pc.if_else(pa.array(mask), pa.nulls(len(arr), arr.type), arr)


def _strings(
    rng: np.random.Generator, n: int, length: int, var_len: bool, binary: bool
) -> pa.Array:
    if var_len and length > 1:
        lengths = rng.integers(1, length, size=n)  # Java nextInt(1, length): upper bound excluded
    else:
        lengths = np.full(n, length)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    if binary:
        data = rng.integers(0, 256, size=total, dtype=np.uint8)
    else:
        data = _HEX[rng.integers(0, 16, size=total)]
    typ = pa.binary() if binary else pa.string()
    return pa.Array.from_buffers(
        typ, n, [None, pa.py_buffer(offsets), pa.py_buffer(data.tobytes())]
    )


def _decimal_from_unscaled(unscaled: np.ndarray, target: pa.DataType) -> pa.Array:
    """Decimal128 values from int64 unscaled values (two's complement, sign-extended)."""
    words = np.empty((len(unscaled), 2), dtype=np.int64)
    words[:, 0] = unscaled
    words[:, 1] = unscaled >> 63
    return pa.Array.from_buffers(target, len(unscaled), [None, pa.py_buffer(words.tobytes())])


def _option_key(prefix: str, leaf: str) -> str:
    return f"{prefix}.{leaf}"


def random_generator(
    prefix: str, t: FlinkType, target: pa.DataType, options: Mapping[str, str]
) -> Generator:
    """Flink's random generator for type `t`; `prefix` is `fields.<name>` (or nested)."""
    null_rate = parse_float(options, _option_key(prefix, "null-rate"), 0.0) or 0.0
    name = t.name

    if name in _INT_BOUNDS:
        dtype, lo_default, hi_default = _INT_BOUNDS[name]
        lo = parse_int(options, _option_key(prefix, "min"), lo_default)
        hi = parse_int(options, _option_key(prefix, "max"), hi_default)
        assert lo is not None and hi is not None
        if lo > hi:
            raise ConnectorError(
                f"Option '{prefix}.min' ({lo}) must not exceed '{prefix}.max' ({hi})."
            )

        def gen_int(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
            values = rng.integers(lo, hi, size=n, dtype=dtype, endpoint=True)
            return _with_nulls(pa.array(values, target), null_rate, rng)

        return gen_int
    if name in _FLOAT_DEFAULTS:
        flo, fhi = _FLOAT_DEFAULTS[name]
        lo_f = parse_float(options, _option_key(prefix, "min"), flo)
        hi_f = parse_float(options, _option_key(prefix, "max"), fhi)

        def gen_float(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
            values = lo_f + rng.random(n) * (hi_f - lo_f)  # type: ignore[operator]
            return _with_nulls(pa.array(values).cast(target), null_rate, rng)

        return gen_float
    if name == "DECIMAL":
        p, s = target.precision, target.scale
        largest = 10.0 ** (p - s) - 10.0 ** (-s)
        lo_d = max(-largest, parse_float(options, _option_key(prefix, "min"), 5e-324) or 0.0)
        hi_d = min(
            largest, parse_float(options, _option_key(prefix, "max"), 1.7976931348623157e308) or 0.0
        )

        def gen_decimal(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
            values = lo_d + rng.random(n) * (hi_d - lo_d)
            if p <= 18:
                unscaled = np.trunc(values * 10.0**s).astype(np.int64)
                limit = 10**p - 1
                arr = _decimal_from_unscaled(np.clip(unscaled, -limit, limit), target)
            else:
                q = Decimal(1).scaleb(-s)
                arr = pa.array([Decimal(v).quantize(q) for v in values.tolist()], target)
            return _with_nulls(arr, null_rate, rng)

        return gen_decimal
    if name == "BOOLEAN":

        def gen_bool(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
            return _with_nulls(pa.array(rng.random(n) < 0.5), null_rate, rng)

        return gen_bool
    if name in ("CHAR", "VARCHAR", "BINARY", "VARBINARY"):
        binary = name in ("BINARY", "VARBINARY")
        if name in ("CHAR", "BINARY"):
            length = default_length(t)
        else:
            length = parse_int(options, _option_key(prefix, "length"), default_length(t)) or 0
        var_len = parse_bool(options, _option_key(prefix, "var-len"), False)

        def gen_text(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
            arr = _strings(rng, n, length, var_len, binary).cast(target)
            return _with_nulls(arr, 0.0 if binary else null_rate, rng)

        return gen_text
    if name in ("TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMP_TZ"):
        max_past = parse_duration_ms(options, _option_key(prefix, "max-past"), 0)

        def gen_ts(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
            past = rng.integers(0, max_past, size=n) if max_past > 0 else np.zeros(n, np.int64)
            ms = pa.array(now - past, pa.int64()).cast(pa.timestamp("ms"))
            return _with_nulls(
                ms.cast(pa.timestamp("ms", tz=target.tz)).cast(target), null_rate, rng
            )

        return gen_ts
    if name in ("DATE", "TIME"):

        def gen_now(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
            local = dt.datetime.fromtimestamp(now / 1000)
            value = (
                local.date()
                if name == "DATE"
                else local.time().replace(microsecond=local.microsecond // 1000 * 1000)
            )
            return pa.array([value] * n).cast(target)

        return gen_now
    if name in ("ARRAY", "MULTISET", "MAP"):
        length = parse_int(options, _option_key(prefix, "length"), 3) or 0
        if name == "MAP":
            gen_key = random_generator(f"{prefix}.key", t.children[0], target.key_type, options)
            gen_val = random_generator(f"{prefix}.value", t.children[1], target.item_type, options)
        else:
            gen_elem = random_generator(
                f"{prefix}.element", t.children[0], target.value_type, options
            )

        def gen_collection(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
            offsets = pa.array(np.arange(n + 1, dtype=np.int32) * length)
            if name == "MAP":
                keys = gen_key(rng, 0, n * length, now)
                items = gen_val(rng, 0, n * length, now)
                arr = _dedup_map(pa.MapArray.from_arrays(offsets, keys, items, type=target))
            else:
                arr = pa.ListArray.from_arrays(
                    offsets, gen_elem(rng, 0, n * length, now), type=target
                )
            return _with_nulls(arr, null_rate, rng)

        return gen_collection
    if name == "ROW":
        children = [
            random_generator(f"{prefix}.{fn}", c, target.field(i).type, options)
            for i, (fn, c) in enumerate(zip(t.field_names, t.children))
        ]

        def gen_row(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
            arrays = [g(rng, offset, n, now) for g in children]
            arr = pa.StructArray.from_arrays(arrays, fields=list(target))
            return _with_nulls(arr, null_rate, rng)

        return gen_row
    raise ConnectorError(f"Unsupported type: {name}")


def _dedup_map(arr: pa.MapArray) -> pa.MapArray:
    """Flink builds maps in a HashMap: a repeated random key keeps one entry (the last value)."""
    rows = arr.to_pylist()
    if all(len({k for k, _ in r}) == len(r) for r in rows if r is not None):
        return arr
    return pa.array([None if r is None else list(dict(r).items()) for r in rows], arr.type)


def sequence_range(prefix: str, options: Mapping[str, str]) -> SequenceRange:
    for leaf in ("start", "end"):
        if f"{prefix}.{leaf}" not in options:
            raise ConnectorError(
                f"Could not find required property '{prefix}.{leaf}' for sequence generator."
            )
    start = parse_int(options, f"{prefix}.start")
    end = parse_int(options, f"{prefix}.end")
    assert start is not None and end is not None
    return SequenceRange(start, end)


def sequence_generator(t: FlinkType, target: pa.DataType, seq: SequenceRange) -> Generator:
    """Values `start + offset`, ..., as the column's type (strings hold the decimal digits)."""

    def gen(rng: np.random.Generator, offset: int, n: int, now: int) -> pa.Array:
        values = np.arange(seq.start + offset, seq.start + offset + n, dtype=np.int64)
        if t.name in ("CHAR", "VARCHAR"):
            return pc.cast(pa.array(values), pa.string()).cast(target)
        if t.name in ("BINARY", "VARBINARY"):
            data = values.astype(">i8").tobytes()
            offsets = np.arange(n + 1, dtype=np.int32) * 8
            return pa.Array.from_buffers(
                pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
            ).cast(target)
        if t.name == "DECIMAL":
            return pa.array(values).cast(pa.decimal128(38, 0)).cast(target)
        if t.name == "BOOLEAN":
            return pa.array(rng.random(n) < 0.5)
        return pa.array(values).cast(target)

    return gen


def system_now_ms() -> int:
    return time.time_ns() // 1_000_000
