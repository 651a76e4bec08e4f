"""Flink SQL as sqlglot trees: parse, print, split.

Entry points: `parse_statement`, `parse_expression`, `to_flink_sql`, `split_statements`, the `Flink`
dialect (`sqlglot.parse_one(sql, read=Flink)`) and `FlinkSqlParseError`.

Identifiers keep their case (`Identifier.quoted` tells whether backticks were used); keywords and function
names are case-insensitive. Note that sqlglot's `==` on trees compares identifier text case-insensitively.

How each Flink form is represented (the planner relies on this):

Standard forms keep sqlglot's classes: `/` is exp.Div (never exp.IntDiv; integer semantics come from the
operand types later), exp.Cast/exp.TryCast with exp.DataType, exp.Interval(this=Literal string,
unit=Var) with plural units normalised (`MINUTES` -> `MINUTE`) and `DAY TO SECOND` as exp.IntervalSpan,
exp.Substring(this, start, length), exp.Trim(this, expression=chars, position='BOTH'|'LEADING'|
'TRAILING'), exp.StrPosition(this=haystack, substr=needle[, position]) for POSITION(a IN b) and
LOCATE(a, b[, start]), exp.Overlay,
exp.Extract(this=Var unit, expression), exp.CurrentTimestamp/CurrentDate/CurrentTime/Localtimestamp,
exp.Window for OVER and named WINDOW, exp.Filter for `agg FILTER (WHERE ..)`, exp.Unnest,
exp.Values, exp.Limit/exp.Offset/exp.Fetch, exp.Is(.., exp.Boolean) for IS [NOT] TRUE/FALSE,
exp.NullSafeEQ/NullSafeNEQ for IS [NOT] DISTINCT FROM, exp.SimilarTo, exp.Like (with ESCAPE:
exp.Escape(this=exp.Like, expression=any expression)), exp.Pi for `PI()` and for a bare unquoted,
unqualified `PI` (Calcite prefers the function to a column of that name; `` `PI` `` and `t.pi` are
columns, and so is `pi` in DESCRIPTOR(..) and WATERMARK FOR ..), exp.Uuid for UUID().

Calls sqlglot would map onto another function's node keep their own name as exp.Anonymous(this=name
as written, expressions=args): INSTR, LOG10, LOG2, POW, BOOL_AND, BOOL_OR (Flink has no POW/BOOL_AND/
BOOL_OR; the planner reports them), and UUID with arguments (so its arity can be rejected); LOG(b, x)
is exp.Log, LN exp.Ln, POWER exp.Pow.

Typed literals `DATE '..'`, `TIME '..'`, `TIMESTAMP '..'`, `TIMESTAMP WITH LOCAL TIME ZONE '..'`:
exp.Cast(this=Literal string, to=exp.DataType without params) with args['typed_literal'] = True (a
written CAST has no such arg); they print back as typed literals. `TIMESTAMP(3) '..'` (not Flink) stays a
plain Cast.

Flink-specific forms:
- Window TVF in FROM, `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' MINUTE)) AS w`:
  nodes.WindowTVF(this='TUMBLE'|'HOP'|'CUMULATE'|'SESSION', table=exp.Table|exp.Subquery,
  partition_by=[exp.Column] (SESSION), timecol=exp.Column, size, slide (HOP), step (CUMULATE),
  gap (SESSION), offset, alias=exp.TableAlias). Named (`SIZE => ..`) and positional arguments give the
  same node. HOP is written (slide, size) and CUMULATE (step, size), as in Flink.
- Any other `TABLE(f(x))` in FROM: nodes.TableCall(this=<call>, alias).
- `LATERAL TABLE(f(x)) [AS T(a, b)]`: exp.Lateral(this=<call expression>, alias=exp.TableAlias); it
  appears in Select.from_ or in exp.Join.this (`LEFT JOIN LATERAL TABLE(..) AS T(a) ON TRUE`).
- `JOIN r FOR SYSTEM_TIME AS OF o.ts AS r`: exp.Table(.., version=exp.Version(this='TIMESTAMP',
  kind='AS OF', expression=<time attribute expression>)).
- Legacy group windows: `TUMBLE(ts, INTERVAL ..)`, `HOP(..)`, `SESSION(..)` in GROUP BY and
  `TUMBLE_START/TUMBLE_END/TUMBLE_ROWTIME/TUMBLE_PROCTIME` (and HOP_*, SESSION_*) are exp.Anonymous
  calls with those upper-case names.
- Query hints `SELECT /*+ STATE_TTL('o' = '1d') */`: Select.args['hint'] = exp.Hint(expressions=
  [exp.Anonymous(this=name, expressions=[exp.EQ(Literal, Literal) | exp.Column ..])]).
  Table hints `FROM t /*+ OPTIONS('k'='v') */` and `INSERT INTO t /*+ OPTIONS(..) */`:
  exp.Table.args['hints'] = [exp.Hint(...)] with the same inner shape.
- `FLOOR(ts TO DAY)` / `CEIL(ts TO HOUR)`: exp.Floor / exp.Ceil with args['to'] = exp.Var(unit).
- `TIMESTAMPADD(unit, n, ts)`: exp.TimestampAdd(this=ts, expression=n, unit=exp.Var);
  `TIMESTAMPDIFF(unit, a, b)`: exp.TimestampDiff(this=b, expression=a, unit=exp.Var) (value is b - a).
- `JSON_VALUE(j, path [RETURNING T] [.. ON EMPTY] [.. ON ERROR])`: exp.JSONValue(this, path,
  returning=exp.DataType, on_condition=exp.OnCondition(empty=, error=)) where a behaviour is the str
  'NULL'|'ERROR' or an expression for DEFAULT x. `JSON_QUERY`: nodes.FlinkJsonQuery(this, path,
  returning, wrapper: str, on_empty: str, on_error: str). `JSON_EXISTS`: nodes.FlinkJsonExists(this,
  path, on_error: str). `JSON_OBJECT(KEY k VALUE v .. [NULL|ABSENT ON NULL])`: exp.JSONObject of
  exp.JSONKeyValue, null_handling='NULL ON NULL'|'ABSENT ON NULL'|None. `JSON_ARRAY(v, ..
  [NULL|ABSENT ON NULL])`: exp.JSONArray(expressions=[..] or None, null_handling= the same strings
  or None). None means unwritten: Flink's default is NULL ON NULL for JSON_OBJECT, ABSENT ON NULL
  for JSON_ARRAY.
- `(a - b) DAY`, `(a - b) SECOND(3)`, `(a - b) DAY TO SECOND` (Calcite's datetime difference as an
  interval): nodes.DatetimeDiffInterval(this=a, expression=b, unit=exp.Var(qualifier)), the qualifier
  upper case with plural units made singular and precisions kept ('DAY', 'SECOND(3)',
  'YEAR TO MONTH'). Anything but a subtraction in the parentheses is a syntax error, as in Flink.
- Constructors: `ARRAY[1, 2]` exp.Array; `MAP['a', 1, 'b', 2]` exp.VarMap(keys=exp.Array,
  values=exp.Array); `ROW(1, 'a')` exp.Struct(expressions=[..]); a parenthesised `(1, 'a')` stays
  exp.Tuple (Flink treats it as ROW in a select list). `arr[1]`/`m['k']` are exp.Bracket, also right
  after a constructor (`MAP['a', 1]['a']` is Bracket(this=VarMap), `ARRAY[1][1]` Bracket(this=Array));
  as in sqlglot, an integer index into an array (or untyped container) is stored shifted by
  -INDEX_OFFSET (0-based), and `apply_index_offset(this, index, +1)` gives the index as written;
  `r.a.b` and `t.r.a` are exp.Column with table/db/catalog parts (or exp.Dot beyond four parts): the
  planner decides which part is a table and which a field.
- MATCH_RECOGNIZE: nodes.FlinkMatchRecognize (a subclass of exp.MatchRecognize) in Select.args['match'],
  with pattern=exp.Var(the pattern text) and within=exp.Interval.
- Types (exp.DataType): STRING -> DType.TEXT, BYTES -> DType.BLOB, VARCHAR(n)/CHAR(n)/BINARY(n)/
  VARBINARY(n)/DECIMAL(p, s)/TIME(p)/TIMESTAMP(p) with exp.DataTypeParam expressions (none written ->
  no params, and Flink's default length/precision applies), DEC/NUMERIC -> DECIMAL,
  `TIMESTAMP_LTZ(p)` and `TIMESTAMP(p) WITH LOCAL TIME ZONE` -> DType.TIMESTAMPLTZ, DOUBLE PRECISION ->
  DOUBLE, ARRAY<T> (and `T ARRAY`) -> DType.ARRAY [T], MAP<K, V> -> DType.MAP [K, V],
  ROW<a T, b T 'comment'> / ROW(..) -> DType.STRUCT of exp.ColumnDef (comment as
  exp.CommentColumnConstraint), MULTISET<T> -> DType.USERDEFINED kind='MULTISET' [T],
  RAW('cls', 'snap') -> DType.USERDEFINED kind='RAW', INTERVAL DAY TO SECOND(3) -> DType.INTERVAL
  with expressions=[exp.Var('DAY TO SECOND(3)')]. `NOT NULL` sets args['nullable'] = False on the
  DataType it follows (also inside ROW/ARRAY/MAP).
- CREATE TABLE: nodes.CreateTableStatement with columns of nodes.PhysicalColumn(this, kind),
  nodes.ComputedColumn(this, expression), nodes.MetadataColumn(this, kind, key=Literal|None,
  virtual), watermarks=[nodes.WatermarkDefinition(this=exp.Column, expression)],
  primary_keys=[nodes.PrimaryKeyDefinition(this=name, expressions=[Identifier], enforced)], options
  as [exp.EQ(Literal key, Literal value)]. The other statements are the `*Statement` classes of
  `planner.dialect.nodes`; INSERT is exp.Insert(this=exp.Table | exp.Schema(Table, [cols]),
  expression=query, overwrite, partition=exp.Partition([exp.EQ(Column, value)])).
"""

from __future__ import annotations

from planner.dialect.api import parse_expression, parse_statement, to_flink_sql
from planner.dialect.dialect import Flink
from planner.dialect.errors import FlinkSqlParseError
from planner.dialect.split import StatementText, split_statements

__all__ = [
    "Flink",
    "FlinkSqlParseError",
    "StatementText",
    "parse_expression",
    "parse_statement",
    "split_statements",
    "to_flink_sql",
]
