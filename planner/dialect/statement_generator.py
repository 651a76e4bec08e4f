"""Printing Flink's non-query statements (the `*Statement` nodes) and INSERT."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.generator import Generator

from planner.dialect import nodes


class FlinkStatementGenerator(Generator):
    """Mixin: one `<key>_sql` method per statement node, in Flink's canonical spelling."""

    def _options(self, expression: exp.Expr, key: str = "options", prefix: str = " WITH ") -> str:
        options = expression.args.get(key)
        if options is None:
            return ""
        return f"{prefix}({', '.join(self.sql(o) for o in options)})"

    def _comment(self, expression: exp.Expr) -> str:
        comment = self.sql(expression, "comment")
        return f" COMMENT {comment}" if comment else ""

    def _flag(self, expression: exp.Expr, key: str, text: str) -> str:
        return text if expression.args.get(key) else ""

    # ------------------------------------------------------------ CREATE TABLE

    def createtablestatement_sql(self, expression: nodes.CreateTableStatement) -> str:
        head = "CREATE " + self._flag(expression, "replace", "OR REPLACE ")
        head += self._flag(expression, "temporary", "TEMPORARY ") + "TABLE "
        head += self._flag(expression, "exists", "IF NOT EXISTS ") + self.sql(expression, "this")
        elements = [
            self.sql(e)
            for key in ("columns", "watermarks", "primary_keys")
            for e in expression.args.get(key) or []
        ]
        text = head + (f" ({', '.join(elements)})" if elements else "")
        text += self._comment(expression)
        partitioned = expression.args.get("partitioned_by")
        if partitioned:
            text += f" PARTITIONED BY ({', '.join(self.sql(p) for p in partitioned)})"
        text += self._options(expression)
        like = self.sql(expression, "like")
        text += f" {like}" if like else ""
        query = self.sql(expression, "expression")
        return text + (f" AS {query}" if query else "")

    def physicalcolumn_sql(self, expression: nodes.PhysicalColumn) -> str:
        text = f"{self.sql(expression, 'this')} {self.sql(expression, 'kind')}"
        key = self.sql(expression, "primary_key")
        text += f" {key}" if key else ""
        return text + self._comment(expression) + self._position(expression)

    def computedcolumn_sql(self, expression: nodes.ComputedColumn) -> str:
        text = f"{self.sql(expression, 'this')} AS {self.sql(expression, 'expression')}"
        return text + self._comment(expression) + self._position(expression)

    def metadatacolumn_sql(self, expression: nodes.MetadataColumn) -> str:
        text = f"{self.sql(expression, 'this')} {self.sql(expression, 'kind')} METADATA"
        key = self.sql(expression, "key")
        text += f" FROM {key}" if key else ""
        text += self._flag(expression, "virtual", " VIRTUAL")
        return text + self._comment(expression) + self._position(expression)

    def _position(self, expression: exp.Expr) -> str:
        position = self.sql(expression, "position")
        return f" {position}" if position else ""

    def columnposition_sql(self, expression: nodes.ColumnPosition) -> str:
        after = self.sql(expression, "expression")
        return f"AFTER {after}" if after else "FIRST"

    def watermarkdefinition_sql(self, expression: nodes.WatermarkDefinition) -> str:
        return (
            f"WATERMARK FOR {self.sql(expression, 'this')} AS {self.sql(expression, 'expression')}"
        )

    def primarykeydefinition_sql(self, expression: nodes.PrimaryKeyDefinition) -> str:
        name = self.sql(expression, "this")
        text = f"CONSTRAINT {name} " if name else ""
        text += "PRIMARY KEY"
        if expression.expressions:
            text += f" ({self.expressions(expression, flat=True)})"
        enforced = expression.args.get("enforced")
        if enforced is not None:
            text += " ENFORCED" if enforced else " NOT ENFORCED"
        return text

    def likeclause_sql(self, expression: nodes.LikeClause) -> str:
        options = expression.expressions
        text = f"LIKE {self.sql(expression, 'this')}"
        return text + (f" ({' '.join(o.name for o in options)})" if options else "")

    # ------------------------------------------------------------ other CREATE / DROP / ALTER

    def createviewstatement_sql(self, expression: nodes.CreateViewStatement) -> str:
        text = "CREATE " + self._flag(expression, "temporary", "TEMPORARY ") + "VIEW "
        text += self._flag(expression, "exists", "IF NOT EXISTS ") + self.sql(expression, "this")
        columns = expression.args.get("columns")
        if columns:
            text += f" ({', '.join(self.sql(c) for c in columns)})"
        return text + self._comment(expression) + f" AS {self.sql(expression, 'expression')}"

    def createfunctionstatement_sql(self, expression: nodes.CreateFunctionStatement) -> str:
        text = "CREATE " + self._flag(expression, "temporary", "TEMPORARY ")
        text += self._flag(expression, "system", "SYSTEM ") + "FUNCTION "
        text += self._flag(expression, "exists", "IF NOT EXISTS ") + self.sql(expression, "this")
        text += f" AS {self.sql(expression, 'expression')}"
        language = expression.args.get("language")
        return text + (f" LANGUAGE {language}" if language else "")

    def createcatalogstatement_sql(self, expression: nodes.CreateCatalogStatement) -> str:
        text = "CREATE CATALOG " + self._flag(expression, "exists", "IF NOT EXISTS ")
        return (
            text
            + self.sql(expression, "this")
            + self._comment(expression)
            + self._options(expression)
        )

    def createdatabasestatement_sql(self, expression: nodes.CreateDatabaseStatement) -> str:
        text = "CREATE DATABASE " + self._flag(expression, "exists", "IF NOT EXISTS ")
        return (
            text
            + self.sql(expression, "this")
            + self._comment(expression)
            + self._options(expression)
        )

    def dropstatement_sql(self, expression: nodes.DropStatement) -> str:
        text = "DROP " + self._flag(expression, "temporary", "TEMPORARY ")
        text += self._flag(expression, "system", "SYSTEM ") + f"{expression.args['kind']} "
        text += self._flag(expression, "exists", "IF EXISTS ") + self.sql(expression, "this")
        behavior = expression.args.get("behavior")
        return text + (f" {behavior}" if behavior else "")

    def altertablestatement_sql(self, expression: nodes.AlterTableStatement) -> str:
        head = "ALTER TABLE " + self._flag(expression, "exists", "IF EXISTS ")
        head += self.sql(expression, "this")
        action = expression.args["action"]
        if action == "rename":
            return f"{head} RENAME TO {self.sql(expression, 'new_name')}"
        if action == "rename_column":
            return f"{head} RENAME {self.sql(expression, 'old')} TO {self.sql(expression, 'new')}"
        if action == "set":
            return head + self._options(expression, prefix=" SET ")
        if action == "reset":
            return head + self._options(expression, key="keys", prefix=" RESET ")
        if action in ("add", "modify"):
            elements = [
                self.sql(e)
                for key in ("columns", "watermarks", "primary_keys")
                for e in expression.args.get(key) or []
            ]
            return f"{head} {action.upper()} ({', '.join(elements)})"
        if action == "drop_columns":
            return head + self._options(expression, key="keys", prefix=" DROP ")
        if action == "drop_primary_key":
            return f"{head} DROP PRIMARY KEY"
        return f"{head} DROP WATERMARK"

    def alterviewstatement_sql(self, expression: nodes.AlterViewStatement) -> str:
        head = f"ALTER VIEW {self.sql(expression, 'this')}"
        if expression.args.get("new_name"):
            return f"{head} RENAME TO {self.sql(expression, 'new_name')}"
        return f"{head} AS {self.sql(expression, 'expression')}"

    def alterdatabasestatement_sql(self, expression: nodes.AlterDatabaseStatement) -> str:
        return f"ALTER DATABASE {self.sql(expression, 'this')}" + self._options(
            expression, prefix=" SET "
        )

    # ------------------------------------------------------------ utility

    def usestatement_sql(self, expression: nodes.UseStatement) -> str:
        kind = expression.args["kind"]
        if kind == "MODULES":
            return f"USE MODULES {self.expressions(expression, flat=True)}"
        prefix = "CATALOG " if kind == "CATALOG" else ""
        return f"USE {prefix}{self.sql(expression, 'this')}"

    def showstatement_sql(self, expression: nodes.ShowStatement) -> str:
        kind = expression.args["kind"]
        name = self.sql(expression, "this")
        text = f"SHOW {kind}"
        if name:
            scoped = not kind.startswith("CREATE") and kind != "PARTITIONS"
            text += f" FROM {name}" if scoped else f" {name}"
        like = self.sql(expression, "like")
        if like:
            negation = "NOT " if expression.args.get("not_like") else ""
            operator = "ILIKE" if expression.args.get("ilike") else "LIKE"
            text += f" {negation}{operator} {like}"
        return text

    def describestatement_sql(self, expression: nodes.DescribeStatement) -> str:
        return (
            "DESCRIBE "
            + self._flag(expression, "extended", "EXTENDED ")
            + self.sql(expression, "this")
        )

    def explainstatement_sql(self, expression: nodes.ExplainStatement) -> str:
        details = expression.expressions
        head = "EXPLAIN" + (f" {', '.join(d.name for d in details)}" if details else "")
        target = expression.this
        if isinstance(target, nodes.StatementSetStatement):
            return f"{head} {self.sql(target)[len('EXECUTE ') :]}"
        return f"{head} {self.sql(target)}"

    def setstatement_sql(self, expression: nodes.SetStatement) -> str:
        if not expression.this:
            return "SET"
        return f"SET {self.sql(expression, 'this')} = {self.sql(expression, 'expression')}"

    def resetstatement_sql(self, expression: nodes.ResetStatement) -> str:
        return f"RESET {self.sql(expression, 'this')}" if expression.this else "RESET"

    def stopjobstatement_sql(self, expression: nodes.StopJobStatement) -> str:
        text = f"STOP JOB {self.sql(expression, 'this')}"
        text += self._flag(expression, "savepoint", " WITH SAVEPOINT")
        return text + self._flag(expression, "drain", " WITH DRAIN")

    def statementsetstatement_sql(self, expression: nodes.StatementSetStatement) -> str:
        inserts = "".join(f" {self.sql(i)};" for i in expression.expressions)
        return f"EXECUTE STATEMENT SET BEGIN{inserts} END"

    def beginstatementsetstatement_sql(self, _: nodes.BeginStatementSetStatement) -> str:
        return "BEGIN STATEMENT SET"

    def endstatementset_sql(self, _: nodes.EndStatementSet) -> str:
        return "END"

    def insert_sql(self, expression: exp.Insert) -> str:
        verb = "INSERT OVERWRITE" if expression.args.get("overwrite") else "INSERT INTO"
        hint = self.sql(expression, "hint")
        target = expression.this
        columns = ""
        if isinstance(target, exp.Schema):
            columns = f" ({self.expressions(target, flat=True)})"
            target = target.this
        partition = expression.args.get("partition")
        partition_text = ""
        if partition is not None:
            partition_text = f" PARTITION ({self.expressions(partition, flat=True)})"
        query = self.sql(expression, "expression")
        return f"{verb.replace('INSERT', 'INSERT' + hint, 1)} {self.sql(target)}{partition_text}{columns} {query}"
