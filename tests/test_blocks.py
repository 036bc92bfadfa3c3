"""segment: where one project ends and the next begins, on the irregular shapes the listing has."""
from __future__ import annotations

import pytest

from hankkeet import extract
from hankkeet.blocks import segment
from hankkeet.lines import classify
from hankkeet.municipalities import Gazetteer
from hankkeet.source import split_lines

GAZETTEER = Gazetteer.load()


def _blocks(text: str) -> list[tuple[int, int, str | None, bool, list[str]]]:
    blocks, unassigned, _ = segment(classify(split_lines(text), GAZETTEER))
    assert unassigned == []
    return [
        (b.line_start, b.line_end, b.title.line.text if b.title else None, b.ended_marker is not None,
         [d.code for d in b.diagnostics])
        for b in blocks
    ]


CASES = {
    "numbered-and-unnumbered-titles": (
        "1. Eka\nKuvaus.\nLisätietoja\nAnna A, Espoo\nToka ilman numeroa\nKuvaus.\nLisätietoja\nBo B, Espoo\n",
        [(1, 4, "1. Eka", False, []), (5, 8, "Toka ilman numeroa", False, [])],
    ),
    "numbered-list-inside-description": (
        "1. Digitalt Korsholm\nHANKE ON PÄÄTTYNYT.\nTehtiin:\n1. Uudet verkkosivut\n2. Uusi intra\n"
        "Lisätietoja\nKjell Alm, Mustasaari\n2. Digitalt Kunnande\nText.\nLisätietoja\nKjell Alm, Mustasaari\n",
        [(1, 7, "1. Digitalt Korsholm", True, []), (8, 11, "2. Digitalt Kunnande", False, [])],
    ),
    "block-with-only-title-and-partners": (
        "2. Edellinen\nKuvaus.\nLisätietoja\nHeli P, Kankaanpää\n3. Testaus\nMuut kunnat: Akaa, Alavus\n"
        "Digiloikka Karkkilassa\nHANKE ON PÄÄTTYNYT.\nKuvaus.\n",
        [(1, 4, "2. Edellinen", False, []), (5, 6, "3. Testaus", False, []),
         (7, 9, "Digiloikka Karkkilassa", True, [])],
    ),
    "more-info-sentence-then-title": (
        "Digiloikka\nKuvaus.\nLisätietoja hankkeesta täältä.\nKasvupolku\nKuvaus.\nLisätietoja\nM N, Kauhajoki\n",
        [(1, 3, "Digiloikka", False, []), (4, 7, "Kasvupolku", False, [])],
    ),
    "missing-title-after-contacts": (
        "Posion hanke\nKuvaus.\nLisätietoja\nTiina A, Posio\nHANKE ON PÄÄTTYNYT.\n"
        "”Digitek” -hanke on viiden kunnan yhteinen hanke.\nLisätietoja\nMikko S, Pälkäne\n",
        [(1, 4, "Posion hanke", False, []), (5, 8, None, True, ["missing-title"])],
    ),
    "ended-marker-before-next-title": (
        "1. Rajapinta\nKuvaus.\nLisätietoja\nOskari O, Soini\nHANKE ON PÄÄTTYNYT.\n2. Turvallista digiä\n"
        "Kuvaus.\nLisätietoja\nJohanna R, Soini\n",
        [(1, 4, "1. Rajapinta", False, []),
         (5, 9, "2. Turvallista digiä", True, ["ended-marker-before-title"])],
    ),
    "partners-after-contacts-and-wrapped": (
        "Eka\nKuvaus.\nLisätietoja:\nTuija S, Hämeenlinna\nMuut kunnat: Forssa,\nLoppi, Hattula\nToka\nKuvaus.\n",
        [(1, 6, "Eka", False, []), (7, 8, "Toka", False, [])],
    ),
    "link-texts-after-contacts": (
        "Eka\nKuvaus.\nLisätietoja\nTuija A, Kajaani\nHankkeen nettisivut\n1. Toka\nKuvaus.\nLisätietoja\nwww.toka.fi\n",
        [(1, 5, "Eka", False, []), (6, 9, "1. Toka", False, [])],
    ),
    "inline-contact-and-body-sentence-starting-lisatietoja": (
        "Eka\nLisätietoja hankkeesta sekä loppuraportti nettisivuilla.\nLisätietoja hankkeesta: Kari S, Kitee\n"
        "Toka\nKuvaus.\n",
        [(1, 3, "Eka", False, []), (4, 5, "Toka", False, [])],
    ),
    "block-without-contacts-at-the-end": (
        "Eka\nKuvaus.\nLisätietoja\nA B, Virrat\nPienten kuntien hanke\nMuut kunnat: Hausjärvi,\nKauhava\n",
        [(1, 4, "Eka", False, []), (5, 7, "Pienten kuntien hanke", False, [])],
    ),
    # A project without contacts, then one whose boundary neither a marker nor the numbering shows.
    "title-after-a-partner-list": (
        "Eka\nKuvaus.\nMuut kunnat: Akaa, Alavus\nToka ilman merkkiä\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 3, "Eka", False, []), (4, 7, "Toka ilman merkkiä", False, [])],
    ),
    "title-after-an-unlabelled-partner-list": (
        "Eka\nKuvaus.\nAkaa, Alavus ja Virrat\nToka\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 3, "Eka", False, []), (4, 7, "Toka", False, [])],
    ),
    "title-after-a-link": (
        "Eka\nKuvaus.\nLisätietoja: hankkeen sivusto\nToka\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 3, "Eka", False, []), (4, 7, "Toka", False, [])],
    ),
    "a-note-right-before-the-contacts-is-no-title": (
        "Eka\nKuvaus.\nMuut kunnat: Akaa\nHankkeen sivut osoitteessa www.eka.fi\nLisätietoja\nA B, Virrat\n",
        [(1, 6, "Eka", False, [])],
    ),
    "text-after-a-partner-list-that-is-no-title": (
        "Eka\nKuvaus.\nMuut kunnat: Akaa\nHankkeen tuotokset:\n- raportti\nLisätietoja\nA B, Virrat\n",
        [(1, 7, "Eka", False, [])],
    ),
    "title-with-a-full-stop-after-contacts": (
        "Eka\nKuvaus.\nLisätietoja\nA B, Virrat\nToka hanke.\nKuvaus.\nLisätietoja\nC D, Virrat\n",
        [(1, 4, "Eka", False, []), (5, 8, "Toka hanke.", False, [])],
    ),
    "numbering-styles": (
        "1) Eka\nKuvaus.\nMuut kunnat: Akaa\n2 Toka\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 3, "1) Eka", False, []), (4, 7, "2 Toka", False, [])],
    ),
    "next-number-in-running-text-is-a-title": (
        "1. Eka\nKuvaus.\n2. Toka\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 2, "1. Eka", False, []), (3, 6, "2. Toka", False, [])],
    ),
    "a-new-run-in-running-text-is-a-title": (
        "Eka\nKuvaus.\n1. Toka\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 2, "Eka", False, []), (3, 6, "1. Toka", False, [])],
    ),
    "a-number-out-of-run-in-running-text-stays": (
        "3. Eka\nKuvaus.\n5. Toka\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 6, "3. Eka", False, [])],
    ),
    "numbered-list-after-a-sentence": (
        "1. Eka\nKuvaus.\n1. Kohta\n2. Kohta\nLisätietoja\nA B, Virrat\n",
        [(1, 6, "1. Eka", False, [])],
    ),
    "a-line-with-a-colon-before-a-contact-is-a-header": (
        "Eka\nKuvaus.\nHankkeen vetäjät:\nA B, Virrat\nToka\nKuvaus.\n",
        [(1, 4, "Eka", False, []), (5, 6, "Toka", False, [])],
    ),
    "a-sentence-before-a-marker-is-a-misplaced-marker": (
        "1. Eka\nKuvaus.\nHANKE ON PÄÄTTYNYT.\nLisätietoja\nA B, Virrat\n",
        [(1, 5, "1. Eka", True, [])],
    ),
    "a-phrase-before-a-marker-in-running-text-is-a-title": (
        "Eka\nKuvaus on tässä.\nToka\nHANKE ON PÄÄTTYNYT.\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 2, "Eka", False, []), (3, 7, "Toka", True, [])],
    ),
    "a-title-with-a-full-stop-before-a-marker-deep-in-the-text": (
        "Eka\nKuvaus on tässä.\nToka hanke.\nHANKE ON PÄÄTTYNYT.\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 2, "Eka", False, []), (3, 7, "Toka hanke.", True, [])],
    ),
    "a-number-after-a-colon-is-a-list-item": (
        "1. Eka\nTehtiin:\n2. Kohta\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 6, "1. Eka", False, [])],
    ),
    "one-restarts-a-run-after-a-numbered-title": (
        "3. Eka\nKuvaus.\n1. Toka\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 2, "3. Eka", False, []), (3, 6, "1. Toka", False, [])],
    ),
    "any-number-after-an-unnumbered-title": (
        "Eka\nKuvaus.\n2. Toka\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 2, "Eka", False, []), (3, 6, "2. Toka", False, [])],
    ),
    "a-more-info-sentence-stays-after-the-contacts": (
        "Eka\nKuvaus.\nLisätietoja\nA B, Virrat\nLisätietoja hankkeesta täältä.\nToka\nKuvaus.\n",
        [(1, 5, "Eka", False, []), (6, 7, "Toka", False, [])],
    ),
    "a-title-alone-at-the-end-is-a-project": (
        "Eka\nKuvaus.\nLisätietoja\nA B, Virrat\nToka\n",
        [(1, 4, "Eka", False, []), (5, 5, "Toka", False, [])],
    ),
    "a-number-after-a-sentence-with-a-colon-is-an-item": (
        "1. Eka\nKuvaus.\nHankkeessa tehtiin:\n2. Uusi intra\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 7, "1. Eka", False, [])],
    ),
    "the-next-number-before-a-list-of-another-style": (
        "1. Eka\nKuvaus.\n2. Toka\n1) ensimmäinen vaihe\nLisätietoja\nA B, Virrat\n",
        [(1, 2, "1. Eka", False, []), (3, 6, "2. Toka", False, [])],
    ),
    "a-title-alone-then-a-marker": (
        "Eka\nToka\nHANKE ON PÄÄTTYNYT.\nKuvaus.\nLisätietoja\nA B, Virrat\n",
        [(1, 1, "Eka", False, []), (2, 6, "Toka", True, [])],
    ),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_segment(text: str, expected: list[tuple[int, int, str | None, bool, list[str]]]) -> None:
    assert _blocks(text) == expected


