"""fields: partner splitting, contact splitting, language, lead; and lead inference across blocks."""
from __future__ import annotations

import pytest

from hankkeet import extract
from hankkeet.fields import detect_language, parse_contacts, place_diagnostics
from hankkeet.lines import split_partners
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


CONTACTS = [
    # text -> [(name, role, email, phone, written place, code, method)]
    ("Wilhelmiina Griep ja Niko Ferm, Espoo",
     [("Wilhelmiina Griep", None, None, None, "Espoo", "049", "exact"),
      ("Niko Ferm", None, None, None, "Espoo", "049", "exact")]),
    ("Juuso Mikkonen, Lappeenranta ja Pekka Penttinen, Joensuu",
     [("Juuso Mikkonen", None, None, None, "Lappeenranta", "405", "exact"),
      ("Pekka Penttinen", None, None, None, "Joensuu", "167", "exact")]),
    ("jatehuoltoviranomainen(a)mikkeli.fi",
     [(None, None, "jatehuoltoviranomainen@mikkeli.fi", None, None, "491", "email-domain")]),
    ("kirjaamo@jarvenpaa.fi", [(None, None, "kirjaamo@jarvenpaa.fi", None, None, "186", "email-domain")]),
    ("info@example.com", [(None, None, "info@example.com", None, None, None, None)]),
    ("Camilla Melen, Pargas stad", [("Camilla Melen", None, None, None, "Pargas stad", "445", "swedish")]),
    ("Jaana Koskela ja Leena Mantere, Lapin liitto",
     [("Jaana Koskela", None, None, None, "Lapin liitto", None, "organisation"),
      ("Leena Mantere", None, None, None, "Lapin liitto", None, "organisation")]),
    # Fields after the name, in any order: role, e-mail, phone, place.
    ("Matti Virtanen, projektipäällikkö, Espoo",
     [("Matti Virtanen", "projektipäällikkö", None, None, "Espoo", "049", "exact")]),
    ("Matti Virtanen, Espoo, Hallintojohtaja",
     [("Matti Virtanen", "Hallintojohtaja", None, None, "Espoo", "049", "exact")]),
    ("Anna Laine, Vaasa, utvecklingschef, anna.laine@vaasa.fi, +358 40 123 4567",
     [("Anna Laine", "utvecklingschef", "anna.laine@vaasa.fi", "+358 40 123 4567", "Vaasa", "905", "exact")]),
    ("Anna Laine, puh. 040-1234567, Vaasa",
     [("Anna Laine", None, None, "040-1234567", "Vaasa", "905", "exact")]),
    ("Anna Laine, 09 816 12345, sähköposti: anna.laine(at)hel.fi, Helsinki",
     [("Anna Laine", None, "anna.laine@hel.fi", "09 816 12345", "Helsinki", "091", "exact")]),
    # No place written: the e-mail domain names the municipality.
    ("Anna Laine, kehittämispäällikkö, anna.laine@kuopio.fi",
     [("Anna Laine", "kehittämispäällikkö", "anna.laine@kuopio.fi", None, None, "297", "email-domain")]),
    ("Liisa Aalto, Mänttä-Vilppula", [("Liisa Aalto", None, None, None, "Mänttä-Vilppula", "508", "exact")]),
    # A role before the name, or in brackets after it.
    ("Projektipäällikkö Matti Virtanen, Espoo",
     [("Matti Virtanen", "projektipäällikkö", None, None, "Espoo", "049", "exact")]),
    ("Matti Virtanen (tietohallintojohtaja), Espoo",
     [("Matti Virtanen", "tietohallintojohtaja", None, None, "Espoo", "049", "exact")]),
    # Two capitalised fields: the one that resolves is the place, the other the person's unit.
    ("Matti Virtanen, Tietohallinto, Espoo",
     [("Matti Virtanen", "Tietohallinto", None, None, "Espoo", "049", "exact")]),
    # Two municipalities among the fields: no one place can be told, so they stay together (and unmatched).
    ("Matti Virtanen, Espoo, Vantaa", [("Matti Virtanen", None, None, None, "Espoo, Vantaa", None, "none")]),
    ("Anna Aalto, Lapin liitto, Rovaniemi",
     [("Anna Aalto", "Lapin liitto", None, None, "Rovaniemi", "698", "exact")]),
    ("Anna Aalto, Kehittämisyksikkö, Lapin liitto",
     [("Anna Aalto", None, None, None, "Kehittämisyksikkö, Lapin liitto", None, "organisation")]),
    ("Anna Aalto, anna@edu.vaasa.fi", [("Anna Aalto", None, "anna@edu.vaasa.fi", None, None, "905", "email-domain")]),
    ("Matti Virtanen ja Anna Laine, anna.laine@espoo.fi ja Bo Berg, Vaasa",
     [("Matti Virtanen", None, None, None, None, None, None),
      ("Anna Laine", None, "anna.laine@espoo.fi", None, None, "049", "email-domain"),
      ("Bo Berg", None, None, None, "Vaasa", "905", "exact")]),
    ("Matti Virtanen ja Anna Laine, anna.laine@example.com",
     [("Matti Virtanen", None, None, None, None, None, None),
      ("Anna Laine", None, "anna.laine@example.com", None, None, None, None)]),
    # "A ja B, Place": A shares B's place, not B's e-mail domain.
    ("Matti Virtanen ja Anna Laine, anna.laine@espoo.fi",
     [("Matti Virtanen", None, None, None, None, None, None),
      ("Anna Laine", None, "anna.laine@espoo.fi", None, None, "049", "email-domain")]),
]


