"""Finding a connector by its `'connector'` option and validating a table's options against it.

Messages follow Flink's FactoryUtil so users who know Flink recognise them. Format options
(`csv.*`, `json.*`, ...) are not checked here: the connector hands them to the chosen format,
which knows its own list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from connectors.api import ConnectorError, ConnectorFactory, Sink, Source, TableSpec


def _factories() -> dict[str, ConnectorFactory]:
    # Imported lazily so that `import connectors.registry` stays cheap for the shell's start-up.
    from connectors.blackhole import BLACKHOLE
    from connectors.datagen.factory import DATAGEN
    from connectors.filesystem.factory import FILESYSTEM
    from connectors.print_sink import PRINT

    return {f.identifier: f for f in (BLACKHOLE, DATAGEN, FILESYSTEM, PRINT)}


def known_connectors() -> list[str]:
    """Identifiers of every available connector, sorted."""
    return sorted(_factories())


def get_factory(options: Mapping[str, str], table: str) -> ConnectorFactory:
    """The factory named by `options['connector']`; an unknown or missing one lists the known ones."""
    factories = _factories()
    identifier = options.get("connector")
    listing = "\n".join(sorted(factories))
    if identifier is None:
        raise ConnectorError(
            f"Table options do not contain an option key 'connector' for discovering a connector. "
            f"Therefore, Freshet assumes a managed table, which it does not support (table {table}).\n\n"
            f"Available factory identifiers are:\n\n{listing}"
        )
    factory = factories.get(identifier)
    if factory is None:
        raise ConnectorError(
            f"Could not find any factory for identifier '{identifier}' that implements "
            f"'org.apache.flink.table.factories.DynamicTableFactory' in the classpath "
            f"(table {table}).\n\nAvailable factory identifiers are:\n\n{listing}"
        )
    return factory


FRAMEWORK_OPTIONS = frozenset(
    {
        "property-version",
        "scan.watermark.alignment.group",
        "scan.watermark.alignment.max-drift",
        "scan.watermark.alignment.update-interval",
        "scan.watermark.emit.strategy",
        "scan.watermark.idle-timeout",
    }
)
"""Keys Flink's TableFactoryHelper accepts for every connector validated through it."""


def _is_format_option(key: str, format_id: str | None) -> bool:
    return format_id is not None and key.startswith(format_id + ".")


def _expand(pattern: str, fields: list[str]) -> list[str]:
    if "#" not in pattern:
        return [pattern]
    return [pattern.replace("#", name) for name in fields]


def _matches(key: str, patterns: frozenset[str]) -> bool:
    for p in patterns:
        if "#" not in p:
            if key == p:
                return True
        elif re.fullmatch(re.escape(p).replace("\\#", ".+"), key):
            return True
    return False


def validate_options(
    factory: ConnectorFactory, spec: TableSpec, role: Literal["source", "sink"]
) -> None:
    """Check required and unknown options like Flink's FactoryUtil; raise ConnectorError if wrong.

    Options belonging to the chosen format (`<format>.*`) are left to the format's own validation.
    """
    options = spec.options
    format_id = (
        options.get("format")
        if "format" in factory.optional_options | factory.required_options
        else None
    )
    missing = sorted(k for k in factory.required_options if k not in options)
    if missing:
        raise ConnectorError(
            "One or more required options are missing.\n\n"
            "Missing required options are:\n\n" + "\n".join(missing)
        )
    fields = spec.schema.names
    if factory.options_for is not None:
        supported = set(factory.options_for(spec)) | {"connector"}
        unknown = sorted(
            k for k in options if k not in supported and not _is_format_option(k, format_id)
        )
    else:
        patterns = (
            factory.required_options | factory.optional_options | {"connector"} | FRAMEWORK_OPTIONS
        )
        supported = {k for p in patterns for k in _expand(p, fields)}
        supported |= {k for k in options if _is_format_option(k, format_id)}
        unknown = sorted(
            k for k in options if not _matches(k, patterns) and not _is_format_option(k, format_id)
        )
    if unknown:
        raise ConnectorError(
            f"Unsupported options found for '{factory.identifier}'.\n\n"
            "Unsupported options:\n\n" + "\n".join(unknown) + "\n\n"
            "Supported options:\n\n" + "\n".join(sorted(supported))
        )
    if role == "source" and factory.create_source is None:
        raise ConnectorError(
            f"Connector '{factory.identifier}' can only be used as a sink. It cannot be used as a "
            f"source (table {spec.name})."
        )
    if role == "sink" and factory.create_sink is None:
        raise ConnectorError(
            f"Connector '{factory.identifier}' can only be used as a source. It cannot be used as a "
            f"sink (table {spec.name})."
        )


def create_source(spec: TableSpec) -> Source:
    """Validate `spec.options` for reading and build the table's source."""
    factory = get_factory(spec.options, spec.name)
    validate_options(factory, spec, "source")
    assert factory.create_source is not None
    return factory.create_source(spec)


def create_sink(spec: TableSpec) -> Sink:
    """Validate `spec.options` for writing and build the table's sink."""
    factory = get_factory(spec.options, spec.name)
    validate_options(factory, spec, "sink")
    assert factory.create_sink is not None
    return factory.create_sink(spec)
