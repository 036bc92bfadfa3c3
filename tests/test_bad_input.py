"""Bad input gets a defined outcome: a result with warnings, or exit status 2 with one line. No traceback."""
from __future__ import annotations

import codecs
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hankkeet import extract
from hankkeet.cli import main
from hankkeet.lines import classify_text, split_partners
from hankkeet.municipalities import Gazetteer
from hankkeet.output import to_yaml
from hankkeet.tables import to_csv

PROJECT = "Hanke\nKuvaus on tässä.\nMuut kunnat: Lahti\nLisätietoja\nAnna Aalto, Espoo\n"

# name: (bytes of the input file or None for "do not create", extra CLI arguments,
#        expected exit status, expected text on stderr (first line), expected warning codes)
CASES: dict[str, tuple[bytes | None, list[str], int, str, list[str]]] = {
    "empty file": (b"", [], 0, "0 projects", ["empty-input"]),
    "whitespace only": (b"  \n\t\n\xc2\xa0\n", [], 0, "0 projects", ["empty-input"]),
    "missing file": (None, [], 2, "Error: {path}: no such file", []),
    "binary file": (b"\x89PNG\r\n\x1a\n\x00\x00", [], 2,
                    "Error: {path}: binary data (a NUL byte at offset 8), not a text listing", []),
    "latin-1 without --encoding": (PROJECT.encode("latin-1"), [], 2,
                                   "Error: {path}: not valid UTF-8 at byte offset 17; if it was saved from Excel "
                                   "or Windows, try --encoding cp1252", []),
    "cp1252 with --encoding": (PROJECT.encode("cp1252"), ["--encoding", "cp1252"], 0, "1 project", []),
    "unknown --encoding": (PROJECT.encode(), ["--encoding", "klingon"], 2,
                           "Error: --encoding: unknown encoding 'klingon'", []),
    "utf-16 with BOM": (codecs.BOM_UTF16_LE + PROJECT.encode("utf-16-le"), [], 0, "1 project", []),
    "utf-8 with BOM and CRLF": (codecs.BOM_UTF8 + PROJECT.replace("\n", "\r\n").encode(), [], 0, "1 project", []),
    "mojibake": ("Hanke\nHANKE ON PÄÄTTYNYT.\nKuvaus.\nLisätietoja\nAnna Aalto, Järvenpää\n".encode()
                 .decode("cp1252", "replace").encode(), [], 0, "1 project", ["mojibake-repaired"] * 3),
    "control characters": (b"Han\x07ke\x1b[31m\nKuvaus\x08.\nLis\xc3\xa4tietoja\nAnna Aalto, Espoo\x7f\n", [], 0,
                           "1 project", []),
    "truncated mid-block": (PROJECT.encode() + b"Toinen hanke\nKuvaus", [], 0, "2 projects",
                            ["lead-unknown", "no-contact"]),
    "only contact lines": (b"Anna Aalto, Espoo\nBo Berg, Vantaa\n", [], 0, "1 project", ["missing-title"]),
    "only links": (b"www.example.fi\nHankkeen nettisivut\n", [], 0, "0 projects",
                   ["unassigned-line", "unassigned-line"]),
    "a PDF": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", [], 2,
              "Error: {path}: a PDF document, not a listing; save the page as HTML or text", []),
    "a Word document": (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", ["--encoding", "cp1252"], 2,
                        "Error: {path}: a Word document (.docx), not a listing; save the page as HTML or text", []),
    "an RTF document": (b"{\\rtf1\\ansi Hanke\\par}", [], 2,
                        "Error: {path}: an RTF document, not a listing; save the page as HTML or text", []),
    "a web page": (b"<!DOCTYPE html><title>x</title><main><h2>Hanke</h2><p>Kuvaus on t&auml;ss&auml;.</p>"
                   b"<p>Muut kunnat: Lahti<br>Lis&auml;tietoja<br>Anna Aalto, Espoo</p></main>", [], 0, "1 project",
                   []),
    "a web page without a listing": (b"<html><body><nav>Etusivu</nav></body></html>", [], 2,
                                     "Error: {path}: an HTML page without a listing (its main content has no text)",
                                     []),
}


