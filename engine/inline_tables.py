"""Arrow tables handed in by a Python program (`from_pandas`, `from_elements`), scanned like tables.

They are held here by id and named in a temporary catalog table's options, so the planner treats them
as ordinary tables and the batch runner reads them straight from memory.
"""

from __future__ import annotations

import itertools

import pyarrow as pa

INLINE_CONNECTOR = "python-inline"

_tables: dict[str, pa.Table] = {}
_ids = itertools.count()


def register_inline(table: pa.Table) -> str:
    key = str(next(_ids))
    _tables[key] = table
    return key


def inline_table(key: str) -> pa.Table:
    return _tables[key]


def replace_inline(key: str, table: pa.Table) -> None:
    """Give an inline table new rows (a test harness feeding the same table to two sessions)."""
    _tables[key] = table


ITERATOR_CONNECTOR = "python-iterator"

_iterators: dict[str, object] = {}


def register_iterator(items: object) -> str:
    """Hold a Python iterable (rows or Arrow batches) for a `python-iterator` table."""
    key = str(next(_ids))
    _iterators[key] = items
    return key


def iterator_items(key: str) -> object:
    return _iterators[key]
