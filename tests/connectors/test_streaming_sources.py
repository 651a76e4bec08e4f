"""Sources as the streaming runtime reads them (`stream()`): CDC formats, file monitoring, datagen pacing.

`fixtures/changelog/<case>/` holds a debezium-json or canal-json file and either the rows Flink 2.3
produced for `SELECT * FROM t` in streaming mode over the filesystem connector (its print text,
with row kinds) or fragments our error must contain where Flink fails the job.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from connector_specs import make_spec, millisecond_storage

from connectors.api import ConnectorError
from connectors.datagen.source import build_source
from connectors.registry import create_source
from connectors.row_text import row_lines

CHANGELOG_CASES = sorted(
    p for p in (Path(__file__).parent / "fixtures" / "changelog").iterdir() if p.is_dir()
)


def _changelog_spec(case_dir: Path, mode: str = "streaming"):  # type: ignore[no-untyped-def]
    case = json.loads((case_dir / "case.json").read_text())
    options = {"connector": "filesystem", "path": str(case_dir / "data"), **case["options"]}
    spec = make_spec(
        case["columns"], options, partition_keys=case.get("partition_keys", ()), mode=mode
    )
    return case, spec


def _drain(stream: Iterator[Any]) -> list[str]:
    """Every row of a bounded stream as Flink's print text, checking each item's shape."""
    lines = []
    for item in stream:
        assert item is not None, "a bounded file source has always something to read"
        batch, kinds = item
        assert kinds.type == pa.int8() and len(kinds) == batch.num_rows
        lines += row_lines(batch, kinds)
    return lines


@pytest.mark.parametrize("millis", [False, True], ids=["us", "ms"])
@pytest.mark.parametrize("case_dir", CHANGELOG_CASES, ids=[p.name for p in CHANGELOG_CASES])
def test_changelog_case(case_dir: Path, millis: bool) -> None:
    case, spec = _changelog_spec(case_dir)
    if millis:
        spec = millisecond_storage(spec)
    source = create_source(spec)
    assert source.bounded
    if "error" in case:
        with pytest.raises(ConnectorError) as err:
            _drain(source.stream())
        for fragment in case["error"]:
            assert fragment in str(err.value)
    else:
        for item in source.stream():
            assert item[0].schema == spec.schema  # exactly the table's fields, types and metadata
        assert _drain(source.stream()) == case["expect"]


@pytest.mark.parametrize("fmt", ["debezium-json", "canal-json"])
def test_changelog_format_refuses_batch_mode(fmt: str) -> None:
    """Flink: a batch query over a changelog source fails while planning (TableException)."""
    case_dir = next(p for p in CHANGELOG_CASES if p.name.startswith(fmt.split("-")[0]))
    _, spec = _changelog_spec(case_dir, mode="batch")
    with pytest.raises(ConnectorError) as err:
        create_source(spec)
    assert str(err.value) == (
        "Querying a table in batch mode is currently only possible for INSERT-only table sources. "
        "But the source for table 'default_catalog.default_database.t' produces other changelog "
        "messages than just INSERT."
    )
    # A reader holding a streaming-mode source still cannot take its rows as inserts.
    _, spec = _changelog_spec(case_dir)
    with pytest.raises(ConnectorError, match="only possible for INSERT-only table sources"):
        list(create_source(spec).batches())


@pytest.mark.parametrize(
    "options",
    [
        {
            "format": "debezium-json",
            "debezium-json.schema-include": "false",
            "debezium-json.ignore-parse-errors": "false",
            "debezium-json.timestamp-format.standard": "ISO-8601",
            "debezium-json.map-null-key.mode": "DROP",
            "debezium-json.map-null-key.literal": "x",
            "debezium-json.encode.decimal-as-plain-number": "true",
            "debezium-json.encode.ignore-null-fields": "true",
        },
        {
            "format": "canal-json",
            "canal-json.ignore-parse-errors": "true",
            "canal-json.timestamp-format.standard": "SQL",
            "canal-json.database.include": "a|b",
            "canal-json.table.include": "t.*",
            "canal-json.map-null-key.mode": "LITERAL",
            "canal-json.map-null-key.literal": "x",
            "canal-json.encode.decimal-as-plain-number": "false",
            "canal-json.encode.ignore-null-fields": "false",
        },
    ],
    ids=["debezium-json", "canal-json"],
)
def test_every_flink_format_option_is_accepted(options: dict[str, str], tmp_path: Path) -> None:
    spec = make_spec(
        [("a", "INT")],
        {"connector": "filesystem", "path": str(tmp_path), **options},
        mode="streaming",
    )
    assert list(create_source(spec).stream()) == []


def test_bad_format_option_value_names_the_key(tmp_path: Path) -> None:
    spec = make_spec(
        [("a", "INT")],
        {"connector": "filesystem", "path": str(tmp_path), "format": "debezium-json",
         "debezium-json.timestamp-format.standard": "XYZ"},
        mode="streaming",
    )  # fmt: skip
    with pytest.raises(ConnectorError, match=r"debezium-json\.timestamp-format\.standard"):
        create_source(spec)


# ---------------------------------------------------------------- continuous file monitoring


def _write_atomically(path: Path, text: str) -> None:
    """Write under a hidden name and rename, so a listing never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    hidden = path.with_name("." + path.name + ".inprogress")
    hidden.write_text(text)
    os.replace(hidden, path)


