"""write: the YAML contract (quoted codes, unicode, no wrapping) and RFC 4180 CSV tables joined by id."""
from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hankkeet import extract, yamlfast
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.output import _Code, _PyDumper, dataset_record, release_record, to_yaml
from hankkeet.tables import CONTACT_COLUMNS, PARTNER_COLUMNS, PROJECT_COLUMNS, to_csv

SMALL = (
    "1. Kaupunki taskussa\nHANKE ON PÄÄTTYNYT.\nEnsimmäinen kappale.\nToinen kappale.\n"
    "Muut kunnat: Helsinki ja Pargas stad\nLisätietoja\nJouni Jäkkö, Hämeenlinna\n"
)


def test_yaml_follows_the_contract(gazetteer: Gazetteer) -> None:
    text = to_yaml(extract(SMALL, gazetteer, file="x.txt"))
    data = yaml.safe_load(text)
    assert list(data) == ["generator", "source", "projects", "warnings", "unassigned_lines"]
    (project,) = data["projects"]
    assert list(project) == ["id", "number", "title", "ended", "ended_on", "language", "lead", "partners",
                             "contacts", "mentions", "description", "source", "warnings"]
    assert project["ended_on"] is None
    assert project["id"] == "hameenlinna--kaupunki-taskussa"
    assert project["lead"] == {"name": "Hämeenlinna", "code": "109", "region": "Kanta-Häme",
                               "organisation": None, "found_by": "contact"}
    assert [(p["raw"], p["code"], p["method"], p["line"]) for p in project["partners"]] == [
        ("Helsinki", "091", "exact", 5), ("Pargas stad", "445", "swedish", 5)]
    assert project["contacts"][0]["municipality"]["code"] == "109"
    assert list(project["contacts"][0]) == ["name", "role", "email", "phone", "organisation", "municipality", "line"]
    assert project["description"] == "Ensimmäinen kappale.\nToinen kappale."
    assert project["source"] == {"file": "x.txt", "line_start": 1, "line_end": 7}


MENTIONED = ("1. Kaupunki taskussa\nHämeenlinnan ja Salon kaupungit toteuttivat sovelluksen.\n"
             "Lisätietoja\nJouni Jäkkö, Hämeenlinna\n")


def test_mentions_in_yaml_and_dataset(gazetteer: Gazetteer) -> None:
    release = extract(MENTIONED, gazetteer)
    (project,) = yaml.safe_load(to_yaml(release))["projects"]
    assert project["mentions"] == [{"raw": "Salon", "name": "Salo", "code": "734", "method": "inflected", "line": 2}]
    assert 'code: "734"' in to_yaml(release)
    assert dataset_record(release.projects[0])["mentions"] == [
        {"raw": "Salon", "name": "Salo", "code": "734", "method": "inflected"}]


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


def _pyyaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_PyDumper, allow_unicode=True, sort_keys=False, width=2**31 - 1,
                     default_flow_style=False)


def test_fast_writer_matches_pyyaml_on_the_seed(release: Release) -> None:
    record = release_record(release)
    assert yamlfast.dump(record, _Code) == _pyyaml(record)
    for project in release.projects:
        assert yamlfast.dump(dataset_record(project), _Code) == _pyyaml(dataset_record(project))


_TOKENS = ["null", "true", "---", "...", "no", "0x1", "1e3", "2021-03-18", " #", ": ", "- "]
tricky_text = st.one_of(
    st.text(st.sampled_from([*"a\u00e4 \u00f6:#-'\"?,[]{}|>&*!%@`\n\t\x85\u2028~=.0123456789eE+yYnN", "\ufeff"]),
            max_size=12),
    st.lists(st.sampled_from(_TOKENS + ["a", "b", "\n", " "]), max_size=5).map("".join),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), tricky_text,
                    st.floats(allow_nan=True, allow_infinity=True), st.builds(_Code, st.text("0123456789", min_size=3,
                                                                                             max_size=3)))
keys = st.sampled_from(["id", "name", "code", "description", "title", "a_b"])
records = st.recursive(
    st.dictionaries(keys, scalars, min_size=1, max_size=4),
    lambda children: st.dictionaries(keys, st.one_of(scalars, children, st.lists(st.one_of(children, scalars),
                                                                                  max_size=3)), min_size=1, max_size=4),
    max_leaves=12,
)


@settings(max_examples=1500, deadline=None)
@given(records)
def test_fast_writer_is_pyyaml_or_declines(data: dict[str, Any]) -> None:
    fast = yamlfast.dump(data, _Code)
    if fast is not None:
        assert fast == _pyyaml(data)


def test_libyaml_emitter_writes_the_same_bytes_as_the_python_one(release: Release) -> None:
    from hankkeet.output import _DUMPERS

    if len(_DUMPERS) == 1:
        pytest.skip("PyYAML was built without libyaml here")
    record = release_record(release)
    c_text = yaml.dump(record, Dumper=_DUMPERS[0], allow_unicode=True, sort_keys=False, width=2**31 - 1,
                       default_flow_style=False)
    assert c_text == _pyyaml(record)


def test_new_fields_reach_yaml_and_csv(gazetteer: Gazetteer) -> None:
    text = ("Uusi hanke\nHanke päättyi 31.12.2022.\nKuvaus.\nLisätietoja\n"
            "Anna Laine, projektipäällikkö, anna.laine@vaasa.fi, 040 123 4567, Vaasa\n")
    release = extract(text, gazetteer, file="x.txt")
    (project,) = yaml.safe_load(to_yaml(release))["projects"]
    assert (project["ended"], project["ended_on"]) == (True, "2022-12-31")
    contact = project["contacts"][0]
    assert (contact["role"], contact["email"], contact["phone"], contact["municipality"]["code"]) == (
        "projektipäällikkö", "anna.laine@vaasa.fi", "040 123 4567", "905")
    tables = to_csv(release)
    assert _rows(tables["projects.csv"])[0]["ended_on"] == "2022-12-31"
    row = _rows(tables["contacts.csv"])[0]
    assert [row[c] for c in ("role", "email", "phone")] == [
        "projektipäällikkö", "anna.laine@vaasa.fi", "040 123 4567"]
