"""Flink's `parquet` format: columnar files read and written whole with pyarrow.parquet.

Columns are matched by name and cast to the declared Arrow types. Timestamps are written as INT96,
as Flink's parquet writer does by default, so files interchange with Flink and Hive. Flink accepts
any `parquet.*` key (they are handed to the Hadoop writer), so unknown keys are not rejected.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from connectors.api import ConnectorError
from connectors.formats.base import FileWriter, FormatFactory
from connectors.formats.duckdb_types import duckdb_type
from connectors.options import parse_bool

OPTIONS = frozenset(
    {
        "parquet.utc-timezone",
        "parquet.compression",
        "parquet.block.size",
        "parquet.page.size",
        "parquet.dictionary.page.size",
        "parquet.writer.max-padding",
        "parquet.enable.dictionary",
        "parquet.validation",
        "parquet.writer.version",
    }
)

_CODECS = {
    "uncompressed": "none",
    "snappy": "snappy",
    "gzip": "gzip",
    "lzo": "lzo",
    "brotli": "brotli",
    "lz4": "lz4",
    "zstd": "zstd",
}


class ParquetFormat:
    """The parquet format configured for one table's data columns."""

    def __init__(self, schema: pa.Schema, options: Mapping[str, str]) -> None:
        self.schema = schema
        parse_bool(options, "parquet.utc-timezone", False)
        codec = options.get("parquet.compression", "snappy").lower()
        if codec not in _CODECS:
            raise ConnectorError(
                f"Could not parse value '{options['parquet.compression']}' for key "
                f"'parquet.compression'. Possible values: [{', '.join(c.upper() for c in _CODECS)}]"
            )
        self.compression = _CODECS[codec]

    def read_file(self, path: str) -> Iterator[pa.RecordBatch]:
        try:
            pf = pq.ParquetFile(path, coerce_int96_timestamp_unit="ns")
        except (pa.ArrowInvalid, OSError) as e:
            raise ConnectorError(f"Failed to read Parquet file '{path}': {e}") from None
        present = set(pf.schema_arrow.names)
        wanted = [n for n in self.schema.names if n in present]
        for batch in pf.iter_batches(columns=wanted, batch_size=65536):
            yield self._conform(batch, path)

    def _conform(self, batch: pa.RecordBatch, path: str) -> pa.RecordBatch:
        """Columns in schema order, cast to the declared types; absent columns are NULL."""
        arrays = []
        for f in self.schema:
            idx = batch.schema.get_field_index(f.name)
            if idx < 0:
                arrays.append(pa.nulls(batch.num_rows, f.type))
                continue
            col = batch.column(idx)
            try:
                arrays.append(col if col.type == f.type else col.cast(f.type))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
                raise ConnectorError(
                    f"Parquet file '{path}' column '{f.name}' of type {col.type} cannot be read as "
                    f"{f.type}: {e}"
                ) from None
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

    def open_writer(self, path: str) -> FileWriter:
        return _ParquetFileWriter(path, self.schema, self.compression)

    def duckdb_scan(
        self, con: duckdb.DuckDBPyConnection, paths: Sequence[str]
    ) -> duckdb.DuckDBPyRelation | None:
        if not paths:
            return None
        file_list = "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"
        projections = ", ".join(
            f'CAST("{f.name}" AS {duckdb_type(f.type)}) AS "{f.name}"' for f in self.schema
        )
        sql = f"SELECT {projections}, filename FROM read_parquet({file_list}, filename = true, union_by_name = true)"
        try:
            return con.sql(sql)
        except duckdb.Error:
            return None


class _ParquetFileWriter:
    def __init__(self, path: str, schema: pa.Schema, compression: str) -> None:
        self._writer = pq.ParquetWriter(
            path,
            schema.remove_metadata(),
            compression=compression,
            use_deprecated_int96_timestamps=True,
        )

    def write(self, batch: pa.RecordBatch) -> None:
        self._writer.write_batch(batch.replace_schema_metadata(None))

    def close(self) -> None:
        self._writer.close()


PARQUET = FormatFactory(
    identifier="parquet", options=OPTIONS, create=ParquetFormat, open_prefix=True
)
