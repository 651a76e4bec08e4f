"""Aggregate functions with Flink's result types and arithmetic.

Flink keeps the argument type for SUM over integers (SUM(INT) is INT) and computes AVG over integers
in integer arithmetic (AVG(INT) of 1 and 2 is 1), so both are lowered with explicit casts rather than
DuckDB's widening versions. The variance family runs in DOUBLE with Welford's algorithm in both
engines, so DuckDB's functions print the same digits as Flink's.

Lowering conventions (see `Lowering.agg` in `planner/lower_duckdb.py`): a DISTINCT aggregate's first
argument text starts with `DISTINCT `; a FILTER condition is folded into the arguments as
`CASE WHEN cond THEN arg END` unless the definition sets `extra["filter_clause"]`, in which case the
caller appends a SQL `FILTER (WHERE ...)` clause to the (single-call) text the lowering returns.
`extra["over"]` optionally gives a different lowering for use inside OVER (...).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Lit
from planner.functions.coercion import MAX_PRECISION
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, calcite_name, to_duckdb

DISTINCT = "DISTINCT "


def _split_distinct(text: str) -> tuple[str, str]:
    """('DISTINCT ' or '', the argument text without it)."""
    if text.startswith(DISTINCT):
        return DISTINCT, text.removeprefix(DISTINCT)
    return "", text


CALCITE_VALIDATOR = "org.apache.calcite.sql.validate.SqlValidatorException"


def _cannot_apply(name: str, args: Sequence[Expr], forms: str) -> FunctionError:
    """Calcite's operand type check failure for the built-in aggregates it validates itself."""
    shown = ", ".join(f"<{calcite_name(a.type)}>" for a in args)
    error = FunctionError(
        f"Cannot apply '{name}' to arguments of type '{name}({shown})'. Supported form(s): {forms}"
    )
    error.java_class = CALCITE_VALIDATOR  # type: ignore[attr-defined]
    return error


# ---------------------------------------------------------------- COUNT


def _count_infer(args: Sequence[Expr]) -> FlinkType:
    return T.bigint(False)


def _count_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if not sql:
        return "count(*)"
    if len(sql) > 1:
        # COUNT(a, b) counts rows where every argument is non-NULL
        distinct, _ = _split_distinct(sql[0])
        plain = [_split_distinct(s)[1] for s in sql]
        cond = " AND ".join(f"{s} IS NOT NULL" for s in plain)
        if distinct:
            return f"count(DISTINCT CASE WHEN {cond} THEN ({', '.join(plain)}) END)"
        return f"count(CASE WHEN {cond} THEN 1 END)"
    return f"count({sql[0]})"


# ---------------------------------------------------------------- SUM / AVG


def _numeric_arg(name: str, args: Sequence[Expr]) -> FlinkType:
    arity(args, name, 1)
    t = args[0].type
    if not t.is_numeric:
        raise _cannot_apply(name, args, f"'{name}(<NUMERIC>)'")
    return t.without_time_attr()


def _sum_infer(args: Sequence[Expr]) -> FlinkType:
    t = _numeric_arg("SUM", args)
    if t.name == "DECIMAL":
        return T.decimal(MAX_PRECISION, t.scale or 0)
    return t.with_nullable(True)


_INTEGER_BITS = {"TINYINT": 8, "SMALLINT": 16, "INT": 32, "BIGINT": 64}


def _wrapped(total: str, rt: FlinkType) -> str:
    """An exact integer sum wrapped into the result type's range, as Java's overflow does."""
    bits = _INTEGER_BITS[rt.name]
    half, full = 2 ** (bits - 1), 2**bits
    value = f"CAST({total} AS HUGEINT)"
    return f"CAST((({value} + {half}) % {full} + {full}) % {full} - {half} AS {to_duckdb(rt)})"


def _sum_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if rt.is_integer:
        return _wrapped(f"sum({sql[0]})", rt)
    return f"CAST(sum({sql[0]}) AS {to_duckdb(rt)})"


