"""CREATE, DROP and ALTER statements in Flink's grammar (catalog objects, not queries)."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.parser import Parser
from sqlglot.tokens import TokenType

from planner.dialect import nodes

_LIKE_STRATEGIES = ("INCLUDING", "EXCLUDING", "OVERWRITING")
_LIKE_FEATURES = (
    "ALL",
    "CONSTRAINTS",
    "PARTITIONS",
    "WATERMARKS",
    "GENERATED",
    "METADATA",
    "OPTIONS",
)
_LANGUAGES = ("JAVA", "SCALA", "PYTHON")
TableElement = (
    nodes.PhysicalColumn
    | nodes.ComputedColumn
    | nodes.MetadataColumn
    | nodes.WatermarkDefinition
    | nodes.PrimaryKeyDefinition
)


class FlinkDdlParser(Parser):
    """Mixin: the DDL statements, each entered after its first keyword was consumed."""

    # ------------------------------------------------------------ CREATE

    def _parse_flink_create(self) -> exp.Expr:
        replace = self._match_text_seq("OR", "REPLACE")
        temporary = self._match(TokenType.TEMPORARY)
        system = temporary and self._match_text_seq("SYSTEM")
        if self._match(TokenType.TABLE):
            return self._parse_create_table(temporary=temporary, replace=replace)
        if replace:
            self.raise_error("CREATE OR REPLACE is supported for TABLE ... AS query only")
        if self._match(TokenType.VIEW):
            return self._parse_create_view(temporary=temporary)
        if self._match(TokenType.FUNCTION):
            return self._parse_create_function(temporary=temporary, system=system)
        if temporary:
            self.raise_error("Expecting TABLE, VIEW or FUNCTION after CREATE TEMPORARY")
        if self._match_text_seq("CATALOG"):
            exists = self._parse_if_not_exists()
            return nodes.CreateCatalogStatement(
                this=self._parse_name_identifier(),
                comment=self._parse_comment_clause(),
                options=self._parse_with_options(),
                exists=exists,
            )
        if self._match_texts(("DATABASE", "SCHEMA")):
            exists = self._parse_if_not_exists()
            return nodes.CreateDatabaseStatement(
                this=self._parse_object_name(),
                comment=self._parse_comment_clause(),
                options=self._parse_with_options(),
                exists=exists,
            )
        self.raise_error("Expecting TABLE, VIEW, FUNCTION, CATALOG or DATABASE after CREATE")
        raise AssertionError("unreachable")

    def _parse_create_table(self, *, temporary: bool, replace: bool) -> exp.Expr:
        exists = self._parse_if_not_exists()
        name = self._parse_object_name()
        elements: list[exp.Expr] = []
        if self._match(TokenType.L_PAREN):
            elements = self._parse_csv(self._parse_table_element)
            self._expect_token(TokenType.R_PAREN, "Expecting , or ) in the column list")
        comment = self._parse_comment_clause()
        partitioned_by = None
        if self._match_phrase("PARTITIONED", "BY"):
            partitioned_by = self._parse_wrapped_csv(self._parse_name_identifier)
        options = self._parse_with_options()
        like = self._parse_like_clause()
        query = None
        if self._match(TokenType.ALIAS):
            query = self._parse_select()
            if query is None:
                self.raise_error("Expecting a query after AS")
        elif replace:
            self.raise_error("CREATE OR REPLACE TABLE needs AS query")
        columns, watermarks, keys = _split_elements(elements)
        return nodes.CreateTableStatement(
            this=name,
            columns=columns or None,
            watermarks=watermarks or None,
            primary_keys=keys or None,
            comment=comment,
            partitioned_by=partitioned_by,
            options=options,
            like=like,
            expression=query,
            exists=exists,
            temporary=temporary,
            replace=replace,
        )

    def _parse_table_element(self) -> exp.Expr:
        if self._match_text_seq("WATERMARK"):
            if not self._match(TokenType.FOR):
                self.raise_error("Expecting FOR after WATERMARK")
            column = self._parse_column_name()
            if not self._match(TokenType.ALIAS):
                self.raise_error("Expecting AS after WATERMARK FOR column")
            return nodes.WatermarkDefinition(this=column, expression=self._parse_required_expr())
        if self._curr and self._curr.text.upper() in ("CONSTRAINT", "PRIMARY KEY"):
            name = self._parse_constraint_name()
            if not self._match(TokenType.PRIMARY_KEY):
                self.raise_error("Expecting PRIMARY KEY")
            columns = self._parse_wrapped_csv(self._parse_name_identifier)
            return nodes.PrimaryKeyDefinition(
                this=name, expressions=columns, enforced=self._parse_enforced()
            )
        return self._parse_column_element()

    def _parse_column_element(self) -> exp.Expr:
        name = self._parse_name_identifier()
        if self._match(TokenType.ALIAS):
            expression = self._parse_required_expr()
            return nodes.ComputedColumn(
                this=name,
                expression=expression,
                comment=self._parse_comment_clause(),
                position=self._parse_column_position(),
            )
        kind = self._parse_flink_type()
        if kind is None:
            self.raise_error(f"Expecting a data type or AS for column {name.name}")
        if self._match_text_seq("METADATA"):
            key = self._parse_string() if self._match(TokenType.FROM) else None
            virtual = self._match_text_seq("VIRTUAL")
            return nodes.MetadataColumn(
                this=name,
                kind=kind,
                key=key,
                virtual=virtual,
                comment=self._parse_comment_clause(),
                position=self._parse_column_position(),
            )
        primary_key = None
        if self._curr and self._curr.text.upper() in ("CONSTRAINT", "PRIMARY KEY"):
            constraint = self._parse_constraint_name()
            if not self._match(TokenType.PRIMARY_KEY):
                self.raise_error("Expecting PRIMARY KEY")
            primary_key = nodes.PrimaryKeyDefinition(
                this=constraint, enforced=self._parse_enforced()
            )
        return nodes.PhysicalColumn(
            this=name,
            kind=kind,
            primary_key=primary_key,
            comment=self._parse_comment_clause(),
            position=self._parse_column_position(),
        )

    def _parse_column_position(self) -> exp.Expr | None:
        if self._match_text_seq("FIRST"):
            return nodes.ColumnPosition(this="FIRST")
        if self._match_text_seq("AFTER"):
            return nodes.ColumnPosition(this="AFTER", expression=self._parse_name_identifier())
        return None

    def _parse_constraint_name(self) -> exp.Expr | None:
        return self._parse_name_identifier() if self._match_text_seq("CONSTRAINT") else None

    def _parse_enforced(self) -> bool | None:
        if self._match_text_seq("NOT", "ENFORCED"):
            return False
        if self._match_text_seq("ENFORCED"):
            return True
        return None

    def _parse_like_clause(self) -> exp.Expr | None:
        if not self._match(TokenType.LIKE):
            return None
        source = self._parse_object_name()
        options: list[exp.Expr] = []
        if self._match(TokenType.L_PAREN):
            while not self._match(TokenType.R_PAREN):
                if not self._match_texts(_LIKE_STRATEGIES):
                    self.raise_error("Expecting INCLUDING, EXCLUDING or OVERWRITING")
                strategy = self._prev.text.upper()
                if not self._match_texts(_LIKE_FEATURES):
                    self.raise_error(f"Expecting one of {', '.join(_LIKE_FEATURES)}")
                options.append(exp.var(f"{strategy} {self._prev.text.upper()}"))
        return nodes.LikeClause(this=source, expressions=options or None)

    def _parse_create_view(self, *, temporary: bool) -> exp.Expr:
        exists = self._parse_if_not_exists()
        name = self._parse_object_name()
        columns = None
        if self._match(TokenType.L_PAREN, advance=False):
            columns = self._parse_wrapped_csv(self._parse_name_identifier)
        comment = self._parse_comment_clause()
        if not self._match(TokenType.ALIAS):
            self.raise_error("Expecting AS query")
        query, query_sql = self._parse_query_with_text()
        node = nodes.CreateViewStatement(
            this=name,
            expression=query,
            columns=columns,
            comment=comment,
            exists=exists,
            temporary=temporary,
        )
        node.meta["query_sql"] = query_sql
        return node

    def _parse_query_with_text(self) -> tuple[exp.Expr, str]:
        start = self._curr
        query = self._parse_select()
        if query is None or start is None:
            self.raise_error("Expecting a query")
            raise AssertionError("unreachable")
        query = self._parse_set_operations(query)
        query = self._parse_query_modifiers(query)
        return query, self.sql[start.start : self._prev.end + 1]

    def _parse_create_function(self, *, temporary: bool, system: bool) -> exp.Expr:
        exists = self._parse_if_not_exists()
        name = self._parse_object_name()
        if not self._match(TokenType.ALIAS):
            self.raise_error("Expecting AS 'class or module.function' after the function name")
        identifier = self._parse_string()
        if identifier is None:
            self.raise_error("Expecting the function's identifier as a string literal")
        language = None
        if self._match_text_seq("LANGUAGE"):
            if not self._match_texts(_LANGUAGES):
                self.raise_error("Expecting JAVA, SCALA or PYTHON after LANGUAGE")
            language = self._prev.text.upper()
        return nodes.CreateFunctionStatement(
            this=name,
            expression=identifier,
            language=language,
            exists=exists,
            temporary=temporary,
            system=system,
        )

    # ------------------------------------------------------------ DROP

    def _parse_flink_drop(self) -> exp.Expr:
        temporary = self._match(TokenType.TEMPORARY)
        system = temporary and self._match_text_seq("SYSTEM")
        if not self._match_texts(("TABLE", "VIEW", "FUNCTION", "DATABASE", "SCHEMA", "CATALOG")):
            self.raise_error("Expecting TABLE, VIEW, FUNCTION, DATABASE or CATALOG after DROP")
        kind = self._prev.text.upper().replace("SCHEMA", "DATABASE")
        exists = self._match_text_seq("IF", "EXISTS")
        name = self._parse_name_identifier() if kind == "CATALOG" else self._parse_object_name()
        behavior = self._prev.text.upper() if self._match_texts(("RESTRICT", "CASCADE")) else None
        return nodes.DropStatement(
            this=name,
            kind=kind,
            exists=exists,
            temporary=temporary,
            system=system,
            behavior=behavior,
        )

    # ------------------------------------------------------------ ALTER

    def _parse_flink_alter(self) -> exp.Expr:
        if self._match(TokenType.VIEW):
            name = self._parse_object_name()
            if self._match_text_seq("RENAME", "TO"):
                return nodes.AlterViewStatement(this=name, new_name=self._parse_object_name())
            if not self._match(TokenType.ALIAS):
                self.raise_error("Expecting RENAME TO or AS after ALTER VIEW name")
            query, query_sql = self._parse_query_with_text()
            node = nodes.AlterViewStatement(this=name, expression=query)
            node.meta["query_sql"] = query_sql
            return node
        if self._match_texts(("DATABASE", "SCHEMA")):
            name = self._parse_object_name()
            if not self._match(TokenType.SET):
                self.raise_error("Expecting SET (...) after ALTER DATABASE name")
            return nodes.AlterDatabaseStatement(this=name, options=self._parse_option_list())
        if not self._match(TokenType.TABLE):
            self.raise_error("Expecting TABLE, VIEW or DATABASE after ALTER")
        exists = self._match_text_seq("IF", "EXISTS")
        name = self._parse_object_name()
        node = self._parse_alter_table_action()
        node.set("this", name)
        node.set("exists", exists)
        return node

    def _parse_alter_table_action(self) -> nodes.AlterTableStatement:
        if self._match_text_seq("RENAME", "TO"):
            return nodes.AlterTableStatement(action="rename", new_name=self._parse_object_name())
        if self._match_text_seq("RENAME"):
            old = self._parse_name_identifier()
            if not self._match_text_seq("TO"):
                self.raise_error("Expecting TO in RENAME column TO new_name")
            return nodes.AlterTableStatement(
                action="rename_column", old=old, new=self._parse_name_identifier()
            )
        if self._match(TokenType.SET):
            return nodes.AlterTableStatement(action="set", options=self._parse_option_list())
        if self._match_text_seq("RESET"):
            keys = self._parse_wrapped_csv(self._parse_option_key)
            return nodes.AlterTableStatement(action="reset", keys=keys)
        if self._match_texts(("ADD", "MODIFY")):
            action = self._prev.text.lower()
            if self._match(TokenType.L_PAREN):
                elements = self._parse_csv(self._parse_table_element)
                self._expect_token(TokenType.R_PAREN, "Expecting , or ) in the column list")
            else:
                elements = [self._parse_table_element()]
            columns, watermarks, keys = _split_elements(elements)
            return nodes.AlterTableStatement(
                action=action,
                columns=columns or None,
                watermarks=watermarks or None,
                primary_keys=keys or None,
            )
        if self._match(TokenType.DROP):
            if self._match(TokenType.PRIMARY_KEY):
                return nodes.AlterTableStatement(action="drop_primary_key")
            if self._match_text_seq("WATERMARK"):
                return nodes.AlterTableStatement(action="drop_watermark")
            if self._match_text_seq("CONSTRAINT"):
                self._parse_name_identifier()
                return nodes.AlterTableStatement(action="drop_primary_key")
            if self._match(TokenType.L_PAREN, advance=False):
                names = self._parse_wrapped_csv(self._parse_name_identifier)
            else:
                names = [self._parse_name_identifier()]
            return nodes.AlterTableStatement(action="drop_columns", keys=names)
        self.raise_error("Expecting RENAME, SET, RESET, ADD, MODIFY or DROP after ALTER TABLE name")
        raise AssertionError("unreachable")

    # ------------------------------------------------------------ shared pieces

    def _match_phrase(self, *words: str) -> bool:
        """Match words whether the tokenizer made them one token (`PARTITIONED BY`) or several."""
        index = self._index
        remaining = list(words)
        while remaining:
            token_words = self._curr.text.upper().split() if self._curr else []
            if not token_words or remaining[: len(token_words)] != token_words:
                self._retreat(index)
                return False
            remaining = remaining[len(token_words) :]
            self._advance()
        return True

    def _parse_if_not_exists(self) -> bool:
        return self._match_text_seq("IF", "NOT", "EXISTS")

    def _parse_object_name(self) -> exp.Table:
        if not self._curr:
            self.raise_error("Expecting a name")
        table = self._parse_table_parts(schema=True)
        if not isinstance(table, exp.Table) or not table.this:
            self.raise_error("Expecting a name")
        return table

    def _parse_name_identifier(self) -> exp.Identifier:
        if self._curr and self._curr.token_type in (TokenType.STRING, TokenType.NUMBER):
            self.raise_error("Expecting an identifier")
        ident = self._parse_id_var(any_token=True)
        if not isinstance(ident, exp.Identifier):
            self.raise_error("Expecting an identifier")
        return ident  # type: ignore[return-value]

    def _parse_comment_clause(self) -> exp.Expr | None:
        if not self._match(TokenType.COMMENT):
            return None
        comment = self._parse_string()
        if comment is None:
            self.raise_error("Expecting a string literal after COMMENT")
        return comment

    def _parse_with_options(self) -> list[exp.Expr] | None:
        if not self._match(TokenType.WITH):
            return None
        return self._parse_option_list()

    def _parse_option_list(self) -> list[exp.Expr]:
        self._expect_token(TokenType.L_PAREN, "Expecting ( to start the option list")
        if self._match(TokenType.R_PAREN):
            return []
        options = self._parse_csv(self._parse_option)
        self._expect_token(TokenType.R_PAREN, "Expecting , or ) in the option list")
        return options

    def _parse_option(self) -> exp.Expr:
        key = self._parse_option_key()
        if not self._match(TokenType.EQ):
            self.raise_error("Expecting = between an option's key and value")
        value = self._parse_string()
        if value is None:
            self.raise_error("Expecting a string literal as the option's value")
        return exp.EQ(this=key, expression=value)

    def _parse_option_key(self) -> exp.Expr:
        key = self._parse_string()
        if key is None:
            self.raise_error("Expecting a string literal as the option's key")
        return key  # type: ignore[return-value]

    def _parse_required_expr(self) -> exp.Expr:
        expression = self._parse_assignment()
        if expression is None:
            self.raise_error("Expecting an expression")
        return expression  # type: ignore[return-value]


def _split_elements(
    elements: list[exp.Expr],
) -> tuple[list[exp.Expr], list[exp.Expr], list[exp.Expr]]:
    columns = [
        e
        for e in elements
        if not isinstance(e, nodes.WatermarkDefinition | nodes.PrimaryKeyDefinition)
    ]
    watermarks = [e for e in elements if isinstance(e, nodes.WatermarkDefinition)]
    keys = [e for e in elements if isinstance(e, nodes.PrimaryKeyDefinition)]
    return columns, watermarks, keys
