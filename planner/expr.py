"""Typed scalar expressions of the logical plan.

The binder turns sqlglot trees into these: every node knows its Flink type, column references are
positions in the input row (so plans can be rewritten without name clashes), and every function call
names a registered Flink function. Both lowerings (DuckDB for batch, batch-at-a-time evaluation for
streaming) read this one form, which is how an expression gets one semantics in both modes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from planner.types import FlinkType

if TYPE_CHECKING:
    from planner.plan import PlanNode


@dataclass(frozen=True)
class InputRef:
    """Column `index` of the operator's input row (for a join: left columns, then right columns)."""

    index: int
    type: FlinkType
    name: str = field(default="", compare=False)


@dataclass(frozen=True)
class OuterRef:
    """Column `index` of an enclosing query's row, `depth` scopes out (correlated subqueries)."""

    depth: int
    index: int
    type: FlinkType
    name: str = field(default="", compare=False)


@dataclass(frozen=True)
class Lit:
    """A constant. `value` is the Python value PyFlink would return for `type` (None for NULL)."""

    value: object
    type: FlinkType


@dataclass(frozen=True)
class Symbol:
    """A keyword argument of a function: a time unit (`DAY`), a trim side (`BOTH`), a flag."""

    name: str

    @property
    def type(self) -> FlinkType:
        return FlinkType("SYMBOL", False)


@dataclass(frozen=True)
class Call:
    """A call of the registered function `name` (operators included: `+`, `=`, `AND`, `CASE` ...)."""

    name: str
    args: tuple[Expr, ...]
    type: FlinkType


@dataclass(frozen=True)
class Cast:
    """CAST (or TRY_CAST when `safe`) of `operand` to `type`."""

    operand: Expr
    type: FlinkType
    safe: bool = False


@dataclass(frozen=True)
class SubQuery:
    """A query used as a value.

    kind: 'SCALAR' (one column, at most one row), 'EXISTS', 'IN' (`operands IN plan`), or
    'SOME'/'ALL' with `comparison` ('=', '<', ...). `plan` may contain OuterRefs to the enclosing scope.
    """

    kind: Literal["SCALAR", "EXISTS", "IN", "SOME", "ALL"]
    plan: PlanNode
    type: FlinkType
    operands: tuple[Expr, ...] = ()
    comparison: str | None = None
    negated: bool = False


@dataclass(frozen=True, eq=False)
class UdfCall:
    """A call of a user-defined Python function (equal when the same function object is called
    with equal arguments, so `GROUP BY f(x)` matches `SELECT f(x)`)."""

    function: object  # engine.python_udf.UserDefinedScalarFunction
    name: str
    args: tuple[Expr, ...]
    type: FlinkType

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UdfCall)
            and self.function is other.function
            and self.args == other.args
            and self.type == other.type
        )

    def __hash__(self) -> int:
        return hash((id(self.function), self.args, self.type))


Expr = InputRef | OuterRef | Lit | Symbol | Call | Cast | SubQuery | UdfCall


@dataclass(frozen=True)
class AggCall:
    """One aggregate of an Aggregate or OVER node.

    `order_by` carries WITHIN GROUP / LISTAGG ordering; `filter` is the FILTER (WHERE ...) condition.
    """

    name: str
    args: tuple[Expr, ...]
    type: FlinkType
    distinct: bool = False
    filter: Expr | None = None
    ignore_nulls: bool = False


def walk(e: Expr):
    """Pre-order traversal of an expression (does not enter subquery plans)."""
    yield e
    if isinstance(e, Call | UdfCall):
        for a in e.args:
            yield from walk(a)
    elif isinstance(e, Cast):
        yield from walk(e.operand)
    elif isinstance(e, SubQuery):
        for a in e.operands:
            yield from walk(a)


def input_refs(e: Expr) -> set[int]:
    return {x.index for x in walk(e) if isinstance(x, InputRef)}