@dataclass
class ManualClock:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


def _next_rows(stream: Iterator[Any], polls: int = 5) -> list[str]:
    """The rows of the next non-None item, or [] if the stream has nothing within `polls` steps."""
    for _ in range(polls):
        item = next(stream)
        if item is not None:
            return row_lines(item, None)
    return []


def test_monitoring_reads_new_files_once_at_each_interval(tmp_path: Path) -> None:
    _write_atomically(tmp_path / "a.csv", "1,x\n2,y\n")
    spec = make_spec(
        [("id", "INT"), ("s", "STRING")],
        {"connector": "filesystem", "path": str(tmp_path), "format": "csv",
         "source.monitor-interval": "2 s"},
        mode="streaming",
    )  # fmt: skip
    source = create_source(spec)
    assert not source.bounded
    clock = ManualClock()
    source.clock = clock
    stream = source.stream()
    assert _next_rows(stream) == ["+I[1, x]", "+I[2, y]"]
    assert _next_rows(stream) == []  # nothing new: None, without blocking
    _write_atomically(tmp_path / "b.csv", "3,z\n")
    (tmp_path / "_SUCCESS").write_text("")
    (tmp_path / ".hidden.csv").write_text("9,h\n")
    clock.now += 1.9
    assert _next_rows(stream) == []  # the next listing is not due yet
    clock.now += 0.1
    assert _next_rows(stream) == ["+I[3, z]"]  # a.csv is not read again, hidden files never
    clock.now += 2
    assert _next_rows(stream) == []


def test_monitoring_reads_new_partition_directories(tmp_path: Path) -> None:
    _write_atomically(tmp_path / "p=a" / "f1", "1\n")
    spec = make_spec(
        [("id", "INT"), ("p", "STRING")],
        {"connector": "filesystem", "path": str(tmp_path), "format": "csv",
         "source.monitor-interval": "1 min"},
        partition_keys=["p"], mode="streaming",
    )  # fmt: skip
    source = create_source(spec)
    clock = ManualClock()
    source.clock = clock
    stream = source.stream()
    assert _next_rows(stream) == ["+I[1, a]"]
    _write_atomically(tmp_path / "p=b" / "f1", "2\n")
    _write_atomically(tmp_path / "p=a" / "f2", "3\n")
    clock.now += 60
    assert _next_rows(stream) + _next_rows(stream) == ["+I[3, a]", "+I[2, b]"]


def test_monitoring_changelog_files(tmp_path: Path) -> None:
    spec = make_spec(
        [("id", "INT")],
        {"connector": "filesystem", "path": str(tmp_path), "format": "debezium-json",
         "source.monitor-interval": "1 s"},
        mode="streaming",
    )  # fmt: skip
    source = create_source(spec)
    clock = ManualClock()
    source.clock = clock
    stream = source.stream()
    assert next(stream) is None  # an empty directory
    _write_atomically(tmp_path / "f", '{"before":{"id":1},"after":{"id":2},"op":"u"}\n')
    clock.now += 1
    item = next(stream)
    assert row_lines(*item) == ["-U[1]", "+U[2]"]


@pytest.mark.parametrize("mode", ["batch", "streaming"])
def test_boundedness_follows_the_monitor_interval(mode: str, tmp_path: Path) -> None:
    """Flink plans a monitored table as unbounded in both modes (batch refuses it as unbounded)."""
    _write_atomically(tmp_path / "a.csv", "1\n")
    options = {"connector": "filesystem", "path": str(tmp_path), "format": "csv"}
    bounded = create_source(make_spec([("id", "INT")], options, mode=mode))
    assert bounded.bounded
    if mode == "streaming":
        assert [row_lines(b, None) for b in bounded.stream()] == [["+I[1]"]]  # then it ends
    monitored = create_source(
        make_spec([("id", "INT")], {**options, "source.monitor-interval": "100 ms"}, mode=mode)
    )
    assert not monitored.bounded


def test_bad_monitor_interval(tmp_path: Path) -> None:
    spec = make_spec(
        [("id", "INT")],
        {"connector": "filesystem", "path": str(tmp_path), "format": "csv",
         "source.monitor-interval": "soon"},
        mode="streaming",
    )  # fmt: skip
    with pytest.raises(
        ConnectorError,
        match=re.escape("Could not parse value 'soon' for key 'source.monitor-interval'."),
    ):
        create_source(spec)


