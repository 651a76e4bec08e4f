"""Finding and splitting inside strings: POSITION, LOCATE, INSTR, SPLIT_INDEX, STR_TO_MAP.

Flink semantics decided here: positions are 1-based code points and 0 means "not found"; an empty
needle is found at 1 whatever the start; LOCATE treats a start <= 0 as 1, while INSTR returns 0 for
start 0, searches backwards from the end for a negative start, and fails for an occurrence <= 0.
SPLIT_INDEX splits on the whole separator and is NULL out of range; STR_TO_MAP splits with regular
expressions (Java's String.split) and keeps the last value of a repeated key.

The parser gives POSITION(a IN b), LOCATE(a, b[, p]) and INSTR(b, a[, p[, n]]) one node
(exp.StrPosition); a call with an occurrence can only be INSTR, the others get LOCATE's semantics.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Symbol
from planner.functions.registry import FunctionDef, register
from planner.functions.string_args import (
    CHARACTER,
    INTEGER,
    any_nullable,
    check_args,
    null_if_any_null,
)
from planner.types import FlinkType

C, N = CHARACTER, INTEGER


# ---------------------------------------------------------------- POSITION / LOCATE / INSTR


def _position_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    """Haystack first, as INSTR writes it: (s, needle[, start[, occurrence]])."""
    out = [node.this, node.args["substr"]]
    for key in ("position", "occurrence"):
        if node.args.get(key) is not None:
            out.append(node.args[key])
    return out


def _position_infer(args: Sequence[Expr]) -> FlinkType:
    check_args(
        "LOCATE",
        args,
        [[C, C], [C, C, N], [C, C, N, N]],
        ["LOCATE(<CHARACTER>, <CHARACTER>)", "LOCATE(<CHARACTER>, <CHARACTER>, <INTEGER>)"],
    )
    return T.int_(any_nullable(args))


def locate_sql(s: str, needle: str, start: str) -> str:
    """LOCATE: first occurrence at or after `start` (<= 0 counts as 1)."""
    from_ = f"greatest({start}, 1)"
    found = f"strpos(substring({s}, {from_}), {needle})"
    return (
        f"CASE WHEN {needle} = '' THEN 1 WHEN {found} = 0 THEN 0 "
        f"ELSE CAST({found} + {from_} - 1 AS INTEGER) END"
    )


def instr_sql(s: str, needle: str, start: str, occurrence: str) -> str:
    """INSTR: the `occurrence`-th match (overlapping) from `start`; backwards when start < 0."""
    n = f"length({needle})"
    hit = f"substring({s}, i, {n}) = {needle}"
    forward = f"list_filter(range({start}, length({s}) - {n} + 2), lambda i: {hit})"
    backward = f"list_filter(range(length({s}) + {start} + 1, 0, -1), lambda i: {hit})"
    matches = f"(CASE WHEN {start} > 0 THEN {forward} ELSE {backward} END)"
    return (
        f"CASE WHEN {occurrence} <= 0 THEN error('INSTR: occurrence must be positive, was ' "
        f"|| {occurrence}) WHEN {needle} = '' THEN 1 WHEN {start} = 0 THEN 0 "
        f"ELSE CAST(coalesce({matches}[{occurrence}], 0) AS INTEGER) END"
    )


def _position_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    s, needle = sql[0], sql[1]
    if len(sql) == 4:
        body = instr_sql(s, needle, sql[2], sql[3])
    else:
        body = locate_sql(s, needle, sql[2] if len(sql) > 2 else "1")
    return null_if_any_null(sql, args, body)


def _instr_infer(args: Sequence[Expr]) -> FlinkType:
    check_args(
        "INSTR",
        args,
        [[C, C], [C, C, N], [C, C, N, N]],
        [
            "INSTR(<CHARACTER>, <CHARACTER>)",
            "INSTR(<CHARACTER>, <CHARACTER>, <INTEGER>)",
            "INSTR(<CHARACTER>, <CHARACTER>, <INTEGER>, <INTEGER>)",
        ],
    )
    return T.int_(any_nullable(args))


def _instr_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    start = sql[2] if len(sql) > 2 else "1"
    occurrence = sql[3] if len(sql) > 3 else "1"
    return null_if_any_null(sql, args, instr_sql(sql[0], sql[1], start, occurrence))


register(
    FunctionDef(
        "LOCATE",
        _position_infer,
        _position_lower,
        nodes=(exp.StrPosition,),
        args=_position_args,
        aliases=("POSITION",),
        description="POSITION(a IN b), LOCATE(a, b[, start]) (INSTR with 4 arguments).",
    ),
    FunctionDef("INSTR", _instr_infer, _instr_lower),
)


# ---------------------------------------------------------------- SPLIT_INDEX


def _split_index_infer(args: Sequence[Expr]) -> FlinkType:
    check_args(
        "SPLIT_INDEX",
        args,
        [[C, C, N], [C, N, N]],
        [
            "SPLIT_INDEX(<CHARACTER>, <CHARACTER>, <INTEGER>)",
            "SPLIT_INDEX(<CHARACTER>, <INTEGER>, <INTEGER>)",
        ],
    )
    return T.string(True)


def _split_index_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    s, sep, index = sql
    if args[1].type.is_integer:  # a separator given as a character code
        sep = f"chr(CAST({sep} AS INTEGER))"
    parts = f"string_split({s}, {sep})"
    body = (
        f"CASE WHEN {s} = '' OR {index} < 0 THEN NULL "
        f"WHEN {sep} = '' THEN (CASE WHEN {index} = 0 THEN {s} END) "
        f"WHEN {index} >= len({parts}) THEN NULL "
        f"ELSE {parts}[{index} + 1] END"
    )
    return null_if_any_null(sql, args, body)


register(FunctionDef("SPLIT_INDEX", _split_index_infer, _split_index_lower))


# ---------------------------------------------------------------- STR_TO_MAP


def _str_to_map_infer(args: Sequence[Expr]) -> FlinkType:
    check_args(
        "STR_TO_MAP",
        args,
        [[C], [C, C, C]],
        ["STR_TO_MAP(<CHARACTER>)", "STR_TO_MAP(<CHARACTER>, <CHARACTER>, <CHARACTER>)"],
    )
    return T.map_(T.string(), T.string(), True)


def java_string_hash(sql: str) -> str:
    """Java's String.hashCode (over UTF-16 code units) as an unsigned 32-bit BIGINT."""
    m = 4294967296
    unit = (
        f"CASE WHEN c > 65535 THEN ((h * 31 + 55296 + ((c - 65536) >> 10)) % {m} * 31 "
        f"+ 56320 + ((c - 65536) & 1023)) % {m} ELSE (h * 31 + c) % {m} END"
    )
    codes = f"list_transform(string_split({sql}, ''), lambda x: unicode(x))"
    return f"list_reduce({codes}, lambda h, c: {unit}, CAST(0 AS BIGINT))"


