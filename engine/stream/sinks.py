"""Streaming INSERT: one job computes every sink's query and writes the changes each sink accepts.

Plan-time check (Flink's rule): an updating query into an append-only sink fails, naming the node
that produces the updates, the sink, and a fix. An upsert sink keyed like the query receives
+I/+U/-D (no -U); a sink that accepts every change receives the retract stream.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from engine.stream.rowkinds import encode, relabel
from planner import plan as P
from planner.changelog import analyze

if TYPE_CHECKING:
    from connectors.api import Sink
    from engine.jobs import JobClient
    from engine.session import Session


class UpdatesIntoAppendSink(Exception):
    """Flink's TableException for an updating query into an append-only sink, with our hint."""

    kind = "org.apache.flink.table.api.TableException"

    def __init__(self, sink: str, node: str, primary_key: bool) -> None:
        self.message = (
            f"Table sink '{sink}' doesn't support consuming update changes which is produced by "
            f"node {node}"
        )
        self.hint = (
            "The query updates rows it has already emitted. Write it into a sink that accepts "
            "updates: declare a PRIMARY KEY on a connector that supports upserts (e.g. 'jdbc', "
            "'upsert-kafka') or use 'print'/'blackhole'; or make the query append-only (e.g. a "
            "window aggregation instead of a GROUP BY)."
            if not primary_key
            else "The sink's connector only accepts inserts; choose a connector that supports "
            "updates (e.g. 'jdbc', 'upsert-kafka') for this query."
        )
        super().__init__(self.message)


def check_sinks(session: Session, sinks: list[P.Sink]) -> list[tuple[P.Sink, Sink, tuple | None]]:
    """Create every sink and check it can take its query's changes; returns (plan, sink, key)."""
    from connectors.api import ConnectorError
    from connectors.registry import create_sink
    from engine.batch_runner import BatchError, table_spec

    checked = []
    for sink in sinks:
        spec = table_spec(sink.table, "streaming")
        try:
            target = create_sink(spec)
        except ConnectorError as e:
            raise BatchError(str(e)) from None
        info = analyze(sink.input)
        name = ".".join(sink.table.path)
        if not info.append_only and target.accepts == "append":
            raise UpdatesIntoAppendSink(
                name, info.updated_by or "(unknown)", sink.table.primary_key is not None
            )
        key = None
        if sink.table.primary_key:
            names = [f.name for f in sink.schema]
            key = tuple(names.index(k) for k in sink.table.primary_key)
        elif info.unique_keys:
            key = info.unique_keys[0]
        checked.append((sink, target, key))
    return checked


def run_insert_job(
    session: Session, checked: list[tuple[P.Sink, Sink, tuple | None]], client: JobClient
) -> None:
    """Run the INSERTs of one statement (set) as one streaming job until the sources end."""
    from engine.batch_runner import BatchError
    from engine.insert import _conform
    from engine.stream.changes import expand
    from engine.stream.run import build_job, record_at_a_time, run_to_end
    from planner.arrow_types import to_arrow_schema

    sinks = [s for s, _, _ in checked]
    job, roots = build_job(session, [s.input for s in sinks])
    opened: list[Sink] = []
    stateless = job.stateless()
    try:
        for (sink, target, key), root in zip(checked, roots, strict=True):
            target.open(overwrite=False, static_partitions=dict(sink.static_partitions) or None)
            opened.append(target)
            schema = to_arrow_schema([(f.name, f.type) for f in sink.schema])
            upsert = target.accepts == "upsert" and sink.table.primary_key is not None
            append = analyze(sink.input).append_only

            def write(
                delta: pa.Table,
                target=target,
                key=key,
                schema=schema,
                sink=sink,
                upsert=upsert,
                append=append,
            ) -> None:
                if append:
                    rows, kinds = expand(delta), None
                else:
                    rows, k = encode(delta, key, upsert=upsert)
                    if stateless and job.step_kind is not None:
                        k = relabel(k, job.step_kind)
                    kinds = pa.array(k, pa.int8())
                data = _conform(rows, schema, sink)
                for batch in data.to_batches(max_chunksize=65536):
                    n = batch.num_rows
                    target.write(batch, kinds.slice(0, n) if kinds is not None else None)
                    if kinds is not None:
                        kinds = kinds.slice(n)

            job.on_output(root, write)
        watched = [s.input for s in sinks if dict(s.table.options).get("connector") == "print"]
        single = record_at_a_time(session, watched) if watched else False
        run_to_end(session, job, lambda: client.cancel_requested, lambda: None, single)
        for target in opened:
            target.close()
    except BaseException as e:
        for target in opened:
            target.abort()
        from connectors.api import ConnectorError

        if isinstance(e, ConnectorError):
            raise BatchError(str(e)) from None
        raise
