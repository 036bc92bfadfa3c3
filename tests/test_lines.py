"""tokenize: every line kind in Finnish and Swedish, classified on its own; every alternative a rule accepts."""
from __future__ import annotations

import pytest

from hankkeet.lines import (
    MAX_MARKER_WORDS,
    classify_text,
    is_ended_marker,
    looks_like_title,
    read_date,
    split_partners,
)
from hankkeet.model import Kind
from hankkeet.municipalities import Gazetteer
from hankkeet.people import read_field, split_people

GAZETTEER = Gazetteer.load()

CASES = [
    # Ended markers: present perfect and past tense, with or without a subject, a date, or a full stop.
    ("HANKE ON PÄÄTTYNYT.", Kind.ENDED, None, ""),
    ("HANKE ON PÄÄTTYNYT", Kind.ENDED, None, ""),
    ("HANKE PÄÄTTYNYT.", Kind.ENDED, None, ""),
    ("Hanke on päättynyt.", Kind.ENDED, None, ""),
    ("HANKE PÄÄTTYI.", Kind.ENDED, None, ""),
    ("Päättynyt hanke", Kind.ENDED, None, ""),
    ("Projekti on päättynyt", Kind.ENDED, None, ""),
    ("Hanke päättyi 31.12.2022.", Kind.ENDED, None, "2022-12-31"),
    ("HANKE ON PÄÄTTYNYT 30.6.2023", Kind.ENDED, None, "2023-06-30"),
    ("Hanke on päättynyt (31.12.2022).", Kind.ENDED, None, "2022-12-31"),
    ("Hanke päättyi 2022-12-31", Kind.ENDED, None, "2022-12-31"),
    ("Hanke päättyi 31. joulukuuta 2022.", Kind.ENDED, None, "2022-12-31"),
    ("Hanke päättyi joulukuussa 2022.", Kind.ENDED, None, ""),
    ("Hanke loppui vuonna 2021.", Kind.ENDED, None, ""),
    ("PROJEKTET HAR AVSLUTATS.", Kind.ENDED, None, ""),
    ("Projektet avslutades 31.12.2022.", Kind.ENDED, None, "2022-12-31"),
    ("PROJEKTET ÄR AVSLUTAT.", Kind.ENDED, None, ""),
    ("Projektet avslutades 31 december 2022", Kind.ENDED, None, "2022-12-31"),
    ("Projektet är slutfört", Kind.ENDED, None, ""),
    ("Projektet avslutades i slutet av 2022.", Kind.ENDED, None, ""),
    ("Projektet avslutades i december 2022.", Kind.ENDED, None, ""),
    ("Hanke on päättynyt, mutta työ jatkuu.", Kind.TEXT, None, "Hanke on päättynyt, mutta työ jatkuu."),
    ("Hanke päättyy 31.12.2024.", Kind.TEXT, None, "Hanke päättyy 31.12.2024."),
    # Partner lists: the known labels, any label before a list that resolves, and no label at all.
    ("Muut kunnat: Lahti, Porvoo ja Oulu", Kind.PARTNERS, None, "Lahti, Porvoo ja Oulu"),
    ("Muut osallistujat: Sarastia Oy", Kind.PARTNERS, None, "Sarastia Oy"),
    ("Mukana olevat kunnat: Inari", Kind.PARTNERS, None, "Inari"),
    ("Övriga kommuner: Vörå, Larsmo", Kind.PARTNERS, None, "Vörå, Larsmo"),
    ("Deltagande kommuner: Vörå", Kind.PARTNERS, None, "Vörå"),
    ("Muut kunnat:", Kind.PARTNERS, None, ""),
    ("Mukana: Ii, Oulu", Kind.PARTNERS, None, "Ii, Oulu"),
    ("Mukana Inarin kunta, Sallan kunta", Kind.PARTNERS, None, "Inarin kunta, Sallan kunta"),
    ("Mukana hankkeessa on viisi kuntaa.", Kind.TEXT, None, "Mukana hankkeessa on viisi kuntaa."),
    ("Yhteistyökunnat: Tampere; Oulu sekä Turku", Kind.PARTNERS, None, "Tampere; Oulu sekä Turku"),
    ("Kumppanit: Espoo", Kind.PARTNERS, None, "Espoo"),
    ("Samarbetskommuner: Vörå, Larsmo och Jakobstad", Kind.PARTNERS, None, "Vörå, Larsmo och Jakobstad"),
    ("Hankkeessa mukana: Lapin liitto, Rovaniemi", Kind.PARTNERS, None, "Lapin liitto, Rovaniemi"),
    ("Tampere, Oulu ja Turku", Kind.PARTNERS, None, "Tampere, Oulu ja Turku"),
    ("Oulainen, Siikajoki, Kempele,", Kind.PARTNERS, None, "Oulainen, Siikajoki, Kempele,"),
    ("Tampere", Kind.PARTNERS, None, "Tampere"),
    ("Mukana myös Oulu ja Kempele.", Kind.PARTNERS, None, "Oulu ja Kempele."),
    ("Hankkeessa ovat mukana myös Oulu ja Kempele.", Kind.PARTNERS, None, "Oulu ja Kempele."),
    ("Thomas Sund, Kerava", Kind.CONTACT, None, "Thomas Sund, Kerava"),  # a surname that is a place
    ("Käytännön toteutukset tehtiin Espoossa sekä Marttilassa.", Kind.TEXT, None,
     "Käytännön toteutukset tehtiin Espoossa sekä Marttilassa."),
    ("Kohderyhmät: kuntalaiset, yritykset ja yhdistykset", Kind.TEXT, None,
     "Kohderyhmät: kuntalaiset, yritykset ja yhdistykset"),
    ("Tampere, Oulu ja kaikki muut halukkaat kunnat", Kind.TEXT, None,
     "Tampere, Oulu ja kaikki muut halukkaat kunnat"),
    # Contact headers, inline contacts under any short label, "more information" sentences.
    ("Lisätietoja", Kind.CONTACT_HEADER, None, ""),
    ("Lisätietoja:", Kind.CONTACT_HEADER, None, ""),
    ("Lisätiedot:", Kind.CONTACT_HEADER, None, ""),
    ("Lisätietoja antaa:", Kind.CONTACT_HEADER, None, ""),
    ("Lisätietoja antavat", Kind.CONTACT_HEADER, None, ""),
    ("Yhteyshenkilö", Kind.CONTACT_HEADER, None, ""),
    ("Yhteyshenkilöt:", Kind.CONTACT_HEADER, None, ""),
    ("Yhteystiedot", Kind.CONTACT_HEADER, None, ""),
    ("Tiedustelut:", Kind.CONTACT_HEADER, None, ""),
    ("Tilläggsuppgifter:", Kind.CONTACT_HEADER, None, ""),
    ("Mer information", Kind.CONTACT_HEADER, None, ""),
    ("Mer information om projektet:", Kind.CONTACT_HEADER, None, ""),
    ("Kontaktperson:", Kind.CONTACT_HEADER, None, ""),
    ("Kontaktuppgifter", Kind.CONTACT_HEADER, None, ""),
    ("Lisätietoja: Jouni Nieminen, Kärkölä", Kind.CONTACT_INLINE, None, "Jouni Nieminen, Kärkölä"),
    ("Lisätietoja hankkeesta: Kari Siponen, Kitee", Kind.CONTACT_INLINE, None, "Kari Siponen, Kitee"),
    ("Yhteyshenkilö: Kari Siponen, Kitee", Kind.CONTACT_INLINE, None, "Kari Siponen, Kitee"),
    ("Kontaktperson: Kjell Alm, Korsholm", Kind.CONTACT_INLINE, None, "Kjell Alm, Korsholm"),
    ("Hankkeen vetäjä: Kari Siponen, Kitee", Kind.CONTACT_INLINE, None, "Kari Siponen, Kitee"),
    ("Lisätietoja antaa kehittämispäällikkö Leena Viitasaari, leena.viitasaari@tampere.fi", Kind.CONTACT_INLINE,
     None, "kehittämispäällikkö Leena Viitasaari, leena.viitasaari@tampere.fi"),
    ("Lisätietoja antaa Kari Siponen, Kitee", Kind.CONTACT_INLINE, None, "Kari Siponen, Kitee"),
    ("Lisätietoja: hankkeen sivusto", Kind.LINK, None, "hankkeen sivusto"),
    ("Lisätietoja hankkeesta täältä.", Kind.MORE_INFO, None, ""),
    ("Lisätietoja hankkeesta Varkauden nettisivuilta.", Kind.MORE_INFO, None, ""),
    ("Lisää hankkeesta voit lukea täältä.", Kind.MORE_INFO, None, ""),
    ("Lisää tietoa löytyy hankkeen sivuilta.", Kind.MORE_INFO, None, ""),
    ("Mer information finns på projektets hemsida.", Kind.MORE_INFO, None, ""),
    # Contacts.
    ("Tuomas Rantala, Alavus", Kind.CONTACT, None, "Tuomas Rantala, Alavus"),
    ("Wilhelmiina Griep ja Niko Ferm, Espoo", Kind.CONTACT, None, "Wilhelmiina Griep ja Niko Ferm, Espoo"),
    ("Camilla Melen, Pargas stad", Kind.CONTACT, None, "Camilla Melen, Pargas stad"),
    ("Reetta Kotovaara-Tavasti, Kangasala", Kind.CONTACT, None, "Reetta Kotovaara-Tavasti, Kangasala"),
    ("jatehuoltoviranomainen(a)mikkeli.fi", Kind.CONTACT, None, "jatehuoltoviranomainen(a)mikkeli.fi"),
    ("etunimi.sukunimi[at]kunta.fi", Kind.CONTACT, None, "etunimi.sukunimi[at]kunta.fi"),
    ("Matti Virtanen, projektipäällikkö, matti.virtanen@espoo.fi", Kind.CONTACT, None,
     "Matti Virtanen, projektipäällikkö, matti.virtanen@espoo.fi"),
    ("Matti Virtanen, 040 123 4567", Kind.CONTACT, None, "Matti Virtanen, 040 123 4567"),
    ("puh. 040 123 4567", Kind.CONTACT, None, "puh. 040 123 4567"),
    ("Carl-Gustaf von Bonsdorff, IT-chef, Nykarleby stad", Kind.CONTACT, None,
     "Carl-Gustaf von Bonsdorff, IT-chef, Nykarleby stad"),
    ("Johan af Hällström, Uusikaarlepyy", Kind.CONTACT, None, "Johan af Hällström, Uusikaarlepyy"),
    ("Matti Virtanen, projektipäällikkö", Kind.TEXT, None, "Matti Virtanen, projektipäällikkö"),
    # Links.
    ("www.lampio.fi", Kind.LINK, None, ""),
    ("https://www.example.fi/hanke", Kind.LINK, None, ""),
    ("Hankkeen nettisivut", Kind.LINK, None, ""),
    ("Hankkeen verkkosivut.", Kind.LINK, None, ""),
    ("Projektets hemsida", Kind.LINK, None, ""),
    # Numbered lines: "1.", "1)", "1" before a capital.
    ("3. Lämpiö-hanke", Kind.NUMBERED, 3, "Lämpiö-hanke"),
    ("3) Lämpiö-hanke", Kind.NUMBERED, 3, "Lämpiö-hanke"),
    ("3)Lämpiö-hanke", Kind.NUMBERED, 3, "Lämpiö-hanke"),
    ("3 Lämpiö-hanke", Kind.NUMBERED, 3, "Lämpiö-hanke"),
    ("12. Lämpiö-hanke", Kind.NUMBERED, 12, "Lämpiö-hanke"),
    ("12 kunnan yhteishanke", Kind.TEXT, None, "12 kunnan yhteishanke"),
    ("2020-luvun palvelut", Kind.TEXT, None, "2020-luvun palvelut"),
    ("2. OSKU, Osaava kunta, digitalisaatio-osaamisen kehittäminen", Kind.NUMBERED, 2,
     "OSKU, Osaava kunta, digitalisaatio-osaamisen kehittäminen"),
    ("Digiloikka Karkkilassa", Kind.TEXT, None, "Digiloikka Karkkilassa"),
    ("Päätöksenteon, kokousten ja tiedonhaun sähköistämisen valmennusohjelma", Kind.TEXT, None,
     "Päätöksenteon, kokousten ja tiedonhaun sähköistämisen valmennusohjelma"),
    ("", Kind.BLANK, None, ""),
]


