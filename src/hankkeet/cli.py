"""The command line: options, reading and writing files, messages and exit codes. No parsing here."""
from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hankkeet import __version__
from hankkeet.inputs import (
    DEFAULT_MAX_BYTES,
    InputError,
    encoding_option,
    extract_one,
    input_names,
    load_gazetteer,
    max_bytes_option,
    one_input,
    overrides_option,
    read_input,
    stdin_lines,
)
from hankkeet.model import Release
from hankkeet.printable import printable
from hankkeet.source import SourceError, decode

if TYPE_CHECKING:  # the heavy modules (rapidfuzz, regex, yaml) are imported by the commands that use them
    from hankkeet.municipalities import Gazetteer
    from hankkeet.transaction import Staging

DEFAULT_OUT = Path("data/out")

EXIT_CODES = """\b
Exit status:
  0  success
  1  differences (diff, --check) or, with --strict, warnings
  2  usage or input error (missing, unreadable, binary, undecodable or too large
     input, an invalid YAML input), or the outputs could not be written
  128+N  ended by signal N (130: Ctrl-C)"""


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES,
)
@click.version_option(__version__, prog_name="hankkeet")
def main() -> None:
    """Turn the Finnish municipal digitalisation project listing into YAML and CSV.

    \b
    Examples:
      hankkeet extract                      # data/raw/*.txt -> data/out/
      hankkeet extract listing.txt --out out/
      cat listing.txt | hankkeet extract - --out out/ --strict
    """


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Pause Python's cycle collector during a run: the pipeline's data is acyclic (reference counting frees
    it), and on a large listing the collector would otherwise re-scan a million live objects again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _exit_on_drift(problems: list[str], report: str = "") -> None:
    if problems:
        click.echo(report + "\n".join(printable(p) for p in problems), err=True)
        click.echo(f"{len(problems)} files differ from a fresh run; regenerate them and commit the result", err=True)
        sys.exit(1)
    click.echo("up to date", err=True)


@contextmanager
def _staging(root: Path) -> Iterator[Staging]:
    """A private staging folder in ``root`` for one run's files; write errors become one line and exit 2."""
    from hankkeet.transaction import Staging, WriteError

    try:
        staging = Staging.open(root)
    except OSError as err:
        raise _cannot_write(root, err) from None
    try:
        yield staging
    except OSError as err:
        raise _cannot_write(root, err) from None
    except WriteError as err:
        raise InputError(str(err)) from None
    finally:
        staging.close()


def _cannot_write(folder: Path, err: OSError) -> InputError:
    return InputError(f"cannot write to {folder.as_posix()}: {err.strerror}")


def _summary(name: str, release: Release, out: Path) -> str:
    projects = release.projects
    places = [p.place for project in projects for p in project.partners]
    matched = sum(p.code is not None for p in places)
    organisations = sum(p.kind == "organisation" for p in places)
    unmatched = len(places) - matched - organisations
    contacts = sum(len(p.contacts) for p in projects)
    ended = sum(p.ended for p in projects)
    return (f"{name}: {len(projects)} projects ({ended} ended), partners {matched} matched, "
            f"{organisations} organisations, {unmatched} unmatched; {contacts} contacts; "
            f"{len(release.diagnostics)} warnings -> {printable(out.as_posix())}/")


