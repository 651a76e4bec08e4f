"""SQL-building primitives shared by the cast modules.

Flink's casts need a value more than once (validate a string, then convert it; split a double's
text into digits and exponent). Repeating the operand text would evaluate it repeatedly and blow up
the SQL size for nested casts, so a value is bound once with a one-element list lambda. A failed
CAST raises through DuckDB's `error()` (the runner turns it into a failed query with Flink's
message); the same failure in TRY_CAST is NULL.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

_names = itertools.count()


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def fresh() -> str:
    """A new lambda parameter name, so a nested cast never captures an outer one."""
    return f"_cv{next(_names)}"


def bind(sql: str, body: Callable[[str], str]) -> str:
    """`body(v)` with `v` bound to the value of `sql`, evaluated once per row."""
    name = fresh()
    return f"list_transform([{sql}], lambda {name}: {body(name)})[1]"


def fail(safe: bool, message_sql: str) -> str:
    """What a failed conversion yields: NULL for TRY_CAST, a runtime error for CAST.

    `message_sql` is SQL text of a VARCHAR message, starting with the Java exception class Flink
    reports (e.g. `java.lang.NumberFormatException: ...`).
    """
    if safe:
        return "NULL"
    return f"error({message_sql})"


def input_message(exception: str, value_sql: str, reason: str) -> str:
    """Flink's `For input string: '<value>'. <reason>` text as SQL."""
    return (
        f"{quote(exception + ': For input string: ' + chr(39))} || {value_sql} || "
        f"{quote(chr(39) + '. ' + reason)}"
    )
