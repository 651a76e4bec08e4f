"""Catalog implementations: `generic_in_memory` (Flink's) and `file`, kept in an embedded SQLite file.

Why SQLite for the persistent one: each change is one transaction, so a crash mid-write never leaves
a half-written catalog, and two shells opening the same file see each other's committed changes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from catalog.errors import CatalogError
from catalog.model import (
    CatalogFunction,
    CatalogObject,
    Database,
    object_from_json,
    object_to_json,
)


class InMemoryCatalog:
    """Databases, each holding tables/views and functions; lives as long as the session."""

    type_name = "generic_in_memory"

    def __init__(self, name: str, default_database: str = "default_database") -> None:
        self.name = name
        self.default_database = default_database
        self.databases: dict[str, Database] = self._load()
        if default_database not in self.databases:
            self._put_database(Database(default_database))

    # ---------------------------------------------------------------- databases

    def database(self, name: str) -> Database:
        db = self.databases.get(name)
        if db is None:
            raise CatalogError(f"Database {name} does not exist in Catalog {self.name}.")
        return db

    def has_database(self, name: str) -> bool:
        return name in self.databases

    def create_database(self, db: Database, if_not_exists: bool) -> None:
        if db.name in self.databases:
            if if_not_exists:
                return
            raise CatalogError(f"Database {db.name} already exists in Catalog {self.name}.")
        self._put_database(db)

    def alter_database(self, name: str, options: dict[str, str]) -> None:
        db = self.database(name)
        db.options.update(options)
        self._put_database(db)

    def drop_database(self, name: str, if_exists: bool, cascade: bool) -> None:
        db = self.databases.get(name)
        if db is None:
            if if_exists:
                return
            raise CatalogError(f"Database {name} does not exist in Catalog {self.name}.")
        if (db.tables or db.functions) and not cascade:
            raise CatalogError(f"Database {name} in catalog {self.name} is not empty.")
        del self.databases[name]
        self._delete_database(name)

    # ---------------------------------------------------------------- objects

    def get(self, database: str, name: str) -> CatalogObject | None:
        db = self.databases.get(database)
        return None if db is None else db.tables.get(name)

    def put(self, database: str, name: str, obj: CatalogObject) -> None:
        self.database(database).tables[name] = obj
        self._put_object(database, name, obj)

    def remove(self, database: str, name: str) -> None:
        del self.database(database).tables[name]
        self._delete_object(database, name, "TABLE")

    def get_function(self, database: str, name: str) -> CatalogFunction | None:
        db = self.databases.get(database)
        return None if db is None else db.functions.get(name.lower())

    def put_function(self, database: str, name: str, fn: CatalogFunction) -> None:
        self.database(database).functions[name.lower()] = fn
        self._put_object(database, name.lower(), fn)

    def remove_function(self, database: str, name: str) -> None:
        del self.database(database).functions[name.lower()]
        self._delete_object(database, name.lower(), "FUNCTION")

    # ---------------------------------------------------------------- persistence hooks

    def _load(self) -> dict[str, Database]:
        return {}

    def _put_database(self, db: Database) -> None:
        self.databases[db.name] = db

    def _delete_database(self, name: str) -> None:
        pass

    def _put_object(self, database: str, name: str, obj: CatalogObject | CatalogFunction) -> None:
        pass

    def _delete_object(self, database: str, name: str, kind: str) -> None:
        pass


_SCHEMA = """
CREATE TABLE IF NOT EXISTS databases (name TEXT PRIMARY KEY, comment TEXT, options TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    database TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (database, name, kind));
"""


class FileCatalog(InMemoryCatalog):
    """A catalog whose every change is committed to a SQLite file at `path` (option 'path')."""

    type_name = "file"

    def __init__(self, name: str, path: str, default_database: str = "default_database") -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise CatalogError(f"Cannot open catalog file '{self.path}': {e}") from None
        super().__init__(name, default_database)

    def _load(self) -> dict[str, Database]:
        databases: dict[str, Database] = {}
        for name, comment, options in self._conn.execute(
            "SELECT name, comment, options FROM databases"
        ):
            databases[name] = Database(name, comment, json.loads(options))
        for database, name, kind, body in self._conn.execute(
            "SELECT database, name, kind, body FROM objects ORDER BY rowid"
        ):
            db = databases.setdefault(database, Database(database))
            obj = object_from_json(json.loads(body))
            if kind == "FUNCTION":
                db.functions[name] = obj  # type: ignore[assignment]
            else:
                db.tables[name] = obj  # type: ignore[assignment]
        return databases

    def _put_database(self, db: Database) -> None:
        super()._put_database(db)
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO databases VALUES (?, ?, ?)",
                (db.name, db.comment, json.dumps(db.options)),
            )

    def _delete_database(self, name: str) -> None:
        with self._conn:
            self._conn.execute("DELETE FROM objects WHERE database = ?", (name,))
            self._conn.execute("DELETE FROM databases WHERE name = ?", (name,))

    def _put_object(self, database: str, name: str, obj: CatalogObject | CatalogFunction) -> None:
        kind = "FUNCTION" if isinstance(obj, CatalogFunction) else "TABLE"
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?)",
                (database, name, kind, json.dumps(object_to_json(obj))),
            )

    def _delete_object(self, database: str, name: str, kind: str) -> None:
        with self._conn:
            self._conn.execute(
                "DELETE FROM objects WHERE database = ? AND name = ? AND kind = ?",
                (database, name, kind),
            )


CATALOG_TYPES = {"generic_in_memory": InMemoryCatalog, "file": FileCatalog}


def create_catalog(name: str, options: dict[str, str]) -> InMemoryCatalog:
    """Build a catalog from CREATE CATALOG options ('type' required, as in Flink)."""
    kind = options.get("type")
    if kind is None:
        raise CatalogError(
            f"Catalog options do not contain an option key 'type' for discovering a catalog. "
            f"Available types: {', '.join(sorted(CATALOG_TYPES))}"
        )
    # Flink's GenericInMemoryCatalog names its default database "default".
    default_db = options.get("default-database", "default")
    if kind == "generic_in_memory":
        unknown = set(options) - {"type", "default-database"}
        if unknown:
            raise CatalogError(_unsupported(kind, unknown, {"type", "default-database"}))
        return InMemoryCatalog(name, default_db)
    if kind == "file":
        unknown = set(options) - {"type", "default-database", "path"}
        if unknown:
            raise CatalogError(_unsupported(kind, unknown, {"type", "default-database", "path"}))
        if "path" not in options:
            raise CatalogError(
                "One or more required options are missing.\n\nMissing required options are:\n\npath"
            )
        return FileCatalog(name, options["path"], default_db)
    raise CatalogError(
        f"Could not find any factory for identifier '{kind}' that implements "
        f"'org.apache.flink.table.factories.CatalogFactory' in the classpath.\n\n"
        f"Available factory identifiers are:\n\n" + "\n".join(sorted(CATALOG_TYPES))
    )


def _unsupported(kind: str, unknown: set[str], supported: set[str]) -> str:
    return (
        f"Unsupported options found for '{kind}'.\n\nUnsupported options:\n\n"
        + "\n".join(sorted(unknown))
        + "\n\nSupported options:\n\n"
        + "\n".join(sorted(supported))
    )
