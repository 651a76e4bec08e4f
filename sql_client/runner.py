"""Running statements the way Flink's SQL client does, and printing what it prints.

Used by `freshet -f`, `-e`, `-i` and the interactive shell: split the text into statements, execute
each through the session, and print Flink's messages and tableau results. Errors add what Flink's
lack: the line and column, the statement line with a caret under the offending text, and a hint.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

from engine.session import Session, SqlError
from engine.table_result import ResultKind, TableResult
from planner import operations as ops
from planner.dialect import FlinkSqlParseError, StatementText, split_statements
from planner.statements import to_operation

INFO_SUCCEEDED = "[INFO] Execute statement succeeded."
INFO_SUBMITTING = "[INFO] Submitting SQL update statement to the cluster..."
INFO_SUBMITTED = "[INFO] SQL update statement has been successfully submitted to the cluster:"
INFO_COMPLETE = "[INFO] Complete execution of the SQL update statement."
INFO_BEGIN_SET = "[INFO] Begin a statement set."
INFO_ADDED_TO_SET = "[INFO] Add SQL update statement to the statement set."
ERROR_HEADER = "[ERROR] Could not execute SQL statement. Reason:"

INIT_ALLOWED = (
    ops.CreateTable,
    ops.CreateView,
    ops.CreateFunction,
    ops.CreateDatabase,
    ops.CreateCatalog,
    ops.Drop,
    ops.AlterTable,
    ops.AlterView,
    ops.AlterDatabase,
    ops.Use,
    ops.Set,
    ops.Reset,
)


@dataclass
class ScriptOutcome:
    ok: bool
    statements_run: int


def parse_operation(stmt: StatementText) -> ops.Operation:
    from planner.dialect import parse_statement

    node = parse_statement(stmt.sql, line=stmt.line, col=stmt.col)
    return to_operation(node, stmt)


def run_text(
    session: Session,
    text: str,
    out: TextIO | None = None,
    *,
    init: bool = False,
    source: str = "<input>",
) -> ScriptOutcome:
    """Run every statement of `text`; stop at the first failure (Flink's -f behaviour)."""
    out = out or sys.stdout
    count = 0
    for stmt in split_statements(text):
        try:
            op = parse_operation(stmt)
            if init and not isinstance(op, INIT_ALLOWED):
                raise SqlError(
                    f"Unsupported statement in init file '{source}': only DDL, SET, RESET and USE "
                    f"statements are allowed, found {type(op).__name__.upper()}.",
                    "org.apache.flink.table.client.SqlClientException",
                    stmt.line,
                    stmt.col,
                )
            execute_and_print(session, op, out)
        except FlinkSqlParseError as e:
            print_error(
                SqlError(
                    str(e), "org.apache.flink.sql.parser.impl.ParseException", e.line, e.col, e.hint
                ),
                text,
                out,
                source,
            )
            return ScriptOutcome(False, count)
        except SqlError as e:
            print_error(e, text, out, source)
            return ScriptOutcome(False, count)
        count += 1
    return ScriptOutcome(True, count)


def execute_and_print(session: Session, op: ops.Operation, out: TextIO) -> None:
    if isinstance(op, ops.BeginStatementSet):
        session.execute(op)
        out.write(INFO_BEGIN_SET + "\n\n")
        return
    if isinstance(op, ops.Insert) and session.statement_set is not None:
        session.execute(op)
        out.write(INFO_ADDED_TO_SET + "\n\n")
        return
    result = session.execute(op)
    if isinstance(op, ops.Insert | ops.StatementSet | ops.End) or (
        isinstance(op, ops.CreateTable) and op.as_query is not None
    ):
        print_dml(session, result, out)
        return
    if result.get_result_kind() == ResultKind.SUCCESS:
        out.write(INFO_SUCCEEDED + "\n\n")
        return
    print_rows(session, result, out, query=isinstance(op, ops.Query))
    out.write("\n")


def print_dml(session: Session, result: TableResult, out: TextIO) -> None:
    job = result.get_job_client()
    if job is None:
        out.write(INFO_SUCCEEDED + "\n\n")
        return
    if session.config.get_bool("table.dml-sync"):
        job.wait()
        out.write(INFO_COMPLETE + "\n\n")
        return
    out.write(f"{INFO_SUBMITTING}\n{INFO_SUBMITTED}\nJob ID: {job.job_id}\n\n\n")


def print_rows(session: Session, result: TableResult, out: TextIO, *, query: bool) -> None:
    from sql_client.tableau import render_tableau

    schema = result.get_resolved_schema()
    columns = [(c.name, c.data_type.summary()) for c in schema.columns]
    streaming = query and result.is_streaming
    # Only query results are cut to the configured width; SHOW/DESCRIBE cells print whole.
    max_width = (
        int(session.config.get_string("table.display.max-column-width", "30")) if query else 1 << 30
    )
    rows = (
        (r.get_row_kind().short_string() if streaming else None, tuple(r)) for r in result.collect()
    )
    render_tableau(columns, rows, streaming=streaming, out=out, max_column_width=max_width)


def print_error(e: SqlError, text: str, out: TextIO, source: str) -> None:
    out.write(ERROR_HEADER + "\n")
    out.write(f"{e.kind}: {e.message}\n")
    if e.line is not None and e.col is not None:
        lines = text.splitlines()
        out.write(f"  at {source}, line {e.line}, column {e.col}\n")
        if 0 < e.line <= len(lines):
            line = lines[e.line - 1]
            out.write(f"  {line}\n")
            out.write("  " + " " * (e.col - 1) + "^" * max(1, e.length) + "\n")
    if e.hint:
        out.write(f"  Hint: {e.hint}\n")
    out.write("\n")
