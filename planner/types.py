"""Flink's logical type system, and its mapping to Arrow and DuckDB.

Flink types carry more than Arrow types do: nullability, CHAR/VARCHAR lengths, DECIMAL precision and
scale, TIMESTAMP precision, and the time-attribute marks (`*ROWTIME*`, `*PROCTIME*`). The planner
reasons in these types (result types follow Flink's rules, not DuckDB's); Arrow and DuckDB types are
derived views used only for storage and execution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

MAX_LENGTH = 2147483647
"""Length of STRING (= VARCHAR(MAX_LENGTH)) and BYTES (= VARBINARY(MAX_LENGTH))."""

TimeAttr = Literal["ROWTIME", "PROCTIME"] | None

# Names used in FlinkType.name (Flink's LogicalTypeRoot, shortened).
INTEGER_NAMES = ("TINYINT", "SMALLINT", "INT", "BIGINT")
APPROX_NAMES = ("FLOAT", "DOUBLE")
NUMERIC_NAMES = (*INTEGER_NAMES, "DECIMAL", *APPROX_NAMES)
CHARACTER_NAMES = ("CHAR", "VARCHAR")
BINARY_NAMES = ("BINARY", "VARBINARY")
TEMPORAL_NAMES = ("DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ")
INTERVAL_NAMES = ("INTERVAL_YM", "INTERVAL_DT")
INTEGER_PRECISION = {"TINYINT": 3, "SMALLINT": 5, "INT": 10, "BIGINT": 19}


@dataclass(frozen=True)
class FlinkType:
    """One Flink logical type.

    `precision` is the length of CHAR/VARCHAR/BINARY/VARBINARY, the precision of DECIMAL, and the
    fractional-second precision of TIME/TIMESTAMP/TIMESTAMP_LTZ/INTERVAL_DT. `children` holds element
    types (ARRAY, MULTISET), key and value (MAP) or field types (ROW, with `field_names`). A RAW
    type keeps its Java class name and serializer snapshot text (`raw_class`, `raw_snapshot`).
    """

    name: str
    nullable: bool = True
    precision: int | None = None
    scale: int | None = None
    children: tuple[FlinkType, ...] = ()
    field_names: tuple[str, ...] = ()
    time_attr: TimeAttr = None
    raw_class: str | None = None
    raw_snapshot: str | None = None

    # ---------------------------------------------------------------- predicates

    @property
    def is_integer(self) -> bool:
        return self.name in INTEGER_NAMES

    @property
    def is_numeric(self) -> bool:
        return self.name in NUMERIC_NAMES

    @property
    def is_approx(self) -> bool:
        return self.name in APPROX_NAMES

    @property
    def is_character(self) -> bool:
        return self.name in CHARACTER_NAMES

    @property
    def is_binary(self) -> bool:
        return self.name in BINARY_NAMES

    @property
    def is_timestamp(self) -> bool:
        return self.name in ("TIMESTAMP", "TIMESTAMP_LTZ")

    @property
    def is_temporal(self) -> bool:
        return self.name in TEMPORAL_NAMES

    @property
    def is_interval(self) -> bool:
        return self.name in INTERVAL_NAMES

    # ---------------------------------------------------------------- variants

    def with_nullable(self, nullable: bool) -> FlinkType:
        return self if self.nullable == nullable else replace(self, nullable=nullable)

    def without_time_attr(self) -> FlinkType:
        return self if self.time_attr is None else replace(self, time_attr=None)

    def with_time_attr(self, attr: TimeAttr) -> FlinkType:
        return replace(self, time_attr=attr)

    # ---------------------------------------------------------------- text

    def summary(self) -> str:
        """Flink's `asSummaryString`: the text DESCRIBE and error messages show."""
        text = self._base_text(brief=True)
        if not self.nullable:
            text += " NOT NULL"
        if self.time_attr:
            text += f" *{self.time_attr}*"
        return text

    def __str__(self) -> str:
        return self.summary()

    def sql(self) -> str:
        """The type as Flink SQL DDL text (no time attribute marks)."""
        text = self._base_text()
        return text if self.nullable else text + " NOT NULL"

    def serialized(self) -> str:
        """Flink's `asSerializableString`: no STRING/BYTES/TIMESTAMP_LTZ shorthands (SHOW CREATE TABLE)."""
        text = self._base_text(full=True)
        return text if self.nullable else text + " NOT NULL"

    def _base_text(self, full: bool = False, brief: bool = False) -> str:
        """`full`: no shorthands (serialized form); `brief`: a RAW snapshot shows as `...` (summary)."""
        n = self.name

        def inner(t: FlinkType) -> str:
            if full:
                return t.serialized()
            text = t._base_text(brief=brief)
            return text if t.nullable else text + " NOT NULL"

        if n == "VARCHAR" and self.precision == MAX_LENGTH and not full:
            return "STRING"
        if n == "VARBINARY" and self.precision == MAX_LENGTH and not full:
            return "BYTES"
        if n == "TIMESTAMP_LTZ" and full:
            return f"TIMESTAMP({self.precision}) WITH LOCAL TIME ZONE"
        if n in ("CHAR", "VARCHAR", "BINARY", "VARBINARY"):
            return f"{n}({self.precision})"
        if n == "DECIMAL":
            return f"DECIMAL({self.precision}, {self.scale})"
        if n in ("TIME", "TIMESTAMP", "TIMESTAMP_LTZ"):
            return f"{n}({self.precision})"
        # Flink prints the interval types its expressions produce by their finest field.
        if n == "INTERVAL_YM":
            return "INTERVAL MONTH"
        if n == "INTERVAL_DT":
            return f"INTERVAL SECOND({self.precision if self.precision is not None else 3})"
        if n in ("ARRAY", "MULTISET"):
            return f"{n}<{inner(self.children[0])}>"
        if n == "MAP":
            return f"MAP<{inner(self.children[0])}, {inner(self.children[1])}>"
        if n == "ROW":
            fields = ", ".join(
                f"`{name.replace('`', '``')}` {inner(child)}"
                for name, child in zip(self.field_names, self.children, strict=True)
            )
            return f"ROW<{fields}>"
        if n == "NULL":
            return "NULL"
        if n == "RAW":
            snapshot = "..." if brief and self.raw_snapshot is not None else self.raw_snapshot
            args = [_quoted(self.raw_class or "")]
            if snapshot is not None:
                args.append(_quoted(snapshot))
            return f"RAW({', '.join(args)})"
        return n


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# ---------------------------------------------------------------- constructors


