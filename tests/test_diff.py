"""diff: ids that stay put, and comparisons of constructed releases covering every change kind."""
from __future__ import annotations

import json
from typing import Any

import pytest

from hankkeet import extract
from hankkeet.diff import compare, pair_renames, render_json, render_markdown, render_text, word_diff
from hankkeet.ids import base_id, slug
from hankkeet.model import Lead, Project
from hankkeet.municipalities import Gazetteer
from hankkeet.output import dataset_record

BLOCKS = {
    "a": "1. Kaupunki taskussa\nHANKE ON PÄÄTTYNYT.\nMobiilisovellus.\nLisätietoja\nJouni Jäkkö, Hämeenlinna\n",
    "b": "2. ICT-osaamisen tuen ekosysteemi\nKartoitus.\nMuut kunnat: Lahti, Porvoo\nLisätietoja\nJari Harvio, Hämeenlinna\n",
    "c": "Open Agenda\nOsallistava päätöksenteko.\nMuut kunnat: Inari\nLisätietoja\nAri Alatossava, Ii\n",
    "d": "Tiedolla johtaminen\nTaloushallinto.\nLisätietoja\nTarja Säisä, Iisalmi\n",
}


def ids(order: str, gazetteer: Gazetteer, blocks: dict[str, str] = BLOCKS) -> dict[str, str]:
    release = extract("".join(blocks[k] for k in order), gazetteer)
    return {p.title or "": p.id for p in release.projects}


def test_ids_are_derived_from_lead_and_title(gazetteer: Gazetteer) -> None:
    assert ids("abcd", gazetteer) == {
        "Kaupunki taskussa": "hameenlinna--kaupunki-taskussa",
        "ICT-osaamisen tuen ekosysteemi": "hameenlinna--ict-osaamisen-tuen-ekosysteemi",
        "Open Agenda": "ii--open-agenda",
        "Tiedolla johtaminen": "iisalmi--tiedolla-johtaminen",
    }


@pytest.mark.parametrize("order", ["dcba", "cab", "ad", "bd", "abc"], ids=["reordered", "reordered-subset",
                                                                          "deleted-two", "deleted-first", "deleted-last"])
def test_ids_do_not_move_when_other_projects_change(order: str, gazetteer: Gazetteer) -> None:
    full = ids("abcd", gazetteer)
    for title, project_id in ids(order, gazetteer).items():
        assert full[title] == project_id


def test_inserting_a_project_leaves_the_other_ids_alone(gazetteer: Gazetteer) -> None:
    blocks = {**BLOCKS, "e": "Uusi hanke\nKuvaus.\nLisätietoja\nAnna Aalto, Espoo\n"}
    full = ids("abcd", gazetteer)
    with_new = ids("abecd", gazetteer, blocks)
    assert {t: i for t, i in with_new.items() if t != "Uusi hanke"} == full


def test_a_clash_gets_a_content_hash_suffix_that_survives_reordering(gazetteer: Gazetteer) -> None:
    twin1 = "Tiedolla johtaminen\nEnsimmäinen kuvaus.\nLisätietoja\nTarja Säisä, Iisalmi\n"
    twin2 = "Tiedolla johtaminen\nToinen kuvaus.\nLisätietoja\nTarja Säisä, Iisalmi\n"
    first = extract(twin1 + twin2, gazetteer).projects
    second = extract(twin2 + twin1, gazetteer).projects
    assert first[0].id != first[1].id
    assert all(p.id.startswith("iisalmi--tiedolla-johtaminen-") and len(p.id) == len("iisalmi--tiedolla-johtaminen-")
               + 6 for p in first)
    assert {p.description: p.id for p in first} == {p.description: p.id for p in second}
    assert [d.code for d in first[0].diagnostics] == ["duplicate-id"]


def _records(text: str, gazetteer: Gazetteer) -> list[dict[str, Any]]:
    return [dataset_record(p) for p in extract(text, gazetteer).projects]


