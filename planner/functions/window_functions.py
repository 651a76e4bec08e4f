"""Window functions (valid only with OVER): ranking, distribution, NTILE and LAG/LEAD.

They are registered with kind='window'; `planner/binder/windows.py` binds them inside OVER (...) and
the batch lowering appends the window specification to the text lowered here. Aggregates used with
OVER live in `aggregates.py`. Result types are Flink's: the ranks are BIGINT NOT NULL, the
distributions DOUBLE NOT NULL, and LAG/LEAD take the common type of the value and its default.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Lit
from planner.functions.casts import lower_cast
from planner.functions.coercion import CoercionError, common_type
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, to_duckdb


def _no_args(name: str, result: FlinkType):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 0)
        return result

    return infer


_RANK_NEEDS_ORDER = (
    "RANK or DENSE_RANK functions require ORDER BY clause in window specification",
    "org.apache.calcite.sql.validate.SqlValidatorException",
)
_ROW_NUMBER_NEEDS_ORDER = (
    "Over Agg: The window rank function requires order by clause with non-constant fields. "
    "please re-check the over window statement.",
    "org.apache.flink.table.api.ValidationException",
)
"""extra["requires_order"]: (message, Flink's exception class) for a window without ORDER BY."""


def _ranking(
    name: str, duck: str, result: FlinkType, node: type[exp.Expr], **extra: object
) -> FunctionDef:
    return FunctionDef(
        name,
        _no_args(name, result),
        lambda sql, args, rt: f"CAST({duck} AS {to_duckdb(rt)})",
        kind="window",
        nodes=(node,),
        extra=extra,
    )


register(
    _ranking(
        "ROW_NUMBER",
        "row_number()",
        T.bigint(False),
        exp.RowNumber,
        requires_order=_ROW_NUMBER_NEEDS_ORDER,
    ),
    _ranking("RANK", "rank()", T.bigint(False), exp.Rank, requires_order=_RANK_NEEDS_ORDER),
    _ranking(
        "DENSE_RANK",
        "dense_rank()",
        T.bigint(False),
        exp.DenseRank,
        requires_order=_RANK_NEEDS_ORDER,
    ),
    _ranking("PERCENT_RANK", "percent_rank()", T.double(False), exp.PercentRank),
    _ranking("CUME_DIST", "cume_dist()", T.double(False), exp.CumeDist),
)


def _ntile_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "NTILE", 1)
    n = args[0]
    if not n.type.is_integer:
        raise FunctionError(
            f"Cannot apply 'NTILE' to arguments of type 'NTILE(<{n.type.sql()}>)'. "
            "Supported form(s): 'NTILE(<INTEGER>)'"
        )
    if isinstance(n, Lit) and isinstance(n.value, int) and n.value <= 0:
        raise FunctionError("Argument to function 'NTILE' must be a positive integer literal")
    return T.bigint(False)


register(
    FunctionDef(
        "NTILE",
        _ntile_infer,
        lambda sql, args, rt: f"CAST(ntile({sql[0]}) AS BIGINT)",
        kind="window",
        nodes=(exp.Ntile,),
    )
)


def _offset_infer(name: str):
    """The value's type; NOT NULL only when a NOT NULL default covers the missing rows."""

    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1, 2, 3)
        value = args[0].type.without_time_attr()
        if len(args) > 1 and not args[1].type.is_integer:
            raise FunctionError(
                f"Cannot apply '{name}' to arguments of type '{name}(<{value.sql()}>, "
                f"<{args[1].type.sql()}>)'. Supported form(s): '{name}(<ANY>, <INTEGER>)'"
            )
        if len(args) < 3:
            return value.with_nullable(True)
        try:
            common_type([value, args[2].type])
        except CoercionError:
            raise FunctionError(
                f"Cannot apply '{name}' to arguments of type '{name}(<{value.sql()}>, "
                f"<{args[1].type.sql()}>, <{args[2].type.sql()}>)'. "
                f"Supported form(s): '{name}(<ANY>, <INTEGER>, <SAME TYPE AS ARG0>)'"
            ) from None
        return value.with_nullable(value.nullable or args[2].type.nullable)

    return infer


def _offset_lower(fn: str):
    """Flink returns the default (cast to the value's type) past the partition's edge and for a
    NULL value alike."""

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        call = f"{fn}({', '.join([sql[0], *sql[1:2]])})"
        if len(sql) > 2:
            default = lower_cast(sql[2], args[2].type, rt.with_nullable(True), False)
            return f"coalesce({call}, {default})"
        return call

    return lower


register(
    FunctionDef(
        "LAG",
        _offset_infer("LAG"),
        _offset_lower("lag"),
        kind="window",
        nodes=(exp.Lag,),
    ),
    FunctionDef(
        "LEAD",
        _offset_infer("LEAD"),
        _offset_lower("lead"),
        kind="window",
        nodes=(exp.Lead,),
    ),
)