def tinyint(nullable: bool = True) -> FlinkType:
    return FlinkType("TINYINT", nullable)


def smallint(nullable: bool = True) -> FlinkType:
    return FlinkType("SMALLINT", nullable)


def int_(nullable: bool = True) -> FlinkType:
    return FlinkType("INT", nullable)


def bigint(nullable: bool = True) -> FlinkType:
    return FlinkType("BIGINT", nullable)


def float_(nullable: bool = True) -> FlinkType:
    return FlinkType("FLOAT", nullable)


def double(nullable: bool = True) -> FlinkType:
    return FlinkType("DOUBLE", nullable)


def boolean(nullable: bool = True) -> FlinkType:
    return FlinkType("BOOLEAN", nullable)


def decimal(precision: int, scale: int, nullable: bool = True) -> FlinkType:
    return FlinkType("DECIMAL", nullable, precision, scale)


def char(length: int, nullable: bool = True) -> FlinkType:
    return FlinkType("CHAR", nullable, length)


def varchar(length: int = MAX_LENGTH, nullable: bool = True) -> FlinkType:
    return FlinkType("VARCHAR", nullable, length)


def string(nullable: bool = True) -> FlinkType:
    return FlinkType("VARCHAR", nullable, MAX_LENGTH)


def binary(length: int, nullable: bool = True) -> FlinkType:
    return FlinkType("BINARY", nullable, length)


