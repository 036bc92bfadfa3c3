"""checks: every warning of the audit fires on the line it is about, and stays quiet on its near miss."""
from __future__ import annotations

import pytest

from hankkeet import extract
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer

CONTACT = "Lisätietoja\nAnna Aalto, Virrat\n"
PARAGRAPH = "Toinen kappale kertoo toisesta hankkeesta paljon enemmän kuin ensimmäinen."
CHECKS = {
    # code[:case]: (listing that must warn on the line, line, listing that must not warn)
    "unread-place-list": (
        "Eka\nKuvaus.\nKuvaus alkaa. Vertailussa olivat Akaa, Alavus ja Virrat.\n" + CONTACT, 3,
        "Eka\nKuvaus.\nMuut kunnat: Akaa, Alavus\nHanke tehtiin Akaan, Alavuden ja Virtojen kanssa.\n" + CONTACT,
    ),
    "unread-ended-marker": (
        "Eka\nHanke päättyi viime vuoden lopussa.\nKuvaus.\n" + CONTACT, 2,
        "Eka\nHanke päättyi 31.12.2022.\nKuvaus.\n" + CONTACT,
    ),
    "unread-contact": (
        "Eka\nKuvaus.\nSoita numeroon 040 123 4567\n" + CONTACT, 3,
        "Eka\nKuvaus, jossa on pilkku.\n" + CONTACT,
    ),
    "partners-thin": (
        "Eka\nKuvaus.\nKohde: Virrat\n" + CONTACT, 3,
        "Eka\nKuvaus.\nKumppanit: Virrat, Akaa\n" + CONTACT,
    ),
    "ended-date-unread": (
        "Eka\nHanke päättyi joulukuussa 2022.\nKuvaus.\n" + CONTACT, 2,
        "Eka\nHanke päättyi.\nKuvaus.\n" + CONTACT,
    ),
    "title-like-line:short-phrase-with-full-stop": (
        f"Eka\nEnsimmäinen kappale on tässä.\nOpen Agenda.\n{PARAGRAPH}\n" + CONTACT, 3,
        f"Eka\nEnsimmäinen kappale on tässä.\nTämä lause on lyhyt, mutta liian pitkä.\n{PARAGRAPH}\n" + CONTACT,
    ),
    "title-like-line:phrase": (
        f"Eka\nEnsimmäinen kappale on tässä.\nToka hanke\n{PARAGRAPH}\n" + CONTACT, 3,
        f"Eka\nEnsimmäinen kappale on tässä.\nTavoitteet:\n{PARAGRAPH}\n" + CONTACT,
    ),
    "title-full-stop": (
        "Eka hanke.\nKuvaus.\n" + CONTACT, 1,
        "Eka hanke\nKuvaus.\n" + CONTACT,
    ),
    "merged-projects": (
        "Eka\nHANKE ON PÄÄTTYNYT.\nKuvaus on tässä.\nHANKE ON PÄÄTTYNYT.\nKuvaus.\n" + CONTACT, 4,
        "Eka\nHANKE ON PÄÄTTYNYT.\nKuvaus.\n" + CONTACT,
    ),
    "contact-without-place": (
        "Eka\nKuvaus.\nLisätietoja\nAnna Aalto, projektipäällikkö, anna@example.com\n", 4,
        "Eka\nKuvaus.\nLisätietoja\nAnna Aalto, projektipäällikkö, anna@virrat.fi\n",
    ),
    "numbering-gap": (
        "1. Eka\nKuvaus.\n" + CONTACT + "3. Toka\nKuvaus.\n" + CONTACT, 5,
        "1. Eka\nKuvaus.\n" + CONTACT + "2. Toka\nKuvaus.\n" + CONTACT + "1. Kolmas\nKuvaus.\n" + CONTACT,
    ),
}


@pytest.mark.parametrize(("code", "case"), CHECKS.items(), ids=CHECKS.keys())
def test_each_check_warns_on_its_line_and_not_on_the_near_miss(
        code: str, case: tuple[str, int, str], gazetteer: Gazetteer) -> None:
    code = code.split(":")[0]
    warns, line, quiet = case
    found = [(d.line, d.code) for d in extract(warns, gazetteer).diagnostics]
    assert (line, code) in found, found
    assert code not in [d.code for d in extract(quiet, gazetteer).diagnostics]


