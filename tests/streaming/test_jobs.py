"""Streaming jobs end to end: a continuous filesystem source feeding a filesystem sink, cancel."""

from __future__ import annotations

import time
from pathlib import Path

from engine import EnvironmentSettings, TableEnvironment


def _wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_continuous_file_source_picks_up_new_file_and_cancel_stops_cleanly(tmp_path: Path) -> None:
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "first.csv").write_text("a,1\nb,-2\n")
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.execute_sql(
        f"CREATE TABLE src (k STRING, v INT) WITH ('connector' = 'filesystem', "
        f"'path' = '{inbox}', 'format' = 'csv', 'source.monitor-interval' = '100 ms')"
    )
    t_env.execute_sql(
        f"CREATE TABLE dst (k STRING, v INT) WITH ('connector' = 'filesystem', "
        f"'path' = '{outbox}', 'format' = 'csv')"
    )
    result = t_env.execute_sql("INSERT INTO dst SELECT k, v * 10 FROM src WHERE v > 0")
    client = result.get_job_client()
    assert client is not None
    assert _wait_for(lambda: client.get_job_status() == "RUNNING")
    time.sleep(0.3)
    (inbox / "second.csv").write_text("c,3\n")
    time.sleep(0.6)  # several monitor intervals
    assert client.get_job_status() == "RUNNING"  # an unbounded source keeps the job running
    client.cancel()
    result.wait(10_000)
    assert client.get_job_status() == "CANCELED"

    batch = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    batch.execute_sql(
        f"CREATE TABLE dst (k STRING, v INT) WITH ('connector' = 'filesystem', "
        f"'path' = '{outbox}', 'format' = 'csv')"
    )
    rows = sorted(tuple(r) for r in batch.execute_sql("SELECT * FROM dst").collect())
    assert rows == [("a", 10), ("c", 30)]


def test_bounded_streaming_insert_finishes_and_dml_sync_blocks(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("a,1\na,2\nb,5\n")
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.get_config().set("table.dml-sync", "true")
    t_env.execute_sql(
        f"CREATE TABLE src (k STRING, v INT) WITH ('connector' = 'filesystem', "
        f"'path' = '{tmp_path / 'in.csv'}', 'format' = 'csv')"
    )
    t_env.execute_sql("CREATE TABLE sink (k STRING, s INT) WITH ('connector' = 'blackhole')")
    result = t_env.execute_sql("INSERT INTO sink SELECT k, SUM(v) FROM src GROUP BY k")
    client = result.get_job_client()
    assert client is not None and client.get_job_status() == "FINISHED"


def test_changelog_source_row_kinds_pass_through_projection() -> None:
    """A debezium-json update stays -U/+U through a projection (Flink's kinds, from the fixture
    Flink printed for `SELECT * FROM t`)."""
    data = Path(__file__).parent.parent / "connectors/fixtures/changelog/debezium_basic/data"
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.execute_sql(
        "CREATE TABLE t (id INT, name STRING, price DECIMAL(10, 2), ts TIMESTAMP(3)) WITH "
        f"('connector' = 'filesystem', 'path' = '{data}', 'format' = 'debezium-json')"
    )
    rows = list(t_env.execute_sql("SELECT id, name FROM t WHERE id > 0").collect())
    got = [(r.get_row_kind().short_string(), tuple(r)) for r in rows]
    assert got == [
        ("+I", (1, "apple")),
        ("+I", (2, "pear")),
        ("-U", (1, "apple")),
        ("+U", (1, "green apple")),
        ("-D", (2, "pear")),
        ("+I", (3, None)),
    ]


def test_freshet_f_runs_an_unbounded_insert_until_ctrl_c(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "a.csv").write_text("a,1\n")
    script = tmp_path / "job.sql"
    script.write_text(
        f"CREATE TABLE src (k STRING, v INT) WITH ('connector' = 'filesystem', 'path' = "
        f"'{inbox}', 'format' = 'csv', 'source.monitor-interval' = '100 ms');\n"
        f"CREATE TABLE dst (k STRING, v INT) WITH ('connector' = 'filesystem', 'path' = "
        f"'{outbox}', 'format' = 'csv');\n"
        "INSERT INTO dst SELECT k, v + 1 FROM src;\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "sql_client.cli", "-f", str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(lambda: False, 1.5) is False  # the job keeps the process alive
        assert proc.poll() is None
        (inbox / "b.csv").write_text("b,2\n")
        time.sleep(2.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Job ID:" in out
    written = sorted(
        line
        for f in outbox.rglob("*")
        if f.is_file() and not f.name.startswith(".")
        for line in f.read_text().splitlines()
    )
    assert written == ["a,2", "b,3"]
