"""Name scopes and the binding context shared by the binder modules.

A Scope is the row visible at one point of a query: the columns of the FROM clause with their
qualifiers, and the enclosing query's scope for correlated references. Binding errors carry the
position of the offending text so the user sees a caret under it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlglot import exp

from planner.types import FlinkType

if TYPE_CHECKING:
    from catalog.manager import CatalogManager
    from planner.plan import PlanNode, TableSource


FLINK_VALIDATION = "org.apache.flink.table.api.ValidationException"
CALCITE_VALIDATOR = "org.apache.calcite.sql.validate.SqlValidatorException"
FLINK_TABLE = "org.apache.flink.table.api.TableException"


class ValidationError(Exception):
    """A query that parses but is not valid Flink SQL (unknown name, type mismatch ...).

    `line`/`col` are 1-based positions within the statement (None when unknown); `hint` suggests a fix.
    `java_class` is the exception class Flink's SQL client names for the same mistake (it prints
    the root cause: Calcite's SqlValidatorException for most name and type errors).
    """

    def __init__(
        self,
        message: str,
        node: exp.Expr | None = None,
        hint: str | None = None,
        line: int | None = None,
        col: int | None = None,
        java_class: str = FLINK_VALIDATION,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.java_class = java_class
        self.line, self.col, self.length = line, col, 1
        if node is not None and line is None:
            found = position_of(node)
            if found:
                self.line, self.col, self.length = found


def invalid(message: str, node: exp.Expr | None = None, hint: str | None = None) -> ValidationError:
    """A validation error that Flink reports through Calcite's validator (SqlValidatorException)."""
    return ValidationError(message, node, hint, java_class=CALCITE_VALIDATOR)


def function_error(error: Exception, node: exp.Expr) -> ValidationError:
    """A FunctionError at `node`; the function may name Flink's exception class (`java_class`)."""
    return ValidationError(
        str(error), node, java_class=getattr(error, "java_class", FLINK_VALIDATION)
    )


def position_of(node: exp.Expr) -> tuple[int, int, int] | None:
    """(line, col, length) of the first token of `node` that the parser recorded."""
    for n in node.walk():
        meta = n.meta if hasattr(n, "_meta") or n.meta else None
        if meta and "line" in meta and "col" in meta:
            start, end = meta.get("start"), meta.get("end")
            length = (end - start + 1) if start is not None and end is not None else 1
            # sqlglot's col is the column of the token's last character.
            return meta["line"], max(1, meta["col"] - length + 1), length
    return None


@dataclass
class ScopeColumn:
    qualifier: str | None
    name: str
    type: FlinkType
    index: int
    hidden: bool = False  # present but not part of `*` (the right side of a USING pair)
    using_rank: int | None = None  # a USING column: `*` lists these first, in this order


@dataclass
class Scope:
    columns: list[ScopeColumn]
    parent: Scope | None = None
    qualifiers: set[str] = field(default_factory=set)

    def lookup(self, name: str, qualifier: str | None) -> list[ScopeColumn]:
        if qualifier is not None:
            return [c for c in self.columns if c.qualifier == qualifier and c.name == name]
        matches = [c for c in self.columns if c.name == name]
        visible = [c for c in matches if not c.hidden]
        return visible or matches

    def has_qualifier(self, qualifier: str) -> bool:
        return qualifier in self.qualifiers


@dataclass
class BindContext:
    """What binding needs from the session: the catalog, the configuration, registered sources."""

    catalogs: CatalogManager
    config: Callable[[str], str | None]
    table_source: Callable[[tuple[str, str, str]], TableSource]
    python_function: Callable[[tuple[str, ...]], object | None]
    ctes: list[dict[str, PlanNode]] = field(default_factory=list)
    view_stack: list[tuple[str, str, str]] = field(default_factory=list)

    def find_cte(self, name: str) -> PlanNode | None:
        for frame in reversed(self.ctes):
            if name in frame:
                return frame[name]
        return None
