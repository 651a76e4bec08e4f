"""Core aggregate functions with Flink's result types.

Flink keeps the argument type for SUM over integers (SUM(INT) is INT) and computes AVG over integers
in integer arithmetic (AVG(INT) of 1 and 2 is 1), so both are lowered with explicit casts rather than
DuckDB's widening versions.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr
from planner.functions.coercion import MAX_PRECISION
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, to_duckdb


def _count_infer(args: Sequence[Expr]) -> FlinkType:
    return T.bigint(False)


def _count_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if not sql:
        return "count(*)"
    if len(sql) > 1:
        # COUNT(a, b) counts rows where every argument is non-NULL
        cond = " AND ".join(f"{s.removeprefix('DISTINCT ')} IS NOT NULL" for s in sql)
        if sql[0].startswith("DISTINCT "):
            return f"count(DISTINCT CASE WHEN {cond} THEN ({', '.join(s.removeprefix('DISTINCT ') for s in sql)}) END)"
        return f"count(CASE WHEN {cond} THEN 1 END)"
    return f"count({sql[0]})"


def _numeric_arg(name: str, args: Sequence[Expr]) -> FlinkType:
    arity(args, name, 1)
    t = args[0].type
    if not t.is_numeric:
        raise FunctionError(
            f"SQL validation failed. Cannot apply '{name}' to arguments of type '{name}(<{t.sql()}>)'. "
            f"Supported form(s): '{name}(<NUMERIC>)'"
        )
    return t.without_time_attr()


def _sum_infer(args: Sequence[Expr]) -> FlinkType:
    t = _numeric_arg("SUM", args)
    if t.name == "DECIMAL":
        return T.decimal(MAX_PRECISION, t.scale or 0)
    return t.with_nullable(True)


def _sum_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    return f"CAST(sum({sql[0]}) AS {to_duckdb(rt)})"


def _avg_infer(args: Sequence[Expr]) -> FlinkType:
    t = _numeric_arg("AVG", args)
    if t.name == "DECIMAL":
        return T.decimal(MAX_PRECISION, max(t.scale or 0, 6))
    return t.with_nullable(True)


def _avg_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if rt.is_integer:
        return f"CAST(sum({sql[0]}) // count({sql[0]}) AS {to_duckdb(rt)})"
    if rt.name == "DECIMAL":
        inner = sql[0].removeprefix("DISTINCT ")
        distinct = "DISTINCT " if sql[0].startswith("DISTINCT ") else ""
        wide = f"CAST({inner} AS DECIMAL(38, {rt.scale}))"
        return f"CAST(sum({distinct}{wide}) / count({sql[0]}) AS {to_duckdb(rt)})"
    return f"CAST(avg({sql[0]}) AS {to_duckdb(rt)})"


def _minmax_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1)
        return args[0].type.without_time_attr().with_nullable(True)

    return infer


register(
    FunctionDef("COUNT", _count_infer, _count_lower, kind="aggregate", nodes=(exp.Count,)),
    FunctionDef("SUM", _sum_infer, _sum_lower, kind="aggregate", nodes=(exp.Sum,)),
    FunctionDef("AVG", _avg_infer, _avg_lower, kind="aggregate", nodes=(exp.Avg,)),
    FunctionDef(
        "MIN", _minmax_infer("MIN"), lambda s, a, rt: f"min({s[0]})", kind="aggregate", nodes=(exp.Min,)
    ),
    FunctionDef(
        "MAX", _minmax_infer("MAX"), lambda s, a, rt: f"max({s[0]})", kind="aggregate", nodes=(exp.Max,)
    ),
)


def _grouping_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    """$GROUPING(gid, n_keys, pos...): GROUPING()/GROUPING_ID() bits from DuckDB's grouping id."""
    gid, n = sql[0], int(args[1].value)  # type: ignore[union-attr]
    positions = [int(a.value) for a in args[2:]]  # type: ignore[union-attr]
    m = len(positions)
    terms = [f"(({gid} >> {n - 1 - p}) & 1) << {m - 1 - j}" for j, p in enumerate(positions)]
    return "CAST(" + " | ".join(terms) + " AS BIGINT)"


register(FunctionDef("$GROUPING", lambda args: T.bigint(False), _grouping_lower))
