"""Casts to and between DATE, TIME, TIMESTAMP(p) and TIMESTAMP_LTZ(p), with Flink's parsing rules.

Flink parses strings more leniently than DuckDB in places ('2020' and '2020-1' are dates, '1' is the
time 01:00:00, anything after the first blank of a date string is ignored) and more strictly in
others (no 'T' in a date, no time zone suffix). Lowering precision truncates toward the past
(TIMESTAMP '1969-12-31 23:59:59.999' to TIMESTAMP(0) is 23:59:59), where DuckDB rounds.
TIMESTAMP_LTZ <-> TIMESTAMP/DATE/TIME use the session time zone, which the runner sets as DuckDB's
TimeZone, so DuckDB's TIMESTAMPTZ casts give Flink's answer.
"""

from __future__ import annotations

from planner.functions.cast_numeric import java_trim
from planner.functions.cast_sql import bind, fail, quote
from planner.types import FlinkType, to_duckdb

_DATE = "([0-9]{1,4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?"
_TIME = "([0-9]{1,2})(?::([0-9]{1,2})(?::([0-9]{1,2})(?:[.]([0-9]{0,9}))?)?)?"
_TIMESTAMP = (
    "([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    "(?: ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.]([0-9]{1,9}))?)?"
)
_TIME_FORMAT = ". Expected format: HH:mm:ss[.fff] where HH is 00-23, mm is 00-59, ss is 00-59"


def string_to_date(sql: str, safe: bool) -> str:
    def body(t: str) -> str:
        head = f"split_part({t}, ' ', 1)"
        parts = f"regexp_extract({head}, '^{_DATE}$', ['y', 'm', 'd'])"
        message = (
            f"'java.time.DateTimeException: For input string: ' || chr(39) || {t} || chr(39) || '.'"
        )

        def from_parts(p: str) -> str:
            text = (
                f"lpad({p}.y, 4, '0') || '-' || lpad(coalesce(nullif({p}.m, ''), '1'), 2, '0')"
                f" || '-' || lpad(coalesce(nullif({p}.d, ''), '1'), 2, '0')"
            )
            valid = f"regexp_full_match({head}, '{_DATE}') AND CAST({p}.y AS INTEGER) > 0"
            return f"CASE WHEN {valid} THEN TRY_CAST({text} AS DATE) END"

        return (
            f"CASE WHEN {t} IS NULL THEN NULL "
            f"ELSE coalesce({bind(parts, from_parts)}, {fail(safe, message)}) END"
        )

    return bind(java_trim(sql), body)


def string_to_time(sql: str, target: FlinkType, safe: bool) -> str:
    def body(t: str) -> str:
        parts = f"regexp_extract({t}, '^{_TIME}$', ['h', 'm', 's', 'f'])"
        message = (
            f"'java.time.DateTimeException: Invalid time format: ' || chr(39) || {t} || chr(39) || "
            f"{quote(_TIME_FORMAT)}"
        )

        def from_parts(p: str) -> str:
            h = f"CAST({p}.h AS INTEGER)"
            m = f"coalesce(TRY_CAST({p}.m AS INTEGER), 0)"
            s = f"coalesce(TRY_CAST({p}.s AS INTEGER), 0)"
            micros = f"coalesce(TRY_CAST(rpad(left({p}.f, 6), 6, '0') AS INTEGER), 0)"
            valid = f"regexp_full_match({t}, '{_TIME}') AND {h} < 24 AND {m} < 60 AND {s} < 60"
            value = f"make_time({h}, {m}, {s} + {micros} / 1000000.0)"
            return f"CASE WHEN {valid} THEN {truncate_time(value, target.precision or 0)} END"

        return (
            f"CASE WHEN {t} IS NULL THEN NULL "
            f"ELSE coalesce({bind(parts, from_parts)}, {fail(safe, message)}) END"
        )

    return bind(java_trim(sql), body)


