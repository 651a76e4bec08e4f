"""FLOOR/CEIL (numbers, and date-times TO a unit), TIMESTAMPADD and TIMESTAMPDIFF.

FLOOR and CEIL are one FunctionDef each for both forms, because sqlglot parses `FLOOR(x)` and
`FLOOR(ts TO DAY)` into the same node: the numeric form keeps integer and approximate types and
makes DECIMAL(p, s) a DECIMAL with scale 0; the temporal form keeps the operand's type.
TIMESTAMPDIFF counts whole units between two points as Flink does: day-time units divide the
millisecond difference truncating toward zero; MONTH/QUARTER/YEAR count the whole months from the
first to the second (a month after Jan 31 is Feb 28) and give up one when the time of day falls short.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Symbol
from planner.functions.registry import FunctionDef, FunctionError, register
from planner.types import FlinkType, to_duckdb

MILLIS = {
    "WEEK": 7 * 86400000,
    "DAY": 86400000,
    "HOUR": 3600000,
    "MINUTE": 60000,
    "SECOND": 1000,
    "MILLISECOND": 1,
}
MONTHS = {"YEAR": 12, "QUARTER": 3, "MONTH": 1}
YEARS = {"MILLENNIUM": 1000, "CENTURY": 100, "DECADE": 10}


def _unit(arg: Expr, name: str) -> str:
    if not isinstance(arg, Symbol):
        raise FunctionError(f"{name} needs a time unit")
    unit = arg.name.upper()
    return {"SQL_TSI_DAY": "DAY", "FRAC_SECOND": "MICROSECOND"}.get(unit, unit)


# ---------------------------------------------------------------- FLOOR / CEIL


def _rounding_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        if len(args) == 2:
            return _temporal_rounding_type(name, args[0].type, _unit(args[1], name))
        if len(args) != 1:
            raise FunctionError(
                f"Invalid number of arguments to function '{name}'. Was expecting 1 arguments"
            )
        t = args[0].type
        if t.name == "NULL":
            return T.decimal(1, 0)
        if not t.is_numeric:
            raise FunctionError(
                f"Cannot apply '{name}' to arguments of type '{name}(<{t.sql().removesuffix(' NOT NULL')}>)'. "
                f"Supported form(s): '{name}(<NUMERIC>)' '{name}(<INTERVAL_YEAR_MONTH>)' "
                f"'{name}(<INTERVAL_DAY_TIME>)'"
            )
        if t.name == "DECIMAL":
            return T.decimal(t.precision or 10, 0, t.nullable)
        return t.without_time_attr()

    return infer


def _temporal_rounding_type(name: str, t: FlinkType, unit: str) -> FlinkType:
    if t.name not in ("DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ"):
        raise FunctionError(
            f"Cannot apply '{name}' to arguments of type '{name}(<{t.sql().removesuffix(' NOT NULL')}> TO <{unit}>)'. "
            f"Supported form(s): '{name}(<DATETIME> TO <TIME UNIT>)'"
        )
    if unit not in (*MILLIS, *MONTHS, *YEARS):
        raise FunctionError(f"{name} TO {unit} is not supported")
    if t.name == "TIME" and unit not in ("HOUR", "MINUTE", "SECOND", "MILLISECOND"):
        raise FunctionError(f"{name} of a TIME to {unit} is not supported")
    return t.without_time_attr()


def floor_sql(x: str, t: FlinkType, unit: str) -> str:
    """The start of the `unit` that holds `x` (Flink's weeks start on Sunday)."""
    if t.name == "TIME":
        return f"CAST(date_trunc('{unit.lower()}', DATE '1970-01-01' + {x}) AS TIME)"
    local = f"CAST({x} AS TIMESTAMP)" if t.name != "TIMESTAMP" else x
    if unit in YEARS:
        size = YEARS[unit]
        start = f"make_timestamp(CAST(year({local}) - (year({local}) - 1) % {size} AS BIGINT), 1, 1, 0, 0, 0)"
        if unit == "DECADE":
            start = (
                f"make_timestamp(CAST(year({local}) - year({local}) % 10 AS BIGINT), 1, 1, 0, 0, 0)"
            )
    elif unit == "WEEK":
        start = f"(date_trunc('day', {local}) - to_days(CAST(dayofweek({local}) AS INTEGER)))"
    else:
        start = f"date_trunc('{unit.lower()}', {local})"
    return f"CAST({start} AS {to_duckdb(t)})"


def _step(unit: str) -> str:
    if unit in YEARS:
        return f"to_years({YEARS[unit]})"
    if unit in MONTHS:
        return f"to_months({MONTHS[unit]})"
    return f"to_milliseconds({MILLIS[unit]})"


def ceil_sql(x: str, t: FlinkType, unit: str) -> str:
    if t.name == "DATE" and unit == "DAY":
        return f"({x} + 1)"  # Flink's CEIL of a DATE to DAY is always the next day
    floor = floor_sql(x, t, unit)
    if t.name == "TIME":
        return f"CASE WHEN {floor} = {x} THEN {x} ELSE CAST({floor} + {_step(unit)} AS TIME) END"
    return (
        f"CASE WHEN {floor} = {x} THEN {x} ELSE CAST({floor} + {_step(unit)} AS {to_duckdb(t)}) END"
    )


def _rounding_lower(name: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        t = args[0].type
        if len(args) == 2:
            unit = _unit(args[1], name)
            return (floor_sql if name == "FLOOR" else ceil_sql)(sql[0], t, unit)
        if t.name == "NULL":
            return f"CAST(NULL AS {to_duckdb(rt)})"
        fn = "floor" if name == "FLOOR" else "ceil"
        if t.is_integer:
            return sql[0]
        if t.is_approx:
            return f"CAST({fn}({sql[0]}) + 0.0 AS {to_duckdb(rt)})"  # -0.0 prints as 0.0 in Flink
        return f"CAST({fn}({sql[0]}) AS {to_duckdb(rt)})"

    return lower


def _rounding_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    to = node.args.get("to")
    if to is None:
        return [node.this]
    return [node.this, Symbol(to.name.upper())]


# ---------------------------------------------------------------- TIMESTAMPADD


def _add_infer(args: Sequence[Expr]) -> FlinkType:
    unit = _unit(args[0], "TIMESTAMPADD")
    count, target = args[1].type, args[2].type
    if unit not in (*MILLIS, *MONTHS):
        raise FunctionError(f"TIMESTAMPADD does not support the unit {unit}")
    if not (count.is_integer or count.name == "NULL") or target.name not in (
        "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ", "NULL",
    ):  # fmt: skip
        raise FunctionError(
            f"Cannot apply 'TIMESTAMPADD' to arguments of type 'TIMESTAMPADD(<SYMBOL>, "
            f"<{count.sql().removesuffix(' NOT NULL')}>, <{target.sql().removesuffix(' NOT NULL')}>)'. "
            "Supported form(s): 'TIMESTAMPADD(<ANY>, <INTEGER>, <DATETIME>)'"
        )
    nullable = count.nullable or target.nullable
    if target.name == "DATE" and unit not in ("YEAR", "QUARTER", "MONTH", "WEEK", "DAY"):
        return T.timestamp(6, nullable)
    if target.is_timestamp and unit == "MILLISECOND" and (target.precision or 0) < 3:
        return T.FlinkType(target.name, nullable, 3)
    return target.without_time_attr().with_nullable(nullable)


def _add_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    unit = _unit(args[0], "TIMESTAMPADD")
    n, x = sql[1], sql[2]
    if unit in MONTHS:
        step = f"to_months(CAST({n} AS BIGINT) * {MONTHS[unit]})"
    else:
        step = f"to_milliseconds(CAST({n} AS BIGINT) * {MILLIS[unit]})"
    if args[2].type.name == "TIME":
        return f"CAST({x} + {step} AS TIME)"
    return f"CAST({x} + {step} AS {to_duckdb(rt)})"


# ---------------------------------------------------------------- TIMESTAMPDIFF


def _diff_infer(args: Sequence[Expr]) -> FlinkType:
    unit = _unit(args[0], "TIMESTAMPDIFF")
    a, b = args[1].type, args[2].type
    if unit not in (*MILLIS, *MONTHS, "MICROSECOND"):
        raise FunctionError(f"TIMESTAMPDIFF does not support the unit {unit}")
    kinds = ("DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ", "NULL")
    if a.name not in kinds or b.name not in kinds:
        raise FunctionError(
            f"Cannot apply 'TIMESTAMPDIFF' to arguments of type 'TIMESTAMPDIFF(<SYMBOL>, "
            f"<{a.sql().removesuffix(' NOT NULL')}>, <{b.sql().removesuffix(' NOT NULL')}>)'. "
            "Supported form(s): 'TIMESTAMPDIFF(<ANY>, <DATETIME>, <DATETIME>)'"
        )
    return T.int_(a.nullable or b.nullable)


def _millis(x: str, t: FlinkType) -> str:
    if t.name == "TIME":
        return f"CAST(epoch_ms(DATE '1970-01-01' + {x}) AS BIGINT)"
    if t.name == "DATE":
        return f"CAST(epoch_ms(CAST({x} AS TIMESTAMP)) AS BIGINT)"
    return f"epoch_ms({x})"


def _whole_months(later: str, earlier: str) -> str:
    """Largest m with earlier + m months <= later (DuckDB clamps the day as Flink does); later >= earlier."""
    m0 = f"((year({later}) - year({earlier})) * 12 + month({later}) - month({earlier}))"
    return f"(CASE WHEN {earlier} + to_months({m0}) > {later} THEN {m0} - 1 ELSE {m0} END)"


def _diff_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    unit = _unit(args[0], "TIMESTAMPDIFF")
    ta, tb = args[1].type, args[2].type
    if ta.name == "NULL" or tb.name == "NULL":
        return "CAST(NULL AS INTEGER)"
    a, b = sql[1], sql[2]
    if unit not in MONTHS:
        delta = f"({_millis(b, tb)} - {_millis(a, ta)})"
        if unit in ("MILLISECOND", "MICROSECOND"):
            # Flink counts whole seconds first: 2.5 s apart is 2000 milliseconds
            factor = 1000 if unit == "MILLISECOND" else 1000000
            return f"CAST(trunc({delta} / 1000) * {factor} AS INTEGER)"
        return f"CAST(trunc({delta} / {MILLIS[unit]}) AS INTEGER)"
    day_a = f"CAST({a} AS DATE)" if ta.name != "DATE" else a
    day_b = f"CAST({b} AS DATE)" if tb.name != "DATE" else b
    if ta.name == "TIMESTAMP_LTZ":
        day_a = f"CAST(CAST({a} AS TIMESTAMP) AS DATE)"
    if tb.name == "TIMESTAMP_LTZ":
        day_b = f"CAST(CAST({b} AS TIMESTAMP) AS DATE)"
    months = (
        f"(CASE WHEN {day_b} >= {day_a} THEN {_whole_months(day_b, day_a)} "
        f"ELSE -{_whole_months(day_a, day_b)} END)"
    )
    if ta.name != "DATE" or tb.name != "DATE":
        ms_a = f"({_millis(a, ta)} - epoch_ms(CAST({day_a} AS TIMESTAMP)))"
        ms_b = f"({_millis(b, tb)} - epoch_ms(CAST({day_b} AS TIMESTAMP)))"
        months = (
            f"(list_transform([{months}], lambda _m: CASE WHEN {day_a} + to_months(_m) = {day_b} "
            f"AND {ms_b} < {ms_a} THEN _m - 1 ELSE _m END)[1])"
        )
    return f"CAST(trunc({months} / {MONTHS[unit]}) AS INTEGER)"


def _add_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    return [Symbol(node.args["unit"].name.upper()), node.expression, node.this]


def _diff_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    return [Symbol(node.args["unit"].name.upper()), node.expression, node.this]


register(
    FunctionDef(
        "FLOOR",
        _rounding_infer("FLOOR"),
        _rounding_lower("FLOOR"),
        nodes=(exp.Floor,),
        args=_rounding_args,
    ),
    FunctionDef(
        "CEIL",
        _rounding_infer("CEIL"),
        _rounding_lower("CEIL"),
        nodes=(exp.Ceil,),
        args=_rounding_args,
        aliases=("CEILING",),
    ),
    FunctionDef("TIMESTAMPADD", _add_infer, _add_lower, nodes=(exp.TimestampAdd,), args=_add_args),
    FunctionDef(
        "TIMESTAMPDIFF", _diff_infer, _diff_lower, nodes=(exp.TimestampDiff,), args=_diff_args
    ),
)
