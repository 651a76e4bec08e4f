"""Window aggregation: each window's final row, once, when the watermark passes its end.

A window fires when the watermark reaches its `window_end - 1 ms`; at the end of bounded input
every window fires (Flink's final watermark). Windows fire in Flink's order (by end, then start).
Rows of a window that has already fired are late: dropped and counted (`late_rows`). The output
is append-only and, with nothing late, equals batch mode's answer.
State: the rows of the windows not yet fired (a multiset), dropped when their window fires.
"""

from __future__ import annotations

import pyarrow as pa

from engine.stream.changes import WEIGHT
from engine.stream.operator import Operator, OperatorContext, scan_of
from engine.stream.state import StateTable
from planner import plan as P
from planner.patterns import window_bounds
from planner.types import to_duckdb


class WindowAggregate(Operator):
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
        bounds = window_bounds(self.node.input)
        self.end_column = next(i for i, kind in bounds.items() if kind == "end")
        self.threshold = f'"{op}_fire_until"'
        ctx.execute(f"CREATE TEMP TABLE {self.threshold} (t TIMESTAMP)")
        ctx.execute(f"INSERT INTO {self.threshold} VALUES ('-infinity')")
        # the rows of the windows that are complete: window_end - 1 ms <= the watermark
        ctx.execute(
            f'CREATE TEMP VIEW "src_{relation}" AS SELECT {cols} FROM {self.state.sql_name} '
            f"AS s, range(s.{WEIGHT}) WHERE s.c{self.end_column} <= (SELECT t FROM {self.threshold})"
        )
        self.late_rows = 0
        template = replace(self.node, input=scan_of(relation, schema))
        position = {bounds.get(k): j for j, k in enumerate(self.node.keys)}
        first = [position["end"], position["start"]]
        rest = [i for i in range(len(self.node.schema)) if i not in first]
        order = ", ".join(f"c{i} NULLS FIRST" for i in [*first, *rest])
        self.sql = f"SELECT *, CAST(1 AS BIGINT) AS {WEIGHT} FROM ({ctx.lowering().plan(template)}) ORDER BY {order}"

    def process(self, port: int, delta: pa.Table) -> pa.Table | None:
        # rows of windows that have fired are late: dropped (and counted), as Flink drops them
        on_time = f"SELECT * FROM _window_delta WHERE c{self.end_column} > (SELECT t FROM {self.threshold})"
        self.ctx.con.register("_window_delta", delta)
        try:
            kept = self.ctx.query(on_time)
            self.late_rows += delta.num_rows - kept.num_rows
            self.ctx.con.register("_window_on_time", kept)
            self.ctx.state.merge(self.state, "_window_on_time")
        finally:
            self.ctx.con.unregister("_window_delta")
            self.ctx.con.unregister("_window_on_time")
        return None

    def on_watermark(self, watermark_ms: int) -> pa.Table | None:
        return self._fire(f"make_timestamp(({watermark_ms} + 1) * 1000)")

    def finish(self) -> pa.Table | None:
        return self._fire("'infinity'::TIMESTAMP")

    def _fire(self, until_sql: str) -> pa.Table | None:
        """Emit the windows ending at or before `until` (exclusive end), then drop their rows."""
        self.ctx.execute(f"UPDATE {self.threshold} SET t = {until_sql}")
        out = self.ctx.query(self.sql)
        self.ctx.execute(
            f"DELETE FROM {self.state.sql_name} WHERE c{self.end_column} <= "
            f"(SELECT t FROM {self.threshold})"
        )
        if not out.num_rows:
            return None
        names = [f"c{i}" for i in range(out.num_columns - 1)] + [WEIGHT]
        return out.rename_columns(names)