@pytest.mark.parametrize(("text", "kind", "number", "payload"), CASES, ids=[c[0][:40] or "blank" for c in CASES])
def test_classify(text: str, kind: Kind, number: int | None, payload: str) -> None:
    token = classify_text(text, GAZETTEER)
    assert (token.kind, token.number, token.payload) == (kind, number, payload)


def test_marker_word_limit_is_a_boundary() -> None:
    # Literal inputs, not built from MAX_MARKER_WORDS, so that a change of the limit fails here.
    assert MAX_MARKER_WORDS == 10
    assert is_ended_marker("hanke on nyt jo päättynyt vuonna vuonna vuonna vuonna vuonna")
    assert not is_ended_marker("hanke on nyt jo päättynyt vuonna vuonna vuonna vuonna vuonna vuonna")
    ninety = "Hanke on päättynyt" + "." * 72
    assert classify_text(ninety, GAZETTEER).kind is Kind.ENDED
    assert classify_text(ninety + ".", GAZETTEER).kind is Kind.TEXT


@pytest.mark.parametrize(
    ("text", "iso"),
    [("31.12.2022", "2022-12-31"), ("1.2.2023", "2023-02-01"), ("1. 2. 2023", "2023-02-01"),
     ("2022-12-31", "2022-12-31"), ("31. joulukuuta 2022", "2022-12-31"), ("5 maj 2021", "2021-05-05"),
     ("31.2.2022", None), ("12/2022", None), ("2022", None), ("131.12.2022", None)],
)
def test_read_date(text: str, iso: str | None) -> None:
    assert read_date(f"Hanke päättyi {text}.") == iso


