"""Casts between numbers, booleans and strings-as-numbers, with Flink's (Java's) semantics.

Where Flink and DuckDB differ:
- integer narrowing wraps around like a Java primitive cast (CAST(300 AS TINYINT) is 44); DuckDB fails.
- DOUBLE/FLOAT to an integer truncates toward zero and saturates like Java's `(int) d` / `(long) d`
  (NaN is 0; TINYINT/SMALLINT go through INT and then wrap); DuckDB rounds and fails on overflow.
- DECIMAL to an integer truncates and wraps (BigDecimal.longValue, then a primitive cast).
- a number that does not fit DECIMAL(p, s) becomes NULL (Flink rejects that NULL only when the
  result column is NOT NULL); DOUBLE to DECIMAL rounds the shortest decimal text of the double
  HALF_UP (so 1.005 becomes 1.01, not 1.00 as the binary value would give).
- strings parse with Flink's own rules: integers accept a fraction part and drop it ('42.9' is 42),
  doubles follow Java's Double.parseDouble ('NaN', 'Infinity', '1.5d'), booleans accept
  true/t/yes/y/1 and false/f/no/n/0 in any case but no surrounding blanks.
"""

from __future__ import annotations

from planner.functions.cast_sql import bind, fail, input_message, quote
from planner.types import FlinkType, to_duckdb

_BITS = {"TINYINT": 8, "SMALLINT": 16, "INT": 32, "BIGINT": 64}
_JAVA_BLANKS = "chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"
_TRUE_WORDS = "('true', 't', 'yes', 'y', '1')"
_FALSE_WORDS = "('false', 'f', 'no', 'n', '0')"
_NFE = "java.lang.NumberFormatException"
_FLOAT_MAX = "3.4028235677973366e38"  # FLT_MAX plus half an ulp: rounds to infinity


def java_trim(sql: str) -> str:
    """Java's String.trim for the blanks that occur in practice."""
    return f"trim({sql}, {_JAVA_BLANKS})"


def wrap_integer(hugeint_sql: str, target: str) -> str:
    """Keep the low bits of an integer, as Java's narrowing primitive conversion does."""
    bits = _BITS[target]
    mod = 1 << bits
    half = 1 << (bits - 1)
    return (
        f"CAST(((CAST({hugeint_sql} AS HUGEINT) + {half}) % {mod} + {mod}) % {mod} - {half} "
        f"AS {to_duckdb(FlinkType(target))})"
    )


def _clamp(sql: str, low: int, high: int) -> str:
    return f"greatest(least({sql}, {high}), {low})"


def numeric_to_numeric(sql: str, source: FlinkType, target: FlinkType) -> str:
    duck = to_duckdb(target)
    if target.is_integer:
        if source.is_integer:
            if _BITS[target.name] >= _BITS[source.name]:
                return f"CAST({sql} AS {duck})"
            return wrap_integer(sql, target.name)
        if source.name == "DECIMAL":
            return wrap_integer(f"trunc({sql})", target.name)
        return _approx_to_integer(sql, target.name)
    if target.name == "DECIMAL":
        return _to_decimal(sql, source, target)
    if target.name == "FLOAT" and source.name == "DOUBLE":
        # Java's (float) d overflows to an infinity; DuckDB fails.
        return bind(
            sql,
            lambda v: (
                f"CASE WHEN abs({v}) >= {_FLOAT_MAX} AND NOT isinf({v}) "
                f"THEN CAST(sign({v}) * 'inf'::DOUBLE AS FLOAT) ELSE CAST({v} AS FLOAT) END"
            ),
        )
    return f"CAST({sql} AS {duck})"


def _approx_to_integer(sql: str, target: str) -> str:
    def body(v: str) -> str:
        if target == "BIGINT":
            saturated = (
                f"CASE WHEN {v} >= 9223372036854775807.0 THEN 9223372036854775807 "
                f"WHEN {v} <= -9223372036854775808.0 THEN -9223372036854775808 "
                f"ELSE CAST(trunc({v}) AS BIGINT) END"
            )
        else:
            saturated = f"CAST({_clamp(f'trunc({v})', -2147483648, 2147483647)} AS BIGINT)"
        value = saturated if target in ("BIGINT", "INT") else wrap_integer(saturated, target)
        return f"CASE WHEN {v} IS NULL THEN NULL WHEN isnan({v}) THEN 0 ELSE {value} END"

    duck = to_duckdb(FlinkType(target))
    return f"CAST({bind(f'CAST({sql} AS DOUBLE)', body)} AS {duck})"


