"""Binding the FROM clause: tables, views, CTEs, subqueries, VALUES, joins, UNNEST and LATERAL TABLE.

A relation binds to a plan node plus the scope columns it contributes (qualifier, name, position).
Catalog tables become a Scan of their physical columns, followed by a projection that adds computed
columns in declared order; views are bound from their stored text, in the catalog context they were
created in.
"""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp

from catalog.model import CatalogTable, CatalogView
from planner import plan as P
from planner import types as T
from planner.binder.context import (
    BindContext,
    Scope,
    ScopeColumn,
    ValidationError,
    invalid,
)
from planner.binder.expressions import ExpressionBinder
from planner.dialect.nodes import TableCall, WindowTVF
from planner.expr import Call, Expr, InputRef, Lit

Relation = tuple[P.PlanNode, list[ScopeColumn]]


def bind_from(
    select: exp.Select, ctx: BindContext, parent: Scope | None
) -> tuple[P.PlanNode, Scope]:
    from_ = select.args.get("from_")
    if from_ is None:
        node: P.PlanNode = P.Values(((),), ())
        columns: list[ScopeColumn] = []
    else:
        node, columns = bind_relation(from_.this, ctx, parent)
    for join in select.args.get("joins") or []:
        node, columns = bind_join(node, columns, join, ctx, parent)
    scope = Scope(columns, parent, {c.qualifier for c in columns if c.qualifier})
    return node, scope


def _alias(item: exp.Expr) -> tuple[str | None, list[str]]:
    alias = item.args.get("alias")
    if alias is None:
        return None, []
    if isinstance(alias, exp.TableAlias):
        return (alias.name or None), [c.name for c in alias.columns]
    return alias.name, []


def _columns_of(
    node: P.PlanNode, qualifier: str | None, names: list[str] | None = None
) -> list[ScopeColumn]:
    fields = node.schema
    if names and len(names) != len(fields):
        raise invalid(
            f"List of column aliases must have same degree as table; table has {len(fields)} columns "
            f"{tuple(f.name for f in fields)}, whereas alias list has {len(names)} columns"
        )
    return [
        ScopeColumn(qualifier, names[i] if names else f.name, f.type, i)
        for i, f in enumerate(fields)
    ]


def bind_relation(item: exp.Expr, ctx: BindContext, parent: Scope | None) -> Relation:
    from planner.binder.query import bind_query

    alias, column_aliases = _alias(item)
    if isinstance(item, exp.Table) and isinstance(item.this, exp.Identifier | exp.Var):
        node, default_name = bind_table(item, ctx)
        return node, _columns_of(node, alias or default_name, column_aliases)
    if isinstance(item, exp.Subquery):
        node = bind_query(item.this, ctx, parent=None)
        return node, _columns_of(node, alias, column_aliases)
    if isinstance(item, exp.Values):
        node = bind_values(item, ctx)
        return node, _columns_of(node, alias, column_aliases)
    if isinstance(item, exp.Unnest):
        base: P.PlanNode = P.Values(((),), ())
        return bind_unnest(base, [], item, "INNER", ctx, parent)
    if isinstance(item, exp.Lateral | TableCall) and isinstance(item.this, exp.Func):
        # `FROM LATERAL TABLE(f(1))`: the function's rows, correlated with one empty row
        from planner.binder.table_functions import bind_lateral_table, single_row

        return bind_lateral_table(single_row(), [], item, None, ctx, parent)
    if isinstance(item, exp.Paren):
        return bind_relation(item.this, ctx, parent)
    if isinstance(item, WindowTVF):
        from planner.binder.window_tvfs import bind_window_tvf

        node = bind_window_tvf(item, ctx, parent)
        return node, _columns_of(node, alias, column_aliases)
    from planner.dialect import to_flink_sql

    raise invalid(f"Unsupported FROM item '{to_flink_sql(item)}'", item)


def bind_table(item: exp.Table, ctx: BindContext) -> tuple[P.PlanNode, str]:
    if item.args.get("version") is not None:
        raise ValidationError(
            "Temporal joins (FOR SYSTEM_TIME AS OF) are not supported yet: they come with event "
            "time in the next part of Freshet to land.",
            item.args["version"],
            java_class="org.apache.flink.table.api.TableException",
        )
    parts = tuple(p.name for p in item.parts)
    if len(parts) == 1:
        cte = ctx.find_cte(parts[0])
        if cte is not None:
            return cte, parts[0]
    path = ctx.catalogs.qualify(parts)
    found = ctx.catalogs.lookup(path)
    if found is None:
        where = f"{path[0]}.{path[1]}"
        raise invalid(
            f"Object '{parts[-1]}' not found"
            if len(parts) == 1
            else f"Object '{parts[-1]}' not found within '{where}'",
            item,
            hint=_table_hint(ctx, path),
        )
    obj, _ = found
    if isinstance(obj, CatalogView):
        return bind_view(path, obj, ctx), path[2]
    return scan_table(path, obj, ctx, _hint_options(item)), path[2]


