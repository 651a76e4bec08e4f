"""Binding queries: WITH, set operations, VALUES and SELECT blocks to a logical plan.

A SELECT binds in SQL's logical order: FROM (relations), WHERE (Filter), GROUP BY and aggregates
(a pre-projection, then Aggregate), HAVING (Filter), OVER calls (Over), the select list (Project),
DISTINCT (Aggregate on every column), ORDER BY / OFFSET / FETCH (Sort), and a final Project that drops
ORDER BY-only columns.
"""

from __future__ import annotations

from sqlglot import exp

from planner import plan as P
from planner.binder.aggregates import AggregateBinding, bind_aggregation, has_aggregates
from planner.binder.context import (
    FLINK_TABLE,
    BindContext,
    Scope,
    ScopeColumn,
    ValidationError,
    invalid,
)
from planner.binder.expressions import ExpressionBinder, Hook
from planner.binder.relations import bind_from, bind_values, rename, union_column_type
from planner.binder.windows import bind_over
from planner.expr import Cast, Expr, InputRef, Lit
from planner.functions.coercion import CoercionError


def bind_query(node: exp.Expr, ctx: BindContext, parent: Scope | None = None) -> P.PlanNode:
    with_ = node.args.get("with_")
    if with_ is not None:
        ctx.ctes.append({})
        try:
            for cte in with_.expressions:
                plan = bind_query(cte.this, ctx, parent)
                names = [c.name for c in cte.args["alias"].columns] if cte.args.get("alias") else []
                if names:
                    plan = rename(plan, names)
                ctx.ctes[-1][cte.alias] = plan
            return _bind_body(node, ctx, parent)
        finally:
            ctx.ctes.pop()
    return _bind_body(node, ctx, parent)


def _bind_body(node: exp.Expr, ctx: BindContext, parent: Scope | None) -> P.PlanNode:
    match node:
        case exp.Select():
            return bind_select(node, ctx, parent)
        case exp.Union() | exp.Intersect() | exp.Except():
            return _order_limit(bind_set_op(node, ctx, parent), node, ctx)
        case exp.Values():
            return bind_values(node, ctx)
        case exp.Subquery() | exp.Paren():
            return _order_limit(bind_query(node.this, ctx, parent), node, ctx)
    raise invalid(f"Unsupported query '{node.sql()[:60]}'", node)


# ---------------------------------------------------------------- set operations


def bind_set_op(node: exp.SetOperation, ctx: BindContext, parent: Scope | None) -> P.PlanNode:
    left = bind_query(node.this, ctx, parent)
    right = bind_query(node.expression, ctx, parent)
    kind = {exp.Union: "UNION", exp.Intersect: "INTERSECT", exp.Except: "EXCEPT"}[type(node)]
    if len(left.schema) != len(right.schema):
        raise invalid(f"Column count mismatch in {kind}", node)
    types = []
    for column, (lf, rf) in enumerate(zip(left.schema, right.schema, strict=True), 1):
        try:
            types.append(union_column_type([lf.type, rf.type]))
        except CoercionError:
            raise invalid(f"Type mismatch in column {column} of {kind}", node) from None
    inputs = tuple(_coerce_to(side, types) for side in (left, right))
    schema = tuple(P.Field(f.name, t) for f, t in zip(left.schema, types, strict=True))
    distinct = node.args.get("distinct")
    return P.SetOp(kind, not distinct, inputs, schema)  # type: ignore[arg-type]


def _coerce_to(node: P.PlanNode, types: list) -> P.PlanNode:
    if [f.type for f in node.schema] == types:
        return node
    exprs: list[Expr] = []
    for i, (f, t) in enumerate(zip(node.schema, types, strict=True)):
        ref = InputRef(i, f.type, f.name)
        exprs.append(ref if f.type.without_time_attr() == t else Cast(ref, t))
    fields = tuple(P.Field(f.name, t) for f, t in zip(node.schema, types, strict=True))
    return P.Project(node, tuple(exprs), fields)


