"""`+` and `-` over dates, times and intervals: operators.py's rules, with Flink's result values.

operators.py types these operations right but lowers them to DuckDB's bare `a + b`, whose result
type differs where Flink keeps the operand's: DATE + INTERVAL '1' HOUR is a DuckDB TIMESTAMP but a
Flink DATE, moved by whole days only (DATE - INTERVAL '1' HOUR is the same date), and that difference
shows as soon as the value is compared or nested. This module re-registers exactly `+` and `-`, delegating typing and every numeric case to
operators.py unchanged, and casts temporal results back to the type Flink gives them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner.expr import Expr
from planner.functions import operators
from planner.functions.registry import FunctionDef, register
from planner.types import FlinkType, to_duckdb


def _temporal_lower(op: str):
    numeric = operators.arith_lower(op)

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        kinds = [a.type.name for a in args]
        if rt.name == "DATE" and "INTERVAL_DT" in kinds:
            # Flink moves a DATE by whole days only: the interval's milliseconds / 86400000, truncated
            date, interval = (sql[0], sql[1]) if kinds[0] == "DATE" else (sql[1], sql[0])
            days = f"CAST(trunc(epoch_ms({interval}) / 86400000) AS INTEGER)"
            return f"{date} {op} {days}"
        text = numeric(sql, args, rt)
        if rt.name in ("DATE", "TIME"):
            return f"CAST({text} AS {to_duckdb(rt)})"
        return text

    return lower


register(
    FunctionDef("+", operators.arith_infer("+"), _temporal_lower("+"), nodes=(exp.Add,)),
    FunctionDef("-", operators.arith_infer("-"), _temporal_lower("-"), nodes=(exp.Sub,)),
)
