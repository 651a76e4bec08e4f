"""Running streaming queries and INSERTs: build the job, feed it from the sources, deliver changes.

A query's changes reach the caller as Rows with row kinds as they are produced (so `print()` and
the shell show them while an unbounded job runs); an INSERT's changes go to the sinks, encoded for
what each sink accepts. Sources are read in turns, one batch per step; a source with nothing new
(`None` from its stream) lets the others go on, and the job ends when every source has ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from engine.row import Row, RowKind
from engine.stream.changes import with_weight
from engine.stream.graph import Job
from engine.stream.operator import OperatorContext
from engine.stream.rowkinds import decode, encode, relabel
from engine.stream.state import StateBackend
from planner import plan as P

if TYPE_CHECKING:
    from engine.session import Session

IDLE_SLEEP_S = 0.01


def parse_duration_ms(text: str) -> int:
    """Flink duration text ('0 ms', '10 s', '1 h', '3600000') in milliseconds."""
    import re

    m = re.fullmatch(r"\s*(\d+)\s*([a-zA-Z]*)\s*", text)
    if not m:
        raise ValueError(f"Could not parse value '{text}' as a duration")
    value, unit = int(m.group(1)), m.group(2).lower()
    factor = {
        "": 1,
        "ms": 1,
        "milli": 1,
        "millis": 1,
        "millisecond": 1,
        "milliseconds": 1,
        "s": 1000,
        "sec": 1000,
        "secs": 1000,
        "second": 1000,
        "seconds": 1000,
        "min": 60_000,
        "m": 60_000,
        "minute": 60_000,
        "minutes": 60_000,
        "h": 3_600_000,
        "hour": 3_600_000,
        "hours": 3_600_000,
        "d": 86_400_000,
        "day": 86_400_000,
        "days": 86_400_000,
    }.get(unit)
    if factor is None:
        raise ValueError(f"Could not parse value '{text}' as a duration: unknown unit '{unit}'")
    return value * factor


def build_job(
    session: Session, plans: Sequence[P.PlanNode], clock: Callable[[], int] | None = None
) -> tuple[Job, list[int]]:
    from engine.batch_runner import register_udfs
    from planner.lower_stream import lower_stream

    ttl = parse_duration_ms(session.config.get_string("table.exec.state.ttl", "0 ms"))
    graph, roots = lower_stream(plans, ttl or None)
    con = duckdb.connect(":memory:")
    con.execute(f"SET TimeZone = '{session.time_zone()}'")
    names: dict[int, str] = {}
    for plan in plans:
        names.update(register_udfs(con, plan))
    _require_bounded_windows(session, graph)
    max_par = int(session.config.get_string("pipeline.max-parallelism", "128"))
    ctx = OperatorContext(con, StateBackend(con, max_par, clock), names)
    return Job(graph, ctx), roots


def record_at_a_time(session: Session, plans: Sequence[P.PlanNode]) -> bool:
    """Whether each input row must be its own step for the output to show Flink's changes.

    Flink without mini-batch (`table.exec.mini-batch.enabled`, false by default) emits the
    changes of every input record: a key counted twice in one batch shows `+I 1, -U 1, +U 2`, where
    one consolidated step would show only `+I 2`. That difference is visible only where someone
    watches the changes (query results, the print sink) and only for updating plans; append-only
    plans give the same rows either way, so they keep whole batches.
    """
    from planner.changelog import analyze

    if session.config.get_bool("table.exec.mini-batch.enabled"):
        return False
    return any(not analyze(p).append_only for p in plans)


def _rows_of(delta: pa.Table) -> Iterator[pa.Table]:
    for i in range(delta.num_rows):
        yield delta.slice(i, 1)


def _require_bounded_windows(session: Session, graph) -> None:
    """Over an unbounded source without a (physical-column) watermark a window would never fire."""
    from connectors.api import ConnectorError
    from connectors.registry import create_source
    from engine.batch_runner import table_spec
    from engine.inline_tables import INLINE_CONNECTOR, ITERATOR_CONNECTOR
    from engine.stream.window_agg import WindowAggregate
    from planner.binder.context import ValidationError

    if not any(isinstance(n.op, WindowAggregate) for n in graph.nodes):
        return
    for node in graph.nodes:
        table = node.source
        if table is None:
            continue
        if dict(table.options).get("connector") in (INLINE_CONNECTOR, ITERATOR_CONNECTOR):
            continue
        if table.watermark is not None:
            continue  # its watermark fires the windows as it advances
        try:
            bounded = create_source(table_spec(table, "streaming")).bounded
        except ConnectorError:
            continue  # reported with its own message when the job reads the source
        if not bounded:
            raise ValidationError(
                f"Window aggregation over the unbounded table '{'.'.join(table.path)}' needs a "
                "watermark on it (WATERMARK FOR col AS ..., over physical columns): without one its "
                "windows would never fire. Declare one, bound the source (e.g. 'number-of-rows' for "
                "datagen) or run in batch mode.",
                java_class="org.apache.flink.table.api.TableException",
            )


def source_steps(
    session: Session,
    job: Job,
    cancelled: Callable[[], bool] = lambda: False,
    single_rows: bool = False,
) -> Iterator[tuple[str, pa.Table, int | None] | None]:
    """Change batches `(table key, delta, row kind)` from every source, in turns; None when all
    are idle. With `single_rows`, every row of a batch is a step of its own (see
    `record_at_a_time`) and carries the row kind the source gave it (else the kind is None).
    """
    streams = {
        key: _open_source(session, job.graph.nodes[i].source)
        for key, i in job.graph.source_nodes().items()
    }
    live = dict(streams)
    while live and not cancelled():
        idle = True
        for key in list(live):
            try:
                chunk = next(live[key])
            except StopIteration:
                del live[key]
                continue
            if chunk is None:
                continue
            idle = False
            delta, kinds = chunk
            if single_rows:
                for i, row in enumerate(_rows_of(delta)):
                    yield key, row, (kinds[i].as_py() if kinds is not None else 0)
            else:
                yield key, delta, None
        if idle and live:
            yield None


def _open_source(
    session: Session, table: P.TableSource | None
) -> Iterator[tuple[pa.Table, pa.Array | None] | None]:
    from connectors.registry import create_source
    from engine.batch_runner import BatchError, table_spec
    from engine.inline_tables import (
        INLINE_CONNECTOR,
        ITERATOR_CONNECTOR,
        inline_table,
        iterator_items,
    )

    assert table is not None
    options = dict(table.options)
    if options.get("connector") == INLINE_CONNECTOR:
        data = inline_table(options["inline.id"])
        return iter([(with_weight(data), None)] if data.num_rows else [])
    if options.get("connector") == ITERATOR_CONNECTOR:
        from engine.iterator_source import chunks as iterator_chunks

        items = iterator_items(options["iterator.id"])
        schema = table_spec(table, "streaming").schema
        return (
            (with_weight(batch, decode(batch, kinds)), kinds)
            for batch, kinds in iterator_chunks(items, schema)  # type: ignore[arg-type]
        )
    from connectors.api import ConnectorError

    spec = table_spec(table, "streaming")
    try:
        source = create_source(spec)
    except ConnectorError as e:
        raise BatchError(str(e)) from None

    def chunks() -> Iterator[tuple[pa.Table, pa.Array | None] | None]:
        stream = getattr(source, "stream", None)
        try:
            if stream is not None:
                for item in stream():
                    if item is None:
                        yield None
                        continue
                    batch, kinds = item if isinstance(item, tuple) else (item, None)
                    if batch.num_rows:
                        yield with_weight(batch, decode(batch, kinds)), kinds
            else:
                for batch in source.batches(None):
                    if batch.num_rows:
                        yield with_weight(batch), None
        except ConnectorError as e:
            raise BatchError(str(e)) from None

    return chunks()


def run_to_end(
    session: Session,
    job: Job,
    cancelled: Callable[[], bool],
    on_step: Callable[[], None],
    single_rows: bool = False,
) -> None:
    """Open the job, feed every source step until all end (or cancel), then finish it."""
    job.open(single_rows)
    on_step()
    for step in source_steps(session, job, cancelled, single_rows):
        if step is None:
            time.sleep(IDLE_SLEEP_S)
            continue
        job.feed(*step)
        on_step()
    if not cancelled():
        job.finish()
        on_step()


def query_rows(
    session: Session, plan: P.PlanNode, cancelled: Callable[[], bool] = lambda: False
) -> Iterator[Row]:
    """The changes of a continuous query as Rows with row kinds, as they are produced.

    The job is planned now (so planning errors surface at once) and runs as the rows are read.
    """
    job, (root,) = build_job(session, [plan])
    return _query_rows(session, plan, job, root, cancelled)


class RowEncoder:
    """Turns a query's output deltas into PyFlink Rows with row kinds (the collect/print edge)."""

    def __init__(self, session: Session, plan: P.PlanNode, job: Job | None = None) -> None:
        from planner.changelog import analyze

        info = analyze(plan)
        self.update_kinds = info.update_kinds
        self.job = job
        self.stateless = job is not None and job.stateless()
        self.key = info.unique_keys[0] if info.unique_keys else None
        self.types = [f.type for f in plan.schema]
        self.names = tuple(f.name for f in plan.schema)
        self.tz = session.time_zone()

    def rows(self, delta: pa.Table) -> list[Row]:
        from engine.values import arrow_to_rows

        data, kinds = encode(delta, self.key, update_kinds=self.update_kinds)
        source_kind = self.job.step_kind if self.job is not None else None
        if self.stateless and source_kind is not None:
            kinds = relabel(kinds, source_kind)
        return arrow_to_rows(data, self.types, self.names, self.tz, [RowKind(k) for k in kinds])


def _query_rows(
    session: Session, plan: P.PlanNode, job: Job, root: int, cancelled: Callable[[], bool]
) -> Iterator[Row]:
    encoder = RowEncoder(session, plan, job)
    pending: list[pa.Table] = []
    job.on_output(root, pending.append)

    def drain() -> list[Row]:
        rows = [r for delta in pending for r in encoder.rows(delta)]
        pending.clear()
        return rows

    single = record_at_a_time(session, [plan])
    job.open(single)
    yield from drain()
    for step in source_steps(session, job, cancelled, single):
        if step is None:
            time.sleep(IDLE_SLEEP_S)
            continue
        job.feed(*step)
        yield from drain()
    if not cancelled():
        job.finish()
        yield from drain()