def _order_limit(node: P.PlanNode, query: exp.Expr, ctx: BindContext) -> P.PlanNode:
    """ORDER BY / LIMIT applied to a set operation or parenthesized query: keys name output columns."""
    order = query.args.get("order")
    limit, offset = _limit_offset(query)
    if order is None and limit is None and offset is None:
        return node
    scope = Scope([ScopeColumn(None, f.name, f.type, i) for i, f in enumerate(node.schema)])
    keys: list[P.SortKey] = []
    for item in order.expressions if order else []:
        target = item.this
        if isinstance(target, exp.Literal) and not target.is_string:
            pos = int(target.this) - 1
            if not 0 <= pos < len(node.schema):
                raise invalid("Ordinal out of range", target)
            expr: Expr = InputRef(pos, node.schema[pos].type)
        else:
            expr = ExpressionBinder(ctx, scope).bind(target)
        keys.append(_sort_key(item, expr))
    return P.Sort(node, tuple(keys), limit, offset)


def _sort_key(item: exp.Expr, expr: Expr) -> P.SortKey:
    desc = bool(item.args.get("desc")) if isinstance(item, exp.Ordered) else False
    explicit = item.args.get("nulls_first") if isinstance(item, exp.Ordered) else None
    # Flink (Calcite NullCollation.LOW): NULLs are smallest unless the query says otherwise.
    nulls_first = (not desc) if explicit is None else bool(explicit)
    return P.SortKey(expr, desc, nulls_first)


def _limit_offset(query: exp.Expr) -> tuple[int | None, int | None]:
    limit_node = query.args.get("limit")
    offset_node = query.args.get("offset")
    limit = None
    if limit_node is not None:
        value = limit_node.args.get("expression") or limit_node.args.get("count")
        limit = _int_value(value)
    offset = _int_value(offset_node.args.get("expression")) if offset_node is not None else None
    if offset is not None and limit is None:
        # Flink's batch sort cannot run an OFFSET without a row limit
        raise ValidationError(
            "Not support limitEnd is max value now!", offset_node, java_class=FLINK_TABLE
        )
    return limit, offset


def _int_value(node: exp.Expr | None) -> int | None:
    if node is None:
        return None
    if isinstance(node, exp.Literal) and not node.is_string:
        return int(node.this)
    raise invalid("LIMIT and OFFSET take integer literals", node)


# ---------------------------------------------------------------- SELECT


