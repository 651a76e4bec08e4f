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
    if a.name == "NULL" or b.name == "NULL":
        raise CoercionError("Illegal use of 'NULL'")
    if op == "%" and (a.is_approx or b.is_approx):
        raise CoercionError(f"'{op}' needs exact numeric operands")
    if a.is_approx and b.is_approx:
        # Flink's FLOAT is Calcite's 8-byte FLOAT, as precise as DOUBLE: the left operand wins.
        return a.without_time_attr().with_nullable(nullable)
    if a.is_approx or b.is_approx:
        approx, other = (a, b) if a.is_approx else (b, a)
        if other.name == "DECIMAL":
            return T.double(nullable)
        return approx.without_time_attr().with_nullable(nullable)
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
    """Calcite's least restrictive type: what CASE, IF, IN lists and set operations unify to.

    CHARs of different lengths give a VARCHAR, BINARYs of different lengths a VARBINARY; of FLOAT
    and DOUBLE the first one wins (Flink's FLOAT is Calcite's 8-byte FLOAT); DATE and TIMESTAMP
    have none; a DECIMAL too wide for 38 digits keeps its integer digits and loses scale.
    """
    return _common(types, calcite=True)


def merged_type(types: Sequence[FlinkType]) -> FlinkType:
    """Flink's own common type (LogicalTypeMerging): COALESCE, IFNULL, GREATEST and LEAST use it.

    It differs from `common_type` where Flink's rules differ from Calcite's: DOUBLE wins over
    FLOAT wherever it is, and DATE with TIMESTAMP gives DATE.
    """
    return _common(types, calcite=False)


def _common(types: Sequence[FlinkType], calcite: bool) -> FlinkType:
    real = [t.without_time_attr() for t in types if t.name != "NULL"]
    nullable = any(t.nullable for t in types)
    if not real:
        return T.NULL
    first = real[0]
    if all(t == first.with_nullable(t.nullable) for t in real):
        return first.with_nullable(nullable)
    names = {t.name for t in real}
    if all(t.is_numeric for t in real):
        return _common_numeric(real, names, nullable, calcite)
    if all(t.is_character for t in real):
        length = max(T.char_length(t) for t in real)
        if names == {"CHAR"} and len({t.precision for t in real}) == 1:
            return T.char(length, nullable)
        return T.varchar(length, nullable)
    if all(t.is_binary for t in real):
        length = max(t.precision or 1 for t in real)
        same = names == {"BINARY"} and len({t.precision for t in real}) == 1
        return FlinkType("BINARY" if same else "VARBINARY", nullable, length)
    if names == {"TIMESTAMP", "DATE"} and not calcite:
        return T.date(nullable)
    if names == {"TIMESTAMP"}:
        return T.timestamp(max(t.precision or 0 for t in real), nullable)
    if names == {"TIMESTAMP_LTZ"} or names == {"TIMESTAMP_LTZ", "TIMESTAMP"}:
        ltz = [t.precision or 0 for t in real if t.name == "TIMESTAMP_LTZ"]
        return T.timestamp_ltz(max(ltz), nullable)
    if names == {"TIME"}:
        return T.time(max(t.precision or 0 for t in real), nullable)
    if len(names) == 1 and first.name in ("ARRAY", "MULTISET"):
        element = _common([t.children[0] for t in real], calcite)
        return FlinkType(first.name, nullable, children=(element,))
    if len(names) == 1 and first.name == "MAP":
        key = _common([t.children[0] for t in real], calcite)
        value = _common([t.children[1] for t in real], calcite)
        return T.map_(key, value, nullable)
    if len(names) == 1 and first.name == "ROW" and len({len(t.children) for t in real}) == 1:
        fields = [
            (first.field_names[i], _common([t.children[i] for t in real], calcite))
            for i in range(len(first.children))
        ]
        return T.row(fields, nullable)
    if len(names) == 1 and first.name not in ("RAW",):
        return first.with_nullable(nullable)
    shown = ", ".join(str(t) for t in types)
    raise CoercionError(f"Cannot find a common type for [{shown}]")


