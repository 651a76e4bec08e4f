"""Arithmetic operators (`+ - * / %`, MOD, unary minus) and the helpers the comparison and
conditional modules share.

Flink semantics that differ from DuckDB's and are decided here: integer arithmetic wraps around in
two's complement as Java's does (`2147483647 + 1` is -2147483648; DuckDB would raise), integer `/`
truncates (INT / INT is INT), `%` takes the sign of the dividend and the divisor's type, DECIMAL
division is exact and rounds HALF_UP to Flink's scale (DuckDB divides DECIMALs in DOUBLE), a string
is compared with a number or a date by casting it, and a BOOLEAN is never equal to a string.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.binder.context import CALCITE_VALIDATOR
from planner.expr import Expr, Lit
from planner.functions.cast_sql import bind
from planner.functions.coercion import (
    CoercionError,
    arithmetic_type,
)
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, calcite_name, to_duckdb

_DIVISION_BY_ZERO = "error('java.lang.ArithmeticException: Division by zero')"


def calcite_error(message: str) -> FunctionError:
    """A FunctionError that Flink reports through Calcite's validator (SqlValidatorException)."""
    error = FunctionError(message)
    error.java_class = CALCITE_VALIDATOR  # type: ignore[attr-defined]
    return error


def arg_types(args: Sequence[Expr]) -> list[FlinkType]:
    return [a.type for a in args]


def cast_sql(sql: str, t: FlinkType) -> str:
    return f"CAST({sql} AS {to_duckdb(t)})"


def reject_untyped_null(args: Sequence[Expr]) -> None:
    if any(a.type.name == "NULL" for a in args):
        raise calcite_error("Illegal use of 'NULL'")


# ---------------------------------------------------------------- arithmetic

_ARITH_FORMS = {
    "+": (
        "'<NUMERIC> + <NUMERIC>'\n'<DATETIME_INTERVAL> + <DATETIME_INTERVAL>'\n"
        "'<DATETIME> + <DATETIME_INTERVAL>'\n'<DATETIME_INTERVAL> + <DATETIME>'"
    ),
    "-": (
        "'<NUMERIC> - <NUMERIC>'\n'<DATETIME_INTERVAL> - <DATETIME_INTERVAL>'\n"
        "'<DATETIME> - <DATETIME_INTERVAL>'"
    ),
    "*": (
        "'<NUMERIC> * <NUMERIC>'\n'<DATETIME_INTERVAL> * <NUMERIC>'\n"
        "'<NUMERIC> * <DATETIME_INTERVAL>'"
    ),
    "/": "'<NUMERIC> / <NUMERIC>'\n'<DATETIME_INTERVAL> / <NUMERIC>'",
    "%": "'<EXACT_NUMERIC> % <EXACT_NUMERIC>'",
    "MOD": "'MOD(<EXACT_NUMERIC>, <EXACT_NUMERIC>)'",
}


def arith_infer(op: str):
    shown = "MOD" if op == "%" else op

    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, shown, 2)
        a, b = arg_types(args)
        reject_untyped_null(args)
        if op in "+-" and (a.is_temporal or b.is_temporal or a.is_interval or b.is_interval):
            return _datetime_plus_type(op, a, b)
        try:
            return arithmetic_type(op, a, b)
        except CoercionError:
            raise calcite_error(_cannot_apply(shown, a, b)) from None

    return infer


def _cannot_apply(op: str, a: FlinkType, b: FlinkType) -> str:
    if op == "MOD":
        used = f"MOD(<{calcite_name(a)}>, <{calcite_name(b)}>)"
    else:
        used = f"<{calcite_name(a)}> {op} <{calcite_name(b)}>"
    return (
        f"Cannot apply '{op}' to arguments of type '{used}'. Supported form(s): {_ARITH_FORMS[op]}"
    )


def _mod_infer(symbol: str):
    inner = arith_infer("%")

    def infer(args: Sequence[Expr]) -> FlinkType:
        try:
            return inner(args)
        except FunctionError as e:
            if symbol == "%" and str(e).startswith("Cannot apply"):
                a, b = arg_types(args)
                raise calcite_error(_cannot_apply("%", a, b)) from None
            raise

    return infer


def _datetime_plus_type(op: str, a: FlinkType, b: FlinkType) -> FlinkType:
    nullable = a.nullable or b.nullable
    if a.is_temporal and b.is_interval:
        return a.without_time_attr().with_nullable(nullable)
    if op == "+" and a.is_interval and b.is_temporal:
        return b.without_time_attr().with_nullable(nullable)
    if a.is_interval and b.is_interval and a.name == b.name:
        return a.with_nullable(nullable)
    raise calcite_error(_cannot_apply(op, a, b))


_WIDER = {"TINYINT": "INTEGER", "SMALLINT": "INTEGER", "INT": "BIGINT", "BIGINT": "HUGEINT"}
_BITS = {"TINYINT": 8, "SMALLINT": 16, "INT": 32, "BIGINT": 64}


def wrap_to(wide_sql: str, t: FlinkType) -> str:
    """Fold an exact result computed in a wider type back into `t`, two's complement like Java."""
    bits = _BITS[t.name]
    wide = _WIDER[t.name]
    half, mask = 1 << (bits - 1), (1 << bits) - 1
    return (
        f"CAST(((({wide_sql}) + CAST({half} AS {wide})) & CAST({mask} AS {wide})) "
        f"- CAST({half} AS {wide}) AS {to_duckdb(t)})"
    )


