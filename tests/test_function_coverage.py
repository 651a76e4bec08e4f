"""Every built-in function the foundation promises has Flink-checked cases in both places:
an expression fixture (tests/fixtures/functions/*.txt) and a batch query over a table
(tests/fixtures/scripts/**/*.sql). This test fails when a promised function loses its cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

# name -> regular expression that finds a use of it in SQL text
PROMISED: dict[str, str] = {
    **{
        name: rf"\b{name}\s*\("
        for name in (
            "MOD ROUND ABS POWER LN LOG CEIL FLOOR CONCAT CONCAT_WS SUBSTRING SUBSTR TRIM LTRIM RTRIM "
            "UPPER LOWER INITCAP REPLACE REGEXP REGEXP_EXTRACT REGEXP_REPLACE SPLIT_INDEX CHAR_LENGTH "
            "POSITION LOCATE LPAD RPAD REPEAT REVERSE DATE_FORMAT TO_TIMESTAMP TO_TIMESTAMP_LTZ TO_DATE "
            "FROM_UNIXTIME UNIX_TIMESTAMP EXTRACT YEAR QUARTER MONTH WEEK DAYOFYEAR DAYOFMONTH DAYOFWEEK "
            "HOUR MINUTE SECOND TIMESTAMPADD TIMESTAMPDIFF NOW COALESCE NULLIF IF IFNULL CAST TRY_CAST "
            "JSON_VALUE JSON_QUERY JSON_EXISTS MD5 SHA1 SHA256 UUID CARDINALITY COUNT SUM AVG MIN MAX "
            "STDDEV_POP STDDEV_SAMP VAR_POP VAR_SAMP LISTAGG FIRST_VALUE LAST_VALUE COLLECT GROUPING "
            "ROW_NUMBER RANK DENSE_RANK LAG LEAD"
        ).split()
    },
    "integer division": r"\d\s*/\s*\d|\w\s*/\s*\w",
    "%": r"\S\s*%\s*\S",
    "||": r"\|\|",
    "LIKE": r"\bLIKE\b",
    "SIMILAR TO": r"\bSIMILAR TO\b",
    "FLOOR TO": r"\bFLOOR\s*\([^)]*\bTO\b",
    "CEIL TO": r"\bCEIL\s*\([^)]*\bTO\b",
    "CURRENT_DATE": r"\bCURRENT_DATE\b",
    "CURRENT_TIMESTAMP": r"\bCURRENT_TIMESTAMP\b",
    "LOCALTIMESTAMP": r"\bLOCALTIMESTAMP\b",
    "interval arithmetic": r"[+-]\s*INTERVAL\b",
    "CASE": r"\bCASE\b",
    "IS DISTINCT FROM": r"\bIS (NOT )?DISTINCT FROM\b",
    "ARRAY constructor": r"\bARRAY\s*\[",
    "MAP constructor": r"\bMAP\s*\[",
    "element access": r"\w\]?\s*\[\s*\S+\s*\]|\)\s*\[",
    "COUNT DISTINCT": r"\bCOUNT\s*\(\s*DISTINCT\b",
    "FILTER": r"\bFILTER\s*\(\s*WHERE\b",
    "GROUPING SETS": r"\bGROUPING SETS\b",
    "ROLLUP": r"\bROLLUP\b",
    "CUBE": r"\bCUBE\b",
    "AND/OR/NOT": r"\b(AND|OR|NOT)\b",
    "comparison": r"(<>|<=|>=|\s[<>=]\s)",
}


def _text(pattern: str) -> str:
    return "\n".join(p.read_text() for p in sorted(FIXTURES.glob(pattern)))


EXPRESSIONS = "\n".join(
    line for line in _text("functions/*.txt").splitlines() if not line.startswith("#")
)
SCRIPTS = _text("scripts/**/*.sql")


# Clauses, not expressions: they are covered by table queries only.
CLAUSES = {"GROUPING SETS", "ROLLUP", "CUBE"}


@pytest.mark.parametrize("name", sorted(set(PROMISED) - CLAUSES))
def test_function_has_expression_cases(name: str) -> None:
    assert re.search(PROMISED[name], EXPRESSIONS, re.IGNORECASE), (
        f"no expression fixture uses {name}"
    )


@pytest.mark.parametrize("name", sorted(PROMISED))
def test_function_has_table_query_cases(name: str) -> None:
    assert re.search(PROMISED[name], SCRIPTS, re.IGNORECASE), f"no script query uses {name}"