def bind_select(select: exp.Select, ctx: BindContext, parent: Scope | None) -> P.PlanNode:
    match = select.args.get("match")
    if match is not None:
        raise ValidationError(
            "MATCH_RECOGNIZE is not supported yet: it parses, but Freshet cannot run it.",
            match,
            java_class="org.apache.flink.table.api.TableException",
        )
    node, scope = bind_from(select, ctx, parent)

    where = select.args.get("where")
    if where is not None:
        if has_aggregates([where.this]):
            raise invalid("Aggregate expression is illegal in WHERE clause", where.this)
        cond = ExpressionBinder(ctx, scope).bind(where.this)
        if cond.type.name not in ("BOOLEAN", "NULL"):
            raise invalid("WHERE clause must be a condition", where.this)
        node = P.Filter(node, cond)

    projections = _expand_stars(select.expressions, scope)
    order = select.args.get("order")
    order_items = list(order.expressions) if order else []
    having = select.args.get("having")

    hook: Hook | None = None
    group = select.args.get("group")
    if group is not None and has_aggregates([group]):
        raise invalid("Aggregate expression is illegal in GROUP BY clause", group)
    if group is not None or has_aggregates(
        [*projections, *order_items, *([having.this] if having else [])]
    ):
        agg: AggregateBinding = bind_aggregation(
            node,
            scope,
            group,
            [*projections, *([having.this] if having else []), *order_items],
            ctx,
        )
        node, scope, hook = agg.node, agg.scope, agg.hook
        if having is not None:
            cond = ExpressionBinder(ctx, scope, hook).bind(having.this)
            node = P.Filter(node, cond)
    elif having is not None:
        raise invalid("HAVING requires GROUP BY or an aggregate", having)

    node, hook = bind_over(node, scope, hook, [*projections, *order_items], ctx, select)

    binder = ExpressionBinder(ctx, scope, hook)
    exprs: list[Expr] = []
    names: list[str] = []
    for i, p in enumerate(projections):
        e = binder.bind(p)
        if isinstance(e, Lit) and e.type.name == "NULL":
            raise invalid("Illegal use of 'NULL'", p)
        exprs.append(e)
        names.append(_output_name(p, i))
    names = uniquify(names)
    visible = len(exprs)

    # ORDER BY: ordinal, output alias, or any expression over the input (added as a hidden column).
    keys: list[P.SortKey] = []
    for item in order_items:
        target = item.this
        if isinstance(target, exp.Literal) and not target.is_string:
            pos = int(target.this) - 1
            if not 0 <= pos < visible:
                raise invalid("Ordinal out of range", target)
            keys.append(_sort_key(item, InputRef(pos, exprs[pos].type)))
            continue
        if isinstance(target, exp.Column) and not target.table and target.name in names:
            pos = names.index(target.name)
            keys.append(_sort_key(item, InputRef(pos, exprs[pos].type)))
            continue
        e = binder.bind(target)
        if e in exprs:
            pos = exprs.index(e)
        else:
            if select.args.get("distinct"):
                raise invalid(f"Expression '{target.sql()}' is not in the select clause", target)
            exprs.append(e)
            names.append(f"$order{len(exprs)}")
            pos = len(exprs) - 1
        keys.append(_sort_key(item, InputRef(pos, exprs[pos].type)))

    fields = tuple(P.Field(n, e.type) for n, e in zip(names, exprs, strict=True))
    node = P.Project(node, tuple(exprs), fields)

    if select.args.get("distinct"):
        node = P.Aggregate(node, tuple(range(len(fields))), (), fields)

    limit, offset = _limit_offset(select)
    if keys or limit is not None or offset is not None:
        node = P.Sort(node, tuple(keys), limit, offset)
    if len(exprs) > visible:
        kept = tuple(InputRef(i, fields[i].type, fields[i].name) for i in range(visible))
        node = P.Project(node, kept, fields[:visible])
    return node


def _expand_stars(expressions: list[exp.Expr], scope: Scope) -> list[exp.Expr]:
    out: list[exp.Expr] = []
    for e in expressions:
        if isinstance(e, exp.Star):
            # Calcite lists USING columns first, then the remaining columns in order
            visible = [c for c in scope.columns if not c.hidden]
            using = sorted(
                (c for c in visible if c.using_rank is not None), key=lambda c: c.using_rank or 0
            )
            out += [_column_node(c) for c in using + [c for c in visible if c.using_rank is None]]
        elif isinstance(e, exp.Column) and isinstance(e.this, exp.Star):
            qualifier = e.table
            cols = [c for c in scope.columns if c.qualifier == qualifier]
            if not cols:
                raise invalid(f"Unknown table '{qualifier}'", e)
            out += [_column_node(c) for c in cols]
        else:
            out.append(e)
    return out


def _column_node(c: ScopeColumn) -> exp.Expr:
    ident = exp.Identifier(this=c.name, quoted=True)
    table = exp.Identifier(this=c.qualifier, quoted=True) if c.qualifier else None
    return exp.Column(this=ident, table=table)


def _output_name(node: exp.Expr, i: int) -> str:
    if isinstance(node, exp.Alias):
        return node.alias
    if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
        return node.name
    if isinstance(node, exp.Dot):
        return node.expression.name
    return f"EXPR${i}"


def uniquify(names: list[str]) -> list[str]:
    """Calcite's rule for duplicate output names: later duplicates get a numeric suffix (a, a0, a1)."""
    seen: set[str] = set()
    out: list[str] = []
    for n in names:
        candidate = n
        k = 0
        while candidate in seen:
            candidate = f"{n}{k}"
            k += 1
        seen.add(candidate)
        out.append(candidate)
    return out
