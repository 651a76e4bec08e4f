"""JSON functions: JSON_VALUE, JSON_QUERY, JSON_EXISTS, IS JSON, JSON_STRING, JSON_OBJECT, JSON_ARRAY.

Flink evaluates JSON paths with Jayway JsonPath over Jackson; we evaluate them with DuckDB's json
extension (bundled, no download). Behaviour decided here, as Flink 2.3 shows it:
* A path that selects nothing counts as an *error*, not as *empty*: `JSON_VALUE(j, '$.b' DEFAULT 'd'
  ON EMPTY)` is NULL and `... DEFAULT 'e' ON ERROR` is 'e'. Invalid JSON text and an invalid path
  take the ON ERROR branch too (default NULL).
* JSON_VALUE needs a scalar (an array or object is an error); strings come back unquoted, numbers
  and booleans as their JSON text. RETURNING supports only STRING/VARCHAR, INT, DOUBLE and BOOLEAN,
  and the JSON value must already have that type (`1` RETURNING DOUBLE fails, as in Flink).
* JSON_QUERY returns compact JSON text of an array or object; a scalar needs a wrapper.
* Paths: the optional `lax`/`strict` prefix is dropped, `$['a b']` becomes DuckDB's `$."a b"`,
  and wildcard/deep-scan paths (`$.a[*].b`) return the JSON array of all matches.

Known gap: DuckDB re-serializes numbers (`1.50` comes back as `1.5`, `1e5` as `100000.0`), where
Flink keeps the text BigDecimal prints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.dialect import nodes
from planner.expr import Expr, Lit, Symbol
from planner.functions.collections import quote_literal
from planner.functions.registry import FunctionDef, FunctionError, register
from planner.types import FlinkType, to_duckdb

_MODE = re.compile(r"^\s*(lax|strict)\s+", re.IGNORECASE)
_QUOTED_MEMBER = re.compile(r"\[\s*'((?:[^']|'')*)'\s*\]")


def duckdb_path(flink_path: str) -> str | None:
    """A Flink (Jayway) JSON path as DuckDB path text, or None when it is not a valid path."""
    path = _MODE.sub("", flink_path).strip()
    if not path.startswith("$") or " " in _QUOTED_MEMBER.sub("", path):
        return None
    return _QUOTED_MEMBER.sub(lambda m: '."' + m.group(1).replace("''", "'") + '"', path)


def _is_indefinite(path: str) -> bool:
    return "*" in path or ".." in path


class _Doc:
    """SQL texts for one JSON document and path: the extracted value, its type, validity checks."""

    def __init__(self, doc: str, path_sql: str, path_arg: Expr) -> None:
        self.doc = doc
        self.static_invalid = False
        self.strict = False
        if isinstance(path_arg, Lit) and isinstance(path_arg.value, str):
            translated = duckdb_path(path_arg.value)
            self.static_invalid = translated is None
            self.strict = path_arg.value.strip().lower().startswith("strict")
            self.path = quote_literal(translated or "$")
            indefinite = _is_indefinite(translated or "")
        else:
            self.path = f"regexp_replace({path_sql}, '^\\s*(lax|strict)\\s+', '', 'i')"
            indefinite = False
        raw = f"json_extract({doc}, {self.path})"
        self.value = f"to_json({raw})" if indefinite else raw
        self.path_null = f"{path_sql} IS NULL"

    @property
    def kind(self) -> str:
        return f"json_type({self.value})"

    def guarded(self, on_error: str, body: str) -> str:
        """NULL for NULL input, the ON ERROR branch for bad JSON or a path that selects nothing."""
        if self.static_invalid:
            return f"CASE WHEN {self.doc} IS NULL THEN NULL ELSE {on_error} END"
        return (
            f"CASE WHEN {self.doc} IS NULL OR {self.path_null} THEN NULL "
            f"WHEN NOT json_valid({self.doc}) THEN {on_error} "
            f"WHEN {self.value} IS NULL THEN {on_error} "
            f"ELSE {body} END"
        )


def _behaviour(kind: str, default_sql: str, rt: FlinkType, message: str) -> str:
    if kind == "ERROR":
        return f"error({quote_literal(message)})"
    if kind == "DEFAULT":
        return f"CAST({default_sql} AS {to_duckdb(rt)})"
    if kind == "EMPTY ARRAY":
        return "'[]'"
    if kind == "EMPTY OBJECT":
        return "'{}'"
    if kind in ("TRUE", "FALSE"):
        return kind
    return f"CAST(NULL AS {to_duckdb(rt)})"


def _check_json_args(name: str, args: Sequence[Expr]) -> None:
    for a in args[:2]:
        if not (a.type.is_character or a.type.name == "NULL"):
            raise FunctionError(
                f"Cannot apply '{name}' to arguments of type '{name}(<{a.type.sql()}>)'. "
                f"Supported form(s): '{name}(<CHARACTER>, <CHARACTER>)'"
            )


# ---------------------------------------------------------------- JSON_VALUE

_RETURNING = ("VARCHAR", "CHAR", "INT", "DOUBLE", "BOOLEAN")


def _behaviour_args(value: object) -> list[exp.Expr | Symbol]:
    if value is None:
        return [Symbol("NULL"), exp.Null()]
    if isinstance(value, str):
        return [Symbol(value.upper()), exp.Null()]
    assert isinstance(value, exp.Expr)
    return [Symbol("DEFAULT"), value]


def _value_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    """[json, path, returning, empty kind, empty default, error kind, error default]."""
    returning = node.args.get("returning")
    condition = node.args.get("on_condition")
    empty = condition.args.get("empty") if condition is not None else None
    error = condition.args.get("error") if condition is not None else None
    return [
        node.this,
        node.args["path"],
        returning if returning is not None else Symbol("STRING"),
        *_behaviour_args(empty),
        *_behaviour_args(error),
    ]


def _value_infer(args: Sequence[Expr]) -> FlinkType:
    _check_json_args("JSON_VALUE", args)
    returning = args[2]
    assert isinstance(returning, Symbol)
    rt = T.parse_type(returning.name).with_nullable(True)
    if rt.name not in _RETURNING:
        raise FunctionError(f"Unsupported type '{returning.name}' for RETURNING in JSON_VALUE().")
    return rt


def _value_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    doc = _Doc(sql[0], sql[1], args[1])
    error_kind = args[5]
    assert isinstance(error_kind, Symbol)
    on_error = _behaviour(error_kind.name, sql[6], rt, "JSON_VALUE: no scalar value for the path")
    text = f"json_extract_string({doc.value}, '$')"
    if rt.name == "INT":
        converted = _typed(doc, ("BIGINT", "UBIGINT"), f"CAST({text} AS INTEGER)", "Integer")
    elif rt.name == "DOUBLE":
        converted = _typed(doc, ("DOUBLE",), f"CAST({text} AS DOUBLE)", "BigDecimal")
    elif rt.name == "BOOLEAN":
        converted = _typed(doc, ("BOOLEAN",), f"CAST({text} AS BOOLEAN)", "Boolean")
    else:
        converted = text
    body = (
        f"CASE WHEN {doc.kind} = 'NULL' THEN NULL "
        f"WHEN {doc.kind} IN ('ARRAY', 'OBJECT') THEN {on_error} ELSE {converted} END"
    )
    return doc.guarded(on_error, body)


def _typed(doc: _Doc, kinds: tuple[str, ...], converted: str, java: str) -> str:
    shown = ", ".join(quote_literal(k) for k in kinds)
    message = quote_literal(f"JSON_VALUE: the value cannot be cast to {java} for RETURNING")
    return f"CASE WHEN {doc.kind} IN ({shown}) THEN {converted} ELSE error({message}) END"


register(
    FunctionDef("JSON_VALUE", _value_infer, _value_lower, nodes=(exp.JSONValue,), args=_value_args)
)


# ---------------------------------------------------------------- JSON_QUERY


def _query_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    """[json, path, wrapper, empty kind, error kind, returning]."""
    wrapper = (node.args.get("wrapper") or "WITHOUT ARRAY WRAPPER").upper()
    if "CONDITIONAL" in wrapper and "UNCONDITIONAL" not in wrapper:
        mode = "CONDITIONAL"
    elif wrapper.startswith("WITH "):
        mode = "UNCONDITIONAL"
    else:
        mode = "WITHOUT"
    return [
        node.this,
        node.args["path"],
        Symbol(mode),
        Symbol((node.args.get("on_empty") or "NULL").upper()),
        Symbol((node.args.get("on_error") or "NULL").upper()),
        node.args.get("returning") or Symbol("STRING"),
    ]


def _query_infer(args: Sequence[Expr]) -> FlinkType:
    _check_json_args("JSON_QUERY", args)
    returning = args[5]
    assert isinstance(returning, Symbol)
    rt = T.parse_type(returning.name).with_nullable(True)
    if rt.is_character or (rt.name == "ARRAY" and rt.children[0].is_character):
        return rt
    raise FunctionError(f"Unsupported type '{returning.name}' for RETURNING in JSON_QUERY().")


def _query_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    doc = _Doc(sql[0], sql[1], args[1])
    wrapper, error_kind = args[2], args[4]
    assert isinstance(wrapper, Symbol) and isinstance(error_kind, Symbol)
    on_error = _behaviour(
        error_kind.name, "NULL", rt, "JSON_QUERY: no array or object value for the path"
    )
    value = f"CAST({doc.value} AS VARCHAR)"
    if rt.name == "ARRAY":
        # Each element as JSON_VALUE would return it (strings unquoted, others as JSON text).
        items = f"json_extract_string({value}, '$[*]')"
        body = f"CASE WHEN {doc.kind} = 'ARRAY' THEN {items} ELSE {on_error} END"
        return doc.guarded(on_error, body)
    if wrapper.name == "UNCONDITIONAL":
        body = f"CASE WHEN {doc.kind} = 'NULL' THEN NULL ELSE '[' || {value} || ']' END"
    elif wrapper.name == "CONDITIONAL":
        body = (
            f"CASE WHEN {doc.kind} = 'NULL' THEN NULL WHEN {doc.kind} = 'ARRAY' THEN {value} "
            f"ELSE '[' || {value} || ']' END"
        )
    else:
        body = f"CASE WHEN {doc.kind} IN ('ARRAY', 'OBJECT') THEN {value} ELSE {on_error} END"
    return doc.guarded(on_error, body)


register(
    FunctionDef(
        "JSON_QUERY", _query_infer, _query_lower, nodes=(nodes.FlinkJsonQuery,), args=_query_args
    )
)


# ---------------------------------------------------------------- JSON_EXISTS


def _exists_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    return [node.this, node.args["path"], Symbol((node.args.get("on_error") or "FALSE").upper())]


def _exists_infer(args: Sequence[Expr]) -> FlinkType:
    _check_json_args("JSON_EXISTS", args)
    return T.boolean(True)


def _exists_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    doc = _Doc(sql[0], sql[1], args[1])
    kind = args[2]
    assert isinstance(kind, Symbol)
    on_error = _behaviour(kind.name, "NULL", rt, "JSON_EXISTS: invalid JSON text or path")
    if doc.static_invalid:
        return doc.guarded(on_error, "FALSE")
    # In lax mode a JSON null does not exist; in strict mode it does, and a missing member is an error.
    found = f"{doc.value} IS NOT NULL" if doc.strict else f"coalesce({doc.kind} <> 'NULL', FALSE)"
    missing = f"WHEN {doc.value} IS NULL THEN {on_error} " if doc.strict else ""
    return (
        f"CASE WHEN {doc.doc} IS NULL OR {doc.path_null} THEN NULL "
        f"WHEN NOT json_valid({doc.doc}) THEN {on_error} {missing}"
        f"ELSE {found} END"
    )


register(
    FunctionDef(
        "JSON_EXISTS",
        _exists_infer,
        _exists_lower,
        nodes=(nodes.FlinkJsonExists,),
        args=_exists_args,
    )
)


# ---------------------------------------------------------------- IS JSON


def _is_json(kind: str, negated: bool) -> FunctionDef:
    name = ("IS NOT JSON" if negated else "IS JSON") + (f" {kind}" if kind else "")

    def infer(args: Sequence[Expr]) -> FlinkType:
        if len(args) != 1 or not (args[0].type.is_character or args[0].type.name == "NULL"):
            raise FunctionError(f"Cannot apply '{name}' to a non-character argument")
        return T.boolean(False)

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        x = sql[0]
        test = f"coalesce(json_valid({x}), FALSE)"
        kinds = {
            "OBJECT": "('OBJECT')",
            "ARRAY": "('ARRAY')",
            "SCALAR": "('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN', 'NULL')",
        }
        if kind in kinds:
            test = (
                f"({test} AND json_type(CASE WHEN json_valid({x}) THEN {x} END) IN {kinds[kind]})"
            )
            test = f"coalesce({test}, FALSE)"
        return f"NOT {test}" if negated else test

    return FunctionDef(name, infer, lower)


for _kind in ("", "VALUE", "OBJECT", "ARRAY", "SCALAR"):
    register(_is_json(_kind, False), _is_json(_kind, True))
