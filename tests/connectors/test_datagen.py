"""datagen: Flink's ranges, lengths, sequences, null rates, boundedness and throttling."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from connector_specs import make_spec

from connectors.datagen.source import build_source
from connectors.registry import create_source


def _table(columns, options, mode="batch") -> pa.Table:
    spec = make_spec(columns, {"connector": "datagen", **options}, mode=mode)
    return pa.Table.from_batches(list(create_source(spec).batches()))


def test_ranges_and_row_count() -> None:
    t = _table(
        [("i", "INT"), ("t", "TINYINT"), ("d", "DOUBLE"), ("m", "DECIMAL(5, 2)")],
        {"number-of-rows": "20000", "fields.i.min": "-3", "fields.i.max": "3", "fields.d.min": "0.5",
         "fields.d.max": "0.75", "fields.m.min": "-2", "fields.m.max": "2"},
    )  # fmt: skip
    assert t.num_rows == 20000
    assert set(t["i"].to_pylist()) == set(range(-3, 4))  # both bounds reachable
    assert pc.min(t["t"]).as_py() >= -128 and pc.max(t["t"]).as_py() <= 127
    assert pc.min(t["d"]).as_py() >= 0.5 and pc.max(t["d"]).as_py() <= 0.75
    assert pc.min(t["m"]).as_py() >= -2 and pc.max(t["m"]).as_py() <= 2
    assert t.schema.field("m").type == pa.decimal128(5, 2)


def test_string_lengths() -> None:
    t = _table(
        [("s", "STRING"), ("v", "VARCHAR(7)"), ("c", "CHAR(4)"), ("r", "STRING"), ("b", "BYTES")],
        {"number-of-rows": "500", "fields.r.length": "10", "fields.r.var-len": "true"},
    )
    assert set(pc.utf8_length(t["s"]).to_pylist()) == {100}  # Flink's default length
    assert set(pc.utf8_length(t["v"]).to_pylist()) == {7}
    assert set(pc.utf8_length(t["c"]).to_pylist()) == {4}
    assert set(pc.utf8_length(t["r"]).to_pylist()) <= set(range(1, 10))  # nextInt(1, 10)
    assert set(pc.binary_length(t["b"]).to_pylist()) == {100}
    assert all(re.fullmatch("[0-9a-f]+", s) for s in t["s"].to_pylist())


def test_sequence_ends_generation_but_not_boundedness() -> None:
    cols = [("id", "BIGINT"), ("s", "STRING")]
    opts = {"fields.id.kind": "sequence", "fields.id.start": "5", "fields.id.end": "7",
            "fields.s.kind": "sequence", "fields.s.start": "1", "fields.s.end": "100"}  # fmt: skip
    # Flink 2.3 plans a sequence-only datagen table as unbounded (batch mode refuses it) ...
    spec = make_spec(cols, {"connector": "datagen", **opts}, mode="streaming")
    source = create_source(spec)
    assert not source.bounded
    # ... while the generation itself stops when the shortest sequence is exhausted.
    assert pa.Table.from_batches(list(source.batches())).to_pylist() == [
        {"id": 5, "s": "1"}, {"id": 6, "s": "2"}, {"id": 7, "s": "3"}
    ]  # fmt: skip
    t = _table(cols, {**opts, "number-of-rows": "10"})
    assert t.num_rows == 3


def test_null_rate_and_projection() -> None:
    spec = make_spec(
        [("a", "INT"), ("b", "STRING")],
        {"connector": "datagen", "number-of-rows": "10000", "fields.a.null-rate": "0.3"},
    )
    batches = list(create_source(spec).batches(["a"]))
    assert all(b.schema.names == ["a"] for b in batches)
    nulls = sum(b.column(0).null_count for b in batches)
    assert 2500 < nulls < 3500


def test_timestamps_within_max_past() -> None:
    clock = FakeClock(now=1_700_000_000_000)
    spec = make_spec(
        [("ts", "TIMESTAMP(3)"), ("d", "DATE")],
        {"connector": "datagen", "number-of-rows": "1000", "fields.ts.max-past": "5 s"},
    )
    t = pa.Table.from_batches(list(build_source(spec, clock=clock).batches()))
    ms = np.array(t["ts"].cast(pa.timestamp("ms")).cast(pa.int64()).to_pylist())
    assert ms.max() <= clock.now and ms.min() > clock.now - 5000


@dataclass
class FakeClock:
    now: int = 0
    slept: list[float] = field(default_factory=list)

    def now_ms(self) -> int:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += round(seconds * 1000)


def test_streaming_throttles_batch_does_not() -> None:
    cols = [("a", "INT")]
    opts = {"connector": "datagen", "number-of-rows": "250", "rows-per-second": "100"}
    clock = FakeClock()
    batches = list(build_source(make_spec(cols, opts, mode="streaming"), clock=clock).batches())
    assert [b.num_rows for b in batches] == [100, 100, 50]
    assert clock.slept == pytest.approx([1.0, 1.0, 0.5])
    clock = FakeClock()
    batches = list(build_source(make_spec(cols, opts), clock=clock).batches())
    assert sum(b.num_rows for b in batches) == 250 and clock.slept == []
