"""The datagen source: whole batches of generated rows.

Batch mode (`batches()`) generates as fast as it can, as Flink's batch runtime does not throttle.
The streaming runtime reads `stream()`, which keeps to `rows-per-second` by wall clock: row i is
due `i / rows-per-second` seconds after the start, each step yields the rows due by now (at most
one batch) and None while none is due, so the runtime's loop is never blocked by a sleep.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import duckdb
import numpy as np
import pyarrow as pa

from connectors.api import ConnectorError, TableSpec
from connectors.datagen.generators import (
    Generator,
    random_generator,
    sequence_generator,
    sequence_range,
)
from connectors.datagen.options import kind_of
from connectors.options import parse_int
from planner.arrow_types import from_arrow_field

BATCH_ROWS = 8192


class Clock(Protocol):
    """Time as datagen sees it: injectable so tests control throttling and generated timestamps."""

    def now_ms(self) -> int: ...

    def sleep(self, seconds: float) -> None: ...


@dataclass
class SystemClock:
    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class DataGenSource:
    """Generates `total_rows` rows (None = forever) in batches of at most `batch_rows`.

    `stream()` keeps to `rows_per_second` without blocking; `batches()` ignores the rate in batch
    mode and, for a direct reader of a streaming table, keeps to it by sleeping between batches.
    """

    spec: TableSpec
    generators: dict[str, Generator]
    total_rows: int | None
    rows_per_second: int
    clock: Clock = field(default_factory=SystemClock)
    seed: int | None = None
    batch_rows: int = BATCH_ROWS

    declared_rows: int | None = None

    @property
    def bounded(self) -> bool:  # type: ignore[override]
        """Flink 2.x plans datagen as bounded only when `number-of-rows` is set; a sequence field
        still ends the generation when it runs out, but does not make the table bounded."""
        return self.declared_rows is not None

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        names = list(columns) if columns is not None else self.spec.schema.names
        unknown = [n for n in names if n not in self.generators]
        if unknown:
            raise ConnectorError(
                f"Unknown column(s) {', '.join(unknown)} in table {self.spec.name}."
            )
        schema = pa.schema([self.spec.schema.field(n) for n in names])
        rng = np.random.default_rng(self.seed)
        throttle = self.spec.runtime_mode == "streaming"
        size = min(self.batch_rows, self.rows_per_second) if throttle else self.batch_rows
        offset = 0
        started = self.clock.now_ms()
        while self.total_rows is None or offset < self.total_rows:
            n = size if self.total_rows is None else min(size, self.total_rows - offset)
            now = self.clock.now_ms()
            arrays = [self.generators[name](rng, offset, n, now) for name in names]
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)
            offset += n
            if throttle:
                due_ms = started + offset * 1000 / self.rows_per_second
                wait = (due_ms - self.clock.now_ms()) / 1000
                if wait > 0:
                    self.clock.sleep(wait)

    def stream(self) -> Iterator[pa.RecordBatch | None]:
        """Rows paced at `rows_per_second` by the clock; ends after `total_rows` (if any).

        Flink's generator emits row by row through a rate limiter whose first permit is
        immediate; we emit, at each step, every row whose time has come (the first one at the
        start), so the rate is kept on average whatever the runtime's step frequency is.
        """
        names = self.spec.schema.names
        schema = self.spec.schema
        rng = np.random.default_rng(self.seed)
        offset = 0
        started = self.clock.now_ms()
        while self.total_rows is None or offset < self.total_rows:
            now = self.clock.now_ms()
            due = (now - started) * self.rows_per_second // 1000 + 1
            if self.total_rows is not None:
                due = min(due, self.total_rows)
            n = min(due - offset, self.batch_rows)
            if n <= 0:
                yield None
                continue
            arrays = [self.generators[name](rng, offset, n, now) for name in names]
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)
            offset += n

    def duckdb_scan(
        self, con: duckdb.DuckDBPyConnection, columns: Sequence[str] | None = None
    ) -> duckdb.DuckDBPyRelation | None:
        return None


def build_source(
    spec: TableSpec, clock: Clock | None = None, seed: int | None = None
) -> DataGenSource:
    """The datagen source for `spec`: per-field generators, row count and boundedness."""
    options = spec.options
    rows_per_second = parse_int(options, "rows-per-second", 10000) or 0
    if rows_per_second <= 0:
        raise ConnectorError(
            f"Option 'rows-per-second' must be positive, got '{options.get('rows-per-second')}'."
        )
    number_of_rows = parse_int(options, "number-of-rows")
    if number_of_rows is not None and number_of_rows < 0:
        raise ConnectorError(
            f"Option 'number-of-rows' must not be negative, got '{number_of_rows}'."
        )
    generators: dict[str, Generator] = {}
    limits = [number_of_rows] if number_of_rows is not None else []
    for f in spec.schema:
        t = from_arrow_field(f)
        prefix = f"fields.{f.name}"
        if kind_of(options, f.name) == "sequence" and t.name != "BOOLEAN":
            seq = sequence_range(prefix, options)
            limits.append(seq.count)
            generators[f.name] = sequence_generator(t, f.type, seq)
        else:
            generators[f.name] = random_generator(prefix, t, f.type, options)
    total = min(limits) if limits else None
    source = DataGenSource(
        spec,
        generators,
        total,
        rows_per_second,
        clock or SystemClock(),
        seed,
        declared_rows=number_of_rows,
    )
    if spec.runtime_mode == "batch" and not source.bounded:
        raise ConnectorError(
            f"Querying an unbounded table '{spec.name}' in batch mode is not allowed. "
            "The table source is unbounded."
        )
    return source
