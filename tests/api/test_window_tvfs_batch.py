"""Window TVFs (TUMBLE, HOP, CUMULATE, with offsets) in batch mode, against Flink's answers.

Every expected row below was printed by PyFlink 2.3 in batch mode (table.local-time-zone UTC) for
the same table and query.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine import EnvironmentSettings, TableEnvironment
from engine.errors import TableException


def ts(second: int, minute: int = 0) -> dt.datetime:
    if second < 0:
        return dt.datetime(2024, 1, 1) + dt.timedelta(minutes=minute, seconds=second)
    return dt.datetime(2024, 1, 1, 0, minute, second)


@pytest.fixture
def t_env(tmp_path: Path) -> TableEnvironment:
    (tmp_path / "in.csv").write_text(
        "2024-01-01 00:00:01,1\n2024-01-01 00:00:07,2\n2024-01-01 00:00:12,3\n"
    )
    env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    env.get_config().set("table.local-time-zone", "UTC")
    env.execute_sql(
        "CREATE TABLE t (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) "
        f"WITH ('connector' = 'filesystem', 'path' = '{tmp_path / 'in.csv'}', 'format' = 'csv')"
    )
    return env


def rows(env: TableEnvironment, sql: str) -> list[tuple]:
    return sorted((tuple(r) for r in env.execute_sql(sql).collect()), key=str)


CASES = [
    (
        "SELECT window_start, window_end, window_time, SUM(v) FROM TABLE(TUMBLE(TABLE t, "
        "DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, window_time",
        [
            (ts(0), ts(10), dt.datetime(2024, 1, 1, 0, 0, 9, 999000), 3),
            (ts(10), ts(20), dt.datetime(2024, 1, 1, 0, 0, 19, 999000), 3),
        ],
    ),
    (
        "SELECT window_start, window_end, SUM(v) FROM TABLE(HOP(TABLE t, DESCRIPTOR(ts), "
        "INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end",
        [(ts(-5), ts(5), 1), (ts(0), ts(10), 3), (ts(10), ts(20), 3), (ts(5), ts(15), 5)],
    ),
    (
        "SELECT window_start, window_end, SUM(v) FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), "
        "INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end",
        [(ts(0), ts(10), 3), (ts(0), ts(5), 1), (ts(10), ts(15), 3), (ts(10), ts(20), 3)],
    ),
    (
        "SELECT window_start, window_end, SUM(v) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), "
        "INTERVAL '10' SECOND, INTERVAL '3' SECOND)) GROUP BY window_start, window_end",
        [(ts(-7), ts(3), 1), (ts(3), ts(13), 5)],
    ),
    (
        "SELECT ts, v, window_start, window_end FROM TABLE(HOP(TABLE t, DESCRIPTOR(ts), "
        "INTERVAL '4' SECOND, INTERVAL '12' SECOND, INTERVAL '1' SECOND))",
        [
            (ts(1), 1, ts(-7), ts(5)),
            (ts(1), 1, ts(-3), ts(9)),
            (ts(1), 1, ts(1), ts(13)),
            (ts(12), 3, ts(1), ts(13)),
            (ts(12), 3, ts(5), ts(17)),
            (ts(12), 3, ts(9), ts(21)),
            (ts(7), 2, ts(-3), ts(9)),
            (ts(7), 2, ts(1), ts(13)),
            (ts(7), 2, ts(5), ts(17)),
        ],
    ),
]


@pytest.mark.parametrize(
    ("sql", "expected"), CASES, ids=["tumble", "hop", "cumulate", "tumble_offset", "hop_rows"]
)
def test_window_tvf_matches_flink(t_env: TableEnvironment, sql: str, expected: list) -> None:
    assert rows(t_env, sql) == sorted(expected, key=str)


def test_hop_size_must_be_a_multiple_of_the_slide(t_env: TableEnvironment) -> None:
    with pytest.raises(TableException, match="integral multiple of slide"):
        t_env.execute_sql(
            "SELECT window_start FROM TABLE(HOP(TABLE t, DESCRIPTOR(ts), INTERVAL '3' SECOND, "
            "INTERVAL '10' SECOND))"
        )


def test_window_columns_are_typed_as_flink_types_them(t_env: TableEnvironment) -> None:
    schema = t_env.sql_query(
        "SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' SECOND))"
    ).get_schema()
    names = schema.get_field_names()
    assert names == ["ts", "v", "window_start", "window_end", "window_time"]
    types = [t.summary() for t in schema.get_field_data_types()]
    assert types[2:4] == ["TIMESTAMP(3) NOT NULL", "TIMESTAMP(3) NOT NULL"]
