"""Command-line conventions: data on standard output, colour, -V and -q, plurals, leftovers of earlier runs."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner
from conftest import LISTING

import hankkeet.cli
from hankkeet import __version__
from hankkeet.cli import main, use_colour
from hankkeet.tables import PARTNER_COLUMNS

SMALL = "Eka\nKuvaus.\nMuut kunnat: Lapinahti\nLisätietoja\nAnna A, Espoo\n"
WARNING = "l.txt:3: warning[fuzzy-place]: partner 'Lapinahti' read as Lapinlahti (402), score 94.7; " \
          "add an override if that is wrong\n"


def run(*args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "l.txt").write_text(SMALL, encoding="utf-8")
    assert run("extract", "l.txt", "--out", "out", "-q")[0] == 0
    return tmp_path


def test_out_dash_writes_hankkeet_yaml_to_standard_output(small: Path) -> None:
    code, out, err = run("extract", "l.txt", "--out", "-")
    assert code == 0, err
    assert out == (small / "out" / "hankkeet.yaml").read_text(encoding="utf-8")
    assert err == WARNING + ("l.txt: 1 project (0 ended), partners 1 matched, 0 organisations, 0 unmatched; "
                             "1 contact; 1 warning -> standard output\n")
    assert not (small / "-").exists()


def test_out_dash_json_is_the_same_record(small: Path) -> None:
    code, out, err = run("extract", "l.txt", "--out", "-", "--format", "json", "-q")
    assert code == 0, err
    assert json.loads(out) == yaml.safe_load((small / "out" / "hankkeet.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("table", ["projects", "partners", "contacts", "participants", "municipalities"])
def test_out_dash_csv_writes_one_table_byte_for_byte(small: Path, table: str) -> None:
    result = CliRunner().invoke(main, ["extract", "l.txt", "--out", "-", "--format", "csv", "--table", table])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (small / "out" / f"{table}.csv").read_bytes()


def test_out_dash_csv_defaults_to_projects_and_takes_excel(small: Path) -> None:
    code, out, _ = run("extract", "l.txt", "--out", "-", "--format", "csv", "--excel", "-q")
    assert code == 0
    assert out.startswith("\ufeffid;number;title;")


def test_out_dash_reads_standard_input(small: Path) -> None:
    code, out, err = run("extract", "-", "--out", "-", "-q", input=SMALL.encode())
    assert code == 0, err
    assert "source:\n  file: <stdin>\n" in out
    assert err.endswith("-> standard output\n")


def test_out_dash_strict_still_fails_on_warnings(small: Path) -> None:
    assert run("extract", "l.txt", "--out", "-", "--strict", "-q")[0] == 1


REFUSED = {
    "several inputs": (["l.txt", "l.txt", "--out", "-"], "--out - writes one stream: give one INPUT, not 2"),
    "check": (["l.txt", "--out", "-", "--check"],
              "--check compares the files in a folder; it cannot be used with --out -"),
    "format with a folder": (["l.txt", "--format", "json"],
                             "--format and --table choose what --out - writes; a folder gets every file"),
    "table with a folder": (["l.txt", "--out", "o", "--table", "partners"],
                            "--format and --table choose what --out - writes; a folder gets every file"),
    "table without csv": (["l.txt", "--out", "-", "--table", "partners"],
                          "--table chooses a CSV table; give it with --format csv"),
    "excel with yaml": (["l.txt", "--out", "-", "--excel"], "--excel changes CSV tables; give it with --format csv"),
}


@pytest.mark.parametrize(("args", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_combinations_that_make_no_sense_are_refused(small: Path, args: list[str], message: str) -> None:
    before = sorted(p.name for p in small.iterdir())
    assert run("extract", *args) == (2, "", f"Error: {message}\n")
    assert sorted(p.name for p in small.iterdir()) == before


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("flag", "no_color", "tty", "expected"), [
    (None, "", True, True),
    (None, "1", True, False),
    (None, "", False, False),
    (True, "1", False, True),
    (False, "", True, False),
])
def test_colour_follows_the_flag_then_no_color_then_the_terminal(
        monkeypatch: pytest.MonkeyPatch, flag: bool | None, no_color: str, tty: bool, expected: bool) -> None:
    monkeypatch.setenv("NO_COLOR", no_color)
    monkeypatch.setattr("sys.stdout", _Terminal() if tty else io.StringIO())
    assert use_colour(flag) is expected


def test_diff_color_and_no_color(small: Path) -> None:
    (small / "m.txt").write_text(SMALL.replace("Eka", "Toka"), encoding="utf-8")
    code, coloured, _ = run("diff", "l.txt", "m.txt", "--color", env={"NO_COLOR": "1"})
    assert code == 1 and "\x1b[" in coloured
    code, plain, _ = run("diff", "l.txt", "m.txt", "--no-color")
    assert code == 1 and plain == click.unstyle(coloured)


def test_short_and_long_version() -> None:
    assert run("-V") == run("--version") == (0, f"hankkeet, version {__version__}\n", "")


def test_diff_quiet_prints_nothing_and_tells_by_status(small: Path) -> None:
    (small / "m.txt").write_text(SMALL.replace("Eka", "Toka"), encoding="utf-8")
    assert run("diff", "-q", "l.txt", "m.txt") == (1, "", "")
    assert run("diff", "--quiet", "l.txt", "l.txt") == (0, "", "")


def test_dataset_quiet_prints_nothing(tmp_path: Path) -> None:
    assert run("dataset", str(LISTING), "--into", str(tmp_path / "d"), "-q") == (0, "", "")
    assert (tmp_path / "d" / "index.csv").is_file()


def test_extract_quiet_hides_the_progress_bar(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hankkeet.cli, "_stderr_is_terminal", lambda: True)
    (small / "m.txt").write_text(SMALL, encoding="utf-8")
    _, _, err = run("extract", "l.txt", "m.txt", "--out", "many")
    assert "extracting" in err
    _, _, err = run("extract", "l.txt", "m.txt", "--out", "many", "-q")
    assert "extracting" not in err


def test_diff_reads_an_extract_output_folder(small: Path) -> None:
    assert run("diff", "out", "l.txt") == (0, "0 added, 0 removed, 0 renamed, 0 changed, 0 ended since out\n", "")


def test_several_inputs_remove_the_files_of_an_earlier_single_input_run(small: Path) -> None:
    (small / "m.txt").write_text(SMALL, encoding="utf-8")
    (small / "out" / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, _, err = run("extract", "l.txt", "m.txt", "--out", "out", "-q")
    assert code == 0, err
    assert sorted(p.name for p in (small / "out").iterdir()) == ["l", "m", "notes.txt"]
    assert err.splitlines()[-1] == ("removed from out/ the files of an earlier run that this one does not write: "
                                    "hankkeet.yaml, "
                                    "projects.csv, partners.csv, contacts.csv, participants.csv, "
                                    "municipalities.csv, datapackage.json, hankkeet.sqlite")


def test_several_inputs_leave_a_database_hankkeet_did_not_write(small: Path) -> None:
    """A hankkeet.sqlite without hankkeet's application_id is someone else's: kept, and named as not current."""
    import sqlite3

    (small / "m.txt").write_text(SMALL, encoding="utf-8")
    (small / "out" / "hankkeet.sqlite").unlink()
    with sqlite3.connect(small / "out" / "hankkeet.sqlite") as connection:
        connection.execute("CREATE TABLE mine (x)")
    connection.close()
    before = (small / "out" / "hankkeet.sqlite").read_bytes()
    code, _, err = run("extract", "l.txt", "m.txt", "--out", "out", "-q")
    assert code == 0, err
    assert (small / "out" / "hankkeet.sqlite").read_bytes() == before
    assert err.splitlines()[-1] == "left alone in out/ (not written by hankkeet, and not current): hankkeet.sqlite"


def test_several_inputs_leave_a_file_hankkeet_did_not_write_and_say_so(small: Path) -> None:
    (small / "m.txt").write_text(SMALL, encoding="utf-8")
    (small / "out" / "projects.csv").write_text("my,own\n", encoding="utf-8")
    code, _, err = run("extract", "l.txt", "m.txt", "--out", "out", "-q")
    assert code == 0, err
    assert (small / "out" / "projects.csv").read_text(encoding="utf-8") == "my,own\n"
    assert not (small / "out" / "hankkeet.yaml").exists()
    assert err.splitlines()[-1] == "left alone in out/ (not written by hankkeet, and not current): projects.csv"


@pytest.mark.parametrize(("count", "expected"), [(0, "0 projects"), (1, "1 project"), (2, "2 projects")])
def test_plural(count: int, expected: str) -> None:
    assert hankkeet.cli.plural(count, "project") == expected


def test_normalize_skips_a_header_only_when_asked() -> None:
    given = b"raw\nLahden\n"
    code, out, _ = run("normalize", "-", "--format", "json", input=given)
    assert code == 0 and [r["input"] for r in json.loads(out)] == ["raw", "Lahden"]
    code, out, _ = run("normalize", "-", "--skip-header", "--format", "json", input=given)
    assert code == 0 and [(r["input"], r["code"]) for r in json.loads(out)] == [("Lahden", "398")]


def test_skip_header_without_standard_input_is_refused() -> None:
    assert run("normalize", "Lahti", "--skip-header") == (
        2, "", "Error: --skip-header skips the first line of standard input; give - as a NAME\n")


def test_the_normalize_help_example_works_as_written(small: Path) -> None:
    """The example pipes the raw column of partners.csv (the third) into normalize, header skipped."""
    assert PARTNER_COLUMNS[2] == "raw"
    (small / "bin").mkdir()
    wrapper = small / "bin" / "hankkeet"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m hankkeet "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    assert run("extract", "l.txt", "--out", "data/out", "-q")[0] == 0
    example = next(line.strip() for line in main.commands["normalize"].help.splitlines()  # type: ignore[union-attr]
                   if line.strip().startswith("cut "))
    env = {**os.environ, "PATH": f"{small / 'bin'}:{os.environ['PATH']}",
           "PYTHONPATH": str(Path(hankkeet.__file__).parent.parent)}
    done = subprocess.run(["sh", "-c", example], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert [(r["input"], r["code"], r["method"]) for r in json.loads(done.stdout)] == [
        ("Lapinahti", "402", "fuzzy")]


def test_normalize_quiet_prints_nothing_and_strict_still_tells() -> None:
    assert run("normalize", "-q", "--strict", "Porvoon kaupunki/Borgå stad") == (0, "", "")
    assert run("normalize", "-q", "--strict", "Lahti", "Atlantis") == (1, "", "")


def test_an_input_whose_folder_would_be_named_like_an_output_is_refused(small: Path) -> None:
    (small / "projects.csv.txt").write_text(SMALL, encoding="utf-8")
    before = sorted(p.name for p in (small / "out").iterdir())
    code, _, err = run("extract", "projects.csv.txt", "l.txt", "--out", "out")
    assert code == 2
    assert err == ("Error: projects.csv.txt: its output folder would be named projects.csv, like an output file; "
                   "rename the input\n")
    assert sorted(p.name for p in (small / "out").iterdir()) == before


def test_check_of_several_inputs_names_what_a_run_would_remove(small: Path) -> None:
    (small / "m.txt").write_text(SMALL, encoding="utf-8")
    assert run("extract", "l.txt", "m.txt", "--out", "out", "-q")[0] == 0  # removes the single-input files
    assert run("extract", "l.txt", "--out", "out", "-q")[0] == 0  # writes them again
    code, _, err = run("extract", "l.txt", "m.txt", "--out", "out", "--check")
    assert code == 1
    assert "not current (a fresh run removes it): out/projects.csv" in err.splitlines()


def test_no_sqlite_removes_the_database_of_an_earlier_run(small: Path) -> None:
    assert (small / "out" / "hankkeet.sqlite").is_file()
    code, _, err = run("extract", "l.txt", "--out", "out", "--no-sqlite", "--check")
    assert code == 1 and "not current (a fresh run removes it): out/hankkeet.sqlite" in err.splitlines()
    code, _, err = run("extract", "l.txt", "--out", "out", "--no-sqlite", "-q")
    assert code == 0, err
    assert not (small / "out" / "hankkeet.sqlite").exists()
    assert err.splitlines()[-1] == ("removed from out/ the files of an earlier run that this one does not write: "
                                    "hankkeet.sqlite")
    assert run("extract", "l.txt", "--out", "out", "--no-sqlite", "--check")[0] == 0


@pytest.mark.parametrize("journal", ["hankkeet.sqlite-journal", "hankkeet.sqlite-wal", "hankkeet.sqlite-shm"])
def test_an_sqlite_journal_beside_the_database_is_refused(small: Path, journal: str) -> None:
    """A journal left by a client would be replayed onto the new database and damage it."""
    (small / "out" / journal).write_bytes(b"a journal")
    before = {p.name: p.read_bytes() for p in (small / "out").iterdir()}
    code, _, err = run("extract", "l.txt", "--out", "out")
    assert code == 2
    assert err == (f"Error: out/{journal}: an SQLite journal beside the database (a client has it open, or died "
                   "while writing); close the client or remove the journal, then run again (nothing was written)\n")
    assert {p.name: p.read_bytes() for p in (small / "out").iterdir()} == before
    code, _, err = run("extract", "l.txt", "--out", "out", "--check")
    assert code == 1 and f"SQLite journal beside the database: out/{journal}" in err.splitlines()


@pytest.mark.parametrize("args", [["extract", "l.txt", "--out", "-"], ["normalize", "Espoo"],
                                  ["diff", "l.txt", "l.txt"], ["--version"]])
@pytest.mark.parametrize(("stdout", "reason"), [("closed", "standard output is closed"),
                                                ("/dev/full", "No space left on device")])
def test_data_that_cannot_reach_standard_output_is_exit_2(small: Path, args: list[str], stdout: str,
                                                          reason: str) -> None:
    """A closed standard output (>&-) or a full disk: one line and exit 2, never success or a traceback."""
    command = [sys.executable, "-c", "from hankkeet.__main__ import run; run()", *args]
    if stdout == "closed":
        done = subprocess.run(command, stdout=None, stderr=subprocess.PIPE, text=True, close_fds=True,
                              preexec_fn=lambda: os.close(1))
    else:
        with open(stdout, "w") as full:
            done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == f"Error: cannot write to standard output: {reason}"
    assert "Traceback" not in done.stderr


def test_extract_into_a_folder_needs_no_standard_output(small: Path) -> None:
    command = [sys.executable, "-c", "from hankkeet.__main__ import run; run()", "extract", "l.txt", "--out", "o2"]
    done = subprocess.run(command, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1))
    assert done.returncode == 0, done.stderr
    assert (small / "o2" / "hankkeet.yaml").is_file()


@pytest.mark.parametrize("option", [["extract", "l.txt", "--out"], ["dataset", "l.txt", "--into"]])
def test_an_empty_folder_name_is_refused(small: Path, option: list[str]) -> None:
    """An unset shell variable (--out "$DIR") must not write into the current folder."""
    before = sorted(p.name for p in small.iterdir())
    code, _, err = run(*option, "")
    assert code == 2 and err.splitlines()[-1].endswith("an empty name; give a folder (. for the current one)")
    assert sorted(p.name for p in small.iterdir()) == before


def test_several_inputs_remove_excel_tables_of_an_earlier_run(small: Path) -> None:
    """The ';' header of --excel tables (after a BOM) is hankkeet's too."""
    (small / "m.txt").write_text(SMALL, encoding="utf-8")
    assert run("extract", "l.txt", "--out", "xl", "--excel", "-q")[0] == 0
    assert (small / "xl" / "projects.csv").read_bytes().startswith("\ufeffid;".encode())
    code, _, err = run("extract", "l.txt", "m.txt", "--out", "xl", "-q")
    assert code == 0, err
    assert sorted(p.name for p in (small / "xl").iterdir()) == ["l", "m"]


