"""history: a series of snapshots made from the listing by editing it, followed project by project."""
from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import LISTING

from hankkeet import extract, transaction
from hankkeet.cli import main
from hankkeet.history import (
    COLUMNS,
    SnapshotDateError,
    date_in_name,
    history,
    render_csv,
    render_markdown,
)
from hankkeet.municipalities import Gazetteer
from hankkeet.output import dataset_record

TEXT = LISTING.read_text(encoding="utf-8")
DATES = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"]
NEW = "Uusi hanke\nKuvaus uudesta hankkeesta.\nLisätietoja\nAnna Aalto, Espoo\n"


def block(first: str, last: str) -> str:
    """The lines of the listing from the one starting with ``first`` to the line ``last``."""
    start = TEXT.index(first)
    return TEXT[start:TEXT.index(last + "\n", start) + len(last) + 1]


DIGITURVA = block("1. Digiturvalla tulevaan\n", "Vesa Huttunen, Heinola")
TIEDOLLA = block("Tiedolla johtaminen\nYlä-Savon kuntien", "Tarja Säisä, Iisalmi")


def ended(text: str, title_line: str) -> str:
    assert f"\n{title_line}\n" in text or text.startswith(f"{title_line}\n")
    return text.replace(f"{title_line}\n", f"{title_line}\nHANKE ON PÄÄTTYNYT.\n", 1)


def retitled(text: str, old: str, new: str) -> str:
    assert f"\n{old}\n" in text
    return text.replace(f"\n{old}\n", f"\n{new}\n", 1)


def series() -> list[str]:
    """Five snapshots: one project removed and back later, one added and removed again, two marked ended, one
    renamed twice, one removed for good."""
    s2 = ended(TEXT.replace(DIGITURVA, ""), "2. Kaupunki omadataoperaattorina").rstrip("\n") + "\n" + NEW
    s3 = retitled(s2, "Open Agenda", "Open Agenda 2.0")
    s4 = retitled(ended(TEXT, "2. Kaupunki omadataoperaattorina"), "Open Agenda", "Open Agenda 2.1")
    s5 = ended(s4.replace(TIEDOLLA, ""), "Kunta kuuluu kaikille")
    return [TEXT, s2, s3, s4, s5]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("series")
    paths = [folder / f"{day}.txt" for day in DATES]
    for path, text in zip(paths, series(), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def snapshots(gazetteer: Gazetteer) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(day, [dataset_record(p) for p in extract(text, gazetteer).projects])
            for day, text in zip(DATES, series(), strict=True)]


def row(project_id: str, title: str, first: str, last: str = "", ended_seen: str = "", renamed_from: str = "",
        count: int = 5) -> dict[str, Any]:
    return dict(zip(COLUMNS, (project_id, title, first, last, ended_seen, renamed_from, count), strict=True))


EDITED = [
    row("alavus--kunta-kuuluu-kaikille", "Kunta kuuluu kaikille", "2024-01-01", ended_seen="2024-05-01"),
    row("heinola--digiturvalla-tulevaan", "Digiturvalla tulevaan", "2024-01-01", count=3),
    row("helsinki--kaupunki-omadataoperaattorina", "Kaupunki omadataoperaattorina", "2024-01-01",
        ended_seen="2024-02-01"),
    row("ii--open-agenda-2-1", "Open Agenda 2.1", "2024-01-01", renamed_from="ii--open-agenda;ii--open-agenda-2-0"),
    row("iisalmi--tiedolla-johtaminen", "Tiedolla johtaminen", "2024-01-01", last="2024-04-01", count=4),
    row("espoo--uusi-hanke", "Uusi hanke", "2024-02-01", last="2024-03-01", count=2),
]


def test_every_column_of_the_edited_projects(snapshots: list[tuple[str, list[dict[str, Any]]]]) -> None:
    rows = history(snapshots).rows
    edited = {r["id"] for r in EDITED}
    assert [r for r in rows if r["id"] in edited] == EDITED
    assert len(rows) == 143 and len({r["id"] for r in rows}) == 143  # the 142 of the listing and the new one


