"""The `blackhole` connector: a sink that accepts every change and keeps nothing (for benchmarks)."""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from connectors.api import ConnectorFactory, Sink, TableSpec


class BlackholeSink:
    """Consumes inserts, updates and deletes alike and discards them."""

    accepts = "all"

    def open(
        self, *, overwrite: bool = False, static_partitions: Mapping[str, str] | None = None
    ) -> None:
        pass

    def write(self, batch: pa.RecordBatch, row_kinds: pa.Array | None = None) -> None:
        pass

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


def _create_sink(spec: TableSpec) -> Sink:
    return BlackholeSink()


BLACKHOLE = ConnectorFactory(
    identifier="blackhole",
    required_options=frozenset(),
    optional_options=frozenset(),
    create_source=None,
    create_sink=_create_sink,
)
