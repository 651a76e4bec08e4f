"""Argument checks and SQL building blocks shared by the string, regex and hashing functions.

Why a module of its own: every string function validates its operands the way Calcite does (and
must word the error the same way), derives nullability from its operands, and needs the same few
DuckDB idioms to reproduce Flink's NULL behaviour. Keeping them here keeps each function module
about the function's own semantics. This module registers no function.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner import types as T
from planner.expr import Expr, Lit
from planner.functions.registry import FunctionError
from planner.types import FlinkType

CHARACTER = "CHARACTER"
INTEGER = "INTEGER"
STRING_OR_BINARY = "STRING"


def calcite_type(t: FlinkType) -> str:
    """A type as Calcite prints it inside 'Cannot apply' messages (`INTEGER`, `CHAR(1)`)."""
    if t.name == "INT":
        return "INTEGER"
    if t.name == "VARCHAR":
        return f"VARCHAR({t.precision})"
    if t.name == "VARBINARY":
        return f"VARBINARY({t.precision})"
    return t.with_nullable(True).without_time_attr().sql()


def cannot_apply(name: str, args: Sequence[Expr], forms: Sequence[str]) -> FunctionError:
    shown = ", ".join(f"<{calcite_type(a.type)}>" for a in args)
    supported = " ".join(f"'{f}'" for f in forms)
    return FunctionError(
        f"Cannot apply '{name}' to arguments of type '{name}({shown})'. "
        f"Supported form(s): {supported}"
    )


def _fits(t: FlinkType, kind: str) -> bool:
    if kind == CHARACTER:
        return t.is_character
    if kind == INTEGER:
        return t.is_integer
    if kind == STRING_OR_BINARY:
        return t.is_character or t.is_binary
    raise AssertionError(kind)


def check_args(
    name: str, args: Sequence[Expr], signatures: Sequence[Sequence[str]], forms: Sequence[str]
) -> None:
    """Accept `args` if they fit one signature (a list of kinds), else raise Calcite's message.

    An untyped NULL literal is rejected as Calcite does ("Illegal use of 'NULL'"); a typed one
    (`CAST(NULL AS STRING)`) is an ordinary operand.
    """
    for a in args:
        if a.type.name == "NULL":
            raise FunctionError("Illegal use of 'NULL'")
    for signature in signatures:
        if len(signature) == len(args) and all(
            _fits(a.type, kind) for a, kind in zip(args, signature, strict=True)
        ):
            return
    counts = sorted({len(s) for s in signatures})
    if len(args) not in counts:
        expected = " or ".join(str(c) for c in counts)
        raise FunctionError(
            f"Invalid number of arguments to function '{name}'. Was expecting {expected} arguments"
        )
    raise cannot_apply(name, args, forms)


def any_nullable(args: Sequence[Expr]) -> bool:
    return any(a.type.nullable for a in args)


def length_of(t: FlinkType) -> int:
    """Declared length of a CHAR/VARCHAR (STRING is MAX_LENGTH)."""
    return T.char_length(t)


def varchar_like(t: FlinkType, nullable: bool) -> FlinkType:
    """VARCHAR of the same length as a character operand (what SUBSTRING, TRIM, LEFT return)."""
    return T.varchar(length_of(t), nullable)


def literal(e: Expr) -> object:
    """The value of a literal operand, or None when the operand is not a (non-NULL) literal."""
    return e.value if isinstance(e, Lit) else None


def null_if_any_null(sql: Sequence[str], args: Sequence[Expr], body: str) -> str:
    """`body`, or NULL when a nullable operand is NULL.

    Needed where `body` would otherwise turn a NULL operand into a value (CASE branches that do not
    mention every operand); operands whose type is NOT NULL are not tested.
    """
    tests = [f"{s} IS NULL" for s, a in zip(sql, args, strict=True) if a.type.nullable]
    if not tests:
        return body
    return f"CASE WHEN {' OR '.join(tests)} THEN NULL ELSE {body} END"


def null_result(result: FlinkType, function: str, why: str) -> str:
    """What a function yields when Flink's implementation returns NULL.

    Flink keeps the operands' NOT NULL in the result type even where its runtime returns NULL
    (LPAD with a negative length, REGEXP_REPLACE with an invalid pattern); such a NULL then fails
    the query at the NOT NULL check. We fail the same way, with a message that says why.
    """
    if result.nullable:
        return "NULL"
    message = (
        f"{function} returned NULL ({why}), but its result type {result.summary()} "
        "does not allow NULL"
    )
    return "error(" + "'" + message.replace("'", "''") + "')"


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
