"""participants.csv: each role read from the listing (examples checked against its lines), one row per participant."""
from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from hankkeet import extract
from hankkeet.model import Mention, Release
from hankkeet.municipalities import Gazetteer
from hankkeet.participants import ROLES, participants, project_participants
from hankkeet.tables import MUNICIPALITY_COLUMNS, PARTICIPANT_COLUMNS, to_csv

KUUSSOTE = "Kuusiokuntien sosiaali- ja terveyskuntayhtymä, KuusSote"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _of(release: Release, gazetteer: Gazetteer, project_id: str) -> list[tuple[object, ...]]:
    (project,) = [p for p in release.projects if p.id == project_id]
    return [(p.role, p.code, p.raw, p.line, p.method) for p in project_participants(project, gazetteer.municipalities)]


# Each case: a project of the listing and its participants (role, code, raw, line, method), read off its lines.
LISTING_CASES = [
    pytest.param(  # line 3 "Muut kunnat: Kuusiokuntien … KuusSote (Kuntayhtymän kuntia: Alavus, Kuortane, Soini,
        # Ähtäri)", line 5 "Tuomas Rantala, Alavus": Alavus leads and is also a member; the others are members
        "alavus--kunta-kuuluu-kaikille",
        [("lead", "010", "Alavus", 5, "exact"), ("partner", None, KUUSSOTE, 3, "organisation"),
         ("member", "300", "Kuortane", 3, "exact"), ("member", "759", "Soini", 3, "exact"),
         ("member", "989", "Ähtäri", 3, "exact")],
        id="members-of-a-joint-authority"),
    pytest.param(  # line 21 "Muut kunnat: Tampere", line 23 "Meri Vainio, Espoo"
        "espoo--kuntien-evaka", [("lead", "049", "Espoo", 23, "exact"), ("partner", "837", "Tampere", 21, "exact")],
        id="lead-and-partner"),
    pytest.param(  # line 1039 lists Tampere among the partners; line 1041 "Hanna Karojärvi, Tampere": one lead row
        "tampere--kaupunkiseudun-digitaalinen-kansalaispaneeli",
        [("lead", "837", "Tampere", 1041, "exact")]
        + [("partner", code, name, 1039, "exact") for code, name in (
            ("211", "Kangasala"), ("418", "Lempäälä"), ("536", "Nokia"), ("562", "Orivesi"), ("604", "Pirkkala"),
            ("922", "Vesilahti"), ("980", "Ylöjärvi"))],
        id="a-lead-listed-as-partner-is-a-lead"),
    pytest.param(  # "3. Lämpiö-hanke" (line 87) has only www.lampio.fi as contact: Helsinki by its numbering run
        "helsinki--lampio-hanke",
        [("lead", "091", "Helsinki", None, "numbering")]
        + [("partner", code, name, 90, "exact") for code, name in (
            ("853", "Turku"), ("837", "Tampere"), ("179", "Jyväskylä"), ("564", "Oulu"))],
        id="lead-from-numbering"),
]


@pytest.mark.parametrize(("project_id", "expected"), LISTING_CASES)
def test_roles_on_the_listing(release: Release, gazetteer: Gazetteer, project_id: str,
                              expected: list[tuple[object, ...]]) -> None:
    assert _of(release, gazetteer, project_id) == expected


def test_an_organisation_lead_keeps_its_text_and_absorbs_the_same_partner(release: Release,
                                                                         gazetteer: Gazetteer) -> None:
    # line 512 "Mukana Inarin kunta, … Kittilän kunta, Lapin liitto"; line 514 "… ja Leena Mantere, Lapin liitto"
    rows = _of(release, gazetteer, "lapin-liitto--etaisyytta-exceliin-yhteistyolla")
    assert rows[:3] == [("lead", None, "Lapin liitto", 514, "organisation"),
                        ("partner", "148", "Inarin kunta", 512, "inflected"),
                        ("partner", "742", "Savukosken kunta", 512, "inflected")]
    assert len(rows) == 13  # the lead and twelve municipalities: the partner "Lapin liitto" is the lead
    assert [r[0] for r in rows[1:]] == ["partner"] * 12


def test_a_contact_at_a_third_municipality_is_a_contact(gazetteer: Gazetteer) -> None:
    text = "Yhteinen hanke\nKuvaus.\nMuut kunnat: Helsinki\nLisätietoja\nAnna Laine, Espoo\nBertta Berg, Vantaa\n" \
           "Cecilia Ek, Helsinki\n"
    (project,) = extract(text, gazetteer, file="x.txt").projects
    assert [(p.role, p.code, p.line) for p in project_participants(project, gazetteer.municipalities)] == [
        ("lead", "049", 5), ("partner", "091", 3), ("contact", "092", 6)]


def test_a_contact_beats_a_mention(gazetteer: Gazetteer) -> None:
    text = ("Yhteinen hanke\nKehitystyö tehtiin Vantaalla ja Tampereella.\nMuut kunnat: Helsinki\nLisätietoja\n"
            "Anna Laine, Espoo\nBertta Berg, Vantaa\n")
    (project,) = extract(text, gazetteer, file="x.txt").projects
    assert [(p.role, p.code, p.line) for p in project_participants(project, gazetteer.municipalities)] == [
        ("lead", "049", 5), ("partner", "091", 3), ("contact", "092", 6), ("mentioned", "837", 2)]


def test_an_organisation_written_twice_is_one_participant(gazetteer: Gazetteer) -> None:
    """The lead's organisation with a full stop and other case, and the same partner: one row, the lead."""
    text = "Yhteinen hanke\nKuvaus.\nMuut kunnat: Lapin liitto, Kemi\nLisätietoja\nMatti Mäki, Lapin Liitto.\n"
    (project,) = extract(text, gazetteer, file="x.txt").projects
    rows = [(p.role, p.code, p.raw) for p in project_participants(project, gazetteer.municipalities)]
    assert rows == [("lead", None, "Lapin Liitto."), ("partner", "240", "Kemi")]


