"""Runs a streaming case (`case_format`) three ways and computes what the checks compare.

Modes: `written` (each step's rows of a table are one batch), `single` (every row is its own
batch), `random:<seed>` (the input, in order, cut into random batches that may span steps),
`restore` (as written, but the job's state is snapshotted and restored into a new job before
every batch: a checkpoint and restore must change nothing). The
changes of every mode are applied to a table (a retraction of a row that is not there fails), and
the final table is what the checks compare with the case's `final` and with batch mode.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
from collections import Counter
from dataclasses import dataclass

import pyarrow as pa

from engine.config import Configuration
from engine.inline_tables import register_inline, replace_inline
from engine.session import Session
from planner.arrow_types import to_arrow_schema
from planner.types import FlinkType
from sql_client.value_format import format_typed
from tests.streaming.case_format import Case

WEIGHTS = {"+I": 1, "+U": 1, "-U": -1, "-D": -1}


@dataclass
class Outcome:
    changes: list[list[tuple[str, tuple[str, ...]]]]  # per feed: (kind, cells)
    final: Counter


def parse_cell(text: str, t: FlinkType) -> object:
    if text == "NULL":
        return None
    name = t.name
    if name in ("TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT"):
        return int(text)
    if name in ("FLOAT", "DOUBLE"):
        return float(text)
    if name == "DECIMAL":
        return decimal.Decimal(text)
    if name == "BOOLEAN":
        return text.upper() == "TRUE"
    if name == "DATE":
        return dt.date.fromisoformat(text)
    if name == "TIME":
        return dt.time.fromisoformat(text)
    if name.startswith("TIMESTAMP"):
        return dt.datetime.fromisoformat(text)
    if name == "ARRAY":
        import ast

        return [
            parse_cell(str(x) if x is not None else "NULL", t.children[0])
            for x in ast.literal_eval(text)
        ]
    return text


def cell_text(value: object, t: FlinkType) -> str:
    if isinstance(value, float):
        value = float(f"{value:.12g}")
    return format_typed(value, t)


class CaseRun:
    """One session with the case's sources (inline tables), statements and config."""

    def __init__(self, case: Case, batch: bool) -> None:
        config = Configuration(
            {
                "execution.runtime-mode": "batch" if batch else "streaming",
                "table.local-time-zone": "UTC",
            }
        )
        for key, value in case.config:
            config.set(key, value)
        self.session = Session(config)
        self.ids: dict[str, str] = {}
        self.types: dict[str, list[FlinkType]] = {}
        self.schemas: dict[str, pa.Schema] = {}
        for name, columns in case.sources:
            key = register_inline(pa.table({}))
            self.ids[name] = key
            changelog = any(
                kind != "+I" for step in case.steps for t, kind, _ in step.rows if t == name
            )
            extra = ", 'inline.changelog' = 'true'" if changelog else ""
            self.session.execute_sql(
                f"CREATE TEMPORARY TABLE {name} {columns} WITH "
                f"('connector' = 'python-inline', 'inline.id' = '{key}'{extra})"
            )
            path = self.session.catalogs.qualify((name,))
            table = self.session.catalogs.lookup(path)[0]  # type: ignore[index]
            self.types[name] = [c.type for c in table.physical]
            self.schemas[name] = to_arrow_schema([(c.name, c.type) for c in table.physical])
            replace_inline(key, self.schemas[name].empty_table())
        for text in case.statements:
            self.session.execute_sql(text)
        ops = self.session.parse(case.query)
        self.plan = self.session.plan_query(ops[0].query)  # type: ignore[attr-defined]
        self.out_types = [f.type for f in self.plan.schema]

    def table_of(self, name: str, rows: list[list[str]]) -> pa.Table:
        types = self.types[name]
        schema = self.schemas[name]
        columns = [
            pa.array([parse_cell(r[i], t) for r in rows], schema.field(i).type)
            for i, t in enumerate(types)
        ]
        return pa.Table.from_arrays(columns, schema=schema)

    def texts(self, row) -> tuple[str, ...]:
        return tuple(cell_text(v, t) for v, t in zip(row, self.out_types, strict=True))


def feeds(case: Case, mode: str) -> list[list[tuple[str, str, list[str]]]]:
    """The batches to feed, each a run of rows of one table, per mode."""
    runs: list[list[tuple[str, str, list[str]]]] = []
    if mode == "written":
        for step in case.steps:
            by_table: dict[str, list] = {}
            for row in step.rows:
                by_table.setdefault(row[0], []).append(row)
            runs += list(by_table.values())
        return runs
    rows = [row for step in case.steps for row in step.rows]
    if mode == "single":
        return [[r] for r in rows]
    rng = random.Random(f"{case.path.name}:{mode}")
    current: list = []
    for row in rows:
        if current and (current[0][0] != row[0] or rng.random() < 0.4):
            runs.append(current)
            current = []
        current.append(row)
    if current:
        runs.append(current)
    return runs


def run_streaming(case: Case, mode: str) -> Outcome:
    from engine.stream.rowkinds import decode
    from engine.stream.run import RowEncoder, build_job

    run = CaseRun(case, batch=False)
    encoder = RowEncoder(run.session, run.plan)
    pending: list[pa.Table] = []

    def start(snapshot: dict[str, pa.Table] | None = None):
        job, (root,) = build_job(run.session, [run.plan])
        job.on_output(root, pending.append)
        job.open(restored=snapshot)
        return job

    job = start()
    changes: list[list[tuple[str, tuple[str, ...]]]] = []
    final: Counter = Counter()

    def drain() -> None:
        out = []
        for delta in pending:
            for r in encoder.rows(delta):
                kind = r.get_row_kind().short_string()
                cells = run.texts(r)
                if WEIGHTS[kind] < 0 and final[cells] <= 0:
                    raise AssertionError(f"{kind} {cells} retracts a row that is not in the table")
                final[cells] += WEIGHTS[kind]
                if final[cells] == 0:
                    del final[cells]
                out.append((kind, cells))
        pending.clear()
        changes.append(out)

    drain()
    from engine.stream.changes import with_weight

    for batch in feeds(case, "written" if mode == "restore" else mode):
        if mode == "restore":  # a checkpoint and a restore into a new job before every batch
            job = start(job.snapshot())
        name = batch[0][0]
        data = run.table_of(name, [r[2] for r in batch])
        kinds = pa.array([("+I", "-U", "+U", "-D").index(r[1]) for r in batch], pa.int8())
        job.feed(
            run.session.table_source(run.session.catalogs.qualify((name,))).key,
            with_weight(data, decode(data, kinds)),
        )
        drain()
    job.finish()
    drain()
    return Outcome(changes, final)


def run_batch(case: Case) -> Counter:
    """The query in batch mode over every source's final content (its changes applied)."""
    run = CaseRun(case, batch=True)
    for name, key in run.ids.items():
        content: Counter = Counter()
        order: list[tuple[str, ...]] = []
        for step in case.steps:
            for table, kind, cells in step.rows:
                if table == name:
                    t = tuple(cells)
                    if t not in content:
                        order.append(t)
                    content[t] += WEIGHTS[kind]
        rows = [list(t) for t in order for _ in range(max(content[t], 0))]
        replace_inline(key, run.table_of(name, rows))
    result = run.session.run_query(run.session.parse(case.query)[0].query)  # type: ignore[attr-defined]
    return Counter(run.texts(r) for r in result.collect())


def expected_rows(rows: list[list[str]]) -> Counter:
    return Counter(tuple(r) for r in rows)
