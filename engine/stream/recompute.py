"""Keyed recomputation: the general incremental form of a stateful relational operator.

For an operator whose output rows for a key depend only on its inputs' rows with that key (a group
aggregate and its GROUP BY key, a join and its equi-join key, Top-N and its partition key, a set
operation and the whole row), the change it emits for a batch is

    delta_out = f(inputs' rows of the touched keys after the batch) - f(the same rows before the batch)

where f is the operator's batch semantics: the batch lowering of the very same plan node, run by
DuckDB over the rows the state holds for the touched keys. The output is consolidated, so a key
whose result did not change emits nothing, a new key emits only an insert, and a key whose rows
all went away emits only a delete. Both results being computed by the batch lowering is what makes
the streaming answer equal the batch answer.

State: one multiset per input (`StateTable`, the input's distinct rows with their weights), keyed
by that input's key columns. Cost per batch: proportional to the state of the touched keys; the
specialised operators (`engine.stream.group_agg`, `engine.stream.inner_join`, Top-N pruning) avoid
that where it matters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyarrow as pa

from engine.stream.changes import WEIGHT, difference
from engine.stream.operator import Operator, OperatorContext
from engine.stream.state import StateTable
from planner import plan as P
from planner.types import to_duckdb


class KeyedRecompute(Operator):
    """See the module docstring. `build` makes the plan node from one Scan per input."""

    def __init__(
        self,
        describe: str,
        inputs: Sequence[P.Schema],
        keys: Sequence[Sequence[int]],
        build: Callable[[list[P.Scan]], P.PlanNode],
        *,
        empty_key_is_absent: bool = False,
        retain: Callable[[str, str], str | None] | None = None,
        ttl_ms: int | None = None,
        order_first: Sequence[int] = (),
    ) -> None:
        assert len(inputs) == len(keys) and len({len(k) for k in keys}) <= 1
        self.describe = describe
        self.inputs = list(inputs)
        self.keys = [list(k) for k in keys]
        self.build = build
        self.empty_key_is_absent = empty_key_is_absent
        self.retain = retain
        self.ttl_ms = ttl_ms
        self.order_first = list(order_first)

    def open(self, ctx: OperatorContext) -> None:
        from engine.stream.operator import scan_of

        self.ctx = ctx
        op = ctx.unique_name("op")
        self.touched = f'"{op}_touched"'
        key_types = [to_duckdb(self.inputs[0][k].type) for k in self.keys[0]]
        if key_types:
            cols = ", ".join(f"k{i} {t}" for i, t in enumerate(key_types))
            ctx.execute(f"CREATE TEMP TABLE {self.touched} ({cols})")
        self.states: list[StateTable] = []
        scans = []
        for j, schema in enumerate(self.inputs):
            columns = tuple((f"c{i}", to_duckdb(f.type)) for i, f in enumerate(schema))
            if not columns:  # a zero-width input (COUNT(*) only): one constant column
                columns = (("c0", "INTEGER"),)
            key = tuple(f"c{k}" for k in self.keys[j])
            table = ctx.state.declare(StateTable(f"{op}_in{j}", key, columns, True, self.ttl_ms))
            self.states.append(table)
            relation = f"{op}_in{j}"
            scans.append(scan_of(relation, schema))
            ctx.execute(
                f'CREATE TEMP VIEW "src_{relation}" AS {self._rows_sql(table, self.keys[j])}'
            )
        self.plan = self.build(scans)
        self.sql = ctx.lowering().plan(self.plan)
        if self.empty_key_is_absent:
            self.sql = f'SELECT * FROM ({self.sql}) WHERE EXISTS (SELECT 1 FROM "src_{op}_in0")'
        # DuckDB's join and aggregation output order follows hash tables: sort, so a batch's
        # changes come out in one order whatever the state's layout
        width = len(self.plan.schema)
        order = [*self.order_first, *(i for i in range(width) if i not in self.order_first)]
        self.sql = f"SELECT * FROM ({self.sql}) ORDER BY " + (
            ", ".join(f"c{i} NULLS FIRST" for i in order) if width else "1"
        )

    def _rows_sql(self, table: StateTable, key: list[int]) -> str:
        cols = ", ".join(f"s.c{i}" for i in range(len(table.columns)))
        if not key:
            return f"SELECT {cols} FROM {table.sql_name} AS s, range(s.{WEIGHT})"
        match = " AND ".join(f"s.c{k} IS NOT DISTINCT FROM t.k{i}" for i, k in enumerate(key))
        return (
            f"SELECT {cols} FROM (SELECT s.* FROM {table.sql_name} AS s "
            f"SEMI JOIN {self.touched} AS t ON {match}) AS s, range(s.{WEIGHT})"
        )

    def process(self, port: int, delta: pa.Table) -> pa.Table | None:
        ctx = self.ctx
        name = "_delta"
        if delta.num_columns == 1:  # zero-width rows: add the constant column of the state
            delta = pa.table({"c0": pa.array([1] * delta.num_rows, pa.int32()), WEIGHT: delta[0]})
        ctx.con.register(name, delta)
        try:
            if self.keys[port]:
                keys = ", ".join(f"c{k} AS k{i}" for i, k in enumerate(self.keys[port]))
                ctx.execute(f"DELETE FROM {self.touched}")
                ctx.execute(f"INSERT INTO {self.touched} SELECT DISTINCT {keys} FROM {name}")
            old = ctx.query(self.sql)
            ctx.state.merge(self.states[port], name)
        finally:
            ctx.con.unregister(name)
        new = ctx.query(self.sql)
        if self.retain is not None:
            self._prune(port)
        return difference(ctx.con, old, new)

    def _prune(self, port: int) -> None:
        """Drop input rows that can never reach the output again (append-only Top-N); only the
        touched keys' rows are looked at."""
        assert self.retain is not None
        table = self.states[port].sql_name
        key = self.keys[port]
        if key:
            match = " AND ".join(f"s.c{k} IS NOT DISTINCT FROM t.k{i}" for i, k in enumerate(key))
            rows = f"(SELECT s.rowid AS _rid, s.* FROM {table} AS s SEMI JOIN {self.touched} AS t ON {match})"
        else:
            rows = f"(SELECT s.rowid AS _rid, s.* FROM {table} AS s)"
        condition = self.retain(table, rows)
        if condition:
            self.ctx.execute(condition)
