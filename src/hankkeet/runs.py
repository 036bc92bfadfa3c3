"""Extracting inputs for the command line: one plain-data task per input (it can go to a worker process), its
output files written into a staging folder or compared with the disk, and its summary line."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hankkeet.inputs import InputError, extract_listing, load_gazetteer
from hankkeet.model import Release
from hankkeet.printable import plural, printable

if TYPE_CHECKING:
    from hankkeet.municipalities import Gazetteer

#: Places that are not municipalities and need no code: counted as organisations, never a --strict failure.
ORGANISATION_KINDS = ("organisation", "wellbeing-county")


@contextmanager
def without_cycle_collector() -> Iterator[None]:
    """Pause Python's cycle collector during a run: the pipeline's data is acyclic (reference counting frees
    it), and on a large listing the collector would otherwise re-scan a million live objects again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def summary(name: str, release: Release, target: str) -> str:
    """The line printed after an input is extracted: counts of projects, partners, contacts and warnings."""
    projects = release.projects
    places = [p.place for project in projects for p in project.partners]
    matched = sum(p.code is not None for p in places)
    organisations = sum(p.kind in ORGANISATION_KINDS for p in places)
    unmatched = len(places) - matched - organisations
    contacts = sum(len(p.contacts) for p in projects)
    ended = sum(p.ended for p in projects)
    return (f"{name}: {plural(len(projects), 'project')} ({ended} ended), partners {matched} matched, "
            f"{plural(organisations, 'organisation')}, {unmatched} unmatched; {plural(contacts, 'contact')}; "
            f"{plural(len(release.diagnostics), 'warning')} -> {target}")


@dataclass(frozen=True)
class Task:
    """One input of `extract`: plain data, so it can go to a worker process.

    Its files are ``out/folder/*``; they are written under ``staging/folder/`` (or, with no staging, compared
    with those in ``out`` for --check).
    """

    name: str
    out: str
    folder: str
    staging: str
    encoding: str | None
    excel: bool
    sqlite: bool
    overrides: Path | None
    max_bytes: int
    with_text: bool = False  # --save-text: keep the text the line numbers refer to
    review: bool = False  # --review: also write review.html


@dataclass(frozen=True)
class Done:
    """What a task leaves for the main process: its files (relative to out), messages, --check problems."""

    written: list[str]
    problems: list[str]
    diagnostics: list[str]
    summary: str
    text: str | None = None  # the text the line numbers refer to, when the task asked for it


GAZETTEERS: dict[Path | None, Gazetteer] = {}


def cached_gazetteer(overrides: Path | None, max_bytes: int) -> Gazetteer:
    """One gazetteer per process and overrides file (a worker process builds its own once)."""
    if overrides not in GAZETTEERS:
        GAZETTEERS[overrides] = load_gazetteer(overrides, max_bytes)
    return GAZETTEERS[overrides]


def run_task(task: Task) -> Done:
    """Extract one input and write its output files into the staging folder (or compare them, for --check)."""
    from hankkeet.files import UnreadableOutput, release_files, stale_files
    from hankkeet.transaction import write_file

    gazetteer = cached_gazetteer(task.overrides, task.max_bytes)
    final = Path(task.out, task.folder)
    with without_cycle_collector():
        release, text = extract_listing(task.name, gazetteer, task.encoding, task.max_bytes,
                                        task.with_text or task.review)
        review_text = text if task.review else None
        label = release.source.file
        target = printable(final.as_posix()) + "/"
        done = Done([], [], [d.render(label) for d in release.diagnostics], summary(label, release, target),
                    text if task.with_text else None)
        if not task.staging:
            try:
                files = release_files(release, final, gazetteer.municipalities, task.excel, task.sqlite, review_text)
                done.problems.extend(stale_files(files, set()))
            except UnreadableOutput as err:
                raise InputError(str(err.strerror)) from None
            except OSError as err:
                raise InputError(f"cannot check {printable(final.as_posix())}: {err.strerror}") from None
            return done
        for path, writer in release_files(release, Path(task.folder), gazetteer.municipalities, task.excel,
                                          task.sqlite, review_text).items():
            write_file(Path(task.staging, path), writer)
            done.written.append(path.as_posix())
    return done
