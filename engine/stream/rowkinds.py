"""Row kinds at the edges: weights to Flink's +I/-U/+U/-D and back.

Encoding (the output edge, `collect()`, `print`, sinks): per unique key of the query, a key whose
rows were retracted and re-inserted in one batch becomes `-U old` then `+U new`, a lone insertion
`+I`, a lone retraction `-D`. Without a known unique key, retractions and insertions of one batch
are paired as updates in order (a retract consumer treats -U like -D and +U like +I, so only the
labels depend on this). For an upsert consumer keyed like the query, `-U` is left out.

Decoding (changelog sources): +I/+U become weight +1 and -U/-D weight -1.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import duckdb
import pyarrow as pa

from engine.stream.changes import WEIGHT, consolidate

INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE = 0, 1, 2, 3


def encode(
    delta: pa.Table,
    unique_key: Sequence[int] | None,
    upsert: bool = False,
    update_kinds: bool = True,
) -> tuple[pa.Table, list[int]]:
    """The rows (without weight, repeated by |weight|) and their row kinds, in emission order.

    Without `update_kinds` (Flink's Top-N without its rank column) a change is `-D` then `+I`.
    A delta with retractions is consolidated first: a projection may have made a retracted and
    an inserted row equal (a Top-N row whose rank changed, with the rank projected away).
    """
    weights = delta.column(WEIGHT).to_pylist()
    if all(w == 1 for w in weights):  # only insertions: nothing to pair, rows stay in order
        return delta.drop_columns([WEIGHT]), [INSERT] * len(weights)
    if delta.num_rows > 1 and min(weights) < 0:
        delta = consolidate(_edge_connection(), delta)
        weights = delta.column(WEIGHT).to_pylist()
    rows = delta.drop_columns([WEIGHT])
    if not update_kinds:
        minus = [i for i, w in enumerate(weights) if w < 0 for _ in range(-w)]
        plus = [i for i, w in enumerate(weights) if w > 0 for _ in range(w)]
        kinds = [DELETE] * len(minus) + [INSERT] * len(plus)
        return rows.take(pa.array(minus + plus, pa.int64())), kinds
    if unique_key is None:
        return _encode_unkeyed(rows, weights, upsert)
    key_columns = [rows.column(k).to_pylist() for k in unique_key]
    groups: dict[tuple, tuple[list[int], list[int]]] = {}
    for i, w in enumerate(weights):
        key = tuple(_hashable(c[i]) for c in key_columns)
        minus, plus = groups.setdefault(key, ([], []))
        (plus if w > 0 else minus).extend([i] * abs(w))
    order: list[int] = []
    kinds: list[int] = []
    for minus, plus in groups.values():
        if minus and plus:
            if not upsert:
                order += minus
                kinds += [UPDATE_BEFORE] * len(minus)
            order += plus
            kinds += [UPDATE_AFTER] * len(plus)
        elif minus:
            order += minus
            kinds += [DELETE] * len(minus)
        else:
            order += plus
            kinds += [INSERT] * len(plus)
    return rows.take(pa.array(order, pa.int64())), kinds


def _encode_unkeyed(rows: pa.Table, weights: list[int], upsert: bool) -> tuple[pa.Table, list[int]]:
    minus = [i for i, w in enumerate(weights) if w < 0 for _ in range(-w)]
    plus = [i for i, w in enumerate(weights) if w > 0 for _ in range(w)]
    order: list[int] = []
    kinds: list[int] = []
    paired = min(len(minus), len(plus))
    for j in range(paired):
        if not upsert:
            order.append(minus[j])
            kinds.append(UPDATE_BEFORE)
        order.append(plus[j])
        kinds.append(UPDATE_AFTER)
    order += minus[paired:]
    kinds += [DELETE] * (len(minus) - paired)
    order += plus[paired:]
    kinds += [INSERT] * (len(plus) - paired)
    return rows.take(pa.array(order, pa.int64())), kinds


def _edge_connection() -> duckdb.DuckDBPyConnection:
    """A private DuckDB connection for consolidating at the edges (thread-local use per job)."""
    local = _LOCAL
    con = getattr(local, "con", None)
    if con is None:
        con = local.con = duckdb.connect(":memory:")
    return con


_LOCAL = threading.local()


def relabel(kinds: list[int], source_kind: int) -> list[int]:
    """Row kinds of a stateless plan's output for one input row of kind `source_kind`.

    Projections and filters pass a record's kind through in Flink: an update's `-U`/`+U` stay
    updates (and a delete stays a delete) instead of becoming `-D`/`+I`.
    """
    retract = source_kind in (UPDATE_BEFORE, DELETE)
    out_kind = source_kind if source_kind != INSERT else INSERT
    return [out_kind if (k in (UPDATE_BEFORE, DELETE)) == retract else k for k in kinds]


def _hashable(v: object) -> object:
    if isinstance(v, list):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _hashable(x)) for k, x in v.items()))
    return v


def decode(rows: pa.Table | pa.RecordBatch, kinds: pa.Array | None) -> pa.Array:
    """Weights for rows with row kinds (None: all inserts)."""
    import pyarrow.compute as pc

    if kinds is None:
        return pa.array([1] * rows.num_rows, pa.int64())
    kinds = kinds.cast(pa.int8())
    retract = pc.or_(pc.equal(kinds, UPDATE_BEFORE), pc.equal(kinds, DELETE))
    return pc.if_else(retract, pa.scalar(-1, pa.int64()), pa.scalar(1, pa.int64()))