def _to_decimal(sql: str, source: FlinkType, target: FlinkType) -> str:
    duck = to_duckdb(target)
    if source.is_approx:

        def body(v: str) -> str:
            special = (
                f"'java.lang.NumberFormatException: Character ' || "
                f"CASE WHEN isnan({v}) THEN 'N' ELSE 'I' END || "
                '\' is neither a decimal digit number, decimal point, nor "e" notation '
                "exponential mark.'"
            )
            return (
                f"CASE WHEN isnan({v}) OR isinf({v}) THEN {fail(False, special)} "
                f"ELSE {_fit_decimal(f'TRY_CAST(CAST({v} AS VARCHAR) AS {duck})', v, target)} END"
            )

        return bind(sql, body)
    return bind(sql, lambda v: _fit_decimal(f"TRY_CAST({v} AS {duck})", v, target))


def _fit_decimal(converted: str, original: str, target: FlinkType) -> str:
    """NULL when the value does not fit; an error instead if the result is declared NOT NULL."""
    if target.nullable:
        return converted
    message = (
        quote(
            f"Column of type {target.summary()} is NOT NULL, however, a null value is being written "
            "into it: the value '"
        )
        + f" || CAST({original} AS VARCHAR) || "
        + quote(f"' does not fit {target.summary()}.")
    )
    return f"coalesce({converted}, {fail(False, message)})"


def boolean_to_numeric(sql: str, target: FlinkType) -> str:
    return f"CAST(CAST({sql} AS INTEGER) AS {to_duckdb(target)})"


def numeric_to_boolean(sql: str) -> str:
    return f"({sql} <> 0)"


def string_to_boolean(sql: str, safe: bool) -> str:
    def body(v: str) -> str:
        message = (
            f"'org.apache.flink.table.api.TableException: Cannot parse ' || chr(39) || {v} || "
            "chr(39) || ' as BOOLEAN.'"
        )
        return (
            f"CASE WHEN lower({v}) IN {_TRUE_WORDS} THEN TRUE "
            f"WHEN lower({v}) IN {_FALSE_WORDS} THEN FALSE "
            f"WHEN {v} IS NULL THEN NULL ELSE {fail(safe, message)} END"
        )

    return bind(sql, body)


def string_to_numeric(sql: str, target: FlinkType, safe: bool) -> str:
    if target.is_integer:
        return _string_to_integer(sql, target, safe)
    if target.name == "DECIMAL":
        return _string_to_decimal(sql, target, safe)
    return _string_to_approx(sql, target, safe)


def _string_to_integer(sql: str, target: FlinkType, safe: bool) -> str:
    bits = _BITS[target.name]
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    duck = to_duckdb(target)

    def body(t: str) -> str:
        whole = f"regexp_extract({t}, '^[+-]?[0-9]*')"
        value = (
            f"TRY_CAST(CASE WHEN {whole} IN ('', '+', '-') THEN '0' ELSE {whole} END AS HUGEINT)"
        )
        reason = {
            "empty": input_message(_NFE, t, "Input is empty."),
            "sign": input_message(_NFE, t, "Input has only positive or negative symbol."),
            "char": input_message(_NFE, t, "Invalid character found."),
            "overflow": input_message(_NFE, t, "Overflow."),
        }
        return (
            f"CASE WHEN {t} IS NULL THEN NULL "
            f"WHEN {t} = '' THEN {fail(safe, reason['empty'])} "
            f"WHEN {t} IN ('+', '-') THEN {fail(safe, reason['sign'])} "
            f"WHEN NOT regexp_full_match({t}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)') "
            f"THEN {fail(safe, reason['char'])} "
            f"WHEN coalesce({value} NOT BETWEEN {low} AND {high}, TRUE) "
            f"THEN {fail(safe, reason['overflow'])} "
            f"ELSE CAST({value} AS {duck}) END"
        )

    return bind(java_trim(sql), body)


def _string_to_decimal(sql: str, target: FlinkType, safe: bool) -> str:
    duck = to_duckdb(target)

    def body(t: str) -> str:
        message = input_message(_NFE, t, "Overflow.")
        syntax = f"regexp_full_match({t}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?')"
        value = f"CASE WHEN {syntax} THEN TRY_CAST({t} AS {duck}) END"
        return f"CASE WHEN {t} IS NULL THEN NULL ELSE coalesce({value}, {fail(safe, message)}) END"

    return bind(java_trim(sql), body)


def _string_to_approx(sql: str, target: FlinkType, safe: bool) -> str:
    duck = to_duckdb(target)
    number = "[+-]?(NaN|Infinity|([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?[fFdD]?)"

    def body(t: str) -> str:
        empty = quote(f"{_NFE}: empty String")
        invalid = f"{quote(_NFE + ': For input string: ' + chr(34))} || {t} || chr(34)"
        digits = f"regexp_replace({t}, '[fFdD]$', '')"
        return (
            f"CASE WHEN {t} IS NULL THEN NULL WHEN {t} = '' THEN {fail(safe, empty)} "
            f"WHEN regexp_full_match({t}, '{number}') THEN CAST({digits} AS {duck}) "
            f"ELSE {fail(safe, invalid)} END"
        )

    return bind(java_trim(sql), body)
