"""Flink's scalar expression forms that sqlglot's base parser lacks or reads differently.

Subscripts after constructors (`MAP[..]['k']`, `ARRAY[..][1]`), any expression as LIKE's ESCAPE, `PI`
without parentheses, typed literals (`TIMESTAMP '..'`), Calcite's datetime difference as an interval
(`(a - b) DAY`), `JSON_ARRAY(.. NULL ON NULL)` and plural interval units.
"""

from __future__ import annotations

from typing import ClassVar

from sqlglot import exp
from sqlglot.expressions.builders import apply_index_offset
from sqlglot.parser import Parser
from sqlglot.tokens import TokenType

from planner.dialect.nodes import DatetimeDiffInterval

PLURAL_UNITS = {
    "YEARS": "YEAR",
    "MONTHS": "MONTH",
    "WEEKS": "WEEK",
    "DAYS": "DAY",
    "HOURS": "HOUR",
    "MINUTES": "MINUTE",
    "SECONDS": "SECOND",
    "MILLISECONDS": "MILLISECOND",
    "MICROSECONDS": "MICROSECOND",
}
# Units that may follow `(a - b)`: Calcite's interval qualifier, plural spellings included.
_QUALIFIER_UNITS = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"}
_QUALIFIER_WORDS = _QUALIFIER_UNITS | {p for p, s in PLURAL_UNITS.items() if s in _QUALIFIER_UNITS}


def _typed_literal(parser: Parser, this: exp.Expr, to: exp.DataType) -> exp.Expr:
    """`DATE '..'`, `TIME '..'`, `TIMESTAMP '..'`: a Cast marked so the binder types it as a literal."""
    if to.expressions:
        # `TIMESTAMP(3) '..'` is no Flink literal; keep sqlglot's plain reading (a cast).
        return parser.expression(exp.Cast(this=this, to=to))
    cast = parser.expression(exp.Cast(this=this, to=to))
    cast.set("typed_literal", True)
    return cast


