"""EXPLAIN text: the logical plan as an indented tree, in Flink's section layout.

Node names follow Flink's physical operators where one exists (TableSourceScan, Calc, GroupAggregate,
Join, Sort ...) so a Flink user can read it; `changelogMode=[I]` is added per node for
EXPLAIN CHANGELOG_MODE (batch plans are insert-only).
"""

from __future__ import annotations

from collections.abc import Sequence

from planner import plan as P
from planner.expr import (
    AggCall,
    Call,
    Cast,
    Expr,
    InputRef,
    Lit,
    OuterRef,
    SubQuery,
    Symbol,
    UdfCall,
)

_INFIX = {"+", "-", "*", "/", "=", "<>", "<", "<=", ">", ">=", "AND", "OR", "MOD"}


def expr_text(e: Expr, names: Sequence[str]) -> str:
    match e:
        case InputRef(index=i):
            return names[i] if i < len(names) else f"${i}"
        case OuterRef(depth=d, index=i, name=n):
            return f"$cor{d}.{n or i}"
        case Lit(value=v, type=t):
            if v is None:
                return "null:" + t.summary()
            return f"'{v}'" if isinstance(v, str) else str(v)
        case Symbol(name=n):
            return n
        case Cast(operand=o, type=t, safe=safe):
            return f"{'TRY_CAST' if safe else 'CAST'}({expr_text(o, names)} AS {t.sql()})"
        case Call(name=n, args=args) if n in _INFIX and len(args) == 2:
            return f"{n}({expr_text(args[0], names)}, {expr_text(args[1], names)})"
        case Call(name=n, args=args) | UdfCall(name=n, args=args):
            return f"{n}({', '.join(expr_text(a, names) for a in args)})"
        case SubQuery(kind=k):
            return f"{k}(subquery)"
    return str(e)


def _agg_text(a: AggCall, names: Sequence[str]) -> str:
    inner = ", ".join(expr_text(x, names) for x in a.args) or "*"
    text = f"{a.name}({'DISTINCT ' if a.distinct else ''}{inner})"
    if a.filter is not None:
        text += f" FILTER {expr_text(a.filter, names)}"
    return text


def node_text(node: P.PlanNode) -> str:
    match node:
        case P.Scan(table=t, schema=s):
            return f"TableSourceScan(table=[[{', '.join(t.path)}]], fields=[{', '.join(f.name for f in s)}])"
        case P.Values(rows=rows, schema=s):
            return f"Values(tuples=[{len(rows)} rows], values=[{', '.join(f.name for f in s)}])"
        case P.Project(input=i, exprs=exprs, schema=s):
            names = [f.name for f in i.schema]
            items = ", ".join(
                f"{expr_text(e, names)} AS {f.name}" if expr_text(e, names) != f.name else f.name
                for e, f in zip(exprs, s, strict=True)
            )
            return f"Calc(select=[{items}])"
        case P.Filter(input=i, condition=c):
            return f"Calc(select=[{', '.join(f.name for f in i.schema)}], where=[{expr_text(c, [f.name for f in i.schema])}])"
        case P.Aggregate(input=i, keys=keys, aggs=aggs, schema=s):
            names = [f.name for f in i.schema]
            parts = []
            if keys:
                parts.append(f"groupBy=[{', '.join(names[k] for k in keys)}]")
            parts.append(
                "select=["
                + ", ".join([names[k] for k in keys] + [_agg_text(a, names) for a in aggs])
                + "]"
            )
            from planner.patterns import is_window_aggregate

            name = "WindowAggregate" if is_window_aggregate(node) else "GroupAggregate"
            return f"{name}({', '.join(parts)})"
        case P.Join(kind=k, condition=c, schema=s):
            cond = expr_text(c, [f.name for f in s]) if c is not None else "true"
            from planner.changelog import _join_type

            select = ", ".join(f.name for f in s)
            return f"Join(joinType=[{_join_type(k)}], where=[{cond}], select=[{select}])"
        case P.WindowTVF(kind=k, input=i, time_index=t, size_ms=size, slide_ms=slide):
            spec = f"{k}(time_col=[{i.schema[t].name}], size=[{_duration(size)}]"
            if k == "HOP":
                spec += f", slide=[{_duration(slide)}]"
            elif k == "CUMULATE":
                spec += f", step=[{_duration(slide)}]"
            return f"WindowTableFunction(window=[{spec})])"
        case P.Correlate(kind=k):
            return f"Correlate(joinType=[{k}])"
        case P.SetOp(kind=k, all=a):
            return f"{'Union' if k == 'UNION' else k.title()}(all=[{str(a).lower()}])"
        case P.Sort(keys=keys, limit=limit, offset=offset, input=i):
            names = [f.name for f in i.schema]
            order = ", ".join(
                f"{expr_text(k.expr, names)} {'DESC' if k.descending else 'ASC'}" for k in keys
            )
            text = f"Sort(orderBy=[{order}]"
            if limit is not None:
                text += f", offset=[{offset or 0}], fetch=[{limit}]"
            return text + ")"
        case P.Over(calls=calls, input=i):
            names = [f.name for f in i.schema]
            return "OverAggregate(" + ", ".join(_agg_text(c.call, names) for c in calls) + ")"
        case P.Sink(table=t, schema=s):
            return f"Sink(table=[{'.'.join(t.path)}], fields=[{', '.join(f.name for f in s)}])"
    return type(node).__name__