@pytest.mark.parametrize(
    ("field", "reading"),
    [
        ("anna.laine@vaasa.fi", ("email", "anna.laine@vaasa.fi")),
        ("Anna.Laine(a)Vaasa.fi", ("email", "anna.laine@vaasa.fi")),
        ("sähköposti: anna.laine@vaasa.fi", ("email", "anna.laine@vaasa.fi")),
        ("040 123 4567", ("phone", "040 123 4567")),
        ("+358 40 123 4567", ("phone", "+358 40 123 4567")),
        ("puh. 050-1234567", ("phone", "050-1234567")),
        ("p. 09 816 12345", ("phone", "09 816 12345")),
        ("tel. (09) 816 123", ("phone", "(09) 816 123")),
        ("040123", ("place", "040123")),  # six digits: too short for a phone number
        ("0401234", ("phone", "0401234")),
        ("0401234567890123", ("place", "0401234567890123")),  # sixteen: too long
        ("040123456789012", ("phone", "040123456789012")),
        ("2020-2022", ("place", "2020-2022")),  # a Finnish number starts with 0 or +
        ("projektipäällikkö", ("role", "projektipäällikkö")),
        ("Hallintojohtaja", ("role", "Hallintojohtaja")),
        ("Utvecklingschef", ("role", "Utvecklingschef")),
        ("Digikoordinaattori", ("role", "Digikoordinaattori")),
        ("Espoo", ("place", "Espoo")),
        ("Lapin liitto", ("place", "Lapin liitto")),
    ],
)
def test_read_field(field: str, reading: tuple[str, str]) -> None:
    assert read_field(field) == reading


