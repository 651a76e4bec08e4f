"""The print connector's text against golden output captured from real Flink 2.3."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from all_types import PRINT_COLUMNS, PRINT_ROWS, batch
from connector_specs import make_spec

from connectors.api import ConnectorError
from connectors.registry import create_sink

GOLDEN = Path(__file__).parent / "fixtures" / "golden"


def _print(capsys: pytest.CaptureFixture[str], columns, rows, options=None, row_kinds=None) -> str:
    spec = make_spec(columns, {"connector": "print", **(options or {})})
    sink = create_sink(spec)
    sink.open()
    sink.write(batch(columns, rows), row_kinds)
    sink.close()
    return capsys.readouterr()


def test_every_type_matches_flink(capsys: pytest.CaptureFixture[str]) -> None:
    out = _print(capsys, PRINT_COLUMNS, PRINT_ROWS)
    assert out.out == (GOLDEN / "print_all_types.txt").read_text()


def test_map_iteration_follows_java_hash_map(capsys: pytest.CaptureFixture[str]) -> None:
    keys = ["zz", "Aa", "BB", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10"]
    rows = [
        {
            "m": [(3, "c"), (1, "a"), (20, "t"), (17, "x")],
            "n": [(k, i + 1) for i, k in enumerate(keys)],
        }
    ]
    out = _print(capsys, [("m", "MAP<INT, STRING>"), ("n", "MAP<STRING, INT>")], rows)
    assert out.out == (GOLDEN / "print_maps.txt").read_text()


def test_row_kinds_and_identifier(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"a": 1, "b": 1}, {"a": 1, "b": 1}, {"a": 1, "b": 2}, {"a": 2, "b": 1}]
    kinds = pa.array([0, 1, 2, 0], pa.int8())
    out = _print(capsys, [("a", "INT"), ("b", "BIGINT")], rows, row_kinds=kinds)
    assert out.out == (GOLDEN / "print_changelog.txt").read_text()
    out = _print(
        capsys, [("a", "INT")], [{"a": 1}], {"print-identifier": "X"}, pa.array([3], pa.int8())
    )
    assert out.out == "X> -D[1]\n"


def test_standard_error(capsys: pytest.CaptureFixture[str]) -> None:
    out = _print(capsys, [("a", "INT")], [{"a": 1}], {"standard-error": "true"})
    assert (out.out, out.err) == ("", "+I[1]\n")


def test_print_accepts_everything_but_cannot_be_read() -> None:
    spec = make_spec([("a", "INT")], {"connector": "print"})
    assert create_sink(spec).accepts == "all"
    from connectors.registry import create_source

    with pytest.raises(ConnectorError, match="Connector 'print' can only be used as a sink"):
        create_source(spec)