@pytest.mark.parametrize(("data", "args", "status", "message", "warnings"), CASES.values(), ids=CASES.keys())
def test_bad_input(tmp_path: Path, data: bytes | None, args: list[str], status: int, message: str,
                   warnings: list[str]) -> None:
    path = tmp_path / "input.txt"
    if data is not None:
        path.write_bytes(data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(path), "--out", str(out), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == status, result.stderr
    lines = result.stderr.splitlines()
    if status == 2:
        assert lines == [message.format(path=path)]
        assert not out.exists()
        return
    assert lines[-1].startswith(f"{path}: {message}"), lines[-1]
    assert sorted(line.split("warning[")[1].split("]")[0] for line in lines[:-1]) == sorted(warnings)
    assert (out / "hankkeet.yaml").exists()


def test_directory_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--out", str(tmp_path / "o")])
    assert (result.exit_code, result.stderr) == (2, f"Error: {tmp_path}: is a directory, not a listing file\n")


def test_mojibake_listing_reads_like_the_real_one(gazetteer: Gazetteer) -> None:
    text = "Hanke\nHANKE ON PÄÄTTYNYT.\nKuvaus.\nLisätietoja\nAnna Aalto, Järvenpää\n"
    garbled = text.encode("utf-8").decode("cp1252", "replace")
    (project,) = extract(garbled, gazetteer).projects
    assert project.ended is True
    assert project.contacts[0].place is not None and project.contacts[0].place.code == "186"


def test_a_50_mb_single_line_finishes(gazetteer: Gazetteer) -> None:
    line = "Hanke " * 9_000_000
    start = time.perf_counter()
    release = extract(line, gazetteer)
    to_yaml(release), to_csv(release)
    assert time.perf_counter() - start < 90
    assert len(release.projects) == 1 and release.projects[0].title is None


def test_100000_titles_and_no_structure(gazetteer: Gazetteer) -> None:
    text = "".join(f"Otsikko numero {i}\n" for i in range(100_000))
    start = time.perf_counter()
    release = extract(text, gazetteer)
    assert time.perf_counter() - start < 60
    (project,) = release.projects
    assert (project.title, project.line_start, project.line_end) == ("Otsikko numero 0", 1, 100_000)
    assert {d.code for d in release.diagnostics} == {"no-contact", "lead-unknown", "title-like-line"}


PATHOLOGICAL = [
    "a" * 50_000 + "!",
    "Aa " * 20_000 + ",",
    "Aa-" * 20_000 + "a",
    "A" * 50_000 + ", " + "B" * 50_000,
    "(" * 20_000 + "a",
    "a." * 25_000 + "x",
    "x@" * 25_000,
    "x(a)" * 20_000,
    "Muut kunnat: " + ", " * 25_000,
    "Muut kunnat: " + "Aa ja " * 10_000 + "(" * 1000,
    "Lisätietoja " + "täältä " * 10_000,
    "1. " + "Aa, " * 20_000,
    "Ã" * 50_000,
    "www." + "a." * 25_000,
    "Anna Aalto ja " * 10_000 + "X",
]


@pytest.mark.parametrize("line", PATHOLOGICAL, ids=[p[:12] for p in PATHOLOGICAL])
def test_rules_stay_linear_on_adversarial_lines(line: str, gazetteer: Gazetteer) -> None:
    start = time.perf_counter()
    classify_text(line, gazetteer)
    for entry in split_partners(line)[:50]:
        gazetteer.resolve(entry)
    gazetteer.resolve(line)
    extract(line + "\n" + line + "\n", gazetteer)
    assert time.perf_counter() - start < 5, "a rule backtracks on this line"


@pytest.mark.parametrize("args", [["extract", "-", "--out", "o"], ["normalize", "-"], ["diff", "-", "x.txt"]])
def test_closed_standard_input_is_one_line_and_status_2(args: list[str], tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    result = subprocess.run([sys.executable, "-m", "hankkeet", *args], cwd=tmp_path, env=env, capture_output=True,
                            text=True, preexec_fn=lambda: os.close(0), timeout=60)
    assert (result.returncode, result.stderr) == (2, "Error: <stdin>: standard input is closed\n")
    assert list(tmp_path.iterdir()) == []
