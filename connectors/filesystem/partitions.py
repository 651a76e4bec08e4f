"""Hive-style partition directories (`k=v/...`) and the files of a filesystem table.

Flink escapes partition values like Hive (`%XX` for path-unsafe characters) and writes NULL or
empty values as `partition.default-name`. Hidden files (`.x`) and bookkeeping files (`_x`) are
never data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from connectors.api import ConnectorError
from connectors.formats.text_parse import parse_column
from planner.types import FlinkType

DEFAULT_PARTITION_NAME = "__DEFAULT_PARTITION__"

_ESCAPED = set("\"#%'*/:=?\\\x7f{[]^")


def escape_path_name(value: str) -> str:
    """Hive/Flink escaping of one partition value for use as a directory name."""
    return "".join(f"%{ord(c):02X}" if c in _ESCAPED or ord(c) < 0x20 else c for c in value)


def unescape_path_name(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "%" and i + 2 < len(text) + 0 and _is_hex(text[i + 1 : i + 3]):
            out.append(chr(int(text[i + 1 : i + 3], 16)))
            i += 3
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _is_hex(s: str) -> bool:
    return len(s) == 2 and all(c in "0123456789abcdefABCDEF" for c in s)


def partition_dir(spec: Sequence[tuple[str, str]]) -> str:
    """`k1=v1/k2=v2` for an ordered partition spec (values already as text)."""
    return "/".join(f"{escape_path_name(k)}={escape_path_name(v)}" for k, v in spec)


@dataclass(frozen=True)
class DataFile:
    """One data file and the partition values (unescaped text) its directory names."""

    path: str
    partition: Mapping[str, str]


def strip_scheme(path: str) -> str:
    if path.startswith("file://"):
        return path[len("file://") :]
    if path.startswith("file:"):
        return path[len("file:") :]
    return path


def is_hidden(name: str) -> bool:
    return name.startswith(".") or name.startswith("_")


def list_data_files(root: str, partition_keys: Sequence[str]) -> list[DataFile]:
    """Every visible data file under `root` (a file or a directory), sorted by path."""
    root = strip_scheme(root)
    if os.path.isfile(root):
        return [DataFile(root, {})]
    if not os.path.isdir(root):
        return []
    out: list[DataFile] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not is_hidden(d))
        rel = os.path.relpath(dirpath, root)
        partition: dict[str, str] = {}
        if rel != ".":
            for segment in rel.split(os.sep):
                if "=" in segment:
                    k, v = segment.split("=", 1)
                    partition[unescape_path_name(k)] = unescape_path_name(v)
        for name in sorted(filenames):
            if not is_hidden(name):
                out.append(DataFile(os.path.join(dirpath, name), partition))
    missing = [k for k in partition_keys for f in out if k not in f.partition]
    if missing:
        raise ConnectorError(
            f"File '{next(f.path for f in out if missing[0] not in f.partition)}' is not inside a "
            f"'{missing[0]}=...' partition directory of '{root}'."
        )
    return sorted(out, key=lambda f: f.path)


def partition_column(
    text: str, rows: int, t: FlinkType, target: pa.DataType, default_name: str, where: str
) -> pa.Array:
    """A constant column holding a partition value parsed per the column's type."""
    if text == default_name:
        return pa.nulls(rows, target)
    if t.name in ("CHAR", "VARCHAR"):
        return pa.array([text] * rows, target)
    values, bad = parse_column(pa.array([text], pa.string()), t, target, timestamp_sep=" ")
    if bad[0].as_py() or not values[0].is_valid:
        # Flink's partition text for timestamps is LocalDateTime.toString (with a 'T').
        values, bad = parse_column(pa.array([text], pa.string()), t, target, timestamp_sep="T")
    if bad[0].as_py():
        raise ConnectorError(f"Partition value '{text}' of {where} is not a valid {t.name}.")
    return pa.repeat(values[0], rows) if rows else pa.array([], target)
