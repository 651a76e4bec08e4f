"""PROCTIME(): the processing-time attribute.

Its type carries the *PROCTIME* mark (DESCRIBE shows it); evaluated, it is the wall-clock time as a
TIMESTAMP_LTZ(3). Streaming operators will read it from an injectable clock; batch reads DuckDB's.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner import types as T
from planner.expr import Expr
from planner.functions.registry import FunctionDef, arity, register
from planner.types import FlinkType


def _proctime_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "PROCTIME", 0)
    return T.timestamp_ltz(3, False).with_time_attr("PROCTIME")


register(
    FunctionDef(
        "PROCTIME",
        _proctime_infer,
        lambda s, a, rt: "CAST(date_trunc('millisecond', get_current_timestamp()) AS TIMESTAMPTZ)",
        deterministic=False,
    )
)