def _next_with_timeout(it: Iterator[Any], seconds: float = 20) -> Any:
    """`next(it)` on a daemon thread, so a stream that never delivers fails instead of hanging."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = next(it)
        except BaseException as e:  # re-raised in the test's thread
            box["error"] = e

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"no row within {seconds} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def test_streaming_query_sees_a_file_added_after_it_started(tmp_path: Path) -> None:
    """End to end through the streaming runtime, with real time and a short interval."""
    from engine import EnvironmentSettings, RowKind, TableEnvironment

    _write_atomically(tmp_path / "a.csv", "1,x\n")
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.execute_sql(
        f"CREATE TABLE t (id INT, s STRING) WITH ('connector' = 'filesystem', "
        f"'path' = '{tmp_path}', 'format' = 'csv', 'source.monitor-interval' = '50 ms')"
    )
    rows = t_env.execute_sql("SELECT id, UPPER(s) FROM t").collect()
    first = _next_with_timeout(rows)
    assert (first.get_row_kind(), tuple(first)) == (RowKind.INSERT, (1, "X"))
    _write_atomically(tmp_path / "b.csv", "2,y\n")
    second = _next_with_timeout(rows)
    assert (second.get_row_kind(), tuple(second)) == (RowKind.INSERT, (2, "Y"))
    rows.close()


# ---------------------------------------------------------------- datagen pacing


@dataclass
class FakeClock:
    now: int = 0
    slept: list[float] = field(default_factory=list)

    def now_ms(self) -> int:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += round(seconds * 1000)


def _datagen(options: dict[str, str], clock: FakeClock, columns=(("a", "INT"),)):  # type: ignore[no-untyped-def]
    spec = make_spec(list(columns), {"connector": "datagen", **options}, mode="streaming")
    return build_source(spec, clock=clock)


def test_datagen_stream_keeps_the_rate_without_sleeping() -> None:
    clock = FakeClock()
    source = _datagen({"number-of-rows": "250", "rows-per-second": "100"}, clock)
    assert source.bounded
    stream = source.stream()
    delivered = 0
    timeline = []
    for step in range(400):  # 4 s of 10 ms runtime steps
        clock.now = step * 10
        try:
            item = next(stream)
        except StopIteration:
            break
        if item is not None:
            delivered += item.num_rows
            timeline.append((clock.now, delivered))
        # Row i is due at i / 100 s: never ahead of time, never behind by a step.
        assert delivered == min(clock.now * 100 // 1000 + 1, 250)
    else:
        pytest.fail("the stream did not end after number-of-rows")
    assert delivered == 250 and clock.slept == []
    assert timeline[0] == (0, 1)  # the first row is immediate
    assert timeline[-1] == (2490, 250)


def test_datagen_stream_is_unbounded_without_number_of_rows() -> None:
    clock = FakeClock()
    source = _datagen({"fields.a.kind": "random"}, clock, columns=(("a", "INT"), ("s", "STRING")))
    assert not source.bounded
    stream = source.stream()
    batches = []
    for step in range(200):  # 2 s at Flink's default 10000 rows per second
        clock.now = step * 10
        item = next(stream)
        if item is not None:
            assert item.schema == source.spec.schema
            batches.append(item)
    assert sum(b.num_rows for b in batches) == 1990 * 10 + 1
    assert clock.slept == []


def test_datagen_stream_batches_are_capped_and_sequences_continue() -> None:
    clock = FakeClock()
    source = _datagen(
        {"rows-per-second": "1000000", "fields.a.kind": "sequence", "fields.a.start": "1",
         "fields.a.end": "20000"},
        clock,
    )  # fmt: skip
    source.batch_rows = 5000
    stream = source.stream()
    values = next(stream).column(0).to_pylist()  # the start: one row is due
    clock.now = 1000  # far behind: the other 19999 rows are due at once
    for item in stream:
        assert item is not None and item.num_rows <= 5000
        values += item.column(0).to_pylist()
    assert values == list(range(1, 20001))  # the sequence ends the stream


def test_datagen_stream_paces_by_wall_clock() -> None:
    source = build_source(
        make_spec([("a", "INT")], {"connector": "datagen", "rows-per-second": "200"},
                  mode="streaming")
    )  # fmt: skip
    stream = source.stream()
    # The source's start lies between t0 and t1 (it reads its clock on the first step).
    t0 = time.monotonic()
    first = next(stream)
    t1 = time.monotonic()
    assert first is not None and first.num_rows == 1
    delivered = 1
    while time.monotonic() - t1 < 0.3:
        before = time.monotonic()
        item = next(stream)
        after = time.monotonic()
        assert after - before < 0.5  # a step does not wait for rows to become due
        if item is None:
            time.sleep(0.01)
            continue
        delivered += item.num_rows
        # Everything due before the call has been delivered, nothing due after it
        # (one row of slack for the clock's millisecond rounding).
        assert int((before - t1) * 200) <= delivered <= int((after - t0) * 200) + 2
    assert delivered >= 40
