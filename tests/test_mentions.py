"""mentions: municipalities named in the description, by their written forms, kept apart from lead and partners."""
from __future__ import annotations

import pytest

from hankkeet.mentions import find_mentions, finnish_forms, form_index
from hankkeet.model import Line, Release
from hankkeet.municipalities import Gazetteer


def read(text: str, gazetteer: Gazetteer, known: frozenset[str] = frozenset()) -> tuple[list[tuple[str, str, str]],
                                                                                       list[str]]:
    """(raw, code, method) of each mention in one line of text, and the codes of the warnings."""
    mentions, problems = find_mentions([Line(7, text)], known, form_index(gazetteer), gazetteer)
    assert all(m.line == 7 for m in mentions)
    return [(m.place.raw, m.place.code or "", m.place.method) for m in mentions], [d.code for d in problems]


@pytest.mark.parametrize(
    ("name", "genitive", "forms"),
    [
        ("Pori", "Porin", ["Pori", "Porin", "Porissa", "Porista", "Porilla", "Porilta", "Porille", "Poriin", "Porina"]),
        ("Lahti", "Lahden", ["Lahti", "Lahden", "Lahdessa", "Lahdesta", "Lahdella", "Lahdelta", "Lahdelle",
                             "Lahteen"]),
        ("Helsinki", "Helsingin", ["Helsinki", "Helsingin", "Helsingissä", "Helsingistä", "Helsingillä",
                                   "Helsingiltä", "Helsingille"]),
        ("Järvenpää", "Järvenpään", ["Järvenpää", "Järvenpään", "Järvenpäässä", "Järvenpäästä", "Järvenpäällä",
                                     "Järvenpäältä", "Järvenpäälle", "Järvenpääseen", "Järvenpäänä"]),
        ("Kauniainen", "Kauniaisten", ["Kauniainen", "Kauniaisten", "Kauniaisissa", "Kauniaisista", "Kauniaisilla",
                                       "Kauniaisilta", "Kauniaisille", "Kauniaisiin"]),
        ("Kaustinen", "Kaustisen", ["Kaustinen", "Kaustisen", "Kaustisessa", "Kaustisesta", "Kaustisella",
                                    "Kaustiselta", "Kaustiselle", "Kaustiseen"]),
        ("Tampere", "Tampereen", ["Tampere", "Tampereen", "Tampereessa", "Tampereesta", "Tampereella",
                                  "Tampereelta", "Tampereelle"]),
        ("Rovaniemi", "Rovaniemen", ["Rovaniemi", "Rovaniemen", "Rovaniemessä", "Rovaniemestä", "Rovaniemellä",
                                     "Rovaniemeltä", "Rovaniemelle", "Rovaniemeen"]),  # a compound: front
        ("Orivesi", "Oriveden", ["Orivesi", "Oriveden", "Orivedessä", "Orivedestä", "Orivedellä", "Orivedeltä",
                                 "Orivedelle"]),  # its illative, Oriveteen, is not derived
        ("Virrat", "Virtain", ["Virrat", "Virtain"]),  # a plural name: its locatives (Virroilla) are not derived
    ],
)
def test_finnish_forms(name: str, genitive: str, forms: list[str]) -> None:
    assert [word for word, _ in finnish_forms(name, genitive)] == forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Järjestelmä otetaan käyttöön Espoossa ja luodaan Tampereelle valmius.",
         [("Espoossa", "049", "inflected"), ("Tampereelle", "837", "inflected")]),
        ("Hankekuntayhteistyötä tehtiin Akaan, Jyväskylän ja Porin kanssa.",
         [("Akaan", "020", "inflected"), ("Jyväskylän", "179", "inflected"), ("Porin", "609", "inflected")]),
        ("Verrokkikaupungit olivat: Hyvinkää, Seinäjoki ja Kokkola.",
         [("Hyvinkää", "106", "exact"), ("Seinäjoki", "743", "exact"), ("Kokkola", "272", "exact")]),
        ("Yleiskaavat Pieksämäelle ja Varkaudelle.",
         [("Pieksämäelle", "593", "inflected"), ("Varkaudelle", "915", "inflected")]),
        ("Kahteen kaupunkiin, Kauniaisiin ja Porvooseen.",
         [("Kauniaisiin", "235", "inflected"), ("Porvooseen", "638", "inflected")]),
        ("Kimitoöns kommun tog i bruk tjänsten, som fanns redan hos Pargas stad.",
         [("Kimitoöns", "322", "swedish"), ("Pargas", "445", "swedish")]),
        ("Espoossa syntyi malli, jota Espoon kaupunki jakaa.", [("Espoossa", "049", "inflected")]),  # once
    ],
)
def test_forms_in_text(text: str, expected: list[tuple[str, str, str]], gazetteer: Gazetteer) -> None:
    assert read(text, gazetteer) == (expected, [])


