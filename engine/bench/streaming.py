"""Streaming throughput benchmark: rows/s and peak memory of the incremental engine.

Run: python -m engine.bench.streaming [ROWS] [--only NAME]. Each query runs in its own process (so
peak RSS is its own) over ROWS generated input rows (default 1 000 000) fed in batches of 65 536
rows straight into the job, with the output deltas counted and dropped. Input generation is not
timed. Figures are for one process on this machine; compare ratios within one run.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import numpy as np
import pyarrow as pa

BATCH = 65_536

QUERIES: dict[str, tuple[str, list[str]]] = {
    "filter+project": (
        "SELECT id, v * 2 AS v2, k + 1 AS k1 FROM t WHERE v % 3 <> 0",
        ["t"],
    ),
    "group agg, 1 000 keys": ("SELECT k, COUNT(*) AS c, SUM(v) AS s FROM t GROUP BY k", ["t:1000"]),
    "group agg, 1 000 000 keys": (
        "SELECT k, COUNT(*) AS c, SUM(v) AS s FROM t GROUP BY k",
        ["t:1000000"],
    ),
    "join, both sides updating": (
        "SELECT a.k, a.c, b.s FROM (SELECT k, COUNT(*) AS c FROM t GROUP BY k) AS a "
        "JOIN (SELECT k, SUM(v) AS s FROM u GROUP BY k) AS b ON a.k = b.k",
        ["t:10000", "u:10000"],
    ),
    "top-3 per key": (
        "SELECT k, v FROM (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS rn "
        "FROM t) WHERE rn <= 3",
        ["t:1000"],
    ),
    "dedup, keep first": (
        "SELECT k, v FROM (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY id) AS rn "
        "FROM t) WHERE rn = 1",
        ["t:100000"],
    ),
}


def _table(rows: int, keys: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "id": pa.array(np.arange(rows, dtype=np.int64)),
            "k": pa.array(rng.integers(0, keys, rows, dtype=np.int64)),
            "v": pa.array(rng.integers(0, 1_000_000, rows, dtype=np.int64)),
        }
    )


def run_one(name: str, rows: int) -> dict[str, float]:
    from engine.config import Configuration
    from engine.inline_tables import register_inline
    from engine.session import Session
    from engine.stream.changes import with_weight
    from engine.stream.run import build_job

    sql, tables = QUERIES[name]
    session = Session(Configuration({"execution.runtime-mode": "streaming"}))
    data: dict[str, pa.Table] = {}
    for i, spec in enumerate(tables):
        table, _, keys = spec.partition(":")
        data[table] = _table(rows // len(tables), int(keys or 1000), i)
        key = register_inline(data[table].slice(0, 0))
        session.execute_sql(
            f"CREATE TEMPORARY TABLE {table} (id BIGINT, k BIGINT, v BIGINT) WITH "
            f"('connector' = 'python-inline', 'inline.id' = '{key}')"
        )
    plan = session.plan_query(session.parse(sql)[0].query)  # type: ignore[attr-defined]
    job, (root,) = build_job(session, [plan])
    out_rows = 0

    def count(delta: pa.Table) -> None:
        nonlocal out_rows
        out_rows += delta.num_rows

    job.on_output(root, count)
    job.open()
    keys = {t: session.table_source(session.catalogs.qualify((t,))).key for t in data}
    batches = [
        (keys[t], with_weight(d.slice(o, BATCH)))
        for o in range(0, max(d.num_rows for d in data.values()), BATCH)
        for t, d in data.items()
        if o < d.num_rows
    ]
    start = time.perf_counter()
    for key, delta in batches:
        job.feed(key, delta)
    job.finish()
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "peak_mb": peak_mb,
        "output_changes": out_rows,
    }


def main(argv: list[str]) -> None:
    rows = int(argv[0]) if argv and argv[0].isdigit() else 1_000_000
    if "--child" in argv:
        name = argv[argv.index("--child") + 1]
        print(json.dumps(run_one(name, rows)))
        return
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    print(f"streaming throughput, {rows:,} input rows per query, batches of {BATCH:,}")
    print(f"{'query':<28}{'rows/s':>14}{'seconds':>10}{'peak MB':>10}{'changes out':>14}")
    for name in QUERIES:
        if only and only not in name:
            continue
        proc = subprocess.run(
            [sys.executable, "-m", "engine.bench.streaming", str(rows), "--child", name],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            print(f"{name:<28}  failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"{name:<28}{r['rows_per_s']:>14,.0f}{r['seconds']:>10.2f}{r['peak_mb']:>10.0f}"
            f"{r['output_changes']:>14,}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
