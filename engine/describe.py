"""SHOW, DESCRIBE, SET listing and EXPLAIN results, laid out as Flink's TableEnvironment returns them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from catalog.errors import CatalogError
from catalog.model import CatalogTable, CatalogView
from engine.config import Configuration
from engine.table_result import TableResult, rows_result
from planner import operations as ops
from planner import types as T

if TYPE_CHECKING:
    from engine.session import Session

STRING = T.string(True)
STRING_NN = T.string(False)


def _like(names: list[str], op: ops.Show) -> list[str]:
    if op.like is None:
        return names
    pattern = "^" + re.escape(op.like).replace("%", ".*").replace("_", ".") + "$"
    flags = re.IGNORECASE if op.ilike else 0
    matched = [n for n in names if re.match(pattern, n, flags)]
    return [n for n in names if n not in matched] if op.not_like else matched


def _single_column(name: str, values: list[str]) -> TableResult:
    return rows_result([name], [STRING_NN], [(v,) for v in values])


def show(session: Session, op: ops.Show) -> TableResult:
    cm = session.catalogs
    match op.kind:
        case "CATALOGS":
            return _single_column("catalog name", _like(sorted(cm.catalogs), op))
        case "CURRENT CATALOG":
            return _single_column("current catalog name", [cm.current_catalog])
        case "DATABASES":
            cat = cm.catalog(op.name.parts[0] if op.name else cm.current_catalog)
            return _single_column("database name", _like(sorted(cat.databases), op))
        case "CURRENT DATABASE":
            return _single_column("current database name", [cm.current_database])
        case "TABLES" | "VIEWS":
            cat_name, db = (
                cm.database_path(op.name.parts)
                if op.name
                else (cm.current_catalog, cm.current_database)
            )
            names = cm.list_objects(op.kind, cat_name, db)
            column = "table name" if op.kind == "TABLES" else "view name"
            return _single_column(column, _like(names, op))
        case "FUNCTIONS" | "USER FUNCTIONS":
            names = cm.user_function_names()
            if op.kind == "FUNCTIONS":
                from planner.functions import registry

                builtins = [n.lower() for n in registry.all_names() if not n.startswith("$")]
                names = sorted(set(names) | set(builtins))
            return _single_column("function name", _like(names, op))
        case "COLUMNS":
            assert op.name is not None
            result = describe(session, ops.Describe(op.name))
            return _filter_columns(result, op)
        case "CREATE TABLE" | "CREATE VIEW":
            assert op.name is not None
            return _show_create(session, op)
        case "CREATE CATALOG":
            assert op.name is not None
            name = op.name.parts[0]
            options = cm.catalog_options.get(name)
            if options is None:
                cm.catalog(name)
                options = {"type": cm.catalog(name).type_name}
            text = (
                f"CREATE CATALOG `{name}` WITH (\n"
                + ",\n".join(f"  '{k}' = '{v}'" for k, v in sorted(options.items()))
                + "\n)\n"
            )
            return _single_column("result", [text])
        case "JOBS":
            rows = [(j.job_id, j.name, j.status, "") for j in session.jobs]
            return rows_result(
                ["job id", "job name", "status", "start time"], [STRING_NN] * 4, rows
            )
        case "MODULES":
            return _single_column("module name", ["core"])
        case "FULL MODULES":
            return rows_result(
                ["module name", "used"], [STRING_NN, T.boolean(False)], [("core", True)]
            )
        case "PARTITIONS":
            raise CatalogError(
                "SHOW PARTITIONS is supported only for partitioned tables of a catalog that tracks partitions."
            )
    raise CatalogError(f"Unsupported SHOW {op.kind}")


def _filter_columns(result: TableResult, op: ops.Show) -> TableResult:
    if op.like is None:
        return result
    rows = [tuple(r) for r in result.collect()]
    names = _like([r[0] for r in rows], op)
    schema = result.get_resolved_schema()
    return rows_result(
        schema.get_column_names(),
        schema.get_column_data_types(),
        [r for r in rows if r[0] in names],
    )


def _lookup(session: Session, name: ops.ObjectName):
    path = session.catalogs.qualify(name.parts)
    found = session.catalogs.lookup(path)
    if found is None:
        raise CatalogError(f"Tables or views with the identifier '{'.'.join(path)}' doesn't exist.")
    return path, found[0]


def describe(session: Session, op: ops.Describe) -> TableResult:
    """Flink's DESCRIBE: name, type, null, key, extras, watermark (and comment when any column has one).

    The rowtime mark appears only in streaming mode: batch plans have no time attributes.
    """
    _, obj = _lookup(session, op.name)
    pk = obj.primary_key.columns if isinstance(obj, CatalogTable) and obj.primary_key else ()
    wm = obj.watermark if isinstance(obj, CatalogTable) else None
    with_comment = any(c.comment for c in obj.columns)
    rows = []
    for c in obj.columns:
        t = c.type.with_nullable(True).without_time_attr()
        if wm is not None and c.name == wm.column and not session.batch:
            t = t.with_time_attr("ROWTIME")
        elif c.type.time_attr == "PROCTIME":
            t = t.with_time_attr("PROCTIME")
        key = f"PRI({', '.join(pk)})" if c.name in pk else ""
        extras = ""
        if c.kind == "computed":
            extras = f"AS {c.expr}"
        elif c.kind == "metadata":
            extras = "METADATA"
            if c.metadata_key:
                extras += f" FROM '{c.metadata_key}'"
            if c.virtual:
                extras += " VIRTUAL"
        watermark = wm.expr if wm is not None and c.name == wm.column else ""
        row = (c.name, t.summary(), c.type.nullable, key, extras, watermark)
        rows.append((*row, c.comment or "") if with_comment else row)
    names = ["name", "type", "null", "key", "extras", "watermark"]
    types = [STRING_NN, STRING_NN, T.boolean(False), STRING, STRING, STRING]
    if with_comment:
        names.append("comment")
        types.append(STRING)
    return rows_result(names, types, rows)


def _show_create(session: Session, op: ops.Show) -> TableResult:
    assert op.name is not None
    path, obj = _lookup(session, op.name)
    ident = ".".join(f"`{p}`" for p in path)
    if isinstance(obj, CatalogView):
        if op.kind == "CREATE TABLE":
            raise CatalogError(
                f"SHOW CREATE TABLE is only supported for tables, but {ident} is a view. Please use SHOW CREATE VIEW instead."
            )
        text = (
            f"CREATE VIEW {ident} (\n" + ",\n".join(f"  `{c.name}`" for c in obj.columns) + "\n)\n"
        )
        if obj.comment:
            text += f"COMMENT '{obj.comment}'\n"
        text += f"AS {obj.expanded_query}\n"
        return _single_column("result", [text])
    if op.kind == "CREATE VIEW":
        raise CatalogError(
            f"SHOW CREATE VIEW is only supported for views, but {ident} is a table. Please use SHOW CREATE TABLE instead."
        )
    lines = []
    for c in obj.columns:
        if c.kind == "computed":
            line = f"  `{c.name}` AS {c.expr}"
        else:
            line = f"  `{c.name}` {c.type.without_time_attr().serialized()}"
            if c.kind == "metadata":
                line += " METADATA" + (f" FROM '{c.metadata_key}'" if c.metadata_key else "")
                line += " VIRTUAL" if c.virtual else ""
        if c.comment:
            line += f" COMMENT '{c.comment}'"
        lines.append(line)
    if obj.watermark:
        lines.append(f"  WATERMARK FOR `{obj.watermark.column}` AS {obj.watermark.expr}")
    if obj.primary_key:
        cols = ", ".join(f"`{c}`" for c in obj.primary_key.columns)
        lines.append(f"  CONSTRAINT `{obj.primary_key.name}` PRIMARY KEY ({cols}) NOT ENFORCED")
    text = f"CREATE TABLE {ident} (\n" + ",\n".join(lines) + "\n)\n"
    if obj.comment:
        text += f"COMMENT '{obj.comment}'\n"
    if obj.partition_keys:
        text += "PARTITIONED BY (" + ", ".join(f"`{k}`" for k in obj.partition_keys) + ")\n"
    text += "WITH (\n" + ",\n".join(f"  '{k}' = '{v}'" for k, v in obj.options) + "\n)\n"
    return _single_column("result", [text])


def set_listing(config: Configuration) -> TableResult:
    return rows_result(["key", "value"], [STRING_NN, STRING_NN], list(config.items()))


def explain(session: Session, op: ops.Explain) -> TableResult:
    from planner.explain import explain_text

    stmt = op.statement
    if isinstance(stmt, ops.Query):
        plans = [session.plan_query(stmt.query)]
    else:
        inserts = list(stmt.inserts) if isinstance(stmt, ops.StatementSet) else [stmt]
        from engine.insert import plan_insert

        plans = [plan_insert(session, i)[0] for i in inserts]
    return _single_column("result", [explain_text(plans, op.details, not session.batch)])


__all__ = ["describe", "explain", "set_listing", "show"]
