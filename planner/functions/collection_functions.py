"""Array and map functions: ARRAY_CONTAINS, ARRAY_DISTINCT, ARRAY_SLICE, ..., MAP_KEYS, MAP_ENTRIES.

Flink semantics decided here (checked against Flink 2.3): a NULL array gives NULL; NULL elements
are ordinary values (ARRAY_CONTAINS finds a NULL, ARRAY_DISTINCT keeps one, ARRAY_REMOVE removes
them), ARRAY_DISTINCT keeps first occurrences in order (DuckDB's list_distinct neither keeps order
nor NULL), ARRAY_POSITION is 0 when absent, ARRAY_SLICE counts negative positions from the end and
clamps to the array, ARRAY_JOIN skips NULL elements unless given a replacement.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr
from planner.functions.coercion import CoercionError, common_type
from planner.functions.collections import cast_to
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, to_duckdb


def _invalid_call(name: str, args: Sequence[Expr]) -> FunctionError:
    shown = ", ".join(a.type.summary() for a in args)
    return FunctionError(f"Invalid function call: {name}({shown})")


def _array_arg(name: str, args: Sequence[Expr]) -> FlinkType:
    t = args[0].type
    if t.name != "ARRAY":
        raise _invalid_call(name, args)
    return t


def _needle_fits(element: FlinkType, needle: FlinkType) -> bool:
    """Flink accepts a needle that casts implicitly to the element type (INT into BIGINT, not back)."""
    if needle.name == "NULL":
        return True
    if element.is_character and needle.is_character:
        return True
    try:
        wider = common_type([element, needle])
    except CoercionError:
        return False
    return wider.with_nullable(True) == element.with_nullable(True)


def _nullable(args: Sequence[Expr]) -> bool:
    return any(a.type.nullable for a in args)


def _null_if_any(sql: Sequence[str], args: Sequence[Expr], body: str) -> str:
    """`body`, or NULL when a nullable argument is NULL (DuckDB's list functions differ on NULLs)."""
    checks = [f"{s} IS NULL" for s, a in zip(sql, args, strict=True) if a.type.nullable]
    if not checks:
        return body
    return f"CASE WHEN {' OR '.join(checks)} THEN NULL ELSE {body} END"


# ---------------------------------------------------------------- searching


def _contains_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "ARRAY_CONTAINS", 2)
    t = _array_arg("ARRAY_CONTAINS", args)
    if not _needle_fits(t.children[0], args[1].type):
        raise _invalid_call("ARRAY_CONTAINS", args)
    return T.boolean(t.nullable)


def _contains_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    body = f"coalesce(list_position({sql[0]}, {sql[1]}), 0) > 0"
    return _null_if_any(sql[:1], args[:1], body)


def _position_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "ARRAY_POSITION", 2)
    t = _array_arg("ARRAY_POSITION", args)
    if not _needle_fits(t.children[0], args[1].type):
        raise _invalid_call("ARRAY_POSITION", args)
    return T.int_(_nullable(args))


def _position_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    body = f"CAST(coalesce(list_position({sql[0]}, {sql[1]}), 0) AS INTEGER)"
    return _null_if_any(sql, args, body)


register(
    FunctionDef("ARRAY_CONTAINS", _contains_infer, _contains_lower, nodes=(exp.ArrayContains,)),
    FunctionDef("ARRAY_POSITION", _position_infer, _position_lower, nodes=(exp.ArrayPosition,)),
)


# ---------------------------------------------------------------- reshaping


def _same_array_infer(name: str, count: int):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, count)
        return _array_arg(name, args).without_time_attr()

    return infer


def _remove_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "ARRAY_REMOVE", 2)
    t = _array_arg("ARRAY_REMOVE", args)
    if not _needle_fits(t.children[0], args[1].type):
        raise _invalid_call("ARRAY_REMOVE", args)
    return t


def _remove_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    body = f"list_filter({sql[0]}, lambda _e: _e IS DISTINCT FROM {sql[1]})"
    return _null_if_any(sql[:1], args[:1], f"CAST({body} AS {to_duckdb(rt)})")


def _distinct_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    a = sql[0]
    return f"list_filter({a}, lambda _e, _i: list_position({a}, _e) = _i)"


register(
    FunctionDef(
        "ARRAY_DISTINCT",
        _same_array_infer("ARRAY_DISTINCT", 1),
        _distinct_lower,
        nodes=(exp.ArrayDistinct,),
    ),
    FunctionDef(
        "ARRAY_REVERSE",
        _same_array_infer("ARRAY_REVERSE", 1),
        lambda s, a, rt: f"list_reverse({s[0]})",
        nodes=(exp.ArrayReverse,),
    ),
    FunctionDef("ARRAY_REMOVE", _remove_infer, _remove_lower, nodes=(exp.ArrayRemove,)),
)


