"""hankkeet.sqlite: schema and keys, full-text search, byte determinism, --check, --no-sqlite, the README's SQL."""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LISTING, ROOT

import hankkeet.database
import hankkeet.tables
from hankkeet.cli import main
from hankkeet.database import write_database
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.tables import Source

README = (ROOT / "README.md").read_text(encoding="utf-8")
_SQL_SECTION = README[README.index("### SQL over the outputs"):]
_SQL_SECTION = _SQL_SECTION[:_SQL_SECTION.index("\n## ")]
DUCKDB_VIEWS, *SQL_BLOCKS = re.findall(r"^```sql\n(.*?)^```", _SQL_SECTION, flags=re.MULTILINE | re.DOTALL)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    code, err = run("extract", str(LISTING), "--out", str(out), "-q")
    assert code == 0, err
    return out


@pytest.fixture()
def db(seed_out: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect((seed_out / "hankkeet.sqlite").resolve().as_uri() + "?mode=ro", uri=True)
    yield connection
    connection.close()


def test_tables_keys_and_indexes(db: sqlite3.Connection) -> None:
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"projects", "partners", "contacts", "participants", "municipalities", "projects_fts"} <= tables
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    references = {(table, row[3], row[2], row[4]) for table in ("projects", "partners", "contacts", "participants")
                  for row in db.execute(f"PRAGMA foreign_key_list({table})")}
    assert references == {
        ("projects", "lead_code", "municipalities", "code"),
        ("partners", "project_id", "projects", "id"), ("partners", "code", "municipalities", "code"),
        ("contacts", "project_id", "projects", "id"),
        ("contacts", "municipality_code", "municipalities", "code"),
        ("participants", "project_id", "projects", "id"), ("participants", "code", "municipalities", "code")}
    indexed = {(table, column) for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
               for (index, *_) in [r[1:] for r in db.execute(f"PRAGMA index_list('{table}')")]
               for (_, _, column) in db.execute(f"PRAGMA index_info('{index}')")}
    assert {(table, column) for table, column, _, _ in references} <= indexed
    made = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    assert made == {"projects_lead_code", "partners_code", "contacts_municipality_code", "participants_code"}
    assert ("municipalities", "code") in indexed and ("projects", "id") in indexed  # the primary keys


def test_column_types_and_values(db: sqlite3.Connection) -> None:
    row = db.execute("SELECT typeof(lead_code), lead_code, typeof(ended), ended, typeof(number), ended_on "
                     "FROM projects WHERE id = 'espoo--kuntien-evaka'").fetchone()
    assert row == ("text", "049", "integer", 0, "integer", None)
    assert db.execute("SELECT code, name_fi, region_code FROM municipalities WHERE code = '091'").fetchone() == (
        "091", "Helsinki", "01")
    counts = {role: n for role, n in db.execute("SELECT role, COUNT(*) FROM participants WHERE role <> 'mentioned' "
                                                "GROUP BY role")}
    assert counts == {"lead": 141, "member": 3, "partner": 377}


def test_full_text_search(db: sqlite3.Connection) -> None:
    found = db.execute("SELECT id, title FROM projects_fts WHERE projects_fts MATCH 'eVaka' ORDER BY rank").fetchall()
    assert found == [("espoo--kuntien-evaka", "Kuntien eVaka")]
    kuussote = db.execute("SELECT id FROM projects_fts WHERE projects_fts MATCH 'automaattipuheluiden'").fetchall()
    assert kuussote == [("alavus--kunta-kuuluu-kaikille",)]


# The answers of the README's three queries on the seed (top 10, top 10, every region), checked by hand in
# participants.csv for Espoo (13: lead of 5, partner in 8) and the pair Espoo-Vantaa.
EXPECTED = [
    [("049", "Espoo", 13), ("853", "Turku", 12), ("564", "Oulu", 11), ("638", "Porvoo", 11), ("398", "Lahti", 10),
     ("837", "Tampere", 10), ("092", "Vantaa", 9), ("091", "Helsinki", 8), ("109", "Hämeenlinna", 8),
     ("186", "Järvenpää", 7)],
    [("049", "Espoo", "092", "Vantaa", 6), ("091", "Helsinki", "853", "Turku", 6),
     ("049", "Espoo", "091", "Helsinki", 5), ("049", "Espoo", "564", "Oulu", 5), ("049", "Espoo", "853", "Turku", 5),
     ("092", "Vantaa", "837", "Tampere", 5), ("398", "Lahti", "837", "Tampere", 5),
     ("564", "Oulu", "837", "Tampere", 5), ("564", "Oulu", "853", "Turku", 5), ("837", "Tampere", "853", "Turku", 5)],
    [("Uusimaa", 28, 15, 53.6), ("Pohjois-Pohjanmaa", 17, 8, 47.1), ("Pirkanmaa", 14, 8, 57.1),
     ("Varsinais-Suomi", 11, 7, 63.6), ("Kanta-Häme", 9, 3, 33.3), ("Keski-Suomi", 8, 5, 62.5),
     ("Etelä-Pohjanmaa", 7, 3, 42.9), ("Pohjois-Savo", 7, 3, 42.9), ("Päijät-Häme", 7, 2, 28.6),
     ("Satakunta", 7, 3, 42.9), ("Pohjanmaa", 6, 3, 50.0), ("(none)", 5, 2, 40.0), ("Lappi", 4, 2, 50.0),
     ("Pohjois-Karjala", 4, 2, 50.0), ("Etelä-Karjala", 2, 1, 50.0), ("Etelä-Savo", 2, 2, 100.0),
     ("Kainuu", 2, 1, 50.0), ("Kymenlaakso", 2, 0, 0.0)],
]


