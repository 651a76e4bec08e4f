"""Batch lowering: a logical plan becomes one DuckDB query.

Every node becomes a subquery whose columns are named c0..cN (positions, so duplicate user names
and rewrites never clash); DuckDB's optimizer flattens the nesting. Expressions lower through the
function registry, which holds each function's Flink semantics as DuckDB SQL. Table scans read the
relations the executor registers under `source_relation(key)`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from collections.abc import Callable, Sequence
from typing import assert_never

from planner import plan as P
from planner.expr import (
    AggCall,
    Call,
    Cast,
    Expr,
    InputRef,
    Lit,
    OuterRef,
    SubQuery,
    Symbol,
    UdfCall,
)
from planner.functions import registry
from planner.functions.casts import lower_cast
from planner.types import FlinkType, to_duckdb
from planner.window_text import WINDOWED_CALLS, attach_window


def source_relation(key: str) -> str:
    """The DuckDB name under which the executor registers a table's rows."""
    return '"src_' + key.replace('"', '""') + '"'


def quote_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


class Lowering:
    """One query's lowering state: a counter for unique relation aliases, UDF names to register."""

    def __init__(self, udf_name: Callable[[object], str] | None = None) -> None:
        self._ids = itertools.count()
        self._udf_name = udf_name or (lambda f: getattr(f, "name", "udf"))

    def alias(self) -> str:
        return f"_t{next(self._ids)}"

    # ---------------------------------------------------------------- plans

    def plan(self, node: P.PlanNode, outer: Sequence[Sequence[str]] = ()) -> str:
        """SQL text of a SELECT producing the node's rows as columns c0..cN."""
        match node:
            case P.Scan(table=table, schema=schema):
                cols = ", ".join(f'"{f.name}" AS c{i}' for i, f in enumerate(schema))
                return f"SELECT {cols or '1 AS _unit'} FROM {source_relation(table.key)}"
            case P.Values(rows=rows, schema=schema):
                if not schema:
                    return "SELECT 1 AS _unit"
                # One VALUES list (not a UNION ALL of SELECTs) keeps the rows in one ordered
                # stream, so order-sensitive aggregates see them as Flink does.
                tuples = ", ".join(
                    "("
                    + ", ".join(
                        self._typed(self.expr(v, [], outer), f.type)
                        for v, f in zip(row, schema, strict=True)
                    )
                    + ")"
                    for row in rows
                )
                names = ", ".join(f"c{i}" for i in range(len(schema)))
                return f"SELECT * FROM (VALUES {tuples}) AS _v({names})"
            case P.Project(input=child, exprs=exprs):
                a = self.alias()
                cols = self._cols(a, child)
                items = ", ".join(
                    f"{self.expr(e, cols, outer)} AS c{i}" for i, e in enumerate(exprs)
                )
                return f"SELECT {items or '1 AS _unit'} FROM ({self.plan(child, outer)}) AS {a}"
            case P.Filter(input=child, condition=cond):
                a = self.alias()
                cols = self._cols(a, child)
                inner = self.plan(child, outer)
                return f"SELECT * FROM ({inner}) AS {a} WHERE {self.expr(cond, cols, outer)}"
            case P.Aggregate():
                return self._aggregate(node, outer)
            case P.Join():
                return self._join(node, outer)
            case P.SetOp(kind=kind, all=all_, inputs=inputs):
                op = f" {kind} ALL " if all_ else f" {kind} "
                return op.join(f"SELECT * FROM ({self.plan(i, outer)})" for i in inputs)
            case P.Sort(input=child, keys=keys, limit=limit, offset=offset):
                a = self.alias()
                cols = self._cols(a, child)
                sql = f"SELECT * FROM ({self.plan(child, outer)}) AS {a}"
                if keys:
                    sql += " ORDER BY " + ", ".join(self._sort_key(k, cols, outer) for k in keys)
                if limit is not None:
                    sql += f" LIMIT {limit}"
                if offset is not None:
                    sql += f" OFFSET {offset}"
                return sql
            case P.Over():
                return self._over(node, outer)
            case P.Correlate():
                return self._correlate(node, outer)
            case P.WindowTVF():
                return self._window_tvf(node, outer)
            case P.Sink(input=child):
                return self.plan(child, outer)
            case _:
                assert_never(node)

    @staticmethod
    def _cols(alias: str, node: P.PlanNode) -> list[str]:
        return [f"{alias}.c{i}" for i in range(len(node.schema))]

    def _typed(self, sql: str, t: FlinkType) -> str:
        return f"CAST({sql} AS {to_duckdb(t)})" if t.name != "NULL" else sql

    def _sort_key(self, k: P.SortKey, cols: list[str], outer) -> str:
        text = self.expr(k.expr, cols, outer)
        text += " DESC" if k.descending else " ASC"
        if k.nulls_first is not None:
            text += " NULLS FIRST" if k.nulls_first else " NULLS LAST"
        return text

    def _aggregate(self, node: P.Aggregate, outer) -> str:
        a = self.alias()
        cols = self._cols(a, node.input)
        keys = [cols[k] for k in node.keys]
        items = [f"{k} AS c{i}" for i, k in enumerate(keys)]
        for j, agg in enumerate(node.aggs):
            items.append(f"{self.agg(agg, cols, outer)} AS c{len(keys) + j}")
        if node.grouping_sets is not None:
            gid = f"GROUPING({', '.join(keys)})" if keys else "0"
            items.append(f"CAST({gid} AS BIGINT) AS c{len(items)}")
        sql = f"SELECT {', '.join(items) or '1 AS _unit'} FROM ({self.plan(node.input, outer)}) AS {a}"
        if node.grouping_sets is not None:
            sets = ", ".join("(" + ", ".join(keys[i] for i in s) + ")" for s in node.grouping_sets)
            sql += f" GROUP BY GROUPING SETS ({sets})"
        elif keys:
            sql += " GROUP BY " + ", ".join(keys)
        return sql

    def agg(self, agg: AggCall, cols: list[str], outer, window: str | None = None) -> str:
        """An aggregate call, or with `window` (the text inside OVER (...)) a windowed one.

        A definition may lower differently inside OVER (`extra["over"]`). Its lowering may wrap
        the aggregate calls in casts and arithmetic, so the window is attached to every
        aggregate call of the lowered text, with the argument texts held out as placeholders
        while that is done.
        """
        fdef = registry.by_name(agg.name)
        assert fdef is not None, agg.name
        args = [self.expr(x, cols, outer) for x in agg.args]
        conditions: list[str] = []
        if agg.filter is not None:
            conditions.append(self.expr(agg.filter, cols, outer))
        if agg.ignore_nulls and args:
            conditions.append(f"{args[0]} IS NOT NULL")
        if window is None:
            return _agg_text(fdef, agg, args, conditions, over=False)
        held = [f"\x00{i}\x00" for i in range(len(args) + len(conditions))]
        template = _agg_text(fdef, agg, held[: len(args)], held[len(args) :], over=True)
        names = frozenset(fdef.extra.get("duckdb_calls", WINDOWED_CALLS))  # type: ignore[arg-type]
        text = attach_window(template, window, names)
        for placeholder, value in zip(held, [*args, *conditions], strict=True):
            text = text.replace(placeholder, value)
        return text

    def _join(self, node: P.Join, outer) -> str:
        la, ra = self.alias(), self.alias()
        lcols, rcols = self._cols(la, node.left), self._cols(ra, node.right)
        both = lcols + rcols
        out = lcols if node.kind in ("SEMI", "ANTI") else both
        items = ", ".join(f"{c} AS c{i}" for i, c in enumerate(out))
        left_sql, right_sql = self.plan(node.left, outer), self.plan(node.right, outer)
        if node.kind == "CROSS" or node.condition is None:
            join = "CROSS JOIN" if node.kind in ("CROSS", "INNER") else f"{node.kind} JOIN"
            on = "" if join == "CROSS JOIN" else " ON TRUE"
            return f"SELECT {items} FROM ({left_sql}) AS {la} {join} ({right_sql}) AS {ra}{on}"
        cond = self.expr(node.condition, both, outer)
        kind = {
            "INNER": "INNER",
            "LEFT": "LEFT",
            "RIGHT": "RIGHT",
            "FULL": "FULL",
            "SEMI": "SEMI",
            "ANTI": "ANTI",
        }[node.kind]
        return (
            f"SELECT {items} FROM ({left_sql}) AS {la} {kind} JOIN ({right_sql}) AS {ra} ON {cond}"
        )

    def _over(self, node: P.Over, outer) -> str:
        a = self.alias()
        cols = self._cols(a, node.input)
        items = [f"{c} AS c{i}" for i, c in enumerate(cols)]
        for j, oc in enumerate(node.calls):
            window = []
            if oc.partition:
                window.append(
                    "PARTITION BY " + ", ".join(self.expr(p, cols, outer) for p in oc.partition)
                )
            if oc.order:
                window.append(
                    "ORDER BY " + ", ".join(self._sort_key(k, cols, outer) for k in oc.order)
                )
            if oc.frame is not None:
                window.append(self._frame(oc.frame))
            fn = self.agg(oc.call, cols, outer, window=" ".join(window))
            items.append(f"{fn} AS c{len(cols) + j}")
        return f"SELECT {', '.join(items)} FROM ({self.plan(node.input, outer)}) AS {a}"

    def _frame(self, f: P.WindowFrame) -> str:
        def bound(value, preceding: bool) -> str:
            if value is None:
                return "UNBOUNDED PRECEDING" if preceding else "UNBOUNDED FOLLOWING"
            if value == 0 and not isinstance(value, Lit):
                return "CURRENT ROW"
            text = str(value) if isinstance(value, int) else self.expr(value, [], [])
            return f"{text} {'PRECEDING' if preceding else 'FOLLOWING'}"

        return f"{f.mode} BETWEEN {bound(f.start, f.start_preceding)} AND {bound(f.end, f.end_preceding)}"

    def _correlate(self, node: P.Correlate, outer) -> str:
        if not node.unnest:
            return self._table_function(node, outer)
        if node.call.type.name == "ARRAY":
            return self._unnest_array(node, outer)
        a, u = self.alias(), self.alias()
        cols = self._cols(a, node.input)
        arg = self.expr(node.call, cols, outer)
        n_in = len(node.input.schema)
        produced = node.function_columns
        t = node.call.type
        if t.name in ("MAP", "MULTISET"):
            entries = f"map_entries({arg})"
            if t.name == "MAP":
                inner = f"SELECT (_e).key AS c{n_in}, (_e).value AS c{n_in + 1} FROM unnest({entries}) AS _u(_e)"
            else:
                inner = f"SELECT (_e).key AS c{n_in} FROM unnest({entries}) AS _u(_e), range((_e).value)"
        else:
            raise ValueError(f"Cannot unnest {t}")
        outs = ", ".join(
            [f"{a}.c{i} AS c{i}" for i in range(n_in)]
            + [f"{u}.c{n_in + i} AS c{n_in + i}" for i in range(len(produced))]
        )
        join = "LEFT JOIN LATERAL" if node.kind == "LEFT" else "CROSS JOIN LATERAL"
        on = " ON TRUE" if node.kind == "LEFT" else ""
        return f"SELECT {outs} FROM ({self.plan(node.input, outer)}) AS {a} {join} ({inner}) AS {u}{on}"

    def _window_tvf(self, node: P.WindowTVF, outer) -> str:
        """Window assignment in epoch milliseconds. A TUMBLE window starts at the time minus its
        (offset-shifted) remainder by the size; HOP lists the size/slide windows whose start is
        within one size before the time; CUMULATE lists the ends, one step apart, from the first
        step after the time to the end of the time's tumbling window of the full size."""
        a, i = self.alias(), self.alias()
        n_in = len(node.input.schema)
        cols = ", ".join(f"{a}.c{k} AS c{k}" for k in range(n_in))
        ms = f"epoch_ms({a}.c{node.time_index})"
        size, slide, off = node.size_ms, node.slide_ms, node.offset_ms

        def floor(step: int) -> str:
            return f"({ms} - ((({ms} - {off}) % {step}) + {step}) % {step})"

        source = f"({self.plan(node.input, outer)}) AS {a}"
        if node.kind == "TUMBLE":
            inner = (
                f"SELECT {cols}, {floor(size)} AS _ws, {floor(size)} + {size} AS _we FROM {source}"
            )
        elif node.kind == "HOP":
            last = floor(slide)
            starts = f"unnest(generate_series({last} - {size} + {slide}, {last}, {slide}))"
            inner = (
                f"SELECT *, _ws + {size} AS _we FROM "
                f"(SELECT {cols}, {starts} AS _ws FROM {source}) AS {i}"
            )
        else:
            start = floor(size)
            first_end = f"{start} + ((({ms}) - {start}) // {slide} + 1) * {slide}"
            ends = f"unnest(generate_series({first_end}, {start} + {size}, {slide}))"
            inner = f"SELECT {cols}, {start} AS _ws, {ends} AS _we FROM {source}"
        keep = ", ".join(f"c{k}" for k in range(n_in))
        return (
            f"SELECT {keep}{', ' if keep else ''}make_timestamp(_ws * 1000) AS c{n_in}, "
            f"make_timestamp(_we * 1000) AS c{n_in + 1}, "
            f"make_timestamp((_we - 1) * 1000) AS c{n_in + 2} FROM ({inner})"
        )

    def _unnest_array(self, node: P.Correlate, outer) -> str:
        """UNNEST of an ARRAY in the select list, so elements keep the array's order (a LATERAL
        join may not, see `_table_function`). LEFT pads an empty or NULL array with one NULL row;
        WITH ORDINALITY numbers the elements from 1 (NULL for the padding)."""
        a, i = self.alias(), self.alias()
        n_in = len(node.input.schema)
        cols = self._cols(a, node.input)
        arg = self.expr(node.call, cols, outer)
        inner = (
            f"SELECT {', '.join([*(f'{c} AS c{k}' for k, c in enumerate(cols)), f'{arg} AS _l'])} "
            f"FROM ({self.plan(node.input, outer)}) AS {a}"
        )
        left = node.kind == "LEFT"
        listed = f"coalesce(nullif({i}._l, []), [NULL])" if left else f"{i}._l"
        items = [f"{i}.c{k} AS c{k}" for k in range(n_in)] + [f"unnest({listed}) AS _e"]
        if node.with_ordinality:
            positions = f"range(1, len({i}._l) + 1)"
            if left:
                positions = f"coalesce(nullif({positions}, []), [NULL])"
            items.append(f"unnest({positions}) AS _o")
        unnested = f"SELECT {', '.join(items)} FROM ({inner}) AS {i}"
        element = node.call.type.children[0]
        if element.name == "ROW":
            produced = [
                f'(_e)."{name.replace(chr(34), chr(34) * 2)}" AS c{n_in + j}'
                for j, name in enumerate(element.field_names)
            ]
        else:
            produced = [f"_e AS c{n_in}"]
        if node.with_ordinality:
            produced.append(f"CAST(_o AS INTEGER) AS c{n_in + len(node.function_columns) - 1}")
        outs = [f"c{k}" for k in range(n_in)] + produced
        return f"SELECT {', '.join(outs)} FROM ({unnested})"

    def _table_function(self, node: P.Correlate, outer) -> str:
        """A table function correlate: its call (a UdfCall) gives each input row the LIST of the
        rows the function produced (ARRAY<ROW>), unnested in the select list.

        Not a LATERAL join as for UNNEST: DuckDB decorrelates those into a join over the distinct
        argument values, which loses the order of the produced rows and calls the function once
        per distinct argument; a select-list unnest calls it once per input row, in order, as
        Flink does. LEFT turns an empty list into one NULL row (the padding).
        """
        a, i = self.alias(), self.alias()
        n_in = len(node.input.schema)
        cols = self._cols(a, node.input)
        call = self.expr(node.call, cols, outer)
        listed = f"coalesce(nullif({i}._l, []), [NULL])" if node.kind == "LEFT" else f"{i}._l"
        keep = [f"{i}.c{k} AS c{k}" for k in range(n_in)]
        inner = (
            f"SELECT {', '.join([*(f'{c} AS c{k}' for k, c in enumerate(cols)), f'{call} AS _l'])} "
            f"FROM ({self.plan(node.input, outer)}) AS {a}"
        )
        unnested = f"SELECT {', '.join([*keep, f'unnest({listed}) AS _e'])} FROM ({inner}) AS {i}"
        element = node.call.type.children[0]
        outs = [f"c{k}" for k in range(n_in)] + [
            f'(_e)."{name.replace(chr(34), chr(34) * 2)}" AS c{n_in + j}'
            for j, name in enumerate(element.field_names)
        ]
        return f"SELECT {', '.join(outs)} FROM ({unnested})"

    # ---------------------------------------------------------------- expressions

    def expr(self, e: Expr, cols: Sequence[str], outer: Sequence[Sequence[str]]) -> str:
        match e:
            case InputRef(index=i):
                return cols[i]
            case OuterRef(depth=d, index=i):
                return outer[d - 1][i]
            case Lit(value=v, type=t):
                return literal_sql(v, t)
            case Symbol(name=name):
                return quote_string(name)
            case Cast(operand=operand, type=t, safe=safe):
                return (
                    "(" + lower_cast(self.expr(operand, cols, outer), operand.type, t, safe) + ")"
                )
            case Call(name=name, args=args, type=t):
                fdef = registry.by_name(name)
                if fdef is None:
                    raise ValueError(f"Function {name} has no lowering")
                parts = [self.expr(a, cols, outer) for a in args]
                return "(" + fdef.lower(parts, args, t) + ")"
            case UdfCall(function=f, args=args):
                parts = [self.expr(a, cols, outer) for a in args]
                return f"{self._udf_name(f)}({', '.join(parts)})"
            case SubQuery():
                return self._subquery(e, cols, outer)
            case _:
                assert_never(e)

    def _subquery(self, e: SubQuery, cols: Sequence[str], outer: Sequence[Sequence[str]]) -> str:
        inner = self.plan(e.plan, [list(cols), *outer])
        if e.kind == "SCALAR":
            return f"(SELECT c0 FROM ({inner}))"
        if e.kind == "EXISTS":
            return f"({'NOT ' if e.negated else ''}EXISTS ({inner}))"
        operands = [self.expr(o, cols, outer) for o in e.operands]
        left = operands[0] if len(operands) == 1 else "(" + ", ".join(operands) + ")"
        if e.kind == "IN":
            if len(operands) == 1:
                return f"({left} {'NOT ' if e.negated else ''}IN (SELECT c0 FROM ({inner})))"
            width = len(operands)
            row = "(" + ", ".join(f"c{i}" for i in range(width)) + ")"
            return f"({left} {'NOT ' if e.negated else ''}IN (SELECT {row} FROM ({inner})))"
        quant = "ANY" if e.kind == "SOME" else "ALL"
        return f"({left} {e.comparison} {quant} (SELECT c0 FROM ({inner})))"


