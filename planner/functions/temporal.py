"""Date-time conversion functions and the current-time functions, with Flink's types and NULL rules.

Flink parses and formats with Java patterns (see java_datetime_format), returns NULL where a string
does not parse (TO_TIMESTAMP, TO_DATE, DATE_FORMAT) but Long.MIN_VALUE from UNIX_TIMESTAMP, and reads
and writes local date-times in the session time zone (`table.local-time-zone`), which the batch
runner sets as DuckDB's TimeZone: a TIMESTAMPTZ cast to TIMESTAMP is then the local date-time.
The current-time functions are evaluated once per query in batch mode, as DuckDB's
get_current_timestamp() (the transaction start) is, and carry millisecond precision.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Lit
from planner.functions import java_datetime_format as jfmt
from planner.functions import java_datetime_parse as jparse
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType

DEFAULT_FORMAT = "yyyy-MM-dd HH:mm:ss"
LONG_MIN = -9223372036854775808


def _kind(t: FlinkType) -> str:
    """The family Flink's operand checkers test: CHARACTER, INTEGER, NUMERIC, TIMESTAMP, DATE ..."""
    if t.name == "NULL":
        return "NULL"
    if t.is_character:
        return "CHARACTER"
    if t.is_integer:
        return "INTEGER"
    if t.is_numeric:
        return "NUMERIC"
    if t.name == "TIMESTAMP":
        return "TIMESTAMP"
    if t.name == "TIMESTAMP_LTZ":
        return "TIMESTAMP_LTZ"
    return t.name


def _signature_error(name: str, args: Sequence[Expr], forms: Sequence[str]) -> FunctionError:
    shown = ", ".join(f"<{a.type.sql().removesuffix(' NOT NULL')}>" for a in args)
    supported = " ".join(f"'{name}({f})'" for f in forms)
    return FunctionError(
        f"Cannot apply '{name}' to arguments of type '{name}({shown})'. Supported form(s): {supported}"
    )


def _check(name: str, args: Sequence[Expr], forms: Sequence[Sequence[str]]) -> None:
    """Accept args matching one of `forms` (families per position); NULL literals match anything."""
    kinds = [_kind(a.type) for a in args]
    for form in forms:
        if len(form) == len(kinds) and all(
            k == "NULL" or k in f.split("|") for k, f in zip(kinds, form, strict=True)
        ):
            return
    shown_forms = [", ".join(f"<{f.split('|')[0]}>" for f in form) for form in forms]
    raise _signature_error(name, args, shown_forms)


def constant_pattern(name: str, arg: Expr) -> str | None:
    """The pattern text of a literal format argument (None for a NULL literal)."""
    if isinstance(arg, Lit) and (arg.value is None or isinstance(arg.value, str)):
        return arg.value  # type: ignore[return-value]
    raise FunctionError(f"The format of {name} must be a constant string literal in Freshet")


def local_timestamp_sql(sql: str, t: FlinkType) -> str:
    """A TIMESTAMP or TIMESTAMP_LTZ value as DuckDB TIMESTAMP of its local date-time."""
    return f"CAST({sql} AS TIMESTAMP)" if t.name == "TIMESTAMP_LTZ" else sql


def default_parse_sql(text: str) -> str:
    """Flink's default timestamp parser: 'yyyy-M-d[ H:m:s[.fraction]]' (padding optional)."""
    plan = jparse.ParsePlan(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{0,9}))?)?$",
        tuple(
            jfmt.Field(letter, n)
            for letter, n in (("y", 4), ("M", 1), ("d", 1), ("H", 1), ("m", 1), ("s", 1), ("S", 9))
        ),
    )
    return jparse.parsed_timestamp_sql(text, plan)


def valueof_parse_sql(text: str) -> str:
    """java.sql.Timestamp.valueOf / Date.valueOf on the trimmed text: Flink's fallback parse."""
    plan = jparse.ParsePlan(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d+):(\d+):(\d+)(?:\.(\d{1,9}))?)?$",
        tuple(
            jfmt.Field(letter, n)
            for letter, n in (("y", 4), ("M", 1), ("d", 1), ("H", 1), ("m", 1), ("s", 1), ("S", 9))
        ),
        "VALUEOF",
    )
    return jparse.parsed_timestamp_sql(f"trim({text})", plan)


