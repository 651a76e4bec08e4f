"""Shared helpers for connector tests: TableSpecs from Flink type text, rows as Flink prints them."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import pyarrow as pa

from connectors.api import TableSpec
from connectors.row_text import row_lines
from planner.arrow_types import from_arrow_field, to_arrow_schema
from planner.types import parse_type


def make_spec(
    columns: Sequence[Sequence[str]],
    options: Mapping[str, str],
    *,
    partition_keys: Sequence[str] = (),
    mode: str = "batch",
    name: str = "default_catalog.default_database.t",
) -> TableSpec:
    return TableSpec(
        name=name,
        schema=to_arrow_schema([(c[0], parse_type(c[1])) for c in columns]),
        options=dict(options),
        partition_keys=tuple(partition_keys),
        runtime_mode=mode,  # type: ignore[arg-type]
    )


def flink_rows(batches: Sequence[pa.RecordBatch] | pa.Table) -> list[str]:
    """Rows as Flink's print text (`+I[..]`), the form expected results are written in."""
    if isinstance(batches, pa.Table):
        batches = batches.to_batches()
    return [line for b in batches for line in row_lines(b, None)]


def millisecond_storage(spec: TableSpec) -> TableSpec:
    """The same table with TIME/TIMESTAMP(p <= 3) held as milliseconds, not the usual microseconds."""

    def field(f: pa.Field) -> pa.Field:
        t = from_arrow_field(f)
        if t.name in ("TIME", "TIMESTAMP", "TIMESTAMP_LTZ") and (t.precision or 0) <= 3:
            unit = pa.time32("ms") if t.name == "TIME" else pa.timestamp("ms", f.type.tz)
            return f.with_type(unit)
        return f

    return dataclasses.replace(spec, schema=pa.schema([field(f) for f in spec.schema]))
