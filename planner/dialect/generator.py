"""Printing trees back as Flink SQL: query and expression forms.

Output must re-parse to an equal tree (the round-trip fixtures check it), so every form the parser maps
onto a standard node is printed in the spelling Flink accepts (`CURRENT_TIMESTAMP` without parentheses,
`SUBSTRING(s FROM a FOR b)`, `ARRAY[..]`, `MAP[..]`, `ROW(..)`, `FOR SYSTEM_TIME AS OF`, typed literals
as `TIMESTAMP '..'`, `(a - b) DAY`, types such as STRING/BYTES/TIMESTAMP_LTZ/ROW<..>).
"""

from __future__ import annotations

from typing import ClassVar

from sqlglot import exp
from sqlglot.generator import Generator

from planner.dialect import nodes
from planner.dialect.statement_generator import FlinkStatementGenerator

_TYPE_NAMES: dict[exp.DType, str] = {
    exp.DType.TINYINT: "TINYINT",
    exp.DType.SMALLINT: "SMALLINT",
    exp.DType.INT: "INT",
    exp.DType.BIGINT: "BIGINT",
    exp.DType.FLOAT: "FLOAT",
    exp.DType.DOUBLE: "DOUBLE",
    exp.DType.DECIMAL: "DECIMAL",
    exp.DType.BOOLEAN: "BOOLEAN",
    exp.DType.DATE: "DATE",
    exp.DType.TIME: "TIME",
    exp.DType.TIMESTAMP: "TIMESTAMP",
    exp.DType.TIMESTAMPLTZ: "TIMESTAMP_LTZ",
    exp.DType.CHAR: "CHAR",
    exp.DType.VARCHAR: "VARCHAR",
    exp.DType.TEXT: "STRING",
    exp.DType.BINARY: "BINARY",
    exp.DType.VARBINARY: "VARBINARY",
    exp.DType.BLOB: "BYTES",
    exp.DType.NULL: "NULL",
}


