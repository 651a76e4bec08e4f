"""The datagen connector's options: which keys each field accepts, and their parsed values.

Flink derives the accepted per-field keys from each column's type and generator kind (a STRING
field accepts `length`, an INT field `min`/`max`, ...), and its "Supported options" list names
those concrete keys. `field_option_keys` reproduces that derivation.
"""

from __future__ import annotations

from collections.abc import Mapping

from connectors.api import ConnectorError, TableSpec
from planner.arrow_types import from_arrow_field
from planner.types import MAX_LENGTH, FlinkType

GLOBAL_OPTIONS = frozenset({"rows-per-second", "number-of-rows", "scan.parallelism"})
FIELD_PATTERNS = frozenset(
    {
        "fields.#.kind",
        "fields.#.min",
        "fields.#.max",
        "fields.#.max-past",
        "fields.#.length",
        "fields.#.var-len",
        "fields.#.start",
        "fields.#.end",
        "fields.#.null-rate",
    }
)
_NUMERIC = ("TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL")
_SEQUENCE_TYPES = (*_NUMERIC, "CHAR", "VARCHAR", "BINARY", "VARBINARY", "BOOLEAN")


def kind_of(options: Mapping[str, str], name: str) -> str:
    kind = options.get(f"fields.{name}.kind", "random")
    if kind not in ("random", "sequence"):
        raise ConnectorError(f"Unsupported generator kind: {kind}")
    return kind


def _random_keys(prefix: str, t: FlinkType) -> list[str]:
    """Option keys the random generator of type `t` reads (Flink's RandomGeneratorVisitor)."""
    name = t.name
    if name in _NUMERIC:
        return [f"{prefix}.min", f"{prefix}.max", f"{prefix}.null-rate"]
    if name in ("BOOLEAN", "CHAR"):
        return [f"{prefix}.null-rate"]
    if name == "VARCHAR":
        return [f"{prefix}.length", f"{prefix}.null-rate", f"{prefix}.var-len"]
    if name == "VARBINARY":
        return [f"{prefix}.length", f"{prefix}.var-len"]
    if name in ("BINARY", "DATE", "TIME"):
        return []
    if name in ("TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMP_TZ"):
        return [f"{prefix}.max-past", f"{prefix}.null-rate"]
    if name in ("ARRAY", "MULTISET"):
        return [
            f"{prefix}.length",
            f"{prefix}.null-rate",
            *_random_keys(f"{prefix}.element", t.children[0]),
        ]
    if name == "MAP":
        return [
            f"{prefix}.length",
            f"{prefix}.null-rate",
            *_random_keys(f"{prefix}.key", t.children[0]),
            *_random_keys(f"{prefix}.value", t.children[1]),
        ]
    if name == "ROW":
        keys = [f"{prefix}.null-rate"]
        for n, c in zip(t.field_names, t.children):
            keys += _random_keys(f"{prefix}.{n}", c)
        return keys
    raise ConnectorError(f"Unsupported type: {t.name}")


def field_option_keys(spec: TableSpec) -> frozenset[str]:
    """Every key datagen accepts for this table (global ones plus each field's own)."""
    keys = set(GLOBAL_OPTIONS)
    for f in spec.schema:
        prefix = f"fields.{f.name}"
        keys.add(f"{prefix}.kind")
        t = from_arrow_field(f)
        if kind_of(spec.options, f.name) == "sequence":
            if t.name not in _SEQUENCE_TYPES:
                raise ConnectorError(f"Unsupported type: {t.name}")
            if t.name != "BOOLEAN":
                keys |= {f"{prefix}.start", f"{prefix}.end"}
        else:
            keys |= set(_random_keys(prefix, t))
    return frozenset(keys)


def default_length(t: FlinkType) -> int:
    """Flink's default generated length: declared CHAR/BINARY length, 100 for unbounded strings."""
    if t.name in ("CHAR", "BINARY"):
        return t.precision or 1
    if t.name in ("VARCHAR", "VARBINARY"):
        return 100 if t.precision in (None, MAX_LENGTH) else t.precision  # type: ignore[return-value]
    return 3  # collections
