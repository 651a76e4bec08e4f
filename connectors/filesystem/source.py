"""Reading a filesystem table: every visible file under `path`, decoded whole by its format."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import duckdb
import pyarrow as pa

from connectors.api import ConnectorError, TableSpec
from connectors.filesystem.partitions import (
    DEFAULT_PARTITION_NAME,
    list_data_files,
    partition_column,
)
from connectors.formats.base import FormatFactory
from connectors.formats.duckdb_types import duckdb_type
from planner.arrow_types import from_arrow_field


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
    """A bounded scan of a file or directory tree, partition columns taken from `k=v` directories."""

    bounded = True

    def __init__(self, spec: TableSpec, format_factory: FormatFactory) -> None:
        self.spec = spec
        self.root = spec.options["path"]
        self.default_name = spec.options.get("partition.default-name", DEFAULT_PARTITION_NAME)
        self.format = format_factory.create(data_schema(spec), spec.options)

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        names = select_columns(self.spec.schema, columns)
        out_schema = pa.schema([self.spec.schema.field(n) for n in names])
        for data_file in list_data_files(self.root, self.spec.partition_keys):
            for batch in self.format.read_file(data_file.path):
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
                yield pa.RecordBatch.from_arrays(arrays, schema=out_schema)

    def duckdb_scan(
        self, con: duckdb.DuckDBPyConnection, columns: Sequence[str] | None = None
    ) -> duckdb.DuckDBPyRelation | None:
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
