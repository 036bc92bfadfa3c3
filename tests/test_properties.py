"""Properties: extract never raises, loses no line, is deterministic, and recovers generated listings."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hankkeet import extract
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.output import to_csv, to_yaml
from hankkeet.source import split_lines

GAZETTEER = Gazetteer.load()
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    non_blank = {line.number for line in split_lines(text) if line.text}
    assert non_blank <= set(covered) | unassigned, "a line was lost"


@given(st.text(max_size=300))
def test_extract_is_deterministic(text: str) -> None:
    first, second = extract(text, GAZETTEER), extract(text, GAZETTEER)
    assert to_yaml(first) == to_yaml(second)
    assert to_csv(first) == to_csv(second)


# --- Generated listings: random projects rendered as the ministry writes them -----------------------

WORDS = ["digitaalinen", "palvelu", "kehittäminen", "tiedolla", "johtaminen", "kunnan", "talous", "asiointi",
         "osaaminen", "alusta", "yhteinen", "sähköinen", "prosessi", "hallinta", "tieto"]
FIRST = ["Anna", "Matti", "Liisa", "Jukka", "Sanna", "Pekka", "Tiina", "Ville"]
LAST = ["Aalto", "Korhonen", "Nieminen", "Mäkinen", "Virtanen", "Laine", "Heikkinen", "Koskinen"]
NAMES = sorted({m.name_fi for m in GAZETTEER.municipalities.values() if " " not in m.name_fi
                and "-" not in m.name_fi})


@st.composite
def projects(draw: st.DrawFn) -> dict[str, object]:
    title_words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    sentences = draw(st.lists(st.lists(st.sampled_from(WORDS), min_size=4, max_size=12), min_size=1, max_size=4))
    return {
        "title": " ".join(title_words).capitalize(),
        "ended": draw(st.booleans()),
        "description": [" ".join(s).capitalize() + "." for s in sentences],
        "partners": draw(st.lists(st.sampled_from(NAMES), max_size=5, unique=True)),
        "contacts": draw(st.lists(st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST), st.sampled_from(NAMES)),
                                  min_size=1, max_size=3)),
        "wrap": draw(st.booleans()),
    }


def render(project: dict[str, object]) -> list[str]:
    out = [str(project["title"])]
    if project["ended"]:
        out.append("HANKE ON PÄÄTTYNYT.")
    out += list(project["description"])  # type: ignore[call-overload]
    partners = list(project["partners"])  # type: ignore[call-overload]
    if partners:
        if project["wrap"] and len(partners) > 2:
            out += ["Muut kunnat: " + ", ".join(partners[:2]) + ",", ", ".join(partners[2:])]
        else:
            out.append("Muut kunnat: " + ", ".join(partners))
    out.append("Lisätietoja")
    out += [f"{first} {last}, {place}" for first, last, place in project["contacts"]]  # type: ignore[attr-defined]
    return out


@given(st.lists(projects(), min_size=1, max_size=6), newline, st.booleans(), st.booleans())
def test_generated_listings_are_recovered_exactly(
    generated: list[dict[str, object]], nl: str, bom: bool, blank_lines: bool
) -> None:
    lines = [line for p in generated for line in render(p) + ([""] if blank_lines else [])]
    text = ("\ufeff" if bom else "") + nl.join(lines) + nl
    release = extract(text.encode("utf-8"), GAZETTEER)
    assert [p.title for p in release.projects] == [g["title"] for g in generated]
    assert [p.ended for p in release.projects] == [g["ended"] for g in generated]
    for project, g in zip(release.projects, generated, strict=True):
        assert [x.place.name for x in project.partners] == g["partners"]
        assert [(c.name, c.organisation) for c in project.contacts] == [
            (f"{first} {last}", place) for first, last, place in g["contacts"]]  # type: ignore[attr-defined]
        assert project.lead is not None and project.lead.name == g["contacts"][0][2]  # type: ignore[index]
        assert project.description == "\n".join(g["description"])  # type: ignore[arg-type]
    non_blank = [i for i, line in enumerate(lines, start=1) if line]
    covered = _covered(release)
    assert set(non_blank) <= set(covered) and len(covered) == len(set(covered))
