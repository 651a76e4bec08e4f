"""Statement trees to operation records (planner.operations), with Flink's statement-level validation.

The dialect accepts some forms Flink's grammar accepts but its validator rejects (two WATERMARK clauses,
PRIMARY KEY without NOT ENFORCED, a column defined twice); they fail here with Flink's message and a
position inside the user's script.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

from planner import operations as ops
from planner.dialect import (
    FlinkSqlParseError,
    StatementText,
    nodes,
    parse_statement,
    split_statements,
    to_flink_sql,
)

ENFORCED_MESSAGE = (
    "Flink doesn't support ENFORCED mode for PRIMARY KEY constraint. ENFORCED/NOT ENFORCED controls if "
    "the constraint checks are performed on the incoming/outgoing data. Flink does not own the data "
    "therefore the only supported mode is the NOT ENFORCED mode"
)


def parse_script(script: str) -> list[ops.Operation]:
    """Split, parse and convert every statement of a script (the first error stops it)."""
    return [
        to_operation(parse_statement(s.sql, line=s.line, col=s.col), s)
        for s in split_statements(script)
    ]


def to_operation(node: exp.Expr, stmt: StatementText | None = None) -> ops.Operation:
    """The operation one parsed statement asks for; `stmt` supplies the position recorded in `pos`."""
    converter = _CONVERTERS.get(type(node))
    pos = _position(node, stmt)
    if converter is not None:
        return converter(node, pos)
    if isinstance(node, exp.Query | exp.Values):
        return ops.Query(query=node, pos=pos)  # type: ignore[arg-type]
    raise _error(pos, f"Unsupported statement: {to_flink_sql(node)[:60]}", None)


# ---------------------------------------------------------------- shared pieces


def _position(node: exp.Expr, stmt: StatementText | None) -> ops.Position:
    if stmt is None:
        return ops.Position(sql=to_flink_sql(node))
    return ops.Position(sql=stmt.sql, line=stmt.line, col=stmt.col)


def _error(
    pos: ops.Position, message: str, pattern: str | None, nth: int = 0
) -> FlinkSqlParseError:
    """A validation error pointing at the nth match of `pattern` in the statement (else its start)."""
    offset, token = 0, ""
    if pattern:
        matches = list(re.finditer(pattern, pos.sql, flags=re.IGNORECASE))
        if matches:
            match = matches[min(nth, len(matches) - 1)]
            offset, token = match.start(), match.group()
    rel_line = pos.sql.count("\n", 0, offset) + 1
    rel_col = offset - (pos.sql.rfind("\n", 0, offset) + 1) + 1
    line = pos.line + rel_line - 1
    col = pos.col + rel_col - 1 if rel_line == 1 else rel_col
    return FlinkSqlParseError(
        f"SQL parse failed. {message}", line=line, col=col, sql=pos.sql, token=token
    )


def _name(table: exp.Expr) -> ops.ObjectName:
    if isinstance(table, exp.Identifier):
        return ops.ObjectName((table.name,))
    parts = [table.args.get(k) for k in ("catalog", "db", "this")]
    return ops.ObjectName(tuple(p.name for p in parts if p is not None))


def _options(node: exp.Expr, key: str = "options") -> tuple[tuple[str, str], ...]:
    return tuple((o.this.name, o.expression.name) for o in node.args.get(key) or [])


def _text(node: exp.Expr, key: str) -> str | None:
    value = node.args.get(key)
    return value.name if value is not None else None


def _column(column: exp.Expr) -> ops.ColumnDef:
    name = column.this.name
    comment = _text(column, "comment")
    if isinstance(column, nodes.ComputedColumn):
        return ops.ColumnDef(name, "computed", expr=column.expression, comment=comment)
    kind = column.args["kind"]
    nullable = kind.args.get("nullable") is not False
    if isinstance(column, nodes.MetadataColumn):
        return ops.ColumnDef(
            name,
            "metadata",
            data_type=kind,
            metadata_key=_text(column, "key"),
            virtual=bool(column.args.get("virtual")),
            nullable=nullable,
            comment=comment,
        )
    return ops.ColumnDef(name, "physical", data_type=kind, nullable=nullable, comment=comment)


def _schema_parts(
    node: exp.Expr, pos: ops.Position
) -> tuple[tuple[ops.ColumnDef, ...], ops.WatermarkDef | None, tuple[str, ...] | None, str | None]:
    """Columns, watermark and primary key of CREATE TABLE / ALTER TABLE ADD|MODIFY, validated."""
    raw_columns = node.args.get("columns") or []
    columns = tuple(_column(c) for c in raw_columns)
    seen: set[str] = set()
    for column in columns:
        if column.name in seen:
            word = rf"(?<![\w`])`?{re.escape(column.name)}`?(?![\w`])"
            message = f"A column named '{column.name}' already exists in the table."
            raise _error(pos, message, word, nth=1)
        seen.add(column.name)
    watermarks = node.args.get("watermarks") or []
    if len(watermarks) > 1:
        raise _error(
            pos, "Multiple WATERMARK statements is not supported yet.", r"\bWATERMARK\b", 1
        )
    watermark = None
    if watermarks:
        wm = watermarks[0]
        column_name = (
            ".".join(p.name for p in wm.this.parts)
            if isinstance(wm.this, exp.Column)
            else wm.this.name
        )
        watermark = ops.WatermarkDef(column=column_name, expr=wm.expression)
    keys = [
        _inline_key(c)
        for c in raw_columns
        if isinstance(c, nodes.PhysicalColumn) and c.args.get("primary_key") is not None
    ]
    keys += node.args.get("primary_keys") or []
    if len(keys) > 1:
        raise _error(pos, "Duplicate primary key definition", r"PRIMARY\s+KEY", 1)
    primary_key = key_name = None
    if keys:
        key = keys[0]
        if key.args.get("enforced") is not False:
            raise _error(pos, ENFORCED_MESSAGE, r"(NOT\s+)?ENFORCED|PRIMARY\s+KEY")
        primary_key = tuple(i.name for i in key.expressions)
        key_name = _text(key, "this")
    return columns, watermark, primary_key, key_name


def _inline_key(column: nodes.PhysicalColumn) -> nodes.PrimaryKeyDefinition:
    key = column.args["primary_key"].copy()
    key.set("expressions", [column.this.copy()])
    return key


# ---------------------------------------------------------------- DDL


def _create_table(node: nodes.CreateTableStatement, pos: ops.Position) -> ops.CreateTable:
    columns, watermark, primary_key, key_name = _schema_parts(node, pos)
    like = node.args.get("like")
    return ops.CreateTable(
        name=_name(node.this),
        columns=columns,
        watermark=watermark,
        primary_key=primary_key,
        primary_key_name=key_name,
        partition_keys=tuple(p.name for p in node.args.get("partitioned_by") or []),
        options=_options(node),
        comment=_text(node, "comment"),
        like=_like(like) if like is not None else None,
        as_query=node.args.get("expression"),
        if_not_exists=bool(node.args.get("exists")),
        temporary=bool(node.args.get("temporary")),
        replace=bool(node.args.get("replace")),
        pos=pos,
    )


def _like(like: nodes.LikeClause) -> ops.LikeDef:
    options = []
    for option in like.expressions:
        strategy, feature = option.name.split()
        options.append(ops.LikeOption(strategy, feature))  # type: ignore[arg-type]
    return ops.LikeDef(source=_name(like.this), options=tuple(options))


def _query_sql(node: exp.Expr) -> str:
    return node.meta.get("query_sql") or to_flink_sql(node.args["expression"])


def _create_view(node: nodes.CreateViewStatement, pos: ops.Position) -> ops.CreateView:
    columns = node.args.get("columns")
    return ops.CreateView(
        name=_name(node.this),
        query=node.expression,  # type: ignore[arg-type]
        query_sql=_query_sql(node),
        column_names=tuple(c.name for c in columns) if columns else None,
        comment=_text(node, "comment"),
        if_not_exists=bool(node.args.get("exists")),
        temporary=bool(node.args.get("temporary")),
        pos=pos,
    )


def _create_function(node: nodes.CreateFunctionStatement, pos: ops.Position) -> ops.CreateFunction:
    return ops.CreateFunction(
        name=_name(node.this),
        identifier=node.expression.name,
        language=node.args.get("language") or "JAVA",
        if_not_exists=bool(node.args.get("exists")),
        temporary=bool(node.args.get("temporary")),
        system=bool(node.args.get("system")),
        pos=pos,
    )


def _create_catalog(node: nodes.CreateCatalogStatement, pos: ops.Position) -> ops.CreateCatalog:
    return ops.CreateCatalog(
        name=node.this.name,
        options=_options(node),
        comment=_text(node, "comment"),
        if_not_exists=bool(node.args.get("exists")),
        pos=pos,
    )


def _create_database(node: nodes.CreateDatabaseStatement, pos: ops.Position) -> ops.CreateDatabase:
    return ops.CreateDatabase(
        name=_name(node.this),
        options=_options(node),
        comment=_text(node, "comment"),
        if_not_exists=bool(node.args.get("exists")),
        pos=pos,
    )


def _drop(node: nodes.DropStatement, pos: ops.Position) -> ops.Drop:
    return ops.Drop(
        kind=node.args["kind"],
        name=_name(node.this),
        if_exists=bool(node.args.get("exists")),
        temporary=bool(node.args.get("temporary")),
        system=bool(node.args.get("system")),
        cascade=node.args.get("behavior") == "CASCADE",
        pos=pos,
    )


def _alter_table(node: nodes.AlterTableStatement, pos: ops.Position) -> ops.AlterTable:
    action = node.args["action"]
    fields: dict[str, object] = {}
    if action == "rename":
        fields["new_name"] = _name(node.args["new_name"])
    elif action == "rename_column":
        fields["old"], fields["new"] = _text(node, "old"), _text(node, "new")
    elif action == "set":
        fields["options"] = _options(node)
    elif action in ("reset", "drop_columns"):
        fields["keys"] = tuple(k.name for k in node.args.get("keys") or [])
    elif action in ("add", "modify"):
        columns, watermark, primary_key, _ = _schema_parts(node, pos)
        fields.update(columns=columns, watermark=watermark, primary_key=primary_key)
    return ops.AlterTable(
        name=_name(node.this),
        action=action,
        if_exists=bool(node.args.get("exists")),
        pos=pos,
        **fields,  # type: ignore[arg-type]
    )


def _alter_view(node: nodes.AlterViewStatement, pos: ops.Position) -> ops.AlterView:
    new_name = node.args.get("new_name")
    query = node.args.get("expression")
    return ops.AlterView(
        name=_name(node.this),
        new_name=_name(new_name) if new_name is not None else None,
        query=query,
        query_sql=_query_sql(node) if query is not None else None,
        pos=pos,
    )


def _alter_database(node: nodes.AlterDatabaseStatement, pos: ops.Position) -> ops.AlterDatabase:
    return ops.AlterDatabase(name=_name(node.this), options=_options(node), pos=pos)


# ---------------------------------------------------------------- utility


def _use(node: nodes.UseStatement, pos: ops.Position) -> ops.Use:
    kind = node.args["kind"]
    if kind == "MODULES":
        modules = tuple(m.name for m in node.expressions)
        return ops.Use(kind="MODULES", name=ops.ObjectName(()), modules=modules, pos=pos)
    return ops.Use(kind=kind, name=_name(node.this), pos=pos)


def _show(node: nodes.ShowStatement, pos: ops.Position) -> ops.Show:
    name = node.args.get("this")
    return ops.Show(
        kind=node.args["kind"],
        name=_name(name) if name is not None else None,
        like=_text(node, "like"),
        not_like=bool(node.args.get("not_like")),
        ilike=bool(node.args.get("ilike")),
        pos=pos,
    )


def _describe(node: nodes.DescribeStatement, pos: ops.Position) -> ops.Describe:
    return ops.Describe(name=_name(node.this), extended=bool(node.args.get("extended")), pos=pos)


def _set(node: nodes.SetStatement, pos: ops.Position) -> ops.Set:
    return ops.Set(key=_text(node, "this"), value=_text(node, "expression"), pos=pos)


def _reset(node: nodes.ResetStatement, pos: ops.Position) -> ops.Reset:
    return ops.Reset(key=_text(node, "this"), pos=pos)


def _stop_job(node: nodes.StopJobStatement, pos: ops.Position) -> ops.StopJob:
    return ops.StopJob(
        job_id=node.this.name,
        with_savepoint=bool(node.args.get("savepoint")),
        with_drain=bool(node.args.get("drain")),
        pos=pos,
    )


# ---------------------------------------------------------------- DML


def _insert(node: exp.Insert, pos: ops.Position) -> ops.Insert:
    target = node.this
    columns = None
    if isinstance(target, exp.Schema):
        columns = tuple(c.name for c in target.expressions)
        target = target.this
    partition = node.args.get("partition")
    static = (
        tuple((eq.this.name, eq.expression) for eq in partition.expressions) if partition else ()
    )
    return ops.Insert(
        target=_name(target),
        query=node.expression,  # type: ignore[arg-type]
        columns=columns,
        overwrite=bool(node.args.get("overwrite")),
        static_partitions=static,
        hints=_options_hint(target),
        pos=pos,
    )


def _options_hint(table: exp.Expr) -> tuple[tuple[str, str], ...]:
    """The key/value pairs of OPTIONS(..) hints on a table (other hints are for the optimizer)."""
    pairs: list[tuple[str, str]] = []
    for hint in table.args.get("hints") or []:
        for call in hint.expressions:
            if isinstance(call, exp.Anonymous) and call.name.upper() == "OPTIONS":
                pairs += [
                    (eq.this.name, eq.expression.name)
                    for eq in call.expressions
                    if isinstance(eq, exp.EQ)
                ]
    return tuple(pairs)


def _statement_set(node: nodes.StatementSetStatement, pos: ops.Position) -> ops.StatementSet:
    return ops.StatementSet(inserts=tuple(_insert(i, pos) for i in node.expressions), pos=pos)


def _explain(node: nodes.ExplainStatement, pos: ops.Position) -> ops.Explain:
    inner = to_operation(node.this)
    inner = type(inner)(**{**inner.__dict__, "pos": pos})
    return ops.Explain(
        statement=inner,  # type: ignore[arg-type]
        details=tuple(d.name for d in node.expressions),
        pos=pos,
    )


_CONVERTERS: dict[type, Callable[..., ops.Operation]] = {
    nodes.CreateTableStatement: _create_table,
    nodes.CreateViewStatement: _create_view,
    nodes.CreateFunctionStatement: _create_function,
    nodes.CreateCatalogStatement: _create_catalog,
    nodes.CreateDatabaseStatement: _create_database,
    nodes.DropStatement: _drop,
    nodes.AlterTableStatement: _alter_table,
    nodes.AlterViewStatement: _alter_view,
    nodes.AlterDatabaseStatement: _alter_database,
    nodes.UseStatement: _use,
    nodes.ShowStatement: _show,
    nodes.DescribeStatement: _describe,
    nodes.SetStatement: _set,
    nodes.ResetStatement: _reset,
    nodes.StopJobStatement: _stop_job,
    exp.Insert: _insert,
    nodes.StatementSetStatement: _statement_set,
    nodes.BeginStatementSetStatement: lambda _, pos: ops.BeginStatementSet(pos=pos),
    nodes.EndStatementSet: lambda _, pos: ops.End(pos=pos),
    nodes.ExplainStatement: _explain,
}
