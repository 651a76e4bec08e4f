"""Plan shapes that Flink plans as one physical operator (Top-N from ROW_NUMBER and a filter)."""

from __future__ import annotations

from planner import plan as P
from planner.expr import Call, Expr, InputRef, Lit

RANKING = ("ROW_NUMBER", "RANK", "DENSE_RANK")


def top_n(node: P.Filter) -> tuple[P.Over, int] | None:
    """Flink's Top-N pattern: `rank <= N` (or `< N`, `= 1`) over ROW_NUMBER/RANK/DENSE_RANK.

    Returns the OVER node and N."""
    found = top_n_rank(node)
    return None if found is None else found[:2]


def top_n_rank(node: P.Filter) -> tuple[P.Over, int, int] | None:
    """As `top_n`, plus the position of the rank column in the filter's output."""
    inner = node.input
    mapping: dict[int, int] = {}
    if isinstance(inner, P.Project):
        mapping = {i: e.index for i, e in enumerate(inner.exprs) if isinstance(e, InputRef)}
        inner = inner.input
    if not isinstance(inner, P.Over) or len(inner.calls) != 1:
        return None
    if inner.calls[0].call.name not in RANKING or not inner.calls[0].order:
        return None
    rank_column = len(inner.input.schema)
    upper: int | None = None
    position: int | None = None
    for term in _conjuncts(node.condition):
        found = _rank_bound(term, mapping, rank_column)
        if found is None:
            return None
        bound, at = found
        position = at
        if bound is not None:
            upper = bound if upper is None else min(upper, bound)
    if upper is None or position is None:
        return None
    return inner, upper, position


def _conjuncts(e: Expr) -> list[Expr]:
    if isinstance(e, Call) and e.name == "AND":
        return [x for a in e.args for x in _conjuncts(a)]
    return [e]


def _rank_bound(
    term: Expr, mapping: dict[int, int], rank_column: int
) -> tuple[int | None, int] | None:
    """(upper bound or None for a lower bound, rank position) of one condition on the rank:
    `rn <= N`, `rn < N`, `rn = N`, `rn BETWEEN a AND b`, `rn >= a`, `rn > a`."""
    if not isinstance(term, Call) or not term.args:
        return None
    ref = term.args[0]
    if not isinstance(ref, InputRef):
        return None
    if (mapping.get(ref.index, ref.index) if mapping else ref.index) != rank_column:
        return None
    values = [a.value for a in term.args[1:] if isinstance(a, Lit)]
    if len(values) != len(term.args) - 1 or not all(isinstance(v, int) for v in values):
        return None
    match term.name, values:
        case "<=", [n]:
            return n, ref.index
        case "<", [n]:
            return n - 1, ref.index
        case "=", [n]:
            return n, ref.index
        case "BETWEEN", [_, high]:
            return high, ref.index
        case ((">=" | ">"), [_]):
            return None, ref.index
    return None


def window_bounds(node: P.PlanNode) -> dict[int, str]:
    """Output positions holding a window TVF's `window_start`/`window_end`/`window_time`, traced
    through projections and filters (by column reference)."""
    match node:
        case P.WindowTVF(schema=schema):
            n = len(schema) - 3
            return {n: "start", n + 1: "end", n + 2: "time"}
        case P.Filter(input=child):
            return window_bounds(child)
        case P.Project(input=child, exprs=exprs):
            inner = window_bounds(child)
            return {
                i: inner[e.index]
                for i, e in enumerate(exprs)
                if isinstance(e, InputRef) and e.index in inner
            }
    return {}


def is_window_aggregate(node: P.Aggregate) -> bool:
    """A GROUP BY that includes a window's start and end: Flink's window aggregation, which emits
    each window's final row once the window is complete (append-only)."""
    if node.grouping_sets is not None:
        return False
    kinds = {window_bounds(node.input).get(k) for k in node.keys}
    return {"start", "end"} <= kinds
