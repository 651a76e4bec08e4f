"""Window aggregation over bounded input: each window's final row, once, when the input ends.

Flink's window aggregation emits a window's row when the watermark passes the window's end; a
bounded source ends with the maximum watermark, so at the end of input every window fires. Until
watermarks flow through the engine (event time is the next part to land), this operator keeps the
input rows and fires every window at the end of input, in the order Flink fires them (by window
end, then start). The output is append-only, and equals batch mode's answer.
State: the input's rows (a multiset), dropped once the windows have fired.
"""

from __future__ import annotations

import pyarrow as pa

from engine.stream.changes import WEIGHT
from engine.stream.operator import Operator, OperatorContext, scan_of
from engine.stream.state import StateTable
from planner import plan as P
from planner.patterns import window_bounds
from planner.types import to_duckdb


class EndOfInputWindowAggregate(Operator):
    describe = "WindowAggregate"

    def __init__(self, node: P.Aggregate) -> None:
        self.node = node

    def open(self, ctx: OperatorContext) -> None:
        from dataclasses import replace

        self.ctx = ctx
        op = ctx.unique_name("window")
        schema = self.node.input.schema
        columns = tuple((f"c{i}", to_duckdb(f.type)) for i, f in enumerate(schema))
        self.state = ctx.state.declare(StateTable(f"{op}_rows", (), columns, True))
        relation = f"{op}_in"
        cols = ", ".join(f"s.c{i}" for i in range(len(schema)))
        ctx.execute(
            f'CREATE TEMP VIEW "src_{relation}" AS SELECT {cols} FROM {self.state.sql_name} '
            f"AS s, range(s.{WEIGHT})"
        )
        template = replace(self.node, input=scan_of(relation, schema))
        bounds = window_bounds(self.node.input)
        position = {bounds.get(k): j for j, k in enumerate(self.node.keys)}
        first = [position["end"], position["start"]]
        rest = [i for i in range(len(self.node.schema)) if i not in first]
        order = ", ".join(f"c{i} NULLS FIRST" for i in [*first, *rest])
        self.sql = f"SELECT *, CAST(1 AS BIGINT) AS {WEIGHT} FROM ({ctx.lowering().plan(template)}) ORDER BY {order}"

    def process(self, port: int, delta: pa.Table) -> pa.Table | None:
        self.ctx.con.register("_window_delta", delta)
        try:
            self.ctx.state.merge(self.state, "_window_delta")
        finally:
            self.ctx.con.unregister("_window_delta")
        return None

    def finish(self) -> pa.Table | None:
        out = self.ctx.query(self.sql)
        self.ctx.execute(f"DELETE FROM {self.state.sql_name}")
        if not out.num_rows:
            return None
        names = [f"c{i}" for i in range(out.num_columns - 1)] + [WEIGHT]
        return out.rename_columns(names)