def pattern_parse_sql(text: str, pattern: str, mode: jparse.ParseMode = "SMART") -> str | None:
    """The parse of `text` by `pattern`; None when the pattern is invalid (Flink's parse then fails)."""
    try:
        tokens = jfmt.tokenize(pattern, legacy=mode == "LENIENT")
        plan = jparse.parse_plan(tokens, pattern, mode)
    except FunctionError:
        return None
    return jparse.parsed_timestamp_sql(text, plan)


def check_parse_pattern(name: str, arg: Expr, mode: jparse.ParseMode) -> None:
    """Reject at plan time a constant pattern the Java parser would throw on (Flink fails the query)."""
    pattern = constant_pattern(name, arg)
    if pattern is not None:
        jparse.parse_plan(jfmt.tokenize(pattern, legacy=mode == "LENIENT"), pattern, mode)


def truncate_to_millis(ts: str) -> str:
    return f"date_trunc('millisecond', {ts})"


# ---------------------------------------------------------------- DATE_FORMAT


def _date_format_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "DATE_FORMAT", 2)
    _check(
        "DATE_FORMAT", args, [("TIMESTAMP|TIMESTAMP_LTZ", "CHARACTER"), ("CHARACTER", "CHARACTER")]
    )
    pattern = constant_pattern("DATE_FORMAT", args[1])
    if pattern is not None:
        jfmt.tokenize(pattern, legacy=args[0].type.is_character)
    return T.string(True)


def _date_format_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    pattern = constant_pattern("DATE_FORMAT", args[1])
    if pattern is None or args[0].type.name == "NULL":
        return "CAST(NULL AS VARCHAR)"
    t = args[0].type
    if t.is_character:
        # Flink reads and writes the string with SimpleDateFormat ('yyyy-MM-dd HH:mm:ss' prefix)
        ts = pattern_parse_sql(sql[0], DEFAULT_FORMAT, "LENIENT")
        return jfmt.format_sql(f"({ts})", jfmt.tokenize(pattern, legacy=True), legacy=True)
    return jfmt.format_sql(f"({local_timestamp_sql(sql[0], t)})", jfmt.tokenize(pattern))


# ---------------------------------------------------------------- TO_TIMESTAMP, TO_DATE


def _to_timestamp_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "TO_TIMESTAMP", 1, 2)
    _check("TO_TIMESTAMP", args, [("CHARACTER",), ("CHARACTER", "CHARACTER")])
    if len(args) == 2:
        constant_pattern("TO_TIMESTAMP", args[1])
    return T.timestamp(3, True)


def parse_timestamp_sql(sql: Sequence[str], args: Sequence[Expr], name: str) -> str | None:
    """The TIMESTAMP parsed from args[0] with the optional format args[1]; None when it is NULL."""
    if args[0].type.name == "NULL":
        return None
    if len(args) == 1:
        return truncate_to_millis(default_parse_sql(sql[0]))
    pattern = constant_pattern(name, args[1])
    if pattern is None:
        return None
    parsed = pattern_parse_sql(sql[0], pattern)
    if parsed is None:
        return None
    return truncate_to_millis(f"COALESCE({parsed}, {valueof_parse_sql(sql[0])})")


def _to_timestamp_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    parsed = parse_timestamp_sql(sql, args, "TO_TIMESTAMP")
    return parsed if parsed is not None else "CAST(NULL AS TIMESTAMP)"


def _to_date_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "TO_DATE", 1, 2)
    _check("TO_DATE", args, [("CHARACTER",), ("CHARACTER", "CHARACTER")])
    if len(args) == 2:
        check_parse_pattern("TO_DATE", args[1], "LENIENT")
    return T.date(True)


def date_parse_sql(text: str) -> str:
    """Flink's TO_DATE default: 'yyyy-M-d', anything after a space ignored, invalid days fail."""
    plan = jparse.ParsePlan(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?: .*)?$",
        (jfmt.Field("y", 4), jfmt.Field("M", 1), jfmt.Field("d", 1)),
        "STRICT",
    )
    return f"CAST({jparse.parsed_timestamp_sql(text, plan)} AS DATE)"


def _to_date_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if args[0].type.name == "NULL":
        return "CAST(NULL AS DATE)"
    if len(args) == 1:
        return date_parse_sql(sql[0])
    pattern = constant_pattern("TO_DATE", args[1])
    if pattern is None:
        return "CAST(NULL AS DATE)"
    parsed = pattern_parse_sql(sql[0], pattern, "LENIENT")
    if parsed is None:
        raise FunctionError(f"Illegal pattern '{pattern}' for TO_DATE")
    return f"CAST({parsed} AS DATE)"


# ---------------------------------------------------------------- TO_TIMESTAMP_LTZ


