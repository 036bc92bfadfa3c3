"""write: the YAML contract (quoted codes, unicode, no wrapping) and RFC 4180 CSV tables joined by id."""
from __future__ import annotations

import csv
import io

import yaml

from hankkeet import extract
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.output import CONTACT_COLUMNS, PARTNER_COLUMNS, PROJECT_COLUMNS, to_csv, to_yaml

SMALL = (
    "1. Kaupunki taskussa\nHANKE ON PÄÄTTYNYT.\nEnsimmäinen kappale.\nToinen kappale.\n"
    "Muut kunnat: Helsinki ja Pargas stad\nLisätietoja\nJouni Jäkkö, Hämeenlinna\n"
)


def test_yaml_follows_the_contract(gazetteer: Gazetteer) -> None:
    text = to_yaml(extract(SMALL, gazetteer, file="x.txt"))
    data = yaml.safe_load(text)
    assert list(data) == ["generator", "source", "projects", "warnings", "unassigned_lines"]
    (project,) = data["projects"]
    assert list(project) == ["id", "number", "title", "ended", "language", "lead", "partners", "contacts",
                             "description", "source", "warnings"]
    assert project["id"] == "hameenlinna--kaupunki-taskussa"
    assert project["lead"] == {"name": "Hämeenlinna", "code": "109", "region": "Kanta-Häme",
                               "organisation": None, "found_by": "contact"}
    assert [(p["raw"], p["code"], p["method"], p["line"]) for p in project["partners"]] == [
        ("Helsinki", "091", "exact", 5), ("Pargas stad", "445", "swedish", 5)]
    assert project["contacts"][0]["municipality"]["code"] == "109"
    assert project["description"] == "Ensimmäinen kappale.\nToinen kappale."
    assert project["source"] == {"file": "x.txt", "line_start": 1, "line_end": 7}


def test_codes_are_double_quoted_so_yaml_12_readers_keep_the_zero(gazetteer: Gazetteer) -> None:
    text = to_yaml(extract(SMALL, gazetteer))
    assert 'code: "091"' in text.splitlines()[text.splitlines().index("  - raw: Helsinki") + 3]
    assert "code: 091" not in text


def test_yaml_keeps_unicode_and_does_not_wrap(gazetteer: Gazetteer) -> None:
    long_title = "Hämeenlinnan " + " ".join(["kulttuuriympäristötiedon"] * 12)
    text = to_yaml(extract(f"{long_title}\nKuvaus.\n", gazetteer))
    assert f"  title: {long_title}" in text.splitlines()
    assert "\\xE4" not in text and "\\u00e4" not in text


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_tables_join_by_id(release: Release) -> None:
    tables = to_csv(release)
    projects = _rows(tables["projects.csv"])
    partners = _rows(tables["partners.csv"])
    contacts = _rows(tables["contacts.csv"])
    assert tuple(projects[0]) == PROJECT_COLUMNS
    assert tuple(partners[0]) == PARTNER_COLUMNS
    assert tuple(contacts[0]) == CONTACT_COLUMNS
    ids = [p["id"] for p in projects]
    assert len(ids) == len(set(ids)) == len(release.projects)
    assert {p["project_id"] for p in partners} <= set(ids)
    assert {c["project_id"] for c in contacts} <= set(ids)
    assert len(partners) == sum(len(p.partners) for p in release.projects)
    assert len(contacts) == sum(len(p.contacts) for p in release.projects)
    for row in projects:
        assert int(row["partners"]) == sum(p["project_id"] == row["id"] for p in partners)


def test_csv_is_rfc4180(release: Release) -> None:
    text = to_csv(release)["projects.csv"]
    assert text.startswith("id,number,title,")
    assert text.endswith("\r\n")
    # multi-line descriptions are quoted fields, so every record still parses to the same width
    assert all(len(row) == len(PROJECT_COLUMNS) for row in csv.reader(io.StringIO(text, newline="")))


def test_libyaml_and_pure_python_dumpers_write_the_same_bytes(release: Release) -> None:
    assert to_yaml(release) == to_yaml(release, pure=True)
