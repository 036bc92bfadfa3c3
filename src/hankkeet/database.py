"""The CSV tables as one SQLite database: keys, references, indexes and full-text search over the projects.

The database is built straight into its (new, empty) file in one fixed order of statements, with no journal:
the same release gives the same bytes with the same SQLite library (fixed page size, no WAL, pages in build
order). A failed build leaves a damaged file in the staging folder, which the run removes with the rest.
"""
from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hankkeet.schema import Table, tables
from hankkeet.tables import TABLES, Source

PAGE_SIZE = 4096
#: ``PRAGMA application_id`` of hankkeet's databases ("hank"), at bytes 68-71 of the file: how a later run knows
#: a hankkeet.sqlite it may remove.
APPLICATION_ID = 0x68616E6B
#: Full-text search over project titles and descriptions: ``SELECT id FROM projects_fts WHERE projects_fts
#: MATCH 'eVaka'``.
FTS_TABLE = "projects_fts"
_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def _column(field: dict[str, Any]) -> str:
    """One column definition: SQL type, NOT NULL and UNIQUE from the Table Schema, booleans as 0/1."""
    name, constraints = field["name"], field.get("constraints", {})
    sql = f"{name} {_SQL_TYPES.get(field['type'], 'TEXT')}"
    if constraints.get("required"):
        sql += " NOT NULL"
    if constraints.get("unique"):
        sql += " UNIQUE"
    if field["type"] == "boolean":
        sql += f" CHECK ({name} IN (0, 1))"
    return sql


def create_table(table: Table) -> str:
    """CREATE TABLE with its primary and foreign keys."""
    parts = [_column(f) for f in table.fields]
    parts.append(f"PRIMARY KEY ({', '.join(table.primary_key)})")
    parts += [f"FOREIGN KEY ({field}) REFERENCES {target}({key})" for field, target, key in table.references]
    return f"CREATE TABLE {table.name} (\n  " + ",\n  ".join(parts) + "\n)"


def create_indexes(table: Table) -> list[str]:
    """One index per referencing column that does not lead the primary key (whose index serves it), made after
    the rows are in: one sort instead of an index update per row."""
    return [f"CREATE INDEX {table.name}_{field} ON {table.name}({field})" for field, _, _ in table.references
            if field != table.primary_key[0]]


def _value(field: dict[str, Any], cell: str) -> object:
    """A CSV cell as an SQL value: empty is NULL, numbers are numbers, ``true``/``false`` are 1/0."""
    if cell == "":
        return None
    if field["type"] == "integer":
        return int(cell)
    if field["type"] == "number":
        return float(cell)
    if field["type"] == "boolean":
        return int(cell == "true")
    return cell


def _rows(table: Table, source: Source) -> Iterator[list[object]]:
    _, rows = TABLES[f"{table.name}.csv"]
    for cells in rows(source):
        yield [_value(field, cell) for field, cell in zip(table.fields, cells, strict=True)]


def _in_dependency_order(schemas: tuple[Table, ...]) -> list[Table]:
    """Referenced tables before the tables that refer to them (the references have no cycles)."""
    done: list[Table] = []
    while len(done) < len(schemas):
        names = {t.name for t in done}
        done += [t for t in schemas if t not in done and all(r[1] in names for r in t.references)]
    return done


def build(connection: sqlite3.Connection, source: Source) -> None:
    """Create and fill every table, its indexes and the full-text index; then check every foreign key (once,
    for all rows, rather than row by row)."""
    connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")  # the caller syncs the finished file
    schemas = tables()
    with connection:
        for table in schemas:
            connection.execute(create_table(table))
        for table in _in_dependency_order(schemas):
            marks = ", ".join("?" * len(table.fields))
            connection.executemany(f"INSERT INTO {table.name} VALUES ({marks})", _rows(table, source))
        for table in schemas:
            for statement in create_indexes(table):
                connection.execute(statement)
        # An external-content index: the texts stay in projects, the index holds only the terms.
        connection.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(id UNINDEXED, title, description, "
                           "content='projects', content_rowid='rowid')")
        connection.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")
    if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise sqlite3.IntegrityError("a row refers to a project or municipality the database does not hold")


def write_database(path: Path, source: Source) -> None:
    """Fill the empty file at ``path`` with the database of a release (the caller creates and syncs it).

    An SQLite error (a full disk reads ``database or disk is full``) is raised as OSError, as any write error.
    """
    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error as err:
        raise OSError(errno.EIO, f"SQLite: {err}", str(path)) from None
    try:
        build(connection, source)
    except sqlite3.Error as err:
        raise OSError(errno.EIO, f"SQLite: {err}", str(path)) from None
    finally:
        connection.close()


def contents(connection: sqlite3.Connection) -> list[object]:
    """What a database holds, to compare two of them: its schema and the rows of every table in rowid order.

    The full-text index is compared by its rows; its shadow tables are a storage format of the SQLite version.
    """
    shadow = f"{FTS_TABLE}_%"
    schema = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE ? "
                                "ORDER BY type, name", (shadow,)).fetchall()
    found: list[object] = [schema]
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE ? "
                                      "ORDER BY name", (shadow,)).fetchall():
        found.append((name, connection.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()))
    return found


def same_database(path: Path, source: Source) -> bool:
    """Does the database file at ``path`` hold what ``write_database`` would write (schema and rows)?"""
    fresh = sqlite3.connect(":memory:")
    try:
        build(fresh, source)
        expected = contents(fresh)
    except sqlite3.Error as err:  # the same failure a run would meet (no FTS5, say): one line, as for a write
        raise OSError(errno.EIO, f"SQLite: {err}", str(path)) from None
    finally:
        fresh.close()
    # A copy in memory, where the full-text index can be checked against the projects' texts (its rows alone do
    # not show a damaged index, and the file itself is opened read-only, so the check cannot run there).
    copy = sqlite3.connect(":memory:")
    try:
        on_disk = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            on_disk.backup(copy)
        finally:
            on_disk.close()
        copy.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('integrity-check')")
        return contents(copy) == expected
    except sqlite3.Error:  # not a database, a damaged one, or one without our tables
        return False
    finally:
        copy.close()
