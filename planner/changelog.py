"""Two facts per plan node instead of Flink's changelog-mode lattice: append-only, and unique keys.

`append_only`: the node only ever inserts (so a consumer needs no retraction handling, and an
append-only sink can take it). `unique_keys`: sets of output positions no two live rows share (an
empty tuple: at most one row). The first node that makes a plan updating is remembered so the
append-only-sink error can name it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner import plan as P
from planner.expr import InputRef, SubQuery, walk
from planner.patterns import is_window_aggregate, top_n_rank

CHANGELOG_FORMATS = frozenset({"debezium-json", "canal-json", "maxwell-json", "ogg-json"})


@dataclass(frozen=True)
class Changelog:
    append_only: bool
    unique_keys: tuple[tuple[int, ...], ...] = ()
    updated_by: str | None = None  # the operator that first produced updates
    deletes: bool = True  # an updating node may also delete rows (only meaningful if updating)
    # Flink's Top-N emits a changed row as -U/+U only when its rank number is in the output;
    # without it, as -D/+I. `rank_column` is the rank's position while it is still there.
    update_kinds: bool = True
    rank_column: int | None = None

    @property
    def modes(self) -> str:
        """Flink's changelogMode text for this node."""
        if self.append_only:
            return "[I]"
        return "[I,UB,UA,D]" if self.deletes else "[I,UB,UA]"


def source_mode(table: P.TableSource) -> str:
    """What a source emits: 'insert' (append-only), 'all' (a changelog with every row kind), or
    'upsert' (new rows and deletions by primary key, without the old rows)."""
    options = dict(table.options)
    fmt = options.get("format", options.get("value.format", ""))
    connector = options.get("connector", "")
    if connector.startswith("upsert-") or options.get("changelog-mode") == "upsert":
        return "upsert"
    if fmt in CHANGELOG_FORMATS or options.get("changelog-mode") == "all":
        return "all"
    if options.get("inline.changelog") == "true":  # a test harness's changelog feed
        return "all"
    return "insert"


def source_changelog(table: P.TableSource) -> Changelog:
    pk = _pk_positions(table)
    if source_mode(table) != "insert":
        return Changelog(
            False, (pk,) if pk is not None else (), f"TableSourceScan({table.path[-1]})"
        )
    return Changelog(True, (pk,) if pk is not None else ())


def _pk_positions(table: P.TableSource) -> tuple[int, ...] | None:
    if not table.primary_key:
        return None
    names = [f.name for f in table.columns]
    return tuple(names.index(k) for k in table.primary_key)


def analyze(node: P.PlanNode) -> Changelog:
    match node:
        case P.Scan(table=table):
            return source_changelog(table)
        case P.Values():
            return Changelog(True)
        case P.Sink(input=child):
            return analyze(child)
        case P.Project(input=child, exprs=exprs):
            inner = _with_subqueries(node, analyze(child))
            mapping: dict[int, int] = {}
            for out, e in enumerate(exprs):
                if isinstance(e, InputRef) and e.index not in mapping:
                    mapping[e.index] = out
            keys = tuple(
                tuple(mapping[k] for k in key)
                for key in inner.unique_keys
                if all(k in mapping for k in key)
            )
            rank = inner.rank_column
            kept = rank is not None and rank in mapping
            # a Top-N whose projected rows keep no unique key shows a change as -D/+I (Flink)
            update_kinds = inner.update_kinds and (bool(keys) or rank is None)
            return Changelog(
                inner.append_only,
                keys,
                inner.updated_by,
                inner.deletes,
                update_kinds,
                mapping[rank] if kept else None,  # type: ignore[index]
            )
        case P.Filter(input=child) if (found := top_n_rank(node)) is not None:
            inner = analyze(child)
            return Changelog(
                False,
                _rank_keys(node, found[0], found[1], analyze(found[0].input)),
                inner.updated_by or "Rank",
                True,
                inner.update_kinds,
                found[2],
            )
        case P.Filter(input=child):
            inner = _with_subqueries(node, analyze(child))
            return replace(inner, rank_column=inner.rank_column)
        case P.WindowTVF(input=child):
            inner = analyze(child)
            return Changelog(inner.append_only, (), inner.updated_by, inner.deletes)
        case P.Correlate(input=child):
            inner = analyze(child)
            return Changelog(inner.append_only, (), inner.updated_by, inner.deletes)
        case P.Aggregate(input=child, keys=keys) if (
            is_window_aggregate(node) and analyze(child).append_only
        ):
            return Changelog(True, (tuple(range(len(keys))),))
        case P.Aggregate(input=child, keys=keys, grouping_sets=sets):
            inner = analyze(child)
            n = len(keys)
            key = tuple(range(n)) + ((n + len(node.aggs),) if sets is not None else ())
            deletes = not inner.append_only
            return Changelog(False, (key,), inner.updated_by or describe(node), deletes)
        case P.Join(left=left, right=right, kind=kind):
            lc, rc = analyze(left), analyze(right)
            upstream = lc.updated_by or rc.updated_by
            if kind in ("SEMI", "ANTI"):
                append = lc.append_only and rc.append_only and kind == "SEMI"
                return Changelog(
                    append, lc.unique_keys, upstream or (None if append else describe(node))
                )
            n_left = len(left.schema)
            keys = tuple(
                lk + tuple(n_left + r for r in rk) for lk in lc.unique_keys for rk in rc.unique_keys
            )
            append = lc.append_only and rc.append_only and kind in ("INNER", "CROSS")
            # an outer join over insert-only inputs changes only its NULL padding, which Flink
            # emits as -D/+I (not as an update)
            padding_only = kind in ("LEFT", "RIGHT", "FULL") and lc.append_only and rc.append_only
            return Changelog(
                append,
                keys,
                upstream or (None if append else describe(node)),
                True,
                not padding_only,
            )
        case P.SetOp(kind="UNION", all=True, inputs=inputs):
            parts = [analyze(i) for i in inputs]
            append = all(p.append_only for p in parts)
            return Changelog(append, (), next((p.updated_by for p in parts if p.updated_by), None))
        case P.SetOp(inputs=inputs):
            parts = [analyze(i) for i in inputs]
            upstream = next((p.updated_by for p in parts if p.updated_by), None)
            keys = (tuple(range(len(node.schema))),) if not node.all else ()
            return Changelog(False, keys, upstream or describe(node))
        case P.Sort(input=child, limit=limit):
            inner = analyze(child)
            keys = inner.unique_keys + (((),) if limit == 1 else ())
            return Changelog(False, keys, inner.updated_by or describe(node), True, bool(keys))
        case P.Over(input=child):
            inner = analyze(child)
            return Changelog(False, (), inner.updated_by or describe(node))
    raise AssertionError(node)


