"""Output sets under faults: a failure at any step of a commit, a killed process, two runs at once, file modes,
foreign files, per-input folder names. Every check compares whole folders: the old set, the new set, nothing else."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT

import hankkeet.transaction
from hankkeet.cli import main
from hankkeet.files import folder_name
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


def dead_staging(root: Path) -> Path:
    """A staging folder as a killed run leaves it: named and marked as Staging.open makes it, no lock held."""
    folder = root / f"{STAGE_PREFIX}dead1234"
    folder.mkdir(parents=True)
    (folder / "owner").write_text(hankkeet.transaction._OWNER_TEXT, encoding="utf-8")
    return folder


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
                          timeout=120, preexec_fn=_default_signals).returncode


def _default_signals() -> None:
    """A child as a terminal starts it, even when the tests run as a background job (SIGINT ignored)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


@pytest.mark.parametrize(("step", "at", "expected"), [
    ("fsync", 2, "old"),    # while staging: the second file written
    ("replace", 2, "old"),  # after the journal: the first old file is moved aside
    ("replace", 6, "old"),  # half-way: some new files are in, some old ones aside
    ("replace", 17, "old"),  # the last of the 8 new files is moved in (journal + 2 x 8), before the commit point
    ("fsync", 12, "new"),   # after the commit point (8 files + journal and its folder + root): only the staging
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


def test_an_ignored_signal_stays_ignored(listings: tuple[Path, Path], tmp_path: Path) -> None:
    out, _, new_set, new_args = _sets("extract", listings, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    ignoring = subprocess.run([sys.executable, "-c", KILLER, "fsync", "2", "SIGHUP", *new_args], env=env,
                              capture_output=True, timeout=120,
                              preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))  # as nohup does
    assert ignoring.returncode == 0, ignoring.stderr
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
        ["contacts.csv", "datapackage.json", "hankkeet.sqlite", "hankkeet.yaml", "municipalities.csv",
         "participants.csv", "partners.csv", "projects.csv"], expected)


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
    assert snapshot(out) == first and len(first) == 8


def test_staging_of_a_live_run_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "out"
    live = Staging.open(root)
    write_file(live.path("projects.csv"), text_writer("a\n"))
    dead = dead_staging(root)
    (dead / "new").mkdir()
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
    planted = dead_staging(out)  # with the owner note, as an attacker could copy it
    (planted / "old").mkdir()
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


def test_every_file_and_folder_is_on_disk_before_the_commit_point_and_the_commit_after_it(
        listings: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trace fsync and rename: a power cut at any moment must find a journal that matches the disk."""
    old, new = listings
    out = (tmp_path / "out").resolve()
    assert run("extract", str(old), str(new), "--out", str(out), "-q")[0] == 0  # out/a/ and out/b/
    old.write_text(NEW, encoding="utf-8")
    new.write_text(OLD, encoding="utf-8")
    events: list[tuple[Any, ...]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        path = Path(os.readlink(f"/proc/self/fd/{fd}"))
        events.append(("fsync", path, os.fstat(fd).st_size if path.is_file() else None))
        real_fsync(fd)

    def replace(source: Any, target: Any) -> None:
        size = Path(source).stat().st_size if Path(source).is_file() else None
        events.append(("replace", Path(source).resolve(), Path(target).resolve(), size))
        real_replace(source, target)
    monkeypatch.setattr(hankkeet.transaction.os, "fsync", fsync)
    monkeypatch.setattr(hankkeet.transaction.os, "replace", replace)
    assert run("extract", str(old), str(new), "--out", str(out), "-q")[0] == 0

    [commit] = [i for i, e in enumerate(events) if e[0] == "replace" and e[2].name == "committed"]
    stage = events[commit][1].parent
    for i, event in enumerate(events):  # every staged file (and the journal) is flushed whole before its rename
        if event[0] == "replace" and stage in event[1].parents and event[1].name != "journal":
            assert ("fsync", event[1], event[3]) in events[:i], event
    [journal] = [i for i, e in enumerate(events) if e[0] == "replace" and e[2].name == "journal"]
    first_move = min(i for i, e in enumerate(events) if e[0] == "replace" and stage not in e[1].parents)
    assert ("fsync", stage, None) in events[journal:first_move], "the journal's rename is on disk before any move"
    moved_into = {e[2].parent for e in events
                  if e[0] == "replace" and out in e[2].parents and stage not in e[2].parents}
    assert moved_into == {out / "a", out / "b"}
    for folder in moved_into:
        last_move = max(i for i, e in enumerate(events) if e[0] == "replace" and e[2].parent == folder)
        assert ("fsync", folder, None) in events[last_move:commit], f"{folder} flushed before the commit point"
    assert ("fsync", stage, None) in events[commit:], "the commit point itself is flushed"


# ---- transaction: repeated undo, folders made by a failed commit, symlinked targets, setgid mode, leftovers


def _fail_at_commit_point(monkeypatch: pytest.MonkeyPatch, also_journal_unlink: bool = False) -> None:
    """Every step of the commit succeeds but the rename that is its commit point (and, if asked, the undo's last)."""
    real_replace, real_unlink = os.replace, os.unlink

    def replace(source: Any, target: Any) -> None:
        if Path(target).name == "committed":
            raise OSError(5, "Input/output error (injected)")
        real_replace(source, target)

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if Path(path).name == "journal":
            raise OSError(5, "Input/output error (injected)")
        real_unlink(path, *args, **kwargs)
    monkeypatch.setattr(hankkeet.transaction.os, "replace", replace)
    if also_journal_unlink:
        monkeypatch.setattr(hankkeet.transaction.os, "unlink", unlink)


def test_an_undo_interrupted_at_its_very_end_can_be_repeated(
        listings: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dataset commit replaces, adds and removes files; its undo runs twice: the second must change nothing."""
    out, old_set, _, new_args = _sets("dataset", listings, tmp_path)
    with monkeypatch.context() as patch:
        _fail_at_commit_point(patch, also_journal_unlink=True)
        code, err = run(*new_args)
    assert code == 2 and "the next run will finish undoing it" in err, err
    [stage] = out.glob(STAGE_PREFIX + "*")
    with locked(out):
        assert recover(out) == [f"undid the interrupted commit in {stage.as_posix()}"]
    assert snapshot(out) == old_set


def test_a_failed_commit_removes_the_folders_it_made_and_only_those(
        listings: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = listings
    third, fourth = old.parent / "c.txt", old.parent / "d.txt"
    third.write_text(OLD, encoding="utf-8")
    fourth.write_text(NEW, encoding="utf-8")
    out = tmp_path / "out"
    assert run("extract", str(old), str(new), "--out", str(out), "-q")[0] == 0
    (out / "d").mkdir()  # an empty folder of the user's, which the commit fills
    before = snapshot(out)
    with monkeypatch.context() as patch:
        _fail_at_commit_point(patch)
        code, err = run("extract", str(old), str(new), str(third), str(fourth), "--out", str(out), "-q")
    assert code == 2 and "the previous outputs are as they were" in err, err
    assert snapshot(out) == before


def test_an_output_name_taken_by_a_symlink_is_refused_and_nothing_changes(
        listings: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("mine\n", encoding="utf-8")
    (out / "projects.csv").unlink()
    (out / "projects.csv").symlink_to(elsewhere)
    before = snapshot(out)
    code, err = run("extract", str(listings[1]), "--out", str(out), "-q")
    assert code == 2 and "projects.csv: is not a regular file; not replacing it" in err, err
    assert snapshot(out) == before and (out / "projects.csv").is_symlink()
    assert elsewhere.read_text(encoding="utf-8") == "mine\n"


def test_a_file_that_existed_keeps_its_special_mode_bits(listings: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    (out / "projects.csv").chmod(0o2640)
    assert run("extract", str(listings[1]), "--out", str(out), "-q")[0] == 0
    assert (out / "projects.csv").stat().st_mode & 0o7777 == 0o2640


def test_temporary_files_of_older_versions_are_found_only_where_they_were_written(
        listings: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["extract", str(listings[0]), str(listings[1]), "--out", str(out), "-q"]
    assert run(*args)[0] == 0
    legacy = out / "a" / ".projects.csv.k2j4_x9a.tmp"  # beside an output of a per-input folder
    legacy.write_text("half a file", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".hankkeet.yaml.k2j4_x9a.tmp").write_text("not in out", encoding="utf-8")
    (out / "link").symlink_to(elsewhere, target_is_directory=True)
    (out / f"{STAGE_PREFIX}link").symlink_to(elsewhere, target_is_directory=True)
    mine = ["notes.hankkeet.yaml.k2j4_x9a.tmp", ".hankkeet.yaml.k2j4.tmp"]
    for name in mine:
        (out / name).write_text("not ours", encoding="utf-8")
    (out / ".projects.csv.abcdefgh.tmp").mkdir()  # a folder is never one of our temporary files
    code, err = run(*args, "--check")
    assert code == 1 and err.count("leftover:") == 1 and f"leftover: {legacy.as_posix()}" in err, err
    assert run(*args)[0] == 0
    assert not legacy.exists()
    assert all((out / name).exists() for name in mine) and (out / ".projects.csv.abcdefgh.tmp").is_dir()
    assert sorted(p.name for p in elsewhere.iterdir()) == [".hankkeet.yaml.k2j4_x9a.tmp"]


def test_a_staging_folder_with_a_broken_journal_stops_the_run_with_one_line(
        listings: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    before = snapshot(out)
    stage = dead_staging(out)
    (stage / "journal").write_text('{"files": 5}', encoding="utf-8")
    code, err = run("extract", str(listings[1]), "--out", str(out), "-q")
    assert code == 2 and err.count("\n") == 1 and "an interrupted commit could not be undone" in err, err
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(STAGE_PREFIX)} == before


def test_recover_reports_the_temporary_files_it_removes(tmp_path: Path) -> None:
    (tmp_path / ".index.csv.abcdefgh.tmp").write_text("x", encoding="utf-8")
    with locked(tmp_path):
        assert recover(tmp_path) == [f"removed {(tmp_path / '.index.csv.abcdefgh.tmp').as_posix()}"]


# ---- files.py: folder names, the manifest, foreign files


@pytest.mark.parametrize(("name", "folder"), [
    ("-", "stdin"),
    ("in/a\\b.txt", "a_b"),                   # a backslash is a separator elsewhere
    ("in/x\x85\x9b31m.txt", "x_31m"),          # C1 controls, one run -> one "_"
    ("in/x\x1b\x1b\x07y.txt", "x_y"),
    ("in/" + "é" * 150 + ".txt", "é" * 100),   # cut to 100 characters
    (os.fsdecode(b"in/caf\xe9.txt"), "caf_xe9"),  # an undecodable byte as its escape, backslash made safe
    ("in/..txt", "input"),
])
def test_folder_name(name: str, folder: str) -> None:
    assert folder_name(name) == folder


def test_standard_input_among_several_inputs_gets_the_folder_stdin(listings: tuple[Path, Path],
                                                                    tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", "-", str(listings[0]), "--out", str(tmp_path / "o"), "-q"],
                                input=OLD.encode())
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["a", "stdin"]














# ---- transaction: the root lock, a journal cut short, messages, a user's empty folder


def test_a_run_waits_for_the_root_lock_before_it_commits(listings: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    old_set = snapshot(out)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with locked(out):
        later = subprocess.Popen([sys.executable, "-m", "hankkeet", "extract", str(listings[1]), "--out", str(out),
                                  "-q"], env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not list(out.glob(STAGE_PREFIX + "*/new/datapackage.json")) and later.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1)  # the run has staged everything; it may not commit while another holds the lock
        assert {k: v for k, v in snapshot(out).items() if not k.startswith(STAGE_PREFIX)} == old_set
    _, err = later.communicate(timeout=60)
    assert later.returncode == 0, err
    assert "Uusi nimi" in (out / "projects.csv").read_text(encoding="utf-8")


HALF_JOURNAL = """
import os, signal, sys
import hankkeet.transaction as t
from hankkeet.cli import main
real = t.text_writer
def text_writer(text):
    if not text.startswith('{"files"'):
        return real(text)
    def write(handle):
        handle.write(text[: len(text) // 2])
        handle.flush()
        os.kill(os.getpid(), signal.SIGKILL)  # a crash half-way through writing the journal
    return write
t.text_writer = text_writer
main(sys.argv[1:])
"""


def test_a_run_killed_while_writing_its_journal_leaves_nothing_to_undo(listings: tuple[Path, Path],
                                                                        tmp_path: Path) -> None:
    out, old_set, _, new_args = _sets("extract", listings, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    killed = subprocess.run([sys.executable, "-c", HALF_JOURNAL, *new_args], env=env, capture_output=True, timeout=120,
                            check=False)
    assert killed.returncode == -signal.SIGKILL
    with locked(out):
        recover(out)  # a journal that was never complete is no commit: the staging folder just goes
    assert snapshot(out) == old_set


def test_a_failure_before_anything_moved_says_the_outputs_are_as_they_were(
        listings: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, old_set, _, new_args = _sets("extract", listings, tmp_path)

    def chmod(*args: Any, **kwargs: Any) -> None:
        raise OSError(5, "Input/output error (injected)")
    monkeypatch.setattr(hankkeet.transaction.os, "chmod", chmod)
    code, err = run(*new_args)
    assert code == 2 and err.endswith("; the previous outputs are as they were\n"), err
    assert snapshot(out) == old_set


def test_a_failed_run_leaves_an_empty_output_folder_of_the_user(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00binary")
    out = tmp_path / "o"
    out.mkdir()
    code, _ = run("extract", str(tmp_path / "bad.txt"), "--out", str(out))
    assert code == 2 and out.is_dir() and not list(out.iterdir())


def test_check_tells_a_staging_folder_without_a_journal_from_an_interrupted_commit(
        listings: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(listings[0]), "--out", str(out), "-q")[0] == 0
    stage = dead_staging(out)
    (stage / "new").mkdir()
    code, err = run("extract", str(listings[0]), "--out", str(out), "-q", "--check")
    assert code == 1 and f"leftover: {stage.as_posix()} (from a killed run" in err, err


def test_a_failure_after_the_commit_point_keeps_the_new_set(listings: tuple[Path, Path], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out, _, new_set, new_args = _sets("dataset", listings, tmp_path)
    real_fsync = os.fsync
    committed: list[bool] = []
    real_replace = os.replace

    def replace(source: Any, target: Any) -> None:
        real_replace(source, target)
        committed.append(Path(target).name == "committed")

    def fsync(fd: int) -> None:
        if any(committed):  # the journal is renamed: the commit is done
            raise OSError(5, "Input/output error (injected)")
        real_fsync(fd)
    monkeypatch.setattr(hankkeet.transaction.os, "replace", replace)
    monkeypatch.setattr(hankkeet.transaction.os, "fsync", fsync)
    code, err = run(*new_args)
    assert code == 0, err
    assert snapshot(out) == new_set


def test_a_run_whose_undo_failed_lets_go_of_its_staging_while_the_folder_is_still_locked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "projects.csv").write_text("old\n", encoding="utf-8")
    stage = Staging.open(root)
    write_file(stage.path("projects.csv"), text_writer("new\n"))
    real_replace = os.replace
    moved: list[Any] = []

    def replace(source: Any, target: Any) -> None:
        moved.append(source)
        if len(moved) > 2:  # the journal is saved and the old file moved aside; every rename after fails
            raise OSError(5, "Input/output error (injected)")
        real_replace(source, target)
    monkeypatch.setattr(hankkeet.transaction.os, "replace", replace)
    with pytest.raises(hankkeet.transaction.WriteError, match="the next run will finish undoing it"):
        stage.commit(["projects.csv"])
    monkeypatch.undo()
    assert not hankkeet.transaction._is_live(stage.folder)  # so a run waiting for the lock undoes it first
    with locked(root):
        recover(root)
    assert (root / "projects.csv").read_text(encoding="utf-8") == "old\n"


def test_a_run_into_a_per_input_folder_waits_for_a_run_into_its_parent(tmp_path: Path) -> None:
    """Without the lock on per-input folders, a slow commit into X overtaken by one into X/a mixes X/a."""
    (tmp_path / "in").mkdir()
    for name, text in (("a.txt", OLD), ("b.txt", OLD), ("c.txt", NEW)):
        (tmp_path / "in" / name).write_text(text, encoding="utf-8")
    sets = []
    for args in (["extract", str(tmp_path / "in" / "a.txt")], ["extract", str(tmp_path / "in" / "c.txt")]):
        fresh = tmp_path / f"fresh-{len(sets)}"
        assert run(*args, "--out", str(fresh), "-q")[0] == 0
        sets.append(snapshot(fresh))
    out = tmp_path / "out"
    assert run("extract", str(tmp_path / "in" / "a.txt"), str(tmp_path / "in" / "b.txt"), "--out", str(out),
               "-q")[0] == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    parent = ["extract", str(tmp_path / "in" / "a.txt"), str(tmp_path / "in" / "b.txt"), "--out", str(out), "-q"]
    child = ["extract", str(tmp_path / "in" / "c.txt"), "--out", str(out / "a"), "-q"]
    runs = [subprocess.Popen([sys.executable, "-c", SLOW, start, pause, *args], env=env, stderr=subprocess.PIPE)
            for args, start, pause in ((parent, "0", "0.25"), (child, "1.7", "0.05"))]
    errors = [r.communicate(timeout=120)[1] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], errors
    assert {k: v for k, v in snapshot(out / "a").items() if not k.startswith(STAGE_PREFIX)} in sets