def test_a_partner_list_that_wraps_after_a_conjunction(gazetteer: Gazetteer) -> None:
    text = "Eka\nKuvaus.\nMuut kunnat: Forssa ja\nLoppi\nLisätietoja\nA B, Virrat\n"
    (project,) = extract(text, gazetteer).projects
    partners = [(p.place.raw, p.place.code, p.line) for p in project.partners]
    assert partners == [("Forssa", "061", 3), ("Loppi", "433", 4)]


def test_lone_links_are_unassigned_not_projects() -> None:
    blocks, unassigned, diagnostics = segment(classify(split_lines("www.example.fi\n"), GAZETTEER))
    assert blocks == []
    assert [line.number for line in unassigned] == [1]
    assert [d.code for d in diagnostics] == ["unassigned-line"]


@pytest.mark.parametrize(("line", "header"), [
    ("Hankkeen vetäjät:", True), ("Yhteyshenkilöt tässä hankkeessa:", True),
    ("Hankkeen vetäjät ovat seuraavat:", True),  # four words
    ("Hankkeen vetäjät ovat nyt seuraavat:", False),  # five
    ("Hankkeen vetäjät", False),  # no colon: text of the description
    ("Tässä on vielä pitkä johdanto ennen:", False),  # five words: a sentence, not a header
])
def test_a_line_with_a_colon_before_a_contact_is_a_header(line: str, header: bool, gazetteer: Gazetteer) -> None:
    (project,) = extract(f"Eka\nKuvaus.\n{line}\nA B, Virrat\n", gazetteer).projects
    assert project.description == ("Kuvaus." if header else f"Kuvaus.\n{line}")


@pytest.mark.parametrize("end", [",", " ja", " sekä", " och", " samt", ""])
def test_a_list_left_open_goes_on_on_the_next_line(end: str, gazetteer: Gazetteer) -> None:
    label = "Muut kunnat:" + ("" if not end else " Forssa" + end)
    (project,) = extract(f"Eka\nKuvaus.\n{label}\nKeravan musiikkiopisto\nLisätietoja\nA B, Virrat\n",
                         gazetteer).projects
    assert [p.place.raw for p in project.partners][-1] == "Keravan musiikkiopisto"
    assert project.description == "Kuvaus."


def test_the_first_of_two_dated_markers_dates_the_project(gazetteer: Gazetteer) -> None:
    text = ("Eka\nHanke päättyi 31.12.2022.\nKuvaus on tässä.\nHanke päättyi 30.6.2023.\nKuvaus.\n"
            "Lisätietoja\nA B, Virrat\n")
    (project,) = extract(text, gazetteer).projects
    assert (project.ended, project.ended_on) == (True, "2022-12-31")


def test_a_more_information_sentence_alone_is_a_project(gazetteer: Gazetteer) -> None:
    assert len(extract("Lisätietoja hankkeesta täältä.\n", gazetteer).projects) == 1