def _common_numeric(
    real: list[FlinkType], names: set[str], nullable: bool, calcite: bool
) -> FlinkType:
    approx = [t for t in real if t.is_approx]
    if approx:
        if "DECIMAL" in names:
            return T.double(nullable)
        if calcite:
            return approx[0].with_nullable(nullable)
        return T.double(nullable) if "DOUBLE" in names else T.float_(nullable)
    if "DECIMAL" in names:
        decs = [as_decimal(t) for t in real]
        scale = max(d.scale or 0 for d in decs)
        int_digits = max((d.precision or 0) - (d.scale or 0) for d in decs)
        if int_digits + scale > MAX_PRECISION:
            scale = max(0, MAX_PRECISION - int_digits)
        return T.decimal(min(int_digits + scale, MAX_PRECISION), scale, nullable)
    widest = real[0]
    for t in real[1:]:
        widest = wider_integer(widest, t)
    return widest.with_nullable(nullable)


def sql_type_name(t: FlinkType) -> str:
    """Calcite's SqlTypeName of a type (`INTEGER`, `CHAR`, `DECIMAL`), as its coercion errors print it."""
    return T.calcite_name(t).split("(")[0]


ORDERING = ("<", "<=", ">", ">=")


def comparison_casts(
    op: str, a: FlinkType, b: FlinkType
) -> tuple[FlinkType | None, FlinkType | None]:
    """The types Flink converts the operands of `a op b` to (None: as is), or CoercionError.

    Flink (2.x) compares numbers with numbers, text with text, a type with itself; a string with a
    date/time by casting the string; a string with a number only in ordering comparisons (`=`
    fails with its "implicit type conversion" error). BOOLEAN with a string is accepted but never
    equal (the caller handles that); DATE and TIMESTAMP are not comparable.
    """
    if a.name == "NULL" or b.name == "NULL":
        return None, None
    if (a.is_numeric and b.is_numeric) or (a.is_character and b.is_character):
        return None, None
    if (a.is_binary and b.is_binary) or a.name == b.name == "BOOLEAN":
        return None, None
    if a.is_character or b.is_character:
        text_first = a.is_character
        other = b if text_first else a
        if other.is_temporal:
            target = other.without_time_attr()
            return (target, None) if text_first else (None, target)
        if other.is_numeric:
            if op not in ORDERING:
                raise CoercionError(
                    f"implicit type conversion between {sql_type_name(a)} and "
                    f"{sql_type_name(b)} is not supported now"
                )
            # A DECIMAL would overflow on wider text ('10' > 5.5 is TRUE in Flink): compare in DOUBLE.
            target = T.double() if other.name == "DECIMAL" else other.without_time_attr()
            return (target, None) if text_first else (None, target)
        if other.name == "BOOLEAN":
            return None, None
        raise CoercionError("")
    if a.is_temporal and b.is_temporal:
        if a.name == b.name or {a.name, b.name} == {"TIMESTAMP", "TIMESTAMP_LTZ"}:
            return None, None
        raise CoercionError("")
    if a.is_interval and b.is_interval and a.name == b.name:
        return None, None
    if a.name == b.name and a.name in ("ARRAY", "MAP", "MULTISET", "ROW"):
        common_type([a, b])
        if op in ORDERING:
            raise CoercionError(f"Comparable type expected, but was '{a}'.")
        return None, None
    raise CoercionError("")


def comparable(a: FlinkType, b: FlinkType) -> bool:
    """Whether Flink accepts `a = b` (used where only a yes/no is needed)."""
    try:
        comparison_casts("=", a, b)
    except CoercionError:
        return False
    return True


_NUMERIC_ORDER = ("TINYINT", "SMALLINT", "INT", "BIGINT", "DECIMAL", "FLOAT", "DOUBLE")


def implicitly_castable(src: FlinkType, dst: FlinkType) -> bool:
    """Flink's implicit cast (INSERT into a column, a call's declared argument): the same type
    family, widening numerics, any NULL; nested types element by element."""
    if src.name == "NULL":
        return True
    if src.is_numeric and dst.is_numeric:
        if src.name == "DECIMAL" and dst.name == "DECIMAL":
            return True
        return _NUMERIC_ORDER.index(src.name) <= _NUMERIC_ORDER.index(dst.name)
    if src.is_character and dst.is_character:
        return True
    if src.is_binary and dst.is_binary:
        return True
    if src.is_timestamp and dst.is_timestamp:
        return True
    if src.name != dst.name:
        return False
    if len(src.children) != len(dst.children):
        return False
    return all(implicitly_castable(a, b) for a, b in zip(src.children, dst.children, strict=True))