@main.command("extract", epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder for hankkeet.yaml and the CSV tables.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when there are warnings.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings, only the summary.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files in OUT differ from a fresh run.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract several inputs in this many processes (same output as --jobs 1).")
@click.option("--excel", is_flag=True,
              help="CSVs for Excel: UTF-8 with BOM, ';' separator, formula-like cells neutralised.")
@click.option("--sqlite/--no-sqlite", default=True, show_default=True,
              help="Also write hankkeet.sqlite: the tables with keys, indexes and full-text search.")
@encoding_option
@overrides_option
@max_bytes_option
def extract_command(inputs: tuple[str, ...], out: Path, strict: bool, quiet: bool, check: bool, jobs: int,
                    excel: bool, sqlite: bool, encoding: str | None, overrides: Path | None,
                    max_bytes: int) -> None:
    """Extract projects from listing files into YAML and CSV.

    With no INPUT, reads data/raw/*.txt; - reads standard input. One input writes
    OUT/hankkeet.yaml, projects.csv, partners.csv, contacts.csv, participants.csv,
    municipalities.csv, datapackage.json and hankkeet.sqlite; several inputs write
    each into OUT/<input name without extension>/.

    \b
    Examples:
      hankkeet extract
      hankkeet extract data/raw/kuntien-digihankkeet.txt --out data/out
      hankkeet extract old.txt new.txt --out releases/   # releases/old/, releases/new/
      hankkeet extract archive/*.txt --out releases/ --jobs 2
    """
    from hankkeet.files import folder_name

    names = input_names(inputs)
    folders = [folder_name(n) for n in names] if len(names) > 1 else [""]
    if len(set(folders)) != len(folders):
        raise InputError("two inputs have the same file name; give them distinct names")
    if "-" in names and jobs > 1:
        raise InputError("standard input (-) can only be read with --jobs 1")
    _GAZETTEERS.clear()  # a new run: the overrides file may have changed since the last one in this process
    _cached_gazetteer(overrides, max_bytes)  # a bad overrides file fails here, once, before any work
    if check:
        done = _run_all([_Task(name, str(out), folder, "", encoding, excel, sqlite, overrides, max_bytes)
                         for name, folder in zip(names, folders, strict=True)], jobs)
        from hankkeet.transaction import describe_leftovers

        _exit_on_drift([problem for d in done for problem in d.problems] + describe_leftovers(out))
        return
    with _staging(out) as staging:
        done = _run_all([_Task(name, str(out), folder, str(staging.path("")), encoding, excel, sqlite,
                               overrides, max_bytes)
                         for name, folder in zip(names, folders, strict=True)], jobs)
        staging.commit([name for d in done for name in d.written])
    for d in done:
        if not quiet:
            for line in d.diagnostics:
                click.echo(line, err=True)
        click.echo(d.summary, err=True)
    if strict and any(d.diagnostics for d in done):
        sys.exit(1)


@dataclass(frozen=True)
class _Task:
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


@dataclass(frozen=True)
class _Done:
    """What a task leaves for the main process: its files (relative to out), messages, --check problems."""

    written: list[str]
    problems: list[str]
    diagnostics: list[str]
    summary: str


_GAZETTEERS: dict[Path | None, Gazetteer] = {}


def _cached_gazetteer(overrides: Path | None, max_bytes: int) -> Gazetteer:
    """One gazetteer per process and overrides file (a worker process builds its own once)."""
    if overrides not in _GAZETTEERS:
        _GAZETTEERS[overrides] = load_gazetteer(overrides, max_bytes)
    return _GAZETTEERS[overrides]


def _run_task(task: _Task) -> _Done:
    """Extract one input and write its output files into the staging folder (or compare them, for --check)."""
    from hankkeet.files import UnreadableOutput, release_files, stale_files
    from hankkeet.transaction import write_file

    gazetteer = _cached_gazetteer(task.overrides, task.max_bytes)
    final = Path(task.out, task.folder)
    with _without_cycle_collector():
        release = extract_one(task.name, gazetteer, task.encoding, task.max_bytes)
        label = release.source.file
        done = _Done([], [], [d.render(label) for d in release.diagnostics], _summary(label, release, final))
        if not task.staging:
            try:
                files = release_files(release, final, gazetteer.municipalities, task.excel, task.sqlite)
                done.problems.extend(stale_files(files, set()))
            except UnreadableOutput as err:
                raise InputError(str(err.strerror)) from None
            return done
        for path, writer in release_files(release, Path(task.folder), gazetteer.municipalities, task.excel,
                                          task.sqlite).items():
            write_file(Path(task.staging, path), writer)
            done.written.append(path.as_posix())
    return done


def _run_all(tasks: list[_Task], jobs: int) -> list[_Done]:
    """Run every task (in worker processes with --jobs > 1), in input order; the first failure is raised."""
    results: list[_Done] = []
    show = len(tasks) > 1 and sys.stderr.isatty()
    with click.progressbar(length=len(tasks), label="extracting", file=sys.stderr, hidden=not show) as bar:
        if jobs > 1 and len(tasks) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
                for result in pool.map(_run_task, tasks):
                    results.append(result)
                    bar.update(1)
        else:
            for task in tasks:
                results.append(_run_task(task))
                bar.update(1)
    return results


@main.command("normalize", epilog=EXIT_CODES)
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: an aligned table for people; json: a list of objects for scripts.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when a name gets no municipality code.")
@overrides_option
@max_bytes_option
def normalize_command(names: tuple[str, ...], fmt: str, strict: bool, overrides: Path | None,
                      max_bytes: int) -> None:
    """Show how place names resolve to municipalities, and why.

    Give names as arguments, or - to read one name per line from standard input.
    Each name is cleaned like a listing line (spaces, controls) before it is
    resolved; there is one result per name, an empty one for a blank line.
    JSON keys: input (as given), code, name, name_sv, region, kind, method, score,
    runner_up (and margin, note).

    \b
    Examples:
      hankkeet normalize Lahden "Pargas stad" Lapinahti "Lapin liitto"
      cut -d, -f3 partners.csv | hankkeet normalize - --format json
    """
    given = [n for name in names for n in (stdin_lines(max_bytes) if name == "-" else [name])]
    from hankkeet.municipalities import resolve_names
    from hankkeet.output import render_json, render_table

    places = resolve_names(given, load_gazetteer(overrides, max_bytes))
    click.echo(render_json(given, places) if fmt == "json" else render_table(given, places), nl=fmt == "json")
    if strict and any(p is not None and p.code is None and p.kind != "organisation" for p in places):
        sys.exit(1)


@main.command("dataset", epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, metavar="[INPUT]")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=Path("hankkeet"),
              show_default=True, help="The dataset folder: one <id>.yaml per project and index.csv.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and show the diff if the folder is out of date.")
