"""Built-in functions against Flink's own answers.

Each line of tests/fixtures/functions/*.txt is what Flink printed for one expression
(`/work/flinkref/eval.py` output, batch mode): `EXPR ==> VALUE :: TYPE` or `EXPR ==> ERROR: ...`.
The expression is evaluated here as `SELECT EXPR` in batch mode; the value must render to the same
tableau text and the result type must print the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import EnvironmentSettings, TableEnvironment
from engine.session import SqlError
from sql_client.value_format import format_value

FIXTURES = Path(__file__).parent / "fixtures" / "functions"


def _cases() -> list[tuple[str, str, str | None, str]]:
    cases = []
    for path in sorted(FIXTURES.glob("*.txt")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            expr, sep, rest = line.partition(" ==> ")
            assert sep, f"{path.name}:{number}: missing ' ==> '"
            if rest.startswith("ERROR"):
                cases.append((expr, "ERROR", None, f"{path.name}:{number}"))
                continue
            value, sep, type_text = rest.rpartition(" :: ")
            assert sep, f"{path.name}:{number}: missing ' :: '"
            cases.append((expr, value, type_text, f"{path.name}:{number}"))
    return cases


@pytest.fixture(scope="module")
def t_env() -> TableEnvironment:
    env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    env.get_config().set("table.local-time-zone", "UTC")
    return env


@pytest.mark.parametrize(
    ("expr", "value", "type_text", "where"), _cases(), ids=lambda x: str(x)[:60]
)
def test_function(
    t_env: TableEnvironment, expr: str, value: str, type_text: str | None, where: str
) -> None:
    if value == "ERROR":
        with pytest.raises(SqlError):
            list(t_env.execute_sql(f"SELECT {expr}").collect())
        return
    result = t_env.execute_sql(f"SELECT {expr}")
    rows = list(result.collect())
    actual_type = result.get_resolved_schema().get_column_data_types()[0]
    assert actual_type.summary() == type_text, f"{where}: type of {expr}"
    assert len(rows) == 1
    assert format_value(rows[0][0], type_text) == value, f"{where}: value of {expr}"
