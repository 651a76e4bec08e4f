"""Binding `LATERAL TABLE(f(args))`: a user-defined table function applied to each row on its left.

The call becomes a `Correlate` whose call is a `UdfCall` typed `ARRAY<ROW<f0, f1, ...>>` (the rows
the function produces for one input row), so the Correlate lowering that unnests arrays runs table
functions too, in batch and streaming alike. The function columns keep the names Flink gives them
(`f0, f1, ...`, or the ROW field names the function declared) unless `AS T(a, b)` renames them.

Flink's forms: `FROM t, LATERAL TABLE(f(x))`, `t CROSS JOIN LATERAL TABLE(..)`, `t JOIN LATERAL
TABLE(..) ON cond` (a filter over the correlate), and `t LEFT JOIN LATERAL TABLE(..) ON TRUE` (rows
with no output kept, NULL padded; Flink's Python correlate takes no other LEFT condition).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from sqlglot import exp

from planner import plan as P
from planner.binder.context import (
    FLINK_TABLE,
    FLINK_VALIDATION,
    BindContext,
    Scope,
    ScopeColumn,
    ValidationError,
    invalid,
)
from planner.binder.expressions import ExpressionBinder
from planner.expr import Cast, Expr, Lit, UdfCall
from planner.functions.coercion import implicitly_castable
from planner.types import FlinkType


@runtime_checkable
class TableFunctionLike(Protocol):
    """What the binder needs of a table function (engine.python_udtf.UserDefinedTableFunction);
    the planner does not import the engine."""

    name: str
    field_names: tuple[str, ...]
    field_types: tuple[FlinkType, ...]
    input_types: tuple[FlinkType, ...] | None

    @property
    def call_type(self) -> FlinkType: ...


Relation = tuple[P.PlanNode, list[ScopeColumn]]


def bind_lateral_table(
    left: P.PlanNode,
    left_cols: list[ScopeColumn],
    item: exp.Expr,
    join: exp.Join | None,
    ctx: BindContext,
    parent: Scope | None,
) -> Relation:
    """`left` correlated with the table function call of `item` (an exp.Lateral or TableCall).

    `join` is the join that holds the item (None when the call is the whole FROM clause): its side
    chooses INNER or LEFT and its ON condition filters (INNER) or must be TRUE (LEFT).
    """
    kind = _join_kind(join)
    scope = Scope(left_cols, parent, {c.qualifier for c in left_cols if c.qualifier})
    binder = ExpressionBinder(ctx, scope)
    call_node = item.this
    fn, name, raw_args = _resolve(call_node, binder, ctx)
    args = _checked_args(fn, name, [binder.bind(a) for a in raw_args], binder, raw_args, call_node)
    call = UdfCall(fn, name, tuple(args), fn.call_type)

    alias, names, alias_nodes = _alias(item)
    produced = list(fn.field_types)
    if names and len(names) != len(produced):
        defaults = ", ".join(f"'{n}'" for n in fn.field_names)
        raise invalid(
            f"List of column aliases must have same degree as table; table has {len(produced)} "
            f"columns ({defaults}), whereas alias list has {len(names)} columns",
            alias_nodes[0],
        )
    if kind == "LEFT":
        produced = [t.with_nullable(True) for t in produced]
    function_columns = tuple(
        P.Field(n, t) for n, t in zip(names or fn.field_names, produced, strict=True)
    )
    node: P.PlanNode = P.Correlate(
        left, call, kind, (*left.schema, *function_columns), function_columns, False
    )
    offset = len(left.schema)
    columns = list(left_cols) + [
        ScopeColumn(alias, f.name, f.type, offset + i) for i, f in enumerate(function_columns)
    ]
    condition = join.args.get("on") if join is not None else None
    if condition is not None and not _is_true(condition):
        if kind == "LEFT":
            raise ValidationError(
                "Currently Python correlate does not support conditions in left join.",
                java_class=FLINK_TABLE,
            )
        full = Scope(columns, parent, {c.qualifier for c in columns if c.qualifier})
        cond = ExpressionBinder(ctx, full).bind(condition)
        if cond.type.name not in ("BOOLEAN", "NULL"):
            raise invalid("JOIN condition must be a boolean expression", condition)
        node = P.Filter(node, cond)
    return node, columns


def _join_kind(join: exp.Join | None) -> str:
    if join is None:
        return "INNER"
    side = (join.side or "").upper()
    if side in ("RIGHT", "FULL"):
        # Flink's planner fails on these with an internal error of this text
        raise ValidationError(
            f"Unknown join type {side}", java_class="java.lang.IllegalStateException"
        )
    if side == "LEFT":
        if join.args.get("on") is None and not join.args.get("using"):
            raise invalid(
                "INNER, LEFT, RIGHT or FULL join requires a condition "
                "(NATURAL keyword or ON or USING clause)",
                join,
            )
        return "LEFT"
    return "INNER"


def _is_true(condition: exp.Expr) -> bool:
    return isinstance(condition, exp.Boolean) and condition.this is True


def _resolve(
    call_node: exp.Expr, binder: ExpressionBinder, ctx: BindContext
) -> tuple[TableFunctionLike, str, list[exp.Expr]]:
    """The table function a call names, with Flink's errors for anything else."""
    if not isinstance(call_node, exp.Anonymous):
        # a built-in function (sqlglot parses those to their own node classes)
        shown = call_node.sql_name() if isinstance(call_node, exp.Func) else call_node.sql()
        raise ValidationError(
            f"Argument must be a table function: {shown.upper()}",
            call_node,
            java_class=FLINK_VALIDATION,
        )
    name = call_node.name
    raw_args = list(call_node.expressions)
    fn = ctx.python_function((name,))
    if fn is None:
        from planner.functions import registry

        if registry.by_name(name) is not None:
            raise ValidationError(
                f"Argument must be a table function: {name.upper()}",
                call_node,
                java_class=FLINK_VALIDATION,
            )
        # raises Flink's "No match found for function signature name(<FAMILY>, ...)"
        binder.call_by_name(name, raw_args, call_node)
        raise invalid(f"No match found for function signature {name}", call_node)
    if not isinstance(fn, TableFunctionLike):
        raise ValidationError(
            f"Function '{name}' cannot be used as a table function.",
            call_node,
            java_class=FLINK_VALIDATION,
        )
    return fn, name, raw_args


