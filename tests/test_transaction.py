"""Output sets under faults: a failure at any step of a commit, a killed process, two runs at once, file modes,
foreign files, per-input folder names. Every check compares whole folders: the old set, the new set, nothing else."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT

import hankkeet.transaction
from hankkeet.cli import main
from hankkeet.transaction import STAGE_PREFIX, Staging, locked, recover, text_writer, write_file

OLD = ("Eka hanke\nKuvaus.\nMuut kunnat: Lapinahti\nLisätietoja\nAnna A, Espoo\n\n"
       "Toka hanke\nHANKE ON PÄÄTTYNYT.\nKuvaus kaksi.\nLisätietoja\nPekka P, Oulu\n\n"
       "Kolmas hanke\nKuvaus kolme.\nLisätietoja\nLiisa L, Lahti\n")
NEW = OLD.replace("Eka hanke", "Uusi nimi").replace("Kolmas hanke", "Kolmas hanke muuttui")
STEPS = ("replace", "fsync", "unlink", "chmod", "mkdir", "rmdir")
Snapshot = dict[str, bytes]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def snapshot(folder: Path) -> Snapshot:
    """Every file and folder under ``folder`` (hidden ones too), with the bytes of the files."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def listings(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "in" / "a.txt", tmp_path / "in" / "b.txt"
    old.parent.mkdir()
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


# Each scenario: the command that writes the old set (given the old listing and the target), and the new one.
SCENARIOS: dict[str, Callable[[Path, Path, Path], list[str]]] = {
    "extract": lambda listing, other, out: ["extract", str(listing), "--out", str(out), "-q"],
    "extract-two-inputs": lambda listing, other, out: ["extract", str(listing), str(other), "--out", str(out), "-q"],
    "dataset": lambda listing, other, out: ["dataset", str(listing), "--into", str(out)],
}


def _sets(scenario: str, listings: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Snapshot, Snapshot, list[str]]:
    """The target holding the old set, the old and new sets as snapshots, and the command that writes the new."""
    old, new = listings
    command = SCENARIOS[scenario]
    # The two-input scenario swaps the contents of its inputs, so both folders change.
    fresh_new = tmp_path / "fresh"
    if scenario == "extract-two-inputs":
        swapped = tmp_path / "swapped"
        swapped.mkdir()
        (swapped / "a.txt").write_text(NEW, encoding="utf-8")
        (swapped / "b.txt").write_text(OLD, encoding="utf-8")
        new_args = command(swapped / "a.txt", swapped / "b.txt", tmp_path / "out")
        assert run(*command(swapped / "a.txt", swapped / "b.txt", fresh_new))[0] == 0
    else:
        new_args = command(new, old, tmp_path / "out")
        assert run(*command(new, old, fresh_new))[0] == 0
    assert run(*command(old, new, tmp_path / "out"))[0] == 0
    return tmp_path / "out", snapshot(tmp_path / "out"), snapshot(fresh_new), new_args


