"""The session's view of catalogs: current catalog and database, temporary objects, name resolution.

Temporary tables, views and functions belong to the session and shadow permanent objects of the same
path (as in Flink); permanent ones live in a catalog. Catalog definitions themselves may be persisted
by a catalog store (`table.catalog-store.kind` = `file`), so a `file` catalog created in one shell is
there in the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from catalog.catalogs import InMemoryCatalog, create_catalog
from catalog.errors import CatalogError
from catalog.model import CatalogFunction, CatalogObject, CatalogTable, CatalogView, Database

Path3 = tuple[str, str, str]

DEFAULT_CATALOG = "default_catalog"
DEFAULT_DATABASE = "default_database"


def quoted(path: Path3) -> str:
    return ".".join(f"`{p}`" for p in path)


def dotted(path: Path3) -> str:
    return ".".join(path)


class CatalogManager:
    def __init__(self, config_get: Callable[[str], str | None] | None = None) -> None:
        self.catalogs: dict[str, InMemoryCatalog] = {
            DEFAULT_CATALOG: InMemoryCatalog(DEFAULT_CATALOG, DEFAULT_DATABASE)
        }
        self.catalog_options: dict[str, dict[str, str]] = {}
        self.current_catalog = DEFAULT_CATALOG
        self.current_database = DEFAULT_DATABASE
        self.temporary: dict[Path3, CatalogObject] = {}
        self.temporary_functions: dict[Path3, CatalogFunction] = {}
        self.temporary_system_functions: dict[str, object] = {}
        self._config_get = config_get or (lambda key: None)
        self._load_catalog_store()

    # ---------------------------------------------------------------- names

    def qualify(self, parts: tuple[str, ...]) -> Path3:
        if len(parts) == 1:
            return (self.current_catalog, self.current_database, parts[0])
        if len(parts) == 2:
            return (self.current_catalog, parts[0], parts[1])
        if len(parts) == 3:
            return (parts[0], parts[1], parts[2])
        raise CatalogError(f"Object identifier {'.'.join(parts)} has too many parts (at most 3).")

    def catalog(self, name: str) -> InMemoryCatalog:
        cat = self.catalogs.get(name)
        if cat is None:
            raise CatalogError(f"A catalog with name [{name}] does not exist.")
        return cat

    # ---------------------------------------------------------------- catalogs and databases

    def create_catalog(self, name: str, options: dict[str, str], if_not_exists: bool) -> None:
        if name in self.catalogs:
            if if_not_exists:
                return
            raise CatalogError(f"Catalog {name} already exists.")
        self.catalogs[name] = create_catalog(name, options)
        self.catalog_options[name] = dict(options)
        self._save_catalog_store()

    def drop_catalog(self, name: str, if_exists: bool) -> None:
        if name not in self.catalogs:
            if if_exists:
                return
            raise CatalogError(f"Catalog {name} does not exist.")
        if name == self.current_catalog:
            raise CatalogError("Cannot drop a catalog which is currently in use.")
        del self.catalogs[name]
        self.catalog_options.pop(name, None)
        self._save_catalog_store()

    def use_catalog(self, name: str) -> None:
        cat = self.catalog(name)
        self.current_catalog = name
        self.current_database = cat.default_database

    def use_database(self, parts: tuple[str, ...]) -> None:
        cat_name = parts[0] if len(parts) == 2 else self.current_catalog
        db = parts[-1]
        cat = self.catalog(cat_name)
        if not cat.has_database(db):
            raise CatalogError(
                f"A database with name [{db}] does not exist in the catalog: [{cat_name}]."
            )
        self.current_catalog, self.current_database = cat_name, db

    def database_path(self, parts: tuple[str, ...]) -> tuple[str, str]:
        if len(parts) == 1:
            return self.current_catalog, parts[0]
        if len(parts) == 2:
            return parts[0], parts[1]
        raise CatalogError(f"Database identifier {'.'.join(parts)} has too many parts.")

    def create_database(
        self,
        parts: tuple[str, ...],
        comment: str | None,
        options: dict[str, str],
        if_not_exists: bool,
    ) -> None:
        cat_name, db = self.database_path(parts)
        self.catalog(cat_name).create_database(Database(db, comment, options), if_not_exists)

    def drop_database(self, parts: tuple[str, ...], if_exists: bool, cascade: bool) -> None:
        cat_name, db = self.database_path(parts)
        if (cat_name, db) == (self.current_catalog, self.current_database):
            raise CatalogError("Cannot drop a database which is currently in use.")
        self.catalog(cat_name).drop_database(db, if_exists, cascade)

    # ---------------------------------------------------------------- tables and views

    def lookup(self, path: Path3) -> tuple[CatalogObject, bool] | None:
        """The object at `path` and whether it is temporary, or None."""
        if path in self.temporary:
            return self.temporary[path], True
        cat = self.catalogs.get(path[0])
        if cat is None:
            return None
        obj = cat.get(path[1], path[2])
        return (obj, False) if obj is not None else None

    def create(
        self,
        path: Path3,
        obj: CatalogObject,
        *,
        if_not_exists: bool,
        temporary: bool,
        replace: bool = False,
    ) -> None:
        if temporary:
            if path in self.temporary and not replace:
                if if_not_exists:
                    return
                what = "Temporary table" if isinstance(obj, CatalogTable) else "Temporary view"
                raise CatalogError(f"{what} '{quoted(path)}' already exists")
            self.catalog(path[0]).database(path[1])
            self.temporary[path] = obj
            return
        cat = self.catalog(path[0])
        cat.database(path[1])
        if cat.get(path[1], path[2]) is not None and not replace:
            if if_not_exists:
                return
            raise CatalogError(
                f"Table (or view) {path[1]}.{path[2]} already exists in Catalog {path[0]}.",
                "org.apache.flink.table.catalog.exceptions.TableAlreadyExistException",
            )
        cat.put(path[1], path[2], obj)

    def drop(self, path: Path3, kind: str, *, if_exists: bool, temporary: bool) -> None:
        want_view = kind == "VIEW"
        if temporary:
            obj = self.temporary.get(path)
            if obj is None or isinstance(obj, CatalogView) != want_view:
                if if_exists:
                    return
                noun = "view" if want_view else "table"
                raise CatalogError(
                    f"Temporary {noun} with identifier '{quoted(path)}' does not exist."
                )
            del self.temporary[path]
            return
        if path in self.temporary:
            noun = "view" if want_view else "table"
            raise CatalogError(
                f"Temporary {noun} with identifier '{quoted(path)}' exists. "
                f"Drop it first before removing the permanent {noun}."
            )
        cat = self.catalogs.get(path[0])
        obj = cat.get(path[1], path[2]) if cat else None
        if obj is None:
            if if_exists:
                return
            noun = "View" if want_view else "Table"
            raise CatalogError(f"{noun} with identifier '{dotted(path)}' does not exist.")
        if want_view and not isinstance(obj, CatalogView):
            raise CatalogError(f"View with identifier '{dotted(path)}' does not exist.")
        if not want_view and isinstance(obj, CatalogView):
            raise CatalogError(f"Table with identifier '{dotted(path)}' does not exist.")
        assert cat is not None
        cat.remove(path[1], path[2])

    def replace(self, path: Path3, obj: CatalogObject) -> None:
        """Store a changed definition (ALTER), keeping it temporary if it was."""
        if path in self.temporary:
            self.temporary[path] = obj
        else:
            self.catalog(path[0]).put(path[1], path[2], obj)

    def rename(self, path: Path3, new_path: Path3) -> None:
        found = self.lookup(path)
        if found is None:
            raise CatalogError(f"Table `{dotted(path)}` doesn't exist or is a temporary table.")
        obj, temporary = found
        if self.lookup(new_path) is not None:
            raise CatalogError(
                f"Table (or view) {new_path[1]}.{new_path[2]} already exists in Catalog {new_path[0]}."
            )
        if temporary:
            del self.temporary[path]
            self.temporary[new_path] = obj
        else:
            self.catalog(path[0]).remove(path[1], path[2])
            self.catalog(new_path[0]).put(new_path[1], new_path[2], obj)

    def list_objects(
        self, kind: str, catalog: str | None = None, database: str | None = None
    ) -> list[str]:
        """Names of tables (TABLES lists views too, as Flink does) or views in a database, sorted."""
        cat_name = catalog or self.current_catalog
        db_name = database or self.current_database
        cat = self.catalog(cat_name)
        db = cat.database(db_name)
        names: set[str] = set()
        for name, obj in db.tables.items():
            if kind == "TABLES" or isinstance(obj, CatalogView):
                names.add(name)
        for (c, d, name), obj in self.temporary.items():
            if (c, d) == (cat_name, db_name) and (kind == "TABLES" or isinstance(obj, CatalogView)):
                names.add(name)
        return sorted(names)

    # ---------------------------------------------------------------- functions

    def lookup_function(self, parts: tuple[str, ...]) -> CatalogFunction | object | None:
        if len(parts) == 1 and parts[0].lower() in self.temporary_system_functions:
            return self.temporary_system_functions[parts[0].lower()]
        path = self.qualify(parts)
        key = (path[0], path[1], path[2].lower())
        if key in self.temporary_functions:
            return self.temporary_functions[key]
        cat = self.catalogs.get(path[0])
        return cat.get_function(path[1], path[2]) if cat else None

    def user_function_names(self) -> list[str]:
        names = set(self.temporary_system_functions)
        for c, d, n in self.temporary_functions:
            if (c, d) == (self.current_catalog, self.current_database):
                names.add(n)
        db = self.catalog(self.current_catalog).database(self.current_database)
        names.update(db.functions)
        return sorted(names)

    # ---------------------------------------------------------------- catalog store

    def _store_path(self) -> Path | None:
        if (self._config_get("table.catalog-store.kind") or "generic_in_memory") != "file":
            return None
        path = self._config_get("table.catalog-store.file.path")
        if not path:
            raise CatalogError(
                "Missing required option 'table.catalog-store.file.path' for catalog store kind 'file'."
            )
        return Path(path).expanduser()

    def _load_catalog_store(self) -> None:
        store = self._store_path()
        if store is None or not store.is_dir():
            return
        for entry in sorted(store.glob("*.json")):
            try:
                options = json.loads(entry.read_text())
            except (OSError, json.JSONDecodeError) as e:
                raise CatalogError(f"Cannot read catalog store file '{entry}': {e}") from None
            name = entry.stem
            if name not in self.catalogs:
                self.catalogs[name] = create_catalog(name, options)
                self.catalog_options[name] = options

    def reload_catalog_store(self) -> None:
        self._load_catalog_store()

    def _save_catalog_store(self) -> None:
        store = self._store_path()
        if store is None:
            return
        store.mkdir(parents=True, exist_ok=True)
        for name, options in self.catalog_options.items():
            tmp = store / f".{name}.json.tmp"
            tmp.write_text(json.dumps(options, indent=2, sort_keys=True))
            tmp.replace(store / f"{name}.json")
        for entry in store.glob("*.json"):
            if entry.stem not in self.catalog_options:
                entry.unlink()
