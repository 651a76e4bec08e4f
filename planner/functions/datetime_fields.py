"""EXTRACT and its shorthands (YEAR, MONTH, DAYOFWEEK ...), with Flink's (Calcite's) unit meanings.

Flink's units differ from DuckDB's parts: DOW counts Sunday as 1, MILLISECOND and MICROSECOND are
the fraction only (DuckDB's include the seconds), WEEK is the ISO week, EPOCH is whole seconds,
and EXTRACT from an INTERVAL reads the value's own fields (a DAY TO SECOND interval is milliseconds,
a YEAR TO MONTH interval months) with Java's truncating division. Every result is BIGINT.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Symbol
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType

DATE_UNITS = (
    "MILLENNIUM", "CENTURY", "DECADE", "YEAR", "ISOYEAR", "QUARTER", "MONTH", "WEEK", "DAY",
    "DOW", "ISODOW", "DOY",
)  # fmt: skip
TIME_UNITS = ("HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "NANOSECOND")
ALL_UNITS = (*DATE_UNITS, *TIME_UNITS, "EPOCH")

_DUCK_PART = {
    "MILLENNIUM": "millennium({x})",
    "CENTURY": "century({x})",
    "DECADE": "decade({x})",
    "YEAR": "year({x})",
    "ISOYEAR": "isoyear({x})",
    "QUARTER": "quarter({x})",
    "MONTH": "month({x})",
    "WEEK": "week({x})",
    "DAY": "day({x})",
    "DOW": "(dayofweek({x}) + 1)",
    "ISODOW": "isodow({x})",
    "DOY": "dayofyear({x})",
    "HOUR": "hour({x})",
    "MINUTE": "minute({x})",
    "SECOND": "second({x})",
    "MILLISECOND": "(millisecond({x}) % 1000)",
    "MICROSECOND": "(microsecond({x}) % 1000000)",
    "NANOSECOND": "((microsecond({x}) % 1000000) * 1000)",
    "EPOCH": "CAST(floor(epoch({x})) AS BIGINT)",
}

_INTERVAL_DT_MS = {
    "DAY": (86400000, None),
    "HOUR": (3600000, 24),
    "MINUTE": (60000, 60),
    "SECOND": (1000, 60),
    "MILLISECOND": (1, 1000),
}


def _unit_of(arg: Expr) -> str:
    if not isinstance(arg, Symbol):
        raise FunctionError("EXTRACT needs a time unit")
    unit = arg.name.upper()
    return {"DAYOFWEEK": "DOW", "DAYOFYEAR": "DOY", "MILLISECONDS": "MILLISECOND"}.get(unit, unit)


def extract_type(unit: str, t: FlinkType) -> FlinkType:
    """Flink's check of EXTRACT(unit FROM t): BIGINT, nullable as the operand."""
    if unit not in ALL_UNITS:
        raise FunctionError(f"Unsupported time unit for EXTRACT: {unit}")
    ok_kinds = ("DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ", "INTERVAL_DT", "INTERVAL_YM", "NULL")
    if t.name not in ok_kinds:
        raise FunctionError(
            f"Cannot apply 'EXTRACT' to arguments of type 'EXTRACT(<INTERVAL {unit}> FROM "
            f"<{t.sql().removesuffix(' NOT NULL')}>)'. Supported form(s): "
            "'EXTRACT(<DATETIME_INTERVAL> FROM <DATETIME_INTERVAL>)' 'EXTRACT(<DATETIME_INTERVAL> FROM <DATETIME>)'"
        )
    if t.name == "TIME" and unit not in TIME_UNITS:
        raise FunctionError(f"unit {unit} can not be applied to time variable")
    if t.name == "INTERVAL_YM" and unit not in (
        "YEAR",
        "MONTH",
        "QUARTER",
        "MILLENNIUM",
        "CENTURY",
        "DECADE",
    ):
        raise FunctionError(f"unit {unit} can not be applied to interval variable")
    if t.name == "INTERVAL_DT" and unit not in (
        *_INTERVAL_DT_MS,
        "MICROSECOND",
        "NANOSECOND",
    ):
        raise FunctionError(f"unit {unit} can not be applied to interval variable")
    return T.bigint(t.nullable)


