"""Flink's data types, parsed by a small dedicated grammar.

Flink's type grammar is closed and differs from sqlglot's defaults in ways that matter (STRING, BYTES,
TIMESTAMP_LTZ, ROW<..>/ROW(..), MULTISET<..>, postfix `INT ARRAY`, NOT NULL inside nested types), so
declared types (CAST, column definitions, RETURNING) go through `_parse_flink_type`. The mapping onto
`exp.DataType` is listed in the package docstring.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.parser import Parser
from sqlglot.tokens import TokenType

_SIMPLE_TYPES: dict[str, exp.DType] = {
    "TINYINT": exp.DType.TINYINT,
    "SMALLINT": exp.DType.SMALLINT,
    "INT": exp.DType.INT,
    "INTEGER": exp.DType.INT,
    "BIGINT": exp.DType.BIGINT,
    "FLOAT": exp.DType.FLOAT,
    "REAL": exp.DType.FLOAT,
    "BOOLEAN": exp.DType.BOOLEAN,
    "DATE": exp.DType.DATE,
    "STRING": exp.DType.TEXT,
    "BYTES": exp.DType.BLOB,
    "NULL": exp.DType.NULL,
}
_SIZED_TYPES: dict[str, exp.DType] = {
    "CHAR": exp.DType.CHAR,
    "CHARACTER": exp.DType.CHAR,
    "VARCHAR": exp.DType.VARCHAR,
    "BINARY": exp.DType.BINARY,
    "VARBINARY": exp.DType.VARBINARY,
    "TIME": exp.DType.TIME,
    "TIMESTAMP_LTZ": exp.DType.TIMESTAMPLTZ,
}
_DECIMALS = {"DECIMAL", "DEC", "NUMERIC"}
_INTERVAL_UNITS = ("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND")


class FlinkTypeParser(Parser):
    """Mixin: `_parse_types` for declared types; typed literals (`DATE '..'`) keep sqlglot's path."""

    def _parse_types(
        self,
        check_func: bool = False,
        schema: bool = False,
        allow_identifiers: bool = True,
        with_collation: bool = False,
    ) -> exp.Expr | None:
        if check_func:
            return super()._parse_types(
                check_func=check_func,
                schema=schema,
                allow_identifiers=allow_identifiers,
                with_collation=with_collation,
            )
        return self._parse_flink_type()

    def _parse_flink_type(self) -> exp.DataType | None:
        """One type with its postfix ARRAY/MULTISET and NOT NULL; None if no type starts here."""
        dtype = self._parse_flink_base_type()
        if dtype is None:
            return None
        while self._curr and self._curr.text.upper() in ("ARRAY", "MULTISET"):
            if self._next and self._next.token_type == TokenType.LT:
                break
            self._advance()
            dtype = _collection(self._prev.text.upper(), dtype)
        if self._match_text_seq("NOT", "NULL"):
            dtype.set("nullable", False)
        else:
            self._match(TokenType.NULL)
        return dtype

    def _parse_flink_base_type(self) -> exp.DataType | None:
        if not self._curr or self._curr.token_type in (TokenType.STRING, TokenType.NUMBER):
            return None
        word = self._curr.text.upper()
        if self._curr.token_type == TokenType.IDENTIFIER:
            return None
        if word in _SIMPLE_TYPES:
            self._advance()
            return exp.DataType(this=_SIMPLE_TYPES[word])
        if word in ("DOUBLE", "DOUBLE PRECISION"):
            self._advance()
            self._match_text_seq("PRECISION")
            return exp.DataType(this=exp.DType.DOUBLE)
        if word in _DECIMALS:
            self._advance()
            return exp.DataType(this=exp.DType.DECIMAL, expressions=self._parse_type_params())
        if word == "TIMESTAMP":
            self._advance()
            params = self._parse_type_params()
            if self._match_text_seq("WITH", "LOCAL", "TIME", "ZONE"):
                return exp.DataType(this=exp.DType.TIMESTAMPLTZ, expressions=params)
            self._match_text_seq("WITHOUT", "TIME", "ZONE")
            return exp.DataType(this=exp.DType.TIMESTAMP, expressions=params)
        if word in _SIZED_TYPES:
            self._advance()
            params = self._parse_type_params()
            if word == "TIME":
                self._match_text_seq("WITHOUT", "TIME", "ZONE")
            elif word in ("CHAR", "CHARACTER") and self._match_text_seq("VARYING"):
                return exp.DataType(this=exp.DType.VARCHAR, expressions=self._parse_type_params())
            return exp.DataType(this=_SIZED_TYPES[word], expressions=params)
        if word == "INTERVAL":
            self._advance()
            return self._parse_interval_type()
        if word in ("ARRAY", "MULTISET") and self._next and self._next.token_type == TokenType.LT:
            self._advance(2)
            inner = self._parse_required_type()
            self._match_gt()
            return _collection(word, inner)
        if word == "MAP" and self._next and self._next.token_type == TokenType.LT:
            self._advance(2)
            key = self._parse_required_type()
            self._expect(TokenType.COMMA, "Expecting , between the key and value types of MAP")
            value = self._parse_required_type()
            self._match_gt()
            return exp.DataType(this=exp.DType.MAP, expressions=[key, value], nested=True)
        if (
            word == "ROW"
            and self._next
            and self._next.token_type in (TokenType.LT, TokenType.L_PAREN)
        ):
            return self._parse_row_type()
        if word == "RAW" and self._next and self._next.token_type == TokenType.L_PAREN:
            self._advance(2)
            args = self._parse_csv(self._parse_string)
            self._expect(TokenType.R_PAREN, "Expecting ) after RAW type arguments")
            return exp.DataType(this=exp.DType.USERDEFINED, kind="RAW", expressions=args)
        return None

    def _parse_required_type(self) -> exp.DataType:
        dtype = self._parse_flink_type()
        if dtype is None:
            self.raise_error("Expecting a data type")
            raise AssertionError("unreachable")
        return dtype

    def _parse_type_params(self) -> list[exp.Expr]:
        if not self._match(TokenType.L_PAREN):
            return []
        params: list[exp.Expr] = []
        while True:
            number = self._parse_number()
            if number is None:
                self.raise_error("Expecting an integer type parameter")
            params.append(exp.DataTypeParam(this=number))
            if not self._match(TokenType.COMMA):
                break
        self._expect(TokenType.R_PAREN, "Expecting ) after type parameters")
        return params

    def _parse_interval_type(self) -> exp.DataType:
        qualifier = self._parse_interval_unit_text()
        if qualifier is None:
            self.raise_error("Expecting an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)")
            raise AssertionError("unreachable")
        if self._match_text_seq("TO"):
            end = self._parse_interval_unit_text()
            if end is None:
                self.raise_error("Expecting an interval unit after TO")
            qualifier = f"{qualifier} TO {end}"
        return exp.DataType(this=exp.DType.INTERVAL, expressions=[exp.var(qualifier)])

    def _parse_interval_unit_text(self) -> str | None:
        if not self._curr or self._curr.text.upper() not in _INTERVAL_UNITS:
            return None
        self._advance()
        unit = self._prev.text.upper()
        params = self._parse_type_params()
        if params:
            unit += "(" + ", ".join(p.name for p in params) + ")"
        return unit

    def _parse_row_type(self) -> exp.DataType:
        self._advance()
        closing = TokenType.GT if self._match(TokenType.LT) else TokenType.R_PAREN
        if closing == TokenType.R_PAREN:
            self._advance()
        fields: list[exp.Expr] = []
        if not self._match(closing, advance=False):
            fields = self._parse_csv(self._parse_row_field)
        if closing == TokenType.GT:
            self._match_gt()
        else:
            self._expect(TokenType.R_PAREN, "Expecting ) after ROW fields")
        return exp.DataType(this=exp.DType.STRUCT, expressions=fields, nested=True)

    def _parse_row_field(self) -> exp.Expr:
        name = self._parse_id_var(any_token=True)
        kind = self._parse_required_type()
        constraints = []
        comment = self._parse_string()
        if comment is not None:
            constraints.append(exp.CommentColumnConstraint(this=comment))
        return exp.ColumnDef(this=name, kind=kind, constraints=constraints or None)

    def _match_gt(self) -> None:
        if not self._match(TokenType.GT):
            self.raise_error("Expecting > to close the type")

    def _expect(self, token_type: TokenType, message: str) -> None:
        if not self._match(token_type):
            self.raise_error(message)


def _collection(kind: str, inner: exp.DataType) -> exp.DataType:
    if kind == "ARRAY":
        return exp.DataType(this=exp.DType.ARRAY, expressions=[inner], nested=True)
    return exp.DataType(
        this=exp.DType.USERDEFINED, kind="MULTISET", expressions=[inner], nested=True
    )
