"""Connector option checks at CREATE TABLE time, for connectors this build provides.

A table naming a connector we do not ship (kafka before its issue lands, say) is still accepted at
CREATE, as Flink accepts any options until the table is used; it fails when first read or written.
"""

from __future__ import annotations

from catalog.errors import CatalogError
from catalog.model import CatalogTable
from connectors.api import ConnectorError, TableSpec
from planner.arrow_types import to_arrow_schema


def validate_table(path: tuple[str, str, str], table: CatalogTable) -> None:
    from connectors.registry import get_factory, validate_options

    options = dict(table.options)
    if "connector" not in options:
        return
    try:
        factory = get_factory(options, ".".join(path))
    except ConnectorError:
        return
    spec = TableSpec(
        name=".".join(path),
        schema=to_arrow_schema([(c.name, c.type) for c in table.physical]),
        options=options,
        partition_keys=table.partition_keys,
        primary_key=table.primary_key.columns if table.primary_key else None,
    )
    try:
        role = "source" if factory.create_source is not None else "sink"
        validate_options(factory, spec, role)
    except ConnectorError as e:
        raise CatalogError(f"Unable to create a table '{'.'.join(path)}'.\n\n{e}") from None