@pytest.mark.parametrize(
    "text",
    [
        "Turun kauppakorkeakoulun Porin yksikön toteuttamassa osahankkeessa.",  # organisations, any case
        "Tampereen ja Jyväskylän yliopistot olivat mukana.",  # a list of organisations
        "Hanke toteutti Helsingin seudun väestöprojektion.",  # a sub-region
        "Monetra Oulu Oy vastasi hankkeesta.",  # a company's name
        "Juttu julkaistiin Helsingin Sanomissa.",  # a proper name
        "Palvelut tuotiin uuteen Lempäälä-taloon.",  # a compound
        "Toteutetaan digitaalista Kouvolaa.",  # a partitive: not in the table of forms
        "Hankkeen vaihe II alkoi keväällä.",  # a Roman numeral in capitals, not Ii
        "Sähkön toimitti Pori Energia Oy.",  # a company's name, two words
        "Arvioinnin teki Tampereen teknillinen yliopisto.",  # an adjective before the organisation word
    ],
)
def test_names_that_are_not_mentions(text: str, gazetteer: Gazetteer) -> None:
    assert read(text, gazetteer) == ([], [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # only the genitive items before the organisation word name it; the others are places
        ("Hanke toteutettiin Espoossa, Vantaalla ja Jyväskylän yliopistossa.",
         [("Espoossa", "049", "inflected"), ("Vantaalla", "092", "inflected")]),
        ("Tutkimus tehtiin Porissa, Tampereen ja Jyväskylän yliopistoissa.", [("Porissa", "609", "inflected")]),
        ("Tampereen kaupungin kirjasto avasi palvelun.", [("Tampereen", "837", "inflected")]),  # its own library
        # inside a list a capitalised word after the last item does not make it a proper name
        ("Yhteistyö Akaan, Jyväskylän ja Porin Digitiimien kanssa.",
         [("Akaan", "020", "inflected"), ("Jyväskylän", "179", "inflected"), ("Porin", "609", "inflected")]),
    ],
)
def test_an_organisation_after_a_list(text: str, expected: list[tuple[str, str, str]], gazetteer: Gazetteer) -> None:
    assert read(text, gazetteer) == (expected, [])


def test_lower_case_is_no_name(gazetteer: Gazetteer) -> None:
    assert read("Työpaja pidettiin porissa ja lahdessa.", gazetteer) == ([], [])


@pytest.mark.parametrize(
    ("text", "expected", "warnings"),
    [
        ("Salla esitteli hankkeen tulokset.", [], ["ambiguous-mention"]),  # a first name
        ("Kokous pidettiin Sallassa.", [("Sallassa", "732", "inflected")], []),  # a case only a place takes
        ("Sallalle annettiin palkinto.", [], ["ambiguous-mention"]),  # a person takes -lle too
        ("Kaarinan esitys oli hyvä.", [], ["ambiguous-mention"]),
        ("Mukana olivat Kaarinan ja Naantalin kaupungit.",  # a list with another municipality
         [("Kaarinan", "202", "inflected"), ("Naantalin", "529", "inflected")], []),
        ("Salla ja Kaarina esittelivät tulokset.", [], ["ambiguous-mention", "ambiguous-mention"]),  # two names
        ("Lahteen toteutettiin robotti.", [], ["ambiguous-mention"]),  # a common word at a sentence's start
        ("Robotti toteutettiin Lahteen.", [("Lahteen", "398", "inflected")], []),  # a capital inside a sentence
        ("Koski kuohuu. Hämeenlinnan ja Salon kaupungit.",
         [("Hämeenlinnan", "109", "inflected"), ("Salon", "734", "inflected")], ["ambiguous-mention"]),
        # a capitalised word before the name: a person's or a service's name, not the place
        ("Kartoituksen teki harjoittelija Lotta Kokkola keväällä.", [], ["ambiguous-mention"]),
        ("Palvelu toimii Oma Kerava -sivuston kautta.", [], ["ambiguous-mention"]),
        ("Anna Salo kertoi tuloksista.", [], ["ambiguous-mention"]),  # at a sentence's start: Salo is a word too
        # a word that opens a sentence is capitalised anyway
        ("Sekä Mäntsälä että Porvoo päättivät niin.",
         [("Mäntsälä", "505", "exact"), ("Porvoo", "638", "exact")], []),
        ("Hankkeessa Kokkola kehitti mallin.", [("Kokkola", "272", "exact")], []),
        ("Hankkeen vetäjä Simo esitteli tulokset.", [], ["ambiguous-mention"]),  # first names
        ("Kiitos Loviisalle ja Inarille.", [], ["ambiguous-mention", "ambiguous-mention"]),
        ("Yhteistyössä Nokian kanssa.", [], ["ambiguous-mention"]),  # a company
        ("Palvelin sijaitsee Nokiassa.", [("Nokiassa", "536", "inflected")], []),  # a case only a place takes
        ("Kotka on lintu.", [], ["ambiguous-mention"]),  # a common word at a sentence's start
        ("Mukana olivat Kotka, Simo, Nokia ja Espoo.",  # a list of places, one of them unambiguous
         [("Kotka", "285", "exact"), ("Simo", "751", "exact"), ("Nokia", "536", "exact"), ("Espoo", "049", "exact")],
         []),
    ],
)
def test_ambiguous_names(text: str, expected: list[tuple[str, str, str]], warnings: list[str],
                         gazetteer: Gazetteer) -> None:
    assert read(text, gazetteer) == (expected, warnings)


