"""Reading a filesystem table: every visible file under `path`, decoded whole by its format.

Batch mode reads the files present (`batches()`, or a DuckDB scan). The streaming runtime reads
through `stream()`: the same files once (bounded), or, with `source.monitor-interval`, the files
present and then every interval the files that appeared since (unbounded), as Flink's continuous
file monitoring does. A file is identified by its path and read once, whole, when first listed:
writers should create it under a hidden name (`.x`, `_x`) and rename it when complete, as
Flink's own filesystem sink does with its in-progress files.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

import duckdb
import pyarrow as pa

from connectors.api import ConnectorError, TableSpec
from connectors.filesystem.partitions import (
    DEFAULT_PARTITION_NAME,
    DataFile,
    list_data_files,
    partition_column,
)
from connectors.formats.base import FormatFactory, is_changelog
from connectors.formats.duckdb_types import duckdb_type
from connectors.options import parse_duration_ms
from planner.arrow_types import from_arrow_field

StreamItem = pa.RecordBatch | tuple[pa.RecordBatch, pa.Array] | None
"""What `stream()` yields: inserts, (changes, row kinds), or None for "nothing new yet"."""

MONITOR_INTERVAL = "source.monitor-interval"


def data_schema(spec: TableSpec) -> pa.Schema:
    """The columns stored inside the files: the physical ones minus the partition keys."""
    return pa.schema([f for f in spec.schema if f.name not in spec.partition_keys])


def select_columns(schema: pa.Schema, columns: Sequence[str] | None) -> list[str]:
    if columns is None:
        return list(schema.names)
    unknown = [c for c in columns if c not in schema.names]
    if unknown:
        raise ConnectorError(
            f"Unknown column(s) {', '.join(unknown)}; the table has {', '.join(schema.names)}."
        )
    return list(columns)


class FileSystemSource:
    """A scan of a file or directory tree, partition columns taken from `k=v` directories.

    Bounded unless `source.monitor-interval` is set: Flink then plans the table as unbounded in
    both runtime modes (batch mode refuses it as an unbounded table).
    """

    def __init__(
        self,
        spec: TableSpec,
        format_factory: FormatFactory,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spec = spec
        self.root = spec.options["path"]
        self.default_name = spec.options.get("partition.default-name", DEFAULT_PARTITION_NAME)
        self.format = format_factory.create(data_schema(spec), spec.options)
        self.changelog = is_changelog(self.format)
        self.monitor_interval_ms: int | None = (
            parse_duration_ms(spec.options, MONITOR_INTERVAL, 0)
            if MONITOR_INTERVAL in spec.options
            else None
        )
        self.bounded = self.monitor_interval_ms is None
        self.clock = clock

    def refuse_changelog(self) -> None:
        """Raise Flink's batch-mode error when the format produces updates or deletes."""
        if self.changelog:
            raise ConnectorError(
                "Querying a table in batch mode is currently only possible for INSERT-only table "
                f"sources. But the source for table '{self.spec.name}' produces other changelog "
                "messages than just INSERT."
            )

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        self.refuse_changelog()
        names = select_columns(self.spec.schema, columns)
        for data_file in list_data_files(self.root, self.spec.partition_keys):
            for batch in self.format.read_file(data_file.path):
                yield self._with_partitions(batch, data_file, names)

    def stream(self) -> Iterator[StreamItem]:
        """The rows for the streaming runtime: every file once, then (continuous) new files.

        Never blocks between listings: while the next listing is not due it yields None, and
        the runtime comes back after its idle sleep.
        """
        if self.monitor_interval_ms is None:
            for data_file in list_data_files(self.root, self.spec.partition_keys):
                yield from self._file_items(data_file)
            return
        interval = self.monitor_interval_ms / 1000
        seen: set[str] = set()
        next_listing = self.clock()
        while True:
            now = self.clock()
            if now < next_listing:
                yield None
                continue
            # A fixed rate, as Flink's enumerator schedules discovery; a listing that took
            # longer than the interval does not cause a burst of catch-up listings.
            next_listing = max(next_listing + interval, now)
            for data_file in list_data_files(self.root, self.spec.partition_keys):
                if data_file.path in seen:
                    continue
                seen.add(data_file.path)
                yield from self._file_items(data_file)
            yield None

    def _file_items(self, data_file: DataFile) -> Iterator[StreamItem]:
        names = list(self.spec.schema.names)
        if self.changelog:
            for batch, kinds in self.format.read_changes(data_file.path):  # type: ignore[attr-defined]
                yield self._with_partitions(batch, data_file, names), kinds
        else:
            for batch in self.format.read_file(data_file.path):
                yield self._with_partitions(batch, data_file, names)

    def _with_partitions(
        self, batch: pa.RecordBatch, data_file: DataFile, names: Sequence[str]
    ) -> pa.RecordBatch:
        """`batch` (the file's data columns) as the requested columns, partition values added."""
        out_schema = pa.schema([self.spec.schema.field(n) for n in names])
        arrays = []
        for n in names:
            if n in self.spec.partition_keys:
                f = self.spec.schema.field(n)
                arrays.append(
                    partition_column(
                        data_file.partition[n],
                        batch.num_rows,
                        from_arrow_field(f),
                        f.type,
                        self.default_name,
                        f"file '{data_file.path}'",
                    )
                )
            else:
                arrays.append(batch.column(batch.schema.get_field_index(n)))
        return pa.RecordBatch.from_arrays(arrays, schema=out_schema)

    def duckdb_scan(
        self, con: duckdb.DuckDBPyConnection, columns: Sequence[str] | None = None
    ) -> duckdb.DuckDBPyRelation | None:
        self.refuse_changelog()
        names = select_columns(self.spec.schema, columns)
        files = list_data_files(self.root, self.spec.partition_keys)
        rel = self.format.duckdb_scan(con, [f.path for f in files])
        if rel is None:
            return None
        projections = []
        for n in names:
            f = self.spec.schema.field(n)
            if n in self.spec.partition_keys:
                t = from_arrow_field(f)
                if t.name not in (
                    "CHAR",
                    "VARCHAR",
                    "TINYINT",
                    "SMALLINT",
                    "INT",
                    "BIGINT",
                    "DATE",
                    "BOOLEAN",
                    "DECIMAL",
                ):
                    return None
                raw = f"url_decode(regexp_extract(filename, '[/\\\\]{n}=([^/\\\\]*)[/\\\\]', 1))"
                default = self.default_name.replace("'", "''")
                projections.append(
                    f"CASE WHEN {raw} = '{default}' THEN NULL ELSE CAST({raw} AS {duckdb_type(f.type)}) END AS \"{n}\""
                )
            else:
                projections.append(f'"{n}"')
        return rel.project(", ".join(projections))