def _hint_options(item: exp.Table) -> tuple[tuple[str, str], ...]:
    hints = item.args.get("hints") or []
    out: list[tuple[str, str]] = []
    for h in hints:
        for fn in h.expressions if isinstance(h, exp.Hint) else [h]:
            name = fn.name.upper() if isinstance(fn, exp.Anonymous | exp.Func) else ""
            if name == "OPTIONS":
                args = fn.expressions
                for a in args:
                    if isinstance(a, exp.EQ | exp.PropertyEQ):
                        out.append((a.this.name, a.expression.name))
    return tuple(out)


def _table_hint(ctx: BindContext, path: tuple[str, str, str]) -> str | None:
    import difflib

    try:
        names = ctx.catalogs.list_objects("TABLES", path[0], path[1])
    except Exception:
        return None
    close = difflib.get_close_matches(path[2], names, n=1) or [
        n for n in names if n.lower() == path[2].lower()
    ]
    return f"Did you mean '{close[0]}'?" if close else None


def scan_table(
    path: tuple[str, str, str],
    table: CatalogTable,
    ctx: BindContext,
    hint_options: tuple[tuple[str, str], ...] = (),
) -> P.PlanNode:
    """Scan of the physical columns, then a projection adding computed and metadata columns."""
    source = ctx.table_source(path)
    if hint_options:
        merged = dict(source.options)
        merged.update(hint_options)
        source = P.TableSource(
            source.key + "+" + repr(sorted(hint_options)),
            source.path,
            source.columns,
            tuple(merged.items()),
            source.partition_keys,
            source.primary_key,
        )
    rowtime = table.watermark.column if table.watermark else None
    physical = [c for c in table.columns if c.kind == "physical"]
    scan_schema = tuple(
        P.Field(c.name, c.type.with_time_attr("ROWTIME") if c.name == rowtime else c.type)
        for c in physical
    )
    scan = P.Scan(source, scan_schema)
    if all(c.kind == "physical" for c in table.columns):
        return scan
    scope = Scope([ScopeColumn(None, f.name, f.type, i) for i, f in enumerate(scan_schema)])
    binder = ExpressionBinder(ctx, scope)
    exprs: list[Expr] = []
    fields: list[P.Field] = []
    from planner.dialect import parse_expression

    for c in table.columns:
        if c.kind == "physical":
            i = [p.name for p in physical].index(c.name)
            exprs.append(InputRef(i, scan_schema[i].type, c.name))
            fields.append(scan_schema[i])
        elif c.kind == "computed":
            assert c.expr is not None
            e = binder.bind(parse_expression(c.expr))
            t = c.type
            if c.name == rowtime:
                t = t.with_time_attr("ROWTIME")
            exprs.append(e)
            fields.append(P.Field(c.name, t))
        else:
            exprs.append(Lit(None, c.type))
            fields.append(P.Field(c.name, c.type))
    return P.Project(scan, tuple(exprs), tuple(fields))


def bind_view(path: tuple[str, str, str], view: CatalogView, ctx: BindContext) -> P.PlanNode:
    from planner.binder.query import bind_query
    from planner.dialect import parse_statement

    if path in ctx.view_stack:
        raise invalid(f"View '{'.'.join(path)}' refers to itself")
    ctx.view_stack.append(path)
    try:
        node = bind_query(parse_statement(view.expanded_query), ctx, parent=None)
    finally:
        ctx.view_stack.pop()
    names = [c.name for c in view.columns]
    if [f.name for f in node.schema] != names and len(names) == len(node.schema):
        node = rename(node, names)
    return node


def rename(node: P.PlanNode, names: list[str]) -> P.PlanNode:
    fields = tuple(P.Field(n, f.type) for n, f in zip(names, node.schema, strict=True))
    exprs = tuple(InputRef(i, f.type, f.name) for i, f in enumerate(node.schema))
    return P.Project(node, exprs, fields)


