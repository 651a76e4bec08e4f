"""Which casts Flink accepts, and the message it gives for the ones it rejects.

Verified pair by pair against Flink 2.3 (every source family to every target family). Three
layers reject a cast in Flink, each with its own message: Calcite's validator ("Cast function
cannot convert value of type X to type Y", with Calcite's type names), Flink's own validation for
number <-> timestamp (with a hint to the function to use instead), and code generation for pairs
the validator lets through but no cast rule implements (string -> INTERVAL, binary -> temporal).
"""

from __future__ import annotations

from planner.types import FlinkType, calcite_name

_NUMBER_TO_TIMESTAMP = {
    "TIMESTAMP": (
        "The cast from NUMERIC type to TIMESTAMP type is not allowed. It's recommended to use "
        "TO_TIMESTAMP(FROM_UNIXTIME(numeric_col)) instead, note the numeric is in seconds."
    ),
    "TIMESTAMP_LTZ": (
        "The cast from NUMERIC type to TIMESTAMP_LTZ type is not allowed. It's recommended to "
        "use TO_TIMESTAMP_LTZ(numeric_col, precision) instead."
    ),
}
_TIMESTAMP_TO_NUMBER = {
    "TIMESTAMP": (
        "The cast from TIMESTAMP type to NUMERIC type is not allowed. It's recommended to use "
        "UNIX_TIMESTAMP(CAST(timestamp_col AS STRING)) instead."
    ),
    "TIMESTAMP_LTZ": "The cast from TIMESTAMP_LTZ type to NUMERIC type is not allowed.",
}

# Target families each source family may be cast to (besides CHAR/VARCHAR, always allowed).
_FAMILY_TARGETS: dict[str, frozenset[str]] = {
    "exact": frozenset({"exact", "approx", "BOOLEAN", "INTERVAL_DT", "INTERVAL_YM"}),
    "approx": frozenset({"exact", "approx", "BOOLEAN"}),
    "BOOLEAN": frozenset({"exact", "approx", "BOOLEAN"}),
    "character": frozenset(
        {"exact", "approx", "BOOLEAN", "binary", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ"}
    ),
    "binary": frozenset({"binary"}),
    "DATE": frozenset({"DATE", "TIMESTAMP", "TIMESTAMP_LTZ"}),
    "TIME": frozenset({"TIME", "TIMESTAMP", "TIMESTAMP_LTZ"}),
    "TIMESTAMP": frozenset({"DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ"}),
    "TIMESTAMP_LTZ": frozenset({"DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ"}),
    "INTERVAL_DT": frozenset({"INTERVAL_DT"}),
    "INTERVAL_YM": frozenset({"INTERVAL_YM"}),
}


def family(t: FlinkType) -> str:
    """The group of types that share cast rules."""
    if t.is_integer or t.name == "DECIMAL":
        return "exact"
    if t.is_approx:
        return "approx"
    if t.is_character:
        return "character"
    if t.is_binary:
        return "binary"
    return t.name


def check_cast(source: FlinkType, target: FlinkType) -> str | None:
    """Flink's error message for CAST(<source> AS <target>), or None when the cast is legal.

    TRY_CAST is checked the same way: Flink rejects an illegal pair at validation for both.
    """
    if source.name == "NULL":
        return None
    s, t = family(source), family(target)
    if t == "character":
        return None
    if s in ("exact", "approx") and target.is_timestamp:
        return _NUMBER_TO_TIMESTAMP[target.name]
    if source.is_timestamp and t in ("exact", "approx"):
        return _TIMESTAMP_TO_NUMBER[source.name]
    if (s == "character" and target.is_interval) or (s == "binary" and target.is_temporal):
        return f"Unsupported cast from '{source.summary()}' to '{target.summary()}'."
    if s in ("ARRAY", "MULTISET") and s == t:
        return _nested(source, target, source.children, target.children)
    if s == "MAP" and t == "MAP":
        return _nested(source, target, source.children, target.children)
    if s == "ROW" and t == "ROW":
        if len(source.children) != len(target.children):
            return _calcite_message(source, target)
        return _nested(source, target, source.children, target.children)
    if t in _FAMILY_TARGETS.get(s, frozenset()):
        return None
    return _calcite_message(source, target)


def _nested(
    source: FlinkType,
    target: FlinkType,
    sources: tuple[FlinkType, ...],
    targets: tuple[FlinkType, ...],
) -> str | None:
    for inner_source, inner_target in zip(sources, targets, strict=True):
        if check_cast(inner_source, inner_target) is not None:
            return _calcite_message(source, target)
    return None


def _calcite_message(source: FlinkType, target: FlinkType) -> str:
    return (
        f"Cast function cannot convert value of type {calcite_name(source)} "
        f"to type {calcite_name(target)}"
    )
