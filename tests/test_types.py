"""Flink type text: parse_type reads back everything summary(), sql() and serialized() write, and
the spellings Flink itself prints (DESCRIBE, the tableau header, connector metadata)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from planner import types as T
from planner.arrow_types import FLINK_TYPE_KEY, from_arrow, from_arrow_field, to_arrow_field
from planner.types import FlinkType, TypeParseError, parse_type

# (type, summary text, serialized text): one of every kind of type Flink has.
EVERY_TYPE: list[tuple[FlinkType, str, str]] = [
    (T.tinyint(), "TINYINT", "TINYINT"),
    (T.smallint(False), "SMALLINT NOT NULL", "SMALLINT NOT NULL"),
    (T.int_(), "INT", "INT"),
    (T.bigint(), "BIGINT", "BIGINT"),
    (T.float_(), "FLOAT", "FLOAT"),
    (T.double(), "DOUBLE", "DOUBLE"),
    (T.boolean(), "BOOLEAN", "BOOLEAN"),
    (T.decimal(10, 2), "DECIMAL(10, 2)", "DECIMAL(10, 2)"),
    (T.decimal(38, 0, False), "DECIMAL(38, 0) NOT NULL", "DECIMAL(38, 0) NOT NULL"),
    (T.char(3), "CHAR(3)", "CHAR(3)"),
    (T.char(0, False), "CHAR(0) NOT NULL", "CHAR(0) NOT NULL"),
    (T.varchar(5), "VARCHAR(5)", "VARCHAR(5)"),
    (T.string(), "STRING", "VARCHAR(2147483647)"),
    (T.binary(4), "BINARY(4)", "BINARY(4)"),
    (T.binary(0, False), "BINARY(0) NOT NULL", "BINARY(0) NOT NULL"),
    (FlinkType("VARBINARY", True, 7), "VARBINARY(7)", "VARBINARY(7)"),
    (T.bytes_(), "BYTES", "VARBINARY(2147483647)"),
    (T.date(), "DATE", "DATE"),
    (T.time(), "TIME(0)", "TIME(0)"),
    (T.time(3), "TIME(3)", "TIME(3)"),
    (T.timestamp(), "TIMESTAMP(6)", "TIMESTAMP(6)"),
    (T.timestamp(9, False), "TIMESTAMP(9) NOT NULL", "TIMESTAMP(9) NOT NULL"),
    (T.timestamp_ltz(3), "TIMESTAMP_LTZ(3)", "TIMESTAMP(3) WITH LOCAL TIME ZONE"),
    (T.interval_ym(), "INTERVAL MONTH", "INTERVAL MONTH"),
    (
        T.interval_dt(False),
        "INTERVAL SECOND(3) NOT NULL",
        "INTERVAL SECOND(3) NOT NULL",
    ),
    (T.array(T.int_(False)), "ARRAY<INT NOT NULL>", "ARRAY<INT NOT NULL>"),
    (T.multiset(T.string()), "MULTISET<STRING>", "MULTISET<VARCHAR(2147483647)>"),
    (
        T.map_(T.string(False), T.array(T.timestamp_ltz(3))),
        "MAP<STRING NOT NULL, ARRAY<TIMESTAMP_LTZ(3)>>",
        "MAP<VARCHAR(2147483647) NOT NULL, ARRAY<TIMESTAMP(3) WITH LOCAL TIME ZONE>>",
    ),
    (
        T.row([("a", T.int_(False)), ("EXPR$1", T.bytes_()), ("we`ird", T.char(1))], False),
        "ROW<`a` INT NOT NULL, `EXPR$1` BYTES, `we``ird` CHAR(1)> NOT NULL",
        "ROW<`a` INT NOT NULL, `EXPR$1` VARBINARY(2147483647), `we``ird` CHAR(1)> NOT NULL",
    ),
    (T.NULL, "NULL", "NULL"),
    (
        T.raw("java.util.BitSet", "AEJ'x=="),
        "RAW('java.util.BitSet', '...')",
        "RAW('java.util.BitSet', 'AEJ''x==')",
    ),
    (
        T.array(T.raw("a.B", "snap", False)),
        "ARRAY<RAW('a.B', '...') NOT NULL>",
        "ARRAY<RAW('a.B', 'snap') NOT NULL>",
    ),
    (T.timestamp(3).with_time_attr("ROWTIME"), "TIMESTAMP(3) *ROWTIME*", "TIMESTAMP(3)"),
    (
        T.timestamp_ltz(3, False).with_time_attr("PROCTIME"),
        "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*",
        "TIMESTAMP(3) WITH LOCAL TIME ZONE NOT NULL",
    ),
]


@pytest.mark.parametrize(
    ("t", "summary", "serialized"), EVERY_TYPE, ids=[s for _, s, _ in EVERY_TYPE]
)
# Interval summaries are the forms Flink prints for interval expressions (checked with eval.py).
def test_text_round_trips(t: FlinkType, summary: str, serialized: str) -> None:
    assert t.summary() == summary
    assert t.serialized() == serialized
    without_attr = t.without_time_attr()
    assert parse_type(t.sql()) == without_attr
    assert parse_type(serialized) == without_attr
    if t.raw_snapshot is None and not any(c.raw_snapshot for c in t.children):
        assert parse_type(summary) == t  # a RAW summary hides the snapshot: it cannot come back


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INTEGER", T.int_()),
        ("DOUBLE PRECISION NOT NULL", T.double(False)),
        ("DEC", T.decimal(10, 0)),
        ("NUMERIC(5)", T.decimal(5, 0)),
        ("CHAR", T.char(1)),
        ("VARCHAR", T.varchar(1)),
        ("BINARY", T.binary(1)),
        ("TIMESTAMP", T.timestamp(6)),
        ("TIMESTAMP(3) WITHOUT TIME ZONE", T.timestamp(3)),
        ("TIMESTAMP_LTZ(0)", T.timestamp_ltz(0)),
        ("TIME WITHOUT TIME ZONE", T.time(0)),
        ("INTERVAL MONTH NOT NULL", T.interval_ym(False)),
        ("INTERVAL SECOND(3)", T.interval_dt()),
        ("INTERVAL DAY(2) TO HOUR", T.interval_dt()),
        ("ROW(a INT, b STRING)", T.row([("a", T.int_()), ("b", T.string())])),
        ("ROW<a INT 'the id', b STRING 'it''s'>", T.row([("a", T.int_()), ("b", T.string())])),
        ("ROW<EXPR$0 INT>", T.row([("EXPR$0", T.int_())])),
        ("RAW('java.lang.Object')", T.raw("java.lang.Object")),
        ("raw('x.Y', 'snap') NOT NULL", T.raw("x.Y", "snap", False)),
    ],
)
def test_parses_flink_spellings(text: str, expected: FlinkType) -> None:
    assert parse_type(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("INT ???", "Unexpected character in type 'INT ???'"),
        ("FOO", "Unknown type 'FOO' in 'FOO'"),
        ("ARRAY<INT", "Unexpected end of type 'ARRAY<INT'"),
        ("RAW(Object)", "Expected a quoted string but found 'Object'"),
        ("TIMESTAMP(3) *EVENTTIME*", "Unknown time attribute *EVENTTIME*"),
        ("INT INT", "Unexpected 'INT' in type 'INT INT'"),
    ],
)
def test_bad_type_text_says_what_and_where(text: str, message: str) -> None:
    with pytest.raises(TypeParseError) as err:
        parse_type(text)
    assert message in str(err.value)


@pytest.mark.parametrize(
    "t",
    [t for t, _, _ in EVERY_TYPE if "RAW" not in t.summary()],
    ids=lambda t: t.summary(),
)
def test_arrow_field_keeps_the_flink_type(t: FlinkType) -> None:
    assert from_arrow_field(to_arrow_field("c", t)) == t.without_time_attr()


def test_arrow_field_without_metadata_is_derived_from_arrow() -> None:
    field = pa.field("c", pa.timestamp("ms"), nullable=False)
    assert from_arrow_field(field) == T.timestamp(3, False)
    assert FLINK_TYPE_KEY not in (field.metadata or {})


@pytest.mark.parametrize(
    ("arrow", "expected"),
    [
        (pa.list_(pa.int32(), 2), T.array(T.int_())),
        (pa.binary_view(), T.bytes_()),
        (pa.string_view(), T.string()),
        (pa.time32("ms"), T.time(0)),
    ],
)
def test_from_arrow(arrow: pa.DataType, expected: FlinkType) -> None:
    assert from_arrow(arrow) == expected
