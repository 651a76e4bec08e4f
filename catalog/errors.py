"""Catalog errors: a missing or duplicate object, with Flink's wording."""

from __future__ import annotations


class CatalogError(Exception):
    """A catalog operation that cannot be done (the message is shown to the user as is).

    `kind` is the Java exception class Flink reports for the same failure (the SQL client shows it).
    """

    def __init__(
        self, message: str, kind: str = "org.apache.flink.table.api.ValidationException"
    ) -> None:
        super().__init__(message)
        self.kind = kind