CONTACT_SECTIONS = {
    # The lines after a header -> [(name, email, phone, code)]: a lone e-mail or phone belongs to the person above.
    "e-mail-on-its-own-line": ("Tiia Tamlander, Mikkeli\ntiia.tamlander@mikkeli.fi\n",
                               [("Tiia Tamlander", "tiia.tamlander@mikkeli.fi", None, "491")]),
    "name-e-mail-phone": ("Anna Aalto\nanna.aalto@espoo.fi\npuh. 040 123 4567\n",
                          [("Anna Aalto", "anna.aalto@espoo.fi", "040 123 4567", "049")]),
    "e-mail-of-a-second-person": ("Anna Aalto, Espoo, anna@espoo.fi\nbo.berg@vaasa.fi\n",
                                  [("Anna Aalto", "anna@espoo.fi", None, "049"),
                                   (None, "bo.berg@vaasa.fi", None, "905")]),
    "e-mail-only": ("jatehuoltoviranomainen(a)mikkeli.fi\n",
                    [(None, "jatehuoltoviranomainen@mikkeli.fi", None, "491")]),
}


@pytest.mark.parametrize(("lines", "expected"), CONTACT_SECTIONS.values(), ids=CONTACT_SECTIONS.keys())
def test_a_contact_may_take_several_lines(lines: str, expected: list[tuple[str | None, ...]],
                                          gazetteer: Gazetteer) -> None:
    (project,) = extract(f"Eka\nKuvaus.\nLisätietoja\n{lines}", gazetteer).projects
    assert [(c.name, c.email, c.phone, c.place.code if c.place else None) for c in project.contacts] == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [("2. Data liikenteeseen (päättynyt)", ("Data liikenteeseen", True, None)),
     ("Data liikenteeseen (HANKE ON PÄÄTTYNYT)", ("Data liikenteeseen", True, None)),
     ("Data liikenteeseen – päättynyt 31.12.2022", ("Data liikenteeseen", True, "2022-12-31")),
     ("Data liikenteeseen (JoTo-projekti)", ("Data liikenteeseen (JoTo-projekti)", False, None)),
     ("Kestävä malli - Maankäytön prosessien kehittäminen", ("Kestävä malli - Maankäytön prosessien kehittäminen",
                                                            False, None))],
)
def test_an_ended_marker_written_into_the_title(title: str, expected: tuple[str, bool, str | None],
                                                 gazetteer: Gazetteer) -> None:
    (project,) = extract(f"{title}\nKuvaus.\nLisätietoja\nA B, Virrat\n", gazetteer).projects
    assert (project.title, project.ended, project.ended_on) == expected


@pytest.mark.parametrize(("text", "expected"), CONTACTS, ids=[c[0][:40] for c in CONTACTS])
def test_parse_contacts(text: str, expected: list[tuple[str | None, ...]], gazetteer: Gazetteer) -> None:
    contacts = parse_contacts(text, 7, gazetteer)
    got = [(c.name, c.role, c.email, c.phone, c.organisation, c.place.code if c.place else None,
            c.place.method if c.place else None) for c in contacts]
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


@pytest.mark.parametrize(("line", "title"), [
    ("Kuntien eVaka.", "Kuntien eVaka"), ("Kuntien eVaka .", "Kuntien eVaka"), ("1. Kuntien eVaka.", "Kuntien eVaka"),
    ("Kuntien eVaka...", "Kuntien eVaka..."), ("Kuntien eVaka", "Kuntien eVaka"),
])
def test_a_title_loses_its_full_stop(line: str, title: str, gazetteer: Gazetteer) -> None:
    (project,) = extract(f"{line}\nKuvaus jatkuu tässä.\nLisätietoja\nA B, Virrat\n", gazetteer).projects
    assert project.title == title


@pytest.mark.parametrize(("contacts", "lead"), [
    ("Anna Aalto, Nilsiä\n", "297"),  # a former municipality leads as the one it merged into
    ("Anna Aalto, projektipäällikkö, anna@example.com\nBo Berg, Vaasa\n", "905"),  # the first contact with a place
])
def test_lead_is_the_first_contact_place(contacts: str, lead: str, gazetteer: Gazetteer) -> None:
    (project,) = extract(f"Eka\nKuvaus.\nLisätietoja\n{contacts}", gazetteer).projects
    assert project.lead is not None and project.lead.code == lead