def changelog_text(node: P.PlanNode, streaming: bool) -> str:
    """`changelogMode=[..]` (Flink's), then in streaming mode the node's unique keys, if any."""
    if not streaming:
        return "changelogMode=[I]"
    from planner.changelog import analyze

    info = analyze(node)
    text = f"changelogMode={info.modes}"
    if info.unique_keys and not isinstance(node, P.Sink):
        names = [f.name for f in node.schema]
        keys = ", ".join("[" + ", ".join(names[i] for i in key) + "]" for key in info.unique_keys)
        text += f", uniqueKeys=[{keys}]"
    return text


def _duration(ms: int) -> str:
    """Flink's duration text in window specs: `10 s`, `5 min`, `1500 ms`."""
    for unit, size in (("h", 3_600_000), ("min", 60_000), ("s", 1000)):
        if ms % size == 0:
            return f"{ms // size} {unit}"
    return f"{ms} ms"


def tree_text(
    node: P.PlanNode,
    changelog: bool,
    prefix: str = "",
    marker: str = "",
    streaming: bool = False,
) -> list[str]:
    """Calcite's tree layout: `+- ` before a last child, `:- ` before the others."""
    line = prefix + marker + node_text(node)
    if changelog:
        mode = changelog_text(node, streaming)
        line = line[:-1] + f", {mode})" if line.endswith(")") else line + f", {mode}"
    lines = [line]
    kids = P.children(node)
    child_prefix = prefix + ("" if not marker else ("   " if marker == "+- " else ":  "))
    for i, child in enumerate(kids):
        last = i == len(kids) - 1
        lines += tree_text(child, changelog, child_prefix, "+- " if last else ":- ", streaming)
    return lines


def explain_text(plans: list[P.PlanNode], details: tuple[str, ...], streaming: bool = False) -> str:
    changelog = "CHANGELOG_MODE" in details
    ast = "\n\n".join("\n".join(tree_text(p, False)) for p in plans)
    physical = "\n\n".join("\n".join(tree_text(p, changelog, streaming=streaming)) for p in plans)
    execution = "\n\n".join("\n".join(tree_text(p, False)) for p in plans)
    return (
        f"== Abstract Syntax Tree ==\n{ast}\n\n"
        f"== Optimized Physical Plan ==\n{physical}\n\n"
        f"== Optimized Execution Plan ==\n{execution}\n"
    )
