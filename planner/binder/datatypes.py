"""sqlglot DataType nodes (as the Flink dialect parses them) to Flink types."""

from __future__ import annotations

from sqlglot import exp

from planner import types as T
from planner.binder.context import invalid
from planner.types import FlinkType

_SIMPLE = {
    exp.DType.TINYINT: T.tinyint,
    exp.DType.SMALLINT: T.smallint,
    exp.DType.INT: T.int_,
    exp.DType.BIGINT: T.bigint,
    exp.DType.FLOAT: T.float_,
    exp.DType.DOUBLE: T.double,
    exp.DType.BOOLEAN: T.boolean,
    exp.DType.DATE: T.date,
    exp.DType.TEXT: T.string,
}


def _int_param(dt: exp.DataType, i: int, default: int | None) -> int | None:
    params = [e for e in dt.expressions if isinstance(e, exp.DataTypeParam | exp.Literal)]
    if i >= len(params):
        return default
    node = params[i].this if isinstance(params[i], exp.DataTypeParam) else params[i]
    try:
        return int(node.name if isinstance(node, exp.Expr) else node)
    except (TypeError, ValueError):
        return default


def to_flink_type(dt: exp.DataType) -> FlinkType:
    """Convert a parsed type; unknown types are a validation error pointing at the type."""
    t = _convert(dt)
    nullable = dt.args.get("nullable")
    if nullable is False:
        t = t.with_nullable(False)
    return t


def _convert(dt: exp.DataType) -> FlinkType:
    kind = dt.this
    if kind in _SIMPLE:
        return _SIMPLE[kind]()
    if kind == exp.DType.DECIMAL or kind == exp.DType.BIGDECIMAL:
        return T.decimal(_int_param(dt, 0, 10) or 10, _int_param(dt, 1, 0) or 0)
    if kind == exp.DType.CHAR:
        return T.char(_int_param(dt, 0, 1) or 1)
    if kind in (exp.DType.VARCHAR, exp.DType.NVARCHAR):
        length = _int_param(dt, 0, None)
        return T.string() if length is None else T.varchar(length)
    if kind == exp.DType.BINARY:
        return T.binary(_int_param(dt, 0, 1) or 1)
    if kind in (exp.DType.VARBINARY, exp.DType.BLOB):
        length = _int_param(dt, 0, None)
        return T.bytes_() if length is None else FlinkType("VARBINARY", True, length)
    if kind == exp.DType.TIME:
        return T.time(_int_param(dt, 0, 0) or 0)
    if kind in (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPNTZ, exp.DType.DATETIME):
        p = _int_param(dt, 0, 6)
        return T.timestamp(6 if p is None else p)
    if kind in (exp.DType.TIMESTAMPLTZ, exp.DType.TIMESTAMPTZ):
        p = _int_param(dt, 0, 6)
        return T.timestamp_ltz(6 if p is None else p)
    if kind == exp.DType.TIMESTAMP_MS:
        return T.timestamp(3)
    if kind == exp.DType.ARRAY:
        return T.array(to_flink_type(_child(dt, 0)))
    if kind == exp.DType.MAP:
        return T.map_(to_flink_type(_child(dt, 0)), to_flink_type(_child(dt, 1)))
    if kind in (exp.DType.STRUCT, exp.DType.OBJECT):
        fields = []
        for e in dt.expressions:
            if isinstance(e, exp.ColumnDef):
                fields.append((e.name, to_flink_type(e.args["kind"])))
            elif isinstance(e, exp.DataType):
                fields.append((f"EXPR${len(fields)}", to_flink_type(e)))
        return T.row(fields)
    if kind == exp.DType.INTERVAL:
        unit = dt.expressions[0].name.upper() if dt.expressions else ""
        return T.interval_ym() if unit.startswith(("YEAR", "MONTH")) else T.interval_dt()
    if kind == exp.DType.NULL:
        return T.NULL
    name = getattr(kind, "value", str(kind))
    if name.upper() == "MULTISET" or dt.args.get("kind") == "MULTISET":
        return T.multiset(to_flink_type(_child(dt, 0)))
    raise invalid(f"Unknown or unsupported data type '{dt.sql()}'", dt)


def _child(dt: exp.DataType, i: int) -> exp.DataType:
    children = [e for e in dt.expressions if isinstance(e, exp.DataType)]
    if i >= len(children):
        raise invalid(f"Incomplete data type '{dt.sql()}'", dt)
    return children[i]
