"""ChangelogNormalize: an upsert stream (last row per key, deletes by key) to weighted changes.

An upsert source sends only the new row of a key (+I/+U) or the key's deletion (-D), never the old
row. This operator keeps the last row of every key (a value state table keyed by the primary key)
and turns each batch into `-old +new` (or `-old` for a delete), taking the last change of a key
within the batch. An upsert that repeats the stored row emits nothing, as in Flink.
"""

from __future__ import annotations

import pyarrow as pa

from engine.stream.changes import WEIGHT, difference
from engine.stream.operator import Operator, OperatorContext
from engine.stream.state import StateTable
from planner import plan as P
from planner.types import to_duckdb


class ChangelogNormalize(Operator):
    describe = "ChangelogNormalize"

    def __init__(self, schema: P.Schema, key: tuple[int, ...], ttl_ms: int | None = None) -> None:
        self.schema = schema
        self.key = key
        self.ttl_ms = ttl_ms

    def open(self, ctx: OperatorContext) -> None:
        self.ctx = ctx
        op = ctx.unique_name("normalize")
        columns = tuple((f"c{i}", to_duckdb(f.type)) for i, f in enumerate(self.schema))
        keys = tuple(f"c{k}" for k in self.key)
        self.state = ctx.state.declare(
            StateTable(f"{op}_last", keys, columns, weighted=False, ttl_ms=self.ttl_ms)
        )
        cols = ", ".join(n for n, _ in columns)
        part = ", ".join(keys) or "1"
        self.last_sql = (
            f"CREATE OR REPLACE TEMP TABLE _norm_last AS SELECT {cols}, {WEIGHT} FROM ("
            f"SELECT *, row_number() OVER (PARTITION BY {part} ORDER BY _pos DESC) AS _rn FROM "
            f"(SELECT *, row_number() OVER () AS _pos FROM _norm_in)) WHERE _rn = 1"
        )
        match = " AND ".join(f"s.{k} IS NOT DISTINCT FROM t.{k}" for k in keys) or "TRUE"
        self.old_sql = (
            f"SELECT {', '.join(f's.{n}' for n, _ in columns)} FROM {self.state.sql_name} AS s "
            f"SEMI JOIN _norm_last AS t ON {match}"
        )
        self.new_sql = f"SELECT {cols} FROM _norm_last WHERE {WEIGHT} > 0"

    def process(self, port: int, delta: pa.Table) -> pa.Table | None:
        ctx = self.ctx
        ctx.con.register("_norm_in", delta)
        try:
            ctx.execute(self.last_sql)
        finally:
            ctx.con.unregister("_norm_in")
        old = ctx.query(self.old_sql)
        new = ctx.query(self.new_sql)
        ctx.state.replace(self.state, f"({self.new_sql})", "_norm_last")
        return difference(ctx.con, old, new)