MERGES = {
    "second-contact-section": ("Eka\nKuvaus.\nLisätietoja\nAnna Aalto, Virrat\nMuut kunnat: Akaa\n"  # noqa: E501
                               "Tilläggsuppgifter:\nBo Berg, Vaasa\n", 6),
    "second-partner-list-after-text": ("Eka\nKuvaus.\nMuut kunnat: Akaa\nToinen kappale on tässä.\n"
                                       "Muut kunnat: Alavus\n"
                                       + CONTACT, 5),
}


@pytest.mark.parametrize(("text", "line"), MERGES.values(), ids=MERGES.keys())
def test_two_projects_read_as_one_are_flagged(text: str, line: int, gazetteer: Gazetteer) -> None:
    assert (line, "merged-projects") in [(d.line, d.code) for d in extract(text, gazetteer).diagnostics]


def test_a_listing_that_starts_in_the_middle_of_a_run_says_so(gazetteer: Gazetteer) -> None:
    (diagnostic,) = [d for d in extract("2. Toka\nKuvaus.\n" + CONTACT, gazetteer).diagnostics
                     if d.code == "numbering-gap"]
    assert "follows the start of the listing" in diagnostic.message


def test_a_contact_line_read_as_a_title_is_flagged(gazetteer: Gazetteer) -> None:
    text = "Eka\nKuvaus.\n" + CONTACT + "Anna Bo Cecilia Dag Eva, Vaasa\nKuvaus.\n" + CONTACT
    assert (5, "unread-contact") in [(d.line, d.code) for d in extract(text, gazetteer).diagnostics]


def test_partner_lists_after_the_contacts_are_no_merge(gazetteer: Gazetteer) -> None:
    text = "Eka\nKuvaus.\nMuut kunnat: Akaa\nLisätietoja\nAnna Aalto, Virrat\nMuut kunnat: Alavus\n"
    assert "merged-projects" not in [d.code for d in extract(text, gazetteer).diagnostics]


def test_the_seed_listing_is_quiet_where_it_is_regular(release: Release) -> None:
    codes = [(d.line, d.code) for d in release.diagnostics if d.code in {k.split(":")[0] for k in CHECKS}]
    # Each reviewed by hand: 492 is a four-word sentence between paragraphs, 761 and 767 are sub-headings; 889
    # lists comparison towns; 1083 and 1094 name the partner towns in prose (genitive) only.
    assert codes == [(492, "title-like-line"), (761, "title-like-line"), (767, "title-like-line"),
                     (889, "unread-place-list"), (1083, "unread-place-list"), (1094, "unread-place-list")]


def _codes_on(text: str, line: int, gazetteer: Gazetteer) -> list[str]:
    return [d.code for d in extract(text, gazetteer).diagnostics if d.line == line]


def _words(n: int, last: str = "") -> str:
    return " ".join(["sana"] * (n - len(last.split())) + last.split())


@pytest.mark.parametrize(("code", "line_at_limit", "line_past_limit"), [
    ("unread-ended-marker", _words(12, "hanke päättyi"),
     _words(12 + 1, "hanke päättyi")),
    ("unread-contact", _words(12, "040 123 4567"),
     _words(12 + 1, "040 123 4567")),
    ("unread-contact", "x" * (200 - 10) + " a@b.fi xx", "x" * (200 - 9)
     + " a@b.fi xx"),
])
def test_line_limits_of_the_unread_checks(code: str, line_at_limit: str, line_past_limit: str,
                                          gazetteer: Gazetteer) -> None:
    text = "Eka\nKuvaus.\n{}\n" + CONTACT
    assert code in _codes_on(text.format(line_at_limit), 3, gazetteer)
    assert code not in _codes_on(text.format(line_past_limit), 3, gazetteer)


