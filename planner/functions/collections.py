"""ARRAY, MAP and ROW values: constructors, element and field access, CARDINALITY and ELEMENT.

Flink semantics decided here (checked against Flink 2.3):
* `ARRAY[1, 2]` is `ARRAY<INT NOT NULL> NOT NULL`: constructors are never NULL, their element type is
  the common type of the items (CHAR items of different lengths widen to VARCHAR), nullable when
  any item is. `MAP[k, v, ...]` keeps the last value of a repeated key. `ROW(..)`/`(a, b)` fields are
  named `EXPR$0`, `EXPR$1`...
* `arr[i]` is 1-based and always nullable (NULL past the end); a literal index below 1 is a
  validation error, a computed one fails at run time. `m[k]` is NULL for a missing key.
* `r.f` (the binder's internal FIELD call) is the field, NULL when the row is NULL.

The array and map functions (ARRAY_CONTAINS, ARRAY_SLICE, MAP_KEYS ...) live in collection_functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.dialect.dialect import Flink
from planner.expr import Expr, Lit, Symbol
from planner.functions.coercion import CoercionError, common_type
from planner.functions.math import int_constant
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, calcite_name, to_duckdb


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def cast_to(sql: str, source: FlinkType, target: FlinkType) -> str:
    """`sql` as DuckDB's type for `target` (no cast when the storage types already agree)."""
    if source.name != "NULL" and to_duckdb(source) == to_duckdb(target):
        return sql
    return f"CAST({sql} AS {to_duckdb(target)})"


def constructor_type(types: Sequence[FlinkType]) -> FlinkType:
    """The element type of ARRAY[..] / MAP[..] items: their common type, CHARs widened to VARCHAR."""
    try:
        t = common_type(list(types))
    except CoercionError:
        raise FunctionError("Parameters must be of the same type") from None
    if t.name == "NULL":
        raise FunctionError("Illegal use of 'NULL'")
    chars = [x for x in types if x.name == "CHAR"]
    if t.name == "CHAR" and len({x.precision for x in chars}) > 1:
        return T.varchar(t.precision or 1, t.nullable)
    return t


# ---------------------------------------------------------------- ARRAY[...]


def _array_infer(args: Sequence[Expr]) -> FlinkType:
    if not args:
        raise FunctionError("Require at least 1 argument for ARRAY constructor")
    return T.array(constructor_type([a.type for a in args]), nullable=False)


def _array_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    element = rt.children[0]
    items = ", ".join(cast_to(s, a.type, element) for s, a in zip(sql, args, strict=True))
    return f"CAST([{items}] AS {to_duckdb(rt)})"


register(FunctionDef("ARRAY", _array_infer, _array_lower, nodes=(exp.Array,)))


# ---------------------------------------------------------------- MAP[...]


def _map_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    keys = node.args["keys"].expressions
    values = node.args["values"].expressions
    out: list[exp.Expr | Symbol] = []
    for k, v in zip(keys, values, strict=True):
        out += [k, v]
    return out


def _map_infer(args: Sequence[Expr]) -> FlinkType:
    if not args or len(args) % 2:
        raise FunctionError("MAP requires an even number of arguments (key, value, ...)")
    key = constructor_type([a.type for a in args[0::2]])
    value = constructor_type([a.type for a in args[1::2]])
    return T.map_(key, value, nullable=False)


def _map_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    key_t, value_t = rt.children
    keys = [cast_to(s, a.type, key_t) for s, a in zip(sql[0::2], args[0::2], strict=True)]
    values = [cast_to(s, a.type, value_t) for s, a in zip(sql[1::2], args[1::2], strict=True)]
    key_args = args[0::2]
    if all(isinstance(k, Lit) for k in key_args):
        # Constant keys: drop the earlier of repeated keys here (Flink keeps the last value).
        last = {k.value: i for i, k in enumerate(key_args)}  # type: ignore[union-attr]
        keep = sorted(last.values())
        keys, values = [keys[i] for i in keep], [values[i] for i in keep]
        return f"CAST(MAP([{', '.join(keys)}], [{', '.join(values)}]) AS {to_duckdb(rt)})"
    # Computed keys: keep entry i only when no later key equals it.
    entries = []
    for i, (k, v) in enumerate(zip(keys, values, strict=True)):
        later = [f"{k} IS NOT DISTINCT FROM {keys[j]}" for j in range(i + 1, len(keys))]
        keep_sql = f"NOT ({' OR '.join(later)})" if later else "TRUE"
        entries.append(f"{{'k': {k}, 'v': {v}, 'keep': {keep_sql}}}")
    kept = f"list_filter([{', '.join(entries)}], lambda e: e.keep)"
    pairs = f"list_transform({kept}, lambda e: {{'key': e.k, 'value': e.v}})"
    return f"CAST(map_from_entries({pairs}) AS {to_duckdb(rt)})"


register(FunctionDef("MAP", _map_infer, _map_lower, nodes=(exp.VarMap,), args=_map_args))


# ---------------------------------------------------------------- ROW(...)


def _row_infer(args: Sequence[Expr]) -> FlinkType:
    for a in args:
        if a.type.name == "NULL":
            raise FunctionError("Illegal use of 'NULL'")
    fields = [(f"EXPR${i}", a.type.without_time_attr()) for i, a in enumerate(args)]
    return T.row(fields, nullable=False)


