"""TableEnvironment, EnvironmentSettings and TableConfig with PyFlink's names and behaviour."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from catalog.model import CatalogTable, CatalogView, Column
from engine.config import Configuration
from engine.inline_tables import INLINE_CONNECTOR, register_inline
from engine.session import Session
from engine.table import StatementSet, Table
from engine.table_result import TableResult
from planner import operations as ops
from planner.arrow_types import from_arrow
from planner.types import FlinkType, parse_type


class EnvironmentSettings:
    def __init__(self, batch: bool, config: dict[str, str] | None = None) -> None:
        self._batch = batch
        self._config = dict(config or {})

    @staticmethod
    def in_streaming_mode() -> EnvironmentSettings:
        return EnvironmentSettings(False)

    @staticmethod
    def in_batch_mode() -> EnvironmentSettings:
        return EnvironmentSettings(True)

    @staticmethod
    def new_instance() -> _SettingsBuilder:
        return _SettingsBuilder()

    def is_streaming_mode(self) -> bool:
        return not self._batch

    def to_configuration(self) -> Configuration:
        cfg = Configuration(self._config)
        cfg.set("execution.runtime-mode", "batch" if self._batch else "streaming")
        return cfg


class _SettingsBuilder:
    def __init__(self) -> None:
        self._batch = False
        self._config: dict[str, str] = {}

    def in_batch_mode(self) -> _SettingsBuilder:
        self._batch = True
        return self

    def in_streaming_mode(self) -> _SettingsBuilder:
        self._batch = False
        return self

    def with_configuration(self, config: Configuration | dict[str, str]) -> _SettingsBuilder:
        items = config.explicit() if isinstance(config, Configuration) else config
        self._config.update(items)
        return self

    def build(self) -> EnvironmentSettings:
        return EnvironmentSettings(self._batch, self._config)


class TableConfig:
    """`t_env.get_config()`: set and read configuration keys."""

    def __init__(self, config: Configuration) -> None:
        self._config = config

    def set(self, key: str, value: str) -> TableConfig:
        self._config.set(key, value)
        return self

    def get(self, key: str, default: str | None = None) -> str | None:
        return self._config.get(key, default)

    def get_configuration(self) -> Configuration:
        return self._config

    def set_local_timezone(self, tz: str) -> None:
        self._config.set("table.local-time-zone", tz)

    def get_local_timezone(self) -> str:
        return self._config.local_time_zone()


_unnamed = itertools.count()


class TableEnvironment:
    def __init__(self, session: Session) -> None:
        self._session = session

    @staticmethod
    def create(settings: EnvironmentSettings | Configuration | None = None) -> TableEnvironment:
        if settings is None:
            settings = EnvironmentSettings.in_streaming_mode()
        config = (
            settings.to_configuration() if isinstance(settings, EnvironmentSettings) else settings
        )
        return TableEnvironment(Session(config))

    @property
    def session(self) -> Session:
        return self._session

    def get_config(self) -> TableConfig:
        return TableConfig(self._session.config)

    # ---------------------------------------------------------------- SQL

    def execute_sql(self, stmt: str) -> TableResult:
        from engine.errors import raise_flink_error

        with raise_flink_error():
            return self._session.execute_sql(stmt)

    def sql_query(self, query: str) -> Table:
        from engine.errors import raise_flink_error

        with raise_flink_error():
            operations = self._session.parse(query)
            if len(operations) != 1 or not isinstance(operations[0], ops.Query):
                from engine.session import SqlError

                raise SqlError(
                    "Unsupported SQL query! sqlQuery() only accepts a single SQL query.",
                    "org.apache.flink.table.api.ValidationException",
                )
            op = operations[0]
            self._session.plan_query(op.query)  # validate now, as Flink does
            return Table(self, op.query)

    def explain_sql(self, stmt: str, *details: Any) -> str:
        result = self.execute_sql(f"EXPLAIN {_detail_text(details)}{stmt}")
        return next(iter(result.collect()))[0]

    def create_statement_set(self) -> StatementSet:
        return StatementSet(self)

    # ---------------------------------------------------------------- catalog

    def create_temporary_view(self, view_path: str, table: Table, *fields: Any) -> None:
        from engine.errors import raise_flink_error

        with raise_flink_error():
            path = self._session.catalogs.qualify(tuple(view_path.split(".")))
            plan = self._session.plan_query(table.query)
            from planner.dialect import to_flink_sql

            columns = tuple(Column(f.name, f.type) for f in plan.schema)
            text = to_flink_sql(table.query)
            view = CatalogView(text, self._session._expand(table.query), columns)
            self._session.catalogs.create(path, view, if_not_exists=False, temporary=True)

    def create_temporary_table(self, path: str, descriptor: Any) -> None:
        raise NotImplementedError("TableDescriptor is not supported; use CREATE TEMPORARY TABLE")

    def drop_temporary_view(self, view_path: str) -> bool:
        path = self._session.catalogs.qualify(tuple(view_path.split(".")))
        return self._session.catalogs.temporary.pop(path, None) is not None

    def drop_temporary_table(self, table_path: str) -> bool:
        return self.drop_temporary_view(table_path)

    def from_path(self, path: str) -> Table:
        return self.sql_query(f"SELECT * FROM {path}")

    def list_catalogs(self) -> list[str]:
        return sorted(self._session.catalogs.catalogs)

    def list_databases(self) -> list[str]:
        cm = self._session.catalogs
        return sorted(cm.catalog(cm.current_catalog).databases)

    def list_tables(self) -> list[str]:
        return self._session.catalogs.list_objects("TABLES")

    def list_views(self) -> list[str]:
        return self._session.catalogs.list_objects("VIEWS")

    def list_temporary_tables(self) -> list[str]:
        return sorted(
            p[2] for p, o in self._session.catalogs.temporary.items() if isinstance(o, CatalogTable)
        )

    def list_temporary_views(self) -> list[str]:
        return sorted(
            p[2] for p, o in self._session.catalogs.temporary.items() if isinstance(o, CatalogView)
        )

    def list_user_defined_functions(self) -> list[str]:
        return self._session.catalogs.user_function_names()

    def list_functions(self) -> list[str]:
        result = self.execute_sql("SHOW FUNCTIONS")
        return [r[0] for r in result.collect()]

    def use_catalog(self, name: str) -> None:
        self._session.catalogs.use_catalog(name)

    def use_database(self, name: str) -> None:
        self._session.catalogs.use_database((name,))

    def get_current_catalog(self) -> str:
        return self._session.catalogs.current_catalog

    def get_current_database(self) -> str:
        return self._session.catalogs.current_database

    # ---------------------------------------------------------------- functions

    def create_temporary_system_function(self, name: str, function: Any) -> None:
        self._session.catalogs.temporary_system_functions[name.lower()] = _as_udf(function, name)

    def create_temporary_function(self, path: str, function: Any) -> None:
        cm = self._session.catalogs
        full = cm.qualify(tuple(path.split(".")))
        cm.temporary_functions[(full[0], full[1], full[2].lower())] = _as_udf(function, full[2])

    def create_java_temporary_function(self, path: str, function_class_name: str) -> None:
        raise NotImplementedError("Java functions cannot run without a JVM; use a Python udf")

    def drop_temporary_system_function(self, name: str) -> bool:
        return self._session.catalogs.temporary_system_functions.pop(name.lower(), None) is not None

    def drop_temporary_function(self, path: str) -> bool:
        cm = self._session.catalogs
        full = cm.qualify(tuple(path.split(".")))
        return cm.temporary_functions.pop((full[0], full[1], full[2].lower()), None) is not None

    # ---------------------------------------------------------------- data from Python

    def from_elements(
        self, elements: Iterable[Any], schema: Any = None, verify_schema: bool = True
    ) -> Table:
        rows = [tuple(e) if isinstance(e, list | tuple) else (e,) for e in elements]
        names, types = _schema_of(schema, rows)
        columns = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
        arrays = [pa.array(list(c), type=_arrow(t)) for c, t in zip(columns, types, strict=True)]
        return self._inline(pa.Table.from_arrays(arrays, names=names), names, types)

    def from_pandas(self, pdf: Any, schema: Any = None, splits_num: int = 1) -> Table:
        table = pa.Table.from_pandas(pdf, preserve_index=False)
        if schema is not None:
            names, types = _schema_of(schema, [])
            table = pa.Table.from_arrays(
                [table.column(i).cast(_arrow(t)) for i, t in enumerate(types)], names=names
            )
        else:
            names = table.column_names
            types = [from_arrow(f.type) for f in table.schema]
        return self._inline(table, names, types)

    def from_iterator(
        self,
        items: Iterable[Any],
        schema: Any,
        changelog_mode: str = "insert",
        primary_key: Sequence[str] | None = None,
    ) -> Table:
        """A table whose rows come from a Python iterable, possibly endless (our extension).

        `schema` is a ROW type (`DataTypes.ROW([...])`) or its text (`'ROW<k STRING, v INT>'`).
        `changelog_mode` is 'insert' (every item an insert), 'all' (each `Row`'s row kind counts)
        or 'upsert' (`Row`s of kind INSERT/UPDATE_AFTER replace the row of their `primary_key`,
        DELETE removes it). See `engine/iterator_source.py`.
        """
        from catalog.model import PrimaryKey
        from engine.inline_tables import ITERATOR_CONNECTOR, register_iterator

        if changelog_mode not in ("insert", "all", "upsert"):
            raise ValueError(
                f"changelog_mode must be 'insert', 'all' or 'upsert', not {changelog_mode!r}"
            )
        if changelog_mode == "upsert" and not primary_key:
            raise ValueError("An upsert iterator needs a primary_key")
        names, types = _schema_of(schema, [])
        key = register_iterator(items)
        pk = PrimaryKey("PK_iterator", tuple(primary_key)) if primary_key else None
        if pk is not None:
            types = [
                t.with_nullable(False) if n in pk.columns else t
                for n, t in zip(names, types, strict=True)
            ]
        table = CatalogTable(
            tuple(Column(n, t) for n, t in zip(names, types, strict=True)),
            (
                ("connector", ITERATOR_CONNECTOR),
                ("iterator.id", key),
                ("changelog-mode", changelog_mode),
            ),
            primary_key=pk,
        )
        name = f"UnnamedTable${next(_unnamed)}"
        cm = self._session.catalogs
        path = (cm.current_catalog, cm.current_database, name)
        cm.create(path, table, if_not_exists=False, temporary=True)
        return self.sql_query(f"SELECT * FROM `{name}`")

    def from_arrow(self, table: pa.Table) -> Table:
        names = table.column_names
        types = [from_arrow(f.type) for f in table.schema]
        return self._inline(table, names, types)

    def _inline(self, data: pa.Table, names: list[str], types: list[FlinkType]) -> Table:
        name = f"UnnamedTable${next(_unnamed)}"
        key = register_inline(data)
        table = CatalogTable(
            tuple(Column(n, t) for n, t in zip(names, types, strict=True)),
            (("connector", INLINE_CONNECTOR), ("inline.id", key)),
        )
        cm = self._session.catalogs
        path = (cm.current_catalog, cm.current_database, name)
        cm.create(path, table, if_not_exists=False, temporary=True)
        return self.sql_query(f"SELECT * FROM `{name}`")


def _as_udf(function: Any, name: str) -> Any:
    """A Python function ready to register: a scalar `udf(...)` or a table function `udtf(...)`."""
    from engine.python_udf import UserDefinedScalarFunction
    from engine.python_udtf import UserDefinedTableFunction

    if not isinstance(function, UserDefinedScalarFunction | UserDefinedTableFunction):
        raise TypeError(
            f"Function '{name}' must be created with udf(..., result_type=...) "
            "or udtf(..., result_types=...)"
        )
    return function


def _arrow(t: FlinkType) -> pa.DataType:
    from planner.arrow_types import to_arrow

    return to_arrow(t)


def _schema_of(schema: Any, rows: list[tuple]) -> tuple[list[str], list[FlinkType]]:
    if schema is None:
        width = len(rows[0]) if rows else 0
        names = [f"_{i + 1}" for i in range(width)]
        types = [_infer_type([r[i] for r in rows]) for i in range(width)]
        return names, types
    if isinstance(schema, list) and schema and all(isinstance(s, str) for s in schema):
        width = len(schema)
        return list(schema), [_infer_type([r[i] for r in rows]) for i in range(width)]
    if isinstance(schema, FlinkType) and schema.name == "ROW":
        return list(schema.field_names), list(schema.children)
    if isinstance(schema, str):
        t = parse_type(schema)
        return list(t.field_names), list(t.children)
    raise TypeError(f"Unsupported schema {schema!r}")


def _infer_type(values: list[Any]) -> FlinkType:
    from planner.arrow_types import from_arrow as fa

    return fa(pa.array(values).type)


def _detail_text(details: tuple[Any, ...]) -> str:
    names = [getattr(d, "name", str(d)).upper() for d in details]
    return (", ".join(names) + " ") if names else ""
