"""Literals: Flink's literal types and values.

`'ab'` is CHAR(2) NOT NULL (length in UTF-16 units, as Java counts), `''` is CHAR(0), `1` INT NOT NULL
(BIGINT beyond 32 bits), `1.5` DECIMAL(2, 1) NOT NULL, `1e3` DOUBLE NOT NULL; `INTERVAL '..' unit` is a
timedelta (DAY..SECOND) or a month count (YEAR/MONTH); `TIMESTAMP '...'` has the precision written.
"""

from __future__ import annotations

import datetime as dt
import decimal

from sqlglot import exp

from planner import types as T
from planner.binder.context import invalid
from planner.expr import Lit


def java_length(text: str) -> int:
    """Length in UTF-16 code units (an emoji counts 2), Java's String.length()."""
    return len(text.encode("utf-16-le")) // 2


def literal(node: exp.Literal, negative: bool = False) -> Lit:
    text = ("-" if negative else "") + node.this
    if node.is_string:
        return Lit(text, T.char(java_length(text), False) if text else FlinkType_char0())
    lowered = text.lower()
    if "e" in lowered:
        return Lit(float(text), T.double(False))
    if "." in text:
        d = decimal.Decimal(text)
        digits = d.as_tuple()
        scale = max(0, -int(digits.exponent))
        precision = max(len(digits.digits), scale, 1)
        if precision > 38:
            raise invalid(f"Numeric literal '{text}' out of range", node)
        return Lit(d, T.decimal(precision, scale, False))
    value = int(text)
    if -(2**31) <= value < 2**31:
        return Lit(value, T.int_(False))
    if -(2**63) <= value < 2**63:
        return Lit(value, T.bigint(False))
    if len(text.lstrip("-")) > 38:
        raise invalid(f"Numeric literal '{text}' out of range", node)
    return Lit(decimal.Decimal(value), T.decimal(len(text.lstrip("-")), 0, False))


def FlinkType_char0() -> T.FlinkType:
    return T.FlinkType("CHAR", False, 0)


_DT_UNITS = {"DAY": 86400000, "HOUR": 3600000, "MINUTE": 60000, "SECOND": 1000}


def interval_literal(node: exp.Interval) -> Lit:
    """INTERVAL 'text' unit [TO unit]: DAY..SECOND become a timedelta, YEAR/MONTH a month count."""
    value_node = node.this
    text = value_node.name if isinstance(value_node, exp.Literal) else value_node.sql()
    unit = node.args.get("unit")
    if isinstance(unit, exp.IntervalSpan):
        start, end = unit.this.name.upper(), unit.expression.name.upper()
    else:
        start = end = (unit.name if unit is not None else "SECOND").upper()
    start, end = (
        start.rstrip("S") if start.endswith("S") else start,
        end.rstrip("S") if end.endswith("S") else end,
    )
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    try:
        if start in ("YEAR", "MONTH"):
            if start == "YEAR" and end == "MONTH":
                years, _, months = body.partition("-")
                total = int(years) * 12 + int(months or 0)
            else:
                total = int(body) * (12 if start == "YEAR" else 1)
            return Lit(sign * total, T.interval_ym(False))
        units = ["DAY", "HOUR", "MINUTE", "SECOND"]
        if start not in units or end not in units:
            raise ValueError(start)
        wanted = units[units.index(start) : units.index(end) + 1]
        pieces = body.replace(" ", ":").split(":")
        if len(pieces) != len(wanted):
            raise ValueError(text)
        ms = 0.0
        for u, p in zip(wanted, pieces, strict=True):
            ms += float(p) * _DT_UNITS[u]
        return Lit(dt.timedelta(milliseconds=sign * round(ms)), T.interval_dt(False))
    except ValueError:
        raise invalid(f"Illegal interval literal format '{text}' for {start}", node) from None


def is_typed_literal(node: exp.Cast) -> bool:
    """`TIMESTAMP '...'` parses to a Cast like CAST('...' AS TIMESTAMP) but without CAST's options."""
    if node.args.get("typed_literal"):
        return True
    to = node.args.get("to")
    return (
        isinstance(node.this, exp.Literal)
        and node.this.is_string
        and "safe" not in node.args
        and isinstance(to, exp.DataType)
        and not to.expressions
    )
