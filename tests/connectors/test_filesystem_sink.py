"""Filesystem writes: round trips through each format, commit on close, overwrite, partitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from all_types import batch
from connector_specs import flink_rows, make_spec

from connectors.api import ConnectorError
from connectors.registry import create_sink, create_source

COLUMNS = [
    ("a", "INT"), ("b", "STRING"), ("c", "DOUBLE"), ("d", "DECIMAL(10, 2)"), ("e", "TIMESTAMP(3)"),
    ("g", "TIMESTAMP_LTZ(3)"), ("h", "DATE"), ("i", "TIME(3)"), ("j", "BOOLEAN"), ("k", "BYTES"),
    ("l", "ARRAY<INT>"), ("bi", "BIGINT"),
]  # fmt: skip
ROWS = [
    {"a": 1, "b": 'x,"y"', "c": 1.5, "d": Decimal("1.50"), "e": dt.datetime(2020, 1, 1, 12, 0, 0, 5000),
     "g": dt.datetime(2020, 1, 1, tzinfo=dt.UTC), "h": dt.date(2020, 2, 29), "i": dt.time(1, 2, 3, 4000),
     "j": True, "k": b"\x00\x01", "l": [1, 2], "bi": -(2**63)},
    {"a": -7, "b": "ü\ttab", "c": -1e-9, "d": Decimal("-0.01"), "e": dt.datetime(1969, 12, 31, 23, 59, 59),
     "g": dt.datetime(2038, 1, 19, 3, 14, 8, tzinfo=dt.UTC), "h": dt.date(1900, 1, 1), "i": dt.time(23, 59, 59),
     "j": False, "k": b"", "l": [3], "bi": 2**63 - 1},
]  # fmt: skip
NULL_ROW = {name: None for name, _ in COLUMNS}


def _write(spec, batches, *, overwrite=False, static=None) -> None:
    sink = create_sink(spec)
    sink.open(overwrite=overwrite, static_partitions=static)
    for b in batches:
        sink.write(b)
    sink.close()


def _read(spec) -> list[str]:
    return sorted(flink_rows(list(create_source(spec).batches())))


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_round_trip(tmp_path: Path, fmt: str) -> None:
    rows = ROWS if fmt == "csv" else [*ROWS, NULL_ROW]  # Flink's CSV cannot read back empty numbers
    spec = make_spec(COLUMNS, {"connector": "filesystem", "path": str(tmp_path), "format": fmt})
    _write(spec, [batch(COLUMNS, rows)])
    assert _read(spec) == sorted(flink_rows([batch(COLUMNS, rows)]))


def test_parquet_duckdb_scan_equals_batches(tmp_path: Path) -> None:
    columns = [("a", "INT"), ("b", "STRING"), ("p", "INT")]
    spec = make_spec(
        columns,
        {"connector": "filesystem", "path": str(tmp_path), "format": "parquet"},
        partition_keys=["p"],
    )
    rows = [{"a": 1, "b": "x", "p": 1}, {"a": 2, "b": None, "p": None}, {"a": 3, "b": "z", "p": 1}]
    _write(spec, [batch(columns, rows)])
    source = create_source(spec)
    rel = source.duckdb_scan(duckdb.connect(), ["p", "a"])
    assert rel is not None
    got = rel.to_arrow_table()
    expected = pa.Table.from_batches(list(source.batches(["p", "a"])))
    assert sorted(got.to_pylist(), key=str) == sorted(expected.to_pylist(), key=str)


def test_files_hidden_until_close_and_abort_discards(tmp_path: Path) -> None:
    spec = make_spec(
        [("a", "INT")], {"connector": "filesystem", "path": str(tmp_path), "format": "csv"}
    )
    sink = create_sink(spec)
    sink.open()
    sink.write(batch([("a", "INT")], [{"a": 1}]))
    assert _read(spec) == []  # staged under a hidden directory
    sink.abort()
    assert _read(spec) == [] and list(tmp_path.iterdir()) == []


def test_overwrite_replaces_unpartitioned_table(tmp_path: Path) -> None:
    cols = [("a", "INT")]
    spec = make_spec(cols, {"connector": "filesystem", "path": str(tmp_path), "format": "csv"})
    _write(spec, [batch(cols, [{"a": 1}])])
    _write(spec, [batch(cols, [{"a": 2}])])
    assert _read(spec) == ["+I[1]", "+I[2]"]
    _write(spec, [batch(cols, [{"a": 3}])], overwrite=True)
    assert _read(spec) == ["+I[3]"]


def test_overwrite_replaces_only_written_partitions(tmp_path: Path) -> None:
    cols = [("a", "INT"), ("p", "STRING")]
    spec = make_spec(
        cols,
        {"connector": "filesystem", "path": str(tmp_path), "format": "json"},
        partition_keys=["p"],
    )
    _write(spec, [batch(cols, [{"a": 1, "p": "x"}, {"a": 2, "p": "y"}, {"a": 3, "p": None}])])
    assert (tmp_path / "p=__DEFAULT_PARTITION__").is_dir()
    _write(spec, [batch(cols, [{"a": 4, "p": "x"}])], overwrite=True)
    assert _read(spec) == ["+I[2, y]", "+I[3, null]", "+I[4, x]"]
    _write(spec, [batch(cols, [{"a": 5, "p": "y"}])], overwrite=True, static={"p": "y"})
    assert _read(spec) == ["+I[3, null]", "+I[4, x]", "+I[5, y]"]


def test_static_partition_and_escaping(tmp_path: Path) -> None:
    cols = [("a", "INT"), ("p", "STRING"), ("q", "DATE")]
    spec = make_spec(
        cols,
        {"connector": "filesystem", "path": str(tmp_path), "format": "csv"},
        partition_keys=["p", "q"],
    )
    rows = [{"a": 1, "p": "a/b=c", "q": dt.date(2020, 1, 2)}]
    _write(spec, [batch(cols, rows)], static={"p": "a/b=c"})
    assert (tmp_path / "p=a%2Fb%3Dc" / "q=2020-01-02").is_dir()
    assert _read(spec) == ["+I[1, a/b=c, 2020-01-02]"]
    with pytest.raises(ConnectorError, match="not partition keys"):
        create_sink(spec).open(static_partitions={"a": "1"})


def test_updates_are_rejected(tmp_path: Path) -> None:
    spec = make_spec(
        [("a", "INT")], {"connector": "filesystem", "path": str(tmp_path), "format": "csv"}
    )
    sink = create_sink(spec)
    assert sink.accepts == "append"
    sink.open()
    with pytest.raises(ConnectorError, match="only accepts inserts"):
        sink.write(batch([("a", "INT")], [{"a": 1}]), pa.array([3], pa.int8()))
    sink.abort()
