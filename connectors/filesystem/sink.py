"""Writing a filesystem table in batch mode: staged files made visible only on `close()`.

Files are written under `<path>/.staging_<id>/` (hidden from readers), one file per partition
directory, named like Flink's (`part-<uuid>-task-<n>-file-<count>`). `close()` moves them into place;
with `overwrite=True` it first deletes the visible files of the whole table (unpartitioned) or of
each partition being written (Flink's INSERT OVERWRITE semantics).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connectors.api import ConnectorError, TableSpec
from connectors.filesystem.partitions import (
    DEFAULT_PARTITION_NAME,
    is_hidden,
    partition_dir,
    strip_scheme,
)
from connectors.filesystem.source import data_schema
from connectors.formats.base import FileWriter, FormatFactory
from connectors.row_text import array_texts
from planner.arrow_types import from_arrow_field


class FileSystemSink:
    """An append-only, all-or-nothing batch writer of one table."""

    accepts = "append"

    def __init__(self, spec: TableSpec, format_factory: FormatFactory) -> None:
        self.spec = spec
        self.root = strip_scheme(spec.options["path"])
        self.default_name = spec.options.get("partition.default-name", DEFAULT_PARTITION_NAME)
        self.data_schema = data_schema(spec)
        self.format = format_factory.create(self.data_schema, spec.options)
        self.run_id = str(uuid.uuid4())
        self.staging = os.path.join(self.root, f".staging_{self.run_id}")
        self.writers: dict[str, tuple[str, FileWriter]] = {}
        self.overwrite = False
        self.static: dict[str, str] = {}
        self.opened = False

    def open(
        self, *, overwrite: bool = False, static_partitions: Mapping[str, str] | None = None
    ) -> None:
        static = dict(static_partitions or {})
        unknown = [k for k in static if k not in self.spec.partition_keys]
        if unknown:
            raise ConnectorError(
                f"Static partition column(s) {', '.join(unknown)} of table {self.spec.name} are not "
                f"partition keys; the partition keys are: {', '.join(self.spec.partition_keys) or '(none)'}."
            )
        if os.path.isfile(self.root):
            raise ConnectorError(
                f"Cannot write table {self.spec.name}: path '{self.root}' is a file, not a directory."
            )
        self.overwrite, self.static = overwrite, static
        os.makedirs(self.staging, exist_ok=True)
        self.opened = True

    def _partition_texts(self, batch: pa.RecordBatch) -> list[list[str]]:
        """Per partition key, the directory text of each row (static value or the row's value)."""
        out = []
        for key in self.spec.partition_keys:
            if key in self.static:
                out.append([self.static[key]] * batch.num_rows)
                continue
            f = self.spec.schema.field(key)
            col = batch.column(batch.schema.get_field_index(key))
            texts = array_texts(col, from_arrow_field(f))
            nulls = pc.is_null(col).to_pylist()
            out.append([self.default_name if n or t == "" else t for t, n in zip(texts, nulls)])
        return out

    def write(self, batch: pa.RecordBatch, row_kinds: pa.Array | None = None) -> None:
        if not self.opened:
            raise ConnectorError(f"Sink of table {self.spec.name} written before open().")
        if row_kinds is not None and pc.any(pc.not_equal(row_kinds, 0)).as_py():
            raise ConnectorError(
                f"Table sink '{self.spec.name}' doesn't support consuming update and delete changes: "
                "the filesystem connector only accepts inserts."
            )
        if batch.num_rows == 0:
            return
        data = pa.RecordBatch.from_arrays(
            [batch.column(batch.schema.get_field_index(n)) for n in self.data_schema.names],
            schema=self.data_schema,
        )
        if not self.spec.partition_keys:
            self._writer("").write(data)
            return
        per_key = self._partition_texts(batch)
        dirs = np.array(
            [partition_dir(list(zip(self.spec.partition_keys, vals))) for vals in zip(*per_key)],
            dtype=object,
        )
        for d in dict.fromkeys(dirs.tolist()):
            rows = pa.array(np.flatnonzero(dirs == d))
            self._writer(d).write(data.take(rows))

    def _writer(self, rel_dir: str) -> FileWriter:
        if rel_dir not in self.writers:
            directory = os.path.join(self.staging, rel_dir)
            os.makedirs(directory, exist_ok=True)
            name = f"part-{self.run_id}-task-0-file-{len(self.writers)}"
            path = os.path.join(directory, name)
            self.writers[rel_dir] = (path, self.format.open_writer(path))
        return self.writers[rel_dir][1]

    def _targets_to_clear(self) -> list[str]:
        if not self.spec.partition_keys:
            return [self.root]
        dirs = set(self.writers)
        if len(self.static) == len(self.spec.partition_keys):
            dirs.add(partition_dir([(k, self.static[k]) for k in self.spec.partition_keys]))
        return [os.path.join(self.root, d) for d in dirs]

    def close(self) -> None:
        for _, writer in self.writers.values():
            writer.close()
        if self.overwrite:
            for directory in self._targets_to_clear():
                _delete_visible(directory, recursive=bool(self.spec.partition_keys))
        for rel_dir, (path, _) in self.writers.items():
            target_dir = os.path.join(self.root, rel_dir)
            os.makedirs(target_dir, exist_ok=True)
            os.replace(path, os.path.join(target_dir, os.path.basename(path)))
        self.writers.clear()
        shutil.rmtree(self.staging, ignore_errors=True)
        self.opened = False

    def abort(self) -> None:
        for _, writer in self.writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        self.writers.clear()
        shutil.rmtree(self.staging, ignore_errors=True)
        self.opened = False


def _delete_visible(directory: str, recursive: bool) -> None:
    """Delete the data files of a table or partition directory (hidden files are kept)."""
    if not os.path.isdir(directory):
        return
    for name in os.listdir(directory):
        if is_hidden(name):
            continue
        p = os.path.join(directory, name)
        if os.path.isdir(p):
            if recursive or "=" in name:
                shutil.rmtree(p)
        else:
            os.remove(p)
