"""ALTER TABLE / VIEW / DATABASE: a changed definition replaces the old one atomically."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from catalog.errors import CatalogError
from catalog.model import CatalogTable, CatalogView
from engine.ddl import build_table
from planner import operations as ops

if TYPE_CHECKING:
    from engine.session import Session


def alter(session: Session, op: ops.AlterTable | ops.AlterView | ops.AlterDatabase) -> None:
    cm = session.catalogs
    if isinstance(op, ops.AlterDatabase):
        cat, db = cm.database_path(op.name.parts)
        cm.catalog(cat).alter_database(db, dict(op.options))
        return
    path = cm.qualify(op.name.parts)
    found = cm.lookup(path)
    if found is None:
        if isinstance(op, ops.AlterTable) and op.if_exists:
            return
        raise CatalogError(
            f"Table `{path[0]}`.`{path[1]}`.`{path[2]}` doesn't exist or is a temporary table."
        )
    obj = found[0]
    if isinstance(op, ops.AlterView):
        if not isinstance(obj, CatalogView):
            raise CatalogError("ALTER VIEW for a table is not allowed")
        if op.new_name is not None:
            cm.rename(path, cm.qualify(op.new_name.parts))
        elif op.query is not None:
            plan = session.plan_query(op.query)
            from catalog.model import Column

            columns = tuple(Column(f.name, f.type) for f in plan.schema)
            cm.replace(
                path,
                CatalogView(op.query_sql or "", session._expand(op.query), columns, obj.comment),
            )
        return
    if not isinstance(obj, CatalogTable):
        raise CatalogError("ALTER TABLE for a view is not allowed")
    match op.action:
        case "rename":
            assert op.new_name is not None
            cm.rename(path, cm.qualify(op.new_name.parts))
        case "set":
            options = dict(obj.options)
            options.update(op.options)
            cm.replace(path, replace(obj, options=tuple(options.items())))
        case "reset":
            if "connector" in op.keys:
                raise CatalogError("ALTER TABLE RESET does not support changing 'connector'")
            options = {k: v for k, v in obj.options if k not in op.keys}
            cm.replace(path, replace(obj, options=tuple(options.items())))
        case "add" | "modify":
            cm.replace(path, _add_or_modify(session, obj, op))
        case "drop_columns":
            names = {c.name for c in obj.columns}
            for k in op.keys:
                if k not in names:
                    raise CatalogError(f"The column `{k}` does not exist in the base table.")
                if obj.primary_key and k in obj.primary_key.columns:
                    raise CatalogError(f"The column `{k}` is used as the primary key.")
                if obj.watermark and k == obj.watermark.column:
                    raise CatalogError(f"The column `{k}` is referenced by watermark expression.")
            cols = tuple(c for c in obj.columns if c.name not in op.keys)
            cm.replace(path, replace(obj, columns=cols))
        case "drop_primary_key":
            if obj.primary_key is None:
                raise CatalogError("The base table does not define any primary key.")
            cm.replace(path, replace(obj, primary_key=None))
        case "drop_watermark":
            if obj.watermark is None:
                raise CatalogError("The base table does not define any watermark strategy.")
            cm.replace(path, replace(obj, watermark=None))
        case "rename_column":
            names = [c.name for c in obj.columns]
            if op.old not in names:
                raise CatalogError(f"The column `{op.old}` does not exist in the base table.")
            if op.new in names:
                raise CatalogError(f"The column `{op.new}` already existed in table schema.")
            cols = tuple(replace(c, name=op.new) if c.name == op.old else c for c in obj.columns)
            pk = obj.primary_key
            if pk is not None:
                pk = replace(pk, columns=tuple(op.new if k == op.old else k for k in pk.columns))
            wm = obj.watermark
            if wm is not None and wm.column == op.old:
                wm = replace(wm, column=op.new or wm.column)
            cm.replace(path, replace(obj, columns=cols, primary_key=pk, watermark=wm))


def _add_or_modify(session: Session, obj: CatalogTable, op: ops.AlterTable) -> CatalogTable:
    names = [c.name for c in obj.columns]
    for c in op.columns:
        exists = c.name in names
        if op.action == "add" and exists:
            raise CatalogError(f"Try to add a column `{c.name}` which already exists in the table.")
        if op.action == "modify" and not exists:
            raise CatalogError(
                f"Try to modify a column `{c.name}` which does not exist in the table."
            )
    if op.action == "add" and op.watermark is not None and obj.watermark is not None:
        raise CatalogError(
            "The base table has already defined the watermark strategy. You might want to use ALTER TABLE MODIFY instead."
        )
    if op.action == "add" and op.primary_key is not None and obj.primary_key is not None:
        raise CatalogError(
            "The base table has already defined the primary key constraint. You might want to use ALTER TABLE MODIFY instead."
        )
    # Rebuild through the CREATE path so every check of a new definition applies.
    new_cols = {c.name: c for c in op.columns}
    from planner.dialect import parse_expression

    rebuilt: list[ops.ColumnDef] = []
    for c in obj.columns:
        if c.name in new_cols and op.action == "modify":
            rebuilt.append(new_cols.pop(c.name))
        else:
            rebuilt.append(_as_def(c, parse_expression))
    rebuilt += list(new_cols.values())
    watermark = op.watermark
    if watermark is None and obj.watermark is not None:
        watermark = ops.WatermarkDef(obj.watermark.column, parse_expression(obj.watermark.expr))
    pk = (
        op.primary_key
        if op.primary_key is not None
        else (obj.primary_key.columns if obj.primary_key else None)
    )
    create = ops.CreateTable(
        ops.ObjectName(("t",)),
        tuple(rebuilt),
        watermark,
        pk,
        None if op.primary_key is not None else (obj.primary_key.name if obj.primary_key else None),
        obj.partition_keys,
        obj.options,
        obj.comment,
    )
    return build_table(create, session.bind_context())


def _as_def(c, parse_expression) -> ops.ColumnDef:
    from sqlglot import exp

    if c.kind == "computed":
        return ops.ColumnDef(c.name, "computed", expr=parse_expression(c.expr), comment=c.comment)
    dt = exp.DataType.build(c.type.sql().replace(" NOT NULL", ""), dialect=_flink())
    return ops.ColumnDef(
        c.name, c.kind, dt, None, c.metadata_key, c.virtual, c.type.nullable, c.comment
    )


def _flink():
    from planner.dialect import Flink

    return Flink
