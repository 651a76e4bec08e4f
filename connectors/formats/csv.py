"""Flink's `csv` format: no header, fields by position, RFC-4180 quoting with Flink's options.

Reading parses the whole file with pyarrow.csv into text columns, then converts each column with
`text_parse` (Flink's per-type rules); writing builds each column's text with `text_format` and
joins the columns with Arrow kernels, so no step loops over rows in Python except error reporting.
"""

from __future__ import annotations

import csv as pycsv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from connectors.api import ConnectorError
from connectors.formats.base import FileWriter, FormatFactory
from connectors.formats.text_format import base64_texts, scalar_texts, unsupported
from connectors.formats.text_parse import first_bad_row, parse_column
from connectors.options import parse_bool, parse_char
from planner.arrow_types import from_arrow_field
from planner.types import FlinkType

OPTIONS = frozenset(
    {
        "csv.field-delimiter",
        "csv.disable-quote-character",
        "csv.quote-character",
        "csv.allow-comments",
        "csv.ignore-parse-errors",
        "csv.array-element-delimiter",
        "csv.escape-character",
        "csv.null-literal",
        "csv.write-bigdecimal-in-scientific-notation",
    }
)


@dataclass(frozen=True)
class CsvOptions:
    delimiter: str = ","
    quote: str | None = '"'
    allow_comments: bool = False
    ignore_parse_errors: bool = False
    array_delimiter: str = ";"
    escape: str | None = None
    null_literal: str | None = None
    scientific_decimal: bool = True


def csv_options(options: Mapping[str, str]) -> CsvOptions:
    disable_quote = parse_bool(options, "csv.disable-quote-character", False)
    if disable_quote and "csv.quote-character" in options:
        raise ConnectorError(
            "Format cannot define a quote character and disabled quote character at the same time."
        )
    return CsvOptions(
        delimiter=parse_char(options, "csv.field-delimiter", ",") or ",",
        quote=None if disable_quote else parse_char(options, "csv.quote-character", '"'),
        allow_comments=parse_bool(options, "csv.allow-comments", False),
        ignore_parse_errors=parse_bool(options, "csv.ignore-parse-errors", False),
        array_delimiter=options.get("csv.array-element-delimiter", ";"),
        escape=parse_char(options, "csv.escape-character", None),
        null_literal=options.get("csv.null-literal"),
        scientific_decimal=parse_bool(options, "csv.write-bigdecimal-in-scientific-notation", True),
    )


