"""Group aggregation with accumulators: COUNT, SUM, AVG (and MIN/MAX over append-only input).

These aggregates are invertible (a retraction subtracts what an insertion added), so the state is
one accumulator row per group, not the group's rows: a batch is pre-aggregated by DuckDB into one
partial row per touched group (weighted sums), merged with the stored accumulators, and only groups
whose result changed emit `-old`/`+new`. MIN and MAX cannot be inverted, so they qualify only when
the input never retracts; the other aggregates take `engine.stream.recompute`.

Finalization repeats the batch lowering's arithmetic (SUM wrapped into the integer type as Java
overflows, AVG over integers truncating, DECIMAL sums in DECIMAL(38, s)), so both modes agree.
State: `acc(_kg, keys..., _n, accumulators...)`; `_n` counts the group's rows, a group with `_n = 0`
is gone (and emitted as a delete).
"""

from __future__ import annotations

import pyarrow as pa

from engine.stream.changes import WEIGHT
from engine.stream.operator import Operator, OperatorContext
from engine.stream.state import StateTable
from planner import plan as P
from planner.expr import AggCall
from planner.functions.aggregates import _wrapped
from planner.types import FlinkType, to_duckdb

INVERTIBLE = frozenset({"COUNT", "SUM", "AVG"})


def accumulable(node: P.Aggregate, append_only: bool) -> bool:
    """Whether every aggregate of `node` can run on accumulators."""
    for agg in node.aggs:
        if agg.distinct or agg.ignore_nulls:
            return False
        if agg.name in ("MIN", "MAX") and append_only and len(agg.args) == 1:
            if agg.args[0].type.name in ("ARRAY", "MAP", "MULTISET", "ROW"):
                return False
            continue
        if agg.name not in INVERTIBLE or len(agg.args) > 1:
            return False
    return node.grouping_sets is None


def _wide_type(t: FlinkType) -> str:
    if t.is_integer:
        return "HUGEINT"
    if t.name == "DECIMAL":
        return f"DECIMAL(38, {t.scale or 0})"
    return "DOUBLE"


