"""Flink's `Row.toString()` text for Arrow data: `+I[1, a, 2020-01-01T12:00, [1, 2], {k=v}]`.

Scalar columns are converted column by column; the final join of the fields into one line per
row is per-row Python, which is unavoidable for a text output made of one line per row.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from connectors.api import ROW_KIND_SHORT_STRINGS
from connectors.java_text import (
    java_big_decimal,
    java_bytes,
    java_double,
    java_float,
    java_hash_map_order,
    java_instant,
    java_local_date,
    java_local_date_time,
    java_local_time,
    join_java_list,
    split_epoch,
)
from planner.arrow_types import from_arrow_field
from planner.types import FlinkType

NULL_TEXT = "null"
_PER_SECOND = {"s": 1, "ms": 1000, "us": 1_000_000, "ns": 1_000_000_000}


def _fill_nulls(arr: pa.Array, texts: list[str | None]) -> list[str]:
    return [NULL_TEXT if t is None else t for t in texts]


def array_texts(arr: pa.Array, t: FlinkType) -> list[str]:
    """Java toString of every value of `arr` (typed as Flink type `t`), `null` for NULL."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    typ = arr.type
    if pa.types.is_integer(typ):
        return _fill_nulls(arr, pc.cast(arr, pa.string()).to_pylist())
    if pa.types.is_boolean(typ):
        return [NULL_TEXT if v is None else ("true" if v else "false") for v in arr.to_pylist()]
    if pa.types.is_floating(typ):
        fmt = java_float if pa.types.is_float32(typ) else java_double
        return [NULL_TEXT if v is None else fmt(v) for v in arr.to_pylist()]
    if pa.types.is_decimal(typ):
        return [NULL_TEXT if v is None else java_big_decimal(v) for v in arr.to_pylist()]
    if pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_string_view(typ):
        return _fill_nulls(arr, arr.to_pylist())
    if (
        pa.types.is_binary(typ)
        or pa.types.is_large_binary(typ)
        or pa.types.is_fixed_size_binary(typ)
    ):
        return [NULL_TEXT if v is None else java_bytes(v) for v in arr.to_pylist()]
    if pa.types.is_date(typ):
        return [NULL_TEXT if v is None else java_local_date(v) for v in arr.to_pylist()]
    if pa.types.is_time(typ):
        per_second = _PER_SECOND[typ.unit]
        ints = pc.cast(arr, pa.int64() if pa.types.is_time64(typ) else pa.int32()).to_pylist()
        out = []
        for v in ints:
            if v is None:
                out.append(NULL_TEXT)
                continue
            secs, sub = divmod(v, per_second)
            nanos = sub * (1_000_000_000 // per_second)
            out.append(java_local_time(secs // 3600, secs // 60 % 60, secs % 60, nanos))
        return out
    if pa.types.is_timestamp(typ):
        per_second = _PER_SECOND[typ.unit]
        ints = arr.view(pa.int64()).to_pylist()
        fmt = java_instant if t.name == "TIMESTAMP_LTZ" or typ.tz else java_local_date_time
        return [NULL_TEXT if v is None else fmt(*split_epoch(v, per_second)) for v in ints]
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_fixed_size_list(typ):
        return _list_texts(arr, t)
    if pa.types.is_map(typ):
        return _map_texts(arr, t)
    if pa.types.is_struct(typ):
        return _struct_texts(arr, t)
    if pa.types.is_null(typ):
        return [NULL_TEXT] * len(arr)
    raise TypeError(f"no text rendering for Arrow type {typ}")


def _child(t: FlinkType, i: int, fallback: FlinkType) -> FlinkType:
    return t.children[i] if len(t.children) > i else fallback


def _list_texts(arr: pa.Array, t: FlinkType) -> list[str]:
    if pa.types.is_fixed_size_list(arr.type):
        arr = arr.cast(pa.list_(arr.type.value_field))
    offsets = arr.offsets.to_pylist()
    values = arr.values
    elem = _child(t, 0, FlinkType("NULL"))
    value_texts = array_texts(values, elem)
    out = []
    for i, valid in enumerate(arr.is_valid().to_pylist()):
        out.append(join_java_list(value_texts[offsets[i] : offsets[i + 1]]) if valid else NULL_TEXT)
    return out


def _map_texts(arr: pa.MapArray, t: FlinkType) -> list[str]:
    offsets = arr.offsets.to_pylist()
    keys, items = arr.keys, arr.items
    key_texts = array_texts(keys, _child(t, 0, FlinkType("NULL")))
    item_texts = array_texts(items, _child(t, 1, FlinkType("NULL")))
    key_values = keys.to_pylist()
    out = []
    for i, valid in enumerate(arr.is_valid().to_pylist()):
        if not valid:
            out.append(NULL_TEXT)
            continue
        lo, hi = offsets[i], offsets[i + 1]
        order = java_hash_map_order(key_values[lo:hi])
        pairs = (f"{key_texts[lo + j]}={item_texts[lo + j]}" for j in order)
        out.append("{" + ", ".join(pairs) + "}")
    return out


def _struct_texts(arr: pa.StructArray, t: FlinkType) -> list[str]:
    columns = [
        array_texts(arr.field(i), _child(t, i, FlinkType("NULL")))
        for i in range(arr.type.num_fields)
    ]
    out = []
    for r, valid in enumerate(arr.is_valid().to_pylist()):
        out.append(("+I[" + ", ".join(c[r] for c in columns) + "]") if valid else NULL_TEXT)
    return out


def row_lines(
    batch: pa.RecordBatch, row_kinds: pa.Array | None, types: Sequence[FlinkType] | None = None
) -> list[str]:
    """One `+I[..]` / `-U[..]` / `+U[..]` / `-D[..]` line per row of `batch`."""
    if types is None:
        types = [from_arrow_field(f) for f in batch.schema]
    columns = [array_texts(batch.column(i), types[i]) for i in range(batch.num_columns)]
    kinds = (
        [ROW_KIND_SHORT_STRINGS[k] for k in row_kinds.to_pylist()]
        if row_kinds is not None
        else ["+I"] * batch.num_rows
    )
    return [f"{kinds[r]}[" + ", ".join(c[r] for c in columns) + "]" for r in range(batch.num_rows)]