class FlinkExpressionParser(Parser):
    """Mixin: expression-level Flink syntax."""

    TYPE_LITERAL_PARSERS: ClassVar = {
        **Parser.TYPE_LITERAL_PARSERS,
        exp.DType.DATE: _typed_literal,
        exp.DType.TIME: _typed_literal,
        exp.DType.TIMESTAMP: _typed_literal,
        exp.DType.TIMESTAMPLTZ: _typed_literal,
    }
    NO_PAREN_FUNCTION_PARSERS: ClassVar = {
        **Parser.NO_PAREN_FUNCTION_PARSERS,
        "PI": lambda self: self._parse_flink_pi(),
    }

    # True while parsing a place that names a column (DESCRIPTOR(..), WATERMARK FOR ..): `pi` is a name.
    _names_only: bool = False

    def _parse_column_name(self) -> exp.Expr | None:
        """A column reference where Calcite takes a plain identifier, so `PI` is not the constant."""
        self._names_only = True
        try:
            return self._parse_column()
        finally:
            self._names_only = False

    def _parse_flink_pi(self) -> exp.Expr | None:
        """Calcite resolves an unquoted, unqualified `PI` to the function before any column of that name."""
        if self._names_only or (self._curr and self._curr.token_type == TokenType.DOT):
            self._retreat(self._index - 1)
            return None
        name = self._prev.text
        if not self._match(TokenType.L_PAREN):
            return self.expression(exp.Pi())
        args = (
            []
            if self._match(TokenType.R_PAREN, advance=False)
            else self._parse_csv(self._parse_disjunction)
        )
        self._match_r_paren()
        if args:
            # A wrong arity is the planner's to report, as for any function.
            return self.expression(exp.Anonymous(this=name, expressions=args))
        return self.expression(exp.Pi())

    # ------------------------------------------------------------ subscripts and constructors

    def _parse_bracket(self, this: exp.Expr | None = None) -> exp.Expr | None:
        if not self._match(TokenType.L_BRACKET):
            return super()._parse_bracket(this)
        open_bracket = self._prev
        items = self._parse_csv(self._parse_bracket_key_value)
        if not self._match(TokenType.R_BRACKET):
            self.raise_error("Expecting ] to close the subscript")
        if this is None:
            this = self.expression(exp.Array(expressions=items))
        elif _is_keyword_column(this, "MAP"):
            if len(items) % 2:
                self.raise_error(
                    "MAP[...] needs an even number of arguments (key, value, ...)", open_bracket
                )
            this = self.expression(
                exp.VarMap(
                    keys=exp.Array(expressions=items[0::2]),
                    values=exp.Array(expressions=items[1::2]),
                )
            )
        elif _is_keyword_column(this, "ARRAY"):
            this = self.expression(exp.Array(expressions=items))
        else:
            # Same index shift as sqlglot's own parser, which the generator and the planner undo.
            index = apply_index_offset(
                this, items, -self.dialect.INDEX_OFFSET, dialect=self.dialect
            )
            this = self.expression(
                exp.Bracket(this=this, expressions=index), comments=this.pop_comments()
            )
        return self._parse_bracket(this)

    # ------------------------------------------------------------ operators

    def _parse_escape(self, this: exp.Expr | None) -> exp.Expr | None:
        if not self._match(TokenType.ESCAPE):
            return this
        escape = self._parse_bitwise()
        if escape is None:
            self.raise_error("Expecting the escape character after ESCAPE")
        return self.expression(exp.Escape(this=this, expression=escape))

    def _parse_paren(self) -> exp.Expr | None:
        start = self._curr
        this = super()._parse_paren()
        if not isinstance(this, exp.Paren) or not self._at_qualifier_unit():
            return this
        if not isinstance(this.this, exp.Sub):
            self.raise_error(
                'Illegal expression. Was expecting "(DATETIME - DATETIME) INTERVALQUALIFIER"', start
            )
        diff = this.this
        return self.expression(
            DatetimeDiffInterval(
                this=diff.this, expression=diff.expression, unit=self._parse_qualifier()
            )
        )

    def _at_qualifier_unit(self) -> bool:
        return bool(
            self._curr
            and self._curr.token_type not in (TokenType.IDENTIFIER, TokenType.STRING)
            and self._curr.text.upper() in _QUALIFIER_WORDS
        )

    def _parse_qualifier(self) -> exp.Var:
        qualifier = self._parse_qualifier_unit()
        if self._match_text_seq("TO"):
            if not self._at_qualifier_unit():
                self.raise_error("Expecting an interval unit after TO")
            qualifier += " TO " + self._parse_qualifier_unit()
        return exp.var(qualifier)

    def _parse_qualifier_unit(self) -> str:
        self._advance()
        word = self._prev.text.upper()
        unit = PLURAL_UNITS.get(word, word)
        params = self._parse_type_params()  # type: ignore[attr-defined]
        return unit + ("(" + ", ".join(p.name for p in params) + ")" if params else "")

    def _parse_interval(
        self, require_interval: bool = True, parse_function_unit: bool = True
    ) -> exp.Add | exp.Interval | None:
        interval = super()._parse_interval(
            require_interval=require_interval, parse_function_unit=parse_function_unit
        )
        if isinstance(interval, exp.Interval):
            unit = interval.args.get("unit")
            if isinstance(unit, exp.Var) and unit.name.upper() in PLURAL_UNITS:
                interval.set("unit", exp.var(PLURAL_UNITS[unit.name.upper()]))
        return interval

    # ------------------------------------------------------------ JSON_ARRAY

    def _parse_flink_json_array(self) -> exp.JSONArray:
        """`JSON_ARRAY([v, ..] [NULL|ABSENT ON NULL])`; an unwritten clause is None (Flink: ABSENT)."""
        values: list[exp.Expr] = []
        if not self._match(TokenType.R_PAREN, advance=False):
            values = self._parse_csv(self._parse_disjunction)
        null_handling = next(
            (
                f"{word} ON NULL"
                for word in ("NULL", "ABSENT")
                if self._match_text_seq(word, "ON", "NULL")
            ),
            None,
        )
        return self.expression(
            exp.JSONArray(expressions=values or None, null_handling=null_handling)
        )


def _is_keyword_column(node: exp.Expr, name: str) -> bool:
    """`MAP` / `ARRAY` before `[`: the constructor keyword, read by sqlglot as a bare column."""
    return (
        isinstance(node, exp.Column)
        and not node.table
        and not node.this.quoted
        and node.name.upper() == name
    )