def _people(text: str) -> list[tuple[str, tuple[str, ...], str | None, str | None, str | None]] | None:
    people = split_people(text)
    return None if people is None else [(p.name, p.places, p.role, p.email, p.phone) for p in people]


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Jarkko Siren, Helsinki", [("Jarkko Siren", ("Helsinki",), None, None, None)]),
        ("Miia Kapanen ja Sirpa Mäntynen, Kouvola",
         [("Miia Kapanen", (), None, None, None), ("Sirpa Mäntynen", ("Kouvola",), None, None, None)]),
        ("Anna Aalto & Bo Berg, Vaasa",
         [("Anna Aalto", (), None, None, None), ("Bo Berg", ("Vaasa",), None, None, None)]),
        ("Anna Aalto och Bo Berg, Vaasa",
         [("Anna Aalto", (), None, None, None), ("Bo Berg", ("Vaasa",), None, None, None)]),
        ("Juuso Mikkonen, Lappeenranta ja Pekka Penttinen, Joensuu",
         [("Juuso Mikkonen", ("Lappeenranta",), None, None, None),
          ("Pekka Penttinen", ("Joensuu",), None, None, None)]),
        ("Seija Kivelä, Porvoo (Porvoon kaupunginkirjasto)",
         [("Seija Kivelä", ("Porvoo (Porvoon kaupunginkirjasto)",), None, None, None)]),
        ("Anna Aalto; Vaasa", [("Anna Aalto", ("Vaasa",), None, None, None)]),
        ("Arto Karilahti, Turku; Wilhelmiina Griep, Espoo",
         [("Arto Karilahti", ("Turku",), None, None, None), ("Wilhelmiina Griep", ("Espoo",), None, None, None)]),
        ("Anna Aalto – Vaasa", [("Anna Aalto", ("Vaasa",), None, None, None)]),
        ("Anna Aalto | Vaasa", [("Anna Aalto", ("Vaasa",), None, None, None)]),
        ("Anna-Liisa Aalto-Berg, Vaasa", [("Anna-Liisa Aalto-Berg", ("Vaasa",), None, None, None)]),
        ("Anna B. C. Aalto, Vaasa", [("Anna B. C. Aalto", ("Vaasa",), None, None, None)]),
        ("Anna Aalto, anna@a.fi, bo@b.fi", None),  # two addresses for one person: not a contact line
        ("Anna Aalto, 040 1234567, 050 1234567", None),
        ("Anna", None),
        ("Anna Bo Cecilia Dag Eva, Vaasa", None),  # five capitalised words: a sentence, not a name
        ("Digiloikka Karkkilassa", None),
        ("Hausjärven ja Lopen sähköisten palveluiden kehittämishanke", None),
    ],
)
def test_split_people(text: str, people: list[tuple[str, tuple[str, ...], str | None, str | None, str | None]] | None
                      ) -> None:
    assert _people(text) == people


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("Forssa ja", ["Forssa"]),
        ("ja Loppi", ["Loppi"]),
        ("Forssa sekä", ["Forssa"]),
        ("sekä Loppi", ["Loppi"]),
        ("och Larsmo", ["Larsmo"]),
        ("samt Larsmo", ["Larsmo"]),
        ("Vörå;", ["Vörå"]),
        ("Vörå och", ["Vörå"]),
        ("Vörå samt", ["Vörå"]),
        ("Forssa,", ["Forssa"]),
        ("Forssa;", ["Forssa"]),
    ],
)
def test_a_list_that_wraps_after_a_conjunction_keeps_its_names(text: str, entries: list[str]) -> None:
    assert split_partners(text) == entries


