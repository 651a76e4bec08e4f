"""What the filesystem connector needs from a file format, and how formats are looked up.

A format decodes one whole file into Arrow batches and encodes batches into one file; it knows its
own options (`csv.*`, `json.*`, `parquet.*`) and validates them with Flink's message shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import duckdb
import pyarrow as pa

from connectors.api import ConnectorError


class FileWriter(Protocol):
    """Appends batches to one file; `close()` finishes it (footer, flush)."""

    def write(self, batch: pa.RecordBatch) -> None: ...

    def close(self) -> None: ...


class FileFormat(Protocol):
    """A configured format for one table's data columns (`schema`: physical, non-partition).

    A changelog format (debezium-json, canal-json) also has `changelog = True` and
    `read_changes(path)` yielding `(batch, row_kinds)`; its `read_file` refuses, since its rows
    are not all inserts. See `ChangelogFileFormat`.
    """

    def read_file(self, path: str) -> Iterator[pa.RecordBatch]: ...

    def open_writer(self, path: str) -> FileWriter: ...

    def duckdb_scan(
        self, con: duckdb.DuckDBPyConnection, paths: Sequence[str]
    ) -> duckdb.DuckDBPyRelation | None: ...


class ChangelogFileFormat(FileFormat, Protocol):
    """A format whose files hold change rows: `read_changes` yields (batch, int8 row kinds)."""

    changelog: bool

    def read_changes(self, path: str) -> Iterator[tuple[pa.RecordBatch, pa.Array]]: ...


def is_changelog(fmt: FileFormat) -> bool:
    """Whether `fmt` produces row kinds other than +I (and must be read through `read_changes`)."""
    return bool(getattr(fmt, "changelog", False))


@dataclass(frozen=True)
class FormatFactory:
    """A format: its identifier, its full option keys and how to build it for a schema.

    `open_prefix` formats (parquet) also pass through any `<identifier>.*` key they cannot list.
    """

    identifier: str
    options: frozenset[str]
    create: Callable[[pa.Schema, Mapping[str, str]], FileFormat]
    open_prefix: bool = False


def _factories() -> dict[str, FormatFactory]:
    from connectors.formats.canal_json import CANAL_JSON
    from connectors.formats.csv import CSV
    from connectors.formats.debezium_json import DEBEZIUM_JSON
    from connectors.formats.json import JSON
    from connectors.formats.parquet import PARQUET

    return {f.identifier: f for f in (CANAL_JSON, CSV, DEBEZIUM_JSON, JSON, PARQUET)}


def get_format(identifier: str) -> FormatFactory:
    factories = _factories()
    if identifier not in factories:
        raise ConnectorError(
            f"Could not find any format factory for identifier '{identifier}' in the classpath.\n\n"
            "Available factory identifiers are:\n\n" + "\n".join(sorted(factories))
        )
    return factories[identifier]


def validate_format_options(factory: FormatFactory, options: Mapping[str, str]) -> None:
    """Reject unknown `<format>.*` keys, listing the format's supported keys like Flink does."""
    if factory.open_prefix:
        return
    prefix = factory.identifier + "."
    unknown = sorted(k for k in options if k.startswith(prefix) and k not in factory.options)
    if unknown:
        raise ConnectorError(
            f"Unsupported options found for '{factory.identifier}'.\n\n"
            "Unsupported options:\n\n" + "\n".join(unknown) + "\n\n"
            "Supported options:\n\n" + "\n".join(sorted(factory.options))
        )
