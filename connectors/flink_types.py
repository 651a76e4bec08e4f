"""Flink logical types as connectors need them, read from a field's `flink.type` metadata.

Formats and generators need facts Arrow does not carry: CHAR vs VARCHAR lengths, TIMESTAMP vs
TIMESTAMP_LTZ precision, the declared field names of a ROW. The planner writes Flink's type text
into each field's metadata; this module parses that text into a small tree. When the metadata is
absent (a schema built straight from Arrow) the type is derived from the Arrow type instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa

from connectors.api import ConnectorError

FLINK_TYPE_KEY = b"flink.type"

_ALIASES = {
    "INTEGER": "INT",
    "STRING": "VARCHAR",
    "BYTES": "VARBINARY",
    "DEC": "DECIMAL",
    "NUMERIC": "DECIMAL",
    "TIMESTAMP_LTZ": "TIMESTAMP_LTZ",
    "DOUBLE PRECISION": "DOUBLE",
    "CHARACTER": "CHAR",
}
MAX_LENGTH = 2147483647


@dataclass(frozen=True)
class FlinkType:
    """A parsed Flink type. `name` is canonical (INT, VARCHAR, TIMESTAMP, TIMESTAMP_LTZ, ROW, ...).

    `length` is the CHAR/VARCHAR/BINARY/VARBINARY length, `precision`/`scale` the DECIMAL or
    time precision, `children` the element (ARRAY/MULTISET), key and value (MAP) or field types
    (ROW, named by `field_names`).
    """

    name: str
    nullable: bool = True
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    children: tuple[FlinkType, ...] = ()
    field_names: tuple[str, ...] = ()


_TOKEN = re.compile(r"\s*(`(?:[^`]|``)*`|[A-Za-z_][A-Za-z_0-9]*|\d+|[<>(),]|'(?:[^']|'')*')")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise ConnectorError(f"Cannot parse Flink type '{text}' at position {pos}.")
        out.append(m.group(1))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def peek_upper(self) -> str:
        t = self.peek()
        return t.upper() if t else ""

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok.upper() != expected):
            raise ConnectorError(
                f"Cannot parse Flink type '{self.text}': expected {expected or 'more'}."
            )
        self.i += 1
        return tok

    def ints(self) -> list[int]:
        if self.peek() != "(":
            return []
        self.take("(")
        values = [int(self.take())]
        while self.peek() == ",":
            self.take(",")
            values.append(int(self.take()))
        self.take(")")
        return values

    def parse(self) -> FlinkType:
        t = self.parse_type()
        if self.peek() is not None:
            raise ConnectorError(
                f"Cannot parse Flink type '{self.text}': unexpected '{self.peek()}'."
            )
        return t

    def parse_type(self) -> FlinkType:
        word = self.take().upper()
        if word == "DOUBLE" and self.peek_upper() == "PRECISION":
            self.take()
        if word in ("CHARACTER", "CHAR") and self.peek_upper() == "VARYING":
            self.take()
            word = "VARCHAR"
        if word == "BINARY" and self.peek_upper() == "VARYING":
            self.take()
            word = "VARBINARY"
        name = _ALIASES.get(word, word)
        t: FlinkType
        if name in ("ARRAY", "MULTISET"):
            self.take("<")
            elem = self.parse_type()
            self.take(">")
            t = FlinkType(name, children=(elem,))
        elif name == "MAP":
            self.take("<")
            key = self.parse_type()
            self.take(",")
            value = self.parse_type()
            self.take(">")
            t = FlinkType(name, children=(key, value))
        elif name == "ROW":
            t = self.parse_row()
        elif name in ("CHAR", "VARCHAR", "BINARY", "VARBINARY"):
            args = self.ints()
            default = MAX_LENGTH if word in ("STRING", "BYTES") else 1
            t = FlinkType(name, length=args[0] if args else default)
        elif name == "DECIMAL":
            args = self.ints()
            t = FlinkType(
                name, precision=args[0] if args else 10, scale=args[1] if len(args) > 1 else 0
            )
        elif name in ("TIMESTAMP", "TIME", "TIMESTAMP_LTZ"):
            args = self.ints()
            default_p = 0 if name == "TIME" else 6
            p = args[0] if args else default_p
            if name == "TIMESTAMP" and self.peek_upper() in ("WITH", "WITHOUT"):
                with_tz = self.take().upper() == "WITH"
                local = False
                if self.peek_upper() == "LOCAL":
                    self.take()
                    local = True
                self.take("TIME")
                self.take("ZONE")
                if with_tz:
                    name = "TIMESTAMP_LTZ" if local else "TIMESTAMP_TZ"
            t = FlinkType(name, precision=p)
        else:
            self.ints()
            t = FlinkType(name)
        if self.peek_upper() == "NOT":
            self.take()
            self.take("NULL")
            t = FlinkType(t.name, False, t.length, t.precision, t.scale, t.children, t.field_names)
        elif self.peek_upper() == "NULL":
            self.take()
        return t

    def parse_row(self) -> FlinkType:
        close = {"<": ">", "(": ")"}
        opener = self.take()
        if opener not in close:
            raise ConnectorError(f"Cannot parse Flink type '{self.text}': expected '<' after ROW.")
        names: list[str] = []
        types: list[FlinkType] = []
        while self.peek() != close[opener]:
            tok = self.take()
            names.append(tok[1:-1].replace("``", "`") if tok.startswith("`") else tok)
            types.append(self.parse_type())
            if self.peek() is not None and self.peek().startswith("'"):  # field description
                self.take()
            if self.peek() == ",":
                self.take(",")
        self.take(close[opener])
        return FlinkType("ROW", children=tuple(types), field_names=tuple(names))


def parse_flink_type(text: str) -> FlinkType:
    """Parse Flink's type text (`DECIMAL(10, 2)`, `ROW<a INT, b STRING> NOT NULL`, ...)."""
    return _Parser(text).parse()