def test_an_alias_in_brackets_is_no_member(gazetteer: Gazetteer) -> None:
    text = ("Yhteinen hanke\nKuvaus.\nMuut kunnat: Keski-Uudenmaan sote-kuntayhtymä (Keusote), Kerava\n"
            "Lisätietoja\nAnna Laine, Espoo\n")
    (project,) = extract(text, gazetteer, file="x.txt").projects
    roles = [(p.role, p.code, p.raw, p.member_of) for p in project_participants(project, gazetteer.municipalities)]
    assert roles == [("lead", "049", "Espoo", None),
                     ("partner", None, "Keski-Uudenmaan sote-kuntayhtymä", None),
                     ("partner", None, "Keusote", None), ("partner", "245", "Kerava", None)]


def test_a_mention_is_the_weakest_role(gazetteer: Gazetteer) -> None:
    text = "Yhteinen hanke\nKuvaus, jossa Tampere ja Vantaa.\nMuut kunnat: Helsinki\nLisätietoja\nAnna Laine, Espoo\n"
    (project,) = extract(text, gazetteer, file="x.txt").projects
    mentions = tuple(Mention(gazetteer.resolve(name), 2) for name in ("Tampere", "Vantaa", "Helsinki", "Espoo"))
    project = replace(project, mentions=mentions)  # Project.mentions is filled by another stage (issue 11)
    assert [(p.role, p.code) for p in project_participants(project, gazetteer.municipalities)] == [
        ("lead", "049"), ("partner", "091"), ("mentioned", "837"), ("mentioned", "092")]


def test_one_row_per_project_and_participant(release: Release, gazetteer: Gazetteer) -> None:
    rows = participants(release, gazetteer.municipalities)
    keys = [(p.project_id, p.code or (p.raw or "").casefold()) for p in rows]
    assert len(keys) == len(set(keys))
    assert {p.role for p in rows} <= set(ROLES)
    assert all(p.raw for p in rows if p.code is None)  # an organisation or unmatched place keeps its text
    # Derived another way: a lead for each project with one (one has none: "lead-unknown"), a partner row for
    # each distinct partner entry outside brackets that is not the lead, the three KuusSote members (lines 1-5),
    # no contact elsewhere (every contact's place is the lead or a partner), and every mention.
    leads = [p for p in release.projects if p.lead is not None and (p.lead.code or p.lead.organisation)]
    assert len(release.projects) - len(leads) == 1
    lead_ids = {p.id: {p.lead.code} if p.lead is not None and p.lead.code else set() for p in release.projects}
    partner_keys = {(p.id, x.place.code or x.place.raw.casefold()) for p in release.projects for x in p.partners
                    if x.member_of is None and x.place.code not in lead_ids[p.id]}
    lead_organisations = {(p.id, p.lead.organisation.casefold()) for p in leads if p.lead and p.lead.organisation}
    counts = {role: sum(p.role == role for p in rows) for role in ROLES}
    assert counts == {"lead": len(leads), "partner": len(partner_keys - lead_organisations), "member": 3,
                      "contact": 0, "mentioned": sum(len(p.mentions) for p in release.projects)}
    by_project = {p.id: [r for r in rows if r.project_id == p.id] for p in release.projects}
    for project in release.projects:  # strongest role first
        order = [ROLES.index(r.role) for r in by_project[project.id]]
        assert order == sorted(order), project.id


def test_participants_and_municipalities_csv(release: Release, gazetteer: Gazetteer) -> None:
    tables = to_csv(release, reference=gazetteer.municipalities)
    rows = _rows(tables["participants.csv"])
    assert tuple(rows[0]) == PARTICIPANT_COLUMNS
    assert rows[2] == {"project_id": "alavus--kunta-kuuluu-kaikille", "position": "3", "role": "member",
                       "code": "300", "name": "Kuortane", "name_sv": "Kuortane", "region": "Etelä-Pohjanmaa",
                       "kind": "municipality", "method": "exact", "raw": "Kuortane", "line": "3",
                       "member_of": KUUSSOTE}
    municipalities = _rows(tables["municipalities.csv"])
    assert tuple(municipalities[0]) == MUNICIPALITY_COLUMNS
    assert municipalities[0] == {"code": "009", "name_fi": "Alavieska", "name_sv": "Alavieska", "region_code": "17",
                                 "region_name": "Pohjois-Pohjanmaa"}  # Alajärvi (005) is not in the listing
    used = {r["code"] for r in rows if r["code"]} | {r["lead_code"] for r in _rows(tables["projects.csv"])} \
        | {r["code"] for r in _rows(tables["partners.csv"])} \
        | {r["municipality_code"] for r in _rows(tables["contacts.csv"])}
    assert [m["code"] for m in municipalities] == sorted(used - {""})


def test_a_wellbeing_county_in_either_language_is_one_participant(gazetteer: Gazetteer) -> None:
    """The lead's county written in Finnish and the same county among the partners in Swedish: one row."""
    text = ("Yhteinen hanke\nKuvaus.\nMuut kunnat: Västra Nylands välfärdsområde, Lohja\nLisätietoja\n"
            "Anna Laine, Länsi-Uudenmaan hyvinvointialue\n")
    (project,) = extract(text, gazetteer, file="x.txt").projects
    rows = [(p.role, p.kind, p.name, p.code) for p in project_participants(project, gazetteer.municipalities)]
    assert rows[0][0] == "lead" and ("partner", "municipality", "Lohja", "444") in rows
    assert [r for r in rows if r[1] == "wellbeing-county"] == [rows[0]]
