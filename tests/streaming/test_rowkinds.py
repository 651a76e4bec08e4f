"""Flink's row-kind rules at the edges, one test per rule, and what an upsert sink receives."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from connectors.api import ConnectorFactory
from engine import EnvironmentSettings, TableEnvironment
from engine.stream.changes import WEIGHT
from engine.stream.rowkinds import DELETE, INSERT, UPDATE_AFTER, UPDATE_BEFORE, decode, encode

KINDS = ("+I", "-U", "+U", "-D")


def delta(rows: list[tuple[str, int, int]]) -> pa.Table:
    keys, values, weights = zip(*rows, strict=True) if rows else ((), (), ())
    return pa.table(
        {
            "c0": list(keys),
            "c1": pa.array(values, pa.int64()),
            WEIGHT: pa.array(weights, pa.int64()),
        }
    )


def kinds_of(d: pa.Table, key=(0,), upsert: bool = False) -> list[tuple[str, tuple]]:
    rows, kinds = encode(d, key, upsert=upsert)
    return [(KINDS[k], tuple(r.values())) for k, r in zip(kinds, rows.to_pylist(), strict=True)]


def test_a_new_key_is_an_insert() -> None:
    assert kinds_of(delta([("a", 1, 1)])) == [("+I", ("a", 1))]


def test_a_changed_key_is_update_before_then_after() -> None:
    assert kinds_of(delta([("a", 2, 1), ("a", 1, -1)])) == [("-U", ("a", 1)), ("+U", ("a", 2))]


def test_an_unchanged_value_emits_nothing() -> None:
    assert kinds_of(delta([("a", 1, -1), ("a", 1, 1)])) == []


def test_an_emptied_key_is_a_delete() -> None:
    assert kinds_of(delta([("a", 1, -1)])) == [("-D", ("a", 1))]


def test_an_upsert_consumer_gets_no_update_before() -> None:
    assert kinds_of(delta([("a", 1, -1), ("a", 2, 1)]), upsert=True) == [("+U", ("a", 2))]
    assert kinds_of(delta([("b", 1, -1)]), upsert=True) == [("-D", ("b", 1))]


def test_decode_gives_retractions_negative_weights() -> None:
    rows = pa.table({"c0": ["a", "a", "a", "a"]})
    kinds = pa.array([INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE], pa.int8())
    assert decode(rows, kinds).to_pylist() == [1, -1, 1, -1]


class RecordingSink:
    accepts = "upsert"
    written: list[tuple[str, tuple]] = []

    def __init__(self, spec) -> None:
        self.spec = spec

    def open(self, *, overwrite: bool = False, static_partitions=None) -> None:
        pass

    def write(self, batch: pa.RecordBatch, row_kinds: pa.Array | None = None) -> None:
        kinds = row_kinds.to_pylist() if row_kinds is not None else [0] * batch.num_rows
        for k, row in zip(kinds, batch.to_pylist(), strict=True):
            RecordingSink.written.append((KINDS[k], tuple(row.values())))

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


@pytest.fixture
def upsert_connector(monkeypatch: pytest.MonkeyPatch):
    import connectors.registry as registry

    factories = registry._factories()
    factories["recording-upsert"] = ConnectorFactory(
        "recording-upsert", frozenset(), frozenset(), None, RecordingSink
    )
    monkeypatch.setattr(registry, "_factories", lambda: factories)
    RecordingSink.written = []
    return RecordingSink


def test_upsert_sink_keyed_like_the_query_gets_no_update_before(
    upsert_connector, tmp_path: Path
) -> None:
    (tmp_path / "in.csv").write_text("a,1\nb,2\na,3\n")
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.get_config().set("table.dml-sync", "true")
    t_env.get_config().set("table.exec.mini-batch.enabled", "false")
    t_env.execute_sql(
        f"CREATE TABLE src (k STRING, v INT) WITH ('connector' = 'filesystem', "
        f"'path' = '{tmp_path / 'in.csv'}', 'format' = 'csv')"
    )
    t_env.execute_sql(
        "CREATE TABLE totals (k STRING, s INT, PRIMARY KEY (k) NOT ENFORCED) "
        "WITH ('connector' = 'recording-upsert')"
    )
    t_env.execute_sql("INSERT INTO totals SELECT k, SUM(v) FROM src GROUP BY k")
    # the file is one batch: a's two rows arrive together, so a's row is written once
    assert sorted(upsert_connector.written) == [("+I", ("a", 4)), ("+I", ("b", 2))]
    assert not any(kind == "-U" for kind, _ in upsert_connector.written)


def test_upsert_sink_receives_updates_without_update_before(upsert_connector) -> None:
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.get_config().set("table.dml-sync", "true")
    rows = iter([("a", 1), ("b", 2), ("a", 3)])  # a generator-like iterator: one row per step
    t_env.create_temporary_view("src", t_env.from_iterator(rows, "ROW<k STRING, v INT>"))
    t_env.execute_sql(
        "CREATE TABLE totals (k STRING, s INT, PRIMARY KEY (k) NOT ENFORCED) "
        "WITH ('connector' = 'recording-upsert')"
    )
    t_env.execute_sql("INSERT INTO totals SELECT k, SUM(v) FROM src GROUP BY k")
    assert upsert_connector.written == [
        ("+I", ("a", 1)),
        ("+I", ("b", 2)),
        ("+U", ("a", 4)),
    ]