def _checked_args(
    fn: TableFunctionLike,
    name: str,
    args: list[Expr],
    binder: ExpressionBinder,
    raw_args: list[exp.Expr],
    call_node: exp.Expr,
) -> list[Expr]:
    """The arguments, checked against and cast to the declared input types when there are any.

    Without declared input types Flink accepts any arguments (a wrong count fails in Python when
    the function runs); with them it validates the call as below.
    """
    declared = fn.input_types
    if declared is None:
        return args
    if len(declared) != len(args):
        families = ", ".join(f"<{binder._signature_family(a)}>" for a in args)
        expected = ", ".join(f"arg{i} => {t.summary()}" for i, t in enumerate(declared))
        raise invalid(
            f"No match found for function signature {name}({families}).\n"
            f"Supported signatures are:\n{name}({expected})",
            call_node,
        )
    out: list[Expr] = []
    for i, (a, t) in enumerate(zip(args, declared, strict=True)):
        if not implicitly_castable(a.type, t):
            raise ValidationError(
                f"Invalid argument type at position {i}. Data type {t.summary()} expected but "
                f"{a.type.summary()} passed.",
                raw_args[i],
                java_class=FLINK_VALIDATION,
            )
        same = a.type.with_nullable(t.nullable) == t
        out.append(a if same else _cast(a, t))
    return out


def _cast(e: Expr, t: FlinkType) -> Expr:
    if isinstance(e, Lit) and e.type.name == "NULL":
        return Lit(None, t.with_nullable(True))
    return Cast(e, t.with_nullable(e.type.nullable))


def _alias(item: exp.Expr) -> tuple[str | None, list[str], list[exp.Expr]]:
    alias = item.args.get("alias")
    if alias is None:
        return None, [], []
    if isinstance(alias, exp.TableAlias):
        return (alias.name or None), [c.name for c in alias.columns], list(alias.columns)
    return alias.name, [], []


def single_row() -> P.PlanNode:
    """The one empty row a FROM-less `LATERAL TABLE(f(..))` correlates with."""
    return P.Values(((),), ())
