"""Comparison and logic: = <> < <= > >=, IS [NOT] DISTINCT FROM, BETWEEN, IN lists, AND/OR/NOT, IS tests.

A string is compared with a number or a date by casting it with Flink's CAST rules (only for the
ordering operators: `=` between a string and a number is Flink's "implicit type conversion" error),
a BOOLEAN is never equal to a string, and NULL follows three-valued logic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Lit, Symbol
from planner.functions.coercion import (
    CoercionError,
    any_nullable,
    common_type,
    comparison_casts,
)
from planner.functions.operators import (
    arg_types,
    calcite_error,
    reject_untyped_null,
)
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, calcite_name

# ---------------------------------------------------------------- comparison


def coerce_operands(op: str, args: Sequence[Expr]) -> tuple[FlinkType | None, FlinkType | None]:
    a, b = arg_types(args)
    try:
        return comparison_casts(op, a, b)
    except CoercionError as e:
        text = str(e)
        if text.startswith("implicit type conversion"):
            raise FunctionError(text) from None
        if text.startswith("Comparable type expected"):
            error = FunctionError(text)
            error.java_class = "org.apache.flink.table.planner.codegen.CodeGenException"  # type: ignore[attr-defined]
            raise error from None
        raise calcite_error(
            f"Cannot apply '{op}' to arguments of type '<{calcite_name(a)}> {op} "
            f"<{calcite_name(b)}>'. Supported form(s): '<COMPARABLE_TYPE> {op} <COMPARABLE_TYPE>'"
        ) from None


def _compare_infer(op: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, op, 2)
        coerce_operands(op, args)
        nullable = any_nullable(arg_types(args))
        return T.boolean(nullable and op not in ("IS DISTINCT FROM", "IS NOT DISTINCT FROM"))

    return infer


def _cast_operand(sql: str, arg: Expr, target: FlinkType | None) -> str:
    if target is None:
        return sql
    from planner.functions.casts import lower_cast

    # Flink's implicit string-to-date/time conversion yields NULL for unparsable text (a literal
    # fails at plan time); to a number it fails.
    safe = target.is_temporal and not isinstance(arg, Lit)
    return lower_cast(sql, arg.type, target.with_nullable(True), safe=safe)


def compare_lower(op: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        a, b = arg_types(args)
        if "BOOLEAN" in (a.name, b.name) and (a.is_character or b.is_character):
            return _boolean_vs_text(op, sql)
        ca, cb = coerce_operands(op, args)
        left, right = _cast_operand(sql[0], args[0], ca), _cast_operand(sql[1], args[1], cb)
        return f"({left} {op} {right})"

    return lower


def _boolean_vs_text(op: str, sql: Sequence[str]) -> str:
    """Flink never finds a BOOLEAN equal to a string ('true' included), nor ordered before one."""
    a, b = sql
    if op == "IS DISTINCT FROM":
        return f"({a} IS NOT NULL OR {b} IS NOT NULL)"
    if op == "IS NOT DISTINCT FROM":
        return f"({a} IS NULL AND {b} IS NULL)"
    verdict = "TRUE" if op == "<>" else "FALSE"
    return f"(CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL ELSE {verdict} END)"


_COMPARISONS = {
    "=": exp.EQ,
    "<>": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
    "IS DISTINCT FROM": exp.NullSafeNEQ,
    "IS NOT DISTINCT FROM": exp.NullSafeEQ,
}
register(
    *(
        FunctionDef(op, _compare_infer(op), compare_lower(op), nodes=(node,))
        for op, node in _COMPARISONS.items()
    )
)


def _between_infer(args: Sequence[Expr]) -> FlinkType:
    values = [a for a in args if not isinstance(a, Symbol)]
    arity(values, "BETWEEN", 3)
    for bound in values[1:]:
        coerce_operands("<=", [values[0], bound])
    return T.boolean(any_nullable(arg_types(values)))


def _between_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    args: list[exp.Expr | Symbol] = [node.this, node.args["low"], node.args["high"]]
    return [*args, Symbol("SYMMETRIC")] if node.args.get("symmetric") else args


def _between_lower(negated: bool) -> Callable[[Sequence[str], Sequence[Expr], FlinkType], str]:
    ge, le = compare_lower(">="), compare_lower("<=")

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        symmetric = isinstance(args[-1], Symbol)
        x = args[0]

        def within(lo: int, hi: int) -> str:
            above = ge([sql[0], sql[lo]], [x, args[lo]], rt)
            below = le([sql[0], sql[hi]], [x, args[hi]], rt)
            return f"({above} AND {below})"

        test = within(1, 2)
        if symmetric:
            test = f"({test} OR {within(2, 1)})"
        return f"(NOT {test})" if negated else test

    return lower


register(
    FunctionDef(
        "BETWEEN", _between_infer, _between_lower(False), nodes=(exp.Between,), args=_between_args
    ),
    FunctionDef("NOT BETWEEN", _between_infer, _between_lower(True)),
)


def _in_infer(args: Sequence[Expr]) -> FlinkType:
    types = arg_types(args)
    try:
        common_type(types[1:])
    except CoercionError:
        raise calcite_error("Values in expression list must have compatible types") from None
    try:
        common_type(types)
    except CoercionError:
        if not all(_in_comparable(types[0], t) for t in types[1:]):
            raise calcite_error("Values passed to IN operator must have compatible types") from None
    return T.boolean(any_nullable(types))


def _in_comparable(a: FlinkType, b: FlinkType) -> bool:
    try:
        comparison_casts("<", a, b)
    except CoercionError:
        return False
    return True


def _in_item_type(value: FlinkType, item: FlinkType) -> FlinkType | None:
    """Flink casts list items to the tested value's type where the two are string and non-string."""
    if item.name == "NULL" or value.is_character == item.is_character:
        return None
    if value.is_character:
        return T.string()
    return value.without_time_attr()