def _epoch_precision(args: Sequence[Expr]) -> int:
    if len(args) < 2:
        return 3
    p = args[1]
    if isinstance(p, Lit) and p.value is None:
        return 3
    if not (isinstance(p, Lit) and isinstance(p.value, int)):
        raise FunctionError("The precision of TO_TIMESTAMP_LTZ must be an integer literal")
    if not 0 <= p.value <= 9:
        raise FunctionError(
            f"The precision value '{p.value}' for function TO_TIMESTAMP_LTZ(numeric, precision) is "
            "unsupported, the supported value is '0' for second, '3' for millisecond, '6' for "
            "microsecond and '9' for nanosecond."
        )
    return p.value


def _to_timestamp_ltz_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "TO_TIMESTAMP_LTZ", 1, 2, 3)
    first = args[0].type
    if first.is_character:
        _check(
            "TO_TIMESTAMP_LTZ",
            args,
            [("CHARACTER",), ("CHARACTER", "CHARACTER"), ("CHARACTER", "CHARACTER", "CHARACTER")],
        )
        if len(args) >= 2:
            check_parse_pattern("TO_TIMESTAMP_LTZ", args[1], "SMART")
        return T.timestamp_ltz(3, True)
    _check("TO_TIMESTAMP_LTZ", args, [("INTEGER|NUMERIC",), ("INTEGER|NUMERIC", "INTEGER")])
    precision = _epoch_precision(args)
    return T.timestamp_ltz(3 if precision <= 3 else precision, True)


def _to_timestamp_ltz_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    null = "CAST(NULL AS TIMESTAMPTZ)"
    if any(a.type.name == "NULL" or (isinstance(a, Lit) and a.value is None) for a in args):
        return null
    if args[0].type.is_character:
        return _ltz_from_string(sql, args)
    precision = _epoch_precision(args)
    value, t = sql[0], args[0].type
    if t.is_approx and precision <= 3:
        # a DOUBLE keeps its fraction down to the millisecond; exact numbers are truncated first
        millis = f"trunc(({value}) * {10 ** (3 - precision)})"
        return f"make_timestamptz(CAST({millis} AS BIGINT) * 1000)"
    whole = f"CAST(trunc({value}) AS BIGINT)"
    if precision <= 6:
        return f"make_timestamptz({whole} * {10 ** (6 - precision)})"
    return f"make_timestamptz({whole} // {10 ** (precision - 6)})"


def _ltz_from_string(sql: Sequence[str], args: Sequence[Expr]) -> str:
    """Unlike TO_TIMESTAMP, a string that does not parse fails the query (Flink throws)."""
    if len(args) == 1:
        local = default_parse_sql(sql[0])
        pattern = DEFAULT_FORMAT
    else:
        pattern = constant_pattern("TO_TIMESTAMP_LTZ", args[1]) or ""
        parsed = pattern_parse_sql(sql[0], pattern)
        if parsed is None:
            raise FunctionError(f"Invalid pattern '{pattern}' for TO_TIMESTAMP_LTZ")
        local = parsed
    local = truncate_to_millis(local)
    zone = f"timezone({sql[2]}, {local})" if len(args) == 3 else f"CAST({local} AS TIMESTAMPTZ)"
    quote = "''"
    message = (
        f"'java.time.format.DateTimeParseException: Text {quote}' || {sql[0]} || "
        f"'{quote} could not be parsed with pattern {pattern.replace(chr(39), quote)}'"
    )
    return f"CASE WHEN {local} IS NULL THEN error({message}) ELSE {zone} END"


# ---------------------------------------------------------------- UNIX_TIMESTAMP, FROM_UNIXTIME


def _unix_timestamp_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "UNIX_TIMESTAMP", 0, 1, 2)
    _check("UNIX_TIMESTAMP", args, [(), ("CHARACTER",), ("CHARACTER", "CHARACTER")])
    if len(args) == 2:
        check_parse_pattern("UNIX_TIMESTAMP", args[1], "LENIENT")
    return T.bigint(any(a.type.nullable for a in args))


def _unix_timestamp_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if not args:
        return "CAST(epoch(get_current_timestamp()) AS BIGINT)"
    pattern = DEFAULT_FORMAT
    if len(args) == 2:
        pattern = constant_pattern("UNIX_TIMESTAMP", args[1])
        if pattern is None:
            return "CAST(NULL AS BIGINT)"
    if args[0].type.name == "NULL":
        return "CAST(NULL AS BIGINT)"
    local = pattern_parse_sql(sql[0], pattern, "LENIENT")
    if local is None:
        raise FunctionError(f"Illegal pattern '{pattern}' for UNIX_TIMESTAMP")
    seconds = f"CAST(floor(epoch(CAST({local} AS TIMESTAMPTZ))) AS BIGINT)"
    return f"CASE WHEN {sql[0]} IS NULL THEN NULL ELSE COALESCE({seconds}, {LONG_MIN}) END"


