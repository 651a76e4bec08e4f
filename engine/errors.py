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


@contextmanager
def raise_flink_error() -> Iterator[None]:
    try:
        yield
    except SqlError as e:
        raise specific(e) from None
