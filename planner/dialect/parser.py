"""The Flink parser: statement dispatch, error capture and the function table.

Every statement starts with a keyword that decides its grammar; anything else must be a query. sqlglot's
fallback of unknown statements to an opaque `Command` is never used: text Flink would reject fails here
with the offending token's position.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError
from sqlglot.parsers.base import BaseParser
from sqlglot.tokens import Token, TokenType

from planner.dialect import nodes
from planner.dialect.ddl_parser import FlinkDdlParser
from planner.dialect.expression_parser import FlinkExpressionParser
from planner.dialect.query_parser import FlinkQueryParser
from planner.dialect.type_parser import FlinkTypeParser
from planner.dialect.utility_parser import FlinkUtilityParser


def _unit(arg: exp.Expr) -> exp.Var:
    return exp.var(arg.name.upper())


def _timestampadd(args: list[exp.Expr]) -> exp.Expr:
    if len(args) != 3:
        return exp.Anonymous(this="TIMESTAMPADD", expressions=args)
    return exp.TimestampAdd(this=args[2], expression=args[1], unit=_unit(args[0]))


def _timestampdiff(args: list[exp.Expr]) -> exp.Expr:
    if len(args) != 3:
        return exp.Anonymous(this="TIMESTAMPDIFF", expressions=args)
    return exp.TimestampDiff(this=args[2], expression=args[1], unit=_unit(args[0]))


def _uuid(args: list[exp.Expr], dialect: Dialect) -> exp.Expr:
    """UUID() keeps sqlglot's node; arguments are kept (Anonymous) so the planner reports the arity."""
    if args:
        return exp.Anonymous(this="UUID", expressions=args)
    return BaseParser.FUNCTIONS["UUID"](args, dialect)


# sqlglot maps these names onto another function's node (INSTR -> StrPosition, LOG10 -> Log(10, x),
# POW -> Pow, BOOL_AND -> LogicalAnd ..); Flink's semantics and messages differ, so they stay calls by
# their own name (exp.Anonymous, spelled as written). Flink has no POW, BOOL_AND or BOOL_OR at all.
_OWN_NAME_FUNCTIONS = {"INSTR", "LOG10", "LOG2", "POW", "BOOL_AND", "BOOL_OR", "IFNULL", "MOD"}


class ErrorToken:
    """Where a syntax error happened: offset into the statement and the offending text."""

    def __init__(self, offset: int, text: str) -> None:
        self.offset = offset
        self.text = text


class FlinkParser(
    FlinkQueryParser,
    FlinkExpressionParser,
    FlinkDdlParser,
    FlinkUtilityParser,
    FlinkTypeParser,
    BaseParser,
):
    FUNCTIONS: ClassVar = {
        **{k: v for k, v in BaseParser.FUNCTIONS.items() if k not in _OWN_NAME_FUNCTIONS},
        "ROW": lambda args: exp.Struct(expressions=args),
        "UUID": _uuid,
        "TIMESTAMPADD": _timestampadd,
        "TIMESTAMPDIFF": _timestampdiff,
    }
    FUNCTION_PARSERS: ClassVar = {
        **BaseParser.FUNCTION_PARSERS,
        "JSON_VALUE": lambda self: self._parse_flink_json_value(),
        "JSON_QUERY": lambda self: self._parse_flink_json_query(),
        "JSON_EXISTS": lambda self: self._parse_flink_json_exists(),
        "JSON_ARRAY": lambda self: self._parse_flink_json_array(),
    }
    TABLE_ALIAS_TOKENS: ClassVar = BaseParser.TABLE_ALIAS_TOKENS - {
        TokenType.MATCH_RECOGNIZE,
        TokenType.WINDOW,
    }
    # Flink's SESSION(..) group window and SESSION_START(..) are calls, not the SESSION keyword.
    FUNC_TOKENS: ClassVar = {*BaseParser.FUNC_TOKENS, TokenType.SESSION}
    TABLE_POSTFIX_TOKENS: ClassVar = {*BaseParser.TABLE_POSTFIX_TOKENS, TokenType.HINT}

    STATEMENT_STARTS: ClassVar[dict[str, Callable[[FlinkParser], exp.Expr]]] = {
        "CREATE": lambda self: self._parse_flink_create(),
        "DROP": lambda self: self._parse_flink_drop(),
        "ALTER": lambda self: self._parse_flink_alter(),
        "USE": lambda self: self._parse_flink_use(),
        "SHOW": lambda self: self._parse_flink_show(),
        "DESCRIBE": lambda self: self._parse_flink_describe(),
        "DESC": lambda self: self._parse_flink_describe(),
        "EXPLAIN": lambda self: self._parse_flink_explain(),
        "SET": lambda self: self._parse_flink_set(),
        "RESET": lambda self: self._parse_flink_reset(),
        "STOP": lambda self: self._parse_flink_stop(),
        "EXECUTE": lambda self: self._parse_flink_execute(),
        "BEGIN": lambda self: self._parse_flink_begin(),
        "END": lambda self: nodes.EndStatementSet(),
        "INSERT": lambda self: self._parse_flink_insert(),
    }

    error_token: ErrorToken | None = None

    def _parse(self, parse_method, raw_tokens, sql=None):  # type: ignore[no-untyped-def]
        """Like sqlglot's, but `;` inside `EXECUTE STATEMENT SET BEGIN .. END` does not end a statement."""
        self.reset()
        self.sql = sql or ""
        chunks: list[list[Token]] = [[]]
        in_block = False
        case_depth = 0
        for i, token in enumerate(raw_tokens):
            if not in_block and _opens_statement_set(raw_tokens, i):
                in_block = True
            if token.token_type == TokenType.CASE:
                case_depth += 1
            elif token.token_type == TokenType.END:
                if case_depth:
                    case_depth -= 1
                else:
                    in_block = False
            if token.token_type == TokenType.SEMICOLON and not in_block:
                if i < len(raw_tokens) - 1:
                    chunks.append([])
            else:
                chunks[-1].append(token)
        self._chunks = chunks
        return self._parse_batch_statements(parse_method=parse_method, sep_first_statement=False)

    def _parse_statement(self) -> exp.Expr | None:
        if not self._curr:
            return None
        handler = (
            self.STATEMENT_STARTS.get(self._curr.text.upper())
            if self._curr.token_type not in (TokenType.STRING, TokenType.IDENTIFIER)
            else None
        )
        if handler is not None:
            comments = self._curr.comments
            self._advance()
            statement = handler(self)
            statement.add_comments(comments, prepend=True)
            return statement
        return self._parse_flink_query()

    def raise_error(self, message: str, token: Token | None = None) -> None:
        at_end = token is None and not self._curr
        where = token or self._curr or self._prev
        if at_end:
            offset = (self._prev.end + 1) if self._prev else 0
            self.error_token = ErrorToken(offset, "")
        elif where is not None:
            self.error_token = ErrorToken(where.start, self.sql[where.start : where.end + 1])
        try:
            super().raise_error(message, token) if token else super().raise_error(message)
        except ParseError as error:
            error.flink_token = self.error_token  # type: ignore[attr-defined]
            raise


def _opens_statement_set(tokens: list[Token], i: int) -> bool:
    words = [t.text.upper() for t in tokens[i : i + 3]]
    return words == ["STATEMENT", "SET", "BEGIN"]
