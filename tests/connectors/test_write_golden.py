"""CSV and JSON files written by the filesystem sink against files real Flink 2.3 wrote."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from all_types import CSV_ROWS, JSON_COLUMNS, JSON_ROWS, WRITE_COLUMNS, batch
from connector_specs import make_spec, millisecond_storage

from connectors.registry import create_sink

GOLDEN = Path(__file__).parent / "fixtures" / "golden"


@pytest.mark.parametrize(
    ("fmt", "columns", "rows"),
    [("csv", WRITE_COLUMNS, CSV_ROWS), ("json", JSON_COLUMNS, JSON_ROWS)],
)
def test_file_text_matches_flink(tmp_path: Path, fmt: str, columns, rows) -> None:
    spec = make_spec(columns, {"connector": "filesystem", "path": str(tmp_path), "format": fmt})
    sink = create_sink(spec)
    sink.open()
    sink.write(batch(columns, rows))
    sink.close()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 1
    assert files[0].name.startswith("part-") and files[0].name.endswith("-task-0-file-0")
    assert files[0].read_text() == (GOLDEN / f"all_types.{fmt}").read_text()


@pytest.mark.parametrize(
    ("fmt", "columns", "rows"),
    [("csv", WRITE_COLUMNS, CSV_ROWS), ("json", JSON_COLUMNS, JSON_ROWS)],
)
def test_file_text_does_not_depend_on_time_units(tmp_path: Path, fmt: str, columns, rows) -> None:
    """Connectors write whatever Arrow types the schema carries; the Flink type decides the text."""
    spec = millisecond_storage(
        make_spec(columns, {"connector": "filesystem", "path": str(tmp_path), "format": fmt})
    )
    assert pa.types.is_time32(spec.schema.field("ti").type)
    sink = create_sink(spec)
    sink.open()
    sink.write(batch(columns, rows).cast(spec.schema))
    sink.close()
    (written,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written.read_text() == (GOLDEN / f"all_types.{fmt}").read_text()


def test_csv_quoting_follows_jackson(tmp_path: Path) -> None:
    columns = [("a", "STRING"), ("b", "STRING")]
    rows = [{"a": "a!b", "b": "x+y"}, {"a": "a|b", "b": "a#b"}, {"a": "-", "b": ""}]
    for options, expected in [
        ({}, '"a!b","x+y"\na|b,"a#b"\n-,\n'),
        ({"csv.field-delimiter": "|"}, '"a!b"|"x+y"\n"a|b"|"a#b"\n"-"|\n'),
    ]:
        path = tmp_path / str(len(options))
        spec = make_spec(
            columns, {"connector": "filesystem", "path": str(path), "format": "csv", **options}
        )
        sink = create_sink(spec)
        sink.open()
        sink.write(batch(columns, rows))
        sink.close()
        (written,) = [p for p in path.rglob("*") if p.is_file()]
        assert written.read_text() == expected


def test_decimals_are_written_stripped(tmp_path: Path) -> None:
    from decimal import Decimal

    columns = [("a", "DECIMAL(10, 2)"), ("b", "DECIMAL(10, 2)"), ("c", "DECIMAL(10, 0)")]
    rows = [
        {"a": Decimal("100.00"), "b": Decimal("0.00"), "c": Decimal("100")},
        {"a": Decimal("-10.10"), "b": Decimal("12.34"), "c": Decimal("0")},
    ]
    spec = make_spec(columns, {"connector": "filesystem", "path": str(tmp_path), "format": "csv"})
    sink = create_sink(spec)
    sink.open()
    sink.write(batch(columns, rows))
    sink.close()
    (written,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written.read_text() == "1E+2,0,1E+2\n-10.1,12.34,0\n"  # as Flink 2.3 writes them
