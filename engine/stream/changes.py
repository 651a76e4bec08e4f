"""Change batches: a relation's rows plus a weight column (the z-set model).

Inside the streaming engine every delta is an Arrow table with the relation's columns, named
`c0..cN` by position as in the batch lowering, followed by the int64 column `_w`: `+1` inserts a
row, `-1` deletes one, larger magnitudes are counts. Union is concatenation and negation flips the
weights, so linear operators never look at the weights; `consolidate` sums the weights of equal rows
and drops rows whose weight becomes zero, which is how "no change" disappears from an output.
Row kinds (+I -U +U -D) exist only at the edges (`engine.stream.rowkinds`).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

WEIGHT = "_w"


def column_names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


def with_weight(data: pa.Table | pa.RecordBatch, weight: int | pa.Array = 1) -> pa.Table:
    """Positional columns c0..cN of `data` plus a weight column (constant `weight` or an array)."""
    table = data if isinstance(data, pa.Table) else pa.Table.from_batches([data])
    weights = pa.array([weight] * table.num_rows, pa.int64()) if isinstance(weight, int) else weight
    arrays = [*table.columns, weights]
    return pa.Table.from_arrays(arrays, names=[*column_names(table.num_columns), WEIGHT])


def negate(delta: pa.Table) -> pa.Table:
    import pyarrow.compute as pc

    i = delta.schema.get_field_index(WEIGHT)
    return delta.set_column(i, WEIGHT, pc.negate(delta.column(i)))


def concat(deltas: Sequence[pa.Table]) -> pa.Table | None:
    """Concatenate deltas of one relation (None when there is nothing)."""
    parts = [d for d in deltas if d is not None and d.num_rows]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    schema = parts[0].schema
    return pa.concat_tables([p if p.schema == schema else p.cast(schema) for p in parts])


def consolidate(con: duckdb.DuckDBPyConnection, delta: pa.Table) -> pa.Table:
    """Sum the weights of equal rows, drop zero weights, keep rows in first-occurrence order.

    Rows compare with SQL's GROUP BY equality (NULLs equal), so an update that restores a value
    cancels out and no message is emitted for it.
    """
    if delta.num_rows <= 1:
        return delta.filter(_nonzero(delta)) if delta.num_rows else delta
    cols = ", ".join(f'"{c}"' for c in delta.column_names[:-1])
    name = f"_consolidate_{id(delta)}"
    con.register(name, delta)
    try:
        sql = (
            f"SELECT {cols}, CAST(sum({WEIGHT}) AS BIGINT) AS {WEIGHT} FROM "
            f"(SELECT *, row_number() OVER () AS _seq FROM {name}) "
            f"GROUP BY ALL HAVING sum({WEIGHT}) <> 0 ORDER BY min(_seq)"
        )
        if not cols:
            sql = (
                f"SELECT CAST(sum({WEIGHT}) AS BIGINT) AS {WEIGHT} FROM {name} "
                f"HAVING sum({WEIGHT}) <> 0"
            )
        out = con.sql(sql).to_arrow_table()
    finally:
        con.unregister(name)
    return out.cast(delta.schema) if out.schema != delta.schema else out


def difference(con: duckdb.DuckDBPyConnection, old: pa.Table, new: pa.Table) -> pa.Table | None:
    """The change from result `old` to result `new` (plain row tables): `new - old`, consolidated,
    so rows present in both cancel; None when nothing changed."""
    parts = [negate(with_weight(old))] if old.num_rows else []
    if new.num_rows:
        parts.append(with_weight(new))
    out = concat(parts)
    if out is None:
        return None
    out = consolidate(con, out)
    return out if out.num_rows else None


def _nonzero(delta: pa.Table) -> pa.Array:
    import pyarrow.compute as pc

    return pc.not_equal(delta.column(WEIGHT), 0)


def expand(delta: pa.Table) -> pa.Table:
    """The rows of a delta with only positive weights, each repeated `weight` times (no weights)."""
    import pyarrow.compute as pc

    weights = delta.column(WEIGHT)
    if pc.min(weights).as_py() < 0:
        raise ValueError("expand() of a delta with retractions")
    rows = delta.drop_columns([WEIGHT])
    if pc.all(pc.equal(weights, 1)).as_py():
        return rows
    index = pa.array([i for i, w in enumerate(weights.to_pylist()) for _ in range(w)], pa.int64())
    return rows.take(index)
