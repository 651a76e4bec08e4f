"""Catalog errors: a missing or duplicate object, with Flink's wording."""

from __future__ import annotations


class CatalogError(Exception):
    """A catalog operation that cannot be done (the message is shown to the user as is)."""
