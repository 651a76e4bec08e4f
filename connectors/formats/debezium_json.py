"""Flink's `debezium-json` format (reading): Debezium change events, one JSON message per line.

A message is `{"before": {..}, "after": {..}, "op": "c"|"r"|"u"|"d", ...}`, or, when the Kafka
Connect converter included the schema (`debezium-json.schema-include` = true), the same inside
`{"schema": {..}, "payload": {..}}`. Flink's mapping, which we follow:

- `c` (create) and `r` (snapshot read): +I of `after`;
- `u`: -U of `before`, then +U of `after` (a null `before` is an error: the database must log
  full row images, Postgres' REPLICA IDENTITY FULL);
- `d`: -D of `before` (same requirement);
- any other `op` is an error ("Unknown "op" value"), skipped under `ignore-parse-errors`.

Flink does not detect the envelope: without `schema-include` a `payload`-wrapped message has no
`op` and is corrupt, which our message points out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from connectors.formats.base import FormatFactory
from connectors.formats.changelog_json import (
    DELETE,
    INSERT,
    UPDATE_AFTER,
    UPDATE_BEFORE,
    ChangelogJsonFormat,
    CorruptMessage,
    text_of,
)
from connectors.options import parse_bool

OPTIONS = frozenset(
    {
        "debezium-json.schema-include",
        "debezium-json.ignore-parse-errors",
        "debezium-json.timestamp-format.standard",
        "debezium-json.map-null-key.mode",
        "debezium-json.map-null-key.literal",
        "debezium-json.encode.decimal-as-plain-number",
        "debezium-json.encode.ignore-null-fields",
    }
)
"""Flink 2.3's DebeziumJsonFormatFactory.optionalOptions()."""

_MISSING_BEFORE = (
    'The "before" field of {} message is null, if you are using Debezium Postgres Connector, '
    "please check the Postgres table has been set REPLICA IDENTITY to FULL level."
)


class DebeziumJsonFormat(ChangelogJsonFormat):
    identifier = "debezium-json"
    display = "Debezium JSON"

    def __init__(self, schema: pa.Schema, options: Mapping[str, str]) -> None:
        super().__init__(schema, options)
        self.schema_include = parse_bool(options, "debezium-json.schema-include", False)

    def decode_message(self, message: dict[str, Any], out: list[tuple[int, list[Any]]]) -> None:
        envelope: Any = message
        if self.schema_include:
            envelope = message.get("payload")
            if not isinstance(envelope, dict):
                raise CorruptMessage(
                    "the message has no \"payload\" object ('debezium-json.schema-include' is true)"
                )
        # Flink converts the whole envelope first: a bad value in `before` fails even a create.
        before = self.row(envelope.get("before"), "before")
        after = self.row(envelope.get("after"), "after")
        if envelope.get("op") is None:
            hint = (
                "; the message is wrapped in \"payload\": set 'debezium-json.schema-include' = 'true'"
                if "payload" in envelope and not self.schema_include
                else ""
            )
            raise CorruptMessage(f'the message has no "op" field{hint}')
        op = text_of(envelope["op"])
        if op in ("c", "r"):
            if after is None:
                raise CorruptMessage(f'The "after" field of a "{op}" message is null.')
            out.append((INSERT, after))
        elif op == "u":
            if before is None:
                raise CorruptMessage(_MISSING_BEFORE.format("UPDATE"))
            if after is None:
                raise CorruptMessage('The "after" field of an UPDATE message is null.')
            out.append((UPDATE_BEFORE, before))
            out.append((UPDATE_AFTER, after))
        elif op == "d":
            if before is None:
                raise CorruptMessage(_MISSING_BEFORE.format("DELETE"))
            out.append((DELETE, before))
        else:
            raise CorruptMessage(f'Unknown "op" value "{op}".')


DEBEZIUM_JSON = FormatFactory(
    identifier="debezium-json", options=OPTIONS, create=DebeziumJsonFormat
)
