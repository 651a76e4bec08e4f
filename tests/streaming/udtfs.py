"""Python table functions the streaming cases declare with
`CREATE TEMPORARY FUNCTION f AS 'tests.streaming.udtfs.<name>' LANGUAGE PYTHON`.

They are generator functions wrapped by `udtf(...)`, as PyFlink users write them, and are used as
`LATERAL TABLE(f(x))`: each input row gives the rows the function yields, in batch and streaming mode.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine import DataTypes, TableFunction, udtf


@udtf(result_types=[DataTypes.STRING(), DataTypes.INT()])
def split_words(line: str | None) -> Iterator[tuple[str, int]]:
    """Each space-separated word with its length; no rows for NULL or a blank line."""
    if line is None:
        return
    for word in line.split():
        yield word, len(word)


@udtf(result_types=[DataTypes.STRING(), DataTypes.INT()])
def parse_items(items: str | None) -> Iterator[tuple[str, int | None]]:
    """`apple:2,pear` as (item, quantity) rows; a missing quantity is NULL; no rows for NULL or ''."""
    if not items:
        return
    for part in items.split(","):
        name, _, qty = part.strip().partition(":")
        yield name, int(qty) if qty else None


class Repeat(TableFunction):
    """A class-based table function: `value` repeated `times` times (none for NULL or <= 0)."""

    def eval(self, value: str | None, times: int | None) -> Iterator[str | None]:
        for _ in range(times or 0):
            yield value


repeat = udtf(Repeat(), result_types=DataTypes.STRING())
