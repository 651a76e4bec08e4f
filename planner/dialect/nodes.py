"""Tree nodes for Flink forms that sqlglot has no class for.

Standard SQL keeps sqlglot's own classes (see the package docstring for the mapping); these classes carry
what is Flink's alone: window table functions, `TABLE(f(..))` in FROM, MATCH_RECOGNIZE's WITHIN, the JSON
functions' Flink clauses, and every non-query statement (DDL, SHOW, SET, statement sets ...). Statement
nodes end in `Statement`; their args are plain sqlglot expressions (Identifier, Table, Literal, DataType)
or Python bools, so `==` compares them structurally like any sqlglot tree.
"""

from __future__ import annotations

from typing import ClassVar

from sqlglot import exp

# ---------------------------------------------------------------- query forms


class WindowTVF(exp.Expression, exp.UDTF):
    """`TABLE(TUMBLE|HOP|CUMULATE|SESSION(...)) [AS alias]` in FROM, named or positional arguments.

    this: the function name (upper-case str); table: exp.Table (`TABLE t`) or exp.Subquery (`(SELECT ..)`);
    partition_by: [exp.Column] (SESSION only); timecol: exp.Column from DESCRIPTOR(..);
    size (TUMBLE, HOP, CUMULATE), slide (HOP), step (CUMULATE), gap (SESSION), offset: exp.Interval.
    """

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "table": True,
        "partition_by": False,
        "timecol": True,
        "size": False,
        "slide": False,
        "step": False,
        "gap": False,
        "offset": False,
        "alias": False,
    }


class TableCall(exp.Expression, exp.UDTF):
    """`TABLE(f(args)) [AS alias(cols)]` in FROM without LATERAL: this is the call expression."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "alias": False}


class FlinkMatchRecognize(exp.MatchRecognize):
    """MATCH_RECOGNIZE with Flink's `PATTERN (..) WITHIN INTERVAL '..' unit` (within: exp.Interval)."""

    arg_types: ClassVar[dict[str, bool]] = {**exp.MatchRecognize.arg_types, "within": False}


class FlinkJsonQuery(exp.Expression, exp.Func):
    """`JSON_QUERY(this, path [RETURNING type] [wrapper] [x ON EMPTY] [y ON ERROR])`.

    wrapper: str such as 'WITHOUT ARRAY WRAPPER' or 'WITH CONDITIONAL ARRAY WRAPPER' as written
    (normalised to upper case, single spaces); on_empty/on_error: str ('NULL', 'ERROR', 'EMPTY ARRAY',
    'EMPTY OBJECT').
    """

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "path": True,
        "returning": False,
        "wrapper": False,
        "on_empty": False,
        "on_error": False,
    }


class FlinkJsonExists(exp.Expression, exp.Func):
    """`JSON_EXISTS(this, path [TRUE|FALSE|UNKNOWN|ERROR ON ERROR])` (on_error: str)."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "path": True, "on_error": False}


class DatetimeDiffInterval(exp.Expression, exp.Func):
    """Calcite's `(this - expression) unit [TO unit]`: the difference of two datetimes as an interval.

    unit: exp.Var with the qualifier as written, upper case, plural units made singular, precisions
    kept ('DAY', 'SECOND(3)', 'DAY TO SECOND', 'YEAR TO MONTH').
    """

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expression": True, "unit": True}


# ---------------------------------------------------------------- CREATE TABLE parts


class PhysicalColumn(exp.Expression):
    """`name TYPE [NOT NULL] [PRIMARY KEY NOT ENFORCED] [COMMENT '..']`.

    kind: exp.DataType (NOT NULL is `kind.args['nullable'] is False`); primary_key: an inline
    PrimaryKeyDefinition with no expressions; comment: exp.Literal string.
    """

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "kind": True,
        "primary_key": False,
        "comment": False,
        "position": False,
    }


class ComputedColumn(exp.Expression):
    """`name AS expression [COMMENT '..']`."""

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "expression": True,
        "comment": False,
        "position": False,
    }


class MetadataColumn(exp.Expression):
    """`name TYPE METADATA [FROM 'key'] [VIRTUAL] [COMMENT '..']` (key: exp.Literal string)."""

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "kind": True,
        "key": False,
        "virtual": False,
        "comment": False,
        "position": False,
    }


class ColumnPosition(exp.Expression):
    """`FIRST` or `AFTER col` after a column in ALTER TABLE ADD/MODIFY (this: 'FIRST'|'AFTER')."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expression": False}


class WatermarkDefinition(exp.Expression):
    """`WATERMARK FOR column AS expression` (this: exp.Column, possibly nested `a.b`)."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expression": True}


class PrimaryKeyDefinition(exp.Expression):
    """`[CONSTRAINT name] PRIMARY KEY (a, b) [[NOT] ENFORCED]`.

    expressions: [exp.Identifier] (empty for the inline column form); this: the constraint name or None;
    enforced: True for ENFORCED, False for NOT ENFORCED, None when neither was written.
    """

    arg_types: ClassVar[dict[str, bool]] = {"this": False, "expressions": False, "enforced": False}


class LikeClause(exp.Expression):
    """`LIKE source [(INCLUDING ALL EXCLUDING OPTIONS ..)]`; expressions: [exp.Var('INCLUDING ALL'), ..]."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expressions": False}