def test_lead_and_partners_are_not_mentioned_again(gazetteer: Gazetteer) -> None:
    text = "Hakijakuntana toimi Kempeleen kunta. Muut olivat Haapaveden kaupunki ja Hailuodon kunta."
    assert read(text, gazetteer, known=frozenset({"244", "072"})) == ([("Haapaveden", "071", "inflected")], [])


def test_no_warning_for_a_known_ambiguous_name(gazetteer: Gazetteer) -> None:
    assert read("Salla esitteli hankkeen tulokset.", gazetteer, known=frozenset({"732"})) == ([], [])


def test_first_line_of_a_mention(gazetteer: Gazetteer) -> None:
    lines = [Line(3, "Työ alkoi Porissa."), Line(4, "Porin ja Rauman kaupungit jatkavat.")]
    mentions, _ = find_mentions(lines, frozenset(), form_index(gazetteer), gazetteer)
    assert [(m.place.code, m.line) for m in mentions] == [("609", 3), ("684", 4)]


#: Every mention in the listing, each checked against the description by reading it (twice, by two people).
LISTING_MENTIONS = {
    "hameenlinna--kaupunki-taskussa": ["734"],
    "kajaani--digikokous-3-0": ["208"],
    "kempele--tiedolla-johtaminen-kuntien-talous-ja-henkilostohallintoon": ["071", "072", "425", "436"],
    "paimio--varhaiskasvatuksen-digitaalinen-palveluprosessi": ["738"],
    "paimio--varsin-digi": ["529", "445", "680", "734"],
    "parainen--den-it-smarta-kommunen": ["322"],
    "rauma--tyoalustoja-virtaviivaistamalla-hyvinvointia-ja-elinvoimaa":
        ["106", "743", "272", "286", "638", "734", "604", "245", "444"],
    "raakkyla--pikura-hanke": ["046", "151", "214", "231", "233", "250", "260", "280", "291", "402", "416", "421",
                               "561", "563", "581", "599", "614", "738", "746", "845", "846"],
    "turku--kohderyhma-ja-tarvelahtoinen-palveluviestinta-kunnissa-uuden":
        ["020", "179", "202", "609", "837", "092", "915"],
    "turku--asiakaslahtoinen-toteutus-tapahtuma-harrastus-ja": ["202", "529", "593", "680", "837"],
    "tuusula--talousarvioprosessin-automatisointi-ja-talousarvioesityksen": ["505", "638"],
    "vantaa--digiajan-vaestoennustejarjestelma-kuntien-talouden-ja": ["235"],
}


def test_listing_mentions(release: Release) -> None:
    found = {p.id: [m.place.code for m in p.mentions] for p in release.projects if p.mentions}
    assert found == LISTING_MENTIONS


def test_listing_mentions_repeat_no_lead_or_partner(release: Release) -> None:
    for p in release.projects:
        known = {q.place.code for q in p.partners} | {p.lead.code if p.lead else None}
        assert not known & {m.place.code for m in p.mentions}, p.id