def _in_lower(negated: bool):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        value = args[0].type
        items = []
        for s, a in zip(sql[1:], args[1:], strict=True):
            items.append(_cast_operand(s, a, _in_item_type(value, a.type)))
        word = "NOT IN" if negated else "IN"
        return f"({sql[0]} {word} ({', '.join(items)}))"

    return lower


register(
    FunctionDef("IN", _in_infer, _in_lower(False)),
    FunctionDef("NOT IN", _in_infer, _in_lower(True)),
)


# ---------------------------------------------------------------- logic


def _bool_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        reject_untyped_null(args)
        if any(a.type.name != "BOOLEAN" for a in args):
            if name == "NOT":
                used, form = f"NOT<{calcite_name(args[0].type)}>", "NOT<BOOLEAN>"
            else:
                used = f" {name} ".join(f"<{calcite_name(a.type)}>" for a in args)
                form = f"<BOOLEAN> {name} <BOOLEAN>"
            raise calcite_error(
                f"Cannot apply '{name}' to arguments of type '{used}'. Supported form(s): '{form}'"
            )
        return T.boolean(any_nullable(arg_types(args)))

    return infer


register(
    FunctionDef(
        "AND", _bool_infer("AND"), lambda s, a, rt: f"({' AND '.join(s)})", nodes=(exp.And,)
    ),
    FunctionDef("OR", _bool_infer("OR"), lambda s, a, rt: f"({' OR '.join(s)})", nodes=(exp.Or,)),
    FunctionDef("NOT", _bool_infer("NOT"), lambda s, a, rt: f"(NOT {s[0]})", nodes=(exp.Not,)),
)


def _is_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        t = args[0].type
        if "NULL" in name:
            return T.boolean(False)
        # The binder calls this directly (not through `call`), so raise its own error type.
        from planner.binder.context import invalid

        if t.name == "NULL":
            raise invalid("Illegal use of 'NULL'")
        if t.name != "BOOLEAN":
            raise invalid(
                f"Cannot apply '{name}' to arguments of type '<{calcite_name(t)}> {name}'. "
                f"Supported form(s): '<BOOLEAN> {name}'"
            )
        return T.boolean(False)

    return infer


_IS_TESTS = {
    "IS NULL": "IS NULL",
    "IS NOT NULL": "IS NOT NULL",
    "IS TRUE": "IS TRUE",
    "IS NOT TRUE": "IS NOT TRUE",
    "IS FALSE": "IS FALSE",
    "IS NOT FALSE": "IS NOT FALSE",
    "IS UNKNOWN": "IS NULL",
    "IS NOT UNKNOWN": "IS NOT NULL",
}
register(
    *(
        FunctionDef(name, _is_infer(name), lambda s, a, rt, duck=duck: f"({s[0]} {duck})")
        for name, duck in _IS_TESTS.items()
    )
)
