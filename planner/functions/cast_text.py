"""The text Flink gives a value when it is cast to CHAR/VARCHAR/STRING, and the length rules.

DuckDB's own text differs for most types: DOUBLE/FLOAT print as Java's Double.toString/Float.toString
(`1.0E10`, `1.0E-4`, `100.0`, `NaN`, `Infinity`), BOOLEAN as TRUE/FALSE, TIMESTAMP(p) with exactly
p fraction digits, TIMESTAMP_LTZ in the session time zone without an offset, intervals as
`+1 02:03:04.567` / `+2-03`, ARRAY as `[1, 2]`, MAP as `{a=1}`, ROW as `(1, a)` with NULL inside a
collection printed as `NULL`. CHAR(n) pads with blanks, CHAR(n)/VARCHAR(n) cut longer text.
"""

from __future__ import annotations

from planner.functions.cast_sql import bind, fresh
from planner.types import MAX_LENGTH, FlinkType

_DOUBLE_PARTS = "'^-?([0-9]+)(?:[.]([0-9]+))?(?:e([+-]?[0-9]+))?$'"


def to_text(sql: str, source: FlinkType, safe: bool) -> str:
    """VARCHAR SQL for Flink's string form of a value of type `source`."""
    n = source.name
    if source.is_character:
        return sql
    if n == "BOOLEAN":
        return f"CASE WHEN {sql} THEN 'TRUE' WHEN NOT {sql} THEN 'FALSE' END"
    if source.is_approx:
        return approx_text(sql, n == "FLOAT")
    if n == "DECIMAL" and source.scale == source.precision:
        # DuckDB prints DECIMAL(p, p) without the leading zero ('-.05').
        return f"regexp_replace(CAST({sql} AS VARCHAR), '^(-?)[.]', '\\10.')"
    if source.is_numeric:
        return f"CAST({sql} AS VARCHAR)"
    if n == "DATE":
        return f"strftime({sql}, '%Y-%m-%d')"
    if n == "TIME":
        return fraction_text(f"(DATE '1970-01-01' + {sql})", "%H:%M:%S", source.precision or 0)
    if source.is_timestamp:
        return fraction_text(sql, "%Y-%m-%d %H:%M:%S", source.precision or 0)
    if n == "INTERVAL_DT":
        return _interval_dt_text(sql)
    if n == "INTERVAL_YM":
        return _interval_ym_text(sql)
    if source.is_binary:
        return binary_text(sql, safe)
    if n in ("ARRAY", "MULTISET", "MAP", "ROW"):
        return _collection_text(sql, source, safe)
    return f"CAST({sql} AS VARCHAR)"


def fit_length(text_sql: str, source: FlinkType, target: FlinkType) -> str:
    """CHAR(n) pads to n and cuts; VARCHAR(n) cuts; STRING keeps the text as it is."""
    length = target.precision if target.precision is not None else MAX_LENGTH
    if target.name == "CHAR":
        if source.name == "CHAR" and source.precision == length:
            return text_sql
        return f"rpad(left({text_sql}, {length}), {length}, ' ')"
    if length >= MAX_LENGTH:
        return text_sql
    if source.is_character and (source.precision or MAX_LENGTH) <= length:
        return text_sql
    return f"left({text_sql}, {length})"


def approx_text(sql: str, is_float: bool) -> str:
    """Java's Double.toString / Float.toString from the shortest round-trip digits.

    Java prints |d| in [1e-3, 1e7) as plain decimal with at least one fraction digit, everything
    else as `d.dddE<exp>`. DuckDB's DOUBLE text has the same shortest digits in another layout, so
    the digits and the decimal exponent are taken from it and laid out again. DuckDB's FLOAT text
    is not always shortest (1234567.8f prints as 1234567.75), so for FLOAT the shortest of the
    1..9-digit renderings that reads back as the same float is used.
    """

    def with_parts(v: str) -> str:
        text = _shortest_float(v) if is_float else f"CAST({v} AS VARCHAR)"
        parts = f"regexp_extract({text}, {_DOUBLE_PARTS}, ['i', 'f', 'e'])"
        return (
            f"CASE WHEN isnan({v}) THEN 'NaN' "
            f"WHEN isinf({v}) THEN CASE WHEN {v} > 0 THEN 'Infinity' ELSE '-Infinity' END "
            f"ELSE (CASE WHEN starts_with(CAST({v} AS VARCHAR), '-') THEN '-' ELSE '' END) || "
            f"{bind(parts, _layout_digits)} END"
        )

    return bind(sql, with_parts)


def _shortest_float(v: str) -> str:
    candidates = ", ".join(f"printf('%.{k}e', CAST({v} AS DOUBLE))" for k in range(9))
    c = fresh()
    return f"list_filter([{candidates}], lambda {c}: CAST({c} AS FLOAT) = {v})[1]"


