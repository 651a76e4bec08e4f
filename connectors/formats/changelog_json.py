"""What the CDC JSON formats (debezium-json, canal-json) share: lines in, change rows out.

Both formats read one JSON message per line and turn it into zero or more rows, each with a row
kind (+I, -U, +U, -D). Only the envelope differs (see `debezium_json` and `canal_json`); the row
values inside it are decoded by the json format's converter (`json.decode_fields`), so a column
type means the same in `json`, `debezium-json` and `canal-json`.

Flink collects a message's rows first and hands them on after the message is done, also when the
message failed under `ignore-parse-errors`: the rows decoded before the failure are kept. We do
the same by letting `decode_message` append to a list that survives the exception.
"""

from __future__ import annotations

import json as pyjson
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa

from connectors.api import ConnectorError
from connectors.formats.base import FileWriter
from connectors.formats.json import FieldDecodeError, JsonOptions, decode_fields
from connectors.options import parse_bool, parse_choice
from planner.arrow_types import from_arrow_field

INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE = 0, 1, 2, 3
"""Row kind codes, as in `Sink.write(row_kinds=...)` and the streaming runtime."""

BATCH_ROWS = 8192


def json_options_with_prefix(options: Mapping[str, str], prefix: str) -> JsonOptions:
    """The json converter's settings from `<prefix>.*` keys (`debezium-json.timestamp-format...`).

    The CDC formats never fail on a missing field (Flink builds their inner JSON reader with
    `failOnMissingField = false`); the encoding keys are accepted but only matter for writing.
    """
    return JsonOptions(
        fail_on_missing_field=False,
        ignore_parse_errors=parse_bool(options, f"{prefix}.ignore-parse-errors", False),
        timestamp_standard=parse_choice(
            options, f"{prefix}.timestamp-format.standard", ("SQL", "ISO-8601"), "SQL"
        ),
        map_null_key_mode=parse_choice(
            options, f"{prefix}.map-null-key.mode", ("FAIL", "DROP", "LITERAL"), "FAIL"
        ),
        map_null_key_literal=options.get(f"{prefix}.map-null-key.literal", "null"),
        decimal_plain=parse_bool(options, f"{prefix}.encode.decimal-as-plain-number", False),
        ignore_null_fields=parse_bool(options, f"{prefix}.encode.ignore-null-fields", False),
    )


class CorruptMessage(Exception):
    """A message the format cannot turn into rows; the text says why (Flink's cause)."""


class ChangelogJsonFormat:
    """Base of the CDC JSON formats: per-line decoding, row assembly and the error report.

    Subclasses set `identifier` and `display` (the name in Flink's "Corrupt <display> message")
    and implement `decode_message`.
    """

    identifier = ""
    display = ""
    changelog = True
    """Tells the filesystem source that rows come with row kinds (`read_changes`), not as inserts."""

    def __init__(self, schema: pa.Schema, options: Mapping[str, str]) -> None:
        self.schema = schema
        self.names = list(schema.names)
        self.types = [from_arrow_field(f) for f in schema]
        self.opts = json_options_with_prefix(options, self.identifier)

    # ------------------------------------------------------------------ decoding

    def decode_message(self, message: Any, out: list[tuple[int, list[Any]]]) -> None:
        """Append the (row kind, values) of one parsed message to `out`; raise CorruptMessage."""
        raise NotImplementedError

    def row(self, value: Any, what: str) -> list[Any] | None:
        """One row image (`after`, an element of `data`, ...) as column values; None for JSON null.

        A value that is not a JSON object is an error, or NULL (a missing row) under
        `ignore-parse-errors`, as Flink's nested row converter makes it.
        """
        if value is None:
            return None
        if not isinstance(value, dict):
            if self.opts.ignore_parse_errors:
                return None
            raise CorruptMessage(f"field '{what}' must be a JSON object")
        try:
            return decode_fields(value, self.names, self.types, self.opts)
        except FieldDecodeError as e:
            raise CorruptMessage(f"{e} (in '{what}')") from None

    def rows(self, value: Any, what: str) -> list[list[Any] | None] | None:
        """An array of row images (canal's `data`/`old`); None for JSON null or a missing field."""
        if value is None:
            return None
        if not isinstance(value, list):
            if self.opts.ignore_parse_errors:
                return None
            raise CorruptMessage(f"field '{what}' must be a JSON array")
        return [self.row(v, f"{what}[{i}]") for i, v in enumerate(value)]

    def read_changes(self, path: str) -> Iterator[tuple[pa.RecordBatch, pa.Array]]:
        """The file's change rows in order, as (batch, int8 row kinds) of at most BATCH_ROWS rows."""
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        pending: list[tuple[int, list[Any]]] = []
        for line_no, raw_line in enumerate(text.splitlines(), start=1):
            if not raw_line.strip():
                continue  # Flink skips empty messages (tombstones)
            out: list[tuple[int, list[Any]]] = []
            try:
                try:
                    message = pyjson.loads(raw_line, parse_float=Decimal)
                except ValueError as e:
                    raise CorruptMessage(f"invalid JSON: {e}") from None
                if not isinstance(message, dict):
                    raise CorruptMessage("a JSON object is expected")
                self.decode_message(message, out)
            except CorruptMessage as e:
                if not self.opts.ignore_parse_errors:
                    raise ConnectorError(
                        f"Corrupt {self.display} message '{raw_line}' in file '{path}' at line "
                        f"{line_no}: {e}"
                    ) from None
            pending.extend(out)
            if len(pending) >= BATCH_ROWS:
                yield self._batch(pending)
                pending = []
        if pending:
            yield self._batch(pending)

    def _batch(self, rows: Sequence[tuple[int, list[Any]]]) -> tuple[pa.RecordBatch, pa.Array]:
        columns = [
            pa.array([values[i] for _, values in rows], f.type) for i, f in enumerate(self.schema)
        ]
        kinds = pa.array([kind for kind, _ in rows], pa.int8())
        return pa.RecordBatch.from_arrays(columns, schema=self.schema), kinds

    # ------------------------------------------------------------------ not supported

    def read_file(self, path: str) -> Iterator[pa.RecordBatch]:
        """Insert-only reading has no meaning for a changelog; the source calls `read_changes`."""
        raise ConnectorError(
            f"The '{self.identifier}' format produces a changelog; it can only be read in "
            "streaming mode."
        )

    def open_writer(self, path: str) -> FileWriter:
        raise ConnectorError(
            f"Writing the '{self.identifier}' format is not supported by Freshet yet."
        )

    def duckdb_scan(
        self, con: duckdb.DuckDBPyConnection, paths: Sequence[str]
    ) -> duckdb.DuckDBPyRelation | None:
        return None


def text_of(value: Any) -> str:
    """Jackson's `asText()` of a JSON value: a string as is, JSON null as `null`, others as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return pyjson.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
