"""fields: partner splitting, contact splitting, language, lead; and lead inference across blocks."""
from __future__ import annotations

import pytest

from hankkeet import extract
from hankkeet.fields import detect_language, parse_contacts, place_diagnostics, split_partners
from hankkeet.municipalities import Gazetteer


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("Lahti, Porvoo, Oulu, Tampere, Turku ja Vantaa", ["Lahti", "Porvoo", "Oulu", "Tampere", "Turku", "Vantaa"]),
        ("Keitele ja Vieremä sekä Savon ICT-palvelut Oy", ["Keitele", "Vieremä", "Savon ICT-palvelut Oy"]),
        ("Vörå kommun, Larsmo kommun och Staden Jakobstad samt Korsnäs kommun",
         ["Vörå kommun", "Larsmo kommun", "Staden Jakobstad", "Korsnäs kommun"]),
        ("Kuusiokuntien sosiaali- ja terveyskuntayhtymä, KuusSote (Kuntayhtymän kuntia: Alavus, Kuortane, Soini)",
         ["Kuusiokuntien sosiaali- ja terveyskuntayhtymä", "KuusSote", "Alavus", "Kuortane", "Soini"]),
        ("Pyhäjoki, Kivijärvi, Ylivieska, Oulainen, Siikajoki.", ["Pyhäjoki", "Kivijärvi", "Ylivieska", "Oulainen",
                                                                  "Siikajoki"]),
        ("Forssa", ["Forssa"]),
    ],
)
def test_split_partners(text: str, entries: list[str]) -> None:
    assert split_partners(text) == entries


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wilhelmiina Griep ja Niko Ferm, Espoo",
         [("Wilhelmiina Griep", None, "Espoo", "049"), ("Niko Ferm", None, "Espoo", "049")]),
        ("Juuso Mikkonen, Lappeenranta ja Pekka Penttinen, Joensuu",
         [("Juuso Mikkonen", None, "Lappeenranta", "405"), ("Pekka Penttinen", None, "Joensuu", "167")]),
        ("jatehuoltoviranomainen(a)mikkeli.fi", [(None, "jatehuoltoviranomainen@mikkeli.fi", None, None)]),
        ("Camilla Melen, Pargas stad", [("Camilla Melen", None, "Pargas stad", "445")]),
        ("Jaana Koskela ja Leena Mantere, Lapin liitto",
         [("Jaana Koskela", None, "Lapin liitto", None), ("Leena Mantere", None, "Lapin liitto", None)]),
    ],
)
def test_parse_contacts(text: str, expected: list[tuple[str | None, str | None, str | None, str | None]],
                        gazetteer: Gazetteer) -> None:
    contacts = parse_contacts(text, 7, gazetteer)
    got = [(c.name, c.email, c.organisation, c.place.code if c.place else None) for c in contacts]
    assert got == expected
    assert all(c.line == 7 for c in contacts)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hankkeen tavoitteena on kehittää kuntien palveluja ja tietoa.", "fi"),
        ("Projektet kommer att bidra till en jämnare och högre kompetensnivå hos anställda.", "sv"),
        ("", "fi"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_abbreviation_after_an_organisation_is_its_alias(gazetteer: Gazetteer) -> None:
    text = ("Kunta kuuluu kaikille\nKuvaus.\nMuut kunnat: Kuusiokuntien sosiaali- ja terveyskuntayhtymä, KuusSote "
            "(Kuntayhtymän kuntia: Alavus, Ähtäri)\nLisätietoja\nTuomas Rantala, Alavus\n")
    (project,) = extract(text, gazetteer).projects
    assert [(p.place.raw, p.place.kind, p.place.code) for p in project.partners] == [
        ("Kuusiokuntien sosiaali- ja terveyskuntayhtymä, KuusSote", "organisation", None),
        ("Alavus", "municipality", "010"),
        ("Ähtäri", "municipality", "989"),
    ]


def test_lead_from_numbering_run(gazetteer: Gazetteer) -> None:
    text = ("1. Eka\nKuvaus.\nLisätietoja\nJarkko S, Helsinki\n2. Toka\nKuvaus.\nLisätietoja\nwww.toka.fi\n"
            "Kolmas\nKuvaus.\nLisätietoja\nT R, Hollola\n")
    first, second, third = extract(text, gazetteer).projects
    assert second.lead is not None and (second.lead.name, second.lead.code, second.lead.source) == (
        "Helsinki", "091", "numbering")
    assert [d.code for d in second.diagnostics] == ["no-contact", "lead-inferred"]


def test_lead_from_a_mention_that_fits_the_alphabetical_order(gazetteer: Gazetteer) -> None:
    text = ("Eka\nKuvaus.\nLisätietoja\nHeli P, Kankaanpää\nDigiloikka Karkkilassa\nHANKE ON PÄÄTTYNYT.\n"
            "Karkkilan kaupungin ohjelma.\nLisätietoja hankkeesta täältä.\nKolmas\nKuvaus.\nLisätietoja\n"
            "M N, Kauhajoki\n")
    lead = extract(text, gazetteer).projects[1].lead
    assert lead is not None and (lead.name, lead.code, lead.source) == ("Karkkila", "224", "mention")


def test_a_mention_outside_the_alphabetical_window_is_not_a_lead(gazetteer: Gazetteer) -> None:
    text = ("Eka\nKuvaus.\nLisätietoja\nHeli P, Kankaanpää\nHanke Turussa\nHANKE ON PÄÄTTYNYT.\n"
            "Turun kaupungin ohjelma.\nLisätietoja hankkeesta täältä.\nKolmas\nKuvaus.\nLisätietoja\n"
            "M N, Kauhajoki\n")
    project = extract(text, gazetteer).projects[1]
    assert project.lead is None
    assert "lead-unknown" in [d.code for d in project.diagnostics]


def test_organisation_lead_has_no_code(gazetteer: Gazetteer) -> None:
    text = "Hanke\nKuvaus.\nLisätietoja\nSeppo Tiainen, Pohjois-Karjalan maakuntaliitto\n"
    (project,) = extract(text, gazetteer).projects
    assert project.lead is not None
    assert (project.lead.code, project.lead.organisation) == (None, "Pohjois-Karjalan maakuntaliitto")
    assert "lead-organisation" in [d.code for d in project.diagnostics]


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Lapinahti", "fuzzy-place"), ("Hyrensalmi", "ambiguous-place"), ("Längelmäki", "ambiguous-place"),
     ("Pirkanmaa", "unmatched-place"), ("Lahti", None), ("Lapin liitto", None)],
)
def test_place_warnings(raw: str, code: str | None, gazetteer: Gazetteer) -> None:
    diagnostics = place_diagnostics(gazetteer.resolve(raw), 3, "partner")
    assert [d.code for d in diagnostics] == ([code] if code else [])
    assert all(d.line == 3 for d in diagnostics)