@pytest.mark.parametrize(("name", "text"), [
    ("hankkeet.yaml", "generator:\n  name: mytool\n"),  # the first line alone does not make it hankkeet's
    ("hankkeet.yaml", "notes:\n  name: hankkeet\n"),
    ("datapackage.json", '{\n  "name": "mine"\n}\n'),
])
def test_several_inputs_leave_files_that_only_look_like_hankkeets(small: Path, name: str, text: str) -> None:
    (small / "m.txt").write_text(SMALL, encoding="utf-8")
    (small / "out" / name).write_text(text, encoding="utf-8")
    code, _, err = run("extract", "l.txt", "m.txt", "--out", "out", "-q")
    assert code == 0, err
    assert (small / "out" / name).read_text(encoding="utf-8") == text
    assert err.splitlines()[-1] == f"left alone in out/ (not written by hankkeet, and not current): {name}"


def test_normalize_and_diff_take_the_encoding_their_hint_names(small: Path) -> None:
    """Both say "try --encoding cp1252" for a cp1252 input, so both must take it."""
    code, _, err = run("normalize", "-", input="Espoo\nHämeenlinna\n".encode("cp1252"))
    assert code == 2 and "--encoding cp1252" in err
    code, out, err = run("normalize", "-", "--encoding", "cp1252", "--format", "json",
                         input="Espoo\nHämeenlinna\n".encode("cp1252"))
    assert code == 0, err
    assert [r["code"] for r in json.loads(out)] == ["049", "109"]
    (small / "old.txt").write_bytes(SMALL.encode("utf-8"))
    new = SMALL.replace("Eka", "Eka ja Äkä")
    (small / "new.txt").write_bytes(new.encode("cp1252"))
    (small / "new-utf8.txt").write_bytes(new.encode("utf-8"))
    assert run("diff", "old.txt", "new.txt")[0] == 2
    expected = run("diff", "old.txt", "new-utf8.txt")
    assert expected[0] == 1 and expected[1].startswith("0 added, 0 removed, 1 renamed")
    assert run("diff", "old.txt", "new.txt", "--encoding", "cp1252")[:2] == expected[:2]