def bytes_(nullable: bool = True) -> FlinkType:
    return FlinkType("VARBINARY", nullable, MAX_LENGTH)


def date(nullable: bool = True) -> FlinkType:
    return FlinkType("DATE", nullable)


def time(precision: int = 0, nullable: bool = True) -> FlinkType:
    return FlinkType("TIME", nullable, precision)


def timestamp(precision: int = 6, nullable: bool = True) -> FlinkType:
    return FlinkType("TIMESTAMP", nullable, precision)


def timestamp_ltz(precision: int = 6, nullable: bool = True) -> FlinkType:
    return FlinkType("TIMESTAMP_LTZ", nullable, precision)


def interval_dt(nullable: bool = True) -> FlinkType:
    return FlinkType("INTERVAL_DT", nullable, 3)


def interval_ym(nullable: bool = True) -> FlinkType:
    return FlinkType("INTERVAL_YM", nullable)


def array(element: FlinkType, nullable: bool = True) -> FlinkType:
    return FlinkType("ARRAY", nullable, children=(element,))


def multiset(element: FlinkType, nullable: bool = True) -> FlinkType:
    return FlinkType("MULTISET", nullable, children=(element,))


def map_(key: FlinkType, value: FlinkType, nullable: bool = True) -> FlinkType:
    return FlinkType("MAP", nullable, children=(key, value))


def row(fields: list[tuple[str, FlinkType]], nullable: bool = True) -> FlinkType:
    return FlinkType(
        "ROW",
        nullable,
        children=tuple(t for _, t in fields),
        field_names=tuple(n for n, _ in fields),
    )


def raw(class_name: str, snapshot: str | None = None, nullable: bool = True) -> FlinkType:
    """An opaque Java type Flink cannot look into (`RAW('java.util.BitSet', '<snapshot>')`)."""
    return FlinkType("RAW", nullable, raw_class=class_name, raw_snapshot=snapshot)


NULL = FlinkType("NULL", True)


# ---------------------------------------------------------------- parsing type text


class TypeParseError(ValueError):
    """A type name Flink does not know, with the text and where in it."""


_TOKEN = re.compile(r"\s*(`(?:[^`]|``)*`|'(?:[^']|'')*'|[A-Za-z_][A-Za-z_0-9$]*|\d+|[<>(),*])")


def parse_type(text: str) -> FlinkType:
    """Parse Flink type text (`DECIMAL(10, 2) NOT NULL`, `ROW<a INT, b STRING>`, `TIMESTAMP(3) *ROWTIME*`)."""
    tokens: list[str] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if not m:
            raise TypeParseError(f"Unexpected character in type '{text}' at position {pos + 1}")
        tokens.append(m.group(1))
        pos = m.end()
    parser = _TypeParser(tokens, text)
    result = parser.parse()
    if parser.i != len(tokens):
        raise TypeParseError(f"Unexpected '{tokens[parser.i]}' in type '{text}'")
    return result