def _agg_text(fdef, agg: AggCall, args: list[str], conditions: list[str], over: bool) -> str:
    """The lowered aggregate from its argument and FILTER condition texts."""
    args = list(args)
    # Functions that keep NULL inputs (ARRAY_AGG) take FILTER as a clause; the others ignore
    # NULLs, so a filtered-out row can simply become a NULL argument.
    clause = bool(fdef.extra.get("filter_clause"))
    if conditions and not clause:
        cond = " AND ".join(f"({c})" for c in conditions)
        if args:
            args[0] = f"CASE WHEN {cond} THEN {args[0]} END"
        else:
            args = [f"CASE WHEN {cond} THEN 1 END"]
    if agg.distinct and args:
        args[0] = f"DISTINCT {args[0]}"
    lower = fdef.extra.get("over") if over and "over" in fdef.extra else fdef.lower
    text = lower(args, agg.args, agg.type)
    if conditions and clause:
        text += " FILTER (WHERE " + " AND ".join(f"({c})" for c in conditions) + ")"
    return text


def literal_sql(v: object, t: FlinkType) -> str:
    """A Flink literal as DuckDB SQL of the mapped type."""
    if v is None:
        return f"CAST(NULL AS {to_duckdb(t)})" if t.name != "NULL" else "NULL"
    duck = to_duckdb(t)
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int) and t.name in ("INTERVAL_YM",):
        return f"to_months({v})"
    if isinstance(v, int) and t.name == "INT":
        return str(v)
    if isinstance(v, decimal.Decimal):
        # format 'f' never uses exponent notation (str() gives '1E-9', which DuckDB refuses)
        return f"CAST({quote_string(format(v, 'f'))} AS {duck})"
    if isinstance(v, int | float):
        return f"CAST({quote_string(repr(v))} AS {duck})"
    if isinstance(v, str):
        return quote_string(v)
    if isinstance(v, bytes):
        return "'" + "".join(f"\\x{b:02X}" for b in v) + "'::BLOB"
    if isinstance(v, dt.timedelta):
        ms = round(v.total_seconds() * 1000)
        return f"to_milliseconds({ms})"
    if isinstance(v, dt.datetime):
        return f"CAST({quote_string(v.isoformat(sep=' '))} AS {duck})"
    if isinstance(v, dt.date):
        return f"DATE {quote_string(v.isoformat())}"
    if isinstance(v, dt.time):
        return f"TIME {quote_string(v.isoformat())}"
    raise ValueError(f"Cannot lower literal {v!r} of type {t}")
