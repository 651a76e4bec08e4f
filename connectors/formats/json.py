"""Flink's `json` format: one JSON object per line, fields matched by name.

Reading takes a whole-file pyarrow.json fast path when the file's values already have the
declared JSON types; otherwise (strings holding numbers, numbers in string columns, maps, bad
lines, `fail-on-missing-field`) it decodes line by line with Flink's lenient per-type rules,
which is per-row Python by necessity. Writing builds each column's JSON text with Arrow kernels
and only nested values (arrays, maps, rows) and binary go through per-value Python.
"""

from __future__ import annotations

import io
import json as pyjson
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from connectors.api import ConnectorError
from connectors.formats.base import FileWriter, FormatFactory
from connectors.formats.csv import _TextFileWriter
from connectors.formats.json_values import JsonDecodeError, decode_value, encode_value
from connectors.formats.text_format import json_string_literals, scalar_texts
from connectors.formats.text_parse import parse_column
from connectors.options import parse_bool, parse_choice
from planner.arrow_types import from_arrow_field
from planner.types import FlinkType

OPTIONS = frozenset(
    {
        "json.fail-on-missing-field",
        "json.ignore-parse-errors",
        "json.timestamp-format.standard",
        "json.map-null-key.mode",
        "json.map-null-key.literal",
        "json.encode.decimal-as-plain-number",
        "json.encode.ignore-null-fields",
        "json.decode.json-parser.enabled",
    }
)
_FAST_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INT",
    "BIGINT",
    "FLOAT",
    "DOUBLE",
    "BOOLEAN",
    "CHAR",
    "VARCHAR",
}
_TEXT_TYPES = {"DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ"}


@dataclass(frozen=True)
class JsonOptions:
    fail_on_missing_field: bool = False
    ignore_parse_errors: bool = False
    timestamp_standard: str = "SQL"
    map_null_key_mode: str = "FAIL"
    map_null_key_literal: str = "null"
    decimal_plain: bool = False
    ignore_null_fields: bool = False

    @property
    def timestamp_sep(self) -> str:
        return "T" if self.timestamp_standard == "ISO-8601" else " "


def json_options(options: Mapping[str, str]) -> JsonOptions:
    fail = parse_bool(options, "json.fail-on-missing-field", False)
    ignore = parse_bool(options, "json.ignore-parse-errors", False)
    if fail and ignore:
        raise ConnectorError(
            "fail-on-missing-field and ignore-parse-errors shouldn't both be true."
        )
    return JsonOptions(
        fail_on_missing_field=fail,
        ignore_parse_errors=ignore,
        timestamp_standard=parse_choice(
            options, "json.timestamp-format.standard", ("SQL", "ISO-8601"), "SQL"
        ),
        map_null_key_mode=parse_choice(
            options, "json.map-null-key.mode", ("FAIL", "DROP", "LITERAL"), "FAIL"
        ),
        map_null_key_literal=options.get("json.map-null-key.literal", "null"),
        decimal_plain=parse_bool(options, "json.encode.decimal-as-plain-number", False),
        ignore_null_fields=parse_bool(options, "json.encode.ignore-null-fields", False),
    )


class FieldDecodeError(Exception):
    """A field of a JSON object that cannot become its column's value (the message names it)."""


def decode_fields(
    obj: Mapping[str, Any], names: Sequence[str], types: Sequence[FlinkType], opts: JsonOptions
) -> list[Any]:
    """One JSON object's fields, by name, as Python values of the columns' Flink types.

    This is Flink's JSON row converter, shared by every JSON-based format (json, debezium-json,
    canal-json): a missing field is NULL (or an error under `fail-on-missing-field`), a field
    whose value does not fit its type is an error, or NULL under `ignore-parse-errors`.
    """
    row: list[Any] = []
    for name, t in zip(names, types):
        if name not in obj:
            if opts.fail_on_missing_field:
                raise FieldDecodeError(f"Could not find field with name '{name}'.")
            row.append(None)
            continue
        try:
            row.append(decode_value(obj[name], t, opts.timestamp_sep))
        except JsonDecodeError as e:
            if opts.ignore_parse_errors:
                row.append(None)  # Flink sets a field that fails to parse to NULL
                continue
            raise FieldDecodeError(f"cannot parse field '{name}' as {t.summary()}: {e}") from None
    return row


