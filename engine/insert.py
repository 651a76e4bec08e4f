"""INSERT INTO / OVERWRITE and CTAS: match the query to the sink's columns, then write it.

The query's columns are matched to the sink's physical columns by position (or by the INSERT's column
list, with NULL for the others); each must be implicitly castable to the sink column's type, as Flink
checks, and is cast so the sink receives exactly its declared types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from catalog.model import CatalogTable
from engine.batch_runner import BatchError, run_plan, table_spec
from engine.jobs import run_job
from engine.table_result import ResolvedSchema, ResultKind, TableResult
from planner import operations as ops
from planner import plan as P
from planner import types as T
from planner.arrow_types import to_arrow_schema
from planner.binder.context import ValidationError
from planner.expr import Cast, Expr, InputRef, Lit
from planner.functions.coercion import implicitly_castable

if TYPE_CHECKING:
    from engine.session import Session


def plan_insert(session: Session, op: ops.Insert) -> tuple[P.Sink, CatalogTable]:
    path = session.catalogs.qualify(op.target.parts)
    found = session.catalogs.lookup(path)
    if found is None:
        raise ValidationError(
            f"Object '{op.target.parts[-1]}' not found within '{path[0]}.{path[1]}'"
        )
    table = found[0]
    if not isinstance(table, CatalogTable):
        raise ValidationError(
            f"The view {'.'.join(f'`{p}`' for p in path)} is not a table and cannot be written to."
        )
    query = session.plan_query(op.query)
    sink_columns = [c for c in table.columns if c.kind == "physical"]
    names = [c.name for c in sink_columns]
    static = dict(op.static_partitions)
    for k in static:
        if k not in table.partition_keys:
            raise ValidationError(
                f"Static partition column '{k}' is not a partition key of {'.'.join(path)}"
            )
    targets = list(op.columns) if op.columns else [n for n in names if n not in static]
    for n in targets:
        if n not in names:
            raise ValidationError(f"Unknown target column '{n}'")
    if len(targets) != len(query.schema):
        query_desc = ", ".join(f"{f.name}: {f.type.summary()}" for f in query.schema)
        sink_desc = ", ".join(
            f"{c.name}: {c.type.summary()}" for c in sink_columns if c.name in targets
        )
        raise ValidationError(
            f"Column types of query result and sink for '{'.'.join(path)}' do not match.\n"
            f"Cause: Different number of columns.\n\nQuery schema: [{query_desc}]\nSink schema:  [{sink_desc}]"
        )
    exprs: list[Expr] = []
    for c in sink_columns:
        if c.name in static:
            from planner.binder.context import Scope
            from planner.binder.expressions import ExpressionBinder

            value = ExpressionBinder(session.bind_context(), Scope([])).bind(static[c.name])
            exprs.append(value if value.type == c.type else Cast(value, c.type))
            continue
        if c.name not in targets:
            if not c.type.nullable:
                raise ValidationError(
                    f"Column '{c.name}' has no default value and does not allow NULLs"
                )
            exprs.append(Lit(None, c.type))
            continue
        i = targets.index(c.name)
        src = query.schema[i].type
        if not implicitly_castable(src, c.type):
            query_desc = ", ".join(f"{f.name}: {f.type.summary()}" for f in query.schema)
            sink_desc = ", ".join(f"{s.name}: {s.type.summary()}" for s in sink_columns)
            raise ValidationError(
                f"Column types of query result and sink for '{'.'.join(path)}' do not match.\n"
                f"Cause: Incompatible types for sink column '{c.name}' at position {names.index(c.name)}.\n\n"
                f"Query schema: [{query_desc}]\nSink schema:  [{sink_desc}]"
            )
        ref = InputRef(i, src, query.schema[i].name)
        exprs.append(
            ref
            if src.without_time_attr() == c.type
            else Cast(ref, c.type.with_nullable(src.nullable))
        )
    fields = tuple(P.Field(c.name, c.type) for c in sink_columns)
    project = P.Project(query, tuple(exprs), fields)
    source = session.table_source(path)
    static_text = tuple((k, _static_text(v)) for k, v in op.static_partitions)
    return P.Sink(project, source, op.overwrite, static_text, fields), table


def _static_text(node) -> str:
    from sqlglot import exp

    return node.name if isinstance(node, exp.Literal) else node.sql()


def execute_inserts(session: Session, inserts: list[ops.Insert]) -> TableResult:
    """Run INSERTs as one job (a statement set writes all its sinks or none)."""
    planned = [plan_insert(session, op) for op in inserts]
    for sink, _ in planned:
        if sink.overwrite and not session.batch:
            raise ValidationError(
                "INSERT OVERWRITE expects a bounded input: it is not supported in streaming mode."
            )
    names = ", ".join(".".join(s.table.path) for s, _ in planned)
    if session.batch:

        def body(job) -> None:
            write_sinks(session, [s for s, _ in planned])

        background = False
    else:
        from engine.stream.sinks import check_sinks, run_insert_job

        checked = check_sinks(session, [s for s, _ in planned])

        def body(job) -> None:
            run_insert_job(session, checked, job)

        background = not session.config.get_bool("table.dml-sync")
    job = run_job(f"insert-into_{names}", body, background=background)
    session.jobs.append(job)
    schema = ResolvedSchema.of([(f"{'.'.join(s.table.path)}", T.bigint(False)) for s, _ in planned])
    return TableResult(ResultKind.SUCCESS_WITH_CONTENT, schema, lambda: iter([]), job_client=job)


def write_sinks(session: Session, sinks: list[P.Sink]) -> None:
    from connectors.api import ConnectorError
    from connectors.registry import create_sink

    opened = []
    try:
        results = []
        for sink in sinks:
            table = run_plan(session.con, sink, session.time_zone())
            results.append(table)
        for sink, table in zip(sinks, results, strict=True):
            spec = table_spec(sink.table)
            target = create_sink(spec)
            arrow_schema = to_arrow_schema([(f.name, f.type) for f in sink.schema])
            data = _conform(table, arrow_schema, sink)
            target.open(
                overwrite=sink.overwrite, static_partitions=dict(sink.static_partitions) or None
            )
            opened.append(target)
            for batch in data.to_batches(max_chunksize=65536):
                target.write(batch, None)
        for target in opened:
            target.close()
    except ConnectorError as e:
        for target in opened:
            target.abort()
        raise BatchError(str(e)) from None
    except BaseException:
        for target in opened:
            target.abort()
        raise


def _conform(table: pa.Table, schema: pa.Schema, sink: P.Sink) -> pa.Table:
    """Rename c0..cN to the sink's names, enforce NOT NULL, and cast to the sink's Arrow types."""
    columns = []
    for i, field in enumerate(schema):
        col = table.column(i)
        if not field.nullable and col.null_count:
            raise BatchError(
                f"Column '{field.name}' is NOT NULL, however, a null value is being written into it. "
                "You can set job configuration 'table.exec.sink.not-null-enforcer'='DROP' to suppress "
                "this exception and drop such records silently."
            )
        columns.append(col.cast(field.type) if col.type != field.type else col)
    return pa.Table.from_arrays(columns, schema=schema)


def create_table_as(
    session: Session, op: ops.CreateTable, path: tuple[str, str, str]
) -> TableResult:
    """CTAS: derive the table's columns from the query, create it, then insert the query's rows."""
    from catalog.model import Column
    from engine.ddl import build_table

    assert op.as_query is not None
    query = session.plan_query(op.as_query)
    declared = build_table(
        ops.CreateTable(
            op.name,
            op.columns,
            op.watermark,
            op.primary_key,
            op.primary_key_name,
            op.partition_keys,
            op.options,
            op.comment,
        ),
        session.bind_context(),
    )
    columns = list(declared.columns)
    known = {c.name for c in columns}
    for f in query.schema:
        if f.name not in known:
            columns.append(Column(f.name, f.type.without_time_attr()))
    from dataclasses import replace

    table = replace(declared, columns=tuple(columns))
    from engine.table_validation import validate_table

    validate_table(path, table)
    if session.catalogs.lookup(path) is not None and not op.replace and op.if_not_exists:
        from engine.table_result import ok_result

        return ok_result()
    session.catalogs.create(
        path, table, if_not_exists=False, temporary=op.temporary, replace=op.replace
    )
    try:
        return execute_inserts(
            session,
            [ops.Insert(op.name, op.as_query, tuple(f.name for f in query.schema), pos=op.pos)],
        )
    except Exception:
        if not op.replace:
            session.catalogs.drop(path, "TABLE", if_exists=True, temporary=op.temporary)
        raise
