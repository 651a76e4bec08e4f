"""Operators and conditional functions: arithmetic, comparison, logic, NULL tests, CASE and friends.

Flink semantics that differ from DuckDB's and are decided here: integer `/` truncates (INT / INT is
INT), `%` takes the sign of the dividend, `||` and CONCAT return NULL when any operand is NULL,
DECIMAL results get Flink's precision and scale (cast explicitly, since DuckDB's differ).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Symbol
from planner.functions.coercion import (
    CoercionError,
    any_nullable,
    arithmetic_type,
    common_type,
    comparable,
)
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, to_duckdb


def _types(args: Sequence[Expr]) -> list[FlinkType]:
    return [a.type for a in args]


def cast_sql(sql: str, t: FlinkType) -> str:
    return f"CAST({sql} AS {to_duckdb(t)})"


# ---------------------------------------------------------------- arithmetic


def _arith_infer(op: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, op, 2)
        a, b = _types(args)
        if op in "+-" and (a.is_temporal or b.is_temporal or a.is_interval or b.is_interval):
            return _datetime_plus_type(op, a, b)
        try:
            return arithmetic_type(op, a, b)
        except CoercionError as e:
            raise FunctionError(str(e)) from None

    return infer


def _datetime_plus_type(op: str, a: FlinkType, b: FlinkType) -> FlinkType:
    nullable = a.nullable or b.nullable
    if a.is_temporal and b.is_interval:
        return a.without_time_attr().with_nullable(nullable)
    if op == "+" and a.is_interval and b.is_temporal:
        return b.without_time_attr().with_nullable(nullable)
    if a.is_interval and b.is_interval and a.name == b.name:
        return a.with_nullable(nullable)
    raise FunctionError(f"Cannot apply '{op}' to arguments of type '{a}' and '{b}'")


def _arith_lower(op: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        a, b = sql
        if rt.name == "DECIMAL":
            if op == "/":
                # DuckDB divides DECIMALs in DOUBLE; Flink rounds the exact quotient to the scale.
                return cast_sql(f"CAST({a} AS DOUBLE) / CAST({b} AS DOUBLE)", rt)
            return cast_sql(f"{a} {op} {b}", rt)
        if rt.is_integer and op == "/":
            return cast_sql(f"{a} // {b}", rt)
        if rt.is_integer or rt.is_approx:
            return cast_sql(f"{a} {op} {b}", rt)
        return f"{a} {op} {b}"

    return lower


register(
    FunctionDef("+", _arith_infer("+"), _arith_lower("+"), nodes=(exp.Add,)),
    FunctionDef("-", _arith_infer("-"), _arith_lower("-"), nodes=(exp.Sub,)),
    FunctionDef("*", _arith_infer("*"), _arith_lower("*"), nodes=(exp.Mul,)),
    FunctionDef("/", _arith_infer("/"), _arith_lower("/"), nodes=(exp.Div,)),
    FunctionDef("MOD", _arith_infer("%"), _arith_lower("%"), nodes=(exp.Mod,), aliases=("%",)),
)


def _neg_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "-", 1)
    t = args[0].type
    if not (t.is_numeric or t.is_interval):
        raise FunctionError(f"Cannot apply '-' to arguments of type '{t}'")
    return t.without_time_attr()


register(
    FunctionDef("NEGATE", _neg_infer, lambda s, a, rt: f"-{s[0]}", nodes=(exp.Neg,)),
)


# ---------------------------------------------------------------- comparison


def _compare_infer(op: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, op, 2)
        a, b = _types(args)
        if not comparable(a, b):
            raise FunctionError(
                f"Cannot apply '{op}' to arguments of type '<{a.sql()}> {op} <{b.sql()}>'. "
                f"Supported form(s): '<COMPARABLE_TYPE> {op} <COMPARABLE_TYPE>'"
            )
        return T.boolean(any_nullable([a, b]))

    return infer


def _compare_lower(op: str):
    duck = {"<>": "<>"}.get(op, op)

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        return f"{sql[0]} {duck} {sql[1]}"

    return lower


register(
    FunctionDef("=", _compare_infer("="), _compare_lower("="), nodes=(exp.EQ,)),
    FunctionDef("<>", _compare_infer("<>"), _compare_lower("<>"), nodes=(exp.NEQ,)),
    FunctionDef("<", _compare_infer("<"), _compare_lower("<"), nodes=(exp.LT,)),
    FunctionDef("<=", _compare_infer("<="), _compare_lower("<="), nodes=(exp.LTE,)),
    FunctionDef(">", _compare_infer(">"), _compare_lower(">"), nodes=(exp.GT,)),
    FunctionDef(">=", _compare_infer(">="), _compare_lower(">="), nodes=(exp.GTE,)),
)


def _distinct_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "IS DISTINCT FROM", 2)
    return T.boolean(False)


register(
    FunctionDef(
        "IS DISTINCT FROM",
        _distinct_infer,
        lambda s, a, rt: f"{s[0]} IS DISTINCT FROM {s[1]}",
        nodes=(exp.NullSafeNEQ,),
    ),
    FunctionDef(
        "IS NOT DISTINCT FROM",
        _distinct_infer,
        lambda s, a, rt: f"{s[0]} IS NOT DISTINCT FROM {s[1]}",
        nodes=(exp.NullSafeEQ,),
    ),
)


def _between_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "BETWEEN", 3)
    return T.boolean(any_nullable(_types(args)))


def _between_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    return [node.this, node.args["low"], node.args["high"]]


register(
    FunctionDef(
        "BETWEEN",
        _between_infer,
        lambda s, a, rt: f"{s[0]} BETWEEN {s[1]} AND {s[2]}",
        nodes=(exp.Between,),
        args=_between_args,
    ),
    FunctionDef(
        "NOT BETWEEN",
        _between_infer,
        lambda s, a, rt: f"{s[0]} NOT BETWEEN {s[1]} AND {s[2]}",
    ),
)


def _in_infer(args: Sequence[Expr]) -> FlinkType:
    types = _types(args)
    try:
        common_type(types)
    except CoercionError:
        if not all(comparable(types[0], t) for t in types[1:]):
            raise FunctionError("Values passed to IN operator must have compatible types") from None
    return T.boolean(any_nullable(types))


register(
    FunctionDef("IN", _in_infer, lambda s, a, rt: f"{s[0]} IN ({', '.join(s[1:])})"),
    FunctionDef("NOT IN", _in_infer, lambda s, a, rt: f"{s[0]} NOT IN ({', '.join(s[1:])})"),
)


# ---------------------------------------------------------------- logic


def _bool_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        for a in args:
            if a.type.name not in ("BOOLEAN", "NULL"):
                raise FunctionError(
                    f"Cannot apply '{name}' to arguments of type '<{a.type.sql()}>'. "
                    f"Supported form(s): '<BOOLEAN> {name} <BOOLEAN>'"
                )
        return T.boolean(any_nullable(_types(args)))

    return infer


register(
    FunctionDef("AND", _bool_infer("AND"), lambda s, a, rt: " AND ".join(s), nodes=(exp.And,)),
    FunctionDef("OR", _bool_infer("OR"), lambda s, a, rt: " OR ".join(s), nodes=(exp.Or,)),
    FunctionDef("NOT", _bool_infer("NOT"), lambda s, a, rt: f"NOT {s[0]}", nodes=(exp.Not,)),
)


def _not_null_bool(args: Sequence[Expr]) -> FlinkType:
    return T.boolean(False)


register(
    FunctionDef("IS NULL", _not_null_bool, lambda s, a, rt: f"{s[0]} IS NULL"),
    FunctionDef("IS NOT NULL", _not_null_bool, lambda s, a, rt: f"{s[0]} IS NOT NULL"),
    FunctionDef("IS TRUE", _not_null_bool, lambda s, a, rt: f"{s[0]} IS TRUE"),
    FunctionDef("IS NOT TRUE", _not_null_bool, lambda s, a, rt: f"{s[0]} IS NOT TRUE"),
    FunctionDef("IS FALSE", _not_null_bool, lambda s, a, rt: f"{s[0]} IS FALSE"),
    FunctionDef("IS NOT FALSE", _not_null_bool, lambda s, a, rt: f"{s[0]} IS NOT FALSE"),
    FunctionDef("IS UNKNOWN", _not_null_bool, lambda s, a, rt: f"{s[0]} IS NULL"),
    FunctionDef("IS NOT UNKNOWN", _not_null_bool, lambda s, a, rt: f"{s[0]} IS NOT NULL"),
)


# ---------------------------------------------------------------- conditionals


def _case_infer(args: Sequence[Expr]) -> FlinkType:
    """args: cond1, value1, cond2, value2, ..., else_value (ELSE NULL is added by the binder)."""
    values = [args[i] for i in range(1, len(args) - 1, 2)] + [args[-1]]
    try:
        return common_type([v.type for v in values])
    except CoercionError as e:
        raise FunctionError(f"Illegal mixing of types in CASE or COALESCE statement: {e}") from None


def _case_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    parts = ["CASE"]
    for i in range(0, len(sql) - 1, 2):
        parts.append(f"WHEN {sql[i]} THEN {_coerced(sql[i + 1], args[i + 1].type, rt)}")
    parts.append(f"ELSE {_coerced(sql[-1], args[-1].type, rt)} END")
    return " ".join(parts)


def _coerced(sql: str, t: FlinkType, target: FlinkType) -> str:
    """Flink pads CHAR values to the common CHAR length; other types DuckDB widens implicitly."""
    if target.name == "CHAR" and t.name == "CHAR" and t.precision != target.precision:
        return f"rpad({sql}, {target.precision}, ' ')"
    if target.name == "DECIMAL" and t != target:
        return cast_sql(sql, target)
    return sql


register(FunctionDef("CASE", _case_infer, _case_lower))


def _coalesce_infer(args: Sequence[Expr]) -> FlinkType:
    try:
        t = common_type(_types(args))
    except CoercionError as e:
        raise FunctionError(f"Illegal mixing of types in COALESCE: {e}") from None
    return t.with_nullable(all(a.type.nullable for a in args))


def _coalesce_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    inner = ", ".join(_coerced(s, a.type, rt) for s, a in zip(sql, args, strict=True))
    return f"COALESCE({inner})"


register(
    FunctionDef("COALESCE", _coalesce_infer, _coalesce_lower, nodes=(exp.Coalesce,)),
)


def _ifnull_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "IFNULL", 2)
    return _coalesce_infer(args)


register(FunctionDef("IFNULL", _ifnull_infer, _coalesce_lower))


def _if_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "IF", 3)
    try:
        return common_type([args[1].type, args[2].type])
    except CoercionError as e:
        raise FunctionError(str(e)) from None


def _if_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    a, b = _coerced(sql[1], args[1].type, rt), _coerced(sql[2], args[2].type, rt)
    return f"CASE WHEN {sql[0]} THEN {a} ELSE {b} END"


def _if_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    return [node.this, node.args["true"], node.args.get("false") or exp.Null()]


register(FunctionDef("IF", _if_infer, _if_lower, nodes=(exp.If,), args=_if_args))


def _nullif_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "NULLIF", 2)
    return args[0].type.without_time_attr().with_nullable(True)


register(
    FunctionDef(
        "NULLIF", _nullif_infer, lambda s, a, rt: f"NULLIF({s[0]}, {s[1]})", nodes=(exp.Nullif,)
    )
)


def _concat_infer(args: Sequence[Expr]) -> FlinkType:
    for a in args:
        if not (a.type.is_character or a.type.name == "NULL"):
            raise FunctionError(
                f"Cannot apply '||' to arguments of type '<{args[0].type.sql()}> || <{args[-1].type.sql()}>'. "
                "Supported form(s): '<STRING> || <STRING>'"
            )
    from planner.types import MAX_LENGTH

    length = sum(T.char_length(a.type) for a in args if a.type.name != "NULL")
    nullable = any_nullable(_types(args))
    if all(a.type.name == "CHAR" for a in args):
        return T.char(min(length, MAX_LENGTH), nullable)
    return T.varchar(min(length, MAX_LENGTH), nullable)


register(
    FunctionDef(
        "||",
        _concat_infer,
        lambda s, a, rt: " || ".join(s),
        nodes=(exp.DPipe,),
    )
)
