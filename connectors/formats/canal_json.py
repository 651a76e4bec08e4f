"""Flink's `canal-json` format (reading): Alibaba Canal binlog messages, one JSON message per line.

A message is `{"data": [{..}, ..], "old": [{..}, ..], "type": "INSERT", "database": "db",
"table": "t", ...}`; one message may carry several rows. Flink's mapping, which we follow:

- INSERT: +I of every element of `data`; DELETE: -D of every element of `data`;
- UPDATE: for each i, -U of the old row then +U of `data[i]`. `old[i]` holds only the columns that
  changed, so every other column of the -U row is copied from `data[i]`. Flink decides "not
  changed" as "NULL in `old[i]` and the name occurs nowhere in `old`" (Jackson's `findValue` over
  the whole `old` array), so with several rows a column changed in one row stays NULL in the -U
  of the others; we keep that behaviour so the rows match Flink's;
- CREATE (a DDL event, `data` is null): no rows; any other `type` is an error ("Unknown "type"
  value"), skipped under `ignore-parse-errors`.

`canal-json.database.include` / `canal-json.table.include` are regular expressions that must
match the whole `database` / `table` text (Java's `Matcher.matches`); other messages are skipped
before anything else is decoded. Python's `re` stands in for java.util.regex here: the patterns
used for names (alternation, classes, `.*`) mean the same in both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from connectors.api import ConnectorError
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

OPTIONS = frozenset(
    {
        "canal-json.ignore-parse-errors",
        "canal-json.timestamp-format.standard",
        "canal-json.database.include",
        "canal-json.table.include",
        "canal-json.map-null-key.mode",
        "canal-json.map-null-key.literal",
        "canal-json.encode.decimal-as-plain-number",
        "canal-json.encode.ignore-null-fields",
    }
)
"""Flink 2.3's CanalJsonFormatFactory.optionalOptions()."""


def _pattern(options: Mapping[str, str], key: str) -> re.Pattern[str] | None:
    if key not in options:
        return None
    try:
        return re.compile(options[key])
    except re.error as e:
        raise ConnectorError(
            f"Invalid regular expression '{options[key]}' for option '{key}': {e}"
        ) from None


def _has_key(node: Any, name: str) -> bool:
    """Whether `name` is a field name anywhere in `node` (Jackson's `findValue(name) != null`)."""
    if isinstance(node, dict):
        return name in node or any(_has_key(v, name) for v in node.values())
    if isinstance(node, list):
        return any(_has_key(v, name) for v in node)
    return False


class CanalJsonFormat(ChangelogJsonFormat):
    identifier = "canal-json"
    display = "Canal JSON"

    def __init__(self, schema: pa.Schema, options: Mapping[str, str]) -> None:
        super().__init__(schema, options)
        self.database = _pattern(options, "canal-json.database.include")
        self.table = _pattern(options, "canal-json.table.include")

    def _included(self, message: dict[str, Any], key: str, pattern: re.Pattern[str] | None) -> bool:
        if pattern is None:
            return True
        if key not in message:
            raise CorruptMessage(f'the message has no "{key}" field to match against {key}.include')
        return pattern.fullmatch(text_of(message[key])) is not None

    def decode_message(self, message: dict[str, Any], out: list[tuple[int, list[Any]]]) -> None:
        if not self._included(message, "database", self.database):
            return
        if not self._included(message, "table", self.table):
            return
        # Flink converts `data`, `old` and `type` before looking at the type.
        data = self.rows(message.get("data"), "data")
        old = self.rows(message.get("old"), "old")
        if message.get("type") is None:
            raise CorruptMessage('the message has no "type" field')
        kind = text_of(message["type"])
        if kind in ("INSERT", "DELETE"):
            if data is None:
                raise CorruptMessage(f'the "data" field of an {kind} message is null')
            for i, row in enumerate(data):
                if row is None:
                    raise CorruptMessage(f"data[{i}] of an {kind} message is null")
                out.append((INSERT if kind == "INSERT" else DELETE, row))
        elif kind == "UPDATE":
            if data is None or old is None:
                missing = "data" if data is None else "old"
                raise CorruptMessage(f'the "{missing}" field of an UPDATE message is null')
            for i, after in enumerate(data):
                if i >= len(old):
                    raise CorruptMessage(f'"old" has no element {i} for data[{i}]')
                before = old[i]
                if after is None or before is None:
                    raise CorruptMessage(f"data[{i}] or old[{i}] of an UPDATE message is null")
                before = [
                    a if b is None and not _has_key(message["old"], name) else b
                    for name, a, b in zip(self.names, after, before)
                ]
                out.append((UPDATE_BEFORE, before))
                out.append((UPDATE_AFTER, after))
        elif kind == "CREATE":
            return  # a DDL event: nothing to read
        else:
            raise CorruptMessage(f'Unknown "type" value "{kind}".')


CANAL_JSON = FormatFactory(identifier="canal-json", options=OPTIONS, create=CanalJsonFormat)