def extract_sql(unit: str, x: str, t: FlinkType) -> str:
    if t.name == "NULL":
        return "CAST(NULL AS BIGINT)"
    if t.name == "INTERVAL_YM":
        months = f"(datepart('year', {x}) * 12 + datepart('month', {x}))"
        divisor = {"YEAR": 12, "QUARTER": 3, "MILLENNIUM": 12000, "CENTURY": 1200, "DECADE": 120}
        if unit == "MONTH":
            return f"({months} % 12)"
        if unit == "QUARTER":
            return f"CAST(trunc(({months} % 12) / 3) + 1 AS BIGINT)"
        return f"CAST(trunc({months} / {divisor[unit]}) AS BIGINT)"
    if t.name == "INTERVAL_DT":
        millis = f"CAST(round(epoch({x}) * 1000) AS BIGINT)"
        if unit in ("MICROSECOND", "NANOSECOND"):
            scale = 1000 if unit == "MICROSECOND" else 1000000
            return f"(({millis} % 60000) * {scale})"
        size, modulo = _INTERVAL_DT_MS[unit]
        value = f"trunc({millis} / {size})"
        return (
            f"CAST({value} AS BIGINT)"
            if modulo is None
            else f"(CAST({value} AS BIGINT) % {modulo})"
        )
    if t.name == "TIMESTAMP_LTZ":
        x = f"CAST({x} AS TIMESTAMP)"
    if t.is_timestamp:
        return _timestamp_field(unit, x)
    if t.name == "DATE" and unit in TIME_UNITS:
        x = f"CAST({x} AS TIMESTAMP)"
    return f"CAST({_DUCK_PART[unit].format(x=x)} AS BIGINT)"


def _timestamp_field(unit: str, x: str) -> str:
    """Flink splits a timestamp's epoch milliseconds with Java's truncating / and %.

    For instants before 1970 that is not the calendar reading: EXTRACT(HOUR FROM
    TIMESTAMP '1969-12-31 00:00:00.5') is -23 and its YEAR 1970. Flink prints exactly that.
    """
    ms = f"epoch_ms({x})"
    if unit == "EPOCH":
        return f"CAST(trunc({ms} / 1000) AS BIGINT)"
    if unit in DATE_UNITS:
        day = f"(DATE '1970-01-01' + CAST(trunc({ms} / 86400000) AS INTEGER))"
        return f"CAST({_DUCK_PART[unit].format(x=day)} AS BIGINT)"
    of_day = f"({ms} % 86400000)"
    if unit in ("MICROSECOND", "NANOSECOND"):
        micros = f"(({of_day} % 1000) * 1000 + microsecond({x}) % 1000)"
        return micros if unit == "MICROSECOND" else f"({micros} * 1000)"
    size, modulo = _INTERVAL_DT_MS[unit]
    value = f"trunc({of_day} / {size})"
    return f"(CAST({value} AS BIGINT) % {modulo})" if unit != "HOUR" else f"CAST({value} AS BIGINT)"


def _extract_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "EXTRACT", 2)
    return extract_type(_unit_of(args[0]), args[1].type)


def _extract_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    return extract_sql(_unit_of(args[0]), sql[1], args[1].type)


def _extract_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    return [Symbol(node.this.name.upper()), node.expression]


def _shorthand(name: str, unit: str, node: type[exp.Expr]) -> FunctionDef:
    """YEAR(x) is EXTRACT(YEAR FROM x): same checks, same messages, same lowering."""

    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1)
        return extract_type(unit, args[0].type)

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        return extract_sql(unit, sql[0], args[0].type)

    return FunctionDef(name, infer, lower, nodes=(node,), args=lambda n: [n.this])


register(
    FunctionDef(
        "EXTRACT", _extract_infer, _extract_lower, nodes=(exp.Extract,), args=_extract_args
    ),
    _shorthand("YEAR", "YEAR", exp.Year),
    _shorthand("QUARTER", "QUARTER", exp.Quarter),
    _shorthand("MONTH", "MONTH", exp.Month),
    _shorthand("WEEK", "WEEK", exp.Week),
    _shorthand("DAYOFYEAR", "DOY", exp.DayOfYear),
    _shorthand("DAYOFMONTH", "DAY", exp.DayOfMonth),
    _shorthand("DAYOFWEEK", "DOW", exp.DayOfWeek),
    _shorthand("HOUR", "HOUR", exp.Hour),
    _shorthand("MINUTE", "MINUTE", exp.Minute),
    _shorthand("SECOND", "SECOND", exp.Second),
)
