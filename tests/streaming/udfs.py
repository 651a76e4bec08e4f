"""Python scalar UDFs the streaming cases declare with
`CREATE TEMPORARY FUNCTION f AS 'tests.streaming.udfs.<name>' LANGUAGE PYTHON`.

They are plain row-at-a-time functions wrapped by `udf(...)`, as PyFlink users write them; the
session loads them by import path (`Session._load_catalog_function`), so a case can use one in any
expression (projection, filter, grouping key, join key) in both batch and streaming mode.
"""

from __future__ import annotations

from engine import DataTypes, udf


@udf(result_type=DataTypes.STRING())
def normalize_email(email: str | None) -> str | None:
    """Trimmed, lower-cased address, with a '+tag' before the '@' removed (NULL stays NULL)."""
    if email is None:
        return None
    local, at, domain = email.strip().lower().partition("@")
    return local.split("+", 1)[0] + at + domain


@udf(result_type=DataTypes.STRING())
def price_band(amount: int | None) -> str:
    """A band name for an amount; NULL gets its own band (a UDF may map NULL to a value)."""
    if amount is None:
        return "unknown"
    if amount < 10:
        return "small"
    return "medium" if amount < 100 else "large"
