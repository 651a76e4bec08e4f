"""Catalog error paths: bad definitions and bad files fail with a clear message and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.catalogs import FileCatalog, create_catalog
from catalog.errors import CatalogError
from catalog.manager import CatalogManager
from catalog.model import CatalogTable, Column
from planner import types as T


def test_catalog_type_is_required_and_known() -> None:
    with pytest.raises(CatalogError, match="option key 'type'"):
        create_catalog("c", {})
    with pytest.raises(CatalogError, match="Could not find any factory for identifier 'nope'"):
        create_catalog("c", {"type": "nope"})
    with pytest.raises(CatalogError, match="Missing required options are:\n\npath"):
        create_catalog("c", {"type": "file"})
    with pytest.raises(CatalogError, match="Unsupported options found for 'generic_in_memory'"):
        create_catalog("c", {"type": "generic_in_memory", "colour": "blue"})


def test_corrupt_catalog_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "catalog.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CatalogError, match="Cannot open catalog file"):
        FileCatalog("c", str(bad))


def test_file_catalog_keeps_committed_objects(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    first = FileCatalog("c", str(path))
    table = CatalogTable((Column("id", T.int_(False)),), (("connector", "blackhole"),))
    first.put("default_database", "t", table)
    again = FileCatalog("c", str(path))
    assert again.get("default_database", "t") == table
    again.remove("default_database", "t")
    assert FileCatalog("c", str(path)).get("default_database", "t") is None


def test_unreadable_catalog_store_entry_names_the_file(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "broken.json").write_text("{not json")
    config = {"table.catalog-store.kind": "file", "table.catalog-store.file.path": str(store)}
    with pytest.raises(CatalogError, match=r"Cannot read catalog store file '.*broken\.json'"):
        CatalogManager(config.get)


def test_dropping_the_current_catalog_is_refused_and_keeps_it() -> None:
    manager = CatalogManager()
    with pytest.raises(CatalogError, match="currently in use"):
        manager.drop_catalog("default_catalog", if_exists=False)
    assert "default_catalog" in manager.catalogs
