"""The registry of built-in functions: how each binds, types and lowers.

A function is data: the sqlglot node classes it is parsed as, how to pull its arguments out of that
node, its result-type rule (Flink's, checked against Flink), and its DuckDB lowering (SQL text over
already-lowered argument texts). The binder and the lowerings consult only this table, so adding a
function never touches them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlglot import exp

from planner.expr import Expr, Symbol
from planner.types import FlinkType

InferFn = Callable[[Sequence[Expr]], FlinkType]
"""Result type from the bound arguments (their `.type`); raises FunctionError when they do not fit."""

LowerFn = Callable[[Sequence[str], Sequence[Expr], FlinkType], str]
"""DuckDB SQL text from the lowered argument texts (each safe to embed), the IR args and the result type."""

ArgsFn = Callable[[exp.Expr], list["exp.Expr | Symbol"]]
"""Arguments of a parsed call, in Flink's order; keyword arguments (units, flags) become Symbols."""


class FunctionError(Exception):
    """A call that does not fit its function (wrong argument count or types): Flink's validation error."""


@dataclass(frozen=True)
class FunctionDef:
    """One built-in function or operator."""

    name: str
    infer: InferFn
    lower: LowerFn
    kind: Literal["scalar", "aggregate", "window"] = "scalar"
    nodes: tuple[type[exp.Expr], ...] = ()
    args: ArgsFn | None = None
    deterministic: bool = True
    aliases: tuple[str, ...] = ()
    description: str = ""
    extra: dict[str, object] = field(default_factory=dict)


_BY_NAME: dict[str, FunctionDef] = {}
_BY_NODE: dict[type[exp.Expr], FunctionDef] = {}


def register(*defs: FunctionDef) -> None:
    """Add definitions; a later definition of the same name or node replaces the earlier one."""
    for d in defs:
        _BY_NAME[d.name.upper()] = d
        for alias in d.aliases:
            _BY_NAME[alias.upper()] = d
        for node in d.nodes:
            _BY_NODE[node] = d


def by_name(name: str) -> FunctionDef | None:
    _ensure_loaded()
    return _BY_NAME.get(name.upper())


def by_node(node: exp.Expr) -> FunctionDef | None:
    _ensure_loaded()
    return _BY_NODE.get(type(node))


def all_names() -> list[str]:
    _ensure_loaded()
    return sorted(_BY_NAME)


_loaded = False
_NOT_DEFINITIONS = {
    "registry",
    "coercion",
    "casts",
    "cast_numeric",
    "cast_rules",
    "cast_sql",
    "cast_temporal",
    "cast_text",
}


def _ensure_loaded() -> None:
    """Import the modules that register functions (lazily: start-up pays only when SQL is planned)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib
    import pkgutil

    import planner.functions as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in _NOT_DEFINITIONS:
            importlib.import_module(f"planner.functions.{info.name}")


def default_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    """A parsed function's arguments in the order its sqlglot class declares them."""
    out: list[exp.Expr | Symbol] = []
    for key in node.arg_types:
        value = node.args.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            out.extend(v for v in value if isinstance(v, exp.Expr))
        elif isinstance(value, exp.Expr):
            out.append(value)
    return out


def arity(args: Sequence[Expr], name: str, *counts: int) -> None:
    if len(args) not in counts:
        expected = " or ".join(str(c) for c in counts)
        raise FunctionError(
            f"Invalid number of arguments to function '{name}'. Was expecting {expected} arguments"
        )