def test_check_quiet_says_nothing_when_up_to_date(small: Path, tmp_path: Path) -> None:
    assert run("extract", "l.txt", "--out", "out", "--check", "-q") == (0, "", "")
    assert run("extract", "l.txt", "--out", "out", "--check") == (0, "", "up to date\n")
    assert run("dataset", "l.txt", "--into", "d", "-q")[0] == 0
    assert run("dataset", "l.txt", "--into", "d", "--check", "-q") == (0, "", "")


def test_with_no_input_the_newest_snapshot_is_the_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After hankkeet fetch stored snapshots in data/raw/, a command with no INPUT reads the newest one only."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "kuntien-digihankkeet.txt").write_text(SMALL, encoding="utf-8")
    (tmp_path / "data" / "raw" / "2026-01-05.txt").write_text(SMALL.replace("Eka", "Toka"), encoding="utf-8")
    (tmp_path / "data" / "raw" / "2025-12-01.txt").write_text(SMALL.replace("Eka", "Kolmas"), encoding="utf-8")
    code, out, err = run("extract", "--out", "-", "--format", "csv", "-q")
    assert code == 0, err
    assert out.splitlines()[1].startswith("espoo--toka,")
    assert err.startswith("data/raw/2026-01-05.txt: 1 project")
    assert run("dataset", "--into", "d", "-q")[0] == 0
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["espoo--toka.yaml", "index.csv"]


def test_a_name_that_is_no_date_is_no_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "2026-01-05.txt").write_text(SMALL.replace("Eka", "Toka"), encoding="utf-8")
    (tmp_path / "data" / "raw" / "9999-99-99.txt").write_text(SMALL, encoding="utf-8")
    code, out, err = run("extract", "--out", "-", "--format", "csv", "-q")
    assert code == 0 and err.startswith("data/raw/2026-01-05.txt: "), err
