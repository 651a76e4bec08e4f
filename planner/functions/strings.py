"""Character-string functions: CONCAT, CONCAT_WS, SUBSTRING, TRIM, case, padding, LEFT/RIGHT ...

Flink semantics decided here, where DuckDB's built-ins answer differently (each checked against Flink
2.3): positions and lengths count code points; SUBSTRING with a negative length is NULL and a start
before the string is empty; LEFT/RIGHT with a negative count are empty (DuckDB drops characters);
LPAD/RPAD with a negative length or an empty pad are NULL; TRIM removes spaces only (not tabs) and a
custom set of characters; UPPER maps 'ß' to 'SS' like Java; INITCAP only knows ASCII letters and
digits as word characters; CHR takes the code modulo 256 and is empty for negative codes; ASCII is the
first UTF-8 byte as a signed byte (Flink reads the string's bytes).
Result types follow Flink: UPPER/LOWER/INITCAP keep the operand type, SUBSTRING/TRIM/LEFT/RIGHT give
VARCHAR of the operand length, most others STRING.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Symbol
from planner.functions.registry import FunctionDef, FunctionError, register
from planner.functions.string_args import (
    CHARACTER,
    INTEGER,
    any_nullable,
    check_args,
    length_of,
    null_if_any_null,
    null_result,
    varchar_like,
)
from planner.types import FlinkType

C, N = CHARACTER, INTEGER
MAX_RESULT_CHARS = 2147483645
"""Longest string Flink (a Java array) can build; longer results fail there, and fail here too."""


def _repeat_too_large(sql: Sequence[str]) -> str:
    return f"length({sql[0]}) * CAST({sql[1]} AS BIGINT) > {MAX_RESULT_CHARS}"


def _too_large(function: str) -> str:
    """The failure for a result Java could not allocate.

    The guarded call gets a harmless argument as well: DuckDB folds constant calls while planning,
    before CASE would skip them.
    """
    return f"error('{function}: the result would be longer than {MAX_RESULT_CHARS} characters')"


# ---------------------------------------------------------------- concatenation


def _concat_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("CONCAT", args, [[C] * max(len(args), 1)], ["CONCAT(<CHARACTER>)"])
    return T.string(any_nullable(args))


def _concat_ws_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("CONCAT_WS", args, [[C] * max(len(args), 1)], ["CONCAT_WS(<CHARACTER>)"])
    return T.string(any_nullable(args))


def _concat_ws_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    # DuckDB's concat_ws also skips NULL strings and is NULL for a NULL separator; it needs one string.
    if len(sql) == 1:
        return f"CASE WHEN {sql[0]} IS NULL THEN NULL ELSE '' END"
    return f"concat_ws({', '.join(sql)})"


register(
    FunctionDef(
        "CONCAT",
        _concat_infer,
        lambda s, a, rt: " || ".join(s),
        nodes=(exp.Concat,),
        description="CONCAT(s1, s2, ...): NULL if any operand is NULL.",
    ),
    FunctionDef(
        "CONCAT_WS",
        _concat_ws_infer,
        _concat_ws_lower,
        nodes=(exp.ConcatWs,),
        description="CONCAT_WS(sep, s1, ...): skips NULL strings; NULL if sep is NULL.",
    ),
)


# ---------------------------------------------------------------- substrings


def _substring_infer(args: Sequence[Expr]) -> FlinkType:
    check_args(
        "SUBSTRING",
        args,
        [[C, N], [C, N, N]],
        ["SUBSTRING(<CHARACTER>, <INTEGER>)", "SUBSTRING(<CHARACTER>, <INTEGER>, <INTEGER>)"],
    )
    return varchar_like(args[0].type, True)


def substring_sql(s: str, pos: str, length: str | None) -> str:
    """Flink's SUBSTRING on code points: pos <= 0 counts from the end (0 is the start)."""
    start = (
        f"(CASE WHEN {pos} > 0 THEN {pos} - 1 WHEN {pos} < 0 THEN length({s}) + {pos} ELSE 0 END)"
    )
    take = (
        f"substring({s}, {start} + 1)"
        if length is None
        else f"substring({s}, {start} + 1, {length})"
    )
    body = f"CASE WHEN {start} < 0 THEN '' ELSE {take} END"
    if length is None:
        return body
    return f"CASE WHEN {length} < 0 THEN NULL ELSE {body} END"


def _substring_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    body = substring_sql(sql[0], sql[1], sql[2] if len(sql) > 2 else None)
    return null_if_any_null(sql, args, body)


def _left_right_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        check_args(name, args, [[C, N]], [f"{name}(<CHARACTER>, <INTEGER>)"])
        return varchar_like(args[0].type, True)

    return infer