class FlinkGenerator(FlinkStatementGenerator, Generator):
    QUERY_HINTS = True
    TABLE_HINTS = True
    LIMIT_FETCH = "ALL"
    # VarMap, If and Coalesce print through the methods below (MAP[..], IF(..), IFNULL(..)).
    TRANSFORMS: ClassVar = {
        **{
            k: v
            for k, v in Generator.TRANSFORMS.items()
            if k not in (exp.VarMap, exp.If, exp.Coalesce)
        },
        exp.CurrentTimestamp: lambda *_: "CURRENT_TIMESTAMP",
        exp.CurrentTime: lambda *_: "CURRENT_TIME",
        exp.CurrentDate: lambda *_: "CURRENT_DATE",
        exp.Localtimestamp: lambda *_: "LOCALTIMESTAMP",
        exp.Localtime: lambda *_: "LOCALTIME",
    }

    # ------------------------------------------------------------ types

    def datatype_sql(self, expression: exp.DataType) -> str:
        text = self._flink_type_text(expression)
        return f"{text} NOT NULL" if expression.args.get("nullable") is False else text

    def _flink_type_text(self, expression: exp.DataType) -> str:
        dtype = expression.this
        params = expression.expressions
        if dtype == exp.DType.ARRAY:
            return f"ARRAY<{self.sql(params[0])}>"
        if dtype == exp.DType.MAP:
            return f"MAP<{self.sql(params[0])}, {self.sql(params[1])}>"
        if dtype == exp.DType.STRUCT:
            return f"ROW<{', '.join(self._row_field(f) for f in params)}>"
        if dtype == exp.DType.USERDEFINED:
            kind = expression.args.get("kind")
            if kind == "MULTISET":
                return f"MULTISET<{self.sql(params[0])}>"
            return f"{kind}({', '.join(self.sql(p) for p in params)})"
        if dtype == exp.DType.INTERVAL:
            return f"INTERVAL {params[0].name}" if params else "INTERVAL"
        name = _TYPE_NAMES.get(dtype)
        if name is None:
            return super().datatype_sql(expression)
        if params:
            name += f"({', '.join(self.sql(p) for p in params)})"
        return name

    def _row_field(self, field: exp.Expr) -> str:
        if not isinstance(field, exp.ColumnDef):
            return self.sql(field)
        comments = [
            c.this
            for c in field.args.get("constraints") or []
            if isinstance(c, exp.CommentColumnConstraint)
        ]
        text = f"{self.sql(field, 'this')} {self.sql(field, 'kind')}"
        return text + "".join(f" {self.sql(c)}" for c in comments)

    # ------------------------------------------------------------ FROM items

    def table_sql(self, expression: exp.Table, sep: str = " AS ") -> str:
        hints = expression.args.get("hints")
        if not hints:
            return super().table_sql(expression, sep)
        bare = expression.copy()
        bare.set("hints", None)
        name = self.table_parts(bare)
        text = super().table_sql(bare, sep)
        hint_text = "".join(self.sql(h) for h in hints)
        return f"{name}{hint_text}{text[len(name) :]}"

    def version_sql(self, expression: exp.Version) -> str:
        period = "SYSTEM_TIME" if expression.name.upper() == "TIMESTAMP" else expression.name
        return f"FOR {period} {expression.text('kind')} {self.sql(expression, 'expression')}"

    def lateral_sql(self, expression: exp.Lateral) -> str:
        if isinstance(expression.this, exp.Subquery | exp.Query):
            return super().lateral_sql(expression)
        alias = self.sql(expression, "alias")
        alias = f" AS {alias}" if alias else ""
        return f"LATERAL TABLE({self.sql(expression, 'this')}){alias}"

    def windowtvf_sql(self, expression: nodes.WindowTVF) -> str:
        table = expression.args["table"]
        data = f"TABLE {self.sql(table)}" if isinstance(table, exp.Table) else self.sql(table)
        partition = expression.args.get("partition_by")
        if partition:
            keys = self.expressions(expression, key="partition_by", flat=True)
            data += f" PARTITION BY {keys if len(partition) == 1 else f'({keys})'}"
        args = [data, f"DESCRIPTOR({self.sql(expression, 'timecol')})"]
        args += [
            self.sql(expression, key)
            for key in ("slide", "step", "size", "gap", "offset")
            if expression.args.get(key) is not None
        ]
        alias = self.sql(expression, "alias")
        alias = f" AS {alias}" if alias else ""
        return f"TABLE({expression.name}({', '.join(args)})){alias}"

    def tablecall_sql(self, expression: nodes.TableCall) -> str:
        alias = self.sql(expression, "alias")
        alias = f" AS {alias}" if alias else ""
        return f"TABLE({self.sql(expression, 'this')}){alias}"

    def flinkmatchrecognize_sql(self, expression: nodes.FlinkMatchRecognize) -> str:
        text = self.matchrecognize_sql(expression)
        within = expression.args.get("within")
        if within is None:
            return text
        pattern = f"PATTERN ({self.sql(expression, 'pattern')})"
        return text.replace(pattern, f"{pattern} WITHIN {self.sql(within)}", 1)

    # ------------------------------------------------------------ constructors and functions

    def array_sql(self, expression: exp.Array) -> str:
        return f"ARRAY[{self.expressions(expression, flat=True)}]"

    def varmap_sql(self, expression: exp.VarMap) -> str:
        keys = expression.args["keys"].expressions
        values = expression.args["values"].expressions
        pairs = [f"{self.sql(k)}, {self.sql(v)}" for k, v in zip(keys, values)]
        return f"MAP[{', '.join(pairs)}]"

    def jsonobject_sql(self, expression: exp.JSONObject) -> str:
        pairs = ", ".join(self.sql(e) for e in expression.expressions)
        null_handling = expression.args.get("null_handling")
        null_handling = f" {null_handling}" if null_handling else ""
        return f"JSON_OBJECT({pairs}{null_handling})"

    def jsonkeyvalue_sql(self, expression: exp.JSONKeyValue) -> str:
        return f"KEY {self.sql(expression, 'this')} VALUE {self.sql(expression, 'expression')}"

    def cast_sql(self, expression: exp.Cast, safe_prefix: str | None = None) -> str:
        if expression.args.get("typed_literal"):
            to = expression.args["to"]
            name = (
                "TIMESTAMP WITH LOCAL TIME ZONE"
                if to.this == exp.DType.TIMESTAMPLTZ
                else self._flink_type_text(to)
            )
            return f"{name} {self.sql(expression, 'this')}"
        return super().cast_sql(expression, safe_prefix)

    def datetimediffinterval_sql(self, expression: nodes.DatetimeDiffInterval) -> str:
        difference = f"{self.sql(expression, 'this')} - {self.sql(expression, 'expression')}"
        return f"({difference}) {expression.text('unit')}"

    def if_sql(self, expression: exp.If) -> str:
        args = [expression.this, expression.args.get("true"), expression.args.get("false")]
        return f"IF({', '.join(self.sql(a) for a in args if a is not None)})"

    def coalesce_sql(self, expression: exp.Coalesce) -> str:
        name = (
            "IFNULL"
            if expression.args.get("is_nvl") or expression.args.get("is_null")
            else "COALESCE"
        )
        return (
            f"{name}({', '.join(self.sql(a) for a in [expression.this, *expression.expressions])})"
        )

    def struct_sql(self, expression: exp.Struct) -> str:
        return f"ROW({self.expressions(expression, flat=True)})"

    def substring_sql(self, expression: exp.Substring) -> str:
        start = self.sql(expression, "start")
        length = self.sql(expression, "length")
        text = f"SUBSTRING({self.sql(expression, 'this')} FROM {start or 1}"
        return f"{text} FOR {length})" if length else f"{text})"

    def trim_sql(self, expression: exp.Trim) -> str:
        position = expression.args.get("position")
        chars = self.sql(expression, "expression")
        head = " ".join(p for p in (str(position).upper() if position else "", chars) if p)
        target = self.sql(expression, "this")
        return f"TRIM({head} FROM {target})" if head else f"TRIM({target})"

    def strposition_sql(self, expression: exp.StrPosition) -> str:
        substr = self.sql(expression, "substr")
        return f"POSITION({substr} IN {self.sql(expression, 'this')})"

    def timestampadd_sql(self, expression: exp.TimestampAdd) -> str:
        unit = expression.text("unit").upper() or "DAY"
        return f"TIMESTAMPADD({unit}, {self.sql(expression, 'expression')}, {self.sql(expression, 'this')})"

    def timestampdiff_sql(self, expression: exp.TimestampDiff) -> str:
        unit = expression.text("unit").upper() or "DAY"
        return f"TIMESTAMPDIFF({unit}, {self.sql(expression, 'expression')}, {self.sql(expression, 'this')})"

    def jsonvalue_sql(self, expression: exp.JSONValue) -> str:
        text = f"JSON_VALUE({self.sql(expression, 'this')}, {self.sql(expression, 'path')}"
        returning = self.sql(expression, "returning")
        text += f" RETURNING {returning}" if returning else ""
        condition = expression.args.get("on_condition")
        if condition is not None:
            for key, word in (("empty", "EMPTY"), ("error", "ERROR")):
                value = condition.args.get(key)
                if isinstance(value, exp.Expr):
                    text += f" DEFAULT {self.sql(value)} ON {word}"
                elif value:
                    text += f" {value} ON {word}"
        return text + ")"

    def flinkjsonquery_sql(self, expression: nodes.FlinkJsonQuery) -> str:
        text = f"JSON_QUERY({self.sql(expression, 'this')}, {self.sql(expression, 'path')}"
        returning = self.sql(expression, "returning")
        text += f" RETURNING {returning}" if returning else ""
        for key, suffix in (("wrapper", ""), ("on_empty", " ON EMPTY"), ("on_error", " ON ERROR")):
            value = expression.args.get(key)
            text += f" {value}{suffix}" if value else ""
        return text + ")"

    def flinkjsonexists_sql(self, expression: nodes.FlinkJsonExists) -> str:
        text = f"JSON_EXISTS({self.sql(expression, 'this')}, {self.sql(expression, 'path')}"
        on_error = expression.args.get("on_error")
        return text + (f" {on_error} ON ERROR)" if on_error else ")")


def _register_node_printers() -> None:
    """sqlglot finds `<key>_sql` printers only for its own classes; ours are listed explicitly."""
    node_classes = [
        value
        for value in vars(nodes).values()
        if isinstance(value, type)
        and issubclass(value, exp.Expr)
        and value.__module__ == nodes.__name__
    ]
    FlinkGenerator.TRANSFORMS = {
        **FlinkGenerator.TRANSFORMS,
        **{
            cls: getattr(FlinkGenerator, f"{cls.key}_sql")
            for cls in node_classes
            if hasattr(FlinkGenerator, f"{cls.key}_sql")
        },
    }


_register_node_printers()
