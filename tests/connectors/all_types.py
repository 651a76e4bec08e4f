"""The rows behind the golden files in fixtures/golden, produced by real Flink 2.3 from the same
VALUES (see each golden's comment in the tests); built here as Arrow batches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa

from planner.arrow_types import to_arrow_schema
from planner.types import parse_type

UTC = dt.UTC

PRINT_COLUMNS = [
    ("a", "INT"), ("b", "STRING"), ("c", "DOUBLE"), ("d", "DECIMAL(10, 2)"), ("e", "TIMESTAMP(3)"),
    ("f", "TIMESTAMP(6)"), ("g", "TIMESTAMP_LTZ(3)"), ("h", "DATE"), ("i", "TIME"), ("j", "BOOLEAN"),
    ("k", "BYTES"), ("l", "ARRAY<INT>"), ("m", "MAP<STRING, INT>"), ("r", "ROW<x INT, y STRING>"),
    ("fl", "FLOAT"), ("bi", "BIGINT"), ("dd", "DECIMAL(20, 10)"), ("ti", "TIME(3)"),
]  # fmt: skip

PRINT_ROWS = [
    {
        "a": 1, "b": "a b", "c": 1.0, "d": Decimal("1.50"), "e": dt.datetime(2020, 1, 1, 12),
        "f": dt.datetime(2020, 1, 1, 12, 0, 0, 123456),
        "g": dt.datetime(2020, 1, 1, 12, 0, 0, 123000, tzinfo=UTC), "h": dt.date(2020, 1, 1),
        "i": dt.time(12, 34, 56), "j": True, "k": b"\x01\xff", "l": [1, 2],
        "m": [("b", 2), ("a", 1), ("hello", 3)], "r": {"x": 1, "y": "z"}, "fl": 1.1,
        "bi": 10000000000, "dd": Decimal("0.0000001000"), "ti": dt.time(12, 34, 56, 789000),
    },
    {
        "a": None, "b": None, "c": 1e10, "d": None, "e": dt.datetime(2020, 1, 1, 12, 0, 1, 100000),
        "f": None, "g": None, "h": None, "i": None, "j": None, "k": None, "l": None, "m": None,
        "r": None, "fl": None, "bi": None, "dd": None, "ti": None,
    },
]  # fmt: skip

WRITE_COLUMNS = [
    ("a", "INT"), ("b", "STRING"), ("c", "DOUBLE"), ("d", "DECIMAL(10, 2)"), ("e", "TIMESTAMP(3)"),
    ("f", "TIMESTAMP(6)"), ("g", "TIMESTAMP_LTZ(3)"), ("h", "DATE"), ("i", "TIME"), ("j", "BOOLEAN"),
    ("k", "BYTES"), ("l", "ARRAY<INT>"), ("fl", "FLOAT"), ("dd", "DECIMAL(20, 10)"), ("ti", "TIME(3)"),
    ("c2", "DOUBLE"),
]  # fmt: skip

_WRITE_ROW_1 = {
    "a": 1, "b": 'a,b "q"', "c": 1.0, "d": Decimal("1.50"), "e": dt.datetime(2020, 1, 1, 12),
    "f": dt.datetime(2020, 1, 1, 12, 0, 0, 123456),
    "g": dt.datetime(2020, 1, 1, 12, 0, 0, 120000, tzinfo=UTC), "h": dt.date(2020, 1, 1),
    "i": dt.time(12, 34), "j": True, "k": b"\x01\xff", "l": [1, 2], "fl": 1.1,
    "dd": Decimal("0.0000001000"), "ti": dt.time(12, 34, 56, 780000), "c2": 1e-5,
}  # fmt: skip
_WRITE_ROW_2 = {
    "a": None, "b": "", "c": 1e10, "d": None, "e": dt.datetime(2020, 1, 1, 12, 0, 1, 100000),
    "f": None, "g": None, "h": None, "i": None, "j": None, "k": None, "l": None, "fl": None,
    "dd": None, "ti": None, "c2": 0.001,
}  # fmt: skip
_WRITE_ROW_3 = {
    "a": 3, "b": " x", "c": 0.5, "d": Decimal("-0.50"), "e": dt.datetime(2020, 1, 1),
    "f": dt.datetime(2020, 1, 1, 0, 0, 0, 1), "g": dt.datetime(1970, 1, 1, tzinfo=UTC),
    "h": dt.date(2020, 12, 31), "i": dt.time(0, 0), "j": False, "k": b"", "l": [None, 3],
    "fl": 1e20, "dd": Decimal("123.5000000000"), "ti": dt.time(0, 0, 0, 1000), "c2": 12345678.9,
}  # fmt: skip
CSV_ROWS = [_WRITE_ROW_1, _WRITE_ROW_2, _WRITE_ROW_3]

JSON_COLUMNS = [*WRITE_COLUMNS, ("m", "MAP<STRING, INT>"), ("r", "ROW<x INT, y STRING>")]
JSON_ROWS = [
    {**_WRITE_ROW_1, "b": 'a,b "q"\nnl', "m": [("b", 2), ("a", 1)], "r": {"x": 1, "y": "z"}},
    {**_WRITE_ROW_2, "m": None, "r": None},
]


def batch(columns: list[tuple[str, str]], rows: list[dict]) -> pa.RecordBatch:
    schema = to_arrow_schema([(name, parse_type(text)) for name, text in columns])
    return pa.RecordBatch.from_pylist(rows, schema=schema)