def bind_values(item: exp.Values, ctx: BindContext) -> P.PlanNode:
    from planner.functions.coercion import CoercionError

    binder = ExpressionBinder(ctx, Scope([]))
    rows: list[list[Expr]] = []
    for tup in item.expressions:
        values = tup.expressions if isinstance(tup, exp.Tuple) else [tup]
        bound = [binder.bind(v) for v in values]
        for v, e in zip(values, bound, strict=True):
            _reject_untyped_null(e, v)
        rows.append(bound)
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise invalid("Values passed to VALUES have different numbers of columns", item)
    types = []
    for i in range(width):
        try:
            types.append(union_column_type([r[i].type for r in rows]))
        except CoercionError as e:
            raise invalid(f"Incompatible types in VALUES column {i + 1}: {e}", item) from None
    from planner.expr import Cast

    cast_rows = tuple(
        tuple(v if v.type == t else Cast(v, t) for v, t in zip(r, types, strict=True)) for r in rows
    )
    schema = tuple(P.Field(f"EXPR${i}", t) for i, t in enumerate(types))
    return P.Values(cast_rows, schema)


def _reject_untyped_null(e: Expr, node: exp.Expr) -> None:
    """A bare NULL has no type to give a column (Flink: CAST(NULL AS type) instead)."""
    if isinstance(e, Lit) and e.type.name == "NULL":
        raise invalid("Illegal use of 'NULL'", node)


def union_column_type(types: list[T.FlinkType]) -> T.FlinkType:
    """A VALUES or set operation column's type: the common type, but CHARs of different lengths
    give a VARCHAR.

    Flink types `VALUES ('a'), ('bb')` and `SELECT 'a' UNION ALL SELECT 'bb'` as VARCHAR(2) (no
    padding), `VALUES ('a'), ('b')` as CHAR(1).
    """
    from planner.functions.coercion import common_type

    common = common_type(types)
    lengths = {t.precision for t in types if t.name == "CHAR"}
    if common.name == "CHAR" and len(lengths) > 1:
        return T.FlinkType("VARCHAR", common.nullable, common.precision)
    return common


# ---------------------------------------------------------------- joins


def bind_join(
    left: P.PlanNode,
    left_cols: list[ScopeColumn],
    join: exp.Join,
    ctx: BindContext,
    parent: Scope | None,
) -> Relation:
    item = join.this
    side = (join.side or "").upper()
    kind = (join.kind or "").upper()
    if isinstance(item, exp.Unnest):
        return bind_unnest(
            left, left_cols, item, "LEFT" if side == "LEFT" else "INNER", ctx, parent
        )
    if isinstance(item, exp.Lateral | TableCall):
        from planner.binder.table_functions import bind_lateral_table

        return bind_lateral_table(left, left_cols, item, join, ctx, parent)
    right, right_cols = bind_relation(item, ctx, parent)
    offset = len(left.schema)
    shifted = [replace(c, index=c.index + offset) for c in right_cols]
    join_kind: P.JoinKind
    if side in ("LEFT", "RIGHT", "FULL"):
        join_kind = side  # type: ignore[assignment]
    elif kind == "CROSS" or (join.args.get("on") is None and not join.args.get("using")):
        join_kind = "CROSS"
    else:
        join_kind = "INNER"
    left_nullable = join_kind in ("RIGHT", "FULL")
    right_nullable = join_kind in ("LEFT", "FULL")
    left_out = [
        replace(c, type=c.type.with_nullable(True)) if left_nullable else replace(c)
        for c in left_cols
    ]
    right_out = [
        replace(c, type=c.type.with_nullable(True)) if right_nullable else c for c in shifted
    ]
    columns = left_out + right_out
    scope = Scope(columns, parent, {c.qualifier for c in columns if c.qualifier})
    binder = ExpressionBinder(ctx, scope)
    condition: Expr | None = None
    using = join.args.get("using") or []
    if using:
        conds: list[Expr] = []
        for ident in using:
            name = ident.name
            lmatch = [c for c in left_out if c.name == name and not c.hidden]
            rmatch = [c for c in right_out if c.name == name and not c.hidden]
            if len(lmatch) != 1 or len(rmatch) != 1:
                raise invalid(f"Column '{name}' not found in both sides of USING", ident)
            lref = InputRef(lmatch[0].index, lmatch[0].type, name)
            rref = InputRef(rmatch[0].index, rmatch[0].type, name)
            conds.append(
                Call("=", (lref, rref), T.boolean(lref.type.nullable or rref.type.nullable))
            )
            (lmatch if join_kind == "RIGHT" else rmatch)[0].hidden = True
            kept = (rmatch if join_kind == "RIGHT" else lmatch)[0]
            kept.using_rank = _next_using_rank(columns)
        condition = conds[0]
        for c in conds[1:]:
            condition = Call("AND", (condition, c), T.boolean(True))
    elif join.args.get("on") is not None:
        condition = binder.bind(join.args["on"])
        if condition.type.name not in ("BOOLEAN", "NULL"):
            raise invalid("JOIN condition must be a boolean expression", join.args["on"])
    schema = tuple(P.Field(c.name, c.type) for c in sorted(columns, key=lambda c: c.index))
    node = P.Join(left, right, join_kind, condition, schema)
    if using and join_kind == "FULL":
        return _full_using(node, columns, [i.name for i in using])
    return node, columns


