"""The gazetteer: a table of real-world spellings, generated forms of all 308 municipalities, and rules."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hankkeet.municipalities import FUZZY_CUTOFF, SHORT_FORMS, Gazetteer, key

EXAMPLES = Path(__file__).parent / "examples" / "places.tsv"
REFERENCE = Path(__file__).parent.parent / "src" / "hankkeet" / "data" / "municipalities.csv"


def _table() -> list[tuple[str, str | None, str, str]]:
    rows = []
    for line in EXAMPLES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        raw, code, kind, method, *_ = line.split("\t")
        rows.append((raw, None if code == "-" else code, kind, method))
    return rows


def _reference() -> list[dict[str, str]]:
    with REFERENCE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


TABLE = _table()


@pytest.mark.parametrize(("raw", "code", "kind", "method"), TABLE, ids=[row[0] for row in TABLE])
def test_table(raw: str, code: str | None, kind: str, method: str, gazetteer: Gazetteer) -> None:
    place = gazetteer.resolve(raw)
    assert (place.code, place.kind, place.method) == (code, kind, method), place


def test_table_is_large_enough() -> None:
    sections = {"fuzzy": 0, "organisation": 0, "none": 0}
    for _, _, _, method in TABLE:
        if method in sections:
            sections[method] += 1
    assert len(TABLE) >= 120
    assert sections["fuzzy"] >= 20 and sections["organisation"] >= 15 and sections["none"] >= 20


def _generated() -> list[tuple[str, str, str]]:
    rows = []
    for r in _reference():
        finnish = (r["name_fi"], *SHORT_FORMS.get(r["code"], ()))
        rows.append((r["name_fi"], r["code"], "exact"))
        rows.append((r["name_sv"], r["code"], "exact" if r["name_sv"] in finnish else "swedish"))
        head = "kaupunki" if r["is_city"] == "1" else "kunta"
        with_head = f"{r['genitive_fi']} {head}"
        rows.append((with_head, r["code"], "exact" if with_head in finnish else "inflected"))
        rows.append((f"{r['name_sv']} {'stad' if r['is_city'] == '1' else 'kommun'}", r["code"], "swedish"))
    return rows


@pytest.mark.parametrize(("raw", "code", "method"), _generated(), ids=lambda v: str(v))
def test_every_municipality_in_every_generated_form(raw: str, code: str, method: str, gazetteer: Gazetteer) -> None:
    place = gazetteer.resolve(raw)
    assert (place.code, place.kind, place.method) == (code, "municipality", method), place


def test_all_308_municipalities_are_shipped(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.municipalities) == 308
    assert "588" not in gazetteer.municipalities  # Pertunmaa merged into Mäntyharju on 2025-01-01


def test_fuzzy_reports_score_runner_up_and_margin(gazetteer: Gazetteer) -> None:
    place = gazetteer.resolve("Lapinahti")
    assert place.score >= FUZZY_CUTOFF and place.margin is not None and place.margin > 0


def test_fuzzy_refuses_when_two_candidates_are_too_close(gazetteer: Gazetteer) -> None:
    # One letter from Hyrynsalmi and about as close to Hirvensalmi: a near tie must not pick either.
    place = gazetteer.resolve("Hyrensalmi")
    assert (place.code, place.kind, place.method) == (None, "unknown", "none")
    assert place.runner_up in ("Hyrynsalmi", "Hirvensalmi") and place.margin is not None and place.margin < 5


def test_override_wins_over_every_stage() -> None:
    gazetteer = Gazetteer.load({"Kaustisen seutukunta": "236", "Lahti": "organisation"})
    assert (gazetteer.resolve("Kaustisen seutukunta").code, gazetteer.resolve("kaustisen seutukunta").method) == (
        "236", "override")
    assert gazetteer.resolve("Lahti").kind == "organisation"


def test_organisation_names_the_municipality_it_belongs_to(gazetteer: Gazetteer) -> None:
    library = gazetteer.resolve("Porvoon kaupunginkirjasto")
    assert (library.kind, library.code, library.named_code) == ("organisation", None, "638")
    assert gazetteer.resolve("Lapin liitto").named_code is None


def test_key_normalises_case_space_dashes_and_composition() -> None:
    assert key("  MA\u0308NTTA\u0308\u2013Vilppula. ") == "mänttä-vilppula"


def test_same_string_same_answer(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Lapinahti") is gazetteer.resolve("Lapinahti")


def test_a_wellbeing_county_carries_its_region(gazetteer: Gazetteer) -> None:
    place = gazetteer.resolve("Länsi-Uudenmaan hyvinvointialue")
    assert (place.kind, place.name, place.name_sv, place.region_code, place.region) == (
        "wellbeing-county", "Länsi-Uudenmaan hyvinvointialue", "Västra Nylands välfärdsområde", "01", "Uusimaa")


@pytest.mark.parametrize(("raw", "note"), [
    ("Xy", "no municipality, organisation or former name; too short to guess from"),
    ("Qwertyuiop", "no municipality, organisation or former name; not close to any municipality's name"),
    ("Koulu", "no municipality, organisation or former name; the nearest, Kouvola, scores 66.7 (below 88)"),
    ("Porvoo/Loviisa", "the halves name two municipalities, Porvoo (638) and Loviisa (434)"),
    ("Hyrensalmi", "too close to both Hyrynsalmi and Hirvensalmi"),
])
def test_every_unknown_says_why(raw: str, note: str, gazetteer: Gazetteer) -> None:
    place = gazetteer.resolve(raw)
    assert (place.kind, place.note) == ("unknown", note)


def test_every_unknown_in_the_table_has_a_note(gazetteer: Gazetteer) -> None:
    assert [raw for raw, _, kind, _ in TABLE if kind == "unknown" and not gazetteer.resolve(raw).note] == []
