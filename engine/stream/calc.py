"""Calc: projections, filters and UNNEST/table-function correlates over each change batch.

These are linear: a row's output depends on that row alone, so the weight passes through. The
chain is lowered with the batch lowering (`planner.lower_duckdb`), with the weight carried as one
more column, and runs as one DuckDB query per batch: the expressions are the very same SQL in batch
and streaming mode, which is how they keep one semantics.
"""

from __future__ import annotations

import pyarrow as pa

from engine.stream.changes import WEIGHT
from engine.stream.operator import Operator, OperatorContext, scan_of
from planner import plan as P
from planner import types as T
from planner.expr import InputRef

LINEAR_NODES = (P.Project, P.Filter, P.Correlate, P.WindowTVF)


def carry_weight(node: P.PlanNode, leaf: P.Scan, bottom: P.PlanNode) -> tuple[P.PlanNode, int]:
    """`node` (a chain of linear nodes over one input) with the weight as an extra last column.

    Returns the rewritten chain and the weight's position; the chain's input is replaced by `leaf`,
    whose last column is the weight; `bottom` is the chain's input (where the chain stops).
    """
    if node is bottom:
        return leaf, len(leaf.schema) - 1
    match node:
        case P.Project(input=child, exprs=exprs, schema=schema):
            inner, w = carry_weight(child, leaf, bottom)
            ref = InputRef(w, T.bigint(False), WEIGHT)
            return P.Project(inner, (*exprs, ref), (*schema, P.Field(WEIGHT, ref.type))), len(exprs)
        case P.Filter(input=child, condition=cond):
            inner, w = carry_weight(child, leaf, bottom)
            return P.Filter(inner, cond), w
        case P.Correlate(input=child):
            inner, w = carry_weight(child, leaf, bottom)
            n_in = len(inner.schema)
            moved = P.Correlate(
                inner,
                node.call,
                node.kind,
                (*inner.schema, *node.function_columns),
                node.function_columns,
                node.unnest,
                node.with_ordinality,
            )
            # put the weight last again: input columns, function columns, weight
            order = [i for i in range(n_in) if i != w] + [
                n_in + j for j in range(len(node.function_columns))
            ]
            exprs = tuple(InputRef(i, moved.schema[i].type) for i in [*order, w])
            fields = tuple(moved.schema[i] for i in [*order, w])
            return P.Project(moved, exprs, fields), len(order)
        case P.WindowTVF(input=child):
            inner, w = carry_weight(child, leaf, bottom)
            n_in = len(inner.schema)
            windows = node.schema[-3:]
            moved = P.WindowTVF(
                inner,
                node.kind,
                node.time_index,
                node.size_ms,
                (*inner.schema, *windows),
                node.slide_ms,
                node.offset_ms,
            )
            order = [i for i in range(n_in) if i != w] + [n_in, n_in + 1, n_in + 2]
            exprs = tuple(InputRef(i, moved.schema[i].type) for i in [*order, w])
            fields = tuple(moved.schema[i] for i in [*order, w])
            return P.Project(moved, exprs, fields), len(order)
        case _:
            return leaf, len(leaf.schema) - 1


class Calc(Operator):
    """Evaluates a chain of projections/filters/correlates on each batch. Stateless."""

    def __init__(self, chain: P.PlanNode, bottom: P.PlanNode) -> None:
        self.chain = chain
        self.bottom = bottom
        self.input_schema = bottom.schema
        self.describe = "Calc"
        self.sql = ""

    def open(self, ctx: OperatorContext) -> None:
        self.ctx = ctx
        self.relation = ctx.unique_name("calc_in_")
        leaf = scan_of(self.relation, self.input_schema, (P.Field(WEIGHT, T.bigint(False)),))
        chain, w = carry_weight(self.chain, leaf, self.bottom)
        inner = ctx.lowering().plan(chain)
        n = len(chain.schema)
        cols = [f"c{i}" for i in range(n) if i != w]
        outs = [f"{c} AS c{j}" for j, c in enumerate(cols)]
        self.sql = f"SELECT {', '.join([*outs, f'c{w} AS {WEIGHT}'])} FROM ({inner})"
        self.source_name = f"src_{self.relation}"

    def process(self, port: int, delta: pa.Table) -> pa.Table | None:
        out = self.ctx.query(self.sql, {self.source_name: delta})
        return out if out.num_rows else None