def _from_unixtime_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "FROM_UNIXTIME", 1, 2)
    _check("FROM_UNIXTIME", args, [("INTEGER",), ("INTEGER", "CHARACTER")])
    if len(args) == 2:
        pattern = constant_pattern("FROM_UNIXTIME", args[1])
        if pattern is not None:
            jfmt.tokenize(pattern, legacy=True)
    return T.string(True)


def _from_unixtime_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    pattern = DEFAULT_FORMAT if len(args) == 1 else constant_pattern("FROM_UNIXTIME", args[1])
    if pattern is None or args[0].type.name == "NULL":
        return "CAST(NULL AS VARCHAR)"
    local = f"CAST(make_timestamptz(CAST({sql[0]} AS BIGINT) * 1000000) AS TIMESTAMP)"
    return jfmt.format_sql(f"({local})", jfmt.tokenize(pattern, legacy=True), legacy=True)


# ---------------------------------------------------------------- CONVERT_TZ


def _convert_tz_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "CONVERT_TZ", 3)
    _check("CONVERT_TZ", args, [("CHARACTER", "CHARACTER", "CHARACTER")])
    return T.string(True)


def _convert_tz_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if any(a.type.name == "NULL" for a in args):
        return "CAST(NULL AS VARCHAR)"
    local = pattern_parse_sql(sql[0], DEFAULT_FORMAT, "LENIENT")
    moved = f"timezone({sql[2]}, timezone({sql[1]}, {local}))"
    return jfmt.format_sql(f"({moved})", jfmt.tokenize(DEFAULT_FORMAT, legacy=True), legacy=True)


# ---------------------------------------------------------------- current time

_NOW_LTZ = "make_timestamptz(epoch_ms(get_current_timestamp()) * 1000)"
_NOW_LOCAL = f"CAST({_NOW_LTZ} AS TIMESTAMP)"


def _constant(
    t: FlinkType,
    sql: str,
    name: str,
    nodes: tuple[type[exp.Expr], ...] = (),
    aliases: tuple[str, ...] = (),
) -> FunctionDef:
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 0)
        return t

    return FunctionDef(
        name, infer, lambda s, a, rt: sql, nodes=nodes, aliases=aliases, deterministic=False
    )


register(
    FunctionDef("DATE_FORMAT", _date_format_infer, _date_format_lower),
    FunctionDef("TO_TIMESTAMP", _to_timestamp_infer, _to_timestamp_lower),
    FunctionDef("TO_DATE", _to_date_infer, _to_date_lower),
    FunctionDef("TO_TIMESTAMP_LTZ", _to_timestamp_ltz_infer, _to_timestamp_ltz_lower),
    FunctionDef(
        "UNIX_TIMESTAMP", _unix_timestamp_infer, _unix_timestamp_lower, deterministic=False
    ),
    FunctionDef("FROM_UNIXTIME", _from_unixtime_infer, _from_unixtime_lower),
    FunctionDef("CONVERT_TZ", _convert_tz_infer, _convert_tz_lower),
    _constant(T.timestamp_ltz(3, False), _NOW_LTZ, "CURRENT_TIMESTAMP", (exp.CurrentTimestamp,)),
    _constant(T.timestamp_ltz(3, False), _NOW_LTZ, "NOW"),
    _constant(T.timestamp_ltz(3, False), _NOW_LTZ, "CURRENT_ROW_TIMESTAMP"),
    _constant(T.timestamp(3, False), _NOW_LOCAL, "LOCALTIMESTAMP", (exp.Localtimestamp,)),
    _constant(T.date(False), f"CAST({_NOW_LOCAL} AS DATE)", "CURRENT_DATE", (exp.CurrentDate,)),
    _constant(
        T.time(0, False),
        f"CAST(date_trunc('second', {_NOW_LOCAL}) AS TIME)",
        "CURRENT_TIME",
        (exp.CurrentTime,),
    ),
    _constant(
        T.time(0, False),
        f"CAST(date_trunc('second', {_NOW_LOCAL}) AS TIME)",
        "LOCALTIME",
        (exp.Localtime,),
    ),
)