@click.option("--force", is_flag=True,
              help="Write even if the folder holds *.yaml files hankkeet did not write (they are left alone).")
@encoding_option
@overrides_option
@max_bytes_option
def dataset_command(inputs: tuple[str, ...], into: Path, check: bool, force: bool, encoding: str | None,
                    overrides: Path | None, max_bytes: int) -> None:
    """Write the released dataset: one YAML file per project, named by its id.

    A change to one project in the listing shows as a change to one file. Files of
    projects that are gone are removed; only files listed in index.csv by an earlier
    run are ever removed or replaced. With no INPUT, reads data/raw/*.txt (one file).

    \b
    Examples:
      hankkeet dataset                      # data/raw/*.txt -> hankkeet/
      hankkeet dataset --check              # CI: fail when hankkeet/ is stale
    """
    from hankkeet.files import ForeignFiles, dataset_removals
    from hankkeet.output import dataset_files
    from hankkeet.transaction import text_writer, write_file

    gazetteer = load_gazetteer(overrides, max_bytes)
    release = extract_one(one_input(inputs), gazetteer, encoding, max_bytes)
    texts = dataset_files(release)
    if check:
        _check_dataset(into, texts, release, force, max_bytes)
        return
    counts: list[int] = []

    def removals() -> list[str]:  # decided under the lock, from the folder as the last finished run left it
        gone, foreign = dataset_removals(into, set(texts), force)
        counts.extend((len(gone), len(foreign)))
        return gone

    try:
        with _staging(into) as staging:
            for name, text in texts.items():
                write_file(staging.path(name), text_writer(text))
            staging.commit(list(texts), removals)
    except ForeignFiles as err:
        raise InputError(str(err)) from None
    gone, foreign = counts
    left = f"; {foreign} files hankkeet did not write left alone" if foreign else ""
    folder = printable(into.as_posix())
    click.echo(f"{len(release.projects)} projects -> {folder}/ ({gone} removed{left})", err=True)


