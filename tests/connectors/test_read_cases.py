"""Reading fixture directories (`fixtures/read/<case>/case.json` + data) through the registry.

Each case names the table's columns (Flink type text), options and partition keys, and either the
expected rows as Flink's print text or fragments the error message must contain.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from connector_specs import flink_rows, make_spec, millisecond_storage

from connectors.api import ConnectorError
from connectors.registry import create_source

CASES = sorted(p for p in (Path(__file__).parent / "fixtures" / "read").iterdir() if p.is_dir())


@pytest.mark.parametrize("millis", [False, True], ids=["us", "ms"])
@pytest.mark.parametrize("case_dir", CASES, ids=[p.name for p in CASES])
def test_read_case(case_dir: Path, millis: bool) -> None:
    """Each case also runs with TIME/TIMESTAMP(p <= 3) stored as milliseconds: readers fill
    whatever Arrow types the schema carries."""
    case = json.loads((case_dir / "case.json").read_text())
    options = {
        "connector": "filesystem",
        "path": str(case_dir / case.get("path", "data")),
        **case["options"],
    }
    spec = make_spec(case["columns"], options, partition_keys=case.get("partition_keys", ()))
    if millis:
        spec = millisecond_storage(spec)
    if "error" in case:
        with pytest.raises(ConnectorError) as err:
            list(create_source(spec).batches())
        for fragment in case["error"]:
            assert fragment in str(err.value)
    else:
        source = create_source(spec)
        assert source.bounded
        assert flink_rows(list(source.batches())) == case["expect"]


def test_projection_order_and_subset() -> None:
    case_dir = Path(__file__).parent / "fixtures" / "read" / "partitioned"
    spec = make_spec(
        [["a", "INT"], ["p", "STRING"], ["q", "INT"]],
        {"connector": "filesystem", "path": str(case_dir / "data"), "format": "csv"},
        partition_keys=["p", "q"],
    )
    batches = list(create_source(spec).batches(["q", "a"]))
    assert [b.schema.names for b in batches] == [["q", "a"]] * 3
    assert flink_rows(batches) == ["+I[2, 2]", "+I[3, 3]", "+I[1, 1]"]