@pytest.mark.parametrize(("index", "expected"), list(enumerate(EXPECTED)))
def test_the_readme_queries(db: sqlite3.Connection, index: int, expected: list[tuple[object, ...]]) -> None:
    assert len(SQL_BLOCKS) == len(EXPECTED)
    assert db.execute(SQL_BLOCKS[index]).fetchall() == expected


@pytest.mark.parametrize(("index", "expected"), list(enumerate(EXPECTED)))
def test_the_readme_queries_in_duckdb_over_the_csvs(seed_out: Path, index: int,
                                                     expected: list[tuple[object, ...]],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's DuckDB views over the CSVs (codes as text), then the same query: the same answer."""
    import duckdb

    assert DUCKDB_VIEWS.startswith("-- DuckDB\n")
    monkeypatch.chdir(seed_out)
    connection = duckdb.connect()
    try:
        connection.execute(DUCKDB_VIEWS)
        assert connection.execute(SQL_BLOCKS[index]).fetchall() == expected
    finally:
        connection.close()


def test_espoo_count_by_hand(db: sqlite3.Connection) -> None:
    roles = db.execute("SELECT role, COUNT(*) FROM participants WHERE code = '049' GROUP BY role").fetchall()
    assert roles == [("lead", 5), ("partner", 8)]
    assert db.execute("SELECT COUNT(*) FROM projects WHERE lead_code = '049'").fetchone() == (5,)
    assert db.execute("SELECT COUNT(DISTINCT project_id) FROM partners WHERE code = '049'").fetchone() == (8,)


def test_two_writes_are_byte_identical(tmp_path: Path, release: Release, gazetteer: Gazetteer) -> None:
    paths = [tmp_path / "a.sqlite", tmp_path / "b.sqlite"]
    for path in paths:
        path.touch()
        write_database(path, Source(release, gazetteer.municipalities))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite", "b.sqlite"]  # no journal left
    connection = sqlite3.connect(paths[0])
    try:
        assert [connection.execute(f"PRAGMA {name}").fetchone()[0] for name in (
            "page_size", "journal_mode", "freelist_count")] == [4096, "delete", 0]
    finally:
        connection.close()


def test_check_compares_the_database(seed_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(LISTING), "--out", str(out), "-q")[0] == 0
    assert run("extract", str(LISTING), "--out", str(out), "--check") == (0, "up to date\n")
    database = out / "hankkeet.sqlite"
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("UPDATE projects SET title = 'x' WHERE id = 'espoo--kuntien-evaka'")
    connection.close()
    code, err = run("extract", str(LISTING), "--out", str(out), "--check")
    assert (code, err.splitlines()[0]) == (1, f"differs: {database.as_posix()}"), err
    code, err = run("extract", str(LISTING), "--out", str(out), "--check", "--no-sqlite")
    assert (code, err.splitlines()[0]) == (1, f"not current (a fresh run removes it): {database.as_posix()}")
    database.write_bytes(b"not a database")
    assert run("extract", str(LISTING), "--out", str(out), "--check")[0] == 1
    database.write_bytes((seed_out / "hankkeet.sqlite").read_bytes())
    assert run("extract", str(LISTING), "--out", str(out), "--check")[0] == 0


def test_no_sqlite_writes_none_and_leaves_an_old_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(LISTING), "--out", str(out), "-q", "--no-sqlite")[0] == 0
    assert not (out / "hankkeet.sqlite").exists() and (out / "participants.csv").is_file()
    (out / "hankkeet.sqlite").write_bytes(b"an older database")
    assert run("extract", str(LISTING), "--out", str(out), "-q", "--no-sqlite")[0] == 0
    assert (out / "hankkeet.sqlite").read_bytes() == b"an older database"


def test_an_sqlite_error_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run("extract", str(LISTING), "--out", str(out), "-q", "--no-sqlite")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(hankkeet.database, "FTS_TABLE", "not a name")
    code, err = run("extract", str(LISTING), "--out", str(out), "-q")
    assert code == 2 and err.startswith(f"Error: cannot write to {out}: SQLite: "), err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_row_that_refers_to_nothing_is_refused(tmp_path: Path, release: Release, gazetteer: Gazetteer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The foreign keys are checked once after the rows are in: a municipality missing from its table fails."""
    monkeypatch.setattr(hankkeet.tables, "used_codes", lambda release: ["091"])
    path = tmp_path / "h.sqlite"
    path.touch()
    with pytest.raises(OSError, match="refers to a project or municipality"):
        write_database(path, Source(release, gazetteer.municipalities))


def test_check_finds_a_damaged_full_text_index(seed_out: Path, tmp_path: Path) -> None:
    """The index's rows look the same; only FTS5's own integrity check (on a copy in memory) shows the damage."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(seed_out, out)
    with sqlite3.connect(out / "hankkeet.sqlite") as connection:
        connection.execute("DELETE FROM projects_fts_data WHERE id > 10")
    connection.close()
    code, err = run("extract", str(LISTING), "--out", str(out), "--check")
    assert code == 1 and f"differs: {out.as_posix()}/hankkeet.sqlite" in err.splitlines(), err
