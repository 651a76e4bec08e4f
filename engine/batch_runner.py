"""Running a logical plan in batch mode: register its sources in DuckDB, lower it, execute it.

Each query gets its own DuckDB cursor, so sources registered for one query never leak into another
and background jobs do not share connection state.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterator

import duckdb
import pyarrow as pa

from connectors.api import ConnectorError, TableSpec
from engine.inline_tables import INLINE_CONNECTOR, ITERATOR_CONNECTOR, inline_table
from planner import plan as P
from planner.arrow_types import to_arrow_schema
from planner.expr import Expr, SubQuery, UdfCall, walk
from planner.lower_duckdb import Lowering, source_relation


class BatchError(Exception):
    """A batch query that cannot run or fails while running.

    `kind` is the Java exception class Flink reports for the same failure (the client prints it).
    """

    def __init__(
        self, message: str, kind: str = "org.apache.flink.table.api.TableException"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


def scans(node: P.PlanNode) -> Iterator[P.Scan]:
    """Every Scan of a plan, including those inside subquery expressions."""
    if isinstance(node, P.Scan):
        yield node
    for e in node_expressions(node):
        for x in walk(e):
            if isinstance(x, SubQuery):
                yield from scans(x.plan)
    for child in P.children(node):
        yield from scans(child)


def udf_calls(node: P.PlanNode) -> Iterator[UdfCall]:
    for e in node_expressions(node):
        for x in walk(e):
            if isinstance(x, UdfCall):
                yield x
            if isinstance(x, SubQuery):
                yield from udf_calls(x.plan)
    for child in P.children(node):
        yield from udf_calls(child)


def node_expressions(node: P.PlanNode) -> list[Expr]:
    match node:
        case P.Project(exprs=exprs):
            return list(exprs)
        case P.Filter(condition=c):
            return [c]
        case P.Join(condition=c):
            return [c] if c is not None else []
        case P.Values(rows=rows):
            return [e for r in rows for e in r]
        case P.Aggregate(aggs=aggs):
            return [a for agg in aggs for a in agg.args] + [
                agg.filter for agg in aggs if agg.filter is not None
            ]
        case P.Over(calls=calls):
            out: list[Expr] = []
            for c in calls:
                out += list(c.call.args) + list(c.partition) + [k.expr for k in c.order]
            return out
        case P.Sort(keys=keys):
            return [k.expr for k in keys]
        case P.Correlate(call=call):
            return [call]
    return []


def table_spec(source: P.TableSource, runtime_mode: str = "batch") -> TableSpec:
    return TableSpec(
        name=".".join(source.path),
        schema=to_arrow_schema([(f.name, f.type.without_time_attr()) for f in source.columns]),
        options=dict(source.options),
        partition_keys=source.partition_keys,
        primary_key=source.primary_key,
        runtime_mode=runtime_mode,  # type: ignore[arg-type]
    )


def register_sources(cursor: duckdb.DuckDBPyConnection, plan: P.PlanNode) -> None:
    from connectors.registry import create_source

    done: set[str] = set()
    for scan in scans(plan):
        source = scan.table
        if source.key in done:
            continue
        done.add(source.key)
        spec = table_spec(source)
        name = source_relation(source.key)
        options = dict(source.options)
        if options.get("connector") == INLINE_CONNECTOR:
            cursor.register(name.strip('"').replace('""', '"'), inline_table(options["inline.id"]))
            continue
        if options.get("connector") == ITERATOR_CONNECTOR:
            from engine.inline_tables import iterator_items
            from engine.iterator_source import read_all

            try:
                data = read_all(iterator_items(options["iterator.id"]), spec.schema)  # type: ignore[arg-type]
            except ValueError as e:
                raise BatchError(str(e)) from None
            cursor.register(name.strip('"').replace('""', '"'), data)
            continue
        try:
            src = create_source(spec)
        except ConnectorError as e:
            raise BatchError(str(e)) from None
        if not src.bounded:
            raise BatchError(
                f"Querying an unbounded table '{spec.name}' in batch mode is not allowed. "
                "The table source is unbounded."
            )
        try:
            relation = src.duckdb_scan(cursor, None)
            if relation is not None:
                relation.create_view(name.strip('"').replace('""', '"'), replace=True)
                continue
            batches = list(src.batches(None))
        except ConnectorError as e:
            raise BatchError(str(e)) from None
        table = (
            pa.Table.from_batches(batches, schema=spec.schema)
            if batches
            else spec.schema.empty_table()
        )
        cursor.register(name.strip('"').replace('""', '"'), table)


def run_plan(con: duckdb.DuckDBPyConnection, plan: P.PlanNode, time_zone: str) -> pa.Table:
    """Execute `plan` and return its rows (columns c0..cN, DuckDB's Arrow types)."""
    cursor = con.cursor()
    try:
        cursor.execute(f"SET TimeZone = '{time_zone}'")
        names = register_udfs(cursor, plan)
        register_sources(cursor, plan)
        sql = Lowering(lambda f: names[id(f)]).plan(plan)
        try:
            return cursor.sql(sql).to_arrow_table()
        except duckdb.Error as e:
            raise runtime_error(e) from None
        finally:
            for name in names.values():  # Python functions must not outlive the cursor's query
                with contextlib.suppress(duckdb.Error):
                    cursor.remove_function(name)
    finally:
        cursor.close()


_REGISTRATIONS = itertools.count()


def register_udfs(cursor: duckdb.DuckDBPyConnection, plan: P.PlanNode) -> dict[int, str]:
    """Register every Python function the plan calls; returns the DuckDB name of each (by id).

    Table functions (the call of a LATERAL TABLE correlate) are UdfCalls too, found by the same
    walk; they register as functions returning the list of produced rows.
    """
    from engine.python_udf import register_in_duckdb
    from engine.python_udtf import UserDefinedTableFunction
    from engine.python_udtf import register_in_duckdb as register_table_function

    names: dict[int, str] = {}
    for call in udf_calls(plan):
        key = id(call.function)
        if key not in names:
            # A function registered on a cursor stays in the connection's catalog after the cursor
            # closes (DuckDB cannot drop it), so every registration takes a name never used before:
            # reusing one failed ("already exists") on a session's second query using the UDF.
            names[key] = f"udf_{next(_REGISTRATIONS)}_{call.name}".lower()
            if isinstance(call.function, UserDefinedTableFunction):
                register_table_function(cursor, names[key], call)
            else:
                register_in_duckdb(cursor, names[key], call)
    return names


_DUCKDB_PREFIXES = ("Invalid Input Error: ", "Conversion Error: ", "Out of Range Error: ")
_JAVA_CLASS = re.compile(r"^((?:java|org)\.[\w.$]+(?:Exception|Error)): ?(.*)$", re.DOTALL)


def runtime_error(e: duckdb.Error) -> BatchError:
    """A DuckDB failure as the Java exception Flink raises for the same row.

    Function lowerings fail through DuckDB's `error('<java class>: <message>')`, so the class and
    message come through; DuckDB's own errors are mapped for the cases Flink users meet.
    """
    text = str(e)
    for prefix in _DUCKDB_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    match = _JAVA_CLASS.match(text)
    if match:
        return BatchError(match.group(2), match.group(1))
    if "Division by zero" in text:
        return BatchError("/ by zero", "java.lang.ArithmeticException")
    if "Overflow" in text or "out of range" in text:
        return BatchError(text, "java.lang.ArithmeticException")
    if isinstance(e, duckdb.ConversionException):
        return BatchError(text, "java.lang.NumberFormatException")
    return BatchError(text, "org.apache.flink.table.api.TableException")
