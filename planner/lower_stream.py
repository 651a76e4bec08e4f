"""Streaming lowering: a logical plan becomes a graph of incremental operators.

Linear chains (projections, filters, UNNEST) become one `Calc`; UNION ALL a `UnionAll`; every
stateful node becomes a `KeyedRecompute` keyed by what its output depends on (GROUP BY keys, equi-join
keys, Top-N partition, whole rows for set operations). Scans of one table share one source node, so
a statement set reads each source once. Plans Flink rejects in streaming mode (ORDER BY without a
time attribute, without LIMIT) fail here with Flink's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from engine.stream.calc import LINEAR_NODES, Calc
from engine.stream.graph import Graph, Node
from engine.stream.group_agg import AccumulatingAggregate, accumulable
from engine.stream.normalize import ChangelogNormalize
from engine.stream.recompute import KeyedRecompute
from engine.stream.union import UnionAll
from engine.stream.window_agg import WindowAggregate
from planner import plan as P
from planner.binder.context import ValidationError
from planner.changelog import analyze, source_mode
from planner.expr import Call, Expr, InputRef, Lit, SubQuery, walk
from planner.patterns import is_window_aggregate, top_n


class StreamLowering:
    def __init__(self, ttl_ms: int | None = None) -> None:
        self.graph = Graph()
        self.sources: dict[str, int] = {}
        self.ttl_ms = ttl_ms

    def lower(self, node: P.PlanNode) -> int:
        match node:
            case P.Sink(input=child):
                return self.lower(child)
            case P.Scan(table=table):
                if table.key not in self.sources:
                    source = self.graph.add(Node(None, node.schema, source=table))
                    if source_mode(table) == "upsert":
                        key = _primary_key(table)
                        op = ChangelogNormalize(node.schema, key, self.ttl_ms)
                        source = self.graph.add(Node(op, node.schema, [source]))
                    self.sources[table.key] = source
                return self.sources[table.key]
            case P.Values():
                return self.graph.add(Node(None, node.schema, constant=node))
            case P.Filter() if (top := top_n(node)) is not None:
                return self._top_n(node, *top)
            case P.Project() | P.Filter() | P.Correlate() if not _has_subquery(node):
                return self._calc(node)
            case P.Filter() if (semi := keyed_in_subquery(node)) is not None:
                return self._keyed_in(node, *semi)
            case P.Project() | P.Filter():
                return self._subquery_node(node)
            case P.SetOp(kind="UNION", all=True, inputs=inputs):
                ids = [self.lower(i) for i in inputs]
                return self.graph.add(Node(UnionAll(node.schema), node.schema, ids))
            case P.SetOp(kind="UNION", all=False, inputs=inputs):
                union = P.SetOp("UNION", True, inputs, node.schema)
                keys = tuple(range(len(node.schema)))
                return self.lower(P.Aggregate(union, keys, (), node.schema))
            case P.SetOp(inputs=inputs) if len(inputs) > 2:
                first = P.SetOp(node.kind, node.all, inputs[:2], node.schema)
                return self.lower(P.SetOp(node.kind, node.all, (first, *inputs[2:]), node.schema))
            case P.SetOp(inputs=inputs):
                keys = [list(range(len(i.schema))) for i in inputs]
                return self._recompute(
                    f"{'Minus' if node.kind == 'EXCEPT' else 'Intersect'}(all={node.all})",
                    list(inputs),
                    keys,
                    lambda scans: replace(node, inputs=tuple(scans)),
                )
            case P.Aggregate(grouping_sets=sets) if sets is not None:
                return self.lower(expand_grouping_sets(node))
            case P.Aggregate(input=child) if (
                is_window_aggregate(node) and analyze(child).append_only
            ):
                source = self.lower(child)
                return self.graph.add(Node(WindowAggregate(node), node.schema, [source]))
            case P.Aggregate(input=child) if accumulable(node, analyze(child).append_only):
                source = self.lower(child)
                op = AccumulatingAggregate(node, self.ttl_ms)
                return self.graph.add(Node(op, node.schema, [source]))
            case P.Aggregate(input=child, keys=keys):
                return self._recompute(
                    "GroupAggregate",
                    [child],
                    [list(keys)],
                    lambda scans: replace(node, input=scans[0]),
                    empty_key_is_absent=not keys,
                )
            case P.Join():
                return self._join(node)
            case P.Sort(limit=None, offset=None):
                raise ValidationError(
                    "Sort on a non-time-attribute field is not supported.",
                    java_class="org.apache.flink.table.api.TableException",
                )
            case P.Sort(input=child):
                return self._recompute(
                    "SortLimit", [child], [[]], lambda scans: replace(node, input=scans[0])
                )
            case P.Over(input=child):
                return self._recompute(
                    "OverAggregate",
                    [child],
                    [over_partition(node)],
                    lambda scans: replace(node, input=scans[0]),
                )
            case _:
                raise ValidationError(f"{type(node).__name__} is not supported in streaming mode")

    # ------------------------------------------------------------ helpers

    def _calc(self, node: P.PlanNode) -> int:
        bottom = node
        while isinstance(bottom, LINEAR_NODES) and not _has_subquery(bottom):
            if isinstance(bottom, P.Filter) and top_n(bottom) is not None:
                break
            bottom = bottom.input
        source = self.lower(bottom)
        return self.graph.add(Node(Calc(node, bottom), node.schema, [source]))

    def _recompute(
        self,
        describe: str,
        inputs: Sequence[P.PlanNode],
        keys: Sequence[Sequence[int]],
        build,
        **options,
    ) -> int:
        ids = [self.lower(i) for i in inputs]
        op = KeyedRecompute(
            describe, [i.schema for i in inputs], keys, build, ttl_ms=self.ttl_ms, **options
        )
        return self.graph.add(Node(op, build_schema(build, inputs), ids))

    def _top_n(self, node: P.Filter, over: P.Over, limit: int) -> int:
        name = over.calls[0].call.name
        if name != "ROW_NUMBER":
            raise ValidationError(
                f"{name}() on streaming table is not supported currently",
                java_class="org.apache.flink.table.api.TableException",
            )
        """Top-N: the filter, projection and OVER recomputed per partition. Over append-only
        input, a row with `limit` rows strictly ahead of it can never rank again: it is dropped."""
        child = over.input
        partition = over_partition(over)

        def build(scans: list[P.Scan]) -> P.PlanNode:
            return _replace_node(node, over, replace(over, input=scans[0]))

        retain = None
        # a row's ROW_NUMBER/RANK is above the number of rows strictly ahead of it; DENSE_RANK
        # counts distinct values ahead, so rows cannot be dropped for it
        if analyze(child).append_only and over.calls[0].call.name != "DENSE_RANK":
            retain = _top_n_pruning(over, partition, limit)
        from planner.patterns import top_n_rank

        found = top_n_rank(node)
        rank_first = [found[2]] if found is not None else []
        return self._recompute(
            "Rank", [child], [partition], build, retain=retain, order_first=rank_first
        )

    def _join(self, node: P.Join) -> int:
        n_left = len(node.left.schema)
        left_keys, right_keys = equi_keys(node.condition, n_left)
        kind = "Join" if node.kind not in ("SEMI", "ANTI") else f"Join({node.kind.lower()})"
        return self._recompute(
            kind,
            [node.left, node.right],
            [left_keys, right_keys],
            lambda scans: replace(node, left=scans[0], right=scans[1]),
        )

    def _keyed_in(self, node: P.Filter, sub: SubQuery, operand: int) -> int:
        """`WHERE x IN (uncorrelated subquery) [AND row-local terms]`: a row's fate depends only on
        the subquery rows equal to its x, so the filter is recomputed per value of x (a semi join)."""

        def build(scans: list[P.Scan]) -> P.PlanNode:
            new_sub = replace(sub, plan=scans[1])
            return replace(
                node, input=scans[0], condition=_replace_expr(node.condition, sub, new_sub)
            )

        return self._recompute("Join(semi)", [node.input, sub.plan], [[operand], [0]], build)

    def _subquery_node(self, node: P.Project | P.Filter) -> int:
        """A filter or projection with subqueries: recomputed over its input and the subqueries'
        tables (correlated subqueries see the outer row, so no key separates the work)."""
        subquery_scans = _subquery_scans(node)
        inputs: list[P.PlanNode] = [node.input, *subquery_scans]

        def build(scans: list[P.Scan]) -> P.PlanNode:
            mapping = {s.table.key: new for s, new in zip(subquery_scans, scans[1:], strict=True)}
            return _replace_subquery_scans(replace(node, input=scans[0]), mapping)

        return self._recompute("Calc(subquery)", inputs, [[] for _ in inputs], build)


def keyed_in_subquery(node: P.Filter) -> tuple[SubQuery, int] | None:
    """The one non-negated, uncorrelated single-column `col IN (subquery)` of a filter whose other
    conjuncts have no subqueries, with the column's position; None when the filter is otherwise."""
    found: list[SubQuery] = []
    for term in _conjuncts(node.condition):
        subs = [x for x in walk(term) if isinstance(x, SubQuery)]
        if not subs:
            continue
        if term is not subs[0] or len(subs) != 1:
            return None
        found.append(subs[0])
    if len(found) != 1:
        return None
    sub = found[0]
    if sub.kind != "IN" or sub.negated or len(sub.operands) != 1:
        return None
    if not isinstance(sub.operands[0], InputRef) or _correlated(sub.plan):
        return None
    return sub, sub.operands[0].index