@contextmanager
def failing_at(monkeypatch: pytest.MonkeyPatch, fail_at: int | None, calls: list[str],
               action: Callable[[], Any] | None = None) -> Iterator[None]:
    """Count every file-system step the transaction takes; at step ``fail_at`` raise an I/O error (or run action)."""
    with monkeypatch.context() as patch:
        for name in STEPS:
            real = getattr(os, name)

            def step(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
                calls.append(_name)
                if len(calls) - 1 == fail_at:
                    if action is not None:
                        action()
                    raise OSError(5, "Input/output error (injected)")
                return _real(*args, **kwargs)
            patch.setattr(hankkeet.transaction.os, name, step)
        yield


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_failure_at_any_step_leaves_the_old_set_or_the_whole_new_one(
        scenario: str, listings: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, old_set, new_set, new_args = _sets(scenario, listings, tmp_path)
    calls: list[str] = []
    with failing_at(monkeypatch, None, calls):
        assert run(*new_args)[0] == 0
    total = len(calls)
    assert {"replace", "fsync", "unlink", "chmod"} <= set(calls), calls
    outcomes = set()
    for fail_at in range(total):
        assert run(*SCENARIOS[scenario](*listings, out))[0] == 0  # back to the old set
        assert snapshot(out) == old_set
        calls = []
        with failing_at(monkeypatch, fail_at, calls):
            code, err = run(*new_args)
        after = snapshot(out)
        where = f"failure at step {fail_at} ({calls[fail_at]}) of {total}: exit {code}, {err}"
        if code == 2:
            assert after == old_set, where
            assert err.count("\n") == 1 and "Input/output error (injected)" in err, where
            outcomes.add("old")
        else:  # the failure came after the commit point (removing the staging folder)
            assert code == 0, where
            assert {k: v for k, v in after.items() if not k.startswith(STAGE_PREFIX)} == new_set, where
            outcomes.add("new")
        run(*new_args)  # and a later run removes whatever was left
        assert snapshot(out) == new_set, where
    assert outcomes == {"old", "new"}


def test_a_commit_whose_undo_fails_too_is_undone_by_the_next_run(
        listings: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, old_set, _, new_args = _sets("extract", listings, tmp_path)
    with monkeypatch.context() as patch:
        real_replace = os.replace
        moved = []

        def replace(source: Any, target: Any) -> None:
            moved.append(source)
            if len(moved) > 4:  # two files moved aside, one moved in; then every rename fails, the undo's too
                raise OSError(5, "Input/output error (injected)")
            real_replace(source, target)
        patch.setattr(hankkeet.transaction.os, "replace", replace)
        code, err = run(*new_args)
    assert code == 2 and "the next run will finish undoing it" in err, err
    assert snapshot(out) != old_set
    code, err = run(*SCENARIOS["extract"](*listings, out)[:-1], "--check")
    assert code == 1 and "interrupted commit:" in err, err
    [stage] = out.glob(STAGE_PREFIX + "*")
    with locked(out):
        assert recover(out) == [f"undid the interrupted commit in {stage.as_posix()}"]
    assert snapshot(out) == old_set


KILLER = """
import os, signal, sys
import hankkeet.transaction as t
from hankkeet.__main__ import run
step, at, sig = sys.argv[1], int(sys.argv[2]), getattr(signal, sys.argv[3])
real = getattr(os, step)
count = [0]
def killing(*args, **kwargs):
    count[0] += 1
    if count[0] == at:
        os.kill(os.getpid(), sig)
    return real(*args, **kwargs)
setattr(t.os, step, killing)
sys.argv = ["hankkeet", *sys.argv[4:]]
run()
"""


def _killed_run(step: str, at: int, args: list[str], sig: str = "SIGKILL") -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", KILLER, step, str(at), sig, *args], env=env, capture_output=True,
                          timeout=120).returncode


@pytest.mark.parametrize(("step", "at", "expected"), [
    ("fsync", 2, "old"),    # while staging: the second file written
    ("replace", 2, "old"),  # after the journal: the first old file is moved aside
    ("replace", 6, "old"),  # half-way: some new files are in, some old ones aside
    ("replace", 11, "old"),  # the last new file is moved in, before the commit point
    ("fsync", 9, "new"),    # after the commit point: only the staging folder is left
])
def test_a_run_killed_while_staging_or_committing_is_recovered_by_the_next(
        step: str, at: int, expected: str, listings: tuple[Path, Path], tmp_path: Path) -> None:
    out, old_set, new_set, new_args = _sets("extract", listings, tmp_path)
    assert _killed_run(step, at, new_args) == -signal.SIGKILL
    assert list(out.glob(STAGE_PREFIX + "*")), "the killed run left its staging folder"
    check = run(*SCENARIOS["extract"](*listings, out)[:-1], "--check")
    assert check[0] == 1 and ("interrupted commit:" in check[1] or "leftover:" in check[1]), check
    with locked(out):
        recover(out)
    assert snapshot(out) == (old_set if expected == "old" else new_set)
    assert run(*new_args)[0] == 0 and snapshot(out) == new_set


SLOW = """
import os, sys, time
from hankkeet.cli import main
start, pause = float(sys.argv[1]), float(sys.argv[2])
real = os.replace
def slow(*args, **kwargs):
    time.sleep(pause)
    return real(*args, **kwargs)
os.replace = slow
time.sleep(start)
main(sys.argv[3:])
"""


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_termination_signal_during_the_commit_waits_until_it_is_done(
        sig: str, listings: tuple[Path, Path], tmp_path: Path) -> None:
    out, _, new_set, new_args = _sets("extract", listings, tmp_path)
    code = _killed_run("replace", 6, new_args, sig)  # half-way through the renames
    assert code == 128 + getattr(signal, sig), code  # the run ends once the commit is over
    assert snapshot(out) == new_set


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_termination_signal_while_staging_leaves_the_old_set_and_no_staging(
        sig: str, listings: tuple[Path, Path], tmp_path: Path) -> None:
    out, old_set, _, new_args = _sets("extract", listings, tmp_path)
    code = _killed_run("fsync", 2, new_args, sig)  # the second new file is being written
    assert code == 128 + getattr(signal, sig), code
    assert snapshot(out) == old_set


def test_two_runs_into_one_folder_end_with_the_set_of_one_of_them(listings: tuple[Path, Path],
                                                                  tmp_path: Path) -> None:
    """Without the lock, a slow commit overtaken by a later, faster one would leave a mix of both sets."""
    old, new = listings
    sets = []
    for listing in (old, new):
        fresh = tmp_path / f"fresh-{listing.stem}"
        assert run("extract", str(listing), "--out", str(fresh), "-q")[0] == 0
        sets.append(snapshot(fresh))
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    runs = [subprocess.Popen([sys.executable, "-c", SLOW, start, pause, "extract", str(listing), "--out", str(out),
                              "-q"], env=env, stderr=subprocess.PIPE)
            for listing, start, pause in ((old, "0", "0.25"), (new, "0.4", "0.05"))]
    errors = [r.communicate(timeout=120)[1] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], errors
    assert snapshot(out) in sets


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_get_the_umask_mode(umask: int, expected: int, listings: tuple[Path, Path],
                                      tmp_path: Path) -> None:
    previous = os.umask(umask)
    try:
        assert run("extract", str(listings[0]), "--out", str(tmp_path / "out"), "-q")[0] == 0
    finally:
        os.umask(previous)
    assert {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "out").iterdir()} == dict.fromkeys(
        ["contacts.csv", "datapackage.json", "hankkeet.yaml", "partners.csv", "projects.csv"], expected)


def test_a_file_that_existed_keeps_its_mode(listings: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    (out / "projects.csv").chmod(0o640)
    (out / "hankkeet.yaml").chmod(0o604)
    assert run("extract", str(listings[1]), "--out", str(out), "-q")[0] == 0
    assert (out / "projects.csv").stat().st_mode & 0o777 == 0o640
    assert (out / "hankkeet.yaml").stat().st_mode & 0o777 == 0o604
    assert "Uusi nimi" in (out / "projects.csv").read_text(encoding="utf-8")


def test_an_output_name_taken_by_a_folder_is_refused_and_nothing_changes(listings: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    (out / "partners.csv").unlink()
    (out / "partners.csv").mkdir()
    (out / "partners.csv" / "keep.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    code, err = run("extract", str(listings[1]), "--out", str(out), "-q")
    assert code == 2 and err == f"Error: {(out / 'partners.csv').as_posix()}: is a directory; not replacing it " \
                                "(nothing was written)\n", err
    assert snapshot(out) == before


def test_inputs_named_dot_dot_write_inside_out(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    names = ("...txt", "a.txt", ".b.txt", "x\x1b[31m.txt")
    for name in names:
        (tmp_path / "in" / name).write_text(OLD, encoding="utf-8")
    out = tmp_path / "deep" / "out"
    code, err = run("extract", *(str(tmp_path / "in" / n) for n in names), "--out", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["a", "b", "input", "x_[31m"]
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]


def test_writing_the_same_set_twice_changes_nothing_and_leaves_no_staging(listings: tuple[Path, Path],
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    first = snapshot(out)
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    assert snapshot(out) == first and len(first) == 5


def test_staging_of_a_live_run_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "out"
    live = Staging.open(root)
    write_file(live.path("projects.csv"), text_writer("a\n"))
    dead = root / f"{STAGE_PREFIX}dead1234"
    (dead / "new").mkdir(parents=True)
    (dead / "owner").write_bytes((live.folder / "owner").read_bytes())
    (dead / "new" / "projects.csv").write_text("b\n", encoding="utf-8")
    with locked(root):
        assert recover(root) == []  # a staging folder without a journal is removed silently
    assert not dead.exists() and live.path("projects.csv").exists()
    live.commit(["projects.csv"])
    assert snapshot(root) == {"projects.csv": b"a\n"}


def test_a_folder_named_like_staging_that_hankkeet_did_not_make_is_left_alone(listings: tuple[Path, Path],
                                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    for name in (f"{STAGE_PREFIX}mine", f"{STAGE_PREFIX}abcd1234"):
        (out / name).mkdir(parents=True)
        (out / name / "notes.txt").write_text("mine", encoding="utf-8")
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    assert (out / f"{STAGE_PREFIX}mine" / "notes.txt").exists() and (out / f"{STAGE_PREFIX}abcd1234").exists()


@pytest.mark.parametrize("name", ["../victim.txt", "/tmp/victim.txt", "a/b/hankkeet.yaml", "notes.txt", ".."])
def test_a_planted_journal_cannot_touch_files_outside_the_outputs(name: str, listings: tuple[Path, Path],
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    planted = out / f"{STAGE_PREFIX}evil1234"
    (planted / "old").mkdir(parents=True)
    live = Staging.open(tmp_path / "other")  # a real owner note, copied as an attacker could
    (planted / "owner").write_bytes((live.folder / "owner").read_bytes())
    live.close()
    (planted / "journal").write_text(f'{{"files": [["{name}", false]], "remove": [], "folders": []}}',
                                     encoding="utf-8")
    code, err = run("extract", str(listings[1]), "--out", str(out), "-q")
    assert code == 2 and "could not be undone" in err and "is not the name of an output of hankkeet" in err, err
    assert victim.read_text(encoding="utf-8") == "precious" and (out / "notes.txt").exists()
    assert planted.exists()


def test_a_symbolic_link_inside_out_is_not_written_through(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "in" / name).write_text(OLD, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hankkeet.yaml").write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a").symlink_to(outside)
    code, err = run("extract", str(tmp_path / "in" / "a.txt"), str(tmp_path / "in" / "b.txt"), "--out", str(out))
    assert code == 2 and "is a symbolic link; not writing through it" in err, err
    assert sorted(p.name for p in outside.iterdir()) == ["hankkeet.yaml"]
    assert (outside / "hankkeet.yaml").read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in out.iterdir()) == ["a"]


def test_temporary_files_of_older_versions_are_reported_and_removed(listings: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    legacy = out / ".hankkeet.yaml.k2j4_x9a.tmp"
    legacy.write_text("half a file", encoding="utf-8")
    mine = out / ".notes.txt.k2j4_x9a.tmp"
    mine.write_text("not ours", encoding="utf-8")
    code, err = run("extract", str(listings[0]), "--out", str(out), "--check", "-q")
    assert code == 1 and f"leftover: {legacy.as_posix()}" in err and "notes" not in err, err
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    assert not legacy.exists() and mine.read_text(encoding="utf-8") == "not ours"


def test_a_failed_run_leaves_no_folder_it_made(tmp_path: Path) -> None:
    code, err = run("extract", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "a" / "b" / "out"))
    assert code == 2 and "no such file" in err, err
    assert list(tmp_path.iterdir()) == []


def test_a_dataset_killed_while_committing_is_recovered_not_called_foreign(listings: tuple[Path, Path],
                                                                           tmp_path: Path) -> None:
    out, old_set, new_set, new_args = _sets("dataset", listings, tmp_path)
    assert _killed_run("replace", 4, new_args) == -signal.SIGKILL  # new project files are in, the index is not
    code, err = run(*new_args, "--check")
    assert code == 1 and "interrupted commit:" in err, err
    assert run(*new_args)[0] == 0 and snapshot(out) == new_set


def test_two_dataset_runs_at_once_end_with_the_set_of_one_of_them(listings: tuple[Path, Path],
                                                                   tmp_path: Path) -> None:
    out, old_set, new_set, new_args = _sets("dataset", listings, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    old_args = SCENARIOS["dataset"](*listings, out)
    runs = [subprocess.Popen([sys.executable, "-c", SLOW, start, pause, *args], env=env, stderr=subprocess.PIPE)
            for args, start, pause in ((new_args, "0", "0.1"), (old_args, "0.2", "0.02"))]
    errors = [r.communicate(timeout=120)[1] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], errors
    assert snapshot(out) in (old_set, new_set)
    assert run(*old_args, "--check")[0] in (0, 1)  # and the folder is usable: nothing looks foreign


def test_check_does_not_read_a_fifo(listings: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    (out / "projects.csv").unlink()
    os.mkfifo(out / "projects.csv")
    code, err = run("extract", str(listings[0]), "--out", str(out), "--check", "-q")
    assert code == 1 and f"not a regular file: {(out / 'projects.csv').as_posix()}" in err, err
