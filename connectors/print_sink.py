"""The `print` connector: writes every change as Flink's `+I[..]` line to stdout or stderr."""

from __future__ import annotations

import sys
from collections.abc import Mapping

import pyarrow as pa

from connectors.api import ConnectorError, ConnectorFactory, Sink, TableSpec
from connectors.options import parse_bool, parse_positive_int
from connectors.row_text import row_lines
from planner.arrow_types import from_arrow_field


class PrintSink:
    """Prints rows as Flink's print connector does, prefixed by `identifier> ` when one is set.

    The stream is looked up (`sys.stdout`/`sys.stderr`) at every write, so callers that swap the
    stream (tests, the shell's pager) capture the output.
    """

    accepts = "all"

    def __init__(self, spec: TableSpec) -> None:
        self.prefix = (
            f"{spec.options['print-identifier']}> " if "print-identifier" in spec.options else ""
        )
        self.to_stderr = parse_bool(spec.options, "standard-error", False)
        self.types = [from_arrow_field(f) for f in spec.schema]

    def open(
        self, *, overwrite: bool = False, static_partitions: Mapping[str, str] | None = None
    ) -> None:
        if overwrite:
            raise ConnectorError("The print sink does not support INSERT OVERWRITE.")

    def write(self, batch: pa.RecordBatch, row_kinds: pa.Array | None = None) -> None:
        if batch.num_rows == 0:
            return
        stream = sys.stderr if self.to_stderr else sys.stdout
        lines = row_lines(batch, row_kinds, self.types)
        stream.write("".join(f"{self.prefix}{line}\n" for line in lines))

    def close(self) -> None:
        (sys.stderr if self.to_stderr else sys.stdout).flush()

    def abort(self) -> None:
        pass


def _create_sink(spec: TableSpec) -> Sink:
    if "sink.parallelism" in spec.options:
        parse_positive_int(spec.options, "sink.parallelism")
    return PrintSink(spec)


PRINT = ConnectorFactory(
    identifier="print",
    required_options=frozenset(),
    optional_options=frozenset({"print-identifier", "standard-error", "sink.parallelism"}),
    create_source=None,
    create_sink=_create_sink,
)
