"""Binding GROUP BY, grouping sets and aggregate calls.

The aggregate's input is a pre-projection holding the grouping keys then every aggregate argument
and FILTER condition, so the Aggregate node itself only refers to input positions. After it, the
select list, HAVING and ORDER BY bind in a scope where a grouped expression or an aggregate call
resolves to the aggregate's output column; any other column reference is "not being grouped".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlglot import exp

from planner import plan as P
from planner import types as T
from planner.binder.context import (
    FLINK_TABLE,
    BindContext,
    Scope,
    ScopeColumn,
    ValidationError,
    function_error,
    invalid,
)
from planner.binder.expressions import ExpressionBinder, Hook
from planner.expr import AggCall, Call, Expr, InputRef, Lit
from planner.functions import registry
from planner.functions.registry import FunctionError


@dataclass
class AggregateBinding:
    node: P.PlanNode
    scope: Scope
    hook: Hook


def aggregate_def(node: exp.Expr) -> registry.FunctionDef | None:
    if isinstance(node, exp.Filter | exp.IgnoreNulls | exp.RespectNulls):
        return aggregate_def(node.this)
    fdef = registry.by_node(node)
    if fdef is None and isinstance(node, exp.Anonymous):
        fdef = registry.by_name(node.name)
    return fdef if fdef is not None and fdef.kind == "aggregate" else None


def _walk_pruned(node: exp.Expr):
    """Nodes of an expression, not entering subqueries or OVER windows."""
    yield node
    if isinstance(node, exp.Subquery | exp.Select | exp.Window | exp.Exists):
        return
    for child in node.iter_expressions():
        yield from _walk_pruned(child)


def has_aggregates(nodes: list[exp.Expr]) -> bool:
    return any(aggregate_def(n) is not None for root in nodes for n in _walk_pruned(root))


def _collect_aggregates(nodes: list[exp.Expr]) -> list[exp.Expr]:
    found: list[exp.Expr] = []
    for root in nodes:
        stack = [root]
        while stack:
            n = stack.pop()
            if isinstance(n, exp.Subquery | exp.Select | exp.Exists):
                continue
            if isinstance(n, exp.Window):
                # the window function itself is not a group aggregate, but its arguments may hold one
                stack.extend(c for c in n.this.iter_expressions())
                continue
            if aggregate_def(n) is not None:
                found.append(n)
                continue
            stack.extend(n.iter_expressions())
    return found


def _grouping_dimensions(group: exp.Group | None) -> list[list[list[exp.Expr]]]:
    """Each GROUP BY element as its alternatives: a plain key has one; ROLLUP/CUBE/SETS have several."""
    if group is None:
        return []
    dims: list[list[list[exp.Expr]]] = []
    items: list[exp.Expr] = list(group.expressions)
    for key in ("grouping_sets", "rollup", "cube"):
        extra = group.args.get(key)
        if isinstance(extra, list):
            items += extra
        elif isinstance(extra, exp.Expr):
            items.append(extra)
    for item in items:
        if isinstance(item, exp.GroupingSets):
            dims.append([_set_members(s) for s in item.expressions])
        elif isinstance(item, exp.Rollup):
            members = [_set_members(s) for s in item.expressions]
            dims.append(
                [
                    list(itertools.chain.from_iterable(members[:k]))
                    for k in range(len(members), -1, -1)
                ]
            )
        elif isinstance(item, exp.Cube):
            members = [_set_members(s) for s in item.expressions]
            subsets = []
            for mask in range(2 ** len(members) - 1, -1, -1):
                # Calcite's order: bit of the first member is the most significant
                chosen = [
                    members[i] for i in range(len(members)) if mask & (1 << (len(members) - 1 - i))
                ]
                subsets.append(list(itertools.chain.from_iterable(chosen)))
            dims.append(subsets)
        else:
            dims.append([[item]])
    return dims


def _set_members(node: exp.Expr) -> list[exp.Expr]:
    if isinstance(node, exp.Tuple):
        return list(node.expressions)
    if isinstance(node, exp.Paren):
        inner = node.this
        return list(inner.expressions) if isinstance(inner, exp.Tuple) else [inner]
    return [node]


def bind_aggregation(
    node: P.PlanNode, scope: Scope, group: exp.Group | None, exprs: list[exp.Expr], ctx: BindContext
) -> AggregateBinding:
    pre = ExpressionBinder(ctx, scope)
    dims = _grouping_dimensions(group)
    has_sets = any(len(d) > 1 for d in dims)

    keys: list[Expr] = []
    key_nodes: list[exp.Expr] = []

    def key_index(n: exp.Expr) -> int:
        e = pre.bind(n)
        if e not in keys:
            keys.append(e)
            key_nodes.append(n)
        return keys.index(e)

    sets: list[tuple[int, ...]] = []
    for combo in itertools.product(*dims) if dims else [()]:
        members = tuple(dict.fromkeys(key_index(n) for alt in combo for n in alt))
        sets.append(members)

    pre_exprs: list[Expr] = list(keys)

    def slot(e: Expr) -> InputRef:
        if e not in pre_exprs:
            pre_exprs.append(e)
        i = pre_exprs.index(e)
        return InputRef(i, e.type)

    agg_nodes = _collect_aggregates(exprs)
    aggs: list[AggCall] = []
    agg_slot: dict[str, int] = {}
    for n in agg_nodes:
        call = _bind_agg_call(n, pre, slot, grouped=bool(keys))
        if call not in aggs:
            aggs.append(call)
        agg_slot[n.sql()] = aggs.index(call)

    nk = len(keys)
    in_all = set(sets[0]).intersection(*map(set, sets[1:])) if sets else set()
    key_fields = [
        P.Field(
            _key_name(key_nodes[i], i),
            keys[i].type if (not has_sets or i in in_all) else keys[i].type.with_nullable(True),
        )
        for i in range(nk)
    ]
    agg_fields = [P.Field(f"EXPR${nk + j}", a.type) for j, a in enumerate(aggs)]
    fields = key_fields + agg_fields
    if has_sets:
        fields.append(P.Field("$g", T.bigint(False)))
    pre_fields = tuple(P.Field(f"$f{i}", e.type) for i, e in enumerate(pre_exprs))
    pre_node = P.Project(node, tuple(pre_exprs), pre_fields)
    agg_node = P.Aggregate(
        pre_node,
        tuple(range(nk)),
        tuple(aggs),
        tuple(fields),
        tuple(sets) if has_sets else None,
    )

    out_columns: list[ScopeColumn] = []
    for i, k in enumerate(keys):
        if isinstance(k, InputRef):
            src = next((c for c in scope.columns if c.index == k.index), None)
            if src is not None:
                out_columns.append(ScopeColumn(src.qualifier, src.name, fields[i].type, i))
    out_scope = Scope(out_columns, scope.parent, {c.qualifier for c in out_columns if c.qualifier})

    def hook(n: exp.Expr) -> Expr | None:
        if aggregate_def(n) is not None:
            j = agg_slot.get(n.sql())
            if j is None:
                raise invalid("Aggregate expressions cannot be nested", n)
            return InputRef(nk + j, aggs[j].type)
        if isinstance(n, exp.Anonymous | exp.Func) and _func_name(n) in ("GROUPING", "GROUPING_ID"):
            return _grouping_call(n, pre, keys, has_sets, len(fields) - 1)
        if isinstance(
            n, exp.Subquery | exp.Exists | exp.Window | exp.Literal | exp.Null | exp.Boolean
        ):
            return None
        if isinstance(n, exp.Star):
            raise invalid("'*' is not allowed in an aggregate query", n)
        try:
            e = pre.bind(n)
        except ValidationError:
            if isinstance(n, exp.Column | exp.Dot):
                raise
            return None
        if e in keys:
            i = keys.index(e)
            return InputRef(i, fields[i].type, fields[i].name)
        if isinstance(n, exp.Column | exp.Dot):
            raise invalid(f"Expression '{n.sql()}' is not being grouped", n)
        return None

    return AggregateBinding(agg_node, out_scope, hook)


def _func_name(n: exp.Expr) -> str:
    return (n.name if isinstance(n, exp.Anonymous) else n.sql_name()).upper()


def _key_name(n: exp.Expr, i: int) -> str:
    if isinstance(n, exp.Column):
        return n.name
    return f"$f{i}"


def _grouping_call(
    n: exp.Expr, pre: ExpressionBinder, keys: list[Expr], has_sets: bool, gid_index: int
) -> Expr:
    args = [
        a
        for a in (n.expressions if isinstance(n, exp.Anonymous) else [n.this, *n.expressions])
        if a is not None
    ]
    positions: list[Expr] = []
    for a in args:
        e = pre.bind(a)
        if e not in keys:
            raise invalid(f"Argument to GROUPING must be a grouping expression: '{a.sql()}'", a)
        positions.append(Lit(keys.index(e), T.int_(False)))
    if not has_sets:
        return Lit(0, T.bigint(False))
    gid = InputRef(gid_index, T.bigint(False), "$g")
    return Call("$GROUPING", (gid, Lit(len(keys), T.int_(False)), *positions), T.bigint(False))


def _bind_agg_call(n: exp.Expr, pre: ExpressionBinder, slot, grouped: bool) -> AggCall:
    filter_ref: Expr | None = None
    if isinstance(n, exp.Filter):
        cond = pre.bind(n.expression.this if isinstance(n.expression, exp.Where) else n.expression)
        filter_ref = slot(cond)
        n = n.this
    ignore_nulls = isinstance(n, exp.IgnoreNulls)
    if isinstance(n, exp.IgnoreNulls | exp.RespectNulls):
        n = n.this
    fdef = aggregate_def(n)
    assert fdef is not None
    raw = (
        fdef.args(n)
        if fdef.args
        else (list(n.expressions) if isinstance(n, exp.Anonymous) else registry.default_args(n))
    )
    distinct = False
    if raw and isinstance(raw[0], exp.Distinct):
        distinct = True
        raw = list(raw[0].expressions) + list(raw[1:])
    if has_aggregates([a for a in raw if isinstance(a, exp.Expr)]):
        raise invalid("Aggregate expressions cannot be nested", n)
    if distinct and fdef.name == "COUNT" and len(raw) > 1:
        raise ValidationError(
            "We now only support the count of one field.", n, java_class=FLINK_TABLE
        )
    args: list[Expr] = []
    for a in raw:
        if isinstance(a, exp.Star):
            continue
        e = pre.arg(a)
        args.append(e if isinstance(e, Lit) or e.type.name == "SYMBOL" else slot(e))
    try:
        rt = fdef.infer(tuple(args))
    except FunctionError as e:
        raise function_error(e, n) from None
    if grouped and filter_ref is None:
        rt = non_empty_type(fdef.name, rt, args)
    return AggCall(fdef.name, tuple(args), rt, distinct, filter_ref, ignore_nulls)


NULL_ONLY_WHEN_EMPTY = frozenset(
    {"SUM", "MIN", "MAX", "AVG", "FIRST_VALUE", "LAST_VALUE"}
    | {"STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP"}
)
"""Aggregates whose result is NULL only for an empty group (or NULL arguments)."""


def non_empty_type(name: str, rt: T.FlinkType, args) -> T.FlinkType:
    """The result type where the group can never be empty (GROUP BY keys, a window holding the
    current row): Flink makes such aggregates of NOT NULL arguments NOT NULL."""
    if name in NULL_ONLY_WHEN_EMPTY and all(not a.type.nullable for a in args):
        return rt.with_nullable(False)
    return rt
