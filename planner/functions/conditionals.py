"""Conditional functions: CASE, COALESCE, IFNULL, IF, NULLIF, GREATEST, LEAST and the IS_* tests.

CASE, IF and IN unify their branches with Calcite's common type; COALESCE, IFNULL, GREATEST and LEAST
with Flink's merged type (`coercion.merged_type`), which is why the two families differ on CHARs of
different lengths and DATE/TIMESTAMP mixes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Symbol
from planner.functions.coercion import (
    CoercionError,
    any_nullable,
    common_type,
    merged_type,
)
from planner.functions.comparisons import coerce_operands, compare_lower
from planner.functions.operators import (
    arg_types,
    calcite_error,
    reject_untyped_null,
)
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, calcite_name, to_duckdb

# ---------------------------------------------------------------- conditionals


def coerce_to(sql: str, t: FlinkType, target: FlinkType) -> str:
    """A branch value as the conditional's result type (no padding: Flink's VARCHAR result of
    CHAR branches keeps each value's own length)."""
    if t.without_time_attr().with_nullable(target.nullable) == target:
        return sql
    if t.name == "NULL":
        return f"CAST(NULL AS {to_duckdb(target)})"
    if target.name == "VARCHAR" and t.is_character:
        return sql
    from planner.functions.casts import lower_cast

    return lower_cast(sql, t, target.with_nullable(True), safe=False)


def _case_infer(args: Sequence[Expr]) -> FlinkType:
    """args: cond1, value1, cond2, value2, ..., else_value (ELSE NULL is added by the binder)."""
    conditions = [args[i] for i in range(0, len(args) - 1, 2)]
    values = [args[i] for i in range(1, len(args) - 1, 2)] + [args[-1]]
    if any(c.type.name != "BOOLEAN" for c in conditions):
        raise calcite_error("Expected a boolean type")
    if all(v.type.name == "NULL" for v in values):
        raise calcite_error("ELSE clause or at least one THEN clause must be non-NULL")
    try:
        return common_type(arg_types(values))
    except CoercionError:
        raise calcite_error("Illegal mixing of types in CASE or COALESCE statement") from None


def _case_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    parts = ["(CASE"]
    for i in range(0, len(sql) - 1, 2):
        parts.append(f"WHEN {sql[i]} THEN {coerce_to(sql[i + 1], args[i + 1].type, rt)}")
    parts.append(f"ELSE {coerce_to(sql[-1], args[-1].type, rt)} END)")
    return " ".join(parts)


register(FunctionDef("CASE", _case_infer, _case_lower))


def _invalid_call(name: str, args: Sequence[Expr]) -> FunctionError:
    shown = ", ".join(a.type.summary() for a in args)
    return FunctionError(f"Invalid function call:\n{name}({shown})")


def _merged(name: str, args: Sequence[Expr]) -> FlinkType:
    try:
        return merged_type(arg_types(args))
    except CoercionError:
        raise _invalid_call(name, args) from None


def _coalesce_infer(args: Sequence[Expr]) -> FlinkType:
    if not args:
        raise calcite_error(
            "Invalid number of arguments to function 'COALESCE'. Was expecting 1 arguments"
        )
    t = _merged("COALESCE", args)
    return t.with_nullable(all(a.type.nullable for a in args))


def _coalesce_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    inner = ", ".join(coerce_to(s, a.type, rt) for s, a in zip(sql, args, strict=True))
    return f"COALESCE({inner})"


def _ifnull_infer(args: Sequence[Expr]) -> FlinkType:
    if len(args) != 2:
        shown = ", ".join(f"<{_family(a.type)}>" for a in args)
        raise calcite_error(
            f"No match found for function signature IFNULL({shown}). "
            "Supported signatures are: IFNULL(input <COMMON>, null_replacement <COMMON>)"
        )
    common = _merged("IFNULL", args)
    first = args[0].type
    if not first.nullable and first.is_character:
        # Flink drops IFNULL of a NOT NULL string, keeping that string's own type.
        return first.without_time_attr()
    return common.with_nullable(first.nullable and args[1].type.nullable)


def _family(t: FlinkType) -> str:
    if t.is_numeric:
        return "NUMERIC"
    return "CHARACTER" if t.is_character else t.name


register(
    FunctionDef("COALESCE", _coalesce_infer, _coalesce_lower, nodes=(exp.Coalesce,)),
    FunctionDef("IFNULL", _ifnull_infer, _coalesce_lower),
)

_IF_FORMS = (
    "'IF(<ANY_TYPE>, <NUMERIC_TYPE>, <NUMERIC_TYPE>)'\n'IF(<BOOLEAN>, <CHARACTER>, <CHARACTER>)'\n"
    "'IF(<BOOLEAN>, <BOOLEAN>, <BOOLEAN>)'\n'IF(<BOOLEAN>, <CHARACTER>, <CHARACTER>)'\n"
    "'IF(<BOOLEAN>, <BINARY>, <BINARY>)'\n'IF(<BOOLEAN>, <DATE>, <DATE>)'\n"
    "'IF(<BOOLEAN>, <TIMESTAMP>, <TIMESTAMP>)'\n'IF(<BOOLEAN>, <TIME>, <TIME>)'"
)


def _if_family(t: FlinkType) -> str:
    if t.is_numeric:
        return "NUMERIC"
    if t.is_character or t.is_binary:
        return "CHARACTER" if t.is_character else "BINARY"
    return t.name if t.name in ("BOOLEAN", "DATE", "TIMESTAMP", "TIME") else ""