def str_to_map_sql(text: str, entry_sep: str, key_sep: str) -> str:
    """Split entries, then each entry at its first key separator (both are Java regexes).

    Flink builds a java.util.HashMap, and its iteration order is what Flink prints: a repeated key
    keeps its first place and takes its last value, and keys come out by hash bucket (for the
    table size a HashMap sized for the entry count grows to), then by insertion.
    """
    entries = f"regexp_split_to_array({text}, {entry_sep})"
    split_at = f"'^(.*?)(?:' || {key_sep} || ')'"
    key = f"CASE WHEN regexp_matches(e, {key_sep}) THEN regexp_extract(e, {split_at}, 1) ELSE e END"
    value = f"CASE WHEN regexp_matches(e, {key_sep}) THEN regexp_replace(e, {split_at}, '') END"
    pairs = f"list_transform({entries}, lambda e: {{'k': {key}, 'v': {value}}})"
    keys = "list_transform(p, lambda x: x.k)"
    firsts = f"list_filter(range(1, len(p) + 1), lambda i: list_position({keys}, p[i].k) = i)"
    capacity = (
        "greatest(CAST(2 ** ceil(log2(len(p))) AS BIGINT), "
        f"CAST(2 ** ceil(log2(len({firsts}) / 0.75)) AS BIGINT))"
    )
    hashed = java_string_hash("p[i].k")
    bucket = f"(xor({hashed}, {hashed} >> 16) & ({capacity} - 1))"
    last_value = f"p[len(p) + 1 - list_position(list_reverse({keys}), p[i].k)].v"
    slots = f"list_sort(list_transform({firsts}, lambda i: {{'b': {bucket}, 'i': i}}))"
    ordered = f"list_transform({slots}, lambda s: s.i)"
    entries_out = f"list_transform({ordered}, lambda i: {{'key': p[i].k, 'value': {last_value}}})"
    built = f"(SELECT map_from_entries({entries_out}) FROM (SELECT {pairs} AS p))"
    return f"CASE WHEN {text} = '' THEN MAP {{}}::MAP(VARCHAR, VARCHAR) ELSE {built} END"


def _str_to_map_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    entry_sep, key_sep = (sql[1], sql[2]) if len(sql) == 3 else ("','", "'='")
    return null_if_any_null(sql, args, str_to_map_sql(sql[0], entry_sep, key_sep))


register(
    FunctionDef(
        "STR_TO_MAP",
        _str_to_map_infer,
        _str_to_map_lower,
        nodes=(exp.StrToMap,),
        args=lambda node: [
            a
            for a in (node.this, node.args.get("pair_delim"), node.args.get("key_value_delim"))
            if a is not None
        ],
    )
)