@pytest.mark.parametrize(
    ("text", "following", "title_like"),
    [
        ("Open Agenda", None, True),
        ("4. Kunnan rakennusvalvonnan kehittäminen", None, True),
        ("4) Kunnan rakennusvalvonnan kehittäminen.", None, True),
        ("Hankkeen tarkoitus:", None, False),
        ("- luettelon kohta", None, False),
        ("• luettelon kohta", None, False),
        ("Hankkeen sivut www.example.fi", None, False),
        ("”Digitaalinen tulevaisuus” -hanke on viiden kunnan yhteinen hanke.", "Kuvaus.", False),
        ("Kuntien eVaka.", "Kuvaus jatkuu tässä.", True),  # a full stop after a title followed by its text
        ("Kuntien eVaka.", "Lisätietoja", False),  # ... but not one followed straight by the contacts
        ("Kuntien eVaka.", None, False),
        ("Ensimmäinen lause. Toinen lause.", "Kuvaus.", False),
        ("HANKE ON PÄÄTTYNYT.", None, False),
        (" ".join(["sana"] * 25), None, True),  # MAX_TITLE_WORDS, written out
        (" ".join(["sana"] * 26), None, False),
    ],
)
def test_looks_like_title(text: str, following: str | None, title_like: bool) -> None:
    after = classify_text(following, GAZETTEER) if following is not None else None
    assert looks_like_title(classify_text(text, GAZETTEER), after) is title_like


@pytest.mark.parametrize("address", ["petri.kapanen@varkaus.fi", "p.kapanen@varkaus.fi", "tel@kunta.fi",
                                     "email@kunta.fi"])
def test_an_address_that_starts_like_a_field_label_is_kept_whole(address: str) -> None:
    assert read_field(address) == ("email", address)


