"""The `filesystem` connector factory: Flink's option list, format lookup and validation."""

from __future__ import annotations

from connectors.api import ConnectorError, ConnectorFactory, Sink, Source, TableSpec
from connectors.filesystem.sink import FileSystemSink
from connectors.filesystem.source import FileSystemSource
from connectors.formats.base import FormatFactory, get_format, validate_format_options

OPTIONAL = frozenset(
    {
        "partition.default-name",
        "source.monitor-interval",
        "source.report-statistics",
        "source.path.regex-pattern",
        "sink.rolling-policy.file-size",
        "sink.rolling-policy.rollover-interval",
        "sink.rolling-policy.inactivity-interval",
        "sink.rolling-policy.check-interval",
        "sink.shuffle-by-partition.enable",
        "partition.time-extractor.kind",
        "partition.time-extractor.class",
        "partition.time-extractor.timestamp-formatter",
        "partition.time-extractor.timestamp-pattern",
        "sink.partition-commit.trigger",
        "sink.partition-commit.delay",
        "sink.partition-commit.watermark-time-zone",
        "sink.partition-commit.policy.kind",
        "sink.partition-commit.policy.class",
        "sink.partition-commit.policy.class.parameters",
        "sink.partition-commit.success-file.name",
        "auto-compaction",
        "compaction.file-size",
        "sink.parallelism",
    }
)


def _format(spec: TableSpec) -> FormatFactory:
    factory = get_format(spec.options["format"])
    validate_format_options(factory, spec.options)
    unknown_keys = [k for k in spec.partition_keys if k not in spec.schema.names]
    if unknown_keys:
        raise ConnectorError(
            f"Partition column(s) {', '.join(unknown_keys)} of table {spec.name} are not physical columns."
        )
    return factory


def _create_source(spec: TableSpec) -> Source:
    source = FileSystemSource(spec, _format(spec))
    if spec.runtime_mode == "batch":
        # Flink refuses a changelog source while planning a batch query; the engine reports
        # errors from creating a source as the query's error.
        source.refuse_changelog()
    return source


def _create_sink(spec: TableSpec) -> Sink:
    return FileSystemSink(spec, _format(spec))


FILESYSTEM = ConnectorFactory(
    identifier="filesystem",
    required_options=frozenset({"path", "format"}),
    optional_options=OPTIONAL,
    create_source=_create_source,
    create_sink=_create_sink,
)
