"""The operator graph of a streaming job and the step-driven runtime that moves deltas through it.

A step takes one change batch from one source and pushes it through the graph depth-first: each
operator's output goes straight to its consumers, so when a step ends every operator has seen
every consequence of that batch. Between two steps nothing is in flight, which is the consistent
cut checkpoints will use (Flink's aligned barrier, taken between records).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa

from engine.stream.operator import Operator, OperatorContext
from planner import plan as P

Output = Callable[[pa.Table], None]

RECORD_WISE = frozenset({"GroupAggregate"})

MIN_WATERMARK = -(2**63)
WATERMARKS = "_watermarks"  # the snapshot entry holding each node's watermark
"""Operators that see one row at a time in record-at-a-time mode (see `Job.push`)."""


@dataclass
class Node:
    """One vertex: an operator (None for a source) and where its inputs come from (node, port)."""

    op: Operator | None
    schema: P.Schema
    inputs: list[int] = field(default_factory=list)
    source: P.TableSource | None = None
    constant: P.PlanNode | None = None  # a Values node: emitted once at the start


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    roots: list[int] = field(default_factory=list)

    def add(self, node: Node) -> int:
        self.nodes.append(node)
        return len(self.nodes) - 1

    def source_nodes(self) -> dict[str, int]:
        return {n.source.key: i for i, n in enumerate(self.nodes) if n.source is not None}


class Job:
    """A running graph: `feed` a source's batch, `finish` at end of input; outputs go to callbacks."""

    def __init__(self, graph: Graph, ctx: OperatorContext) -> None:
        self.graph = graph
        self.ctx = ctx
        self.consumers: dict[int, list[tuple[int, int]]] = {}
        for i, node in enumerate(graph.nodes):
            for port, src in enumerate(node.inputs):
                self.consumers.setdefault(src, []).append((i, port))
        self.outputs: dict[int, list[Output]] = {}
        self.sources = graph.source_nodes()
        self.watermarks: dict[int, int] = {}  # node -> event time reached (epoch ms)
        self._watermark_sql: dict[int, str] = {}
        self.opened = False
        self.step_kind: int | None = None
        self.split_rows = False  # record-at-a-time: stateful operators get one row at a time

    def on_output(self, node: int, callback: Output) -> None:
        self.outputs.setdefault(node, []).append(callback)

    def open(self, single_rows: bool = False, restored: dict[str, pa.Table] | None = None) -> None:
        """Open every operator; emit constant inputs, unless resuming from a snapshot (`restored`),
        whose state already holds their consequences."""
        for node in self.graph.nodes:
            if node.op is not None:
                node.op.open(self.ctx)
        self.opened = True
        self.split_rows = single_rows
        if restored is not None:
            restored = dict(restored)
            marks = restored.pop(WATERMARKS, None)
            if marks is not None:
                self.watermarks = dict(
                    zip(marks["node"].to_pylist(), marks["watermark"].to_pylist(), strict=True)
                )
            self.ctx.state.restore(restored)
            return
        for i, node in enumerate(self.graph.nodes):
            if node.constant is not None:
                # the weight comes from SQL: building Arrow arrays from Python values would
                # import pandas (through pyarrow), a fifth of a second of start-up for SELECT 1
                sql = self.ctx.lowering().plan(node.constant)
                delta = self.ctx.query(f"SELECT *, CAST(1 AS BIGINT) AS _w FROM ({sql})")
                delta = delta.rename_columns(
                    [f"c{k}" for k in range(delta.num_columns - 1)] + ["_w"]
                )
                if not node.constant.schema:  # zero columns: the lowering's placeholder goes
                    delta = delta.select(["_w"])
                if single_rows:
                    for r in range(delta.num_rows):
                        self.push(i, delta.slice(r, 1))
                elif delta.num_rows:
                    self.push(i, delta)

    @staticmethod
    def _linear(op: Operator) -> bool:
        from engine.stream.calc import Calc
        from engine.stream.union import UnionAll

        return isinstance(op, Calc | UnionAll)

    def stateless(self) -> bool:
        """Whether no operator keeps state (only projections, filters, unions)."""
        return all(n.op is None or self._linear(n.op) for n in self.graph.nodes)

    def feed(self, source_key: str, delta: pa.Table, kind: int | None = None) -> None:
        """One step: a change batch of a source table (columns c0..cN and `_w`); `kind` is the
        source's row kind when the step is a single row."""
        self.step_kind = kind
        node = self.sources[source_key]
        self.ctx.state.expire()  # state idle for longer than its TTL is gone before the step
        if delta.num_rows:
            self.push(node, delta)
            self._source_watermark(node, delta)
            self.advance_watermarks()

    def push(self, node: int, delta: pa.Table) -> None:
        for callback in self.outputs.get(node, ()):
            callback(delta)
        for consumer, port in self.consumers.get(node, ()):
            op = self.graph.nodes[consumer].op
            assert op is not None
            if self.split_rows and delta.num_rows > 1 and op.describe in RECORD_WISE:
                # Flink hands an aggregate every record of its input on its own (an update's
                # retraction, then its insertion), and its output shows the state in between.
                # Joins and Top-N get the pair together: Flink's join passes an update's -U/+U
                # on as a pair, which one delta with both rows encodes.
                for i in range(delta.num_rows):
                    out = op.process(port, delta.slice(i, 1))
                    if out is not None and out.num_rows:
                        self.push(consumer, out)
                continue
            out = op.process(port, delta)
            if out is not None and out.num_rows:
                self.push(consumer, out)

    def _source_watermark(self, node: int, delta: pa.Table) -> None:
        """A source's watermark: the largest value of its watermark expression so far."""
        table = self.graph.nodes[node].source
        if table is None or table.watermark is None:
            return
        if node not in self._watermark_sql:
            cols = [f"c{i}" for i in range(len(table.columns))]
            expr = self.ctx.lowering().expr(table.watermark, cols, [])
            self._watermark_sql[node] = f"SELECT epoch_ms(max({expr})) FROM _wm_delta"
        value = self.ctx.query(self._watermark_sql[node], {"_wm_delta": delta}).column(0)[0]
        ms = value.as_py()
        if ms is not None and ms > self.watermarks.get(node, MIN_WATERMARK):
            self.watermarks[node] = ms

    def advance_watermarks(self) -> None:
        """Every operator's watermark becomes the minimum of its inputs'; operators whose
        watermark rose react (a window fires). Node ids are topological, so one pass suffices."""
        for i, node in enumerate(self.graph.nodes):
            if node.op is None or not node.inputs:
                continue
            if any(j not in self.watermarks for j in node.inputs):
                continue
            wm = min(self.watermarks[j] for j in node.inputs)
            if wm > self.watermarks.get(i, MIN_WATERMARK):
                self.watermarks[i] = wm
                out = node.op.on_watermark(wm)
                if out is not None and out.num_rows:
                    self.push(i, out)

    def snapshot(self) -> dict[str, pa.Table]:
        """Every state table of the job and the watermarks reached (taken between steps: a
        consistent cut)."""
        tables = self.ctx.state.snapshot()
        nodes = sorted(self.watermarks)
        tables[WATERMARKS] = pa.table(
            {
                "node": pa.array(nodes, pa.int64()),
                "watermark": pa.array([self.watermarks[n] for n in nodes], pa.int64()),
            }
        )
        return tables

    def finish(self) -> None:
        for i, node in enumerate(self.graph.nodes):
            if node.op is not None:
                out = node.op.finish()
                if out is not None and out.num_rows:
                    self.push(i, out)