def test_untouched_projects_are_there_from_the_first_snapshot_to_the_last(
        snapshots: list[tuple[str, list[dict[str, Any]]]]) -> None:
    edited = {r["id"] for r in EDITED}
    first = snapshots[0][1]
    expected = [row(r["id"], r["title"], "2024-01-01", ended_seen="2024-01-01" if r["ended"] else "")
                for r in sorted(first, key=lambda r: r["id"]) if r["id"] not in edited | {"ii--open-agenda"}]
    assert [r for r in history(snapshots).rows if r["id"] not in edited] == expected
    assert (len(expected), sum(bool(r["ended_seen"]) for r in expected)) == (137, 70)  # every ended one of the listing


def _record(project_id: str, title: str, ended: bool = False) -> dict[str, Any]:
    return {"id": project_id, "title": title, "ended": ended, "lead": {"code": "139"}}


def test_renames_are_one_to_one_across_the_series() -> None:
    a, b, c = _record("ii--open-agenda", "Open Agenda"), _record("ii--open-agenda-x", "Open Agenda X"), \
        _record("ii--open-agenda-2", "Open Agenda 2")
    rows = history([("2024-01-01", [a, b]), ("2024-02-01", [c])]).rows
    assert rows == [
        {"id": "ii--open-agenda", "title": "Open Agenda", "first_seen": "2024-01-01", "last_seen": "2024-01-01",
         "ended_seen": "", "renamed_from": "", "snapshots": 1},
        {"id": "ii--open-agenda-2", "title": "Open Agenda 2", "first_seen": "2024-01-01", "last_seen": "",
         "ended_seen": "", "renamed_from": "ii--open-agenda-x", "snapshots": 2},
    ]


def test_a_rename_back_and_a_reused_id() -> None:
    a, b = _record("ii--open-agenda", "Open Agenda"), _record("ii--open-agenda-2", "Open Agenda 2")
    result = history([("2024-01-01", [a]), ("2024-02-01", [b]), ("2024-03-01", [a]),
                      ("2024-04-01", [{**a, "ended": True}, b])])
    assert result.rows == [
        {"id": "ii--open-agenda", "title": "Open Agenda", "first_seen": "2024-01-01", "last_seen": "",
         "ended_seen": "2024-04-01", "renamed_from": "ii--open-agenda-2", "snapshots": 4},
        {"id": "ii--open-agenda-2", "title": "Open Agenda 2", "first_seen": "2024-04-01", "last_seen": "",
         "ended_seen": "", "renamed_from": "", "snapshots": 1},
    ]
    assert [len(s.renamed) for s in result.steps] == [0, 1, 1, 0]


def test_no_snapshots_no_rows() -> None:
    result = history([])
    assert render_csv(result) == "id,title,first_seen,last_seen,ended_seen,renamed_from,snapshots\r\n"
    assert render_markdown(result) == "# History of 0 snapshots (none)\n\n**0 projects in all, 0 in the newest**\n"


@pytest.mark.parametrize(("name", "expected"), [
    ("2024-01-31.txt", "2024-01-31"),
    ("archive/listing-2024-01-31.txt", "2024-01-31"),
    ("releases/2024-01-31/hankkeet.yaml", "2024-01-31"),
    ("2023-12-31/listing-2024-01-31.txt", "2024-01-31"),
    ("listing.txt", None),
    ("20240131.txt", None),
    ("v12024-01-31.txt", None),
])
def test_the_date_in_a_name(name: str, expected: str | None) -> None:
    assert date_in_name(name) == expected


@pytest.mark.parametrize(("name", "message"), [
    ("2024-01-01_2024-02-01.txt",
     "2024-01-01_2024-02-01.txt: more than one date in its name (2024-01-01, 2024-02-01); give --dates"),
    ("2024-02-30.txt", "2024-02-30.txt: '2024-02-30' is not a date (YYYY-MM-DD)"),
])
def test_a_name_whose_date_cannot_be_used(name: str, message: str) -> None:
    with pytest.raises(SnapshotDateError) as caught:
        date_in_name(name)
    assert str(caught.value) == message


# ---- the command


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr  # .stdout turns CRLF into LF


SUMMARY = "143 projects in 5 snapshots (2024-01-01 to 2024-05-01) -> "