def _correlated(plan: P.PlanNode) -> bool:
    from engine.batch_runner import node_expressions
    from planner.expr import OuterRef

    for e in node_expressions(plan):
        for x in walk(e):
            if isinstance(x, OuterRef) or (isinstance(x, SubQuery) and _correlated(x.plan)):
                return True
    return any(_correlated(c) for c in P.children(plan))


def _replace_expr(e: Expr, old: Expr, new: Expr) -> Expr:
    if e is old:
        return new
    if isinstance(e, Call):
        return replace(e, args=tuple(_replace_expr(a, old, new) for a in e.args))
    return e


def _primary_key(table: P.TableSource) -> tuple[int, ...]:
    if not table.primary_key:
        raise ValidationError(
            f"Table '{'.'.join(table.path)}' produces an upsert stream, which needs a PRIMARY KEY "
            "(the key the upserts and deletions refer to)."
        )
    names = [f.name for f in table.columns]
    return tuple(names.index(k) for k in table.primary_key)


def _has_subquery(node: P.PlanNode) -> bool:
    from engine.batch_runner import node_expressions

    return any(isinstance(x, SubQuery) for e in node_expressions(node) for x in walk(e))


def _subquery_scans(node: P.PlanNode) -> list[P.Scan]:
    from engine.batch_runner import node_expressions, scans

    found: dict[str, P.Scan] = {}
    for e in node_expressions(node):
        for x in walk(e):
            if isinstance(x, SubQuery):
                for s in scans(x.plan):
                    found.setdefault(s.table.key, s)
    return list(found.values())


