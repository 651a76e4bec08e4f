"""What a catalog stores: tables, views and functions, as plain serializable records.

Computed-column, watermark and view expressions are kept as Flink SQL text (as Flink's catalogs do):
a catalog knows names, schemas, options and functions, never how they execute, and text survives a
round trip through a file unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from planner.types import FlinkType, parse_type


@dataclass(frozen=True)
class Column:
    """A table column; `type` is None only for a computed column whose type the planner derives."""

    name: str
    type: FlinkType
    kind: Literal["physical", "computed", "metadata"] = "physical"
    expr: str | None = None  # computed: the expression text
    metadata_key: str | None = None
    virtual: bool = False
    comment: str | None = None


@dataclass(frozen=True)
class Watermark:
    column: str
    expr: str


@dataclass(frozen=True)
class PrimaryKey:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class CatalogTable:
    columns: tuple[Column, ...]
    options: tuple[tuple[str, str], ...]
    watermark: Watermark | None = None
    primary_key: PrimaryKey | None = None
    partition_keys: tuple[str, ...] = ()
    comment: str | None = None
    kind: Literal["TABLE"] = "TABLE"

    @property
    def physical(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind == "physical")

    def option(self, key: str, default: str | None = None) -> str | None:
        return dict(self.options).get(key, default)


@dataclass(frozen=True)
class CatalogView:
    """A view: the original query text, its expanded text, and the schema derived at creation."""

    query: str
    expanded_query: str
    columns: tuple[Column, ...]
    comment: str | None = None
    kind: Literal["VIEW"] = "VIEW"


@dataclass(frozen=True)
class CatalogFunction:
    identifier: str
    language: Literal["JAVA", "SCALA", "PYTHON"] = "PYTHON"


@dataclass
class Database:
    name: str
    comment: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    tables: dict[str, CatalogTable | CatalogView] = field(default_factory=dict)
    functions: dict[str, CatalogFunction] = field(default_factory=dict)


CatalogObject = CatalogTable | CatalogView


# ---------------------------------------------------------------- serialization


def object_to_json(obj: CatalogObject | CatalogFunction) -> dict:
    data = asdict(obj)
    if isinstance(obj, CatalogFunction):
        data["kind"] = "FUNCTION"
        return data
    data["columns"] = [
        {**c, "type": obj.columns[i].type.sql()} for i, c in enumerate(data["columns"])
    ]
    return data


def object_from_json(data: dict) -> CatalogObject | CatalogFunction:
    kind = data.get("kind")
    if kind == "FUNCTION":
        return CatalogFunction(data["identifier"], data["language"])
    columns = tuple(
        Column(
            name=c["name"],
            type=parse_type(c["type"]),
            kind=c["kind"],
            expr=c["expr"],
            metadata_key=c["metadata_key"],
            virtual=c["virtual"],
            comment=c["comment"],
        )
        for c in data["columns"]
    )
    if kind == "VIEW":
        return CatalogView(data["query"], data["expanded_query"], columns, data.get("comment"))
    wm = data.get("watermark")
    pk = data.get("primary_key")
    return CatalogTable(
        columns=columns,
        options=tuple(tuple(o) for o in data["options"]),  # type: ignore[misc]
        watermark=Watermark(wm["column"], wm["expr"]) if wm else None,
        primary_key=PrimaryKey(pk["name"], tuple(pk["columns"])) if pk else None,
        partition_keys=tuple(data.get("partition_keys") or ()),
        comment=data.get("comment"),
    )
