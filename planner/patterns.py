"""Plan shapes that Flink plans as one physical operator (Top-N from ROW_NUMBER and a filter)."""

from __future__ import annotations

from planner import plan as P
from planner.expr import Call, InputRef, Lit

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
    cond = node.condition
    if not (isinstance(cond, Call) and len(cond.args) == 2 and cond.name in ("<=", "<", "=")):
        return None
    ref, bound = cond.args
    if not isinstance(ref, InputRef) or not isinstance(bound, Lit):
        return None
    column = mapping.get(ref.index, ref.index) if mapping else ref.index
    if column != rank_column or not isinstance(bound.value, int):
        return None
    if cond.name == "=" and bound.value != 1:
        return None
    limit = bound.value - 1 if cond.name == "<" else bound.value
    return inner, limit, ref.index
