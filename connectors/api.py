"""The contract between the planner/engine and every connector.

A connector is chosen by the table's `'connector'` option (see `connectors.registry`) and turns a
`TableSpec` into a `Source` and/or a `Sink`. Data crosses the boundary only as Arrow record batches
whose fields match `TableSpec.schema` exactly, so the engine never needs to know a file format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class TableSpec:
    """What a connector needs to know about one table.

    `schema` holds the physical columns in declared order (no computed or metadata columns); each field
    carries metadata `{b"flink.type": b"TIMESTAMP(3)"}` with the Flink type text, and `nullable=False`
    for NOT NULL columns. `options` are the WITH options after `/*+ OPTIONS(..) */` hints are merged.
    """

    name: str
    schema: pa.Schema
    options: Mapping[str, str]
    partition_keys: tuple[str, ...] = ()
    primary_key: tuple[str, ...] | None = None
    runtime_mode: Literal["batch", "streaming"] = "batch"


class ConnectorError(Exception):
    """A user-facing connector problem: says what went wrong and where (option, file, line)."""


@runtime_checkable
class Source(Protocol):
    """A scan over a table's rows.

    `batches()` yields RecordBatches with exactly the schema's fields (or the requested subset, in
    the requested order). `duckdb_scan()` is an optional fast path: a DuckDB relation over the files
    that yields exactly what `batches()` yields, or None when that is not possible.
    """

    bounded: bool

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]: ...

    def duckdb_scan(
        self, con: duckdb.DuckDBPyConnection, columns: Sequence[str] | None = None
    ) -> duckdb.DuckDBPyRelation | None: ...


@runtime_checkable
class Sink(Protocol):
    """A consumer of change batches.

    `write` receives batches with the schema's fields in order; `row_kinds` is an int8 array
    (0=+I, 1=-U, 2=+U, 3=-D) or None when every row is an insert. Nothing becomes visible before
    `close()`; `abort()` removes what was not committed.
    """

    accepts: Literal["append", "upsert", "all"]

    def open(
        self, *, overwrite: bool = False, static_partitions: Mapping[str, str] | None = None
    ) -> None: ...

    def write(self, batch: pa.RecordBatch, row_kinds: pa.Array | None = None) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


@dataclass(frozen=True)
class ConnectorFactory:
    """One connector: its identifier, the options it understands and how to build its parts.

    In option keys, `#` stands for a field name (`fields.#.kind`). A factory whose options depend
    on the table (datagen's per-field keys) may set `options_for` to list the concrete keys it
    accepts for a given table; validation then uses that list instead of the `#` patterns.
    """

    identifier: str
    required_options: frozenset[str]
    optional_options: frozenset[str]
    create_source: Callable[[TableSpec], Source] | None
    create_sink: Callable[[TableSpec], Sink] | None
    options_for: Callable[[TableSpec], frozenset[str]] | None = field(default=None, compare=False)


ROW_KIND_SHORT_STRINGS: tuple[str, ...] = ("+I", "-U", "+U", "-D")
"""Flink's RowKind.shortString() by the int8 code used in `Sink.write(row_kinds=...)`."""