def _layout_digits(p: str) -> str:
    every = f"({p}.i || {p}.f)"
    lead = f"(length({every}) - length(ltrim({every}, '0')))"
    exponent = (
        f"CAST(length({p}.i) - 1 - {lead} + coalesce(TRY_CAST({p}.e AS INTEGER), 0) AS INTEGER)"
    )
    digits = f"rtrim(ltrim({every}, '0'), '0')"

    def layout(s: str) -> str:
        d, e = f"{s}.d", f"{s}.e"
        rest = f"coalesce(nullif(substr({d}, 2), ''), '0')"
        plain_big = (
            f"left(rpad({d}, {e} + 1, '0'), {e} + 1) || '.' || "
            f"coalesce(nullif(substr({d}, {e} + 2), ''), '0')"
        )
        plain_small = f"'0.' || repeat('0', -{e} - 1) || {d}"
        return (
            f"CASE WHEN {d} = '' THEN '0.0' "
            f"WHEN {e} >= 7 OR {e} < -3 THEN left({d}, 1) || '.' || {rest} || 'E' || {e} "
            f"WHEN {e} >= 0 THEN {plain_big} ELSE {plain_small} END"
        )

    return bind(f"struct_pack(d := {digits}, e := {exponent})", layout)


def fraction_text(sql: str, base_format: str, precision: int) -> str:
    """strftime text followed by exactly `precision` fraction-of-second digits."""
    if precision <= 0:
        return f"strftime({sql}, '{base_format}')"
    if precision < 6:
        return f"left(strftime({sql}, '{base_format}.%f'), -{6 - precision})"
    if precision == 6:
        return f"strftime({sql}, '{base_format}.%f')"
    if precision < 9:
        return f"left(strftime({sql}, '{base_format}.%n'), -{9 - precision})"
    return f"strftime({sql}, '{base_format}.%n')"


def _interval_dt_text(sql: str) -> str:
    def body(v: str) -> str:
        ms = f"abs(epoch_us({v}) // 1000)"
        return (
            f"CASE WHEN {v} IS NULL THEN NULL ELSE "
            f"(CASE WHEN epoch_us({v}) < 0 THEN '-' ELSE '+' END) || "
            f"CAST({ms} // 86400000 AS VARCHAR) || ' ' || "
            f"lpad(CAST({ms} // 3600000 % 24 AS VARCHAR), 2, '0') || ':' || "
            f"lpad(CAST({ms} // 60000 % 60 AS VARCHAR), 2, '0') || ':' || "
            f"lpad(CAST({ms} // 1000 % 60 AS VARCHAR), 2, '0') || '.' || "
            f"lpad(CAST({ms} % 1000 AS VARCHAR), 3, '0') END"
        )

    return bind(sql, body)


def _interval_ym_text(sql: str) -> str:
    def body(v: str) -> str:
        months = f"(datepart('year', {v}) * 12 + datepart('month', {v}))"
        return (
            f"CASE WHEN {v} IS NULL THEN NULL ELSE "
            f"(CASE WHEN {months} < 0 THEN '-' ELSE '+' END) || "
            f"CAST(abs({months}) // 12 AS VARCHAR) || '-' || "
            f"lpad(CAST(abs({months}) % 12 AS VARCHAR), 2, '0') END"
        )

    return bind(sql, body)


def binary_text(sql: str, safe: bool) -> str:
    """Bytes decoded as UTF-8; Flink replaces malformed sequences (DuckDB's stand-in is '?')."""
    return f"decode({sql}, 'replace')"


def _element_text(sql: str, element: FlinkType, safe: bool) -> str:
    return f"coalesce({to_text(sql, element, safe)}, 'NULL')"


def _collection_text(sql: str, source: FlinkType, safe: bool) -> str:
    n = source.name
    if n == "ARRAY":
        e = fresh()
        return (
            f"'[' || array_to_string(list_transform({sql}, "
            f"lambda {e}: {_element_text(e, source.children[0], safe)}), ', ') || ']'"
        )
    if n in ("MAP", "MULTISET"):
        key = source.children[0]
        value = source.children[1] if n == "MAP" else FlinkType("INT", False)
        e = fresh()
        entry = (
            f"{_element_text(f'{e}.key', key, safe)} || '=' || "
            f"{_element_text(f'{e}.value', value, safe)}"
        )
        return (
            f"'{{' || array_to_string(list_transform(map_entries({sql}), "
            f"lambda {e}: {entry}), ', ') || '}}'"
        )

    def row_body(r: str) -> str:
        fields = " || ', ' || ".join(
            _element_text(f'{r}."{name}"', child, safe)
            for name, child in zip(source.field_names, source.children, strict=True)
        )
        return f"CASE WHEN {r} IS NULL THEN NULL ELSE '(' || {fields or repr('')} || ')' END"

    return bind(sql, row_body)
