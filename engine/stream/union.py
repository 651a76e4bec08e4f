"""UNION ALL: the concatenation of its inputs' changes. Linear and stateless."""

from __future__ import annotations

import pyarrow as pa

from engine.stream.changes import WEIGHT
from engine.stream.operator import Operator, OperatorContext
from planner import plan as P
from planner.types import to_duckdb


class UnionAll(Operator):
    """Passes every input's changes on, cast to the union's column types."""

    describe = "Union"

    def __init__(self, schema: P.Schema) -> None:
        self.schema = schema

    def open(self, ctx: OperatorContext) -> None:
        self.ctx = ctx
        casts = [f"CAST(c{i} AS {to_duckdb(f.type)}) AS c{i}" for i, f in enumerate(self.schema)]
        self.sql = f"SELECT {', '.join([*casts, WEIGHT])} FROM _union_in"

    def process(self, port: int, delta: pa.Table) -> pa.Table | None:
        return self.ctx.query(self.sql, {"_union_in": delta})