def from_arrow(t: pa.DataType, nullable: bool = True) -> FlinkType:
    """The Flink type an Arrow type stands for when no `flink.type` text is present."""
    if pa.types.is_int8(t):
        return FlinkType("TINYINT", nullable)
    if pa.types.is_int16(t):
        return FlinkType("SMALLINT", nullable)
    if pa.types.is_int32(t):
        return FlinkType("INT", nullable)
    if pa.types.is_int64(t):
        return FlinkType("BIGINT", nullable)
    if pa.types.is_float32(t):
        return FlinkType("FLOAT", nullable)
    if pa.types.is_float64(t):
        return FlinkType("DOUBLE", nullable)
    if pa.types.is_boolean(t):
        return FlinkType("BOOLEAN", nullable)
    if pa.types.is_decimal(t):
        return FlinkType("DECIMAL", nullable, precision=t.precision, scale=t.scale)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return FlinkType("VARCHAR", nullable, length=MAX_LENGTH)
    if pa.types.is_fixed_size_binary(t):
        return FlinkType("BINARY", nullable, length=t.byte_width)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return FlinkType("VARBINARY", nullable, length=MAX_LENGTH)
    if pa.types.is_date(t):
        return FlinkType("DATE", nullable)
    if pa.types.is_time(t):
        return FlinkType("TIME", nullable, precision=0)
    if pa.types.is_timestamp(t):
        p = {"s": 0, "ms": 3, "us": 6, "ns": 9}[t.unit]
        return FlinkType("TIMESTAMP_LTZ" if t.tz else "TIMESTAMP", nullable, precision=p)
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return FlinkType("ARRAY", nullable, children=(from_arrow(t.value_type),))
    if pa.types.is_map(t):
        return FlinkType(
            "MAP", nullable, children=(from_arrow(t.key_type), from_arrow(t.item_type))
        )
    if pa.types.is_struct(t):
        fields = [t.field(i) for i in range(t.num_fields)]
        return FlinkType(
            "ROW",
            nullable,
            children=tuple(from_arrow(f.type, f.nullable) for f in fields),
            field_names=tuple(f.name for f in fields),
        )
    if pa.types.is_null(t):
        return FlinkType("NULL", nullable)
    raise ConnectorError(f"No Flink type corresponds to the Arrow type {t}.")


