"""Rows from a Python iterable as a table's input: `TableEnvironment.from_iterator` (our extension).

A program that embeds the engine hands over any iterable, possibly endless (a generator reading a
socket, a queue ...). Items are `Row`s (their row kind counts in changelog modes), tuples, or
`pyarrow.RecordBatch`/`Table`s (inserts). In streaming mode every item becomes a step as soon as it
is produced, so a slow generator's rows are processed as they come (a generator that blocks holds up
the job: it runs on the job's thread). In batch mode the iterable must end; it is read whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa

from engine.row import Row

BATCH_ROWS = 4096


def _kind(item: object) -> int:
    return item.get_row_kind().value if isinstance(item, Row) else 0


def chunks(
    items: Iterable[object], schema: pa.Schema
) -> Iterator[tuple[pa.RecordBatch, pa.Array | None]]:
    """(batch, row kinds) per item; consecutive rows already produced are grouped up to BATCH_ROWS
    only when the iterable is a list or tuple (a generator's rows are passed on one by one)."""
    eager = isinstance(items, list | tuple)
    pending: list[object] = []

    def flush() -> tuple[pa.RecordBatch, pa.Array | None]:
        rows = [tuple(r) if isinstance(r, list | tuple) else (r,) for r in pending]
        columns = [
            pa.array([row[i] for row in rows], type=field.type) for i, field in enumerate(schema)
        ]
        kinds = [_kind(r) for r in pending]
        pending.clear()
        batch = pa.RecordBatch.from_arrays(columns, schema=schema)
        return batch, (pa.array(kinds, pa.int8()) if any(kinds) else None)

    for item in items:
        if isinstance(item, pa.RecordBatch | pa.Table):
            if pending:
                yield flush()
            table = item if isinstance(item, pa.Table) else pa.Table.from_batches([item])
            for batch in table.cast(schema).to_batches():
                yield batch, None
            continue
        pending.append(item)
        if not eager or len(pending) >= BATCH_ROWS:
            yield flush()
    if pending:
        yield flush()


def read_all(items: Iterable[object], schema: pa.Schema) -> pa.Table:
    """The whole (finite) iterable as one table of its inserted rows (batch mode)."""
    batches = []
    for batch, kinds in chunks(items, schema):
        if kinds is not None and any(k != 0 for k in kinds.to_pylist()):
            raise ValueError(
                "A changelog (rows with UPDATE/DELETE kinds) cannot be read in batch mode."
            )
        batches.append(batch)
    return pa.Table.from_batches(batches, schema=schema) if batches else schema.empty_table()
