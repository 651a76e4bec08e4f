"""The one error type the dialect raises for text a user wrote wrong.

Flink reports syntax errors as `SQL parse failed. Encountered "x" at line L, column C.`; we keep that first
line so people can search for it, and add what Flink lacks: the statement text, the offending token (for a
caret under it) and, when we know one, a hint.
"""

from __future__ import annotations


class FlinkSqlParseError(Exception):
    """A statement that cannot be parsed, or parses but is not valid Flink SQL.

    `line`/`col` are 1-based and count in the whole script (the statement's own offset added), `sql` is the
    statement's text, `token` the offending text (`<EOF>` at the end of the input).
    """

    def __init__(
        self,
        message: str,
        *,
        line: int = 1,
        col: int = 1,
        sql: str = "",
        token: str = "",
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.sql = sql
        self.token = token
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nHint: {self.hint}"

    def __reduce__(self) -> tuple[object, ...]:
        # Keep the keyword-only attributes when the error crosses a process boundary.
        return (_rebuild, (self.message, self.line, self.col, self.sql, self.token, self.hint))


def _rebuild(
    message: str, line: int, col: int, sql: str, token: str, hint: str | None
) -> FlinkSqlParseError:
    return FlinkSqlParseError(message, line=line, col=col, sql=sql, token=token, hint=hint)


def syntax_error_message(token: str, line: int, col: int, expectation: str | None) -> str:
    """Flink's wording for a syntax error, with our short expectation appended when known."""
    shown = token if token else "<EOF>"
    text = f'SQL parse failed. Encountered "{shown}" at line {line}, column {col}.'
    return f"{text}\n{expectation}" if expectation else text
