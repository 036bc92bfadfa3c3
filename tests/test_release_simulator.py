"""Edited releases of the listing (tests/simulator.py): every project is read right or warned about, never silently
wrong, and edits that keep a project's meaning keep its id. Also tests of the simulator itself.

A seeded loop, not hypothesis: one listing checks about 142 projects at once and `extract` takes some 70 ms on it,
so hypothesis would stop at the first failing listing and spend minutes shrinking it, while the loop runs a fixed
budget (about 30 s for this file), reports every silent project of every edit class with its lines, and names each
listing (``seed:index``) so that ``python tests/simulator.py --seed SEED --classes CLASS --dump INDEX`` prints it.
The seeds are fixed, so CI is deterministic; ``HANKKEET_HYPOTHESIS=long`` runs ten times as many listings, the CI
ones among them.
"""
from __future__ import annotations

import csv
import os
import random
import re
from collections.abc import Sequence

import pytest
from simulator import (
    BODY,
    CONTACT,
    EDIT_CLASSES,
    MARKER,
    MUNICIPALITIES_CSV,
    RIGHT,
    SHAPES,
    SILENT,
    TITLE,
    Baseline,
    EditClass,
    Outcome,
    build_baseline,
    check,
    edit_listing,
    failures,
    generate_project,
    lost_ids,
    marker,
    run,
    table,
)

from hankkeet.municipalities import Gazetteer

LONG = os.environ.get("HANKKEET_HYPOTHESIS") == "long"
MIXED_LISTINGS = 2000 if LONG else 200
CLASS_LISTINGS = 400 if LONG else 40
MIXED_SEED, CLASS_SEED = 1, 2
PROJECT_EDITS = [c for c in EDIT_CLASSES if c.project is not None]
LISTING_EDITS = [c for c in EDIT_CLASSES if c.listing is not None]


@pytest.fixture(scope="module")
def baseline(gazetteer: Gazetteer) -> Baseline:
    return build_baseline(gazetteer)


@pytest.fixture(scope="module")
def mixed(baseline: Baseline, gazetteer: Gazetteer) -> list[Outcome]:
    return run(baseline, MIXED_LISTINGS, MIXED_SEED, EDIT_CLASSES, gazetteer)


def _names(classes: Sequence[EditClass]) -> list[str]:
    return [c.name for c in classes]


def _assert_never_silent(outcomes: Sequence[Outcome], classes: Sequence[EditClass]) -> None:
    silent = [o for o in outcomes if o.verdict == SILENT]
    if silent:
        pytest.fail(f"{len(silent)} projects read wrong without a warning\n{table(outcomes, _names(classes))}\n\n"
                    f"{failures(outcomes, _names(classes), 3)}", pytrace=False)


def _assert_ids_kept(outcomes: Sequence[Outcome]) -> None:
    lost = [o for o in outcomes if o.id_kept is False]
    if lost:
        pytest.fail(f"{len(lost)} projects read right lost their seed id\n{lost_ids(outcomes, 5)}", pytrace=False)


# --- The simulator itself -------------------------------------------------------------------------------------

def test_unedited_baseline_is_the_seed_byte_for_byte(baseline: Baseline) -> None:
    assert baseline.listing().text == baseline.text
    assert len(baseline.listing().expected) == 142


def test_unedited_seed_is_read_right_with_its_ids(baseline: Baseline, gazetteer: Gazetteer) -> None:
    outcomes = check(baseline.listing(), gazetteer)
    assert [o.verdict for o in outcomes] == [RIGHT] * 142, failures(outcomes, [], 5, "warned")
    assert all(o.id_kept for o in outcomes)


def test_seed_rows_are_tagged_as_the_extraction_reads_them(baseline: Baseline) -> None:
    for piece in baseline.pieces:
        assert piece.record is not None
        kinds = [row.kind for row in piece.rows]
        assert (TITLE in kinds) == (piece.record.title is not None)
        assert (MARKER in kinds) == piece.record.ended
        assert sorted(k for row in piece.rows for k in row.refs) == list(range(len(piece.record.contacts)))


@pytest.mark.parametrize("edit", PROJECT_EDITS, ids=_names(PROJECT_EDITS))
def test_project_edit_changes_the_lines_it_edits(baseline: Baseline, edit: EditClass) -> None:
    seed_lines = {p.seed_id: p.lines for p in baseline.pieces}
    for k in range(5):
        listing = edit_listing(baseline, random.Random(k), (edit,))
        edited = [e for e in listing.expected if edit.name in e.edits]
        assert edited, f"{edit.name} edited no project"
        assert all(e.lines != seed_lines[e.seed_id] for e in edited)
        assert listing.text != baseline.text