class _TypeParser:
    """Recursive descent over type tokens; the grammar is tiny, so no parser generator."""

    def __init__(self, tokens: list[str], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.i = 0

    def peek(self, offset: int = 0) -> str | None:
        j = self.i + offset
        return self.tokens[j].upper() if j < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        if self.i >= len(self.tokens):
            raise TypeParseError(f"Unexpected end of type '{self.text}'")
        tok = self.tokens[self.i]
        if expected is not None and tok.upper() != expected:
            raise TypeParseError(f"Expected '{expected}' but found '{tok}' in type '{self.text}'")
        self.i += 1
        return tok

    def accept(self, *words: str) -> bool:
        if all(self.peek(k) == w for k, w in enumerate(words)):
            self.i += len(words)
            return True
        return False

    def optional_int(self, default: int | None) -> int | None:
        if self.peek() == "(":
            self.take("(")
            value = int(self.take())
            self.take(")")
            return value
        return default

    def parse(self) -> FlinkType:
        t = self.parse_base()
        if self.accept("NOT", "NULL"):
            t = t.with_nullable(False)
        else:
            self.accept("NULL")
        if self.peek() == "*":
            self.take("*")
            attr = self.take().upper()
            self.take("*")
            if attr not in ("ROWTIME", "PROCTIME"):
                raise TypeParseError(f"Unknown time attribute *{attr}* in '{self.text}'")
            t = t.with_time_attr(attr)  # type: ignore[arg-type]
        return t

    def parse_base(self) -> FlinkType:
        word = self.take().upper()
        simple = {
            "TINYINT": tinyint,
            "SMALLINT": smallint,
            "INT": int_,
            "INTEGER": int_,
            "BIGINT": bigint,
            "FLOAT": float_,
            "REAL": float_,
            "BOOLEAN": boolean,
            "DATE": date,
            "STRING": string,
            "BYTES": bytes_,
        }
        if word in simple:
            return simple[word]()
        if word == "DOUBLE":
            self.accept("PRECISION")
            return double()
        if word in ("DECIMAL", "DEC", "NUMERIC"):
            if self.peek() == "(":
                self.take("(")
                p = int(self.take())
                s = 0
                if self.peek() == ",":
                    self.take(",")
                    s = int(self.take())
                self.take(")")
                return decimal(p, s)
            return decimal(10, 0)
        if word == "CHAR":
            length = self.optional_int(1)
            return char(1 if length is None else length)  # CHAR(0) is the type of the literal ''
        if word == "VARCHAR":
            length = self.optional_int(1)
            return varchar(1 if length is None else length)
        if word == "BINARY":
            length = self.optional_int(1)
            return binary(1 if length is None else length)  # BINARY(0) is the type of X''
        if word == "VARBINARY":
            return FlinkType("VARBINARY", True, self.optional_int(1))
        if word == "TIME":
            p = self.optional_int(0)
            self.accept("WITHOUT", "TIME", "ZONE")
            return time(p or 0)
        if word == "TIMESTAMP":
            p = self.optional_int(6)
            if self.accept("WITH", "LOCAL", "TIME", "ZONE"):
                return timestamp_ltz(6 if p is None else p)
            self.accept("WITHOUT", "TIME", "ZONE")
            return timestamp(6 if p is None else p)
        if word == "TIMESTAMP_LTZ":
            return timestamp_ltz(self.optional_int(6) or 0 if self.peek() == "(" else 6)
        if word == "INTERVAL":
            return self.parse_interval()
        if word in ("ARRAY", "MULTISET"):
            self.take("<")
            element = self.parse()
            self.take(">")
            return FlinkType(word, True, children=(element,))
        if word == "MAP":
            self.take("<")
            key = self.parse()
            self.take(",")
            value = self.parse()
            self.take(">")
            return map_(key, value)
        if word == "ROW":
            close = ">" if self.peek() == "<" else ")"
            self.take("<" if close == ">" else "(")
            fields: list[tuple[str, FlinkType]] = []
            while self.peek() != close:
                name = self.take()
                if name.startswith("`"):
                    name = name[1:-1].replace("``", "`")
                fields.append((name, self.parse()))
                if (self.peek() or "").startswith("'"):
                    self.take()  # a field description: documentation only, not part of the type
                if self.peek() == ",":
                    self.take(",")
            self.take(close)
            return row(fields)
        if word == "NULL":
            return NULL
        if word == "RAW":
            return self.parse_raw()
        raise TypeParseError(f"Unknown type '{word}' in '{self.text}'")

    def string_literal(self) -> str:
        tok = self.take()
        if not tok.startswith("'"):
            raise TypeParseError(
                f"Expected a quoted string but found '{tok}' in type '{self.text}'"
            )
        return tok[1:-1].replace("''", "'")

    def parse_raw(self) -> FlinkType:
        self.take("(")
        class_name = self.string_literal()
        snapshot = None
        if self.peek() == ",":
            self.take(",")
            snapshot = self.string_literal()
        self.take(")")
        return raw(class_name, snapshot)

    def parse_interval(self) -> FlinkType:
        start = self.take().upper()
        self.optional_int(None)
        end = start
        if self.accept("TO"):
            end = self.take().upper()
            self.optional_int(None)
        if start in ("YEAR", "MONTH") and end in ("YEAR", "MONTH"):
            return interval_ym()
        return interval_dt()


def char_length(t: FlinkType) -> int:
    return t.precision if t.precision is not None else MAX_LENGTH


# ---------------------------------------------------------------- DuckDB (Arrow: planner.arrow_types)


def __getattr__(name: str) -> object:
    """Arrow mappings live in planner.arrow_types (pyarrow loads only when needed)."""
    if name in ("to_arrow", "to_arrow_field", "to_arrow_schema", "from_arrow"):
        from planner import arrow_types

        return getattr(arrow_types, name)
    raise AttributeError(f"module 'planner.types' has no attribute {name!r}")


def to_duckdb(t: FlinkType) -> str:
    """The DuckDB type used to hold values of `t` during batch execution and expression evaluation."""
    n = t.name
    simple = {
        "TINYINT": "TINYINT",
        "SMALLINT": "SMALLINT",
        "INT": "INTEGER",
        "BIGINT": "BIGINT",
        "FLOAT": "FLOAT",
        "DOUBLE": "DOUBLE",
        "BOOLEAN": "BOOLEAN",
        "CHAR": "VARCHAR",
        "VARCHAR": "VARCHAR",
        "BINARY": "BLOB",
        "VARBINARY": "BLOB",
        "DATE": "DATE",
        "TIME": "TIME",
        "INTERVAL_YM": "INTERVAL",
        "INTERVAL_DT": "INTERVAL",
        "NULL": "INTEGER",
    }
    if n in simple:
        return simple[n]
    if n == "DECIMAL":
        return f"DECIMAL({t.precision}, {t.scale})"
    if n == "TIMESTAMP":
        return "TIMESTAMP_NS" if (t.precision or 0) > 6 else "TIMESTAMP"
    if n == "TIMESTAMP_LTZ":
        return "TIMESTAMPTZ"
    if n == "ARRAY":
        return f"{to_duckdb(t.children[0])}[]"
    if n == "MULTISET":
        return f"MAP({to_duckdb(t.children[0])}, INTEGER)"
    if n == "MAP":
        return f"MAP({to_duckdb(t.children[0])}, {to_duckdb(t.children[1])})"
    if n == "ROW":
        inner = ", ".join(
            f'"{name}" {to_duckdb(child)}'
            for name, child in zip(t.field_names, t.children, strict=True)
        )
        return f"STRUCT({inner})"
    raise TypeError(f"No DuckDB type for Flink type {t}")


def calcite_name(t: FlinkType) -> str:
    """The type as Calcite names it in validation messages (`INTEGER`, `CHAR(1)`, `VARCHAR(2147483647)`)."""
    n = t.name
    if n == "INT":
        return "INTEGER"
    if n in ("CHAR", "VARCHAR", "BINARY", "VARBINARY"):
        return f"{n}({t.precision})"
    if n == "DECIMAL":
        return f"DECIMAL({t.precision}, {t.scale})"
    if n in ("TIME", "TIMESTAMP"):
        return f"{n}({t.precision})"
    if n == "TIMESTAMP_LTZ":
        return f"TIMESTAMP_WITH_LOCAL_TIME_ZONE({t.precision})"
    if n in ("ARRAY", "MULTISET"):
        return f"{calcite_name(t.children[0])} {n}"
    if n == "MAP":
        return f"({calcite_name(t.children[0])}, {calcite_name(t.children[1])}) MAP"
    if n == "ROW":
        fields = ", ".join(
            f"{calcite_name(c)} {name}" for name, c in zip(t.field_names, t.children, strict=True)
        )
        return f"RecordType({fields})"
    if n == "INTERVAL_YM":
        return "INTERVAL YEAR TO MONTH"
    if n == "INTERVAL_DT":
        return "INTERVAL DAY TO SECOND"
    return n