class JsonFormat:
    """The json format configured for one table's data columns."""

    def __init__(self, schema: pa.Schema, options: Mapping[str, str]) -> None:
        self.schema = schema
        self.opts = json_options(options)
        self.types = [from_arrow_field(f) for f in schema]

    # ------------------------------------------------------------------ reading

    def read_file(self, path: str) -> Iterator[pa.RecordBatch]:
        with open(path, "rb") as f:
            data = f.read()
        table = self._fast_read(data) if self._fast_path_possible() else None
        if table is None:
            table = self._slow_read(path, data)
        yield from table.to_batches()

    def _fast_path_possible(self) -> bool:
        return not self.opts.fail_on_missing_field and all(
            t.name in _FAST_TYPES | _TEXT_TYPES for t in self.types
        )

    def _fast_read(self, data: bytes) -> pa.Table | None:
        """Whole-file pyarrow.json read; None when the data needs Flink's lenient rules."""
        if not data.strip():
            return pa.Table.from_batches([], schema=self.schema)
        read_types = [
            pa.string() if t.name in _TEXT_TYPES else f.type
            for f, t in zip(self.schema, self.types)
        ]
        explicit = pa.schema([pa.field(f.name, rt) for f, rt in zip(self.schema, read_types)])
        try:
            raw = pajson.read_json(
                io.BytesIO(data),
                read_options=pajson.ReadOptions(use_threads=True),
                parse_options=pajson.ParseOptions(
                    explicit_schema=explicit, unexpected_field_behavior="ignore"
                ),
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        columns = []
        for f, t in zip(self.schema, self.types):
            col = raw.column(f.name).combine_chunks()
            if t.name in _TEXT_TYPES:
                col, bad = parse_column(col, t, f.type, timestamp_sep=self.opts.timestamp_sep)
                if pc.any(bad).as_py():
                    return None
            columns.append(col)
        return pa.Table.from_arrays(columns, schema=self.schema)

    def _slow_read(self, path: str, data: bytes) -> pa.Table:
        names = self.schema.names
        values: list[list[Any]] = [[] for _ in names]
        for line_no, raw_line in enumerate(data.decode("utf-8").splitlines(), start=1):
            line = raw_line.strip()
            if not line:
                continue
            try:
                obj = pyjson.loads(line, parse_float=Decimal)
                if not isinstance(obj, dict):
                    raise JsonDecodeError("a JSON object is expected")
            except (ValueError, JsonDecodeError) as e:
                if self.opts.ignore_parse_errors:
                    continue
                raise ConnectorError(
                    f"Failed to deserialize JSON '{raw_line}' in file '{path}' at line {line_no}: {e}"
                ) from None
            try:
                row = decode_fields(obj, names, self.types, self.opts)
            except FieldDecodeError as e:
                raise ConnectorError(
                    f"Failed to deserialize JSON '{raw_line}' in file '{path}' at line "
                    f"{line_no}: {e}"
                ) from None
            for column, value in zip(values, row):
                column.append(value)
        arrays = [pa.array(v, f.type) for v, f in zip(values, self.schema)]
        return pa.Table.from_arrays(arrays, schema=self.schema)

    # ------------------------------------------------------------------ writing

    def encode(self, batch: pa.RecordBatch) -> bytes:
        if batch.num_rows == 0:
            return b""
        parts: list[pa.Array | str] = []
        for i, (f, t) in enumerate(zip(self.schema, self.types)):
            key = pyjson.dumps(f.name, ensure_ascii=False) + ":"
            parts.append(("{" if i == 0 else ",") + key)
            parts.append(pc.fill_null(self._column_json(batch.column(i), t), "null"))
        if not parts:
            return b"{}\n" * batch.num_rows
        parts.append("}\n")
        if self.opts.ignore_null_fields:
            return self._encode_skipping_nulls(batch)
        lines = pc.binary_join_element_wise(*parts, "")
        return _string_array_bytes(lines)

    def _encode_skipping_nulls(self, batch: pa.RecordBatch) -> bytes:
        texts = [
            self._column_json(batch.column(i), t).to_pylist() for i, t in enumerate(self.types)
        ]
        keys = [pyjson.dumps(n, ensure_ascii=False) for n in self.schema.names]
        out = []
        for r in range(batch.num_rows):
            fields = [f"{k}:{col[r]}" for k, col in zip(keys, texts) if col[r] is not None]
            out.append("{" + ",".join(fields) + "}\n")
        return "".join(out).encode()

    def _column_json(self, arr: pa.Array, t: FlinkType) -> pa.Array:
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if t.name in ("CHAR", "VARCHAR"):
            return json_string_literals(arr.cast(pa.string()))
        if t.name in ("DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ"):
            text = scalar_texts(arr, t, timestamp_sep=self.opts.timestamp_sep)
            assert text is not None
            return pc.binary_join_element_wise('"', text, '"', "")
        if t.name in ("FLOAT", "DOUBLE"):
            text = scalar_texts(arr, t)
            assert text is not None
            # Jackson writes non-finite doubles as quoted strings.
            special = pc.fill_null(
                pc.is_in(text, pa.array(["NaN", "Infinity", "-Infinity"])), False
            )
            return pc.if_else(special, pc.binary_join_element_wise('"', text, '"', ""), text)
        if t.name in ("TINYINT", "SMALLINT", "INT", "BIGINT", "BOOLEAN", "DECIMAL"):
            text = scalar_texts(arr, t, plain_decimal=self.opts.decimal_plain)
            assert text is not None
            return text
        # Nested and binary values: per value.
        return pa.array(
            [None if v is None else encode_value(v, t, self.opts) for v in _python_values(arr)],
            pa.string(),
        )

    def open_writer(self, path: str) -> FileWriter:
        return _TextFileWriter(path, self.encode)

    def duckdb_scan(
        self, con: duckdb.DuckDBPyConnection, paths: Sequence[str]
    ) -> duckdb.DuckDBPyRelation | None:
        # Flink's lenient coercions (strings holding numbers, raw JSON text for STRING fields)
        # differ from DuckDB's read_json; batches() is the single source of truth for JSON.
        return None


def _python_values(arr: pa.Array) -> list[Any]:
    return arr.to_pylist()


def _string_array_bytes(lines: pa.Array) -> bytes:
    buffers = lines.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[
        lines.offset : lines.offset + len(lines) + 1
    ]
    return buffers[2].to_pybytes()[offsets[0] : offsets[-1]]


JSON = FormatFactory(identifier="json", options=OPTIONS, create=JsonFormat)