def test_compare_every_change_kind(gazetteer: Gazetteer) -> None:
    old = _records("".join(BLOCKS.values()), gazetteer)
    new_text = (
        BLOCKS["a"]
        + BLOCKS["b"].replace("2. ICT", "2. ICT", 1).replace("Kartoitus.\n", "Kartoitus.\nHANKE ON PÄÄTTYNYT.\n")
        .replace("Lahti, Porvoo", "Lahti, Vantaa")
        + BLOCKS["c"].replace("Open Agenda\n", "Open Agenda 2.0\n").replace("Ari Alatossava", "Aino Alatossava")
        + "Uusi hanke\nKuvaus.\nLisätietoja\nAnna Aalto, Espoo\n"
    )
    comparison = compare(old, _records(new_text, gazetteer))
    assert json.loads(render_json(comparison)) == {
        "summary": {"added": 1, "removed": 1, "renamed": 1, "changed": 2, "ended": 1},
        "added": [{"id": "espoo--uusi-hanke", "title": "Uusi hanke"}],
        "removed": [{"id": "iisalmi--tiedolla-johtaminen", "title": "Tiedolla johtaminen"}],
        "renamed": [{"old_id": "ii--open-agenda", "new_id": "ii--open-agenda-2-0", "old_title": "Open Agenda",
                     "new_title": "Open Agenda 2.0"}],
        "changed": [
            {"id": "hameenlinna--ict-osaamisen-tuen-ekosysteemi", "title": "ICT-osaamisen tuen ekosysteemi",
             "fields": {"ended": {"old": False, "new": True},
                        "partners": {"added": ["092"], "removed": ["638"]}}},
            {"id": "ii--open-agenda-2-0", "title": "Open Agenda 2.0",
             "fields": {"contacts": {"added": ["Aino Alatossava, Ii"], "removed": ["Ari Alatossava, Ii"]}}},
        ],
    }
    text = render_text(comparison, "old.txt")
    assert text.splitlines()[0] == "1 added, 1 removed, 1 renamed, 2 changed, 1 ended since old.txt"
    assert "    partners: + Vantaa (092); − Porvoo (638)" in text.splitlines()
    markdown = render_markdown(comparison, "old.txt")
    assert "- “Open Agenda” → “Open Agenda 2.0” (`ii--open-agenda` → `ii--open-agenda-2-0`)" in markdown
    assert "\x1b[" not in text and "\x1b[" in render_text(comparison, "old.txt", colour=True)


def test_equal_releases_compare_equal(gazetteer: Gazetteer) -> None:
    records = _records("".join(BLOCKS.values()), gazetteer)
    comparison = compare(records, list(reversed(records)))
    assert comparison.equal
    assert comparison.summary() == {"added": 0, "removed": 0, "renamed": 0, "changed": 0, "ended": 0}


def test_a_different_title_with_another_lead_is_not_a_rename(gazetteer: Gazetteer) -> None:
    old = _records(BLOCKS["c"], gazetteer)
    new = _records(BLOCKS["c"].replace("Open Agenda\n", "Open Agenda 2.0\n").replace(", Ii", ", Inari"), gazetteer)
    comparison = compare(old, new)
    assert (len(comparison.added), len(comparison.removed), comparison.renamed) == (1, 1, [])


def _agenda(title: str, description: str) -> str:
    return f"{title}\n{description}\nLisätietoja\nAri Alatossava, Ii\n"


@pytest.mark.parametrize("flip", [False, True], ids=["in-order", "reversed"])
def test_two_removed_projects_cannot_both_be_renamed_to_one_added(gazetteer: Gazetteer, flip: bool) -> None:
    old = _records(_agenda("Open Agenda", "Eka.") + _agenda("Open Agenda 2", "Toka."), gazetteer)
    new = _records(_agenda("Open Agenda 2.0", "Kolmas."), gazetteer)
    comparison = compare(old[::-1] if flip else old, new)
    assert (comparison.renamed, comparison.removed, comparison.added) == (
        [{"old_id": "ii--open-agenda-2", "new_id": "ii--open-agenda-2-0", "old_title": "Open Agenda 2",
          "new_title": "Open Agenda 2.0"}],
        [{"id": "ii--open-agenda", "title": "Open Agenda"}],
        [],
    )


@pytest.mark.parametrize("flip", [False, True], ids=["in-order", "reversed"])
def test_one_removed_project_cannot_be_renamed_to_two_added(gazetteer: Gazetteer, flip: bool) -> None:
    old = _records(_agenda("Open Agenda 2", "Eka."), gazetteer)
    new = _records(_agenda("Open Agenda", "Toka.") + _agenda("Open Agenda 2.0", "Kolmas."), gazetteer)
    comparison = compare(old, new[::-1] if flip else new)
    assert (comparison.renamed, comparison.added, comparison.removed) == (
        [{"old_id": "ii--open-agenda-2", "new_id": "ii--open-agenda-2-0", "old_title": "Open Agenda 2",
          "new_title": "Open Agenda 2.0"}],
        [{"id": "ii--open-agenda", "title": "Open Agenda"}],
        [],
    )


def test_equally_similar_candidates_are_paired_by_id_order() -> None:
    def record(project_id: str, title: str) -> dict[str, Any]:
        return {"id": project_id, "title": title, "ended": False, "lead": {"code": "139"}}

    old = [record("ii--b", "Open Agenda"), record("ii--a", "Open Agenda")]
    new = [record("ii--d", "Open Agenda"), record("ii--c", "Open Agenda")]
    for o in (old, old[::-1]):
        for n in (new, new[::-1]):
            assert [(a["id"], b["id"]) for a, b in pair_renames(o, n)] == [("ii--a", "ii--c"), ("ii--b", "ii--d")]


def test_description_change_shows_a_word_diff(gazetteer: Gazetteer) -> None:
    old = _records(BLOCKS["d"], gazetteer)
    new = _records(BLOCKS["d"].replace("Taloushallinto.", "Taloushallinto ja henkilöstö."), gazetteer)
    (change,) = compare(old, new).changed
    assert change["fields"]["description"]["diff"] == "[-Taloushallinto.-] {+Taloushallinto ja henkilöstö.+}"