def _next_using_rank(columns: list[ScopeColumn]) -> int:
    ranks = [c.using_rank for c in columns if c.using_rank is not None]
    return max(ranks) + 1 if ranks else 0


def _full_using(node: P.Join, columns: list[ScopeColumn], names: list[str]) -> Relation:
    """FULL JOIN ... USING exposes COALESCE(left.c, right.c) as the unqualified column c."""
    from planner.functions import registry

    exprs: list[Expr] = [InputRef(i, f.type, f.name) for i, f in enumerate(node.schema)]
    fields = list(node.schema)
    out = [
        ScopeColumn(c.qualifier, c.name, c.type, c.index, True if c.name in names else c.hidden)
        for c in columns
    ]
    coalesce = registry.by_name("COALESCE")
    assert coalesce is not None
    for rank, name in enumerate(names):
        pair = [c for c in columns if c.name == name]
        args = tuple(InputRef(c.index, c.type, name) for c in pair)
        e = Call("COALESCE", args, coalesce.infer(args))
        exprs.append(e)
        fields.append(P.Field(name, e.type))
        out.append(ScopeColumn(None, name, e.type, len(fields) - 1, using_rank=rank))
    return P.Project(node, tuple(exprs), tuple(fields)), out


def bind_unnest(
    left: P.PlanNode,
    left_cols: list[ScopeColumn],
    item: exp.Unnest,
    kind: str,
    ctx: BindContext,
    parent: Scope | None,
) -> Relation:
    scope = Scope(left_cols, parent, {c.qualifier for c in left_cols if c.qualifier})
    binder = ExpressionBinder(ctx, scope)
    if len(item.expressions) != 1:
        raise invalid("UNNEST of several arrays is not supported", item)
    call = binder.bind(item.expressions[0])
    t = call.type
    if t.name == "ARRAY":
        element = t.children[0]
        produced = list(element.children) if element.name == "ROW" else [element]
        default_names = list(element.field_names) if element.name == "ROW" else ["EXPR$0"]
    elif t.name == "MAP":
        produced = [t.children[0], t.children[1]]
        default_names = ["EXPR$0", "EXPR$1"]
    elif t.name == "MULTISET":
        produced = [t.children[0]]
        default_names = ["EXPR$0"]
    else:
        raise invalid(f"UNNEST requires an ARRAY, MAP or MULTISET argument, not {t}", item)
    ordinality_node = item.args.get("offset")
    ordinality = bool(ordinality_node)
    alias, names = _alias(item)
    if ordinality:
        produced.append(T.int_(False))
        default_names.append("ORDINALITY")
        # `WITH ORDINALITY AS t(x, pos)`: the parser keeps the last alias column as the offset
        if isinstance(ordinality_node, exp.Identifier):
            names = [*names, ordinality_node.name]
    names = names or default_names
    if len(names) != len(produced):
        raise invalid(
            f"List of column aliases must have same degree as table; table has {len(produced)} columns",
            item,
        )
    if kind == "LEFT":
        produced = [p.with_nullable(True) for p in produced]
    function_columns = tuple(P.Field(n, p) for n, p in zip(names, produced, strict=True))
    schema = tuple(left.schema) + function_columns
    node = P.Correlate(left, call, kind, schema, function_columns, True, ordinality)  # type: ignore[arg-type]
    offset = len(left.schema)
    columns = list(left_cols) + [
        ScopeColumn(alias, f.name, f.type, offset + i) for i, f in enumerate(function_columns)
    ]
    return node, columns
