"""Option validation messages, in the shape real Flink 2.3 prints them."""

from __future__ import annotations

import pytest
from connector_specs import make_spec

from connectors.api import ConnectorError
from connectors.registry import create_sink, create_source, get_factory

WATERMARK_KEYS = """property-version
scan.watermark.alignment.group
scan.watermark.alignment.max-drift
scan.watermark.alignment.update-interval
scan.watermark.emit.strategy
scan.watermark.idle-timeout"""

CASES = [
    (  # Flink 2.3: CREATE TABLE dg (a INT) WITH ('connector' = 'datagen', 'foo' = 'bar')
        "source",
        [("a", "INT")],
        {"connector": "datagen", "foo": "bar"},
        "Unsupported options found for 'datagen'.\n\nUnsupported options:\n\nfoo\n\nSupported options:\n\n"
        "connector\nfields.a.kind\nfields.a.max\nfields.a.min\nfields.a.null-rate\nnumber-of-rows\n"
        "rows-per-second\nscan.parallelism",
    ),
    (
        "sink",
        [("a", "INT")],
        {"connector": "print", "bogus": "1"},
        "Unsupported options found for 'print'.\n\nUnsupported options:\n\nbogus\n\nSupported options:\n\n"
        f"connector\nprint-identifier\n{WATERMARK_KEYS}\nsink.parallelism\nstandard-error",
    ),
    (
        "sink",
        [("a", "INT")],
        {"connector": "blackhole", "bogus": "1"},
        "Unsupported options found for 'blackhole'.\n\nUnsupported options:\n\nbogus\n\nSupported options:\n\n"
        f"connector\n{WATERMARK_KEYS}",
    ),
    (
        "source",
        [("a", "INT")],
        {"connector": "filesystem", "path": "/tmp"},
        "One or more required options are missing.\n\nMissing required options are:\n\nformat",
    ),
    (
        "source",
        [("a", "INT"), ("b", "STRING")],
        {"connector": "datagen", "fields.a.kind": "sequence"},
        "Could not find required property 'fields.a.start' for sequence generator.",
    ),
    (
        "source",
        [("a", "INT")],
        {"connector": "datagen"},
        "Querying an unbounded table 'default_catalog.default_database.t' in batch mode is not "
        "allowed. The table source is unbounded.",
    ),
    (
        "source",
        [("a", "INT")],
        {"connector": "print"},
        "Connector 'print' can only be used as a sink. It cannot be used as a source",
    ),
]


@pytest.mark.parametrize(("role", "columns", "options", "message"), CASES)
def test_message(role: str, columns, options, message: str) -> None:
    spec = make_spec(columns, options)
    with pytest.raises(ConnectorError) as err:
        (create_source if role == "source" else create_sink)(spec)
    assert str(err.value).startswith(message)


def test_filesystem_unsupported_lists_all_keys() -> None:
    spec = make_spec(
        [("a", "INT")],
        {
            "connector": "filesystem",
            "path": "/tmp",
            "format": "csv",
            "bogus": "1",
            "csv.field-delimiter": ";",
        },
    )
    with pytest.raises(ConnectorError) as err:
        create_source(spec)
    text = str(err.value)
    assert text.startswith(
        "Unsupported options found for 'filesystem'.\n\nUnsupported options:\n\nbogus\n"
    )
    for key in (
        "csv.field-delimiter",
        "path",
        "format",
        "partition.default-name",
        "sink.rolling-policy.file-size",
    ):
        assert f"\n{key}\n" in text


def test_unknown_format_option_is_reported_by_the_format() -> None:
    spec = make_spec(
        [("a", "INT")],
        {"connector": "filesystem", "path": "/tmp", "format": "csv", "csv.bogus": "1"},
    )
    with pytest.raises(ConnectorError, match="Unsupported options found for 'csv'"):
        create_source(spec)


def test_unknown_and_missing_connector_list_known_ones() -> None:
    with pytest.raises(ConnectorError) as err:
        get_factory({"connector": "nope"}, "t")
    assert "Could not find any factory for identifier 'nope'" in str(err.value)
    assert str(err.value).endswith("blackhole\ndatagen\nfilesystem\nprint")
    with pytest.raises(ConnectorError, match="'connector'"):
        get_factory({}, "t")


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"rows-per-second": "abc"}, "Could not parse value 'abc' for key 'rows-per-second'."),
        ({"fields.a.kind": "zigzag"}, "Unsupported generator kind: zigzag"),
        ({"fields.a.null-rate": "x"}, "Could not parse value 'x' for key 'fields.a.null-rate'."),
    ],
)
def test_bad_values(options, fragment: str) -> None:
    spec = make_spec([("a", "INT")], {"connector": "datagen", "number-of-rows": "1", **options})
    with pytest.raises(ConnectorError) as err:
        create_source(spec)
    assert fragment in str(err.value)


def test_format_value_errors() -> None:
    spec = make_spec(
        [("a", "INT")],
        {
            "connector": "filesystem",
            "path": "/tmp",
            "format": "json",
            "json.timestamp-format.standard": "RFC",
        },
    )
    with pytest.raises(ConnectorError, match=r"json\.timestamp-format\.standard"):
        create_source(spec)
