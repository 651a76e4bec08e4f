"""DDL operations to catalog records: column types resolved, constraints checked, LIKE merged.

Checks happen here, at CREATE time, so a bad definition never enters the catalog: unknown columns in
PRIMARY KEY / WATERMARK / PARTITIONED BY, a rowtime that is not TIMESTAMP(3) or TIMESTAMP_LTZ(3), a
computed column that does not type-check.
"""

from __future__ import annotations

from collections.abc import Callable

from catalog.model import CatalogTable, Column, PrimaryKey, Watermark
from planner import operations as ops
from planner.binder.context import BindContext, Scope, ScopeColumn, ValidationError
from planner.binder.datatypes import to_flink_type
from planner.binder.expressions import ExpressionBinder
from planner.dialect import to_flink_sql
from planner.types import FlinkType


class DdlError(Exception):
    """An invalid table definition (Flink's ValidationException)."""


def build_table(
    op: ops.CreateTable,
    ctx: BindContext,
    like_source: Callable[[ops.ObjectName], CatalogTable] | None = None,
) -> CatalogTable:
    columns: list[Column] = []
    watermark = op.watermark
    primary_key = op.primary_key
    pk_name = op.primary_key_name
    partition_keys = op.partition_keys
    options = dict(op.options)
    if op.like is not None:
        assert like_source is not None
        base = like_source(op.like.source)
        features = _like_features(op.like)
        columns += [c for c in base.columns if features["GENERATED"] or c.kind != "computed"]
        columns = [c for c in columns if features["METADATA"] or c.kind != "metadata"]
        if watermark is None and base.watermark and features["WATERMARKS"]:
            watermark = ops.WatermarkDef(base.watermark.column, _parse(base.watermark.expr))
        if primary_key is None and base.primary_key and features["CONSTRAINTS"]:
            primary_key, pk_name = base.primary_key.columns, base.primary_key.name
        if not partition_keys and features["PARTITIONS"]:
            partition_keys = base.partition_keys
        if features["OPTIONS"]:
            options = {**dict(base.options), **options}

    pk = set(primary_key or ())
    seen = {c.name for c in columns}
    for c in op.columns:
        if c.name in seen:
            raise DdlError(f"A column named '{c.name}' already exists in the base table.")
        seen.add(c.name)
        if c.kind == "computed":
            columns.append(_computed(c, columns, ctx))
            continue
        assert c.data_type is not None
        t = to_flink_type(c.data_type)
        if not c.nullable or c.name in pk:
            t = t.with_nullable(False)
        columns.append(Column(c.name, t, c.kind, None, c.metadata_key, c.virtual, c.comment))

    names = [c.name for c in columns]
    if primary_key is not None:
        for k in primary_key:
            if k not in names:
                raise DdlError(
                    f"Could not create a PRIMARY KEY with column '{k}' at line 1, column 1.\nColumn '{k}' does not exist."
                )
            col = columns[names.index(k)]
            if col.kind != "physical":
                raise DdlError(
                    f"Could not create a PRIMARY KEY '{pk_name or 'PK'}'. Column '{k}' is not a physical column."
                )
        columns = [c if c.name not in pk else _not_null(c) for c in columns]
    wm = None
    if watermark is not None:
        wm = _watermark(watermark, columns, ctx)
    for k in partition_keys:
        if k not in names:
            raise DdlError(
                f"Partition column '{k}' not defined in the table schema. Available columns: [{', '.join(names)}]"
            )
    return CatalogTable(
        columns=tuple(columns),
        options=tuple(options.items()),
        watermark=wm,
        primary_key=PrimaryKey(pk_name or _pk_name(primary_key), tuple(primary_key))
        if primary_key
        else None,
        partition_keys=tuple(partition_keys),
        comment=op.comment,
    )


def _pk_name(columns: tuple[str, ...]) -> str:
    """The name Flink 2.x gives an unnamed primary key: PK_ then the column names joined by '_'."""
    return "PK_" + "_".join(columns)


def _not_null(c: Column) -> Column:
    return Column(
        c.name, c.type.with_nullable(False), c.kind, c.expr, c.metadata_key, c.virtual, c.comment
    )


def _like_features(like: ops.LikeDef) -> dict[str, bool]:
    features = {
        k: True
        for k in ("CONSTRAINTS", "PARTITIONS", "WATERMARKS", "GENERATED", "METADATA", "OPTIONS")
    }
    for o in like.options:
        keys = list(features) if o.feature == "ALL" else [o.feature]
        for k in keys:
            features[k] = o.strategy != "EXCLUDING"
    return features


def _scope(columns: list[Column]) -> Scope:
    usable = [c for c in columns if c.kind != "computed"]
    return Scope([ScopeColumn(None, c.name, c.type, i) for i, c in enumerate(usable)])


def _computed(c: ops.ColumnDef, columns: list[Column], ctx: BindContext) -> Column:
    assert c.expr is not None
    try:
        e = ExpressionBinder(ctx, _scope(columns)).bind(c.expr)
    except ValidationError as err:
        raise DdlError(
            f"Invalid expression for computed column '{c.name}': {err.message}"
        ) from None
    t = e.type
    text = to_flink_sql(c.expr, identify=True)
    if _is_proctime(c.expr):
        t = FlinkType("TIMESTAMP_LTZ", False, 3, time_attr="PROCTIME")
    return Column(c.name, t, "computed", text, None, False, c.comment)


def _is_proctime(node) -> bool:
    from sqlglot import exp

    return (isinstance(node, exp.Anonymous) and node.name.upper() == "PROCTIME") or (
        isinstance(node, exp.Func) and node.sql_name().upper() == "PROCTIME"
    )


def _watermark(w: ops.WatermarkDef, columns: list[Column], ctx: BindContext) -> Watermark:
    names = [c.name for c in columns]
    if w.column not in names:
        raise DdlError(
            f"Invalid column name '{w.column}' for rowtime attribute in watermark declaration. "
            f"Available columns are: [{', '.join(names)}]"
        )
    col = columns[names.index(w.column)]
    if col.type.name not in ("TIMESTAMP", "TIMESTAMP_LTZ") or (col.type.precision or 0) > 3:
        raise DdlError(
            "Invalid data type of time field for watermark definition. The field must be of type "
            "TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the "
            f"time field type is {col.type.summary()}"
        )
    scope = Scope([ScopeColumn(None, c.name, c.type, i) for i, c in enumerate(columns)])
    try:
        e = ExpressionBinder(ctx, scope).bind(w.expr)
    except ValidationError as err:
        raise DdlError(f"Invalid expression for watermark '{w.column}': {err.message}") from None
    if e.type.name not in ("TIMESTAMP", "TIMESTAMP_LTZ"):
        raise DdlError(
            "Invalid data type of expression for watermark definition. The field must be of type "
            f"TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the "
            f"watermark expression type is {e.type.summary()}"
        )
    return Watermark(w.column, to_flink_sql(w.expr, identify=True))


def _parse(text: str):
    from planner.dialect import parse_expression

    return parse_expression(text)
