"""Shared helpers for connector tests: building TableSpecs from Flink type text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa

from connectors.api import TableSpec
from connectors.flink_types import schema_from_flink
from connectors.row_text import row_lines


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
        schema=schema_from_flink([(c[0], c[1]) for c in columns]),
        options=dict(options),
        partition_keys=tuple(partition_keys),
        runtime_mode=mode,  # type: ignore[arg-type]
    )


def flink_rows(batches: Sequence[pa.RecordBatch] | pa.Table) -> list[str]:
    """Rows as Flink's print text (`+I[..]`), the form expected results are written in."""
    if isinstance(batches, pa.Table):
        batches = batches.to_batches()
    return [line for b in batches for line in row_lines(b, None)]