def _decimal_average_type(t: FlinkType) -> FlinkType:
    """AVG and the variance family over DECIMAL(p, s) give DECIMAL(38, max(s, 6))."""
    return T.decimal(MAX_PRECISION, max(t.scale or 0, 6))


def _avg_infer(args: Sequence[Expr]) -> FlinkType:
    t = _numeric_arg("AVG", args)
    if t.name == "DECIMAL":
        return _decimal_average_type(t)
    return t.with_nullable(True)


def _avg_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    distinct, inner = _split_distinct(sql[0])
    if rt.is_integer:
        count = f"nullif(count({sql[0]}), 0)"
        return f"CAST(sum({sql[0]}) // {count} AS {to_duckdb(rt)})"
    if rt.name == "DECIMAL":
        wide = f"CAST({inner} AS DECIMAL(38, {rt.scale}))"
        return f"CAST(sum({distinct}{wide}) / nullif(count({sql[0]}), 0) AS {to_duckdb(rt)})"
    return f"CAST(avg({sql[0]}) AS {to_duckdb(rt)})"


# ---------------------------------------------------------------- MIN / MAX


def _minmax_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1)
        t = args[0].type
        if t.name in ("ARRAY", "MAP", "MULTISET", "ROW"):
            raise _cannot_apply(name, args, f"'{name}(<COMPARABLE_TYPE>)'")
        return t.without_time_attr().with_nullable(True)

    return infer


def _minmax_lower(fn: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        # DISTINCT does not change MIN/MAX; DuckDB rejects it for them
        return f"{fn}({_split_distinct(sql[0])[1]})"

    return lower


register(
    FunctionDef("COUNT", _count_infer, _count_lower, kind="aggregate", nodes=(exp.Count,)),
    FunctionDef("SUM", _sum_infer, _sum_lower, kind="aggregate", nodes=(exp.Sum,)),
    FunctionDef("AVG", _avg_infer, _avg_lower, kind="aggregate", nodes=(exp.Avg,)),
    FunctionDef(
        "MIN", _minmax_infer("MIN"), _minmax_lower("min"), kind="aggregate", nodes=(exp.Min,)
    ),
    FunctionDef(
        "MAX", _minmax_infer("MAX"), _minmax_lower("max"), kind="aggregate", nodes=(exp.Max,)
    ),
)


# ---------------------------------------------------------------- variance family


def _variance_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        t = _numeric_arg(name, args)
        if t.name == "DECIMAL":
            return _decimal_average_type(t)
        return t.with_nullable(True)

    return infer


def _variance_lower(population: bool, root: bool):
    """DuckDB's variance (Welford's algorithm, like Flink's) in DOUBLE, cast to the result type.

    Integer results truncate, as Flink's cast from DOUBLE does; DECIMAL rounds to its scale.
    """
    fn = ("stddev" if root else "var") + ("_pop" if population else "_samp")

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        distinct, x = _split_distinct(sql[0])
        value = f"{fn}({distinct}CAST({x} AS DOUBLE))"
        if rt.is_integer:
            value = f"trunc({value})"
        return f"CAST({value} AS {to_duckdb(rt)})"

    return lower


_VARIANCES = (
    ("STDDEV_POP", True, True, (exp.StddevPop,), ()),
    ("STDDEV_SAMP", False, True, (exp.StddevSamp, exp.Stddev), ("STDDEV",)),
    ("VAR_POP", True, False, (exp.VariancePop,), ()),
    ("VAR_SAMP", False, False, (exp.Variance,), ("VARIANCE",)),
)
for _name, _pop, _root, _nodes, _aliases in _VARIANCES:
    register(
        FunctionDef(
            _name,
            _variance_infer(_name),
            _variance_lower(_pop, _root),
            kind="aggregate",
            nodes=_nodes,
            aliases=_aliases,
        )
    )


# ---------------------------------------------------------------- LISTAGG


def _listagg_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "LISTAGG", 1, 2)
    forms = "'LISTAGG(<CHARACTER>)'\n'LISTAGG(<CHARACTER>, <CHARACTER_LITERAL>)'"
    if not all(a.type.is_character or a.type.name == "NULL" for a in args):
        raise _cannot_apply("LISTAGG", args, forms)
    if len(args) == 2 and not isinstance(args[1], Lit):
        raise FunctionError("Argument to function 'LISTAGG' must be a literal")
    if len(args) == 2 and args[1].value is None:  # type: ignore[union-attr]
        raise FunctionError("Argument to function 'LISTAGG' must not be NULL")
    # Flink keeps the argument's type, nullability included.
    return args[0].type.without_time_attr()