@pytest.mark.parametrize(("heading", "paragraph", "warned"), [
    ("Otsikko " + _words(25 - 1), PARAGRAPH, True),
    ("Otsikko " + _words(25), PARAGRAPH, False),
    ("Otsikko", "P" + "a" * (60 - 1), True),
    ("Otsikko", "P" + "a" * (60 - 2), False),
    ("Otsikko", "p" + "a" * 60, False),  # a paragraph starts with a capital
    ("Otsikko " + _words(6 - 1) + ".", PARAGRAPH, True),
    ("Otsikko " + _words(6) + ".", PARAGRAPH, False),
    ("Otsikko!", PARAGRAPH, True),
    ("Otsikko?", PARAGRAPH, False),
    ("otsikko", PARAGRAPH, False),
])
def test_limits_of_a_title_like_line(heading: str, paragraph: str, warned: bool, gazetteer: Gazetteer) -> None:
    text = f"Eka\nEnsimmäinen kappale on tässä.\n{heading}\n{paragraph}\n" + CONTACT
    assert ("title-like-line" in _codes_on(text, 3, gazetteer)) is warned


CASES = {
    # listing -> the (line, code) pairs of the checks it must give, and nothing else of those codes
    "phone-before-a-full-stop": ("Eka\nKuvaus.\nSoita numeroon 040 123 4567.\n" + CONTACT,
                                 [(3, "unread-contact")]),
    "address-in-a-sentence": ("Eka\nKuvaus.\nPalautetta voi lähettää osoitteeseen palaute@kunta.fi\n" + CONTACT,
                              [(3, "unread-contact")]),
    "obfuscated-address-in-a-sentence": ("Eka\nKuvaus.\nPalautetta voi lähettää osoitteeseen palaute(a)kunta.fi\n"
                                         + CONTACT, [(3, "unread-contact")]),
    "half-the-items-are-places": ("Eka\nKuvaus.\nAkaa, Alavus, Yritys Oy ja Järjestö.\n" + CONTACT,
                                  [(3, "unread-place-list")]),
    "lower-case-items-are-prose": ("Eka\nKuvaus.\nAkaa, Alavus, yritykset ja järjestöt.\n" + CONTACT, []),
    # a page's heading above the first title: two heading lines in a row, then the text
    "page-heading-above-a-title": ("Hankkeet 2024\nEka hanke\nKuvaus tässä on lause hankkeesta.\n" + CONTACT,
                                   [(2, "title-like-line")]),
    "list-in-the-second-sentence": ("Eka\nKuvaus.\nKuvaus on tässä, ja se on pitkä, monipolvinen sekä kattava. "
                                    "Akaa, Alavus ja Virrat.\n" + CONTACT, [(3, "unread-place-list")]),
    "list-after-a-colon": ("Eka\nKuvaus.\nHankkeeseen osallistuivat lisäksi seuraavat naapurikunnat: Akaa, "
                           "Alavus ja Virrat.\n" + CONTACT, [(3, "unread-place-list")]),
    "places-the-project-names-already": ("Eka\nKuvaus.\nMuut kunnat: Alavus\nHanke tehtiin Virroilla, Alavus ja "
                                         "Virrat mukana.\n" + CONTACT, []),
    "two-inline-contacts-are-one-section": ("Eka\nKuvaus.\nLisätietoja: Anna Aalto, Virrat\n"
                                            "Lisätietoja: Bo Berg, Vaasa\n", []),
    "a-wrapped-list-is-no-thin-list": ("Eka\nKuvaus.\nMuut kunnat: Forssa ja\nLoppi\n" + CONTACT, []),
    "a-repeated-number": ("1. Eka\nKuvaus.\n" + CONTACT + "2. Toka\nKuvaus.\n" + CONTACT + "2. Kolmas\nKuvaus.\n"
                          + CONTACT, [(9, "numbering-gap")]),
    "a-dated-marker-is-no-partial-date": ("Eka\nHanke päättyi 31.12.2022.\nKuvaus.\n" + CONTACT, []),
    "a-title-with-an-ended-word-is-no-marker": ("Hanke päättyi – mitä seuraavaksi?\nKuvaus.\n" + CONTACT, []),
}
CHECK_CODES = {"unread-place-list", "unread-ended-marker", "unread-contact", "partners-thin", "ended-date-unread",
               "title-like-line", "title-full-stop", "merged-projects", "contact-without-place", "numbering-gap"}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_checks_on_listings(text: str, expected: list[tuple[int, str]], gazetteer: Gazetteer) -> None:
    found = [(d.line, d.code) for d in extract(text, gazetteer).diagnostics if d.code in CHECK_CODES]
    assert found == expected