def _row_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    items = ", ".join(
        f"{quote_identifier(name)} := {cast_to(s, a.type, ft)}"
        for s, a, name, ft in zip(sql, args, rt.field_names, rt.children, strict=True)
    )
    return f"struct_pack({items})"


register(FunctionDef("ROW", _row_infer, _row_lower, nodes=(exp.Struct, exp.Tuple)))


# ---------------------------------------------------------------- r.f


def _field_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "FIELD", 2)
    row_t, name = args[0].type, args[1]
    if row_t.name != "ROW" or not isinstance(name, Lit) or name.value not in row_t.field_names:
        raise FunctionError(f"Unknown field {name} in {row_t}")
    ft = row_t.children[row_t.field_names.index(name.value)]
    return ft.with_nullable(ft.nullable or row_t.nullable)


def _field_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    name = args[1]
    assert isinstance(name, Lit)
    return f"struct_extract({sql[0]}, {quote_literal(str(name.value))})"


register(FunctionDef("FIELD", _field_infer, _field_lower))


# ---------------------------------------------------------------- arr[i], m[k]


def _bracket_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    """The container and Flink's (1-based) index.

    sqlglot's parser shifts integer-typed indexes to 0-based (the Flink dialect's INDEX_OFFSET is 1);
    the generator shifts them back by the same rule, so undoing the shift here mirrors it exactly.
    """
    index = node.expressions
    offset = Flink.INDEX_OFFSET - (node.args.get("offset") or 0)
    restored = exp.apply_index_offset(node.this, [i.copy() for i in index], offset, dialect=Flink)
    return [node.this, *restored]


def _bracket_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "ITEM", 2)
    container, key = args[0].type, args[1].type
    if container.name == "ARRAY":
        if not (key.is_integer or key.name == "NULL"):
            raise FunctionError(
                f"Cannot apply 'ITEM' to arguments of type 'ITEM(<{container.sql()}>, <{key.sql()}>)'. "
                "Supported form(s): <ARRAY>[<INTEGER>]"
            )
        index = int_constant(args[1])
        if index is not None and index < 1:
            raise FunctionError(
                f"Array element access needs an index starting at 1 but was {index}."
            )
        return container.children[0].with_nullable(True)
    if container.name == "MAP":
        return container.children[1].with_nullable(True)
    if container.name == "ROW" and isinstance(args[1], Lit):
        return _field_infer(args)
    raise FunctionError(
        f"Cannot apply 'ITEM' to arguments of type 'ITEM(<{container.sql()}>, <{key.sql()}>)'. "
        "Supported form(s): <ARRAY>[<INTEGER>] <MAP>[<ANY>] <ROW>[<CHARACTER>|<INTEGER>]"
    )


def _bracket_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    container, index = sql
    t = args[0].type
    if t.name == "MAP":
        return f"{container}[{cast_to(index, args[1].type, t.children[0])}]"
    if t.name == "ROW":
        return _field_lower(sql, args, rt)
    if int_constant(args[1]) is not None:
        return f"{container}[{index}]"
    return (
        f"CASE WHEN {index} < 1 THEN error('Array element access needs an index starting at 1 "
        f"but was ' || {index} || '.') ELSE {container}[{index}] END"
    )


register(
    FunctionDef("ITEM", _bracket_infer, _bracket_lower, nodes=(exp.Bracket,), args=_bracket_args)
)


# ---------------------------------------------------------------- CARDINALITY, ELEMENT


def _cardinality_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "CARDINALITY", 1)
    t = args[0].type
    if t.name not in ("ARRAY", "MAP", "MULTISET"):
        raise FunctionError(
            f"Cannot apply 'CARDINALITY' to arguments of type 'CARDINALITY(<{calcite_name(t)}>)'. "
            "Supported form(s): 'CARDINALITY(<MULTISET>)' 'CARDINALITY(<ARRAY>)' 'CARDINALITY(<MAP>)'"
        )
    return T.int_(t.nullable)


def _cardinality_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    t = args[0].type
    if t.name == "ARRAY":
        return f"CAST(len({sql[0]}) AS INTEGER)"
    if t.name == "MULTISET":
        return f"CAST(coalesce(list_sum(map_values({sql[0]})), 0) AS INTEGER)"
    return f"CAST(cardinality({sql[0]}) AS INTEGER)"


def _element_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "ELEMENT", 1)
    t = args[0].type
    if t.name not in ("ARRAY", "MULTISET"):
        raise FunctionError(
            f"Cannot apply 'ELEMENT' to arguments of type 'ELEMENT(<{calcite_name(t)}>)'. "
            "Supported form(s): 'ELEMENT(<MULTISET>)' 'ELEMENT(<ARRAY>)'"
        )
    element = t.children[0]
    return element.with_nullable(element.nullable or t.nullable)


def _element_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    a = sql[0]
    if args[0].type.name == "MULTISET":
        a = f"map_keys({a})"
    return f"CASE WHEN len({a}) > 1 THEN error('Array has more than one element.') ELSE {a}[1] END"


register(
    FunctionDef("CARDINALITY", _cardinality_infer, _cardinality_lower),
    FunctionDef("ELEMENT", _element_infer, _element_lower),
)
