"""Flink's JSON rules for one value: lenient decoding of a parsed JSON value, and encoding.

Used for what the whole-column paths cannot do (nested values, maps, coercions such as a number
given as a JSON string); these are per-value Python by nature.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from connectors.formats.text_format import decimal_text
from connectors.formats.text_parse import parse_column
from connectors.java_text import java_double, java_float
from planner.arrow_types import to_arrow
from planner.types import FlinkType

if TYPE_CHECKING:
    from connectors.formats.json import JsonOptions

_INT_RANGES = {
    "TINYINT": 2**7,
    "SMALLINT": 2**15,
    "INT": 2**31,
    "BIGINT": 2**63,
}


class JsonDecodeError(Exception):
    """A JSON value that does not fit its declared type."""


def _text(value: Any) -> str:
    """Jackson's asText(): the text of a textual node, the JSON spelling of other scalars."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Decimal | int):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def _parse_text(text: str, t: FlinkType, sep: str) -> Any:
    values, bad = parse_column(pa.array([text], pa.string()), t, to_arrow(t), timestamp_sep=sep)
    if bad[0].as_py():
        raise JsonDecodeError(f"'{text}' is not a valid {t.name}")
    return values[0].as_py()


def decode_value(value: Any, t: FlinkType, sep: str) -> Any:
    """A parsed JSON value (floats as Decimal) → the Python value of Flink type `t`."""
    if value is None:
        return None
    name = t.name
    if name in _INT_RANGES:
        if isinstance(value, bool):
            raise JsonDecodeError(f"'{_text(value)}' is not a number")
        if isinstance(value, int | Decimal):
            n = int(value)  # Jackson truncates a fractional number towards zero
        else:
            try:
                n = int(_text(value).strip())
            except ValueError:
                raise JsonDecodeError(f"'{_text(value)}' is not a number") from None
        bound = _INT_RANGES[name]
        if not -bound <= n < bound:
            raise JsonDecodeError(f"{n} is out of range")
        return n
    if name in ("FLOAT", "DOUBLE"):
        if isinstance(value, bool):
            raise JsonDecodeError(f"'{_text(value)}' is not a number")
        text = _text(value).strip().replace("Infinity", "inf")
        try:
            return float(text)
        except ValueError:
            raise JsonDecodeError(f"'{_text(value)}' is not a number") from None
    if name == "BOOLEAN":
        if isinstance(value, bool):
            return value
        return _text(value).strip().lower() == "true"
    if name in ("CHAR", "VARCHAR"):
        return _text(value)
    if name == "DECIMAL":
        try:
            d = Decimal(_text(value).strip())
        except InvalidOperation:
            raise JsonDecodeError(f"'{_text(value)}' is not a number") from None
        q = d.quantize(Decimal(1).scaleb(-(t.scale or 0)), rounding=ROUND_HALF_UP)
        return q if abs(q) < Decimal(10) ** ((t.precision or 10) - (t.scale or 0)) else None
    if name in ("BINARY", "VARBINARY"):
        try:
            return base64.b64decode(_text(value), validate=True)
        except (binascii.Error, ValueError):
            raise JsonDecodeError(f"'{_text(value)}' is not base64") from None
    if name in ("DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ"):
        return _parse_text(_text(value), t, sep)
    if name == "ARRAY":
        if not isinstance(value, list):
            raise JsonDecodeError("a JSON array is expected")
        return [decode_value(v, t.children[0], sep) for v in value]
    if name == "MULTISET":
        if not isinstance(value, dict):
            raise JsonDecodeError("a JSON object is expected")
        return [(decode_value(k, t.children[0], sep), n) for k, n in value.items()]
    if name == "MAP":
        if not isinstance(value, dict):
            raise JsonDecodeError("a JSON object is expected")
        return [
            (decode_value(k, t.children[0], sep), decode_value(v, t.children[1], sep))
            for k, v in value.items()
        ]
    if name == "ROW":
        if not isinstance(value, dict):
            raise JsonDecodeError("a JSON object is expected")
        return {n: decode_value(value.get(n), c, sep) for n, c in zip(t.field_names, t.children)}
    raise JsonDecodeError(f"type {name} is not supported by the json format")


def _strip_fraction(text: str) -> str:
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _time_text(v: dt.time) -> str:
    return _strip_fraction(v.isoformat())


def encode_value(v: Any, t: FlinkType, opts: JsonOptions) -> str:
    """JSON text of one Python value of Flink type `t`, spelled as Flink's JSON writer does."""
    if v is None:
        return "null"
    name = t.name
    if name in _INT_RANGES:
        return str(int(v))
    if name == "BOOLEAN":
        return "true" if v else "false"
    if name in ("FLOAT", "DOUBLE"):
        text = java_float(v) if name == "FLOAT" else java_double(v)
        return f'"{text}"' if text in ("NaN", "Infinity", "-Infinity") else text
    if name == "DECIMAL":
        return decimal_text(v, opts.decimal_plain)
    if name in ("CHAR", "VARCHAR"):
        return json.dumps(v, ensure_ascii=False)
    if name in ("BINARY", "VARBINARY"):
        return '"' + base64.b64encode(v).decode("ascii") + '"'
    if name == "DATE":
        return f'"{v.isoformat()}"'
    if name == "TIME":
        return f'"{_time_text(v)}"'
    if name in ("TIMESTAMP", "TIMESTAMP_LTZ"):
        naive = v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v
        text = naive.date().isoformat() + opts.timestamp_sep + _time_text(naive.time())
        return f'"{text}Z"' if name == "TIMESTAMP_LTZ" else f'"{text}"'
    if name == "ARRAY":
        return "[" + ",".join(encode_value(x, t.children[0], opts) for x in v) + "]"
    if name in ("MAP", "MULTISET"):
        items = []
        for key, value in v:
            if key is None:
                if opts.map_null_key_mode == "FAIL":
                    from connectors.api import ConnectorError

                    raise ConnectorError(
                        "JSON format doesn't support to serialize map data with null keys. You can "
                        "drop null key entries or encode null in literals by specifying "
                        "map-null-key.mode option."
                    )
                if opts.map_null_key_mode == "DROP":
                    continue
                key_text = opts.map_null_key_literal
            else:
                key_text = (
                    encode_value(key, t.children[0], opts).strip('"')
                    if not isinstance(key, str)
                    else key
                )
            value_type = t.children[1] if name == "MAP" else FlinkType("INT")
            items.append(
                json.dumps(key_text, ensure_ascii=False)
                + ":"
                + encode_value(value, value_type, opts)
            )
        return "{" + ",".join(items) + "}"
    if name == "ROW":
        fields = []
        for n, c in zip(t.field_names, t.children):
            x = v.get(n)
            if x is None and opts.ignore_null_fields:
                continue
            fields.append(json.dumps(n, ensure_ascii=False) + ":" + encode_value(x, c, opts))
        return "{" + ",".join(fields) + "}"
    raise ValueError(f"type {name} is not supported by the json format")
