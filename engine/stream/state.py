"""Declared state tables, partitioned by key group, held in the job's DuckDB database.

Every stateful operator declares its tables up front (`StateTable`): the key columns, the value
columns and an optional time-to-live. A row's key group is `hash(key) % max_parallelism` (Flink's
scheme: `pipeline.max-parallelism`, default 128), stored in the `_kg` column, so a snapshot can be
split by key group and restored at another parallelism. Operators never serialize their own state:
`StateBackend.snapshot()` reads every table as Arrow and `restore()` writes it back, which is the
interface checkpoints use.

Two shapes of table are used:
- a *multiset* (`weighted=True`): distinct rows with the weight `_w` they have in the operator's
  input, consolidated per key (`merge`); zero-weight rows are removed;
- a *value* table: one row per key, replaced wholesale (`replace`).

TTL (`table.exec.state.ttl`): each row records the processing time it was last written (`_ts`);
`expire` drops the keys idle for longer than the TTL, as Flink's state TTL (OnCreateAndWrite,
NeverReturnExpired) does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from engine.stream.changes import WEIGHT

KEY_GROUP = "_kg"
WRITE_TIME = "_ts"


@dataclass(frozen=True)
class StateTable:
    """One declared state table: `key` ⊆ column names; `columns` are (name, DuckDB type)."""

    name: str
    key: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    weighted: bool = True
    ttl_ms: int | None = None

    @property
    def sql_name(self) -> str:
        return f'"state_{self.name}"'

    @property
    def column_names(self) -> list[str]:
        names = [n for n, _ in self.columns]
        return [*names, WEIGHT] if self.weighted else names


def null_safe_match(left: str, right: str, keys: Sequence[str]) -> str:
    if not keys:
        return "TRUE"
    return " AND ".join(f'{left}."{k}" IS NOT DISTINCT FROM {right}."{k}"' for k in keys)


class StateBackend:
    """The in-memory state backend: one DuckDB database holding every state table of a job."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        max_parallelism: int = 128,
        clock: Callable[[], int] | None = None,
    ) -> None:
        self.con = con
        self.max_parallelism = max_parallelism
        self.clock = clock or (lambda: int(time.time() * 1000))
        self.tables: dict[str, StateTable] = {}

    def declare(self, table: StateTable) -> StateTable:
        if table.name in self.tables:
            raise ValueError(f"state table {table.name} declared twice")
        self.tables[table.name] = table
        cols = [f'"{n}" {t}' for n, t in table.columns]
        if table.weighted:
            cols.append(f"{WEIGHT} BIGINT")
        self.con.execute(
            f"CREATE TABLE {table.sql_name} ({KEY_GROUP} INTEGER, {', '.join(cols)}, "
            f"{WRITE_TIME} BIGINT)"
        )
        return table

    def key_group_sql(self, keys: Sequence[str], alias: str = "") -> str:
        if not keys:
            return "0"
        prefix = f"{alias}." if alias else ""
        args = ", ".join(f'{prefix}"{k}"' for k in keys)
        return f"CAST(hash({args}) % {self.max_parallelism} AS INTEGER)"

    # ------------------------------------------------------------ updates

    def merge(self, table: StateTable, delta: str) -> None:
        """Add the weights of relation `delta` (the table's columns and `_w`) into a multiset.

        The rows of every key the delta touches are re-consolidated, so the table keeps one row
        per distinct value with its total weight and no zero-weight rows.
        """
        assert table.weighted
        cols = ", ".join(f'"{n}"' for n, _ in table.columns)
        keys = ", ".join(f'"{k}"' for k in table.key)
        touched = f"(SELECT DISTINCT {keys} FROM {delta})" if keys else "(SELECT 1)"
        now = self.clock()
        # Rows keep the order they first arrived in (stored rows first, then the delta's), so
        # order-sensitive aggregates (LISTAGG, FIRST_VALUE) see arrival order as Flink does.
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE _merged AS SELECT {cols}, "
            f"CAST(sum({WEIGHT}) AS BIGINT) AS {WEIGHT}, min(_pos) AS _pos FROM ("
            f"SELECT {cols}, {WEIGHT}, s.rowid AS _pos FROM {table.sql_name} AS s "
            f"SEMI JOIN {touched} AS t ON {null_safe_match('s', 't', table.key)} "
            f"UNION ALL SELECT {cols}, {WEIGHT}, 1e15 + row_number() OVER () FROM {delta}) "
            f"GROUP BY ALL HAVING sum({WEIGHT}) <> 0"
        )
        self.delete_keys(table, touched)
        self.con.execute(
            f"INSERT INTO {table.sql_name} SELECT {self.key_group_sql(table.key)}, {cols}, "
            f"{WEIGHT}, {now} FROM _merged ORDER BY _pos"
        )

    def delete_keys(self, table: StateTable, keys_relation: str) -> None:
        """Remove every row whose key appears in `keys_relation` (a relation of key columns)."""
        if not table.key:
            self.con.execute(f"DELETE FROM {table.sql_name}")
            return
        self.con.execute(
            f"DELETE FROM {table.sql_name} AS s USING {keys_relation} AS t "
            f"WHERE {null_safe_match('s', 't', table.key)}"
        )

    def replace(self, table: StateTable, rows: str, keys_relation: str) -> None:
        """Value table: the rows of the keys in `keys_relation` become exactly `rows`."""
        cols = ", ".join(f'"{n}"' for n in table.column_names)
        self.delete_keys(table, keys_relation)
        self.con.execute(
            f"INSERT INTO {table.sql_name} SELECT {self.key_group_sql(table.key)}, {cols}, "
            f"{self.clock()} FROM {rows}"
        )

    # ------------------------------------------------------------ TTL, snapshots

    def expire(self) -> None:
        """Drop keys not written for longer than their table's TTL."""
        now = self.clock()
        for table in self.tables.values():
            if table.ttl_ms is None:
                continue
            self.con.execute(
                f"DELETE FROM {table.sql_name} WHERE {WRITE_TIME} < {now - table.ttl_ms}"
            )

    def snapshot(self) -> dict[str, pa.Table]:
        """Every state table as Arrow, with its key-group column (what a checkpoint stores)."""
        return {
            name: self.con.sql(f"SELECT * FROM {t.sql_name} ORDER BY {KEY_GROUP}").to_arrow_table()
            for name, t in self.tables.items()
        }

    def restore(self, snapshot: dict[str, pa.Table], key_groups: range | None = None) -> None:
        """Replace every table's rows by the snapshot's (optionally only some key groups)."""
        for name, data in snapshot.items():
            table = self.tables[name]
            self.con.execute(f"DELETE FROM {table.sql_name}")
            view = f"_restore_{name}"
            self.con.register(view, data)
            where = (
                f" WHERE {KEY_GROUP} BETWEEN {key_groups.start} AND {key_groups.stop - 1}"
                if key_groups is not None
                else ""
            )
            self.con.execute(f"INSERT INTO {table.sql_name} SELECT * FROM {view}{where}")
            self.con.unregister(view)