class CsvFormat:
    """The csv format configured for one table's data columns."""

    def __init__(self, schema: pa.Schema, options: Mapping[str, str]) -> None:
        self.schema = schema
        self.opts = csv_options(options)
        self.types = [from_arrow_field(f) for f in schema]
        for t in self.types:
            if t.name in ("MAP", "MULTISET", "ROW") or (
                t.name == "ARRAY" and t.children[0].name in ("ARRAY", "MAP", "ROW", "MULTISET")
            ):
                raise unsupported(t, "csv")

    # ------------------------------------------------------------------ reading

    def _physical_lines(self, data: bytes) -> list[tuple[int, list[str]]]:
        """(line number, fields) of each record, via Python's csv module; for error reports only."""
        text = data.decode("utf-8", errors="replace")
        kwargs: dict[str, object] = {"delimiter": self.opts.delimiter}
        if self.opts.quote is None:
            kwargs["quoting"] = pycsv.QUOTE_NONE
        else:
            kwargs["quotechar"] = self.opts.quote
        if self.opts.escape:
            kwargs["escapechar"] = self.opts.escape
        reader = pycsv.reader(io.StringIO(text), **kwargs)  # type: ignore[call-overload]
        out = []
        for fields in reader:
            if not fields or (self.opts.allow_comments and fields[0].startswith("#")):
                continue
            out.append((reader.line_num, fields))
        return out

    def _strip_comments(self, data: bytes) -> bytes:
        if not self.opts.allow_comments or b"#" not in data:
            return data
        return b"".join(
            line for line in data.splitlines(keepends=True) if not line.startswith(b"#")
        )

    def read_file(self, path: str) -> Iterator[pa.RecordBatch]:
        with open(path, "rb") as f:
            data = f.read()
        table = self._read_text_columns(path, data)
        yield from self._convert(path, data, table).to_batches()

    def _read_text_columns(self, path: str, data: bytes) -> pa.Table:
        names = self.schema.names
        bad_rows: list[pacsv.InvalidRow] = []

        def on_invalid(row: pacsv.InvalidRow) -> str:
            bad_rows.append(row)
            return "skip"

        parse = pacsv.ParseOptions(
            delimiter=self.opts.delimiter,
            quote_char=self.opts.quote if self.opts.quote is not None else False,
            escape_char=self.opts.escape if self.opts.escape else False,
            newlines_in_values=True,
            invalid_row_handler=on_invalid,
        )
        convert = pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            null_values=[self.opts.null_literal] if self.opts.null_literal is not None else [],
            strings_can_be_null=self.opts.null_literal is not None,
            quoted_strings_can_be_null=False,
        )
        body = self._strip_comments(data)
        if not body.strip():
            return pa.table({n: pa.array([], pa.string()) for n in names})
        try:
            table = pacsv.read_csv(
                io.BytesIO(body),
                read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
                parse_options=parse,
                convert_options=convert,
            )
        except pa.ArrowInvalid as e:
            raise ConnectorError(f"Failed to read CSV file '{path}': {e}") from None
        if bad_rows and not self.opts.ignore_parse_errors:
            row = bad_rows[0]
            line = self._line_of_text(data, row.text) or row.number
            if row.actual_columns > row.expected_columns:
                why = f"Too many entries: expected at most {row.expected_columns}"
            else:
                why = f"Row length mismatch. {row.expected_columns} fields expected but was {row.actual_columns}"
            raise ConnectorError(
                f"Failed to deserialize CSV row '{row.text}' in file '{path}' at line {line}: {why}."
            )
        return table

    def _line_of_text(self, data: bytes, text: str) -> int | None:
        for i, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
            if line == text:
                return i
        return None

    def _convert(self, path: str, data: bytes, table: pa.Table) -> pa.Table:
        columns: list[pa.Array] = []
        for i, (f, t) in enumerate(zip(self.schema, self.types)):
            strings = table.column(i).combine_chunks()
            # An empty field is an empty text: a parse error for every non-string type (Flink's
            # `For input string: ""`), NULL under ignore-parse-errors.
            values, bad = self._parse(strings, t, f.type)
            row = first_bad_row(bad)
            if row is not None and not self.opts.ignore_parse_errors:
                line, fields = self._physical_lines(data)[row]
                raise ConnectorError(
                    f"Failed to deserialize CSV row '{self.opts.delimiter.join(fields)}' in file "
                    f"'{path}' at line {line}: cannot parse '{strings[row].as_py()}' as "
                    f"{t.summary()} for field '{f.name}'."
                )
            columns.append(values)
        return pa.Table.from_arrays(columns, schema=self.schema)

    def _parse(
        self, strings: pa.Array, t: FlinkType, target: pa.DataType
    ) -> tuple[pa.Array, pa.Array]:
        if t.name in ("BINARY", "VARBINARY"):
            import base64
            import binascii

            out, bad = [], []
            for v in strings.to_pylist():
                try:
                    out.append(None if v is None else base64.b64decode(v, validate=True))
                    bad.append(False)
                except (binascii.Error, ValueError):
                    out.append(None)
                    bad.append(True)
            return pa.array(out, target), pa.array(bad)
        if t.name == "ARRAY":
            split = pc.split_pattern(strings, self.opts.array_delimiter)
            flat = pc.list_flatten(split)
            values, bad = self._parse(flat, t.children[0], target.value_type)
            offsets = split.offsets
            arr = pa.ListArray.from_arrays(offsets, values, type=target, mask=pc.is_null(split))
            parents = pc.list_parent_indices(split)
            row_bad = np.zeros(len(strings), bool)
            row_bad[np.asarray(parents)[np.asarray(bad.to_numpy(zero_copy_only=False))]] = True
            return arr, pa.array(row_bad)
        return parse_column(strings, t, target, lenient_date_time=True)

    # ------------------------------------------------------------------ writing

    def encode(self, batch: pa.RecordBatch) -> bytes:
        """The CSV text of `batch`, one line per row."""
        if batch.num_rows == 0:
            return b""
        texts = [self._column_text(batch.column(i), t) for i, t in enumerate(self.types)]
        null = self.opts.null_literal if self.opts.null_literal is not None else ""
        lines = pc.binary_join_element_wise(
            *texts,
            pa.array([""] * batch.num_rows),
            self.opts.delimiter,
            null_handling="replace",
            null_replacement=null,
        )
        lines = pc.binary_join_element_wise(lines, "\n", "")
        # The separator was appended after the last column; drop it before the newline.
        lines = pc.replace_substring_regex(
            lines, "^(.*)" + _escape_re(self.opts.delimiter) + "\n$", "\\1\n"
        )
        buffers = lines.buffers()
        offsets = np.frombuffer(buffers[1], dtype=np.int32)[
            lines.offset : lines.offset + len(lines) + 1
        ]
        return buffers[2].to_pybytes()[offsets[0] : offsets[-1]]

    def _column_text(self, arr: pa.Array, t: FlinkType) -> pa.Array:
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if t.name in ("BINARY", "VARBINARY"):
            return self._quote(base64_texts(arr))
        if t.name == "ARRAY":
            inner = self._element_texts(arr.values, t.children[0])
            joined = pc.binary_join(
                pa.ListArray.from_arrays(
                    arr.offsets, pc.fill_null(inner, ""), mask=pc.is_null(arr)
                ),
                self.opts.array_delimiter,
            )
            return self._quote(joined)
        text = scalar_texts(arr, t, plain_decimal=not self.opts.scientific_decimal)
        if text is None:
            raise unsupported(t, "csv")
        textual = ("CHAR", "VARCHAR", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ")
        return self._quote(text) if t.name in textual else text

    def _element_texts(self, arr: pa.Array, t: FlinkType) -> pa.Array:
        if t.name in ("BINARY", "VARBINARY"):
            return base64_texts(arr)
        text = scalar_texts(arr, t, plain_decimal=not self.opts.scientific_decimal)
        if text is None:
            raise unsupported(t, "csv")
        return text

    def _quote(self, text: pa.Array) -> pa.Array:
        """Quote text the way Jackson's CSV writer does, doubling embedded quotes.

        Jackson quotes a text value as soon as it holds any character below its "minimum safe
        character": one past the largest of the delimiter, the quote and the line separator. With
        the defaults that is any character before '-' (space, '!', '#', '+', ',', '"', ...).
        """
        q = self.opts.quote
        if q is None:
            return text
        min_safe = max(ord(self.opts.delimiter), ord(q), ord("\n")) + 1
        specials = f"[\\x{{0}}-\\x{{{min_safe - 1:x}}}]"
        needs = pc.fill_null(pc.match_substring_regex(text, specials), False)
        quoted = pc.binary_join_element_wise(q, pc.replace_substring(text, q, q + q), q, "")
        return pc.if_else(needs, quoted, text)

    def open_writer(self, path: str) -> FileWriter:
        return _TextFileWriter(path, self.encode)

    def duckdb_scan(
        self, con: duckdb.DuckDBPyConnection, paths: Sequence[str]
    ) -> duckdb.DuckDBPyRelation | None:
        # DuckDB's CSV sniffing and type parsing differ from Flink's rules (booleans, empty
        # fields, timestamp text); batches() is the single source of truth for CSV.
        return None


def _escape_re(chars: str) -> str:
    return "".join("\\" + c if not c.isalnum() else c for c in chars)


class _TextFileWriter:
    """Appends encoded batches to a file (row formats: csv, json)."""

    def __init__(self, path: str, encode) -> None:  # type: ignore[no-untyped-def]
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._encode = encode

    def write(self, batch: pa.RecordBatch) -> None:
        self._file.write(self._encode(batch))

    def close(self) -> None:
        self._file.close()


CSV = FormatFactory(identifier="csv", options=OPTIONS, create=CsvFormat)