def _widened(sql: str, t: FlinkType) -> str:
    return f"CAST({sql} AS {_WIDER[t.name]})"


def arith_lower(op: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        a, b = sql
        if rt.name == "DECIMAL":
            if op == "/":
                return decimal_divide(a, b, args[0].type, args[1].type, rt)
            if op == "%":
                return f"(CASE WHEN {b} = 0 THEN {_DIVISION_BY_ZERO} ELSE {cast_sql(f'{a} % {b}', rt)} END)"
            if (rt.precision or 0) > 18:
                # DuckDB computes a product of small DECIMALs in 64 bits and raises on overflow.
                a, b = _wide_decimal(a, args[0].type), _wide_decimal(b, args[1].type)
            return cast_sql(f"{a} {op} {b}", rt)
        if rt.is_integer and op == "%":
            wide = max((args[0].type, args[1].type), key=lambda t: _BITS[t.name])
            return cast_sql(f"{_widened(a, wide)} % {_widened(b, wide)}", rt)
        if rt.is_integer:
            duck_op = "//" if op == "/" else op
            return wrap_to(f"{_widened(a, rt)} {duck_op} {_widened(b, rt)}", rt)
        if rt.is_approx:
            return cast_sql(f"{cast_sql(a, rt)} {op} {cast_sql(b, rt)}", rt)
        return f"({a} {op} {b})"

    return lower


def _wide_decimal(sql: str, t: FlinkType) -> str:
    return f"CAST({sql} AS DECIMAL(38, {t.scale or 0 if t.name == 'DECIMAL' else 0}))"


def _unscaled(sql: str, t: FlinkType) -> tuple[str, int]:
    """An exact number as (HUGEINT of its digits, scale): 7.25 is (725, 2)."""
    if t.name != "DECIMAL":
        return f"CAST({sql} AS HUGEINT)", 0
    scale = t.scale or 0
    if scale == 0:
        return f"CAST({sql} AS HUGEINT)", 0
    factor = 10**scale
    return (
        bind(
            sql,
            lambda v: (
                f"(CAST(trunc({v}) AS HUGEINT) * {factor} "
                f"+ CAST(({v} - trunc({v})) * {factor} AS HUGEINT))"
            ),
        ),
        scale,
    )


def decimal_divide(a: str, b: str, ta: FlinkType, tb: FlinkType, rt: FlinkType) -> str:
    """Flink's exact DECIMAL quotient, rounded HALF_UP to the result's scale, in HUGEINT digits."""
    numerator, sa = _unscaled(a, ta)
    denominator, sb = _unscaled(b, tb)
    scale = rt.scale or 0
    shift = scale + sb - sa
    if shift >= 0:
        numerator = f"({numerator} * CAST({10**shift} AS HUGEINT))"
    else:
        denominator = f"({denominator} * CAST({10**-shift} AS HUGEINT))"
    digits = f"0.{'0' * (scale - 1)}1" if scale else "1"
    unit = f"CAST('{digits}' AS DECIMAL({min(scale + 1, 38)}, {scale}))"

    def body(n: str, d: str) -> str:
        rem = f"abs({n} % {d})"
        rounded = (
            f"({n} // {d} + CASE WHEN {rem} >= abs({d}) - {rem} "
            f"THEN sign({n}) * sign({d}) ELSE 0 END)"
        )
        return (
            f"CASE WHEN {d} = 0 THEN {_DIVISION_BY_ZERO} "
            f"ELSE {cast_sql(f'CAST({rounded} AS DECIMAL(38, 0)) * {unit}', rt)} END"
        )

    return bind(numerator, lambda n: bind(denominator, lambda d: body(n, d)))


register(
    FunctionDef("+", arith_infer("+"), arith_lower("+"), nodes=(exp.Add,)),
    FunctionDef("-", arith_infer("-"), arith_lower("-"), nodes=(exp.Sub,)),
    FunctionDef("*", arith_infer("*"), arith_lower("*"), nodes=(exp.Mul,)),
    FunctionDef("/", arith_infer("/"), arith_lower("/"), nodes=(exp.Div,)),
    FunctionDef("%", _mod_infer("%"), arith_lower("%"), nodes=(exp.Mod,)),
    FunctionDef("MOD", _mod_infer("MOD"), arith_lower("%")),
)


def _neg_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "-", 1)
    reject_untyped_null(args)
    (arg,) = args
    t = arg.type
    if not (t.is_numeric or t.is_interval):
        raise calcite_error(
            f"Cannot apply '-' to arguments of type '-<{calcite_name(t)}>'. "
            "Supported form(s): '-<NUMERIC>'\n'-<DATETIME_INTERVAL>'"
        )
    if isinstance(arg, Lit) and t.is_integer and isinstance(arg.value, int):
        # Calcite folds `-(literal)` into a literal, typed by its value: -(-2147483648) is BIGINT.
        value = -arg.value
        if not -(2**31) <= value < 2**31:
            return T.bigint(False) if -(2**63) <= value < 2**63 else T.decimal(19, 0, False)
    return t.without_time_attr()


def _neg_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    (x,) = sql
    if rt.is_integer and rt.name == args[0].type.name:
        return wrap_to(f"-{_widened(x, rt)}", rt)
    if rt != args[0].type.with_nullable(rt.nullable):
        return f"(-{cast_sql(x, rt)})"
    return f"(-({x}))"


register(FunctionDef("NEGATE", _neg_infer, _neg_lower, nodes=(exp.Neg,)))