def _replace_subquery_scans(node, mapping: dict[str, P.Scan]):
    """Rebuild `node` with the Scans inside its subquery expressions replaced by `mapping`."""
    import dataclasses

    from planner import expr as E

    def plan(p):
        if isinstance(p, P.Scan):
            new = mapping[p.table.key]
            return P.Scan(new.table, new.schema) if len(new.schema) == len(p.schema) else new
        kwargs = {}
        for f in dataclasses.fields(p):
            v = getattr(p, f.name)
            kwargs[f.name] = value(v)
        return type(p)(**kwargs)

    def value(v):
        if isinstance(v, tuple):
            return tuple(value(x) for x in v)
        if isinstance(v, E.SubQuery):
            return dataclasses.replace(
                v, plan=plan(v.plan), operands=tuple(value(o) for o in v.operands)
            )
        if isinstance(v, (E.Call,)):
            return dataclasses.replace(v, args=tuple(value(a) for a in v.args))
        if isinstance(v, E.Cast):
            return dataclasses.replace(v, operand=value(v.operand))
        if isinstance(v, E.AggCall):
            return dataclasses.replace(
                v, args=tuple(value(a) for a in v.args), filter=value(v.filter)
            )
        if isinstance(
            v,
            (
                P.Scan,
                P.Values,
                P.Project,
                P.Filter,
                P.Aggregate,
                P.Join,
                P.Correlate,
                P.SetOp,
                P.Sort,
                P.Over,
            ),
        ):
            return plan(v)
        if isinstance(v, (P.SortKey, P.OverCall)):
            return dataclasses.replace(
                v, **{f.name: value(getattr(v, f.name)) for f in dataclasses.fields(v)}
            )
        return v

    kwargs = {f.name: getattr(node, f.name) for f in dataclasses.fields(node)}
    for name in kwargs:
        if name != "input":
            kwargs[name] = value(kwargs[name])
    return type(node)(**kwargs)


def build_schema(build, inputs: Sequence[P.PlanNode]) -> P.Schema:
    from engine.stream.operator import scan_of

    return build([scan_of(f"_schema{i}", n.schema) for i, n in enumerate(inputs)]).schema


