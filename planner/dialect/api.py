"""Text in, trees out (and back): the dialect's entry points with Flink-style errors."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from planner.dialect.dialect import Flink
from planner.dialect.errors import FlinkSqlParseError, syntax_error_message
from planner.dialect.parser import ErrorToken

_DIALECT = Flink()


def parse_statement(sql: str, *, line: int = 1, col: int = 1) -> exp.Expr:
    """Parse exactly one statement (a trailing `;` is allowed); `line`/`col` locate it in its script."""
    try:
        statements = [s for s in _DIALECT.parse(sql) if s is not None]
    except ParseError as error:
        raise _to_flink_error(error, sql, line, col) from None
    except TokenError as error:
        raise _token_error(error, sql, line, col) from None
    if not statements:
        raise _error_at(sql, len(sql.rstrip()), "", "Expecting a statement", line, col)
    if len(statements) > 1:
        second = sql.find(";")
        raise _error_at(
            sql,
            second,
            ";",
            "Only one statement is expected here; split the script first",
            line,
            col,
        )
    return statements[0]


def parse_expression(sql: str) -> exp.Expr:
    """Parse one scalar expression (computed columns, watermark strategies, defaults)."""
    try:
        tokens = _DIALECT.tokenize(sql)
        parser = _DIALECT.parser()
        expressions = parser.parse_into(exp.Condition, tokens, sql)  # type: ignore[arg-type]
    except ParseError as error:
        raise _to_flink_error(error, sql, 1, 1) from None
    except TokenError as error:
        raise _token_error(error, sql, 1, 1) from None
    expression = expressions[0] if expressions else None
    if expression is None or len(expressions) != 1:
        raise _error_at(sql, 0, sql[:1], "Expecting one expression", 1, 1)
    return expression


def to_flink_sql(node: exp.Expr, pretty: bool = False, identify: bool = False) -> str:
    """Print a tree as Flink SQL (comments dropped; hints are part of the tree and kept).

    `identify` quotes every identifier in backticks, as Flink serializes expressions it stores
    (computed columns, watermarks, expanded views).
    """
    return _DIALECT.generate(
        node, pretty=pretty, comments=False, normalize_functions=False, identify=identify
    )


def _to_flink_error(error: ParseError, sql: str, line: int, col: int) -> FlinkSqlParseError:
    token: ErrorToken | None = getattr(error, "flink_token", None)
    description = error.errors[0].get("description") if error.errors else None
    if token is None:
        rel_line = (error.errors[0].get("line") if error.errors else None) or 1
        rel_col = (error.errors[0].get("col") if error.errors else None) or 1
        offset = _offset_of(sql, rel_line, rel_col)
        token = ErrorToken(offset, "")
    return _error_at(sql, token.offset, token.text, _expectation(description), line, col)


def _token_error(error: TokenError, sql: str, line: int, col: int) -> FlinkSqlParseError:
    message = str(error)
    offset = _unterminated_offset(sql)
    token = sql[offset : offset + 1] if offset < len(sql) else ""
    hint = (
        "A string or quoted identifier is not closed."
        if "string" in message.lower() or offset < len(sql)
        else None
    )
    return _error_at(sql, offset, token, hint or message, line, col)


def _unterminated_offset(sql: str) -> int:
    """Start of the quote left open in `sql` (or its end): where a tokenizer error points."""
    quote: str | None = None
    start = len(sql)
    i = 0
    while i < len(sql):
        ch = sql[i]
        if quote:
            if ch == quote:
                if i + 1 < len(sql) and sql[i + 1] == quote:
                    i += 2
                    continue
                quote = None
        elif ch in "'`":
            quote, start = ch, i
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end < 0:
                return i
            i = end + 2
            continue
        i += 1
    return start if quote else len(sql)


def _expectation(description: str | None) -> str | None:
    if not description or description.startswith("Invalid expression"):
        return None
    if description.startswith("Required keyword"):
        return None
    if description.startswith(("Expecting", "Expected")):
        return "Was expecting: " + description.split(" ", 1)[1]
    return description


def _error_at(
    sql: str, offset: int, text: str, expectation: str | None, line: int, col: int
) -> FlinkSqlParseError:
    rel_line = sql.count("\n", 0, offset) + 1
    rel_col = offset - (sql.rfind("\n", 0, offset) + 1) + 1
    abs_line = line + rel_line - 1
    abs_col = col + rel_col - 1 if rel_line == 1 else rel_col
    message = syntax_error_message(text, abs_line, abs_col, expectation)
    return FlinkSqlParseError(
        message, line=abs_line, col=abs_col, sql=sql, token=text or "<EOF>", hint=None
    )


def _offset_of(sql: str, line: int, col: int) -> int:
    lines = sql.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + max(col - 1, 0)
