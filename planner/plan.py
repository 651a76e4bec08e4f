"""Logical plan nodes: immutable, typed, one dataclass per relational operator.

Each node's `schema` is its output row: names (for display and for the final result) and Flink types.
Expressions inside a node refer to its input row by position (`InputRef`). Nodes say nothing about
how they run; `lower_duckdb` turns them into one DuckDB query for batch mode, and the streaming
lowering turns them into incremental operators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from planner.expr import AggCall, Expr
from planner.types import FlinkType


@dataclass(frozen=True)
class Field:
    name: str
    type: FlinkType


Schema = tuple[Field, ...]


@dataclass(frozen=True)
class TableSource:
    """A catalog table as the plan sees it: its path, physical columns and connector options.

    `key` identifies the table to the executor (which provides its data); `columns` are the
    physical columns the connector delivers, in declared order.
    """

    key: str
    path: tuple[str, str, str]
    columns: Schema
    options: tuple[tuple[str, str], ...]
    partition_keys: tuple[str, ...] = ()
    primary_key: tuple[str, ...] | None = None
    # the watermark expression over the physical columns (None when the table declares none or
    # its watermark needs computed columns); streaming sources emit max(watermark) as they read
    watermark: Expr | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Scan:
    """Reads all rows of a table's physical columns. Stateless; append-only for append-only tables."""

    table: TableSource
    schema: Schema


@dataclass(frozen=True)
class Values:
    """Literal rows (VALUES, or a constant SELECT without FROM). Append-only, bounded."""

    rows: tuple[tuple[Expr, ...], ...]
    schema: Schema


@dataclass(frozen=True)
class Project:
    """One output column per expression. Stateless; preserves append-only."""

    input: PlanNode
    exprs: tuple[Expr, ...]
    schema: Schema


@dataclass(frozen=True)
class Filter:
    """Rows where `condition` is TRUE. Stateless; preserves append-only."""

    input: PlanNode
    condition: Expr

    @property
    def schema(self) -> Schema:
        return self.input.schema


@dataclass(frozen=True)
class Aggregate:
    """GROUP BY `keys` (input positions) computing `aggs`; output = keys then aggregates.

    With `grouping_sets` (each a tuple of positions into `keys`), rows are produced per set with the
    keys outside the set NULL, followed by a BIGINT grouping id column used by GROUPING().
    State: one accumulator per group. Output updates unless the input is append-only and windowed.
    """

    input: PlanNode
    keys: tuple[int, ...]
    aggs: tuple[AggCall, ...]
    schema: Schema
    grouping_sets: tuple[tuple[int, ...], ...] | None = None


JoinKind = Literal["INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI", "CROSS"]


@dataclass(frozen=True)
class Join:
    """Join on `condition` over the concatenated row (left columns then right columns).

    SEMI/ANTI output only the left columns. State: both inputs, keyed by the equi-join keys.
    """

    left: PlanNode
    right: PlanNode
    kind: JoinKind
    condition: Expr | None
    schema: Schema


@dataclass(frozen=True)
class Correlate:
    """For each input row, the rows of a table function or UNNEST of `call` (evaluated on that row).

    Output = input columns then the function's columns. LEFT keeps rows with no output (NULL padded).
    `with_ordinality` adds an INT position column (UNNEST ... WITH ORDINALITY).
    """

    input: PlanNode
    call: Expr
    kind: Literal["INNER", "LEFT"]
    schema: Schema
    function_columns: Schema = ()
    unnest: bool = True
    with_ordinality: bool = False


@dataclass(frozen=True)
class WindowTVF:
    """TUMBLE / HOP / CUMULATE: every input row once per window it falls in, with the window's
    `window_start`, `window_end` and `window_time` (= end - 1 ms) appended.

    `time_index` is the time column; sizes are milliseconds (`slide` for HOP, `step` for CUMULATE,
    both 0 for TUMBLE). Stateless and linear: a row's windows depend on that row alone, so it
    preserves append-only.
    """

    input: PlanNode
    kind: Literal["TUMBLE", "HOP", "CUMULATE"]
    time_index: int
    size_ms: int
    schema: Schema
    slide_ms: int = 0
    offset_ms: int = 0


@dataclass(frozen=True)
class SetOp:
    """UNION / INTERSECT / EXCEPT of inputs with positionally matching columns."""

    kind: Literal["UNION", "INTERSECT", "EXCEPT"]
    all: bool
    inputs: tuple[PlanNode, ...]
    schema: Schema


@dataclass(frozen=True)
class SortKey:
    expr: Expr
    descending: bool = False
    nulls_first: bool | None = None  # None: Flink's default (NULLS FIRST for ASC, LAST for DESC)


@dataclass(frozen=True)
class Sort:
    """ORDER BY with optional OFFSET/LIMIT (FETCH). Keys refer to the input row."""

    input: PlanNode
    keys: tuple[SortKey, ...]
    limit: int | None = None
    offset: int | None = None

    @property
    def schema(self) -> Schema:
        return self.input.schema


@dataclass(frozen=True)
class WindowFrame:
    """ROWS/RANGE frame; bounds are None for UNBOUNDED, 0 for CURRENT ROW, else a count or Lit."""

    mode: Literal["ROWS", "RANGE"]
    start: Expr | int | None
    end: Expr | int | None = 0
    start_preceding: bool = True
    end_preceding: bool = False


@dataclass(frozen=True)
class OverCall:
    call: AggCall
    partition: tuple[Expr, ...]
    order: tuple[SortKey, ...]
    frame: WindowFrame | None


@dataclass(frozen=True)
class Over:
    """Window functions (ROW_NUMBER, RANK, LAG, aggregates OVER ...); output = input then calls."""

    input: PlanNode
    calls: tuple[OverCall, ...]
    schema: Schema


@dataclass(frozen=True)
class Sink:
    """Writes its input into a catalog table (INSERT INTO/OVERWRITE)."""

    input: PlanNode
    table: TableSource
    overwrite: bool = False
    static_partitions: tuple[tuple[str, str], ...] = ()
    schema: Schema = field(default=())


PlanNode = (
    Scan
    | Values
    | Project
    | Filter
    | Aggregate
    | Join
    | Correlate
    | WindowTVF
    | SetOp
    | Sort
    | Over
    | Sink
)


def children(node: PlanNode) -> tuple[PlanNode, ...]:
    match node:
        case Scan() | Values():
            return ()
        case Join(left=left, right=right):
            return (left, right)
        case SetOp(inputs=inputs):
            return inputs
        case _:
            return (node.input,)