def _slice_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "ARRAY_SLICE", 2, 3)
    t = _array_arg("ARRAY_SLICE", args)
    if not all(a.type.is_integer or a.type.name == "NULL" for a in args[1:]):
        raise _invalid_call("ARRAY_SLICE", args)
    return t.with_nullable(_nullable(args))


def _slice_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    a = sql[0]
    n = f"len({a})"

    def position(p: str) -> str:
        return f"(CASE WHEN {p} < 0 THEN {n} + {p} + 1 WHEN {p} = 0 THEN 1 ELSE {p} END)"

    start = f"greatest({position(sql[1])}, 1)"
    end = f"least({position(sql[2])}, {n})" if len(sql) == 3 else n
    body = f"CASE WHEN {start} > {end} THEN [] ELSE list_slice({a}, {start}, {end}) END"
    return _null_if_any(sql, args, f"CAST({body} AS {to_duckdb(rt)})")


register(
    FunctionDef(
        "ARRAY_SLICE",
        _slice_infer,
        _slice_lower,
        nodes=(exp.ArraySlice,),
        args=lambda node: [
            node.this,
            node.args["start"],
            *([node.args["end"]] if node.args.get("end") is not None else []),
        ],
    )
)


def _concat_infer(args: Sequence[Expr]) -> FlinkType:
    if not args:
        raise FunctionError("Invalid number of arguments to function 'ARRAY_CONCAT'")
    for a in args:
        if a.type.name != "ARRAY":
            raise _invalid_call("ARRAY_CONCAT", args)
    try:
        element = common_type([a.type.children[0] for a in args])
    except CoercionError:
        raise FunctionError("Parameters must be of the same type") from None
    return T.array(element, _nullable(args))


def _concat_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    parts = ", ".join(cast_to(s, a.type, rt) for s, a in zip(sql, args, strict=True))
    body = f"list_concat({parts})" if len(sql) > 1 else parts
    return _null_if_any(sql, args, body)


register(FunctionDef("ARRAY_CONCAT", _concat_infer, _concat_lower, nodes=(exp.ArrayConcat,)))


def _join_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "ARRAY_JOIN", 2, 3)
    t = args[0].type
    if t.name != "ARRAY" or not t.children[0].is_character:
        raise _invalid_call("ARRAY_JOIN", args)
    if not all(a.type.is_character or a.type.name == "NULL" for a in args[1:]):
        raise _invalid_call("ARRAY_JOIN", args)
    return T.string(_nullable(args))


def _join_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    items = sql[0]
    if len(sql) == 3:
        items = f"list_transform({items}, lambda _e: coalesce(_e, {sql[2]}))"
    return _null_if_any(sql, args, f"array_to_string({items}, {sql[1]})")


def _join_args(node: exp.Expr) -> list[exp.Expr]:
    out = [node.this, node.expression]
    if node.args.get("null") is not None:
        out.append(node.args["null"])
    return out


register(
    FunctionDef("ARRAY_JOIN", _join_infer, _join_lower, nodes=(exp.ArrayToString,), args=_join_args)
)


# ---------------------------------------------------------------- maps


def _map_arg(name: str, args: Sequence[Expr]) -> FlinkType:
    arity(args, name, 1)
    t = args[0].type
    if t.name != "MAP":
        raise _invalid_call(name, args)
    return t


def _keys_infer(args: Sequence[Expr]) -> FlinkType:
    t = _map_arg("MAP_KEYS", args)
    return T.array(t.children[0], t.nullable)


def _values_infer(args: Sequence[Expr]) -> FlinkType:
    t = _map_arg("MAP_VALUES", args)
    return T.array(t.children[1], t.nullable)


def _entries_infer(args: Sequence[Expr]) -> FlinkType:
    t = _map_arg("MAP_ENTRIES", args)
    entry = T.row([("key", t.children[0]), ("value", t.children[1])], nullable=True)
    return T.array(entry, t.nullable)


register(
    FunctionDef(
        "MAP_KEYS", _keys_infer, lambda s, a, rt: f"map_keys({s[0]})", nodes=(exp.MapKeys,)
    ),
    FunctionDef("MAP_VALUES", _values_infer, lambda s, a, rt: f"map_values({s[0]})"),
    FunctionDef(
        "MAP_ENTRIES",
        _entries_infer,
        lambda s, a, rt: f"CAST(map_entries({s[0]}) AS {to_duckdb(rt)})",
    ),
)


def _extreme_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1)
        return _array_arg(name, args).children[0].with_nullable(True)

    return infer


register(
    FunctionDef(
        "ARRAY_MAX",
        _extreme_infer("ARRAY_MAX"),
        lambda s, a, rt: f"list_max({s[0]})",
        nodes=(exp.ArrayMax,),
    ),
    FunctionDef(
        "ARRAY_MIN",
        _extreme_infer("ARRAY_MIN"),
        lambda s, a, rt: f"list_min({s[0]})",
        nodes=(exp.ArrayMin,),
    ),
)