def field_flink_type(f: pa.Field) -> FlinkType:
    """The Flink type of a schema field: its `flink.type` metadata, else derived from Arrow."""
    text = (f.metadata or {}).get(FLINK_TYPE_KEY)
    if text is not None:
        return parse_flink_type(text.decode())
    return from_arrow(f.type, f.nullable)


def to_arrow(t: FlinkType) -> pa.DataType:
    """The Arrow type Freshet uses for a Flink type (used to build schemas in tests and tools)."""
    simple: dict[str, pa.DataType] = {
        "TINYINT": pa.int8(),
        "SMALLINT": pa.int16(),
        "INT": pa.int32(),
        "BIGINT": pa.int64(),
        "FLOAT": pa.float32(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "CHAR": pa.string(),
        "VARCHAR": pa.string(),
        "BINARY": pa.binary(),
        "VARBINARY": pa.binary(),
        "DATE": pa.date32(),
        "NULL": pa.null(),
    }
    if t.name in simple:
        return simple[t.name]
    if t.name == "DECIMAL":
        return pa.decimal128(t.precision or 10, t.scale or 0)
    if t.name == "TIME":
        return pa.time32("ms") if (t.precision or 0) <= 3 else pa.time64("us")
    if t.name in ("TIMESTAMP", "TIMESTAMP_LTZ"):
        p = t.precision if t.precision is not None else 6
        unit = "ms" if p <= 3 else "us" if p <= 6 else "ns"
        return pa.timestamp(unit, tz="UTC" if t.name == "TIMESTAMP_LTZ" else None)
    if t.name in ("ARRAY", "MULTISET"):
        return pa.list_(to_arrow(t.children[0]))
    if t.name == "MAP":
        return pa.map_(to_arrow(t.children[0]), to_arrow(t.children[1]))
    if t.name == "ROW":
        return pa.struct(
            [pa.field(n, to_arrow(c), c.nullable) for n, c in zip(t.field_names, t.children)]
        )
    raise ConnectorError(f"Type {t.name} is not supported by Freshet's connectors.")


def type_summary(t: FlinkType) -> str:
    """Flink's summary text for a type, used in error messages (`INT`, `DECIMAL(10, 2)`)."""
    base = t.name
    if t.name in ("CHAR", "VARCHAR", "BINARY", "VARBINARY"):
        if t.name == "VARCHAR" and t.length == MAX_LENGTH:
            base = "STRING"
        elif t.name == "VARBINARY" and t.length == MAX_LENGTH:
            base = "BYTES"
        else:
            base = f"{t.name}({t.length})"
    elif t.name == "DECIMAL":
        base = f"DECIMAL({t.precision}, {t.scale})"
    elif t.name in ("TIMESTAMP", "TIME"):
        base = f"{t.name}({t.precision})"
    elif t.name == "TIMESTAMP_LTZ":
        base = f"TIMESTAMP_LTZ({t.precision})"
    elif t.name in ("ARRAY", "MULTISET"):
        base = f"{t.name}<{type_summary(t.children[0])}>"
    elif t.name == "MAP":
        base = f"MAP<{type_summary(t.children[0])}, {type_summary(t.children[1])}>"
    elif t.name == "ROW":
        inner = ", ".join(f"`{n}` {type_summary(c)}" for n, c in zip(t.field_names, t.children))
        base = f"ROW<{inner}>"
    return base if t.nullable else f"{base} NOT NULL"


def schema_from_flink(columns: list[tuple[str, str]]) -> pa.Schema:
    """Build a TableSpec schema from (name, Flink type text) pairs, with `flink.type` metadata."""
    fields = []
    for name, text in columns:
        t = parse_flink_type(text)
        fields.append(
            pa.field(name, to_arrow(t), t.nullable, metadata={FLINK_TYPE_KEY: text.encode()})
        )
    return pa.schema(fields)