def test_history_csv_on_standard_output(files: list[Path],
                                        snapshots: list[tuple[str, list[dict[str, Any]]]]) -> None:
    code, out, err = run("history", *(str(p) for p in reversed(files)))  # taken in date order, not as given
    assert (code, err) == (0, SUMMARY + "standard output\n"), err
    assert out == render_csv(history(snapshots))
    assert out.splitlines()[0] == ",".join(COLUMNS)


MARKDOWN = """\
# History of 5 snapshots (2024-01-01 to 2024-05-01)

**143 projects in all, 141 in the newest**

## 2024-01-01

142 projects (70 ended): the first snapshot

## 2024-02-01

142 projects (71 ended); 1 added, 0 returned, 0 renamed, 1 ended, 1 removed

### Added

- Uusi hanke (`espoo--uusi-hanke`)

### Ended

- Kaupunki omadataoperaattorina (`helsinki--kaupunki-omadataoperaattorina`)

### Removed

- Digiturvalla tulevaan (`heinola--digiturvalla-tulevaan`)

## 2024-03-01

142 projects (71 ended); 0 added, 0 returned, 1 renamed, 0 ended, 0 removed

### Renamed

- “Open Agenda” → “Open Agenda 2.0” (`ii--open-agenda` → `ii--open-agenda-2-0`)

## 2024-04-01

142 projects (71 ended); 0 added, 1 returned, 1 renamed, 0 ended, 1 removed

### Returned

- Digiturvalla tulevaan (`heinola--digiturvalla-tulevaan`)

### Renamed

- “Open Agenda 2.0” → “Open Agenda 2.1” (`ii--open-agenda-2-0` → `ii--open-agenda-2-1`)

### Removed

- Uusi hanke (`espoo--uusi-hanke`)

## 2024-05-01

141 projects (72 ended); 0 added, 0 returned, 0 renamed, 1 ended, 1 removed

### Ended

- Kunta kuuluu kaikille (`alavus--kunta-kuuluu-kaikille`)

### Removed

- Tiedolla johtaminen (`iisalmi--tiedolla-johtaminen`)
"""


def test_history_markdown_is_a_timeline(files: list[Path]) -> None:
    code, out, err = run("history", *(str(p) for p in files), "--format", "markdown", "-q")
    assert (code, err) == (0, ""), err
    assert out == MARKDOWN