def _rank_keys(
    node: P.Filter, over: P.Over, limit: int, over_input: Changelog
) -> tuple[tuple[int, ...], ...]:
    """Top-N's unique keys in the filter's output: partition + rank number; the partition alone
    for a Top-1 over append-only input (Flink's fast Top-1 emits updates; over a retracting input
    its Top-N deletes and inserts); the input's own unique keys (a row keeps its identity)."""
    partitions = {tuple(c.partition) for c in over.calls}
    candidates: list[list[int]] = [list(k) for k in over_input.unique_keys]
    if len(partitions) == 1:
        (partition,) = partitions
        if all(isinstance(p, InputRef) for p in partition):
            cols = [p.index for p in partition]  # type: ignore[union-attr]
            candidates.insert(0, [*cols, len(over.input.schema)])
            if limit == 1 and over_input.append_only:
                candidates.insert(1, cols)
    if isinstance(node.input, P.Project):
        back: dict[int, int] = {}
        for out, e in enumerate(node.input.exprs):
            if isinstance(e, InputRef) and e.index not in back:
                back[e.index] = out
        candidates = [[back[k] for k in key] for key in candidates if all(k in back for k in key)]
    return tuple(tuple(k) for k in candidates)


def _with_subqueries(node: P.PlanNode, inner: Changelog) -> Changelog:
    from engine.batch_runner import node_expressions

    subs = [x for e in node_expressions(node) for x in walk(e) if isinstance(x, SubQuery)]
    if not subs:
        return inner
    # IN / EXISTS over append-only subqueries only ever admit more rows: still append-only
    monotone = all(
        s.kind in ("IN", "EXISTS", "SOME") and not s.negated and analyze(s.plan).append_only
        for s in subs
    )
    if inner.append_only and monotone:
        return inner
    return Changelog(False, inner.unique_keys, inner.updated_by or describe(node))


def describe(node: P.PlanNode) -> str:
    """The operator as EXPLAIN and error messages name it (Flink's physical node names)."""
    names = [f.name for f in node.schema]
    match node:
        case P.Aggregate(input=child, keys=keys, aggs=aggs):
            group = ", ".join(names[: len(keys)])
            calls = []
            for agg, name in zip(aggs, names[len(keys) :], strict=False):
                args = ", ".join(
                    child.schema[a.index].name if isinstance(a, InputRef) else "..."
                    for a in agg.args
                )
                distinct = "DISTINCT " if agg.distinct else ""
                calls.append(f"{agg.name}({distinct}{args or '*'}) AS {name}")
            select = ", ".join([*names[: len(keys)], *calls])
            if keys:
                return f"GroupAggregate(groupBy=[{group}], select=[{select}])"
            return f"GroupAggregate(select=[{select}])"
        case P.Join(kind=kind):
            return f"Join(joinType=[{_join_type(kind)}], select=[{', '.join(names)}])"
        case P.SetOp(kind=kind, all=all_):
            op = {"UNION": "Union", "INTERSECT": "Intersect", "EXCEPT": "Minus"}[kind]
            return f"{op}(all=[{str(all_).lower()}], select=[{', '.join(names)}])"
        case P.Sort(limit=limit):
            return f"SortLimit(fetch=[{limit}], select=[{', '.join(names)}])"
        case P.Over():
            return f"Rank(select=[{', '.join(names)}])"
    return f"{type(node).__name__}(select=[{', '.join(names)}])"


def _join_type(kind: str) -> str:
    return {
        "INNER": "InnerJoin",
        "LEFT": "LeftOuterJoin",
        "RIGHT": "RightOuterJoin",
        "FULL": "FullOuterJoin",
        "SEMI": "LeftSemiJoin",
        "ANTI": "LeftAntiJoin",
        "CROSS": "InnerJoin",
    }[kind]