def _check_dataset(into: Path, texts: dict[str, str], release: Release, force: bool, max_bytes: int) -> None:
    """dataset --check: exit 1 with the project-level diff and the files that differ from a fresh run."""
    from hankkeet.diff import compare, records_from_dataset, render_text
    from hankkeet.files import ForeignFiles, UnreadableOutput, dataset_removals, stale_files
    from hankkeet.output import dataset_record
    from hankkeet.transaction import describe_leftovers, text_writer
    from hankkeet.yamlsafe import YamlInputError

    leftovers = describe_leftovers(into)
    if leftovers:  # a killed run: its files would look foreign until the next run undoes its commit
        _exit_on_drift(leftovers)
    try:
        gone = dataset_removals(into, set(texts), force)[0]
    except ForeignFiles as err:
        raise InputError(str(err)) from None
    report = ""
    names = [n for n in sorted(set(texts) | set(gone)) if n.endswith(".yaml") and (into / n).is_file()]
    try:
        old = records_from_dataset(_dataset_texts([into / n for n in names], max_bytes))
        comparison = compare(old, [dataset_record(p) for p in release.projects])
        report = "" if comparison.equal else render_text(comparison, into.as_posix()) + "\n"
    except (YamlInputError, SourceError, InputError):
        pass  # a file that is not a project: the file list below still names it
    files = {into / name: text_writer(text) for name, text in texts.items()}
    try:
        problems = stale_files(files, {into / name for name in gone})
    except UnreadableOutput as err:
        raise InputError(str(err.strerror)) from None
    _exit_on_drift(problems, report)


def _dataset_texts(paths: list[Path], max_bytes: int) -> dict[str, str]:
    """Project files of a dataset folder as {path: text}, each read bounded and decoded."""
    return {path.as_posix(): decode(read_input(str(path), max_bytes)) for path in paths}


def _load_side(name: str, gazetteer: Gazetteer, max_bytes: int = DEFAULT_MAX_BYTES) -> list[dict[str, Any]]:
    """Project records from a dataset folder, a hankkeet.yaml, or a raw listing (extracted first)."""
    from hankkeet.diff import records_from_dataset, records_from_release_yaml
    from hankkeet.output import dataset_record
    from hankkeet.yamlsafe import YamlInputError

    path = Path(name)
    try:
        if name != "-" and path.is_dir():
            texts = _dataset_texts([p for p in sorted(path.glob("*.yaml")) if p.is_file()], max_bytes)
            if not texts:
                raise InputError(f"{name}: no project *.yaml files in this folder")
            return records_from_dataset(texts)
        if path.suffix in (".yaml", ".yml"):
            return records_from_release_yaml(decode(read_input(name, max_bytes)), name)
    except SourceError as err:
        raise InputError(f"{name}: {err}") from None
    except YamlInputError as err:  # names the file itself, and the line or field
        raise InputError(str(err)) from None
    return [dataset_record(p) for p in extract_one(name, gazetteer, None, max_bytes).projects]


@main.command("diff", epilog=EXIT_CODES)
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text (coloured on a terminal), markdown for release notes, json for scripts.")
@overrides_option
@max_bytes_option
def diff_command(old: str, new: str, fmt: str, overrides: Path | None, max_bytes: int) -> None:
    """Compare two releases: added, removed, renamed and changed projects.

    OLD and NEW are each a hankkeet.yaml, a dataset folder, or a raw listing.
    Exit status 0 when equal, 1 when different, 2 on error, as diff does.

    \b
    Examples:
      hankkeet diff old.txt data/raw/kuntien-digihankkeet.txt
      hankkeet diff releases/2025/hankkeet.yaml hankkeet/ --format markdown
    """
    from hankkeet.diff import compare, render_json, render_markdown, render_text

    gazetteer = load_gazetteer(overrides, max_bytes)
    comparison = compare(_load_side(old, gazetteer, max_bytes), _load_side(new, gazetteer, max_bytes))
    if fmt == "json":
        click.echo(render_json(comparison))
    elif fmt == "markdown":
        click.echo(render_markdown(comparison, old), nl=False)
    else:
        colour = sys.stdout.isatty()
        click.echo(render_text(comparison, old, colour=colour), nl=False, color=colour)
    sys.exit(0 if comparison.equal else 1)