# Every alternative a rule accepts, one example each: dropping one from a rule must fail a test.
@pytest.mark.parametrize("marker", [
    "Hanke on päättynyt.", "Hanke päättyi.", "Hankkeet ovat päättyneet.", "Hanke on todettu päättyneeksi.",
    "Hanke on loppunut.", "Hanke loppui.", "Hanke on päätetty.", "Projektet har avslutats.",
    "Projektet avslutades.", "Projektet är avslutat.", "Projektet är avslutad.", "Projektet avslutade 2022.",
    "Projektet är slutfört.", "Projektet har slutförts.", "Projektet slutfördes.", "Projektet är slutförd.",
    "Avslutning 2022.",
    # every filler word, in a marker of its own
    "Hankkeen päättynyt.", "Projekt avslutat.", "Hanke oli päättynyt.", "Hanke on nyt päättynyt.",
    "Hanke on jo päättynyt.", "Projektet blev avslutat.", "Projektet är nu avslutat.", "Hanke päättyi vuonna 2022.",
    "Hanke päättyi vuoden 2022 lopussa.", "Projektet avslutades år 2022.", "Projektet avslutades den 5.5.2022.",
    "Hanke päättyi kesäkuun lopussa.", "Hanke päättyi kesäkuussa.", "Projektet avslutades i slutet av maj.",
])
def test_every_ended_wording_is_a_marker(marker: str) -> None:
    assert classify_text(marker, GAZETTEER).kind is Kind.ENDED


@pytest.mark.parametrize("header", [
    "Lisätietoja", "Lisätiedot", "Lisätietoa:", "Tilläggsuppgifter", "Mer information", "Ytterligare information:",
    "Yhteystiedot", "Yhteyshenkilö", "Yhteyshenkilöt", "Yhteyshenkilömme:", "Kontaktuppgifter",
    "Kontaktperson", "Kontaktpersoner:", "Tiedustelut", "Lisätietoja hankkeesta", "Mer information om projektet",
    "Lisätietoja antaa", "Lisätietoja antavat:", "Mer information ger:", "Tilläggsuppgifter lämnar:",
])
def test_every_header_wording_is_a_header(header: str) -> None:
    assert classify_text(header, GAZETTEER).kind is Kind.CONTACT_HEADER


@pytest.mark.parametrize(("field", "value"), [
    ("sähköposti: a.b@kunta.fi", "a.b@kunta.fi"), ("s-posti a.b@kunta.fi", "a.b@kunta.fi"),
    ("e-post: a.b@kunta.fi", "a.b@kunta.fi"), ("email a.b@kunta.fi", "a.b@kunta.fi"),
    ("e-mail: a.b@kunta.fi", "a.b@kunta.fi"), ("a.b(a)kunta.fi", "a.b@kunta.fi"), ("a.b[a]kunta.fi", "a.b@kunta.fi"),
    ("a.b(at)kunta.fi", "a.b@kunta.fi"), ("a.b[at]kunta.fi", "a.b@kunta.fi"), ("a.b @ kunta.fi", "a.b@kunta.fi"),
])
def test_every_e_mail_form_is_an_e_mail(field: str, value: str) -> None:
    assert read_field(field) == ("email", value)


@pytest.mark.parametrize("label", ["puh", "puh.", "p.", "tel", "tel.", "puhelin", "puhelin:", "gsm", "mob.", "telefon"])
def test_every_phone_label(label: str) -> None:
    assert read_field(f"{label} 040 123 4567") == ("phone", "040 123 4567")


@pytest.mark.parametrize("role", [
    "Projektipäällikkö", "Hallintojohtaja", "Digikoordinaattori", "Erityisasiantuntija", "Kaavasuunnittelija",
    "Hallintosihteeri", "Sovelluskehittäjä", "Tietosuojavastaava", "Lähiesimies", "Järjestelmäinsinööri",
    "Kokonaisarkkitehti", "Digineuvoja", "Digiohjaaja", "Tutkija", "Data-analyytikko", "Konsultti",
    "Utvecklingschef", "Projektledare", "Samordnare", "Förvaltningsdirektör", "Nämndsekreterare",
    "Handläggare", "Systemutvecklare", "IT-specialist", "Dataskyddsansvarig", "Product Manager",
    "Coordinator", "Director", "Data Protection Officer",
])
def test_every_role_head_word_is_a_role(role: str) -> None:
    assert read_field(role) == ("role", role)
    (person,) = split_people(f"Anna Aalto, {role}, Vaasa") or ()
    assert (person.role, person.places) == (role, ("Vaasa",))


