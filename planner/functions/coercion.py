"""Flink's type-derivation rules shared by many functions: widening, DECIMAL arithmetic, common types.

Why a module of its own: these rules decide observable results (`1/2` is 0 because INT / INT is INT;
`DECIMAL(10, 2) * DECIMAL(10, 2)` is `DECIMAL(20, 4)`), and they must be identical wherever a type is
derived, in every function and in both execution modes.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner import types as T
from planner.types import FlinkType

MAX_PRECISION = 38
MIN_ADJUSTED_SCALE = 6

_INT_ORDER = {"TINYINT": 0, "SMALLINT": 1, "INT": 2, "BIGINT": 3}


class CoercionError(Exception):
    """No common type exists (e.g. INT and DATE)."""


def any_nullable(types: Sequence[FlinkType]) -> bool:
    return any(t.nullable for t in types)


def as_decimal(t: FlinkType) -> FlinkType:
    """The DECIMAL an exact numeric widens to (INT is DECIMAL(10, 0), BIGINT DECIMAL(19, 0))."""
    if t.name == "DECIMAL":
        return t
    if t.is_integer:
        return T.decimal(T.INTEGER_PRECISION[t.name], 0, t.nullable)
    raise CoercionError(f"{t} is not an exact numeric type")


def adjust(precision: int, scale: int) -> tuple[int, int]:
    """Fit a derived DECIMAL into 38 digits, keeping integer digits and at least 6 of scale."""
    if precision <= MAX_PRECISION:
        return precision, scale
    int_digits = precision - scale
    min_scale = min(scale, MIN_ADJUSTED_SCALE)
    scale = max(MAX_PRECISION - int_digits, min_scale)
    return MAX_PRECISION, scale


def decimal_plus(a: FlinkType, b: FlinkType) -> tuple[int, int]:
    a, b = as_decimal(a), as_decimal(b)
    scale = max(a.scale or 0, b.scale or 0)
    precision = (
        max((a.precision or 0) - (a.scale or 0), (b.precision or 0) - (b.scale or 0)) + scale + 1
    )
    return adjust(precision, scale)


def decimal_times(a: FlinkType, b: FlinkType) -> tuple[int, int]:
    a, b = as_decimal(a), as_decimal(b)
    return adjust((a.precision or 0) + (b.precision or 0) + 1, (a.scale or 0) + (b.scale or 0))


def decimal_divide(a: FlinkType, b: FlinkType) -> tuple[int, int]:
    a, b = as_decimal(a), as_decimal(b)
    p1, s1, p2, s2 = a.precision or 0, a.scale or 0, b.precision or 0, b.scale or 0
    scale = max(MIN_ADJUSTED_SCALE, s1 + p2 + 1)
    precision = p1 - s1 + s2 + scale
    return adjust(precision, scale)


def decimal_mod(a: FlinkType, b: FlinkType) -> tuple[int, int]:
    a, b = as_decimal(a), as_decimal(b)
    p1, s1, p2, s2 = a.precision or 0, a.scale or 0, b.precision or 0, b.scale or 0
    scale = max(s1, s2)
    precision = min(p1 - s1, p2 - s2) + scale
    return adjust(precision, scale)


def wider_integer(a: FlinkType, b: FlinkType) -> FlinkType:
    return a if _INT_ORDER[a.name] >= _INT_ORDER[b.name] else b


def arithmetic_type(op: str, a: FlinkType, b: FlinkType) -> FlinkType:
    """Result type of `a op b` for op in + - * / % over numeric operands."""
    nullable = a.nullable or b.nullable
    if not (a.is_numeric or a.name == "NULL") or not (b.is_numeric or b.name == "NULL"):
        raise CoercionError(f"Cannot apply '{op}' to arguments of type '{a}' and '{b}'")
    if a.name == "NULL":
        a = b
    if b.name == "NULL":
        b = a
    if a.name == "DOUBLE" or b.name == "DOUBLE":
        return T.double(nullable)
    if a.name == "FLOAT" or b.name == "FLOAT":
        other = b if a.name == "FLOAT" else a
        return T.double(nullable) if other.name == "DECIMAL" else T.float_(nullable)
    if a.name == "DECIMAL" or b.name == "DECIMAL":
        rule = {
            "+": decimal_plus,
            "-": decimal_plus,
            "*": decimal_times,
            "/": decimal_divide,
            "%": decimal_mod,
        }[op]
        p, s = rule(a, b)
        return T.decimal(p, s, nullable)
    if op == "%":
        # MOD keeps the divisor's type in Flink (the result is smaller than it).
        return b.without_time_attr().with_nullable(nullable)
    return wider_integer(a, b).without_time_attr().with_nullable(nullable)


def common_type(types: Sequence[FlinkType]) -> FlinkType:
    """Flink's least restrictive type: the type CASE branches, UNION inputs and IN lists unify to."""
    real = [t.without_time_attr() for t in types if t.name != "NULL"]
    nullable = any(t.nullable for t in types)
    if not real:
        return T.NULL
    first = real[0]
    if all(t == first.with_nullable(t.nullable) for t in real):
        return first.with_nullable(nullable)
    names = {t.name for t in real}
    if all(t.is_numeric for t in real):
        if "DOUBLE" in names:
            return T.double(nullable)
        if "FLOAT" in names:
            return T.double(nullable) if "DECIMAL" in names else T.float_(nullable)
        if "DECIMAL" in names:
            decs = [as_decimal(t) for t in real]
            scale = max(d.scale or 0 for d in decs)
            int_digits = max((d.precision or 0) - (d.scale or 0) for d in decs)
            p, s = adjust(int_digits + scale, scale)
            return T.decimal(p, s, nullable)
        widest = real[0]
        for t in real[1:]:
            widest = wider_integer(widest, t)
        return widest.with_nullable(nullable)
    if all(t.is_character for t in real):
        length = max(T.char_length(t) for t in real)
        if names == {"CHAR"}:
            return T.char(length, nullable)
        return T.varchar(length, nullable)
    if all(t.is_binary for t in real):
        length = max(t.precision or 1 for t in real)
        return FlinkType("BINARY" if names == {"BINARY"} else "VARBINARY", nullable, length)
    if names <= {"TIMESTAMP", "DATE"} and "TIMESTAMP" in names:
        return T.timestamp(max(t.precision or 0 for t in real if t.name == "TIMESTAMP"), nullable)
    if names == {"TIMESTAMP_LTZ"} or names == {"TIMESTAMP_LTZ", "TIMESTAMP"}:
        return T.timestamp_ltz(max(t.precision or 0 for t in real), nullable)
    if names == {"TIME"}:
        return T.time(max(t.precision or 0 for t in real), nullable)
    if len(names) == 1 and first.name in ("ARRAY", "MULTISET"):
        return FlinkType(
            first.name, nullable, children=(common_type([t.children[0] for t in real]),)
        )
    if len(names) == 1 and first.name == "MAP":
        key = common_type([t.children[0] for t in real])
        value = common_type([t.children[1] for t in real])
        return T.map_(key, value, nullable)
    if len(names) == 1 and first.name == "ROW" and len({len(t.children) for t in real}) == 1:
        fields = [
            (first.field_names[i], common_type([t.children[i] for t in real]))
            for i in range(len(first.children))
        ]
        return T.row(fields, nullable)
    if len(names) == 1:
        return first.with_nullable(nullable)
    shown = ", ".join(str(t) for t in types)
    raise CoercionError(f"Cannot find a common type for [{shown}]")


def comparable(a: FlinkType, b: FlinkType) -> bool:
    """Whether Flink accepts `a = b` (numeric with numeric, strings with strings, same family)."""
    if a.name == "NULL" or b.name == "NULL":
        return True
    if a.is_numeric and b.is_numeric:
        return True
    if a.is_character and b.is_character:
        return True
    if a.is_binary and b.is_binary:
        return True
    if a.is_temporal and b.is_temporal:
        return a.name == b.name or {a.name, b.name} <= {"DATE", "TIMESTAMP", "TIMESTAMP_LTZ"}
    # Flink casts a string literal to the other side's type in comparisons.
    if a.is_character or b.is_character:
        other = b if a.is_character else a
        return other.is_numeric or other.is_temporal or other.name == "BOOLEAN"
    try:
        common_type([a, b])
    except CoercionError:
        return False
    return True
