"""CAST and TRY_CAST with Flink's conversion rules, lowered to DuckDB.

Flink differs from DuckDB in observable ways: a cast from a fractional number to an integer type
truncates toward zero (DuckDB rounds), BOOLEAN becomes 'TRUE'/'FALSE', timestamps print with exactly
their precision's fractional digits, CHAR(n) pads and VARCHAR(n) truncates, an invalid string fails
the query (CAST) or yields NULL (TRY_CAST).
"""

from __future__ import annotations

from planner.types import FlinkType, to_duckdb


def lower_cast(sql: str, source: FlinkType, target: FlinkType, safe: bool) -> str:
    """DuckDB SQL converting `sql` (of Flink type `source`) to `target`."""
    cast = "TRY_CAST" if safe else "CAST"
    duck = to_duckdb(target)
    if source.name == "NULL":
        return f"CAST(NULL AS {duck})"
    if target.is_integer and (source.is_approx or source.name == "DECIMAL"):
        return f"{cast}(trunc({sql}) AS {duck})"
    if target.is_character:
        text = _to_string(sql, source)
        if target.name == "CHAR" and target.precision:
            return f"rpad(left({text}, {target.precision}), {target.precision}, ' ')"
        if target.precision and target.precision < 2147483647:
            return f"left({text}, {target.precision})"
        return text
    if target.name == "TIMESTAMP" and (target.precision or 0) < 6 and not source.is_character:
        return _truncate_ts(f"{cast}({sql} AS {duck})", target.precision or 0)
    if target.name == "TIMESTAMP" and source.is_character:
        return _truncate_ts(f"{cast}(trim({sql}) AS {duck})", target.precision or 0)
    return f"{cast}({sql} AS {duck})"


def _truncate_ts(sql: str, precision: int) -> str:
    if precision >= 6:
        return sql
    unit = 10 ** (6 - precision)
    return f"make_timestamp((epoch_us({sql}) // {unit}) * {unit})"


def _to_string(sql: str, source: FlinkType) -> str:
    if source.is_character:
        return sql
    if source.name == "BOOLEAN":
        return f"CASE WHEN {sql} THEN 'TRUE' WHEN NOT {sql} THEN 'FALSE' END"
    if source.name == "TIMESTAMP":
        return _timestamp_text(sql, source.precision or 0)
    return f"CAST({sql} AS VARCHAR)"


def _timestamp_text(sql: str, precision: int) -> str:
    base = f"strftime({sql}, '%Y-%m-%d %H:%M:%S')"
    if precision == 0:
        return base
    fraction = f"lpad(CAST(microsecond({sql}) % 1000000 AS VARCHAR), 6, '0')"
    if precision <= 6:
        return f"{base} || '.' || left({fraction}, {precision})"
    return f"{base} || '.' || rpad({fraction}, {precision}, '0')"