# ---------------------------------------------------------------- statements


class CreateTableStatement(exp.Expression):
    """CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS] name (...) ... [AS query].

    columns: [PhysicalColumn | ComputedColumn | MetadataColumn]; watermarks: [WatermarkDefinition]
    (more than one is a validation error, reported by to_operation); primary_keys: [PrimaryKeyDefinition];
    comment: exp.Literal; partitioned_by: [exp.Identifier]; options: [exp.EQ(Literal, Literal)];
    like: LikeClause; expression: the CTAS query.
    """

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "columns": False,
        "watermarks": False,
        "primary_keys": False,
        "comment": False,
        "partitioned_by": False,
        "options": False,
        "like": False,
        "expression": False,
        "exists": False,
        "temporary": False,
        "replace": False,
    }


class CreateViewStatement(exp.Expression):
    """CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(cols)] [COMMENT '..'] AS query.

    meta['query_sql'] holds the query's text as written (not part of equality).
    """

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "expression": True,
        "columns": False,
        "comment": False,
        "exists": False,
        "temporary": False,
    }


class CreateFunctionStatement(exp.Expression):
    """CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'identifier' [LANGUAGE lang]."""

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "expression": True,
        "language": False,
        "exists": False,
        "temporary": False,
        "system": False,
    }


class CreateCatalogStatement(exp.Expression):
    """CREATE CATALOG [IF NOT EXISTS] name [COMMENT '..'] WITH (...)."""

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "options": False,
        "comment": False,
        "exists": False,
    }


class CreateDatabaseStatement(exp.Expression):
    """CREATE DATABASE [IF NOT EXISTS] [cat.]db [COMMENT '..'] [WITH (...)]."""

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "options": False,
        "comment": False,
        "exists": False,
    }


class DropStatement(exp.Expression):
    """DROP [TEMPORARY [SYSTEM]] kind [IF EXISTS] name [RESTRICT|CASCADE] (behavior: 'RESTRICT'|'CASCADE')."""

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "kind": True,
        "exists": False,
        "temporary": False,
        "system": False,
        "behavior": False,
    }


class AlterTableStatement(exp.Expression):
    """ALTER TABLE [IF EXISTS] name action; the args mirror planner.operations.AlterTable's fields.

    action: str; new_name: exp.Table; options: [exp.EQ]; keys: [exp.Literal] (RESET) or
    [exp.Identifier] (DROP columns); columns/watermarks/primary_keys as in CreateTableStatement;
    old/new: exp.Identifier (RENAME column).
    """

    arg_types: ClassVar[dict[str, bool]] = {
        "this": True,
        "action": True,
        "new_name": False,
        "options": False,
        "keys": False,
        "columns": False,
        "watermarks": False,
        "primary_keys": False,
        "old": False,
        "new": False,
        "exists": False,
    }


class AlterViewStatement(exp.Expression):
    """ALTER VIEW name RENAME TO new | ALTER VIEW name AS query (meta['query_sql'] as for CREATE VIEW)."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "new_name": False, "expression": False}


class AlterDatabaseStatement(exp.Expression):
    """ALTER DATABASE name SET (...)."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "options": True}


class UseStatement(exp.Expression):
    """USE CATALOG c | USE [cat.]db | USE MODULES a, b (kind: 'CATALOG'|'DATABASE'|'MODULES')."""

    arg_types: ClassVar[dict[str, bool]] = {"this": False, "kind": True, "expressions": False}


class ShowStatement(exp.Expression):
    """SHOW kind [FROM|IN name | name] [[NOT] LIKE|ILIKE 'pattern'] (kind as in operations.ShowKind)."""

    arg_types: ClassVar[dict[str, bool]] = {
        "kind": True,
        "this": False,
        "like": False,
        "not_like": False,
        "ilike": False,
    }


class DescribeStatement(exp.Expression):
    """DESCRIBE|DESC [EXTENDED] name."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "extended": False}


class SetStatement(exp.Expression):
    """SET; | SET key = value (this/expression: exp.Literal strings, quoted or not in the source)."""

    arg_types: ClassVar[dict[str, bool]] = {"this": False, "expression": False}


class ResetStatement(exp.Expression):
    """RESET; | RESET 'key' (this: exp.Literal string)."""

    arg_types: ClassVar[dict[str, bool]] = {"this": False}


class StopJobStatement(exp.Expression):
    """STOP JOB 'id' [WITH SAVEPOINT] [WITH DRAIN]."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "savepoint": False, "drain": False}


class StatementSetStatement(exp.Expression):
    """EXECUTE STATEMENT SET BEGIN insert; ... END (expressions: [exp.Insert])."""

    arg_types: ClassVar[dict[str, bool]] = {"expressions": True}


class BeginStatementSetStatement(exp.Expression):
    """`BEGIN STATEMENT SET` on its own."""

    arg_types: ClassVar[dict[str, bool]] = {}


class EndStatementSet(exp.Expression):
    """`END` closing an interactive statement set."""

    arg_types: ClassVar[dict[str, bool]] = {}


class ExplainStatement(exp.Expression):
    """EXPLAIN [PLAN FOR] [detail, ...] statement (expressions: [exp.Var] details, upper-case)."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expressions": False}