def _listagg_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    separator = sql[1] if len(sql) > 1 else "','"
    distinct, x = _split_distinct(sql[0])
    if not distinct:
        return f"string_agg({x}, {separator})"
    # DuckDB's DISTINCT aggregate hashes, so its order varies run to run; Flink keeps the order of
    # first occurrence. Collect in input order and keep each value's first position.
    values = f"(list({x}) FILTER (WHERE {x} IS NOT NULL))"
    firsts = f"list_filter({values}, lambda v, i: list_position({values}, v) = i)"
    return (
        f"(CASE WHEN len({values}) = 0 THEN NULL ELSE array_to_string({firsts}, {separator}) END)"
    )


register(FunctionDef("LISTAGG", _listagg_infer, _listagg_lower, kind="aggregate"))


# ---------------------------------------------------------------- FIRST_VALUE / LAST_VALUE


def _value_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1)
        return args[0].type.without_time_attr().with_nullable(True)

    return infer


def _value_lower(fn: str):
    """FIRST_VALUE/LAST_VALUE skip NULLs: the first/last non-NULL value in input order."""

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        x = _split_distinct(sql[0])[1]
        return f"{fn}({x}) FILTER (WHERE {x} IS NOT NULL)"

    return lower


def _value_over(fn: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        return f"{fn}({_split_distinct(sql[0])[1]} IGNORE NULLS)"

    return lower


register(
    FunctionDef(
        "FIRST_VALUE",
        _value_infer("FIRST_VALUE"),
        _value_lower("first"),
        kind="aggregate",
        nodes=(exp.FirstValue,),
        extra={"over": _value_over("first_value")},
    ),
    FunctionDef(
        "LAST_VALUE",
        _value_infer("LAST_VALUE"),
        _value_lower("last"),
        kind="aggregate",
        nodes=(exp.LastValue,),
        extra={"over": _value_over("last_value")},
    ),
)


# ---------------------------------------------------------------- COLLECT / ARRAY_AGG


def _collect_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "COLLECT", 1)
    return T.multiset(args[0].type.without_time_attr(), False)


def _collect_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    x = _split_distinct(sql[0])[1]
    empty = f"CAST(MAP() AS {to_duckdb(rt)})"
    return f"coalesce(CAST(histogram({x}) AS {to_duckdb(rt)}), {empty})"


def _array_agg_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "ARRAY_AGG", 1)
    element = args[0].type.without_time_attr()
    return T.array(element, element.nullable)


def _array_agg_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    return f"list({sql[0]})"


register(
    FunctionDef("COLLECT", _collect_infer, _collect_lower, kind="aggregate"),
    FunctionDef(
        "ARRAY_AGG",
        _array_agg_infer,
        _array_agg_lower,
        kind="aggregate",
        nodes=(exp.ArrayAgg,),
        extra={"filter_clause": True},
    ),
)


# ---------------------------------------------------------------- GROUPING()


def _grouping_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    """$GROUPING(gid, n_keys, pos...): GROUPING()/GROUPING_ID() bits from DuckDB's grouping id."""
    gid, n = sql[0], int(args[1].value)  # type: ignore[union-attr]
    positions = [int(a.value) for a in args[2:]]  # type: ignore[union-attr]
    m = len(positions)
    terms = [f"(({gid} >> {n - 1 - p}) & 1) << {m - 1 - j}" for j, p in enumerate(positions)]
    return "CAST(" + " | ".join(terms) + " AS BIGINT)"


register(FunctionDef("$GROUPING", lambda args: T.bigint(False), _grouping_lower))
