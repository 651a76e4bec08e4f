"""Operations: what a parsed Flink SQL statement asks for, independent of its syntax.

The dialect turns text into sqlglot trees; `planner.statements.to_operation` turns each tree into one of
these frozen records. Everything downstream (catalog changes, planning, execution, the shell) consumes
operations, so syntax details (keyword spellings, optional noise words, quoting) stop at the dialect.
Queries stay as sqlglot expressions in the Flink dialect: the planner resolves and types them.

Every operation carries `sql` (the statement's own text) and `line`/`col` (1-based position of its
first character in the script) so errors raised later can point back into the user's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlglot import exp


@dataclass(frozen=True)
class ObjectName:
    """A possibly qualified object name as written: `t`, `db.t` or `cat.db.t` (parts unquoted)."""

    parts: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(f"`{p}`" if not p.isidentifier() else p for p in self.parts)


@dataclass(frozen=True)
class Position:
    """Where a statement starts in the script it came from (1-based)."""

    sql: str = ""
    line: int = 1
    col: int = 1


# ---------------------------------------------------------------- DDL


@dataclass(frozen=True)
class ColumnDef:
    """One column of CREATE TABLE.

    kind: 'physical' (`c INT`), 'computed' (`c AS expr`), 'metadata' (`c INT METADATA [FROM 'k'] [VIRTUAL]`).
    `data_type` is None only for computed columns. `nullable` is False for `NOT NULL`.
    """

    name: str
    kind: Literal["physical", "computed", "metadata"]
    data_type: exp.DataType | None = None
    expr: exp.Expr | None = None
    metadata_key: str | None = None
    virtual: bool = False
    nullable: bool = True
    comment: str | None = None


@dataclass(frozen=True)
class WatermarkDef:
    """`WATERMARK FOR column AS expr`."""

    column: str
    expr: exp.Expr


@dataclass(frozen=True)
class LikeOption:
    """One `INCLUDING|EXCLUDING|OVERWRITING  ALL|CONSTRAINTS|PARTITIONS|WATERMARKS|GENERATED|METADATA|OPTIONS`."""

    strategy: Literal["INCLUDING", "EXCLUDING", "OVERWRITING"]
    feature: Literal[
        "ALL", "CONSTRAINTS", "PARTITIONS", "WATERMARKS", "GENERATED", "METADATA", "OPTIONS"
    ]


@dataclass(frozen=True)
class LikeDef:
    """`LIKE source [( like options )]` in CREATE TABLE."""

    source: ObjectName
    options: tuple[LikeOption, ...] = ()


@dataclass(frozen=True)
class CreateTable:
    """CREATE [TEMPORARY] TABLE [IF NOT EXISTS] ... [AS query] (CTAS when `as_query` is set)."""

    name: ObjectName
    columns: tuple[ColumnDef, ...]
    watermark: WatermarkDef | None = None
    primary_key: tuple[str, ...] | None = None
    primary_key_name: str | None = None
    partition_keys: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()
    comment: str | None = None
    like: LikeDef | None = None
    as_query: exp.Query | None = None
    if_not_exists: bool = False
    temporary: bool = False
    replace: bool = False  # CREATE OR REPLACE TABLE ... AS (RTAS)
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class CreateView:
    """CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(cols)] [COMMENT ..] AS query."""

    name: ObjectName
    query: exp.Query
    query_sql: str  # the query's text as written (Flink stores and shows the original text)
    column_names: tuple[str, ...] | None = None
    comment: str | None = None
    if_not_exists: bool = False
    temporary: bool = False
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class CreateFunction:
    """CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'identifier' [LANGUAGE JAVA|SCALA|PYTHON]."""

    name: ObjectName
    identifier: str
    language: Literal["JAVA", "SCALA", "PYTHON"] = "JAVA"
    if_not_exists: bool = False
    temporary: bool = False
    system: bool = False
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class CreateDatabase:
    name: ObjectName
    options: tuple[tuple[str, str], ...] = ()
    comment: str | None = None
    if_not_exists: bool = False
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class CreateCatalog:
    name: str
    options: tuple[tuple[str, str], ...] = ()
    comment: str | None = None
    if_not_exists: bool = False
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class Drop:
    """DROP [TEMPORARY [SYSTEM]] TABLE|VIEW|FUNCTION|DATABASE|CATALOG [IF EXISTS] name [RESTRICT|CASCADE]."""

    kind: Literal["TABLE", "VIEW", "FUNCTION", "DATABASE", "CATALOG"]
    name: ObjectName
    if_exists: bool = False
    temporary: bool = False
    system: bool = False
    cascade: bool = False
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class AlterTable:
    """ALTER TABLE [IF EXISTS] name <action>.

    action and payload:
      'rename'         new_name: ObjectName
      'set'            options: ((k, v), ...)
      'reset'          keys: (k, ...)
      'add'            columns: (ColumnDef, ...), watermark, primary_key (any subset may be set)
      'modify'         same shape as 'add'
      'drop_columns'   keys: (column, ...)
      'drop_primary_key' / 'drop_watermark'   nothing
      'rename_column'  old: str, new: str
    """

    name: ObjectName
    action: Literal[
        "rename",
        "set",
        "reset",
        "add",
        "modify",
        "drop_columns",
        "drop_primary_key",
        "drop_watermark",
        "rename_column",
    ]
    new_name: ObjectName | None = None
    options: tuple[tuple[str, str], ...] = ()
    keys: tuple[str, ...] = ()
    columns: tuple[ColumnDef, ...] = ()
    watermark: WatermarkDef | None = None
    primary_key: tuple[str, ...] | None = None
    old: str | None = None
    new: str | None = None
    if_exists: bool = False
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class AlterView:
    """ALTER VIEW name RENAME TO new | ALTER VIEW name AS query."""

    name: ObjectName
    new_name: ObjectName | None = None
    query: exp.Query | None = None
    query_sql: str | None = None
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class AlterDatabase:
    """ALTER DATABASE name SET (options)."""

    name: ObjectName
    options: tuple[tuple[str, str], ...] = ()
    pos: Position = field(default_factory=Position)


# ---------------------------------------------------------------- utility


@dataclass(frozen=True)
class Use:
    """USE CATALOG c | USE [cat.]db | USE MODULES m1, m2."""

    kind: Literal["CATALOG", "DATABASE", "MODULES"]
    name: ObjectName
    modules: tuple[str, ...] = ()
    pos: Position = field(default_factory=Position)


ShowKind = Literal[
    "CATALOGS",
    "CURRENT CATALOG",
    "DATABASES",
    "CURRENT DATABASE",
    "TABLES",
    "VIEWS",
    "FUNCTIONS",
    "USER FUNCTIONS",
    "COLUMNS",
    "CREATE TABLE",
    "CREATE VIEW",
    "CREATE CATALOG",
    "PARTITIONS",
    "JOBS",
    "MODULES",
    "FULL MODULES",
]


@dataclass(frozen=True)
class Show:
    """SHOW <kind> [FROM|IN name] [[NOT] LIKE|ILIKE 'pattern'] | SHOW CREATE TABLE|VIEW name | SHOW COLUMNS FROM t."""

    kind: ShowKind
    name: ObjectName | None = None  # the object for CREATE .../COLUMNS/PARTITIONS, or FROM/IN scope
    like: str | None = None
    not_like: bool = False
    ilike: bool = False
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class Describe:
    """DESCRIBE|DESC [EXTENDED] name."""

    name: ObjectName
    extended: bool = False
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class Set:
    """SET; | SET 'key' = 'value'; (key and value unquoted when written bare)."""

    key: str | None = None
    value: str | None = None
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class Reset:
    """RESET; | RESET 'key';"""

    key: str | None = None
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class StopJob:
    """STOP JOB 'id' [WITH SAVEPOINT] [WITH DRAIN]."""

    job_id: str
    with_savepoint: bool = False
    with_drain: bool = False
    pos: Position = field(default_factory=Position)


# ---------------------------------------------------------------- DML and queries


@dataclass(frozen=True)
class Query:
    """A SELECT / VALUES / WITH / set-operation query."""

    query: exp.Query
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class Insert:
    """INSERT INTO|OVERWRITE target [/*+ OPTIONS(..) */] [PARTITION (k = v, ..)] [(cols)] query."""

    target: ObjectName
    query: exp.Query
    columns: tuple[str, ...] | None = None
    overwrite: bool = False
    static_partitions: tuple[tuple[str, exp.Expr], ...] = ()
    hints: tuple[tuple[str, str], ...] = ()  # OPTIONS hint on the target table
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class StatementSet:
    """EXECUTE STATEMENT SET BEGIN insert; ... END (also the body of BEGIN STATEMENT SET; ... END;)."""

    inserts: tuple[Insert, ...]
    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class BeginStatementSet:
    """`BEGIN STATEMENT SET;` on its own: the client collects INSERTs until `END;`."""

    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class End:
    """`END;` closing an interactive statement set."""

    pos: Position = field(default_factory=Position)


@dataclass(frozen=True)
class Explain:
    """EXPLAIN [PLAN FOR] [detail, ...] statement (a Query, Insert or StatementSet)."""

    statement: Query | Insert | StatementSet
    details: tuple[
        str, ...
    ] = ()  # CHANGELOG_MODE, ESTIMATED_COST, JSON_EXECUTION_PLAN, PLAN_ADVICE
    pos: Position = field(default_factory=Position)


Operation = (
    CreateTable
    | CreateView
    | CreateFunction
    | CreateDatabase
    | CreateCatalog
    | Drop
    | AlterTable
    | AlterView
    | AlterDatabase
    | Use
    | Show
    | Describe
    | Set
    | Reset
    | StopJob
    | Query
    | Insert
    | StatementSet
    | BeginStatementSet
    | End
    | Explain
)
