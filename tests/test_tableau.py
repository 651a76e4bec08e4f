"""Golden tests: our tableau rendering must equal what Apache Flink 2.3 printed.

Each fixture in tests/fixtures/tableau/ was produced by the real Flink (generator:
/work/flinkref/gen_tableau_fixtures.py): the query, its column names and Flink type strings, the
rows exactly as PyFlink returned them (tagged JSON, with row kinds in streaming mode), then what
Flink's SQL client printed (`==== client`) and what `TableResult.print()` printed
(`==== table_result`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
from pathlib import Path

import pytest

from planner.types import TypeParseError
from sql_client.tableau import display_width, render_table_result, render_tableau
from sql_client.value_format import format_value

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "tableau").glob("*.txt"))


def untag(value: object) -> object:
    """Rebuild the Python value PyFlink returned from its tagged-JSON form."""
    if isinstance(value, list):
        return [untag(v) for v in value]
    if not isinstance(value, dict):
        return value
    ((tag, payload),) = value.items()
    builders = {
        "$float": float,
        "$decimal": decimal.Decimal,
        "$bytes": bytes.fromhex,
        "$datetime": dt.datetime.fromisoformat,
        "$date": dt.date.fromisoformat,
        "$time": dt.time.fromisoformat,
        "$timedelta": lambda p: dt.timedelta(days=p[0], seconds=p[1], microseconds=p[2]),
        "$map": lambda p: {untag(k): untag(v) for k, v in p},
        "$row": lambda p: tuple(untag(v) for v in p),
    }
    return builders[tag](payload)


def load(path: Path) -> dict[str, object]:
    header, _, rest = path.read_text(encoding="utf-8").partition("==== client\n")
    client, _, table_result = rest.partition("==== table_result\n")
    meta: dict[str, object] = {"rows": [], "client": client, "table_result": table_result}
    for line in header.splitlines():
        key, _, value = line.removeprefix("-- ").partition(": ")
        if key == "row":
            kind, values = json.loads(value)
            meta["rows"].append((kind, [untag(v) for v in values]))  # type: ignore[union-attr]
        elif key == "columns":
            meta["columns"] = [tuple(c) for c in json.loads(value)]
        else:
            meta[key] = value
    return meta


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_client_tableau_matches_flink(path: Path) -> None:
    case = load(path)
    out = io.StringIO()
    count = render_tableau(
        case["columns"], case["rows"], streaming=case["mode"] == "streaming", out=out
    )
    assert out.getvalue() == case["client"]
    assert count == len(case["rows"])


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_table_result_print_matches_flink(path: Path) -> None:
    case = load(path)
    out = io.StringIO()
    render_table_result(
        case["columns"], case["rows"], streaming=case["mode"] == "streaming", out=out
    )
    assert out.getvalue() == case["table_result"]


def test_streaming_writes_rows_as_they_arrive() -> None:
    out = io.StringIO()
    seen: list[str] = []

    def rows():
        yield ("+I", [1])
        seen.append(out.getvalue())  # the first row must already be written
        yield ("-D", [1])

    render_tableau([("x", "INT")], rows(), streaming=True, out=out)
    assert seen[0].endswith("| +I |           1 |\n")


def test_time_cost_suffix() -> None:
    out = io.StringIO()
    render_tableau([("x", "INT")], [(None, [1])], streaming=False, out=out, time_cost=1.234)
    assert out.getvalue().endswith("1 row in set (1.23 seconds)\n")


@pytest.mark.parametrize(
    ("text", "width"),
    [("abc", 3), ("中文", 4), ("emoji😀", 8), ("\uff46", 2), ("é", 1), ("", 0)],
)
def test_display_width_follows_flink(text: str, width: int) -> None:
    assert display_width(text) == width


@pytest.mark.parametrize(
    ("value", "flink_type", "text"),
    [
        (None, "INT", "<NULL>"),
        ([None, 1], "ARRAY<INT>", "[NULL, 1]"),
        (True, "BOOLEAN NOT NULL", "TRUE"),
        (0.1, "FLOAT", "0.1"),
        (1e-4, "DOUBLE", "1.0E-4"),
        (-0.0, "DOUBLE", "-0.0"),
        (decimal.Decimal("1.5"), "DECIMAL(10, 2)", "1.50"),
        ("ab  ", "CHAR(4)", "ab  "),  # CAST pads the value; display does not pad
        (b"a", "BINARY(3)", "x'610000'"),
        (dt.time(10, 11, 12), "TIME(3)", "10:11:12.0"),
        (dt.time(10, 11, 12, 120000), "TIME(3)", "10:11:12.12"),
        (dt.datetime(2020, 1, 1, 10, 11, 12), "TIMESTAMP(1)", "2020-01-01 10:11:12.0"),
        (b"\xff", "BINARY(2)", "x'ff00'"),
        ({None: 1}, "MAP<STRING, INT>", "{NULL=1}"),
        (16777216.0, "FLOAT", "1.6777216E7"),
        (123456.7, "FLOAT", "123456.7"),
        (1e21, "DOUBLE", "1.0E21"),
        (-18, "INTERVAL MONTH", "-1-06"),
        (
            dt.datetime(2020, 1, 1, 10, 0, 0, 500000),
            "TIMESTAMP(3) *ROWTIME*",
            "2020-01-01 10:00:00.500",
        ),
        (dt.datetime(2020, 1, 1), "TIMESTAMP(3) WITH LOCAL TIME ZONE", "2020-01-01 00:00:00.000"),
        (dt.timedelta(minutes=-5), "INTERVAL MINUTE", "-0 00:05:00.000"),
        (18, "INTERVAL YEAR TO MONTH", "+1-06"),
        ({"a": 1}, "MAP<STRING, INT>", "{a=1}"),
        (["a", "b", "a"], "MULTISET<STRING>", "{a=2, b=1}"),
        ((1, None), "ROW<`a` INT, `b` STRING>", "(1, NULL)"),
    ],
)
def test_format_value(value: object, flink_type: str, text: str) -> None:
    assert format_value(value, flink_type) == text


def test_bad_type_string_is_a_clear_error() -> None:
    with pytest.raises(TypeParseError, match=r"Unexpected character in type 'INT \?\?\?'"):
        format_value(1, "INT ???")