class AccumulatingAggregate(Operator):
    """See the module docstring."""

    def __init__(self, node: P.Aggregate, ttl_ms: int | None = None) -> None:
        self.node = node
        self.ttl_ms = ttl_ms
        self.describe = "GroupAggregate"

    def open(self, ctx: OperatorContext) -> None:
        self.ctx = ctx
        node = self.node
        self.extremes = any(a.name in ("MIN", "MAX") for a in node.aggs)
        lowering = ctx.lowering()
        cols = [f"c{i}" for i in range(len(node.input.schema))]
        n_keys = len(node.keys)
        keys = [f"k{i}" for i in range(n_keys)]
        partials: list[str] = []  # SQL over the delta
        acc_cols: list[tuple[str, str]] = []
        merges: list[str] = []  # new accumulator from s.<old> and p.<partial>
        finals_old: list[str] = []
        finals_new: list[str] = []
        for j, agg in enumerate(node.aggs):
            arg = lowering.expr(agg.args[0], cols, []) if agg.args else None
            cond = lowering.expr(agg.filter, cols, []) if agg.filter is not None else None
            self._accumulate(j, agg, arg, cond, partials, acc_cols, merges)
            finals_old.append(self._final(j, agg, "o_"))
            finals_new.append(self._final(j, agg, "n_"))
        op = ctx.unique_name("agg")
        key_types = [
            (k, to_duckdb(node.input.schema[i].type)) for k, i in zip(keys, node.keys, strict=True)
        ]
        self.state = ctx.state.declare(
            StateTable(
                f"{op}_acc",
                tuple(keys),
                (*key_types, ("_n", "BIGINT"), *acc_cols),
                False,
                self.ttl_ms,
            )
        )
        key_sql = [f"{cols[i]} AS {k}" for k, i in zip(keys, node.keys, strict=True)]
        group = f" GROUP BY {', '.join(cols[i] for i in node.keys)}" if keys else ""
        self.partial_sql = (
            f"SELECT {', '.join([*key_sql, f'CAST(sum({WEIGHT}) AS BIGINT) AS _n', *partials, 'min(_seq) AS _seq'])} "
            f"FROM (SELECT *, row_number() OVER () AS _seq FROM _agg_delta){group}"
        )
        match = " AND ".join(f"s.{k} IS NOT DISTINCT FROM p.{k}" for k in keys) or "TRUE"
        names = [n for n, _ in acc_cols]
        old = [f"s.{n} AS o_{n}" for n in names]
        new = [f"{m} AS n_{n}" for m, n in zip(merges, names, strict=True)]
        self.join_sql = (
            f"CREATE OR REPLACE TEMP TABLE _agg_joined AS SELECT {', '.join([*(f'p.{k}' for k in keys), 's._n AS o__n', 'coalesce(s._n, 0) + p._n AS n__n', *old, *new, 'p._seq'])} "
            f"FROM _agg_partial AS p LEFT JOIN {self.state.sql_name} AS s ON {match}"
        )
        n_aggs = len(node.aggs)
        finals = [f"{e} AS o{j}" for j, e in enumerate(finals_old)] + [
            f"{e} AS n{j}" for j, e in enumerate(finals_new)
        ]
        changed = " OR ".join(f"o{j} IS DISTINCT FROM n{j}" for j in range(n_aggs)) or "FALSE"
        key_out = [f"{k} AS c{i}" for i, k in enumerate(keys)]
        old_out = ", ".join([*key_out, *(f"o{j} AS c{n_keys + j}" for j in range(n_aggs))])
        new_out = ", ".join([*key_out, *(f"n{j} AS c{n_keys + j}" for j in range(n_aggs))])
        outs = ", ".join(f"c{i}" for i in range(n_keys + n_aggs))
        # one pass: a group emits its old row if it had one and it changed or went away, its new
        # row if it has one and it is new or changed; an unchanged result emits nothing
        self.emit_sql = (
            f"WITH f AS (SELECT {', '.join([*keys, *finals])}, coalesce(o__n, 0) > 0 AS had, "
            f"n__n > 0 AS has, _seq FROM _agg_joined), g AS (SELECT *, ({changed}) AS changed FROM f) "
            f"SELECT {outs}, CAST({WEIGHT} AS BIGINT) AS {WEIGHT} FROM ("
            f"SELECT {old_out}, -1 AS {WEIGHT}, _seq, 0 AS _o FROM g WHERE had AND (NOT has OR changed) "
            f"UNION ALL SELECT {new_out}, 1, _seq, 1 FROM g WHERE has AND (NOT had OR changed)) "
            f"ORDER BY _seq, _o"
        )
        kept = ", ".join([*keys, "n__n AS _n", *(f"n_{n} AS {n}" for n in names)])
        self.keep_sql = f"SELECT {kept} FROM _agg_joined WHERE n__n > 0"

    def _accumulate(self, j, agg: AggCall, arg, cond, partials, acc_cols, merges) -> None:
        weight = f"CASE WHEN {cond} THEN {WEIGHT} ELSE 0 END" if cond else WEIGHT
        counted = (
            f"CASE WHEN {arg} IS NOT NULL{f' AND ({cond})' if cond else ''} THEN {WEIGHT} ELSE 0 END"
            if arg is not None
            else weight
        )
        if agg.name == "COUNT":
            partials.append(f"CAST(sum({counted}) AS BIGINT) AS a{j}_n")
            acc_cols.append((f"a{j}_n", "BIGINT"))
            merges.append(f"coalesce(s.a{j}_n, 0) + p.a{j}_n")
            return
        assert arg is not None
        t = agg.args[0].type
        if agg.name in ("MIN", "MAX"):
            value = f"CASE WHEN {cond} THEN {arg} END" if cond else arg
            fn = agg.name.lower()
            partials.append(f"{fn}({value}) AS a{j}_m")
            acc_cols.append((f"a{j}_m", to_duckdb(t.without_time_attr())))
            merges.append(f"{'least' if fn == 'min' else 'greatest'}(s.a{j}_m, p.a{j}_m)")
            return
        wide = _wide_type(t)
        value = f"CAST({arg} AS {wide}) * {WEIGHT}"
        if cond:
            value = f"CASE WHEN {cond} THEN {value} END"
        partials.append(f"CAST(sum({counted}) AS BIGINT) AS a{j}_n")
        partials.append(f"CAST(sum({value}) AS {wide}) AS a{j}_s")
        acc_cols += [(f"a{j}_n", "BIGINT"), (f"a{j}_s", wide)]
        merges.append(f"coalesce(s.a{j}_n, 0) + p.a{j}_n")
        merges.append(f"coalesce(s.a{j}_s, 0) + coalesce(p.a{j}_s, 0)")

    def _final(self, j: int, agg: AggCall, prefix: str) -> str:
        rt = agg.type
        if agg.name == "COUNT":
            return f"{prefix}a{j}_n"
        if agg.name in ("MIN", "MAX"):
            return f"CAST({prefix}a{j}_m AS {to_duckdb(rt)})"
        n, s = f"{prefix}a{j}_n", f"{prefix}a{j}_s"
        if agg.name == "SUM":
            total = _wrapped(s, rt) if rt.is_integer else f"CAST({s} AS {to_duckdb(rt)})"
        elif rt.is_integer:
            total = f"CAST({s} // nullif({n}, 0) AS {to_duckdb(rt)})"
        else:
            total = f"CAST({s} / nullif({n}, 0) AS {to_duckdb(rt)})"
        return f"CASE WHEN {n} > 0 THEN {total} END"

    def process(self, port: int, delta: pa.Table) -> pa.Table | None:
        ctx = self.ctx
        if self.extremes and min(delta.column(WEIGHT).to_pylist(), default=0) < 0:
            raise AssertionError(
                "GroupAggregate: MIN/MAX accumulators received a retraction from an input "
                "planned as append-only"
            )
        ctx.con.register("_agg_delta", delta)
        try:
            ctx.execute(f"CREATE OR REPLACE TEMP TABLE _agg_partial AS {self.partial_sql}")
        finally:
            ctx.con.unregister("_agg_delta")
        ctx.execute(self.join_sql)
        out = ctx.query(self.emit_sql)
        ctx.state.replace(self.state, f"({self.keep_sql})", "_agg_partial")
        return out if out.num_rows else None
