"""Binding the window table-valued functions TUMBLE, HOP and CUMULATE.

`TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size [, offset]))`, `HOP(.., slide, size [, offset])` and
`CUMULATE(.., step, size [, offset])` become a `WindowTVF` node: the input's columns then
`window_start`, `window_end` (TIMESTAMP(3) NOT NULL) and `window_time` (the window's rowtime, end
minus 1 ms). SESSION windows are not supported yet.
"""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from planner import plan as P
from planner import types as T
from planner.binder.context import BindContext, Scope, ValidationError, invalid
from planner.binder.literals import interval_literal
from planner.dialect.nodes import WindowTVF

TABLE_EXCEPTION = "org.apache.flink.table.api.TableException"


def _millis(node: exp.Expr | None, what: str, item: WindowTVF) -> int:
    if not isinstance(node, exp.Interval):
        raise invalid(
            f"The {what} of a {item.name.upper()} window must be an INTERVAL literal", item
        )
    value = interval_literal(node).value
    if not isinstance(value, dt.timedelta):
        raise invalid(
            f"The {what} of a {item.name.upper()} window must be a day-time interval", node
        )
    return int(value / dt.timedelta(milliseconds=1))


def bind_window_tvf(item: WindowTVF, ctx: BindContext, parent: Scope | None) -> P.WindowTVF:
    from planner.binder.relations import bind_relation

    kind = item.name.upper()
    if kind == "SESSION":
        raise ValidationError(
            "Window table-valued function SESSION is not supported yet.",
            item,
            java_class=TABLE_EXCEPTION,
        )
    node, _ = bind_relation(item.args["table"], ctx, parent)
    timecol = item.args["timecol"]
    names = [f.name for f in node.schema]
    if timecol.name not in names:
        raise invalid(f"Column '{timecol.name}' not found in the window function's table", timecol)
    index = names.index(timecol.name)
    time_type = node.schema[index].type
    if time_type.name != "TIMESTAMP":
        detail = time_type.without_time_attr().summary()
        raise ValidationError(
            "The window function requires the timecol to be a TIMESTAMP time attribute, "
            f"but is {detail}."
            + (" TIMESTAMP_LTZ windows are not supported yet." if "LTZ" in time_type.name else ""),
            timecol,
            java_class=TABLE_EXCEPTION,
        )
    size = _millis(item.args.get("size"), "size", item)
    slide = 0
    if kind == "HOP":
        slide = _millis(item.args.get("slide"), "slide", item)
    elif kind == "CUMULATE":
        slide = _millis(item.args.get("step"), "step", item)
    offset = _millis(item.args["offset"], "offset", item) if item.args.get("offset") else 0
    if size <= 0 or slide < 0 or (kind != "TUMBLE" and slide <= 0):
        raise invalid(f"{kind} window size and slide/step must be positive", item)
    if kind != "TUMBLE" and size % slide:
        what = "slide" if kind == "HOP" else "step"
        raise ValidationError(
            f"{kind} table function based aggregate requires size must be an integral multiple "
            f"of {what}, but got size {size} ms and {what} {slide} ms.",
            item,
            java_class=TABLE_EXCEPTION,
        )
    bound = T.timestamp(3, False)
    window_time = bound.with_time_attr("ROWTIME") if time_type.time_attr else bound
    schema = (
        *node.schema,
        P.Field("window_start", bound),
        P.Field("window_end", bound),
        P.Field("window_time", window_time),
    )
    return P.WindowTVF(node, kind, index, size, schema, slide, offset)  # type: ignore[arg-type]
