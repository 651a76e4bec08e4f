"""Flink types to Arrow types and back.

Storage conventions: timestamps are microseconds (nanoseconds above precision 6), TIMESTAMP_LTZ is
UTC-zoned, CHAR/VARCHAR are `string`, intervals are `month_day_nano_interval`. Each field carries its
Flink type text in metadata (`flink.type`) so connectors and renderers keep Flink's view.
"""

from __future__ import annotations

import pyarrow as pa

from planner import types as T
from planner.types import FlinkType, parse_type

FLINK_TYPE_KEY = b"flink.type"
"""Field metadata key holding the Flink type text (`FlinkType.sql()`) of an Arrow field."""


def to_arrow(t: FlinkType) -> pa.DataType:
    """Storage type in Arrow batches. Timestamps are microseconds (nanoseconds above precision 6)."""
    n = t.name
    simple: dict[str, pa.DataType] = {
        "TINYINT": pa.int8(),
        "SMALLINT": pa.int16(),
        "INT": pa.int32(),
        "BIGINT": pa.int64(),
        "FLOAT": pa.float32(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "CHAR": pa.string(),
        "VARCHAR": pa.string(),
        "BINARY": pa.binary(),
        "VARBINARY": pa.binary(),
        "DATE": pa.date32(),
        "TIME": pa.time64("us"),
        "INTERVAL_YM": pa.month_day_nano_interval(),
        "INTERVAL_DT": pa.month_day_nano_interval(),
        "NULL": pa.null(),
    }
    if n in simple:
        return simple[n]
    if n == "DECIMAL":
        return pa.decimal128(t.precision or 10, t.scale or 0)
    if n == "TIMESTAMP":
        return pa.timestamp("ns" if (t.precision or 0) > 6 else "us")
    if n == "TIMESTAMP_LTZ":
        return pa.timestamp("ns" if (t.precision or 0) > 6 else "us", tz="UTC")
    if n == "ARRAY":
        return pa.list_(to_arrow(t.children[0]))
    if n == "MULTISET":
        return pa.map_(to_arrow(t.children[0]), pa.int32())
    if n == "MAP":
        return pa.map_(to_arrow(t.children[0]), to_arrow(t.children[1]))
    if n == "ROW":
        return pa.struct(
            [
                pa.field(name, to_arrow(child), child.nullable)
                for name, child in zip(t.field_names, t.children, strict=True)
            ]
        )
    raise TypeError(f"No Arrow type for Flink type {t}")


def to_arrow_field(name: str, t: FlinkType) -> pa.Field:
    """An Arrow field carrying the Flink type text, so connectors and renderers keep Flink's view."""
    return pa.field(name, to_arrow(t), t.nullable, metadata={FLINK_TYPE_KEY: t.sql().encode()})


def to_arrow_schema(columns: list[tuple[str, FlinkType]]) -> pa.Schema:
    return pa.schema([to_arrow_field(n, t) for n, t in columns])


def from_arrow_field(f: pa.Field) -> FlinkType:
    """The Flink type of a field: its `flink.type` metadata, else derived from its Arrow type.

    Arrow cannot tell CHAR(3) from STRING or TIMESTAMP(3) from TIMESTAMP(6); the metadata can, so
    readers and writers that must spell values as Flink does look there first.
    """
    text = (f.metadata or {}).get(FLINK_TYPE_KEY)
    if text is not None:
        return parse_type(text.decode())
    return from_arrow(f.type, f.nullable)


def from_arrow(dt: pa.DataType, nullable: bool = True) -> FlinkType:
    """The Flink type of an Arrow column we did not create (from_pandas, parquet files)."""
    if pa.types.is_int8(dt):
        return T.tinyint(nullable)
    if pa.types.is_int16(dt) or pa.types.is_uint8(dt):
        return T.smallint(nullable)
    if pa.types.is_int32(dt) or pa.types.is_uint16(dt):
        return T.int_(nullable)
    if pa.types.is_integer(dt):
        return T.bigint(nullable)
    if pa.types.is_float32(dt) or pa.types.is_float16(dt):
        return T.float_(nullable)
    if pa.types.is_float64(dt):
        return T.double(nullable)
    if pa.types.is_boolean(dt):
        return T.boolean(nullable)
    if pa.types.is_decimal(dt):
        return T.decimal(dt.precision, dt.scale, nullable)
    if pa.types.is_string(dt) or pa.types.is_large_string(dt) or pa.types.is_string_view(dt):
        return T.string(nullable)
    if (
        pa.types.is_binary(dt)
        or pa.types.is_large_binary(dt)
        or pa.types.is_fixed_size_binary(dt)
        or pa.types.is_binary_view(dt)
    ):
        return T.bytes_(nullable)
    if pa.types.is_date(dt):
        return T.date(nullable)
    if pa.types.is_time(dt):
        return T.time(0, nullable)
    if pa.types.is_timestamp(dt):
        precision = {"s": 0, "ms": 3, "us": 6, "ns": 9}[dt.unit]
        return (T.timestamp_ltz if dt.tz else T.timestamp)(precision, nullable)
    if pa.types.is_list(dt) or pa.types.is_large_list(dt) or pa.types.is_fixed_size_list(dt):
        return T.array(from_arrow(dt.value_type), nullable)
    if pa.types.is_map(dt):
        return T.map_(from_arrow(dt.key_type), from_arrow(dt.item_type), nullable)
    if pa.types.is_struct(dt):
        return T.row(
            [(dt.field(i).name, from_arrow(dt.field(i).type)) for i in range(dt.num_fields)],
            nullable,
        )
    if pa.types.is_null(dt):
        return T.NULL
    if pa.types.is_interval(dt):
        return T.interval_dt(nullable)
    raise TypeError(f"Arrow type {dt} has no Flink equivalent")
