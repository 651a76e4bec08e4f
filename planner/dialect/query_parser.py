"""Flink's query forms that sqlglot's base parser lacks or reads differently.

Window table functions and `TABLE(f(..))` in FROM, `LATERAL TABLE(f(..))`, table hints after a table name,
MATCH_RECOGNIZE with WITHIN and the clauses of JSON_VALUE, JSON_QUERY and JSON_EXISTS.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlglot import exp
from sqlglot.parser import Parser
from sqlglot.tokens import TokenType

from planner.dialect.nodes import (
    FlinkJsonExists,
    FlinkJsonQuery,
    FlinkMatchRecognize,
    TableCall,
    WindowTVF,
)

# Argument names of each window TVF in positional order (Flink's documented signatures).
WINDOW_TVF_PARAMS: dict[str, tuple[str, ...]] = {
    "TUMBLE": ("data", "timecol", "size", "offset"),
    "HOP": ("data", "timecol", "slide", "size", "offset"),
    "CUMULATE": ("data", "timecol", "step", "size", "offset"),
    "SESSION": ("data", "timecol", "gap"),
}
_REQUIRED_TVF_PARAMS = {"data", "timecol", "size", "slide", "step", "gap"}

_JSON_BEHAVIOURS = ("EMPTY ARRAY", "EMPTY OBJECT", "NULL", "ERROR", "TRUE", "FALSE", "UNKNOWN")


class FlinkQueryParser(Parser):
    """Mixin: query-level Flink syntax."""

    _stashed_table_hints: list[exp.Expr] | None = None

    # ------------------------------------------------------------ FROM items

    def _parse_table(
        self,
        schema: bool = False,
        joins: bool = False,
        alias_tokens: Collection[TokenType] | None = None,
        parse_bracket: bool = False,
        is_db_reference: bool = False,
        parse_partition: bool = False,
        consume_pipe: bool = False,
    ) -> exp.Expr | None:
        if not schema and not is_db_reference and self._is_table_call():
            self._advance(2)
            call = self._parse_window_tvf() or self._parse_function()
            if call is None:
                self.raise_error("Expecting a table function call inside TABLE(...)")
            self._expect_token(TokenType.R_PAREN, "Expecting ) to close TABLE(")
            node = call if isinstance(call, WindowTVF) else TableCall(this=call)
            node.set("alias", self._parse_table_alias(alias_tokens=alias_tokens))
            return node
        return super()._parse_table(
            schema=schema,
            joins=joins,
            alias_tokens=alias_tokens,
            parse_bracket=parse_bracket,
            is_db_reference=is_db_reference,
            parse_partition=parse_partition,
            consume_pipe=consume_pipe,
        )

    def _is_table_call(self) -> bool:
        return bool(
            self._curr
            and self._curr.token_type == TokenType.TABLE
            and self._next
            and self._next.token_type == TokenType.L_PAREN
        )

    def _parse_lateral(self) -> exp.Lateral | None:
        if self._curr and self._curr.token_type == TokenType.LATERAL:
            index = self._index
            self._advance()
            if self._is_table_call():
                self._advance(2)
                call = self._parse_function()
                if call is None:
                    self.raise_error("Expecting a table function call in LATERAL TABLE(...)")
                self._expect_token(TokenType.R_PAREN, "Expecting ) to close LATERAL TABLE(")
                return self.expression(exp.Lateral(this=call, alias=self._parse_table_alias()))
            self._retreat(index)
        return super()._parse_lateral()

    def _parse_window_tvf(self) -> WindowTVF | None:
        if not (
            self._curr
            and self._curr.text.upper() in WINDOW_TVF_PARAMS
            and self._next
            and self._next.token_type == TokenType.L_PAREN
        ):
            return None
        name = self._curr.text.upper()
        self._advance(2)
        params = WINDOW_TVF_PARAMS[name]
        values: dict[str, exp.Expr | list[exp.Expr]] = {}
        position = 0
        while True:
            param = self._parse_tvf_param_name(params) or (
                params[position] if position < len(params) else None
            )
            if param is None:
                self.raise_error(f"Too many arguments for window function {name}")
                raise AssertionError("unreachable")
            if param in values:
                self.raise_error(f"Argument {param.upper()} of {name} given twice")
            values.update(self._parse_tvf_argument(param))
            position += 1
            if not self._match(TokenType.COMMA):
                break
        self._expect_token(TokenType.R_PAREN, f"Expecting ) to close {name}(")
        missing = [p for p in params if p in _REQUIRED_TVF_PARAMS and p not in values]
        if missing:
            self.raise_error(
                f"Window function {name} misses argument {', '.join(m.upper() for m in missing)}",
                self._prev,
            )
        table = values.pop("data")
        return WindowTVF(this=name, table=table, **values)

    def _parse_tvf_param_name(self, params: tuple[str, ...]) -> str | None:
        if self._curr and self._next and self._next.token_type == TokenType.FARROW:
            word = self._curr.text.lower()
            if word not in params:
                self.raise_error(f"Unknown argument name {self._curr.text}")
            self._advance(2)
            return word
        return None

    def _parse_tvf_argument(self, param: str) -> dict[str, exp.Expr | list[exp.Expr]]:
        if param == "data":
            if self._match(TokenType.TABLE):
                table: exp.Expr | None = self._parse_table_parts(schema=True)
            else:
                table = self._parse_select(table=True)
            if table is None:
                self.raise_error("Expecting TABLE name or a subquery as the window's input")
            result: dict[str, exp.Expr | list[exp.Expr]] = {"data": table}  # type: ignore[dict-item]
            if self._match(TokenType.PARTITION_BY) or self._match_text_seq("PARTITION", "BY"):
                # A single key bare, several in parentheses (a bare list would swallow DESCRIPTOR).
                if self._match(TokenType.L_PAREN, advance=False):
                    result["partition_by"] = self._parse_wrapped_csv(self._parse_column_name)
                else:
                    result["partition_by"] = [self._parse_column_name()]
            return result
        if param == "timecol":
            if not self._match_text_seq("DESCRIPTOR"):
                self.raise_error("Expecting DESCRIPTOR(time_column)")
            self._expect_token(TokenType.L_PAREN, "Expecting ( after DESCRIPTOR")
            column = self._parse_column_name()
            self._expect_token(TokenType.R_PAREN, "Expecting ) to close DESCRIPTOR(")
            return {"timecol": column}  # type: ignore[dict-item]
        value = self._parse_bitwise()
        if value is None:
            self.raise_error(f"Expecting an interval for {param.upper()}")
        return {param: value}  # type: ignore[dict-item]

    # ------------------------------------------------------------ hints after a table name

    def _parse_table_alias(
        self, alias_tokens: Collection[TokenType] | None = None
    ) -> exp.TableAlias | None:
        if self._curr and self._curr.token_type == TokenType.HINT:
            self._stashed_table_hints = self._parse_table_hint_tokens()
        return super()._parse_table_alias(alias_tokens=alias_tokens)

    def _parse_version(self) -> exp.Version | None:
        # `JOIN t /*+ OPTIONS(..) */ FOR SYSTEM_TIME AS OF ..`: the hint sits before the period clause.
        if self._curr and self._curr.token_type == TokenType.HINT:
            self._stashed_table_hints = self._parse_table_hint_tokens()
        return super()._parse_version()

    def _parse_table_hints(self) -> list[exp.Expr] | None:
        stashed, self._stashed_table_hints = self._stashed_table_hints, None
        return stashed or self._parse_table_hint_tokens()

    def _parse_table_hint_tokens(self) -> list[exp.Expr] | None:
        hints: list[exp.Expr] = []
        while self._curr and self._curr.token_type == TokenType.HINT:
            hint = self._parse_hint()
            if hint is not None:
                hints.append(hint)
        return hints or None

    # ------------------------------------------------------------ MATCH_RECOGNIZE

    def _parse_match_recognize(self) -> exp.MatchRecognize | None:
        if not self._match(TokenType.MATCH_RECOGNIZE):
            return None
        self._expect_token(TokenType.L_PAREN, "Expecting ( after MATCH_RECOGNIZE")
        partition = self._parse_partition_by()
        order = self._parse_order()
        measures = (
            self._parse_csv(self._parse_match_recognize_measure)
            if self._match_text_seq("MEASURES")
            else None
        )
        rows = None
        if self._match_text_seq("ONE", "ROW", "PER", "MATCH"):
            rows = exp.var("ONE ROW PER MATCH")
        elif self._match_text_seq("ALL", "ROWS", "PER", "MATCH"):
            rows = exp.var("ALL ROWS PER MATCH")
        after = self._parse_after_match_skip()
        if not self._match_text_seq("PATTERN"):
            self.raise_error("Expecting PATTERN (...) in MATCH_RECOGNIZE")
        pattern = exp.var(self._raw_parenthesized_text())
        within = self._parse_interval() if self._match_text_seq("WITHIN") else None
        define = (
            self._parse_csv(self._parse_name_as_expression)
            if self._match_text_seq("DEFINE")
            else None
        )
        self._expect_token(TokenType.R_PAREN, "Expecting ) to close MATCH_RECOGNIZE")
        return self.expression(
            FlinkMatchRecognize(
                partition_by=partition or None,
                order=order,
                measures=measures,
                rows=rows,
                after=after,
                pattern=pattern,
                within=within,
                define=define,
                alias=self._parse_table_alias(),
            )
        )

    def _parse_after_match_skip(self) -> exp.Var | None:
        if not self._match_text_seq("AFTER", "MATCH", "SKIP"):
            return None
        if self._match_text_seq("PAST", "LAST", "ROW"):
            return exp.var("AFTER MATCH SKIP PAST LAST ROW")
        if self._match_text_seq("TO", "NEXT", "ROW"):
            return exp.var("AFTER MATCH SKIP TO NEXT ROW")
        if not self._match_text_seq("TO"):
            self.raise_error("Expecting PAST LAST ROW, TO NEXT ROW, TO FIRST v or TO LAST v")
        direction = self._prev.text.upper() if self._match_texts(("FIRST", "LAST")) else ""
        variable = self._parse_id_var(any_token=True)
        if variable is None:
            self.raise_error("Expecting a pattern variable after AFTER MATCH SKIP TO")
            raise AssertionError("unreachable")
        target = f"{direction} {variable.name}".strip()
        return exp.var(f"AFTER MATCH SKIP TO {target}")

    def _raw_parenthesized_text(self) -> str:
        """The text between balanced parentheses, as written (PATTERN's regular expression)."""
        self._expect_token(TokenType.L_PAREN, "Expecting ( after PATTERN")
        depth, start, end = 1, self._curr, None
        while self._curr:
            if self._curr.token_type == TokenType.L_PAREN:
                depth += 1
            elif self._curr.token_type == TokenType.R_PAREN:
                depth -= 1
                if depth == 0:
                    break
            end = self._curr
            self._advance()
        if not self._curr or start is None or end is None:
            self.raise_error("Expecting ) to close PATTERN (")
            raise AssertionError("unreachable")
        self._advance()
        return " ".join(self.sql[start.start : end.end + 1].split())

    # ------------------------------------------------------------ expressions

    def _parse_flink_json_value(self) -> exp.JSONValue:
        this, path = self._parse_json_head()
        returning = self._match(TokenType.RETURNING) and self._parse_flink_type()
        on_empty = self._parse_json_on("EMPTY", with_default=True)
        on_error = self._parse_json_on("ERROR", with_default=True)
        on_condition = (
            exp.OnCondition(empty=on_empty, error=on_error) if on_empty or on_error else None
        )
        return self.expression(
            exp.JSONValue(
                this=this, path=path, returning=returning or None, on_condition=on_condition
            )
        )

    def _parse_flink_json_query(self) -> FlinkJsonQuery:
        this, path = self._parse_json_head()
        returning = self._match(TokenType.RETURNING) and self._parse_flink_type()
        wrapper = None
        start = self._index
        if self._match_texts(("WITH", "WITHOUT")):
            words = [self._prev.text.upper()]
            while self._curr and self._curr.text.upper() in (
                "CONDITIONAL",
                "UNCONDITIONAL",
                "ARRAY",
            ):
                words.append(self._curr.text.upper())
                self._advance()
            if self._match_text_seq("WRAPPER"):
                wrapper = " ".join([*words, "WRAPPER"])
            else:
                self._retreat(start)
        return self.expression(
            FlinkJsonQuery(
                this=this,
                path=path,
                returning=returning or None,
                wrapper=wrapper,
                on_empty=self._parse_json_on("EMPTY", with_default=False),
                on_error=self._parse_json_on("ERROR", with_default=False),
            )
        )

    def _parse_flink_json_exists(self) -> FlinkJsonExists:
        this, path = self._parse_json_head()
        return self.expression(
            FlinkJsonExists(
                this=this, path=path, on_error=self._parse_json_on("ERROR", with_default=False)
            )
        )

    def _parse_json_head(self) -> tuple[exp.Expr | None, exp.Expr | None]:
        this = self._parse_bitwise()
        self._expect_token(TokenType.COMMA, "Expecting , before the JSON path")
        return this, self._parse_bitwise()

    def _parse_json_on(self, on: str, *, with_default: bool) -> exp.Expr | str | None:
        index = self._index
        for behaviour in _JSON_BEHAVIOURS:
            if self._match_text_seq(*behaviour.split(), "ON", on):
                return behaviour
        if with_default and self._match(TokenType.DEFAULT):
            value = self._parse_bitwise()
            if value is not None and self._match_text_seq("ON", on):
                return value
        self._retreat(index)
        return None

    def _expect_token(self, token_type: TokenType, message: str) -> None:
        if not self._match(token_type):
            self.raise_error(message)
