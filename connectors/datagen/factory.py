"""The `datagen` connector factory."""

from __future__ import annotations

from connectors.api import ConnectorFactory, Source, TableSpec
from connectors.datagen.options import FIELD_PATTERNS, GLOBAL_OPTIONS, field_option_keys
from connectors.datagen.source import build_source


def _create_source(spec: TableSpec) -> Source:
    return build_source(spec)


DATAGEN = ConnectorFactory(
    identifier="datagen",
    required_options=frozenset(),
    optional_options=GLOBAL_OPTIONS | FIELD_PATTERNS,
    create_source=_create_source,
    create_sink=None,
    options_for=field_option_keys,
)
