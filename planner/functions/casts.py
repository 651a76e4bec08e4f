"""CAST and TRY_CAST with Flink's conversion rules, lowered to DuckDB.

`check_cast` says whether Flink accepts a cast at all (the binder calls it); `lower_cast` writes the
DuckDB SQL for an accepted one. Flink differs from DuckDB in observable ways, each handled by the
module for its family: numbers (cast_numeric: truncation, Java overflow, HALF_UP decimals),
text (cast_text: Java's double text, TRUE/FALSE, precision-exact timestamps, collections,
CHAR(n)/VARCHAR(n) lengths), time (cast_temporal: Flink's parsing, truncating precision, session
time zone). A failed CAST fails the query with Flink's message; the same failure in TRY_CAST is NULL.
"""

from __future__ import annotations

from planner.binder.context import ValidationError
from planner.functions.cast_numeric import (
    boolean_to_numeric,
    numeric_to_boolean,
    numeric_to_numeric,
    string_to_boolean,
    string_to_numeric,
)
from planner.functions.cast_rules import check_cast
from planner.functions.cast_sql import bind, fresh
from planner.functions.cast_temporal import (
    string_to_date,
    string_to_time,
    string_to_timestamp,
    temporal_to_temporal,
)
from planner.functions.cast_text import fit_length, to_text
from planner.types import MAX_LENGTH, FlinkType, to_duckdb

__all__ = ["check_cast", "lower_cast"]


def lower_cast(sql: str, source: FlinkType, target: FlinkType, safe: bool) -> str:
    """DuckDB SQL converting `sql` (of Flink type `source`) to `target`.

    `target.nullable` matters: a number that does not fit DECIMAL(p, s) is NULL in Flink, which a
    NOT NULL result rejects with an error.
    """
    s, t = source.name, target.name
    if s == "NULL":
        return f"CAST(NULL AS {to_duckdb(target)})"
    problem = check_cast(source, target)
    if problem is not None:
        # The binder should have rejected this already; never lower an illegal cast.
        raise ValidationError(problem)
    if _same_storage(source, target):
        return sql
    if target.is_character:
        return fit_length(to_text(sql, source, safe), source, target)
    if source.is_character:
        return _from_string(sql, source, target, safe)
    if target.is_numeric:
        if source.is_numeric:
            return numeric_to_numeric(sql, source, target)
        if s == "BOOLEAN":
            return boolean_to_numeric(sql, target)
    if t == "BOOLEAN" and source.is_numeric:
        return numeric_to_boolean(sql)
    if source.is_temporal and target.is_temporal:
        return temporal_to_temporal(sql, source, target)
    if source.is_binary and target.is_binary:
        return fit_binary(sql, target)
    if target.is_interval and source.is_numeric:
        return _number_to_interval(sql, source, target)
    if s == t == "ARRAY":
        return _array_cast(sql, source, target, safe)
    if s == t == "MAP":
        return _map_cast(sql, source, target, safe)
    if s == t == "ROW":
        return _row_cast(sql, source, target, safe)
    return f"{'TRY_CAST' if safe else 'CAST'}({sql} AS {to_duckdb(target)})"


def _same_storage(source: FlinkType, target: FlinkType) -> bool:
    """Casts that change nothing but nullability (or widen a length that needs no check)."""
    plain = source.with_nullable(target.nullable).without_time_attr()
    if plain == target:
        return True
    if source.name == target.name == "VARCHAR":
        return (source.precision or MAX_LENGTH) <= (target.precision or MAX_LENGTH)
    if source.name == target.name and source.is_interval:
        return True
    return source.name == target.name == "VARBINARY" and (source.precision or MAX_LENGTH) <= (
        target.precision or MAX_LENGTH
    )


def _from_string(sql: str, source: FlinkType, target: FlinkType, safe: bool) -> str:
    t = target.name
    if target.is_numeric:
        return string_to_numeric(sql, target, safe)
    if t == "BOOLEAN":
        return string_to_boolean(sql, safe)
    if t == "DATE":
        return string_to_date(sql, safe)
    if t == "TIME":
        return string_to_time(sql, target, safe)
    if target.is_timestamp:
        return string_to_timestamp(sql, target, safe)
    if target.is_binary:
        return fit_binary(f"encode({sql})", target)
    return f"{'TRY_CAST' if safe else 'CAST'}({sql} AS {to_duckdb(target)})"


def fit_binary(sql: str, target: FlinkType) -> str:
    """BINARY(n) pads with zero bytes and cuts; VARBINARY(n) cuts; BYTES keeps everything."""
    length = target.precision if target.precision is not None else MAX_LENGTH
    if target.name == "BINARY":
        return bind(
            sql,
            lambda v: (
                f"CASE WHEN octet_length({v}) >= {length} THEN {v}[1:{length}] "
                f"ELSE {v} || repeat('\\x00'::BLOB, {length} - octet_length({v})) END"
            ),
        )
    if length >= MAX_LENGTH:
        return sql
    return f"({sql})[1:{length}]"


def _number_to_interval(sql: str, source: FlinkType, target: FlinkType) -> str:
    """A number is a count of the interval's smallest unit: milliseconds or months."""
    whole = (
        f"CAST(trunc({sql}) AS BIGINT)" if source.name == "DECIMAL" else f"CAST({sql} AS BIGINT)"
    )
    if target.name == "INTERVAL_YM":
        return f"to_months({whole})"
    return f"to_milliseconds({whole})"


def _array_cast(sql: str, source: FlinkType, target: FlinkType, safe: bool) -> str:
    """Element by element; in TRY_CAST one failed element makes the whole array NULL."""
    e = fresh()
    inner = lower_cast(e, source.children[0], target.children[0], safe)
    if not safe:
        return f"list_transform({sql}, lambda {e}: {inner})"

    def body(a: str) -> str:
        converted = f"list_transform({a}, lambda {e}: {inner})"
        n = fresh()
        nulls = f"len(list_filter({{}}, lambda {n}: {n} IS NULL))"
        return bind(
            converted,
            lambda c: f"CASE WHEN {nulls.format(c)} > {nulls.format(a)} THEN NULL ELSE {c} END",
        )

    return bind(sql, body)


def _map_cast(sql: str, source: FlinkType, target: FlinkType, safe: bool) -> str:
    e = fresh()
    key = lower_cast(f"{e}.key", source.children[0], target.children[0], safe)
    value = lower_cast(f"{e}.value", source.children[1], target.children[1], safe)
    entries = f"list_transform(map_entries({sql}), lambda {e}: struct_pack(key := {key}, value := {value}))"
    return f"CASE WHEN {sql} IS NULL THEN NULL ELSE map_from_entries({entries}) END"


def _row_cast(sql: str, source: FlinkType, target: FlinkType, safe: bool) -> str:
    def body(r: str) -> str:
        fields = ", ".join(
            f'"{name}" := ' + lower_cast(f'{r}."{old}"', old_type, new_type, safe)
            for old, old_type, name, new_type in zip(
                source.field_names,
                source.children,
                target.field_names,
                target.children,
                strict=True,
            )
        )
        return f"CASE WHEN {r} IS NULL THEN NULL ELSE struct_pack({fields}) END"

    return bind(sql, body)