def _if_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "IF", 3)
    reject_untyped_null(args)
    cond, a, b = arg_types(args)
    family = _if_family(a)
    if not family or family != _if_family(b) or (cond.name != "BOOLEAN" and family != "NUMERIC"):
        shown = ", ".join(f"<{calcite_name(t)}>" for t in (cond, a, b))
        raise calcite_error(
            f"Cannot apply 'IF' to arguments of type 'IF({shown})'. Supported form(s): {_IF_FORMS}"
        )
    if cond.name != "BOOLEAN":
        raise calcite_error("Expected a boolean type")
    t = common_type([a, b])
    if a.name == b.name == "TIMESTAMP":
        t = a.without_time_attr().with_nullable(t.nullable)  # IF keeps the first precision
    return t.with_nullable(cond.nullable or t.nullable)


def _if_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    a, b = coerce_to(sql[1], args[1].type, rt), coerce_to(sql[2], args[2].type, rt)
    return f"(CASE WHEN {sql[0]} THEN {a} ELSE {b} END)"


def _if_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    return [node.this, node.args["true"], node.args.get("false") or exp.Null()]


register(FunctionDef("IF", _if_infer, _if_lower, nodes=(exp.If,), args=_if_args))


def _nullif_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "NULLIF", 2)
    if args[0].type.name == "NULL":
        raise calcite_error("ELSE clause or at least one THEN clause must be non-NULL")
    coerce_operands("=", args)
    return args[0].type.without_time_attr().with_nullable(True)


def _nullif_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    equal = compare_lower("=")(sql, args, T.boolean())
    return f"(CASE WHEN {equal} THEN NULL ELSE {sql[0]} END)"


register(FunctionDef("NULLIF", _nullif_infer, _nullif_lower, nodes=(exp.Nullif,)))


def _extreme_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        if not args:
            raise calcite_error(
                f"No match found for function signature {name}(). "
                f"Supported signatures are: {name}(<COMPARABLE>...)"
            )
        reject_untyped_null(args)
        t = _merged(name, args)
        if t.name in ("ARRAY", "MAP", "MULTISET", "ROW", "RAW"):
            error = FunctionError(f"Comparable type expected, but was '{t.with_nullable(False)}'.")
            error.java_class = "org.apache.flink.table.planner.codegen.CodeGenException"  # type: ignore[attr-defined]
            raise error
        return t

    return infer


def _extreme_lower(duck: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        values = [coerce_to(s, a.type, rt) for s, a in zip(sql, args, strict=True)]
        nullable = [v for v, a in zip(values, args, strict=True) if a.type.nullable]
        result = f"{duck}({', '.join(values)})"
        if not nullable:
            return result
        # Flink's GREATEST/LEAST are NULL when any argument is; DuckDB's skip NULLs.
        any_null = " OR ".join(f"{v} IS NULL" for v in nullable)
        return f"(CASE WHEN {any_null} THEN NULL ELSE {result} END)"

    return lower


register(
    FunctionDef(
        "GREATEST", _extreme_infer("GREATEST"), _extreme_lower("greatest"), nodes=(exp.Greatest,)
    ),
    FunctionDef("LEAST", _extreme_infer("LEAST"), _extreme_lower("least"), nodes=(exp.Least,)),
)


def _char_test_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1)
        return T.boolean(False)

    return infer


def _char_test_lower(pattern: str):
    """IS_ALPHA / IS_DIGIT / IS_DECIMAL: FALSE for NULL; the value's text must match entirely."""

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        t = args[0].type
        text = sql[0] if t.is_character else coerce_to(sql[0], t, T.string())
        return f"coalesce(regexp_full_match({text}, '{pattern}'), FALSE)"

    return lower


_JAVA_TRIM = r"[\x00-\x20]*"
register(
    FunctionDef("IS_ALPHA", _char_test_infer("IS_ALPHA"), _char_test_lower(r"\p{L}+")),
    FunctionDef("IS_DIGIT", _char_test_infer("IS_DIGIT"), _char_test_lower(r"\p{Nd}+")),
    FunctionDef(
        "IS_DECIMAL",
        _char_test_infer("IS_DECIMAL"),
        _char_test_lower(
            _JAVA_TRIM + r"[+-]?(\p{Nd}+\.?\p{Nd}*|\.\p{Nd}+)([eE][+-]?\p{Nd}+)?" + _JAVA_TRIM
        ),
    ),
)


def _concat_infer(args: Sequence[Expr]) -> FlinkType:
    for a in args:
        if not (a.type.is_character or a.type.name == "NULL"):
            raise calcite_error(
                f"Cannot apply '||' to arguments of type '<{calcite_name(args[0].type)}> || "
                f"<{calcite_name(args[-1].type)}>'. Supported form(s): '<STRING> || <STRING>'"
            )
    length = sum(T.char_length(a.type) for a in args if a.type.name != "NULL")
    nullable = any_nullable(arg_types(args))
    if all(a.type.name == "CHAR" for a in args):
        return T.char(min(length, T.MAX_LENGTH), nullable)
    return T.varchar(min(length, T.MAX_LENGTH), nullable)


register(
    FunctionDef("||", _concat_infer, lambda s, a, rt: f"({' || '.join(s)})", nodes=(exp.DPipe,))
)
