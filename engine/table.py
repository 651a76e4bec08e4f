"""Table and StatementSet: a query held by the TableEnvironment, run on demand."""

from __future__ import annotations

import itertools
import sys
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from engine.table_result import TableResult
from planner import operations as ops

if TYPE_CHECKING:
    from engine.table_environment import TableEnvironment

_names = itertools.count()


class Table:
    """A query (PyFlink's Table). `str(table)` registers it under a unique name usable in SQL."""

    def __init__(self, t_env: TableEnvironment, query: Any) -> None:
        self._t_env = t_env
        self.query = query
        self._name: str | None = None

    def _session(self):
        return self._t_env.session

    def execute(self) -> TableResult:
        from engine.errors import raise_flink_error

        with raise_flink_error():
            return self._session().execute(ops.Query(self.query))

    def execute_insert(self, table_path: str, overwrite: bool = False) -> TableResult:
        from engine.errors import raise_flink_error

        with raise_flink_error():
            target = ops.ObjectName(tuple(table_path.split(".")))
            return self._session().execute(ops.Insert(target, self.query, overwrite=overwrite))

    def get_schema(self):
        from engine.table_result import ResolvedSchema

        plan = self._session().plan_query(self.query)
        return ResolvedSchema.of((f.name, f.type) for f in plan.schema)

    get_resolved_schema = get_schema

    def print_schema(self) -> None:
        sys.stdout.write(str(self.get_schema()) + "\n")

    def explain(self, *details: Any) -> str:
        from planner.explain import explain_text

        plan = self._session().plan_query(self.query)
        names = tuple(getattr(d, "name", str(d)).upper() for d in details)
        return explain_text([plan], names)

    def to_arrow(self) -> pa.Table:
        """All rows as an Arrow table with the query's column names (our extension)."""
        from engine.batch_runner import run_plan
        from planner.arrow_types import to_arrow_schema

        session = self._session()
        plan = session.plan_query(self.query)
        table = run_plan(session.con, plan, session.time_zone())
        schema = to_arrow_schema([(f.name, f.type.without_time_attr()) for f in plan.schema])
        arrays = [
            table.column(i).cast(schema.field(i).type)
            if table.column(i).type != schema.field(i).type
            else table.column(i)
            for i in range(table.num_columns)
        ]
        return pa.Table.from_arrays(arrays, schema=schema)

    def to_pandas(self) -> Any:
        return self.to_arrow().to_pandas()

    def __str__(self) -> str:
        if self._name is None:
            self._name = f"UnnamedTable$q{next(_names)}"
            self._t_env.create_temporary_view(self._name, self)
        return f"`{self._name}`"


class StatementSet:
    """INSERTs collected and executed as one job."""

    def __init__(self, t_env: TableEnvironment) -> None:
        self._t_env = t_env
        self._inserts: list[ops.Insert] = []

    def add_insert_sql(self, stmt: str) -> StatementSet:
        from engine.errors import raise_flink_error

        with raise_flink_error():
            operations = self._t_env.session.parse(stmt)
        for op in operations:
            if not isinstance(op, ops.Insert):
                raise ValueError("Only insert statement is supported now.")
            self._inserts.append(op)
        return self

    def add_insert(self, target_path: str, table: Table, overwrite: bool = False) -> StatementSet:
        target = ops.ObjectName(tuple(target_path.split(".")))
        self._inserts.append(ops.Insert(target, table.query, overwrite=overwrite))
        return self

    def explain(self, *details: Any) -> str:
        from engine.errors import raise_flink_error

        names = tuple(getattr(d, "name", str(d)).upper() for d in details)
        with raise_flink_error():
            result = self._t_env.session.execute(
                ops.Explain(ops.StatementSet(tuple(self._inserts)), names)
            )
        return next(iter(result.collect()))[0]

    def execute(self) -> TableResult:
        from engine.errors import raise_flink_error

        with raise_flink_error():
            inserts, self._inserts = self._inserts, []
            return self._t_env.session.execute(ops.StatementSet(tuple(inserts)))
