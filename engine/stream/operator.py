"""The operator interface of the streaming engine and what an operator may use while it runs.

An operator receives change batches (`engine.stream.changes`) on numbered input ports and returns
the change batch it produces (or None). Its state lives only in tables it declares with the job's
`StateBackend`; it never serializes anything itself, so a checkpoint can snapshot every operator
the same way. All methods but `process` have no-op defaults.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from engine.stream.state import StateBackend
from planner import plan as P
from planner.lower_duckdb import Lowering


@dataclass
class OperatorContext:
    """What a running operator may use: the job's DuckDB connection, its state, its UDF names."""

    con: duckdb.DuckDBPyConnection
    state: StateBackend
    udf_names: dict[int, str] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=itertools.count)

    def lowering(self) -> Lowering:
        names = self.udf_names
        return Lowering(lambda f: names[id(f)])

    def unique_name(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def query(self, sql: str, relations: dict[str, pa.Table] | None = None) -> pa.Table:
        """Run `sql` with `relations` registered under their names; DuckDB errors become Flink's."""
        from engine.batch_runner import runtime_error

        relations = relations or {}
        for name, table in relations.items():
            self.con.register(name, table)
        try:
            return self.con.sql(sql).to_arrow_table()
        except duckdb.Error as e:
            raise runtime_error(e) from None
        finally:
            for name in relations:
                self.con.unregister(name)

    def execute(self, sql: str) -> None:
        from engine.batch_runner import runtime_error

        try:
            self.con.execute(sql)
        except duckdb.Error as e:
            raise runtime_error(e) from None


class Operator:
    """Base of every streaming operator. `describe` names it in errors and EXPLAIN."""

    describe: str = "Operator"

    def open(self, ctx: OperatorContext) -> None:
        """Declare state tables and prepare; called once before the first batch."""

    def process(self, port: int, delta: pa.Table) -> pa.Table | None:
        raise NotImplementedError

    def on_watermark(self, watermark_ms: int) -> pa.Table | None:
        """Event time reached `watermark_ms` (the minimum over the inputs): emit what it completes."""
        return None

    def finish(self) -> pa.Table | None:
        """End of all input: emit what was held back (nothing, for most operators)."""
        return None


def scan_of(key: str, schema: P.Schema, extra: tuple[P.Field, ...] = ()) -> P.Scan:
    """A Scan reading relation `key` whose columns are named c0..cN (then `extra` by name)."""
    fields = tuple(P.Field(f"c{i}", f.type) for i, f in enumerate(schema)) + extra
    source = P.TableSource(key, ("", "", key), fields, ())
    return P.Scan(source, fields)
