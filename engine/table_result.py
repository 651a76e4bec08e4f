"""TableResult, ResultKind and the resolved schema, as PyFlink's `pyflink.table` exposes them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, TextIO

from engine.row import Row
from planner.types import FlinkType

if TYPE_CHECKING:
    from engine.jobs import JobClient


class ResultKind(Enum):
    SUCCESS = 0
    SUCCESS_WITH_CONTENT = 1


@dataclass(frozen=True)
class Column:
    name: str
    data_type: FlinkType

    def get_name(self) -> str:
        return self.name

    def get_data_type(self) -> FlinkType:
        return self.data_type

    def __str__(self) -> str:
        return f"`{self.name}` {self.data_type.summary()}"


@dataclass(frozen=True)
class ResolvedSchema:
    columns: tuple[Column, ...]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, FlinkType]]) -> ResolvedSchema:
        return cls(tuple(Column(n, t) for n, t in pairs))

    def get_column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def get_column_data_types(self) -> list[FlinkType]:
        return [c.data_type for c in self.columns]

    def get_column_count(self) -> int:
        return len(self.columns)

    def get_field_names(self) -> list[str]:
        return self.get_column_names()

    def get_field_data_types(self) -> list[FlinkType]:
        return self.get_column_data_types()

    def __str__(self) -> str:
        inner = ",\n".join(f"  {c}" for c in self.columns)
        return f"(\n{inner}\n)"


OK_SCHEMA = ResolvedSchema.of([("result", FlinkType("VARCHAR", True, 2147483647))])


class CloseableIterator:
    """What `collect()` returns: an iterator of Rows that can be closed early (and is a context manager)."""

    def __init__(self, rows: Iterator[Row], on_close: Callable[[], None] | None = None) -> None:
        self._rows = rows
        self._on_close = on_close
        self._closed = False

    def __iter__(self) -> CloseableIterator:
        return self

    def __next__(self) -> Row:
        if self._closed:
            raise StopIteration
        try:
            return next(self._rows)
        except StopIteration:
            raise
        except Exception as e:  # a failure while the job runs: PyFlink's exception classes
            from engine.errors import as_flink_error

            mapped = as_flink_error(e)
            if mapped is None:
                raise
            raise mapped from None

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if self._on_close is not None:
                self._on_close()

    def __enter__(self) -> CloseableIterator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class TableResult:
    """The result of one executed statement: a kind, a schema, rows, and for INSERTs a job."""

    def __init__(
        self,
        kind: ResultKind,
        schema: ResolvedSchema,
        rows: Callable[[], Iterator[Row]],
        *,
        streaming: bool = False,
        job_client: JobClient | None = None,
        message: str | None = None,
    ) -> None:
        self._kind = kind
        self._schema = schema
        self._rows = rows
        self._streaming = streaming
        self._job_client = job_client
        self.message = message

    def get_result_kind(self) -> ResultKind:
        return self._kind

    def get_resolved_schema(self) -> ResolvedSchema:
        return self._schema

    def get_table_schema(self) -> ResolvedSchema:
        return self._schema

    def get_job_client(self) -> JobClient | None:
        return self._job_client

    @property
    def is_streaming(self) -> bool:
        return self._streaming

    def wait(self, timeout_ms: int | None = None) -> None:
        if self._job_client is not None:
            self._job_client.wait(None if timeout_ms is None else timeout_ms / 1000)

    def collect(self) -> CloseableIterator:
        return CloseableIterator(self._rows())

    def print(self, out: TextIO | None = None) -> None:
        """Print as Flink's tableau: `op` column and 'Received a total of' in streaming mode."""
        from sql_client.tableau import render_table_result

        stream = out or sys.stdout
        columns = [(c.name, c.data_type.summary()) for c in self._schema.columns]
        rows = (
            (r.get_row_kind().short_string() if self._streaming else None, tuple(r))
            for r in self._rows()
        )
        render_table_result(columns, rows, streaming=self._streaming, out=stream)


def ok_result() -> TableResult:
    return TableResult(ResultKind.SUCCESS, OK_SCHEMA, lambda: iter([Row.of(("OK",), ("result",))]))


def rows_result(
    names: list[str], types: list[FlinkType], rows: list[tuple], streaming: bool = False
) -> TableResult:
    schema = ResolvedSchema.of(zip(names, types, strict=True))
    field_names = tuple(names)
    return TableResult(
        ResultKind.SUCCESS_WITH_CONTENT,
        schema,
        lambda: iter([Row.of(r, field_names) for r in rows]),
        streaming=streaming,
    )