@pytest.mark.parametrize("edit", LISTING_EDITS, ids=_names(LISTING_EDITS))
def test_listing_edit_changes_the_listing(baseline: Baseline, edit: EditClass) -> None:
    for k in range(5):
        listing = edit_listing(baseline, random.Random(k), (edit,))
        assert listing.text != baseline.text
        assert any(edit.name in e.edits for e in listing.expected)


def test_edited_listings_are_reproducible(baseline: Baseline) -> None:
    first = edit_listing(baseline, random.Random("7:3"))
    assert first == edit_listing(baseline, random.Random("7:3"))
    assert first != edit_listing(baseline, random.Random("7:4"))


def test_expected_spans_cover_every_line_once(baseline: Baseline) -> None:
    for k in range(10):
        listing = edit_listing(baseline, random.Random(k))
        covered = [n for e in listing.expected for n in range(e.span[0], e.span[1] + 1)]
        filled = {n for n, line in enumerate(listing.text.split("\n"), 1) if line.strip()}
        assert len(covered) == len(set(covered))
        assert filled <= set(covered)
        assert len(listing.expected) >= 142


def test_edits_that_change_no_field_leave_the_records_alone(baseline: Baseline) -> None:
    seed = {p.seed_id: p.record for p in baseline.pieces}
    unchanged = [c for c in EDIT_CLASSES if c.name in ("move", "spacing", "title-style", "partner-label")]
    for k in range(5):
        for e in edit_listing(baseline, random.Random(k), unchanged).expected:
            assert e.record == seed[e.seed_id]


def test_marker_gives_an_iso_date_only_for_a_full_day() -> None:
    rng = random.Random(0)
    for _ in range(300):
        swedish = rng.random() < 0.3
        text, day = marker(swedish, rng)
        full = re.search(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b", text)
        assert (day is None) == (full is None), text
        if full:
            assert day == f"{full[3]}-{int(full[2]):02}-{int(full[1]):02}"


@pytest.mark.parametrize("feature", SHAPES)
def test_generated_project_has_its_shape(feature: str) -> None:
    rng = random.Random(feature)
    for _ in range(20):
        piece = generate_project(rng, 0, frozenset({feature}))
        record = piece.record
        assert record is not None and record.title is not None
        title = piece.rows[0].text
        contacts = [row for row in piece.rows if row.kind == CONTACT]
        match feature:
            case "no-partners":
                assert record.partners == ()
            case "no-contacts":
                assert record.contacts == () and record.lead is None and not contacts
            case "email-only":
                assert len(record.contacts) == 1 and record.contacts[0].name is None and record.contacts[0].email
                assert record.lead == record.contacts[0].place
            case "ended-dated":
                assert record.ended and record.ended_on is not None
            case "swedish":
                assert piece.swedish
            case "long-title":
                assert 16 <= len(title.split()) <= 25
            case "title-stop":
                assert title == record.title + "."
            case "several-contacts":
                assert len(record.contacts) >= 2 and record.lead == record.contacts[0].place
            case "rich-contact":
                assert any(p.role and p.email and p.phone for p in record.contacts)


def test_generated_titles_bodies_and_names_name_no_municipality() -> None:
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = {n.casefold() for r in rows for n in (r["name_fi"], r["name_sv"], r["genitive_fi"])}
    genitives = {r["genitive_fi"].casefold() for r in rows}
    rng = random.Random(1)
    for _ in range(300):
        piece = generate_project(rng, 0)
        text = " ".join(row.text for row in piece.rows if row.kind in (TITLE, BODY))
        text += " " + " ".join(row.text.split(",")[0] for row in piece.rows if row.kind == CONTACT)
        for word in re.findall(r"\b[A-ZÅÄÖ][\wåäö-]*", text):
            folded = word.casefold()
            assert folded not in names, word
            assert not any(folded.endswith(s) and folded[:-len(s)] + "n" in genitives
                           for s in ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle")), word


# --- The extractor against edited releases --------------------------------------------------------------------

def test_no_project_of_an_edited_release_is_silently_wrong(mixed: list[Outcome]) -> None:
    _assert_never_silent(mixed, EDIT_CLASSES)


def test_meaning_keeping_edits_keep_ids(mixed: list[Outcome]) -> None:
    _assert_ids_kept(mixed)


@pytest.mark.parametrize("edit", EDIT_CLASSES, ids=_names(EDIT_CLASSES))
def test_edit_class_alone(baseline: Baseline, gazetteer: Gazetteer, edit: EditClass) -> None:
    outcomes = run(baseline, CLASS_LISTINGS, CLASS_SEED, (edit,), gazetteer)
    _assert_never_silent(outcomes, (edit,))
    _assert_ids_kept(outcomes)
