"""REGEXP, REGEXP_EXTRACT and REGEXP_REPLACE with Flink's answers on DuckDB's RE2.

Flink semantics (checked against Flink 2.3): REGEXP is a search (not a full match) and is FALSE for
an empty or invalid pattern; REGEXP_EXTRACT returns group `index` (default 0, the whole match) of the
first match and NULL for no match, an invalid pattern or an index outside 0..groups; REGEXP_REPLACE
replaces every match with the replacement taken literally (`$1` and `\\` are not special) and is
NULL for an invalid pattern. Literal patterns are rewritten from Java syntax to RE2 (java_regex.py);
a pattern computed per row is passed to RE2 as written.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Lit
from planner.functions.java_regex import Translation, UnsupportedRegex, translate
from planner.functions.registry import FunctionDef, FunctionError, register
from planner.functions.string_args import (
    CHARACTER,
    INTEGER,
    any_nullable,
    check_args,
    null_if_any_null,
    null_result,
    sql_string,
)
from planner.types import FlinkType

C, N = CHARACTER, INTEGER
MAX_DYNAMIC_GROUP = 9
"""Highest group a per-row index can pick when the pattern is not a literal."""


def literal_pattern(e: Expr) -> Translation | None:
    """The RE2 form of a literal pattern (None when the pattern is computed per row)."""
    if not isinstance(e, Lit) or not isinstance(e.value, str):
        return None
    try:
        return translate(e.value)
    except UnsupportedRegex as err:
        raise FunctionError(str(err)) from None


def _check_pattern(args: Sequence[Expr]) -> None:
    literal_pattern(args[1])  # refuse RE2-incompatible literal patterns while binding


# ---------------------------------------------------------------- REGEXP


def _regexp_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("REGEXP", args, [[C, C]], ["REGEXP(<CHARACTER>, <CHARACTER>)"])
    _check_pattern(args)
    return T.boolean(any_nullable(args))


def _regexp_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    s, p = sql
    pattern = literal_pattern(args[1])
    if pattern is None:
        return f"CASE WHEN {p} = '' THEN FALSE ELSE regexp_matches({s}, {p}) END"
    if not pattern.valid or pattern.re2 == "":
        return null_if_any_null(sql, args, "FALSE")
    return f"regexp_matches({s}, {sql_string(pattern.re2)})"


register(FunctionDef("REGEXP", _regexp_infer, _regexp_lower))


# ---------------------------------------------------------------- REGEXP_EXTRACT


def _extract_infer(args: Sequence[Expr]) -> FlinkType:
    check_args(
        "REGEXP_EXTRACT",
        args,
        [[C, C], [C, C, N]],
        [
            "REGEXP_EXTRACT(<CHARACTER>, <CHARACTER>, <INTEGER>)",
            "REGEXP_EXTRACT(<CHARACTER>, <CHARACTER>)",
        ],
    )
    _check_pattern(args)
    return T.string(True)


def _extract_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    s = sql[0]
    pattern = literal_pattern(args[1])
    if pattern is not None and not pattern.valid:
        return "CAST(NULL AS VARCHAR)"
    p = sql[1] if pattern is None else sql_string(pattern.re2)
    groups = MAX_DYNAMIC_GROUP if pattern is None else pattern.groups
    index_arg = args[2] if len(args) > 2 else Lit(0, T.int_(False))

    def pick(group: int) -> str:
        return f"regexp_extract({s}, {p}, {group})"

    if isinstance(index_arg, Lit):
        index = index_arg.value
        if index is None or not 0 <= int(index) <= groups:  # type: ignore[call-overload]
            return "CAST(NULL AS VARCHAR)"
        picked = pick(int(index))  # type: ignore[call-overload]
    else:
        index_sql = sql[2]
        branches = " ".join(f"WHEN {g} THEN {pick(g)}" for g in range(groups + 1))
        picked = f"CASE {index_sql} {branches} END"
    return f"CASE WHEN regexp_matches({s}, {p}) THEN {picked} END"


register(
    FunctionDef(
        "REGEXP_EXTRACT",
        _extract_infer,
        _extract_lower,
        nodes=(exp.RegexpExtract,),
        args=lambda node: [
            a for a in (node.this, node.expression, node.args.get("position")) if a is not None
        ],
    )
)


# ---------------------------------------------------------------- REGEXP_REPLACE


def _replace_infer(args: Sequence[Expr]) -> FlinkType:
    check_args(
        "REGEXP_REPLACE",
        args,
        [[C, C, C]],
        ["REGEXP_REPLACE(<CHARACTER>, <CHARACTER>, <CHARACTER>)"],
    )
    _check_pattern(args)
    return T.string(any_nullable(args))


def _replace_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    s, p, r = sql
    pattern = literal_pattern(args[1])
    if pattern is not None and not pattern.valid:
        return null_if_any_null(
            sql, args, null_result(rt, "REGEXP_REPLACE", f"invalid regular expression {p}")
        )
    if pattern is not None:
        p = sql_string(pattern.re2)
    # RE2 reads \1 and \\ in the rewrite string; Flink takes the replacement literally.
    literal_r = f"replace({r}, '\\', '\\\\')"
    return f"regexp_replace({s}, {p}, {literal_r}, 'g')"


register(
    FunctionDef(
        "REGEXP_REPLACE",
        _replace_infer,
        _replace_lower,
        nodes=(exp.RegexpReplace,),
        args=lambda node: [
            a for a in (node.this, node.expression, node.args.get("replacement")) if a is not None
        ],
    )
)
