"""Exceptions a Python program sees, named as PyFlink's (`ValidationException`, `TableException` ...)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from engine.session import SqlError


class TableException(SqlError):
    pass


class ValidationException(SqlError):
    pass


class SqlParserException(SqlError):
    pass


_BY_KIND = {
    "org.apache.flink.table.api.TableException": TableException,
    "org.apache.flink.table.api.ValidationException": ValidationException,
    "org.apache.flink.table.api.SqlParserException": SqlParserException,
}


def specific(e: SqlError) -> SqlError:
    """The PyFlink exception a program sees: the Table API's class wrapping the root cause."""
    cls = _BY_KIND.get(e.kind)
    if cls is None:
        if e.kind.startswith(
            ("org.apache.calcite.sql.validate.", "org.apache.flink.table.catalog.")
        ):
            cls = ValidationException
        elif e.kind.startswith("org.apache.flink.sql.parser."):
            cls = SqlParserException
        else:
            cls = TableException
    if type(e) is cls:
        return e
    return cls(e.message, e.kind, e.line, e.col, e.hint, e.length)


def as_flink_error(e: BaseException) -> SqlError | None:
    """The PyFlink exception for an engine failure, or None when `e` is not one of ours."""
    from engine.batch_runner import BatchError
    from planner.binder.context import ValidationError

    if isinstance(e, SqlError):
        return specific(e)
    if isinstance(e, ValidationError):
        return specific(SqlError(e.message, e.java_class, e.line, e.col, e.hint, e.length))
    if isinstance(e, BatchError):
        return specific(SqlError(e.message, e.kind))
    return None


@contextmanager
def raise_flink_error() -> Iterator[None]:
    try:
        yield
    except Exception as e:
        mapped = as_flink_error(e)
        if mapped is None:
            raise
        raise mapped from None
