"""Properties: extract never raises, loses no line, is deterministic, and recovers generated listings."""
from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hankkeet import extract
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.output import to_yaml
from hankkeet.source import read
from hankkeet.tables import to_csv

GAZETTEER = Gazetteer.load()
settings.register_profile("ci", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HANKKEET_HYPOTHESIS", "ci"))

TRICKY_LINES = [
    "HANKE ON PÄÄTTYNYT.", "PROJEKTET HAR AVSLUTATS.", "Lisätietoja", "Lisätietoja:", "Tilläggsuppgifter:",
    "Muut kunnat: Lahti, Porvoo ja", "Muut kunnat:", "Mukana Inarin kunta, Sallan kunta", "1. Otsikko", "2. Toinen",
    "Anna Aalto, Espoo", "A B ja C D, Lapin liitto", "x(a)y.fi", "www.example.fi", "Hankkeen nettisivut",
    "Lisätietoja hankkeesta täältä.", "Lisätietoja: Jouni Nieminen, Kärkölä", "Open Agenda", "",
    "Kuvaus on pitkä lause, joka päättyy pisteeseen.", "(((((", "- luettelo", "\u00a0\t", "Ä" * 300,
]
lines = st.lists(st.one_of(st.sampled_from(TRICKY_LINES), st.text(max_size=80)), max_size=40)
newline = st.sampled_from(["\n", "\r\n", "\r"])


def _covered(release: Release) -> list[int]:
    return [n for p in release.projects for n in range(p.line_start, p.line_end + 1)]


@given(lines, newline, st.booleans())
def test_extract_never_raises_and_loses_no_line(parts: list[str], nl: str, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + nl.join(p.replace("\r", " ").replace("\n", " ") for p in parts)
    release = extract(text, GAZETTEER)
    covered = _covered(release)
    assert len(covered) == len(set(covered)), "a line lies in two projects"
    unassigned = {line.number for line in release.unassigned_lines}
    assert not unassigned & set(covered), "a line is both in a project and unassigned"
    non_blank = {line.number for line in read(text, "-")[0] if line.text}
    assert non_blank <= set(covered) | unassigned, "a line was lost"


@given(st.text(max_size=300))
def test_extract_is_deterministic(text: str) -> None:
    first, second = extract(text, GAZETTEER), extract(text, GAZETTEER)
    assert to_yaml(first) == to_yaml(second)
    assert to_csv(first) == to_csv(second)


# --- Generated listings: random projects rendered as the ministry writes them, irregularities included -----

WORDS_FI = ["digitaalinen", "palvelu", "kehittäminen", "tiedolla", "johtaminen", "kunnan", "talous", "asiointi",
            "osaaminen", "alusta", "yhteinen", "sähköinen", "prosessi", "hallinta", "tieto", "ja", "on", "hankkeen"]
WORDS_SV = ["projektet", "och", "att", "för", "kommunen", "digital", "tjänster", "utveckla", "som", "med", "en"]
FIRST = ["Anna", "Matti", "Liisa", "Jukka", "Sanna", "Pekka", "Tiina", "Ville", "Ann-Sofie"]
LAST = ["Aalto", "Korhonen", "Nieminen", "Mäkinen", "Virtanen", "Laine", "Heikkinen", "Koskinen", "Svenlin-Englund"]
PLACES_FI = sorted((m.name_fi, m.name_fi) for m in GAZETTEER.municipalities.values()
                   if " " not in m.name_fi and "-" not in m.name_fi)
PLACES_SV = sorted((m.name_sv, m.name_fi) for m in GAZETTEER.municipalities.values()
                   if m.name_sv != m.name_fi and " " not in m.name_sv and ":" not in m.name_sv)


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    swedish = draw(st.booleans())
    words = WORDS_SV if swedish else WORDS_FI
    places = PLACES_SV if swedish else PLACES_FI
    title_words = draw(st.lists(st.sampled_from(words), min_size=1, max_size=6))
    sentences = draw(st.lists(st.lists(st.sampled_from(words), min_size=5, max_size=12), min_size=1, max_size=4))
    # A sentence has a verb: without one, a title-less project's first sentence reads as a title ending in ".".
    sentences = [s[:1] + ["är" if swedish else "on"] + s[1:] for s in sentences]
    return {
        "swedish": swedish,
        "title": None if draw(st.integers(0, 5)) == 0 else " ".join(title_words).capitalize(),
        "ended": draw(st.booleans()),
        "description": [" ".join(s).capitalize() + "." for s in sentences],
        "partners": draw(st.lists(st.sampled_from(places), max_size=5, unique=True)),
        "contacts": draw(st.lists(st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST), st.sampled_from(places)),
                                  min_size=1, max_size=3)),
        "wrap": draw(st.booleans()),
    }


def render(project: dict[str, Any]) -> list[str]:
    sv = project["swedish"]
    out = [] if project["title"] is None else [project["title"]]
    if project["ended"]:
        out.append("PROJEKTET HAR AVSLUTATS." if sv else "HANKE ON PÄÄTTYNYT.")
    out += project["description"]
    label = "Övriga kommuner: " if sv else "Muut kunnat: "
    partners = [written for written, _ in project["partners"]]
    if partners:
        if project["wrap"] and len(partners) > 2:
            out += [label + ", ".join(partners[:2]) + ",", ", ".join(partners[2:])]
        else:
            out.append(label + ", ".join(partners))
    out.append("Tilläggsuppgifter:" if sv else "Lisätietoja")
    out += [f"{first} {last}, {written}" for first, last, (written, _) in project["contacts"]]
    return out


@given(st.lists(projects(), min_size=1, max_size=6), newline, st.booleans(), st.booleans())
def test_generated_listings_are_recovered_exactly(
    generated: list[dict[str, Any]], nl: str, bom: bool, blank_lines: bool
) -> None:
    lines = [line for p in generated for line in render(p) + ([""] if blank_lines else [])]
    text = ("\ufeff" if bom else "") + nl.join(lines) + nl
    release = extract(text.encode("utf-8"), GAZETTEER)
    assert [(p.title, p.ended) for p in release.projects] == [(g["title"], g["ended"]) for g in generated]
    for project, g in zip(release.projects, generated, strict=True):
        assert [x.place.name for x in project.partners] == [official for _, official in g["partners"]]
        assert [(c.name, c.organisation) for c in project.contacts] == [
            (f"{first} {last}", written) for first, last, (written, _) in g["contacts"]]
        assert project.lead is not None and project.lead.name == g["contacts"][0][2][1]
        assert project.description == "\n".join(g["description"])
        assert project.language == ("sv" if g["swedish"] else "fi")
        assert ("missing-title" in [d.code for d in project.diagnostics]) == (g["title"] is None)
    non_blank = [i for i, line in enumerate(lines, start=1) if line]
    covered = _covered(release)
    assert set(non_blank) <= set(covered) and len(covered) == len(set(covered))
