"""Row and RowKind as PyFlink exposes them to Python programs."""

from __future__ import annotations

from enum import Enum
from typing import Any


class RowKind(Enum):
    INSERT = 0
    UPDATE_BEFORE = 1
    UPDATE_AFTER = 2
    DELETE = 3

    def short_string(self) -> str:
        return ("+I", "-U", "+U", "-D")[self.value]

    def __str__(self) -> str:
        return self.name


class Row(tuple):
    """An immutable row with optional field names and a row kind (PyFlink's `pyflink.common.Row`)."""

    _fields: tuple[str, ...] | None
    _row_kind: RowKind

    def __new__(cls, *args: Any, **kwargs: Any) -> Row:
        if args and kwargs:
            raise ValueError("Can not use both args and kwargs to create Row")
        if kwargs:
            row = super().__new__(cls, tuple(kwargs.values()))
            row._fields = tuple(kwargs)
        else:
            row = super().__new__(cls, args)
            row._fields = None
        row._row_kind = RowKind.INSERT
        return row

    @classmethod
    def of(
        cls, values: tuple | list, names: tuple[str, ...] | None, kind: RowKind = RowKind.INSERT
    ) -> Row:
        row = super().__new__(cls, tuple(values))
        row._fields = names
        row._row_kind = kind
        return row

    def get_row_kind(self) -> RowKind:
        return self._row_kind

    def set_row_kind(self, kind: RowKind) -> None:
        self._row_kind = kind

    def get_fields_by_names(self, names: list[str]) -> list[Any]:
        return [self[n] for n in names]

    def as_dict(self, recursive: bool = False) -> dict[str, Any]:
        if self._fields is None:
            raise TypeError("Cannot convert a Row class into dict")
        out = dict(zip(self._fields, self, strict=True))
        if recursive:
            out = {k: v.as_dict(True) if isinstance(v, Row) else v for k, v in out.items()}
        return out

    def __getitem__(self, item: Any) -> Any:  # type: ignore[override]
        if isinstance(item, int | slice):
            return super().__getitem__(item)
        if self._fields is None or item not in self._fields:
            raise KeyError(item)
        return super().__getitem__(self._fields.index(item))

    def __getattr__(self, item: str) -> Any:
        if item.startswith("_"):
            raise AttributeError(item)
        fields = object.__getattribute__(self, "_fields")
        if fields is None or item not in fields:
            raise AttributeError(item)
        return tuple.__getitem__(self, fields.index(item))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return tuple(self) == tuple(other) and self._row_kind == other._row_kind
        return tuple(self) == other

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        if self._fields is not None:
            inner = ", ".join(f"{k}={v!r}" for k, v in zip(self._fields, self, strict=True))
            return f"Row({inner})"
        return f"<Row({', '.join(repr(v) for v in self)})>"
