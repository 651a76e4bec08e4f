"""State: key groups, TTL expiry, and that a statement set reads a shared source once."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from engine import EnvironmentSettings, TableEnvironment
from engine.config import Configuration
from engine.inline_tables import register_inline
from engine.session import Session
from engine.stream.changes import with_weight
from engine.stream.run import RowEncoder, build_job


def _session(**config: str) -> Session:
    session = Session(Configuration({"execution.runtime-mode": "streaming", **config}))
    key = register_inline(pa.table({"k": pa.array([], pa.string())}))
    session.execute_sql(
        f"CREATE TEMPORARY TABLE t (k STRING) WITH "
        f"('connector' = 'python-inline', 'inline.id' = '{key}')"
    )
    return session


def _job(session: Session, sql: str, now: list[int]):
    plan = session.plan_query(session.parse(sql)[0].query)  # type: ignore[attr-defined]
    job, (root,) = build_job(session, [plan], clock=lambda: now[0])
    encoder = RowEncoder(session, plan)
    out: list[tuple[str, tuple]] = []
    job.on_output(
        root,
        lambda d: out.extend((r.get_row_kind().short_string(), tuple(r)) for r in encoder.rows(d)),
    )
    job.open()
    source = session.table_source(session.catalogs.qualify(("t",))).key
    return job, out, source


def _feed(job, source: str, *keys: str) -> None:
    job.feed(source, with_weight(pa.table({"k": pa.array(list(keys), pa.string())})))


def test_state_ttl_expires_idle_keys() -> None:
    now = [0]
    session = _session(**{"table.exec.state.ttl": "1 s"})
    job, out, source = _job(session, "SELECT k, COUNT(*) AS c FROM t GROUP BY k", now)
    _feed(job, source, "a")
    now[0] = 500
    _feed(job, source, "a")
    now[0] = 1400  # a was written at 500: still live
    _feed(job, source, "b")
    now[0] = 2600  # a idle for 2.1 s, b for 1.2 s: both expired
    _feed(job, source, "a")
    assert out == [
        ("+I", ("a", 1)),
        ("-U", ("a", 1)),
        ("+U", ("a", 2)),
        ("+I", ("b", 1)),
        ("+I", ("a", 1)),  # a's count starts again, as in Flink after its state expired
    ]


def test_without_ttl_state_is_kept() -> None:
    now = [0]
    session = _session()
    job, out, source = _job(session, "SELECT k, COUNT(*) AS c FROM t GROUP BY k", now)
    _feed(job, source, "a")
    now[0] = 10**9
    _feed(job, source, "a")
    assert out[-1] == ("+U", ("a", 2))


def test_state_is_partitioned_into_key_groups() -> None:
    now = [0]
    session = _session(**{"pipeline.max-parallelism": "16"})
    job, _, source = _job(session, "SELECT k, COUNT(*) AS c FROM t GROUP BY k", now)
    _feed(job, source, *[f"key{i}" for i in range(200)])
    (table,) = job.ctx.state.snapshot().values()
    groups = table.column("_kg").to_pylist()
    assert len(groups) == 200 and set(groups) <= set(range(16)) and len(set(groups)) > 8
    # restoring only some key groups restores only their keys
    job.ctx.state.restore(job.ctx.state.snapshot(), key_groups=range(0, 8))
    (restored,) = job.ctx.state.snapshot().values()
    assert restored.num_rows == sum(1 for g in groups if g < 8)


def test_statement_set_reads_a_shared_source_once(tmp_path: Path) -> None:
    from engine.stream.run import build_job as build

    (tmp_path / "in.csv").write_text("a,1\nb,2\n")
    session = Session(Configuration({"execution.runtime-mode": "streaming"}))
    session.execute_sql(
        f"CREATE TABLE src (k STRING, v INT) WITH ('connector' = 'filesystem', "
        f"'path' = '{tmp_path / 'in.csv'}', 'format' = 'csv')"
    )
    plans = [
        session.plan_query(session.parse(q)[0].query)  # type: ignore[attr-defined]
        for q in ("SELECT k FROM src", "SELECT k, SUM(v) FROM src GROUP BY k")
    ]
    job, roots = build(session, plans)
    sources = [n for n in job.graph.nodes if n.source is not None]
    assert len(sources) == 1 and len(roots) == 2

    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.get_config().set("table.dml-sync", "true")
    t_env.execute_sql(
        f"CREATE TABLE src (k STRING, v INT) WITH ('connector' = 'filesystem', "
        f"'path' = '{tmp_path / 'in.csv'}', 'format' = 'csv')"
    )
    for name in ("s1", "s2"):
        t_env.execute_sql(
            f"CREATE TABLE {name} (k STRING, v INT) WITH ('connector' = 'filesystem', "
            f"'path' = '{tmp_path / name}', 'format' = 'csv')"
        )
    statements = t_env.create_statement_set()
    statements.add_insert_sql("INSERT INTO s1 SELECT k, v FROM src")
    statements.add_insert_sql("INSERT INTO s2 SELECT k, v * 10 FROM src WHERE v > 1")
    statements.execute().wait()
    read = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    for name in ("s1", "s2"):
        read.execute_sql(
            f"CREATE TABLE {name} (k STRING, v INT) WITH ('connector' = 'filesystem', "
            f"'path' = '{tmp_path / name}', 'format' = 'csv')"
        )
    assert sorted(tuple(r) for r in read.execute_sql("SELECT * FROM s1").collect()) == [
        ("a", 1),
        ("b", 2),
    ]
    assert [tuple(r) for r in read.execute_sql("SELECT * FROM s2").collect()] == [("b", 20)]


def test_windows_fire_on_the_watermark_and_late_rows_are_dropped() -> None:
    import datetime as dt

    session = Session(Configuration({"execution.runtime-mode": "streaming"}))
    key = register_inline(
        pa.table({"ts": pa.array([], pa.timestamp("us")), "v": pa.array([], pa.int32())})
    )
    session.execute_sql(
        "CREATE TEMPORARY TABLE w (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts) WITH "
        f"('connector' = 'python-inline', 'inline.id' = '{key}')"
    )
    sql = (
        "SELECT window_start, SUM(v) AS s FROM TABLE(TUMBLE(TABLE w, DESCRIPTOR(ts), "
        "INTERVAL '10' SECOND)) GROUP BY window_start, window_end"
    )
    plan = session.plan_query(session.parse(sql)[0].query)  # type: ignore[attr-defined]
    job, (root,) = build_job(session, [plan])
    encoder = RowEncoder(session, plan)
    out: list[tuple] = []
    job.on_output(root, lambda d: out.extend(tuple(r) for r in encoder.rows(d)))
    job.open()
    source = session.table_source(session.catalogs.qualify(("w",))).key

    def feed(second: int, v: int) -> None:
        t = pa.array([dt.datetime(2024, 1, 1, 0, 0, second)], pa.timestamp("us"))
        job.feed(source, with_weight(pa.table({"ts": t, "v": pa.array([v], pa.int32())})))

    feed(1, 1)
    feed(8, 2)
    assert out == []  # watermark 00:08: window [0, 10) is still open
    feed(12, 3)  # watermark 00:12 passes 00:09.999: the window fires
    assert out == [(dt.datetime(2024, 1, 1), 3)]
    feed(5, 100)  # behind the watermark, in a window that fired: late, dropped
    job.finish()
    assert out == [(dt.datetime(2024, 1, 1), 3), (dt.datetime(2024, 1, 1, 0, 0, 10), 3)]
    (window_op,) = [
        n.op for n in job.graph.nodes if n.op is not None and n.op.describe == "WindowAggregate"
    ]
    assert window_op.late_rows == 1
