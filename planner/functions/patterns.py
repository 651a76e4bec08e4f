"""LIKE and SIMILAR TO, with ESCAPE, as Flink (Calcite) defines them.

LIKE: `_` and `%` are the only wildcards, the match covers the whole string, there is no default
escape character (a backslash is literal), and an ESCAPE must be one character followed in the pattern
only by `_`, `%` or itself ("Invalid escape sequence" otherwise).
SIMILAR TO: Calcite turns the pattern into a Java regex and matches the whole string: `_` is any
character, `%` any sequence, `$` and `\\` are literal, and every other character keeps its regex
meaning (so `.` matches any character and `^` is an anchor, as in Flink).
The binder passes (value, pattern[, escape]); NOT is a separate call.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner import types as T
from planner.expr import Expr, Lit
from planner.functions.java_regex import UnsupportedRegex, translate
from planner.functions.registry import FunctionDef, FunctionError, register
from planner.functions.string_args import (
    CHARACTER,
    any_nullable,
    check_args,
    sql_string,
)
from planner.types import FlinkType

C = CHARACTER
_SIMILAR_SPECIALS = "[]()|^-+*_%?{}"
_JAVA_SPECIALS = "[]()|^-+*?{}$\\."


def _literal_text(e: Expr) -> str | None:
    return e.value if isinstance(e, Lit) and isinstance(e.value, str) else None


def _is_null_literal(e: Expr) -> bool:
    return isinstance(e, Lit) and e.value is None


def _escape_char(args: Sequence[Expr]) -> str | None:
    """The ESCAPE character when given as a literal; a wrong length is Calcite's error."""
    if len(args) < 3:
        return None
    escape = _literal_text(args[2])
    if escape is not None and len(escape) > 1:
        raise FunctionError(f"Invalid escape character '{escape}'")
    return escape


def _invalid_sequence(pattern: str, i: int) -> FunctionError:
    return FunctionError(f"Invalid escape sequence '{pattern}', {i}")


def check_like_pattern(pattern: str, escape: str) -> None:
    i = 0
    while i < len(pattern):
        if pattern[i] == escape:
            if i == len(pattern) - 1 or pattern[i + 1] not in ("_", "%", escape):
                raise _invalid_sequence(pattern, i)
            i += 1
        i += 1


def _like_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("LIKE", args, [[C, C], [C, C, C]], ["LIKE(<STRING>, <STRING>, <STRING>)"])
    escape = _escape_char(args)
    pattern = _literal_text(args[1])
    if escape is not None and pattern is not None:
        check_like_pattern(pattern, escape)
    return T.boolean(any_nullable(args))


def _like_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if len(sql) == 2:
        return f"{sql[0]} LIKE {sql[1]}"
    return f"like_escape({sql[0]}, {sql[1]}, {sql[2]})"


register(FunctionDef("LIKE", _like_infer, _like_lower))


# ---------------------------------------------------------------- SIMILAR TO


def similar_to_regex(pattern: str, escape: str | None) -> str:
    """Calcite's SIMILAR TO pattern translation (to a Java regex matched against the whole string)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if escape is not None and c == escape:
            if i == n - 1:
                raise _invalid_sequence(pattern, i)
            nxt = pattern[i + 1]
            if nxt in _SIMILAR_SPECIALS or nxt == escape:
                out.append("\\" + nxt if nxt in _JAVA_SPECIALS else nxt)
            else:
                raise _invalid_sequence(pattern, i)
            i += 2
            continue
        if c == "_":
            out.append(".")
        elif c == "%":
            out.append("(?s:.*)")
        elif c == "\\":
            out.append("\\\\")
        elif c == "$":
            out.append("\\$")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _similar_infer(args: Sequence[Expr]) -> FlinkType:
    check_args(
        "SIMILAR TO", args, [[C, C], [C, C, C]], ["SIMILAR TO(<STRING>, <STRING>, <STRING>)"]
    )
    escape = _escape_char(args)
    if len(args) == 3 and escape is None and not _is_null_literal(args[2]):
        raise FunctionError("SIMILAR TO needs a literal ESCAPE character here")
    pattern = _literal_text(args[1])
    if _is_null_literal(args[1]) or (len(args) == 3 and _is_null_literal(args[2])):
        return T.boolean(True)
    if pattern is None:
        raise FunctionError(
            "SIMILAR TO needs a literal pattern here (a pattern computed per row is not supported)"
        )
    try:
        translated = translate(similar_to_regex(pattern, escape))
    except UnsupportedRegex as e:
        raise FunctionError(str(e)) from None
    if not translated.valid:
        raise FunctionError(f"Invalid SIMILAR TO pattern '{pattern}'")
    return T.boolean(any_nullable(args))


def _similar_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    pattern = _literal_text(args[1])
    if pattern is None or (len(args) == 3 and _is_null_literal(args[2])):
        return "CAST(NULL AS BOOLEAN)"
    escape = _literal_text(args[2]) if len(args) > 2 else None
    regex = translate(similar_to_regex(pattern, escape)).re2
    return f"regexp_full_match({sql[0]}, {sql_string(regex)})"


register(FunctionDef("SIMILAR TO", _similar_infer, _similar_lower))