def string_to_timestamp(sql: str, target: FlinkType, safe: bool) -> str:
    """Flink's `yyyy-M-d[ H:m:s[.fffffffff]]` with Java's SMART resolution, no blanks around.

    SMART resolution clamps a day beyond the month's end to its last day (2020-02-30 is
    2020-02-29) and reads 24:00:00 as the next midnight; other out-of-range fields fail.
    """
    precision = target.precision or 0

    def body(t: str) -> str:
        message = (
            f"'java.time.format.DateTimeParseException: Text ' || chr(39) || {t} || chr(39) || "
            "' could not be parsed at index 0'"
        )
        parts = f"regexp_extract({t}, '^{_TIMESTAMP}$', ['y', 'mo', 'd', 'h', 'mi', 's', 'f'])"

        def from_parts(p: str) -> str:
            y, mo, d = (f"CAST({p}.{k} AS INTEGER)" for k in ("y", "mo", "d"))
            h, mi, sec = (f"coalesce(TRY_CAST({p}.{k} AS BIGINT), 0)" for k in ("h", "mi", "s"))
            nanos = f"coalesce(TRY_CAST(rpad({p}.f, 9, '0') AS BIGINT), 0)"
            first = f"make_date({y}, {mo}, 1)"
            day = f"least({d}, day(last_day({first})))"
            midnight = f"CAST({first} + to_days({day} - 1) AS TIMESTAMP_NS)"
            offset = f"(({h} * 60 + {mi}) * 60 + {sec}) * 1000000000 + {nanos}"
            valid = (
                f"regexp_full_match({t}, '{_TIMESTAMP}') AND {mo} BETWEEN 1 AND 12 "
                f"AND {d} BETWEEN 1 AND 31 AND {mi} < 60 AND {sec} < 60 "
                f"AND ({h} < 24 OR {h} = 24 AND {mi} = 0 AND {sec} = 0 AND {nanos} = 0)"
            )
            value = f"make_timestamp_ns(epoch_ns({midnight}) + {offset})"
            return f"CASE WHEN {valid} THEN {value} END"

        parsed = bind(parts, from_parts)
        value = truncate_timestamp(parsed, FlinkType("TIMESTAMP", precision=9), precision)
        local = f"CAST({value} AS {to_duckdb(FlinkType('TIMESTAMP', precision=precision))})"
        if target.name == "TIMESTAMP_LTZ":
            local = f"CAST({local} AS TIMESTAMPTZ)"
        return f"CASE WHEN {t} IS NULL THEN NULL ELSE coalesce({local}, {fail(safe, message)}) END"

    return bind(sql, body)


def truncate_time(sql: str, precision: int) -> str:
    if precision >= 6:
        return sql
    unit = 10 ** (6 - precision)
    return f"CAST(make_time(0, 0, 0) + to_microseconds(epoch_us({sql}) // {unit} * {unit}) AS TIME)"


def truncate_timestamp(sql: str, source: FlinkType, precision: int) -> str:
    """Drop fraction digits beyond `precision` toward the epoch, keeping the DuckDB type.

    Flink truncates the epoch value toward zero at run time, so a pre-1970 instant moves forward
    (TIMESTAMP '1969-12-31 23:59:59.999' to TIMESTAMP(0) is 1970-01-01 00:00:00).
    """
    source_precision = source.precision if source.precision is not None else 6
    if precision >= source_precision:
        return sql
    if source_precision > 6:
        unit = 10 ** (9 - precision)
        return bind(sql, lambda v: f"make_timestamp_ns(epoch_ns({v}) - epoch_ns({v}) % {unit})")
    unit = 10 ** (6 - precision)
    return bind(sql, lambda v: f"{v} - to_microseconds(epoch_us({v}) % {unit})")


def _epoch_date(local_sql: str) -> str:
    """Flink's day of a timestamp: epoch milliseconds divided toward zero (pre-1970 moves forward)."""
    return f"CAST(DATE '1970-01-01' + CAST(trunc(epoch_ms({local_sql}) / 86400000.0) AS INTEGER) AS DATE)"


def temporal_to_temporal(sql: str, source: FlinkType, target: FlinkType) -> str:
    """DATE/TIME/TIMESTAMP/TIMESTAMP_LTZ to another of them (string sources are handled apart)."""
    s, t = source.name, target.name
    p = target.precision or 0
    if t == "DATE":
        if s == "DATE":
            return sql
        return _epoch_date(f"CAST({sql} AS TIMESTAMP)" if s == "TIMESTAMP_LTZ" else sql)
    if t == "TIME":
        if s == "TIME":
            return truncate_time(sql, p)
        local = f"CAST({sql} AS TIMESTAMP)" if s == "TIMESTAMP_LTZ" else sql
        local_type = FlinkType("TIMESTAMP", precision=source.precision)
        return f"CAST({truncate_timestamp(local, local_type, p)} AS TIME)"
    if s == "DATE":
        local = f"CAST({sql} AS TIMESTAMP)"
        as_source = FlinkType("TIMESTAMP", precision=6)
    elif s == "TIME":
        local = f"(DATE '1970-01-01' + {sql})"
        as_source = FlinkType("TIMESTAMP", precision=6)
    else:
        local, as_source = sql, source
    value = truncate_timestamp(local, as_source, p)
    if t == "TIMESTAMP_LTZ" or (s == "TIMESTAMP_LTZ" and t == "TIMESTAMP"):
        return f"CAST({value} AS {to_duckdb(target)})"
    if to_duckdb(as_source) != to_duckdb(target):
        return f"CAST({value} AS {to_duckdb(target)})"
    return value
