"""A session: configuration, catalogs and jobs, and the dispatch of operations to what runs them.

The TableEnvironment and the SQL client are thin shells over this: they hand it statement text or
operations and render the TableResults it returns.
"""

from __future__ import annotations

import duckdb

from catalog.errors import CatalogError
from catalog.manager import CatalogManager
from catalog.model import CatalogFunction, CatalogTable, CatalogView, Column
from engine import describe
from engine.batch_runner import BatchError, run_plan
from engine.config import Configuration
from engine.ddl import DdlError, build_table
from engine.insert import execute_inserts
from engine.jobs import JobClient
from engine.table_result import ResultKind, TableResult, ok_result
from engine.values import arrow_to_rows
from planner import operations as ops
from planner import plan as P
from planner.binder.context import BindContext, ValidationError
from planner.binder.query import bind_query
from planner.dialect import FlinkSqlParseError, to_flink_sql
from planner.statements import parse_script


class SqlError(Exception):
    """Any failure of a statement, with Flink's exception class name for the client's message."""

    def __init__(
        self,
        message: str,
        kind: str = "org.apache.flink.table.api.ValidationException",
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
        length: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.line, self.col, self.hint, self.length = line, col, hint, length


class Session:
    def __init__(self, config: Configuration | None = None) -> None:
        self.config = config or Configuration()
        self.catalogs = CatalogManager(self.config.get)
        self._con: duckdb.DuckDBPyConnection | None = None
        self.jobs: list[JobClient] = []
        self.statement_set: list[ops.Insert] | None = None
        self.python_functions: dict[str, object] = {}

    # ---------------------------------------------------------------- plumbing

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = duckdb.connect(":memory:")
        return self._con

    @property
    def batch(self) -> bool:
        return self.config.batch

    def time_zone(self) -> str:
        return self.config.local_time_zone()

    def bind_context(self) -> BindContext:
        return BindContext(
            self.catalogs, self.config.get, self.table_source, self.lookup_python_function
        )

    def table_source(self, path: tuple[str, str, str]) -> P.TableSource:
        found = self.catalogs.lookup(path)
        assert found is not None and isinstance(found[0], CatalogTable)
        table = found[0]
        return P.TableSource(
            key=".".join(path),
            path=path,
            columns=tuple(P.Field(c.name, c.type) for c in table.physical),
            options=table.options,
            partition_keys=table.partition_keys,
            primary_key=table.primary_key.columns if table.primary_key else None,
            watermark=self._physical_watermark(table),
        )

    def _physical_watermark(self, table: CatalogTable):
        """The table's watermark expression bound over its physical columns, if it needs no
        computed column (those are added above the scan, after the source emits watermarks)."""
        if table.watermark is None:
            return None
        from planner.binder.context import Scope, ScopeColumn
        from planner.binder.expressions import ExpressionBinder
        from planner.dialect import parse_expression

        columns = [ScopeColumn(None, c.name, c.type, i) for i, c in enumerate(table.physical)]
        try:
            node = parse_expression(table.watermark.expr)
            return ExpressionBinder(self.bind_context(), Scope(columns)).bind(node)
        except Exception:
            return None

    def lookup_python_function(self, parts: tuple[str, ...]) -> object | None:
        found = self.catalogs.lookup_function(parts)
        if isinstance(found, CatalogFunction):
            return self._load_catalog_function(parts, found)
        return found

    def _load_catalog_function(self, parts: tuple[str, ...], fn: CatalogFunction) -> object:
        if fn.language != "PYTHON":
            raise ValidationError(
                f"Function '{'.'.join(parts)}' is a {fn.language} function; only LANGUAGE PYTHON functions "
                "can run here."
            )
        key = fn.identifier
        if key not in self.python_functions:
            import importlib

            module_name, _, attr = key.rpartition(".")
            try:
                obj = getattr(importlib.import_module(module_name), attr)
            except (ImportError, AttributeError, ValueError) as e:
                raise ValidationError(f"Cannot load Python function '{key}': {e}") from None
            from engine.python_udf import ScalarFunction, UserDefinedScalarFunction
            from engine.python_udtf import TableFunction, UserDefinedTableFunction

            if isinstance(obj, type) and issubclass(obj, ScalarFunction):
                raise ValidationError(
                    f"Python function '{key}' must be wrapped with udf(..., result_type=...)"
                )
            if isinstance(obj, type) and issubclass(obj, TableFunction):
                raise ValidationError(
                    f"Python function '{key}' must be wrapped with udtf(..., result_types=...)"
                )
            if not isinstance(obj, UserDefinedScalarFunction | UserDefinedTableFunction):
                raise ValidationError(
                    f"'{key}' is not a user-defined function: decorate it with @udf(result_type=...)"
                )
            self.python_functions[key] = obj
        return self.python_functions[key]

    # ---------------------------------------------------------------- statements

    def execute_sql(self, text: str) -> TableResult:
        """Run a single statement (PyFlink's `execute_sql`)."""
        operations = self.parse(text)
        if len(operations) != 1:
            raise SqlError(
                "Unsupported SQL query! executeSql() only accepts a single SQL statement of type "
                "CREATE TABLE, DROP TABLE, ALTER TABLE, CREATE DATABASE, DROP DATABASE, ALTER DATABASE, "
                "CREATE FUNCTION, DROP FUNCTION, ALTER FUNCTION, CREATE CATALOG, DROP CATALOG, USE CATALOG, "
                "USE [CATALOG.]DATABASE, SHOW CATALOGS, SHOW DATABASES, SHOW TABLES, SHOW [USER] FUNCTIONS, "
                "SHOW PARTITIONS, CREATE VIEW, DROP VIEW, SHOW VIEWS, INSERT, DESCRIBE, LOAD MODULE, "
                "UNLOAD MODULE, USE MODULES, SHOW [FULL] MODULES.",
                "org.apache.flink.table.api.TableException",
            )
        return self.execute(operations[0])

    def parse(self, text: str) -> list[ops.Operation]:
        try:
            return parse_script(text)
        except FlinkSqlParseError as e:
            raise SqlError(
                str(e), "org.apache.flink.table.api.SqlParserException", e.line, e.col, e.hint
            ) from None

    def execute(self, op: ops.Operation) -> TableResult:
        try:
            return self._dispatch(op)
        except SqlError:
            raise
        except ValidationError as e:
            line, col = _abs_position(op, e.line, e.col)
            raise SqlError(
                e.message,
                e.java_class,
                line,
                col,
                e.hint,
                e.length,
            ) from None
        except CatalogError as e:
            raise SqlError(str(e), e.kind) from None
        except DdlError as e:
            raise SqlError(str(e), "org.apache.flink.table.api.ValidationException") from None
        except BatchError as e:
            raise SqlError(e.message, e.kind) from None
        except FlinkSqlParseError as e:
            raise SqlError(
                str(e), "org.apache.flink.table.api.SqlParserException", e.line, e.col, e.hint
            ) from None
        except Exception as e:
            from engine.stream.sinks import UpdatesIntoAppendSink

            if isinstance(e, UpdatesIntoAppendSink):
                line, col = _abs_position(op, 1, 1)
                raise SqlError(e.message, e.kind, line, col, e.hint) from None
            raise

    def _dispatch(self, op: ops.Operation) -> TableResult:
        match op:
            case ops.Query():
                return self.run_query(op.query)
            case ops.Insert():
                if self.statement_set is not None:
                    self.statement_set.append(op)
                    return ok_result()
                return execute_inserts(self, [op])
            case ops.StatementSet(inserts=inserts):
                return execute_inserts(self, list(inserts))
            case ops.BeginStatementSet():
                self.statement_set = []
                return ok_result()
            case ops.End():
                if self.statement_set is None:
                    raise SqlError(
                        "No Statement Set to submit, 'END' statement should be used after 'BEGIN STATEMENT SET'.",
                        "org.apache.flink.table.api.ValidationException",
                    )
                inserts, self.statement_set = self.statement_set, None
                if not inserts:
                    return ok_result()
                return execute_inserts(self, inserts)
            case ops.CreateTable():
                return self.create_table(op)
            case ops.CreateView():
                return self.create_view(op)
            case ops.CreateFunction():
                return self.create_function(op)
            case ops.CreateDatabase():
                self.catalogs.create_database(
                    op.name.parts, op.comment, dict(op.options), op.if_not_exists
                )
                return ok_result()
            case ops.CreateCatalog():
                self.catalogs.create_catalog(op.name, dict(op.options), op.if_not_exists)
                return ok_result()
            case ops.Drop():
                return self.drop(op)
            case ops.AlterTable() | ops.AlterView() | ops.AlterDatabase():
                from engine.alter import alter

                alter(self, op)
                return ok_result()
            case ops.Use():
                if op.kind == "CATALOG":
                    self.catalogs.use_catalog(op.name.parts[0])
                elif op.kind == "DATABASE":
                    self.catalogs.use_database(op.name.parts)
                return ok_result()
            case ops.Set(key=None):
                return describe.set_listing(self.config)
            case ops.Set(key=key, value=value):
                assert key is not None and value is not None
                self.config.set(key, value)
                if key.startswith("table.catalog-store"):
                    self.catalogs.reload_catalog_store()
                return ok_result()
            case ops.Reset(key=key):
                self.config.reset(key)
                return ok_result()
            case ops.Show():
                return describe.show(self, op)
            case ops.Describe():
                return describe.describe(self, op)
            case ops.Explain():
                return describe.explain(self, op)
            case ops.StopJob():
                return self.stop_job(op)
        raise SqlError(f"Unsupported statement: {type(op).__name__}")

    # ---------------------------------------------------------------- queries

    def plan_query(self, query) -> P.PlanNode:
        return bind_query(query, self.bind_context())

    def run_query(self, query) -> TableResult:
        from engine.table_result import ResolvedSchema

        plan = self.plan_query(query)
        schema = ResolvedSchema.of((f.name, f.type) for f in plan.schema)
        if not self.batch:
            from engine.stream.run import query_rows

            rows_iter = query_rows(self, plan)
            return TableResult(
                ResultKind.SUCCESS_WITH_CONTENT, schema, lambda: rows_iter, streaming=True
            )
        names = tuple(f.name for f in plan.schema)
        types = [f.type for f in plan.schema]
        table = run_plan(self.con, plan, self.time_zone())
        rows = arrow_to_rows(table, types, names, self.time_zone())
        return TableResult(
            ResultKind.SUCCESS_WITH_CONTENT, schema, lambda: iter(rows), streaming=not self.batch
        )

    # ---------------------------------------------------------------- DDL

    def create_table(self, op: ops.CreateTable) -> TableResult:
        path = self.catalogs.qualify(op.name.parts)
        if op.as_query is not None:
            from engine.insert import create_table_as

            return create_table_as(self, op, path)

        def like_source(name: ops.ObjectName) -> CatalogTable:
            found = self.catalogs.lookup(self.catalogs.qualify(name.parts))
            if found is None or not isinstance(found[0], CatalogTable):
                raise DdlError(
                    f"Source table '{'.'.join(name.parts)}' of the LIKE clause not found in the catalog"
                )
            return found[0]

        table = build_table(op, self.bind_context(), like_source)
        from engine.table_validation import validate_table

        validate_table(path, table)
        self.catalogs.create(path, table, if_not_exists=op.if_not_exists, temporary=op.temporary)
        return ok_result()

    def create_view(self, op: ops.CreateView) -> TableResult:
        path = self.catalogs.qualify(op.name.parts)
        plan = self.plan_query(op.query)
        names = list(op.column_names) if op.column_names else [f.name for f in plan.schema]
        if len(names) != len(plan.schema):
            raise ValidationError(
                f"VIEW definition and input fields not match:\n\tDef fields: {names}.\n\t"
                f"Input fields: {[f.name for f in plan.schema]}."
            )
        columns = tuple(Column(n, f.type) for n, f in zip(names, plan.schema, strict=True))
        view = CatalogView(op.query_sql, self._expand(op.query), columns, op.comment)
        self.catalogs.create(path, view, if_not_exists=op.if_not_exists, temporary=op.temporary)
        return ok_result()

    def _expand(self, query) -> str:
        """The view text with table names qualified against the current catalog and database."""
        from sqlglot import exp

        q = query.copy()
        cte_names = {c.alias for c in q.find_all(exp.CTE)}
        for t in q.find_all(exp.Table):
            if not isinstance(t.this, exp.Identifier):
                continue
            parts = tuple(p.name for p in t.parts)
            if len(parts) == 1 and parts[0] in cte_names:
                continue
            cat, db, name = self.catalogs.qualify(parts)
            t.set("catalog", exp.Identifier(this=cat, quoted=True))
            t.set("db", exp.Identifier(this=db, quoted=True))
            t.set("this", exp.Identifier(this=name, quoted=True))
        return to_flink_sql(q)

    def create_function(self, op: ops.CreateFunction) -> TableResult:
        fn = CatalogFunction(op.identifier, op.language)
        if op.language == "PYTHON":
            self._load_catalog_function(op.name.parts, fn)
        if op.system:
            name = op.name.parts[-1].lower()
            if name in self.catalogs.temporary_system_functions and not op.if_not_exists:
                raise CatalogError(
                    f"Could not register temporary system function. A function named '{name}' does already exist."
                )
            self.catalogs.temporary_system_functions[name] = (
                self._load_catalog_function(op.name.parts, fn) if op.language == "PYTHON" else fn
            )
            return ok_result()
        path = self.catalogs.qualify(op.name.parts)
        key = (path[0], path[1], path[2].lower())
        if op.temporary:
            if key in self.catalogs.temporary_functions and not op.if_not_exists:
                raise CatalogError(
                    f"Temporary catalog function {'.'.join(path)} is already defined"
                )
            self.catalogs.temporary_functions[key] = fn
            return ok_result()
        cat = self.catalogs.catalog(path[0])
        if cat.get_function(path[1], path[2]) is not None:
            if op.if_not_exists:
                return ok_result()
            raise CatalogError(
                f"Could not execute CREATE CATALOG FUNCTION: (catalogFunction: [Optional[{op.identifier}]], identifier: [`{path[0]}`.`{path[1]}`.`{path[2].lower()}`], ignoreIfExists: [false], isTemporary: [false])\nFunction {path[1]}.{path[2].lower()} already exists in Catalog {path[0]}."
            )
        cat.put_function(path[1], path[2], fn)
        return ok_result()

    def drop(self, op: ops.Drop) -> TableResult:
        if op.kind in ("TABLE", "VIEW"):
            self.catalogs.drop(
                self.catalogs.qualify(op.name.parts),
                op.kind,
                if_exists=op.if_exists,
                temporary=op.temporary,
            )
        elif op.kind == "DATABASE":
            self.catalogs.drop_database(op.name.parts, op.if_exists, op.cascade)
        elif op.kind == "CATALOG":
            self.catalogs.drop_catalog(op.name.parts[0], op.if_exists)
        else:
            self._drop_function(op)
        return ok_result()

    def _drop_function(self, op: ops.Drop) -> None:
        name = op.name.parts[-1].lower()
        if op.system:
            if (
                self.catalogs.temporary_system_functions.pop(name, None) is None
                and not op.if_exists
            ):
                raise CatalogError(f"Temporary system function {name} doesn't exist")
            return
        path = self.catalogs.qualify(op.name.parts)
        key = (path[0], path[1], path[2].lower())
        if op.temporary:
            if self.catalogs.temporary_functions.pop(key, None) is None and not op.if_exists:
                raise CatalogError(f"Temporary catalog function {'.'.join(path)} doesn't exist")
            return
        cat = self.catalogs.catalog(path[0])
        if cat.get_function(path[1], path[2]) is None:
            if op.if_exists:
                return
            raise CatalogError(
                f"Function {path[1]}.{path[2].lower()} does not exist in Catalog {path[0]}."
            )
        cat.remove_function(path[1], path[2])

    def stop_job(self, op: ops.StopJob) -> TableResult:
        for job in self.jobs:
            if job.job_id == op.job_id:
                job.cancel()
                return ok_result()
        raise SqlError(
            f"Could not stop job {op.job_id}: no such job in this session.",
            "org.apache.flink.table.api.TableException",
        )


def _abs_position(
    op: ops.Operation, line: int | None, col: int | None
) -> tuple[int | None, int | None]:
    """A position inside a statement made absolute within the script the statement came from."""
    pos = getattr(op, "pos", None)
    if line is None or pos is None:
        return line, col
    if line == 1:
        return pos.line, pos.col + (col or 1) - 1
    return pos.line + line - 1, col