def test_word_diff_keeps_a_little_context() -> None:
    words = "a b c d e f g h i j k l m n o p q r s t u v w x y z".split()
    old = " ".join(words)
    new = old.replace(" m ", " M ")
    assert word_diff(old, new) == "… i j k l [-m-] {+M+} n o p q …"
    assert word_diff("a b", "a b c") == "a b {+c+}"


def test_title_change_beyond_the_id_words_and_lead_change(gazetteer: Gazetteer) -> None:
    long_title = "Yksi kaksi kolme neljä viisi kuusi seitsemän kahdeksan yhdeksän"
    old = _records(f"{long_title}\nKuvaus.\nLisätietoja\nAnna Aalto, Espoo\n", gazetteer)
    new = _records(f"{long_title} kymmenen\nKuvaus.\nLisätietoja\nAnna Aalto, Espoo ja Bo Berg, Vantaa\n", gazetteer)
    (change,) = compare(old, new).changed
    assert change["fields"]["title"] == {"old": long_title, "new": f"{long_title} kymmenen"}
    assert change["fields"]["contacts"] == {"added": ["Bo Berg, Vantaa"], "removed": []}
    moved = _records(f"{long_title}\nKuvaus.\nLisätietoja\nAnna Aalto, Vantaa\n", gazetteer)
    comparison = compare(old, moved)
    assert (len(comparison.added), len(comparison.removed)) == (1, 1)  # another lead is another id, not a rename


def test_a_date_written_with_the_marker_is_a_change(gazetteer: Gazetteer) -> None:
    old = _records(BLOCKS["a"], gazetteer)
    new = _records(BLOCKS["a"].replace("HANKE ON PÄÄTTYNYT.", "Hanke päättyi 31.12.2022."), gazetteer)
    comparison = compare(old, new)
    assert [c["fields"] for c in comparison.changed] == [{"ended_on": {"old": None, "new": "2022-12-31"}}]
    assert "    ended_on: - → 2022-12-31" in render_text(comparison, "old.txt").splitlines()


def test_a_title_that_ends_like_a_twin_suffix_still_gets_its_own_id(gazetteer: Gazetteer) -> None:
    twin1 = "Tiedolla johtaminen\nEnsimmäinen kuvaus.\nLisätietoja\nTarja Säisä, Iisalmi\n"
    twin2 = "Tiedolla johtaminen\nToinen kuvaus.\nLisätietoja\nTarja Säisä, Iisalmi\n"
    twins = extract(twin1 + twin2, gazetteer).projects
    suffix = twins[0].id.rsplit("-", 1)[1]
    third = f"Tiedolla johtaminen {suffix}\nKolmas kuvaus.\nLisätietoja\nTarja Säisä, Iisalmi\n"
    projects = extract(twin1 + twin2 + third, gazetteer).projects
    assert len({p.id for p in projects}) == 3
    assert projects[2].id == twins[0].id  # a unique title keeps its natural id ...
    assert projects[0].id == f"{twins[0].id}-2"  # ... and the twin whose suffixed id it took moves on, warned
    assert "was taken too" in projects[0].diagnostics[-1].message


def test_identical_projects_get_numbered_ids_in_order(gazetteer: Gazetteer) -> None:
    block = "Sama hanke\nSama kuvaus.\nLisätietoja\nTarja Säisä, Iisalmi\n\n"
    projects = extract(block * 2000, gazetteer).projects
    first = projects[0].id
    assert [p.id for p in projects] == [first] + [f"{first}-{n}" for n in range(2, 2001)]


@pytest.mark.parametrize("word_length", [59, 60, 61, 230, 5000])
def test_ids_stay_short_enough_for_a_file_name_whatever_the_word_length(gazetteer: Gazetteer,
                                                                        word_length: int) -> None:
    word = "a" * word_length
    text = f"{word} {word}\nKuvaus.\nLisätietoja\nTarja Säisä, Iisalmi\n\n" * 2
    ids = [p.id for p in extract(text, gazetteer).projects]
    assert ids[0].startswith(f"iisalmi--{'a' * min(word_length, 60)}-")
    assert all(len(i) <= 60 + 2 + 60 + 7 for i in ids) and len(set(ids)) == 2


# ---- ids.py


def test_slug_keeps_at_most_eight_words_and_never_returns_empty() -> None:
    assert slug("a b c d e f g h i j") == "a-b-c-d-e-f-g-h"
    assert slug("– ? –") == "x" and slug("") == "x"


def test_the_lead_part_of_an_id_keeps_four_words() -> None:
    project = Project("", None, "Hanke", False, "fi", Lead(None, None, organisation="Yksi Kaksi Kolme Neljä Viisi"),
                      (), (), "", 1, 1)
    assert base_id(project) == "yksi-kaksi-kolme-nelja--hanke"