LINE_CASES = [
    # The helper's hand mutants: each line tells one alternative of a rule from its neighbours.
    ("Mukana olevat kunnat:", Kind.PARTNERS, ""), ("Mukana:", Kind.PARTNERS, ""),
    ("Övriga kommuner:", Kind.PARTNERS, ""), ("Deltagande kommuner:", Kind.PARTNERS, ""),
    ("Hankkeessa mukana olevat muut kunnat: Akaa, Alavus", Kind.PARTNERS, "Akaa, Alavus"),
    ("Myös nämä kaksi muuta uutta kuntaa: Akaa, Alavus", Kind.TEXT, None),  # six words: a sentence, not a label
    ("Mukana Suomen Kuntaliitto", Kind.TEXT, None),
    ("Kumppanit: Akaa, Alavus, Virrat, Yksi kaksi kolme neljä viisi", Kind.PARTNERS, None),
    ("Kumppanit: Akaa, Alavus, Virrat, Yksi kaksi kolme neljä viisi kuusi", Kind.TEXT, None),
    ("Lapinahti", Kind.TEXT, None),  # a fuzzy match alone is no list
    ("Kumppanit: Akaa, Alavus ja kolmas kumppani", Kind.PARTNERS, None),  # exactly two thirds
    ("Kumppanit: Lapin liitto, Sarastia Oy", Kind.TEXT, None),  # no municipality
    ("Tampere, Lapin liitto", Kind.TEXT, None),
    ("Akaa ja Alavus", Kind.PARTNERS, None),
    ("Anna Aalto – Vaasa", Kind.CONTACT, None), ("Anna Aalto | Vaasa", Kind.CONTACT, None),
    ("projektipäällikkö Matti Virtanen, Espoo", Kind.CONTACT, None),
    ("Matti Virtanen (projektipäällikkö) – Espoo", Kind.CONTACT, None),
    ("www.example.de", Kind.LINK, None), ("lampio.fi", Kind.LINK, None), ("kunta.fi/hanke", Kind.LINK, None),
    ("Hankkeen sivut", Kind.LINK, None), ("Hankkeen verkkosivusto", Kind.LINK, None),
    ("Hankkeen verkkosivustolta.", Kind.LINK, None), ("Hankkeen sivut www.example.fi", Kind.LINK, None),
    ("Projektets webbplats", Kind.LINK, None),
    ("Lisätietoja hankkeesta " + "sana " * 17 + "täältä.", Kind.MORE_INFO, None),  # 20 words
    ("Lisätietoja hankkeesta " + "sana " * 18 + "täältä.", Kind.TEXT, None),
]


@pytest.mark.parametrize(("text", "kind", "payload"), LINE_CASES, ids=[c[0][:40] for c in LINE_CASES])
def test_line_cases(text: str, kind: Kind, payload: str | None) -> None:
    token = classify_text(text, GAZETTEER)
    assert token.kind is kind
    if payload is not None:
        assert token.payload == payload


@pytest.mark.parametrize(("text", "following"), [
    ("– luettelon kohta", "Kuvaus."), ("Hankkeen tavoitteet,", "Kuvaus."), ("Hankkeen tavoitteet;", "Kuvaus."),
    ("Lue lisää osoitteesta www.example.fi", "Kuvaus."), ("Lue lisää https://example.fi/hanke", "Kuvaus."),
    ("Palaute osoitteeseen palaute@kunta.fi", "Kuvaus."), ("Hanke oli kolmen kunnan yhteinen.", "Kuvaus."),
    ("Kunnat ovat mukana hankkeessa.", "Kuvaus."), ("Kunnat olivat mukana hankkeessa.", "Kuvaus."),
    ("Projektet var gemensamt för tre kommuner.", "Kuvaus."), ("Projektet har tre delar.", "Kuvaus."),
    ("Projektet hade tre delar.", "Kuvaus."), ("1. Kunta on ottanut käyttöön uuden järjestelmän.", "Kuvaus."),
    ("4) Hankkeen tavoitteet:", "Kuvaus."), ("Kuntien eVaka.", "Lisätietoja: Anna Aalto, Virrat"),
    ("Kuntien eVaka.", "Anna Aalto, Virrat"),
])
def test_lines_that_are_no_title(text: str, following: str) -> None:
    assert not looks_like_title(classify_text(text, GAZETTEER), classify_text(following, GAZETTEER))