def _left_right_lower(duck: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        s, n = sql
        return null_if_any_null(sql, args, f"CASE WHEN {n} <= 0 THEN '' ELSE {duck}({s}, {n}) END")

    return lower


register(
    FunctionDef(
        "SUBSTRING",
        _substring_infer,
        _substring_lower,
        nodes=(exp.Substring,),
        aliases=("SUBSTR",),
    ),
    FunctionDef("LEFT", _left_right_infer("LEFT"), _left_right_lower("left"), nodes=(exp.Left,)),
    FunctionDef(
        "RIGHT", _left_right_infer("RIGHT"), _left_right_lower("right"), nodes=(exp.Right,)
    ),
)


def _overlay_infer(args: Sequence[Expr]) -> FlinkType:
    check_args(
        "OVERLAY",
        args,
        [[C, C, N], [C, C, N, N]],
        [
            "OVERLAY(<STRING> PLACING <STRING> FROM <INTEGER>)",
            "OVERLAY(<STRING> PLACING <STRING> FROM <INTEGER> FOR <INTEGER>)",
        ],
    )
    length = min(length_of(args[0].type) + length_of(args[1].type), T.MAX_LENGTH)
    return T.varchar(length, any_nullable(args))


def _overlay_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    """Flink's OVERLAY: a start outside 1..length leaves the string alone, and the rest of the
    string is kept only when the replaced span is non-empty and ends inside it."""
    s, r, pos = sql[0], sql[1], sql[2]
    count = sql[3] if len(sql) > 3 else f"length({r})"
    tail = (
        f"CASE WHEN {count} > 0 AND {pos} + {count} <= length({s}) "
        f"THEN substring({s}, {pos} + {count}) ELSE '' END"
    )
    body = (
        f"CASE WHEN {pos} <= 0 OR {pos} > length({s}) THEN {s} "
        f"ELSE substring({s}, 1, {pos} - 1) || {r} || {tail} END"
    )
    return null_if_any_null(sql, args, body)


def _overlay_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    out = [node.this, node.expression, node.args["from_"]]
    if node.args.get("for_") is not None:
        out.append(node.args["for_"])
    return out


register(
    FunctionDef("OVERLAY", _overlay_infer, _overlay_lower, nodes=(exp.Overlay,), args=_overlay_args)
)


# ---------------------------------------------------------------- trimming


def _trim_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    """TRIM([BOTH|LEADING|TRAILING] [chars] FROM s), LTRIM(s[, chars]), RTRIM(s[, chars])."""
    side = str(node.args.get("position") or "BOTH").upper()
    chars = node.args.get("expression")
    return [Symbol(side), chars if chars is not None else exp.Literal.string(" "), node.this]


def _trim_infer(args: Sequence[Expr]) -> FlinkType:
    if not args or not isinstance(args[0], Symbol):
        raise FunctionError("TRIM must be written TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)")
    values = args[1:]
    check_args(
        "TRIM",
        values,
        [[C, C]],
        ["TRIM(<CHARACTER> FROM <CHARACTER>)"],
    )
    return varchar_like(args[2].type, any_nullable(values))


_TRIM_FUNCTIONS = {"BOTH": "trim", "LEADING": "ltrim", "TRAILING": "rtrim"}


def _trim_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    side = args[0]
    assert isinstance(side, Symbol)
    return f"{_TRIM_FUNCTIONS[side.name]}({sql[2]}, {sql[1]})"


register(FunctionDef("TRIM", _trim_infer, _trim_lower, nodes=(exp.Trim,), args=_trim_args))


# ---------------------------------------------------------------- case


def _same_type_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        check_args(name, args, [[C]], [f"{name}(<CHARACTER>)"])
        return args[0].type.without_time_attr()

    return infer


def _initcap_sql(s: str) -> str:
    """Flink's INITCAP: a word is a run of [A-Za-z0-9]; its first letter goes up, the rest down."""
    word_start = f"i = 1 OR NOT regexp_full_match(substring({s}, i - 1, 1), '[A-Za-z0-9]')"
    char = (
        f"CASE WHEN {word_start} THEN (CASE WHEN c BETWEEN 'a' AND 'z' THEN upper(c) ELSE c END) "
        "ELSE (CASE WHEN c BETWEEN 'A' AND 'Z' THEN lower(c) ELSE c END) END"
    )
    return f"array_to_string(list_transform(string_split({s}, ''), lambda c, i: {char}), '')"


register(
    FunctionDef(
        "UPPER",
        _same_type_infer("UPPER"),
        lambda s, a, rt: f"upper(replace({s[0]}, 'ß', 'SS'))",
        nodes=(exp.Upper,),
    ),
    FunctionDef(
        "LOWER",
        _same_type_infer("LOWER"),
        lambda s, a, rt: f"lower({s[0]})",
        nodes=(exp.Lower,),
    ),
    FunctionDef(
        "INITCAP",
        _same_type_infer("INITCAP"),
        lambda s, a, rt: _initcap_sql(s[0]),
        nodes=(exp.Initcap,),
        args=lambda node: [node.this],
    ),
)


# ---------------------------------------------------------------- length, code points


def _int_of_string_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        check_args(name, args, [[C]], [f"{name}(<CHARACTER>)"])
        return T.int_(any_nullable(args))

    return infer


def _ascii_sql(s: str) -> str:
    cp = f"unicode({s})"
    first_byte = (
        f"CASE WHEN {cp} < 128 THEN {cp} WHEN {cp} < 2048 THEN 192 + ({cp} >> 6) "
        f"WHEN {cp} < 65536 THEN 224 + ({cp} >> 12) ELSE 240 + ({cp} >> 18) END"
    )
    return (
        f"CASE WHEN {s} = '' THEN 0 WHEN {cp} < 128 THEN {cp} "
        f"ELSE CAST(({first_byte}) - 256 AS INTEGER) END"
    )


register(
    FunctionDef(
        "CHAR_LENGTH",
        _int_of_string_infer("CHAR_LENGTH"),
        lambda s, a, rt: f"CAST(length({s[0]}) AS INTEGER)",
        nodes=(exp.Length,),
        aliases=("CHARACTER_LENGTH",),
    ),
    FunctionDef(
        "ASCII",
        _int_of_string_infer("ASCII"),
        lambda s, a, rt: _ascii_sql(s[0]),
        nodes=(exp.Ascii,),
    ),
)


def _chr_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("CHR", args, [[N]], ["CHR(<INTEGER>)"])
    return T.string(True)


register(
    FunctionDef(
        "CHR",
        _chr_infer,
        lambda s, a, rt: (
            f"CASE WHEN {s[0]} < 0 THEN '' ELSE chr(CAST({s[0]} % 256 AS INTEGER)) END"
        ),
        nodes=(exp.Chr,),
    )
)


# ---------------------------------------------------------------- building strings


def _replace_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("REPLACE", args, [[C, C, C]], ["REPLACE(<CHARACTER>, <CHARACTER>, <CHARACTER>)"])
    return T.string(any_nullable(args))


def _replace_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    s, old, new = sql
    # Java's String.replace inserts the replacement around every character for an empty target.
    around = f"regexp_replace({s}, '', replace({new}, '\\', '\\\\'), 'g')"
    return f"CASE WHEN {old} = '' THEN {around} ELSE replace({s}, {old}, {new}) END"


def _repeat_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("REPEAT", args, [[C, N]], ["REPEAT(<CHARACTER>, <INTEGER>)"])
    return T.string(any_nullable(args))


def _reverse_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("REVERSE", args, [[C]], ["REVERSE(<CHARACTER>)"])
    return T.string(True)


def _pad_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    side = "LPAD" if node.args.get("is_left") else "RPAD"
    fill = node.args.get("fill_pattern")
    out: list[exp.Expr | Symbol] = [Symbol(side), node.this, node.expression]
    if fill is not None:
        out.append(fill)
    return out


def _pad_infer(args: Sequence[Expr]) -> FlinkType:
    side = args[0] if args else None
    if not isinstance(side, Symbol):
        raise FunctionError("No match found for function signature PAD; use LPAD or RPAD")
    check_args(
        side.name, args[1:], [[C, N, C]], [f"{side.name}(<CHARACTER>, <INTEGER>, <CHARACTER>)"]
    )
    return T.string(any_nullable(args[1:]))


def _pad_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    side = args[0]
    assert isinstance(side, Symbol)
    s, n, fill = sql[1:]
    null = null_result(rt, side.name, "negative length or empty padding")
    duck = "lpad" if side.name == "LPAD" else "rpad"
    body = (
        f"CASE WHEN {n} < 0 OR {fill} = '' THEN {null} WHEN {n} > {MAX_RESULT_CHARS} "
        f"THEN {_too_large(side.name)} "
        f"ELSE {duck}({s}, CASE WHEN {n} > {MAX_RESULT_CHARS} THEN 0 ELSE {n} END, {fill}) END"
    )
    return null_if_any_null(sql[1:], args[1:], body)


register(
    FunctionDef("REPLACE", _replace_infer, _replace_lower, nodes=(exp.Replace,)),
    FunctionDef(
        "REPEAT",
        _repeat_infer,
        lambda s, a, rt: (
            f"CASE WHEN {s[1]} < 0 THEN '' WHEN {_repeat_too_large(s)} "
            f"THEN {_too_large('REPEAT')} "
            f"ELSE repeat({s[0]}, CASE WHEN {_repeat_too_large(s)} THEN 0 ELSE {s[1]} END) END"
        ),
        nodes=(exp.Repeat,),
    ),
    FunctionDef(
        "REVERSE", _reverse_infer, lambda s, a, rt: f"reverse({s[0]})", nodes=(exp.Reverse,)
    ),
    FunctionDef("PAD", _pad_infer, _pad_lower, nodes=(exp.Pad,), args=_pad_args),
)
