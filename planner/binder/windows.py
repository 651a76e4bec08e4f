"""Binding OVER calls (window functions and aggregates over a window) into an Over node."""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp

from planner import plan as P
from planner.binder.aggregates import non_empty_type
from planner.binder.context import BindContext, Scope, ValidationError, function_error, invalid
from planner.binder.expressions import ExpressionBinder, Hook
from planner.expr import AggCall, Expr, InputRef, Lit
from planner.functions import registry
from planner.functions.registry import FunctionError


def _windows_in(nodes: list[exp.Expr]) -> list[exp.Window]:
    found: list[exp.Window] = []
    for root in nodes:
        stack = [root]
        while stack:
            n = stack.pop()
            if isinstance(n, exp.Subquery | exp.Select | exp.Exists):
                continue
            if isinstance(n, exp.Window):
                found.append(n)
                continue
            stack.extend(n.iter_expressions())
    return found


def bind_over(
    node: P.PlanNode,
    scope: Scope,
    hook: Hook | None,
    exprs: list[exp.Expr],
    ctx: BindContext,
    select: exp.Select,
) -> tuple[P.PlanNode, Hook | None]:
    windows = _windows_in(exprs)
    if not windows:
        return node, hook
    named = {_window_name(w): w for w in select.args.get("windows") or [] if _window_name(w)}
    binder = ExpressionBinder(ctx, scope, hook)
    calls: list[P.OverCall] = []
    slots: dict[str, int] = {}
    for w in windows:
        spec = _resolve_named(w, named)
        _check_order(w.this, spec)
        frame = _frame(spec.args.get("spec"), binder)
        function = _bind_function(w.this, binder)
        if _always_non_empty(frame):
            function = replace(
                function, type=non_empty_type(function.name, function.type, function.args)
            )
        call = P.OverCall(
            function,
            tuple(binder.bind(p) for p in spec.args.get("partition_by") or []),
            tuple(
                _sort_key(o, binder)
                for o in (spec.args.get("order").expressions if spec.args.get("order") else [])
            ),
            frame,
        )
        if call not in calls:
            calls.append(call)
        slots[w.sql()] = calls.index(call)
    base = len(node.schema)
    fields = tuple(node.schema) + tuple(
        P.Field(f"w{j}$o", c.call.type) for j, c in enumerate(calls)
    )
    over = P.Over(node, tuple(calls), fields)

    def over_hook(n: exp.Expr) -> Expr | None:
        if isinstance(n, exp.Window):
            j = slots[n.sql()]
            return InputRef(base + j, calls[j].call.type)
        return hook(n) if hook is not None else None

    return over, over_hook


def _always_non_empty(frame: P.WindowFrame | None) -> bool:
    """Whether every row's window holds at least that row, as Calcite decides it: the default
    frame, or one from UNBOUNDED PRECEDING to CURRENT ROW or UNBOUNDED FOLLOWING."""
    if frame is None:
        return True
    starts_unbounded = frame.start is None and frame.start_preceding
    ends_at_or_after_row = (frame.end is None and not frame.end_preceding) or (
        isinstance(frame.end, int) and frame.end == 0
    )
    return starts_unbounded and ends_at_or_after_row


def _check_order(fn: exp.Expr, spec: exp.Window) -> None:
    """Ranking functions need an ORDER BY in their window (`extra["requires_order"]`: the message
    and Flink's exception class)."""
    fdef = registry.by_node(fn) or (
        registry.by_name(fn.name) if isinstance(fn, exp.Anonymous) else None
    )
    required = fdef.extra.get("requires_order") if fdef is not None else None
    if required and not spec.args.get("order"):
        message, java_class = required  # type: ignore[misc]
        raise ValidationError(message, fn, java_class=java_class)


def _window_name(w: exp.Window) -> str | None:
    """The name of a `WINDOW name AS (...)` definition (sqlglot keeps it in `this`)."""
    if isinstance(w.this, exp.Identifier):
        return w.this.name
    return w.alias or None


def _resolve_named(w: exp.Window, named: dict[str, exp.Window]) -> exp.Window:
    alias = w.args.get("alias")
    if alias is not None and not w.args.get("partition_by") and not w.args.get("order"):
        ref = named.get(alias.name)
        if ref is None:
            raise invalid(f"Window '{alias.name}' not found", w)
        return ref
    return w


def _bind_function(fn: exp.Expr, binder: ExpressionBinder) -> AggCall:
    fdef = registry.by_node(fn)
    if fdef is None and isinstance(fn, exp.Anonymous):
        fdef = registry.by_name(fn.name)
    if fdef is None or fdef.kind == "scalar":
        raise invalid("OVER must be applied to aggregate function", fn)
    raw = (
        fdef.args(fn)
        if fdef.args
        else (list(fn.expressions) if isinstance(fn, exp.Anonymous) else registry.default_args(fn))
    )
    distinct = False
    if raw and isinstance(raw[0], exp.Distinct):
        distinct = True
        raw = list(raw[0].expressions) + list(raw[1:])
    args = tuple(binder.arg(a) for a in raw if not isinstance(a, exp.Star))
    try:
        rt = fdef.infer(args)
    except FunctionError as e:
        raise function_error(e, fn) from None
    return AggCall(fdef.name, args, rt, distinct)


def _sort_key(o: exp.Expr, binder: ExpressionBinder) -> P.SortKey:
    from planner.binder.query import _sort_key as make

    return make(o, binder.bind(o.this if isinstance(o, exp.Ordered) else o))


def _frame(spec: exp.WindowSpec | None, binder: ExpressionBinder) -> P.WindowFrame | None:
    if spec is None:
        return None
    mode = str(spec.args.get("kind") or "ROWS").upper()

    def bound(value, side) -> tuple[Expr | int | None, bool]:
        text = (
            value
            if isinstance(value, str)
            else (value.name if isinstance(value, exp.Var) else None)
        )
        side_text = (
            (side or "").upper() if isinstance(side, str) else (side.name.upper() if side else "")
        )
        if text and text.upper() == "UNBOUNDED":
            return None, side_text != "FOLLOWING"
        if text and text.upper() == "CURRENT ROW":
            return 0, False
        if isinstance(value, exp.Literal) and not value.is_string:
            return int(value.this), side_text != "FOLLOWING"
        e = binder.bind(value)
        if not isinstance(e, Lit):
            raise invalid("Window frame bounds must be constants", value)
        return e, side_text != "FOLLOWING"

    start, start_preceding = bound(spec.args.get("start"), spec.args.get("start_side"))
    end_value = spec.args.get("end")
    if end_value is None:
        end, end_preceding = 0, False
    else:
        end, end_preceding = bound(end_value, spec.args.get("end_side"))
    return P.WindowFrame(mode, start, end, start_preceding, end_preceding)  # type: ignore[arg-type]