def test_out_file_is_written_whole(files: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "history.csv"
    target.write_text("an earlier run\n", encoding="utf-8")
    code, out, err = run("history", *(str(p) for p in files), "--out", str(target))
    assert (code, out, err) == (0, "", SUMMARY + f"{target.as_posix()}\n"), err
    assert target.read_bytes().decode("utf-8") == run("history", *(str(p) for p in files))[1]
    assert [p.name for p in tmp_path.iterdir()] == ["history.csv"]  # no temporary file left


def test_an_out_file_that_fails_midway_is_left_as_it_was(files: list[Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "history.csv"
    target.write_text("an earlier run\n", encoding="utf-8")

    def full(source: object, destination: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(transaction.os, "replace", full)
    code, out, err = run("history", str(files[0]), "--out", str(target))
    assert (code, out, err) == (2, "", f"Error: cannot write to {target.as_posix()}: No space left on device\n")
    assert target.read_text(encoding="utf-8") == "an earlier run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["history.csv"]


def test_dates_for_names_without_one(files: list[Path], tmp_path: Path) -> None:
    names = []
    for letter, path in zip("edcba", files, strict=True):  # the names sort against the dates
        names.append(tmp_path / f"{letter}.txt")
        names[-1].write_bytes(path.read_bytes())
    code, out, err = run("history", *(str(p) for p in names), "--dates", ",".join(DATES), "-q")
    assert (code, err) == (0, ""), err
    assert out == run("history", *(str(p) for p in files))[1]


def test_dates_override_the_names(files: list[Path]) -> None:
    later = ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01"]
    code, out, err = run("history", *(str(p) for p in files), "--dates", ",".join(later), "-q")
    assert (code, err) == (0, ""), err
    assert out == run("history", *(str(p) for p in files), "-q")[1].replace("2024-", "2025-")


@pytest.mark.parametrize(("names", "dates", "message"), [
    (["a.txt", "b.txt"], "2024-01-01", "--dates gives 1 date for 2 snapshots"),
    (["a.txt", "b.txt"], "2024-01-01,2024-01-01", "a.txt and b.txt have the same date, 2024-01-01"),
    (["a.txt", "b.txt"], "2024-01-01,2024-13-01", "--dates: '2024-13-01' is not a date (YYYY-MM-DD)"),
    (["a.txt", "b.txt"], None, "a.txt: no YYYY-MM-DD date in its name; give --dates D1,D2,…"),
    (["x-2024-01-01.txt", "y-2024-01-01.txt"], None,
     "x-2024-01-01.txt and y-2024-01-01.txt have the same date, 2024-01-01"),
    (["-", "-"], "2024-01-01,2024-02-01", "standard input (-) can be only one of the snapshots"),
    (["2024-01-01.txt", "2024-02-01.txt"], None, "2024-01-01.txt: no such file"),
])
def test_snapshots_that_cannot_be_ordered_or_read_are_exit_2(names: list[str], dates: str | None, message: str,
                                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("history", *names, *(["--dates", dates] if dates else []))
    assert (code, out, err) == (2, "", f"Error: {message}\n")


@pytest.mark.parametrize(("folder", "reason"), [("plain", "Not a directory"),
                                                ("missing", "No such file or directory")])
def test_an_out_file_that_cannot_be_written_is_exit_2(files: list[Path], tmp_path: Path, folder: str,
                                                      reason: str) -> None:
    (tmp_path / "plain").write_text("", encoding="utf-8")
    target = (tmp_path / folder / "history.csv").as_posix()
    code, out, err = run("history", str(files[0]), "--out", target)
    assert (code, out, err) == (2, "", f"Error: cannot write to {target}: {reason}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain"]


def test_snapshots_can_be_an_extract_folder_and_a_dataset_folder(tmp_path: Path) -> None:
    first = "Eka\nKuvaus.\nLisätietoja\nAnna Aalto, Espoo\n"
    second = (first.replace("Kuvaus.", "HANKE ON PÄÄTTYNYT.\nKuvaus.")
              + "Toka\nKuvaus.\nLisätietoja\nBo Berg, Vantaa\n")
    (tmp_path / "first.txt").write_text(first, encoding="utf-8")
    (tmp_path / "second.txt").write_text(second, encoding="utf-8")
    releases = tmp_path / "releases"
    assert run("extract", str(tmp_path / "first.txt"), "--out", str(releases / "2024-01-01"), "--no-sqlite",
               "-q")[0] == 0
    assert run("dataset", str(tmp_path / "second.txt"), "--into", str(releases / "2024-06-30"), "-q")[0] == 0
    code, out, err = run("history", str(releases / "2024-06-30"), str(releases / "2024-01-01"), "-q")
    assert (code, err) == (0, ""), err
    assert out == ("id,title,first_seen,last_seen,ended_seen,renamed_from,snapshots\r\n"
                   "espoo--eka,Eka,2024-01-01,,2024-06-30,,2\r\n"
                   "vantaa--toka,Toka,2024-06-30,,,,1\r\n")


def test_out_is_never_one_of_the_snapshots(files: list[Path]) -> None:
    before = files[0].read_bytes()
    code, out, err = run("history", str(files[0]), str(files[1]), "--out", str(files[0]))
    assert (code, out) == (2, "")
    assert err == f"Error: --out {files[0].as_posix()}: that is one of the snapshots; give another file name\n"
    assert files[0].read_bytes() == before


def test_markdown_names_a_project_without_a_title_and_counts_in_words() -> None:
    from hankkeet.history import history, render_markdown

    record = {"id": "tuntematon--kuvaus", "title": None, "ended": False, "lead": None}
    text = render_markdown(history([("2024-01-01", []), ("2024-02-01", [record])]))
    assert "# History of 2 snapshots (2024-01-01 to 2024-02-01)" in text
    assert "**1 project in all, 1 in the newest**" in text
    assert "- (no title) (`tuntematon--kuvaus`)" in text.splitlines()
