"""Utility and DML statements: USE, SHOW, DESCRIBE, EXPLAIN, SET, RESET, STOP JOB, INSERT, statement sets."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.parser import Parser
from sqlglot.tokens import TokenType

from planner.dialect import nodes

EXPLAIN_DETAILS = ("CHANGELOG_MODE", "ESTIMATED_COST", "JSON_EXECUTION_PLAN", "PLAN_ADVICE")
_SCOPED_SHOWS = ("TABLES", "VIEWS", "FUNCTIONS", "DATABASES", "PROCEDURES")


class FlinkUtilityParser(Parser):
    """Mixin: statements entered after their first keyword was consumed."""

    def _parse_flink_use(self) -> exp.Expr:
        if self._match_text_seq("CATALOG"):
            return nodes.UseStatement(kind="CATALOG", this=self._parse_name_identifier())
        if self._match_text_seq("MODULES"):
            modules = self._parse_csv(self._parse_name_identifier)
            return nodes.UseStatement(kind="MODULES", expressions=modules)
        return nodes.UseStatement(kind="DATABASE", this=self._parse_object_name())

    def _parse_flink_show(self) -> exp.Expr:
        if self._match_text_seq("CURRENT"):
            if not self._match_texts(("CATALOG", "DATABASE")):
                self.raise_error("Expecting CATALOG or DATABASE after SHOW CURRENT")
            return nodes.ShowStatement(kind=f"CURRENT {self._prev.text.upper()}")
        if self._match(TokenType.CREATE):
            if not self._match_texts(("TABLE", "VIEW", "CATALOG")):
                self.raise_error("Expecting TABLE, VIEW or CATALOG after SHOW CREATE")
            kind = f"CREATE {self._prev.text.upper()}"
            name = (
                self._parse_name_identifier()
                if kind == "CREATE CATALOG"
                else self._parse_object_name()
            )
            return nodes.ShowStatement(kind=kind, this=name)
        if self._match_text_seq("USER", "FUNCTIONS"):
            return self._parse_show_tail("USER FUNCTIONS")
        if self._match_text_seq("FULL", "MODULES"):
            return nodes.ShowStatement(kind="FULL MODULES")
        if self._match_texts(("CATALOGS", "JOBS", "MODULES")):
            return self._parse_show_tail(self._prev.text.upper())
        if self._match_texts(_SCOPED_SHOWS):
            return self._parse_show_tail(self._prev.text.upper())
        if self._match_texts(("COLUMNS", "PARTITIONS")):
            kind = self._prev.text.upper()
            if kind == "COLUMNS" and not self._match_set((TokenType.FROM, TokenType.IN)):
                self.raise_error("Expecting FROM or IN after SHOW COLUMNS")
            node = nodes.ShowStatement(kind=kind, this=self._parse_object_name())
            return self._parse_show_like(node)
        self.raise_error(
            "Expecting CATALOGS, CURRENT, DATABASES, TABLES, VIEWS, FUNCTIONS, COLUMNS, CREATE, "
            "PARTITIONS, JOBS or MODULES after SHOW"
        )
        raise AssertionError("unreachable")

    def _parse_show_tail(self, kind: str) -> exp.Expr:
        node = nodes.ShowStatement(kind=kind)
        scoped = kind in (
            "TABLES",
            "VIEWS",
            "FUNCTIONS",
            "USER FUNCTIONS",
            "DATABASES",
            "PROCEDURES",
        )
        if scoped and self._match_set((TokenType.FROM, TokenType.IN)):
            node.set("this", self._parse_object_name())
        return self._parse_show_like(node)

    def _parse_show_like(self, node: nodes.ShowStatement) -> exp.Expr:
        index = self._index
        negated = self._match(TokenType.NOT)
        if self._match_set((TokenType.LIKE, TokenType.ILIKE)):
            ilike = self._prev.token_type == TokenType.ILIKE
            pattern = self._parse_string()
            if pattern is None:
                self.raise_error("Expecting a string pattern after LIKE")
            node.set("like", pattern)
            node.set("not_like", negated)
            node.set("ilike", ilike)
        elif negated:
            self._retreat(index)
        return node

    def _parse_flink_describe(self) -> exp.Expr:
        extended = self._match_text_seq("EXTENDED")
        return nodes.DescribeStatement(this=self._parse_object_name(), extended=extended)

    def _parse_flink_explain(self) -> exp.Expr:
        details: list[exp.Expr] = []
        if not self._match_text_seq("PLAN", "FOR"):
            while self._curr and self._curr.text.upper() in EXPLAIN_DETAILS:
                details.append(exp.var(self._curr.text.upper()))
                self._advance()
                if not self._match(TokenType.COMMA):
                    break
        if self._match_text_seq("STATEMENT", "SET"):
            target: exp.Expr = self._parse_statement_set_block()
        elif self._match(TokenType.EXECUTE):
            target = self._parse_flink_execute()
        elif self._match(TokenType.INSERT):
            target = self._parse_flink_insert()
        else:
            target = self._parse_flink_query()
        return nodes.ExplainStatement(this=target, expressions=details or None)

    def _parse_flink_set(self) -> exp.Expr:
        if not self._curr:
            return nodes.SetStatement()
        key = self._parse_raw_setting(stop_at_eq=True)
        if not self._match(TokenType.EQ):
            self.raise_error("Expecting = after the configuration key")
        value = self._parse_raw_setting(stop_at_eq=False)
        return nodes.SetStatement(this=key, expression=value)

    def _parse_flink_reset(self) -> exp.Expr:
        if not self._curr:
            return nodes.ResetStatement()
        return nodes.ResetStatement(this=self._parse_raw_setting(stop_at_eq=False))

    def _parse_raw_setting(self, *, stop_at_eq: bool) -> exp.Literal:
        """A configuration key or value: one string literal, or the raw text of the tokens up to `=`/end."""
        if not self._curr or (stop_at_eq and self._curr.token_type == TokenType.EQ):
            self.raise_error("Expecting a configuration key" if stop_at_eq else "Expecting a value")
        if self._curr.token_type == TokenType.STRING and (
            not self._next or (stop_at_eq and self._next.token_type == TokenType.EQ)
        ):
            self._advance()
            return exp.Literal.string(self._prev.text)
        start = self._curr
        while self._curr and not (stop_at_eq and self._curr.token_type == TokenType.EQ):
            self._advance()
        return exp.Literal.string(self.sql[start.start : self._prev.end + 1].strip())

    def _parse_flink_stop(self) -> exp.Expr:
        if not self._match_text_seq("JOB"):
            self.raise_error("Expecting JOB after STOP")
        job_id = self._parse_string()
        if job_id is None:
            self.raise_error("Expecting the job id as a string literal")
        savepoint = drain = False
        while self._match(TokenType.WITH):
            if self._match_text_seq("SAVEPOINT"):
                savepoint = True
            elif self._match_text_seq("DRAIN"):
                drain = True
            else:
                self.raise_error("Expecting SAVEPOINT or DRAIN after WITH")
        return nodes.StopJobStatement(this=job_id, savepoint=savepoint, drain=drain)

    def _parse_flink_execute(self) -> exp.Expr:
        if self._match_text_seq("STATEMENT", "SET"):
            return self._parse_statement_set_block()
        if self._match(TokenType.INSERT):
            return self._parse_flink_insert()
        self.raise_error("Expecting INSERT or STATEMENT SET after EXECUTE")
        raise AssertionError("unreachable")

    def _parse_statement_set_block(self) -> exp.Expr:
        if not self._match(TokenType.BEGIN):
            self.raise_error("Expecting BEGIN after STATEMENT SET")
        inserts: list[exp.Expr] = []
        while not self._match(TokenType.END):
            if not self._curr:
                self.raise_error("Expecting END to close the statement set")
            if not self._match(TokenType.INSERT):
                self.raise_error("Only INSERT statements are allowed in a statement set")
            inserts.append(self._parse_flink_insert())
            if not self._match(TokenType.SEMICOLON) and not (
                self._curr and self._curr.token_type == TokenType.END
            ):
                self.raise_error("Expecting ; after INSERT in the statement set")
        if not inserts:
            self.raise_error("A statement set needs at least one INSERT", self._prev)
        return nodes.StatementSetStatement(expressions=inserts)

    def _parse_flink_begin(self) -> exp.Expr:
        if not self._match_text_seq("STATEMENT", "SET"):
            self.raise_error("Expecting STATEMENT SET after BEGIN")
        return nodes.BeginStatementSetStatement()

    def _parse_flink_insert(self) -> exp.Expr:
        hint = self._parse_hint()
        if self._match(TokenType.OVERWRITE):
            overwrite = True
        elif self._match(TokenType.INTO):
            overwrite = False
        else:
            self.raise_error("Expecting INTO or OVERWRITE after INSERT")
            raise AssertionError("unreachable")
        target: exp.Expr = self._parse_object_name()
        hints = self._parse_table_hint_tokens()
        if hints:
            target.set("hints", hints)
        partition = None
        if self._match(TokenType.PARTITION):
            self._expect_token(TokenType.L_PAREN, "Expecting ( after PARTITION")
            partition = exp.Partition(expressions=self._parse_csv(self._parse_static_partition))
            self._expect_token(TokenType.R_PAREN, "Expecting , or ) in PARTITION (...)")
        if self._match(TokenType.L_PAREN, advance=False) and not self._is_query_paren():
            columns = self._parse_wrapped_csv(self._parse_name_identifier)
            target = exp.Schema(this=target, expressions=columns)
        query = self._parse_flink_query()
        return exp.Insert(
            this=target, expression=query, overwrite=overwrite, partition=partition, hint=hint
        )

    def _parse_static_partition(self) -> exp.Expr:
        key = self._parse_name_identifier()
        if not self._match(TokenType.EQ):
            self.raise_error("Expecting = in a static partition spec")
        value = self._parse_bitwise()
        if value is None:
            self.raise_error("Expecting a literal value for the partition")
        return exp.EQ(this=exp.column(key), expression=value)

    def _is_query_paren(self) -> bool:
        return bool(
            self._next
            and self._next.token_type in (TokenType.SELECT, TokenType.WITH, TokenType.VALUES)
        )

    def _parse_flink_query(self) -> exp.Expr:
        start = self._curr
        if not start or start.token_type not in (
            TokenType.SELECT,
            TokenType.WITH,
            TokenType.VALUES,
            TokenType.L_PAREN,
        ):
            self.raise_error("Expecting a query (SELECT, WITH or VALUES)")
        query = self._parse_select(nested=start.token_type == TokenType.L_PAREN)
        if query is None:
            self.raise_error("Expecting a query (SELECT, WITH or VALUES)")
        query = self._parse_set_operations(query)
        query = self._parse_query_modifiers(query)
        # A whole statement in parentheses, `(SELECT ..)`, is the query itself.
        while isinstance(query, exp.Subquery) and set(query.args) <= {"this"}:
            query = query.this
        if not isinstance(query, exp.Query | exp.Values):
            self.raise_error("Expecting a query (SELECT, WITH or VALUES)", start)
        return query
