"""Plans Flink refuses in streaming mode are refused with Flink's exception class and message."""

from __future__ import annotations

import pytest

from engine.config import Configuration
from engine.session import Session, SqlError


@pytest.fixture
def session() -> Session:
    s = Session(Configuration({"execution.runtime-mode": "streaming"}))
    s.execute_sql(
        "CREATE TABLE t (k STRING, v INT) WITH "
        "('connector' = 'filesystem', 'path' = '/nonexistent', 'format' = 'csv')"
    )
    return s


@pytest.mark.parametrize("function", ["RANK", "DENSE_RANK"])
def test_rank_top_n_is_not_supported_in_streaming(session: Session, function: str) -> None:
    with pytest.raises(SqlError) as info:
        session.execute_sql(
            f"SELECT * FROM (SELECT k, v, {function}() OVER (PARTITION BY k ORDER BY v) AS r "
            "FROM t) WHERE r <= 2"
        )
    assert info.value.kind == "org.apache.flink.table.api.TableException"
    assert info.value.message == f"{function}() on streaming table is not supported currently"


def test_sort_without_time_attribute_or_limit_is_refused(session: Session) -> None:
    with pytest.raises(SqlError) as info:
        session.execute_sql("SELECT * FROM t ORDER BY v")
    assert info.value.kind == "org.apache.flink.table.api.TableException"
    assert info.value.message == "Sort on a non-time-attribute field is not supported."


def test_sort_with_limit_is_a_top_n(session: Session) -> None:
    session.execute_sql("SELECT * FROM t ORDER BY v DESC LIMIT 3")  # plans without error