def equi_keys(condition: Expr | None, n_left: int) -> tuple[list[int], list[int]]:
    """Positions of `left = right` column pairs among the AND-ed conjuncts of a join condition."""
    left: list[int] = []
    right: list[int] = []
    for c in _conjuncts(condition):
        if isinstance(c, Call) and c.name == "=" and len(c.args) == 2:
            a, b = (_column(x) for x in c.args)
            if a is None or b is None:
                continue
            if a < n_left <= b:
                left.append(a)
                right.append(b - n_left)
            elif b < n_left <= a:
                left.append(b)
                right.append(a - n_left)
    return left, right


def _column(e: Expr) -> int | None:
    return e.index if isinstance(e, InputRef) else None


def _conjuncts(e: Expr | None) -> list[Expr]:
    if e is None:
        return []
    if isinstance(e, Call) and e.name == "AND":
        return [x for a in e.args for x in _conjuncts(a)]
    return [e]


def _replace_node(root: P.PlanNode, old: P.PlanNode, new: P.PlanNode) -> P.PlanNode:
    if root is old:
        return new
    return replace(root, input=_replace_node(root.input, old, new))  # type: ignore[union-attr]


def _top_n_pruning(over: P.Over, partition: list[int], limit: int):
    """SQL deleting the state rows that have `limit` or more rows strictly ahead of them."""
    from planner.lower_duckdb import Lowering

    def prune(table: str, rows: str) -> str:
        cols = [f"c{i}" for i in range(len(over.input.schema))]
        lowering = Lowering()
        order = ", ".join(
            f"{lowering.expr(k.expr, cols, [])} {'DESC' if k.descending else 'ASC'} "
            f"NULLS {'FIRST' if (k.nulls_first if k.nulls_first is not None else not k.descending) else 'LAST'}"
            for k in over.calls[0].order
        )
        exprs = ", ".join(lowering.expr(k.expr, cols, []) for k in over.calls[0].order)
        part = ", ".join(f"c{p}" for p in partition)
        by = f"PARTITION BY {part} " if part else ""
        peers = f"PARTITION BY {', '.join(x for x in (part, exprs) if x)}"
        return (
            f"DELETE FROM {table} WHERE rowid IN (SELECT _rid FROM (SELECT _rid, "
            f"sum(_w) OVER ({by}ORDER BY {order} RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
            f"- sum(_w) OVER ({peers}) AS ahead FROM {rows}) WHERE ahead >= {limit})"
        )

    return prune


def over_partition(node: P.Over) -> list[int]:
    """The input columns every OVER call partitions by (the key of its state), if they agree."""
    parts = {tuple(c.partition) for c in node.calls}
    if len(parts) != 1:
        return []
    (partition,) = parts
    if all(isinstance(p, InputRef) for p in partition):
        return [p.index for p in partition]  # type: ignore[union-attr]
    return []


def expand_grouping_sets(node: P.Aggregate) -> P.PlanNode:
    """GROUPING SETS as a UNION ALL of one aggregate per set, NULLs for the keys outside the set
    and the grouping id DuckDB's GROUPING() gives (bit set = key not grouped, first key highest)."""
    from planner import types as T

    assert node.grouping_sets is not None
    n_keys = len(node.keys)
    branches = []
    for grouping in node.grouping_sets:
        set_keys = tuple(node.keys[i] for i in grouping)
        agg_fields = tuple(node.schema[n_keys + j] for j in range(len(node.aggs)))
        key_fields = tuple(node.schema[i] for i in grouping)
        agg = P.Aggregate(node.input, set_keys, node.aggs, key_fields + agg_fields)
        exprs: list[Expr] = []
        for i in range(n_keys):
            f = node.schema[i]
            if i in grouping:
                exprs.append(InputRef(grouping.index(i), f.type))
            else:
                exprs.append(Lit(None, f.type.with_nullable(True)))
        exprs += [InputRef(len(grouping) + j, f.type) for j, f in enumerate(agg_fields)]
        gid = sum(1 << (n_keys - 1 - i) for i in range(n_keys) if i not in grouping)
        exprs.append(Lit(gid, T.bigint(False)))
        branches.append(P.Project(agg, tuple(exprs), node.schema))
    if len(branches) == 1:
        return branches[0]
    return P.SetOp("UNION", True, tuple(branches), node.schema)


def lower_stream(plans: Sequence[P.PlanNode], ttl_ms: int | None = None) -> tuple[Graph, list[int]]:
    """The graph computing every plan (one root per plan; shared sources read once)."""
    lowering = StreamLowering(ttl_ms)
    roots = [lowering.lower(p) for p in plans]
    lowering.graph.roots = roots
    return lowering.graph, roots
