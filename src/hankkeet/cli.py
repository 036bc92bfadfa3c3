"""The command line: options, reading and writing files, messages and exit codes. No parsing here."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hankkeet import __version__
from hankkeet.inputs import (
    DEFAULT_MAX_BYTES,
    InputError,
    encoding_option,
    extract_listing,
    extract_one,
    input_label,
    input_names,
    load_gazetteer,
    max_bytes_option,
    one_input,
    overrides_option,
    read_input,
    stdin_lines,
)
from hankkeet.model import Release
from hankkeet.printable import plural, printable
from hankkeet.runs import (
    GAZETTEERS,
    ORGANISATION_KINDS,
    Done,
    Task,
    cached_gazetteer,
    run_task,
    summary,
    without_cycle_collector,
)
from hankkeet.source import SourceError, decode

if TYPE_CHECKING:  # the heavy modules (rapidfuzz, regex, yaml) are imported by the commands that use them
    from hankkeet.municipalities import Gazetteer
    from hankkeet.transaction import Staging

DEFAULT_OUT = Path("data/out")
STDOUT = Path("-")
STREAM_FORMATS = ("yaml", "json", "csv")
STREAM_TABLES = ("projects", "partners", "contacts", "participants", "municipalities")

EXIT_CODES = """\b
Exit status:
  0  success
  1  differences (diff, --check) or, with --strict, warnings
  2  usage or input error (missing, unreadable, binary, undecodable or too large
     input, an invalid YAML input), or the outputs could not be written
  128+N  ended by signal N (130: Ctrl-C)"""


class _OutputPath(click.Path):
    """A folder (or file) to write into; an empty name (``--out ''``, often an unset shell variable) is refused
    rather than taken as the current folder."""

    def convert(self, value: str | os.PathLike[str], param: click.Parameter | None,
                ctx: click.Context | None) -> str | bytes | os.PathLike[str]:
        if value == "":
            self.fail("an empty name; give a folder (. for the current one)" if self.dir_okay
                      else "an empty name; give a file name", param, ctx)
        return super().convert(value, param, ctx)


FOLDER = _OutputPath(file_okay=False, path_type=Path)
#: A file to write: an empty name is refused as for a folder.
FILE = _OutputPath(dir_okay=False, file_okay=True, path_type=Path)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES,
)
@click.version_option(__version__, "-V", "--version", prog_name="hankkeet")
def main() -> None:
    """Turn the Finnish municipal digitalisation project listing into YAML, CSV and SQLite.

    \b
    Examples:
      hankkeet extract                      # data/raw/ (its newest snapshot) -> data/out/
      hankkeet extract listing.txt --out out/
      hankkeet extract saved-page.html --out out/ --save-text out/page.txt
      cat listing.txt | hankkeet extract - --out out/ --strict
      hankkeet extract listing.txt --out - --format csv --table partners | head
      hankkeet fetch https://vm.fi/kuntien-digitalisaation-kannustinjarjestelma
      hankkeet history data/raw/????-??-??.txt --format markdown

    \b
    Shell completion (bash; zsh_source and fish_source likewise):
      eval "$(_HANKKEET_COMPLETE=bash_source hankkeet)"
    """


def _exit_on_drift(problems: list[str], report: str = "", quiet: bool = False) -> None:
    """--check: name what differs and exit 1, or say "up to date" (unless quiet) and go on to exit 0."""
    if problems:
        click.echo(report + "\n".join(printable(p) for p in problems), err=True)
        them = "it" if len(problems) == 1 else "them"
        click.echo(f"{plural(len(problems), 'file')} {'differs' if len(problems) == 1 else 'differ'} from a fresh "
                   f"run; regenerate {them} and commit the result", err=True)
        sys.exit(1)
    if not quiet:
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


@main.command("extract", epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--out", "out", type=FOLDER, default=DEFAULT_OUT,
              show_default=True, help="Folder for hankkeet.yaml and the CSV tables; - writes one stream to "
              "standard output (see --format).")
@click.option("--format", "fmt", type=click.Choice(STREAM_FORMATS), default=None,
              help="With --out -: yaml (hankkeet.yaml), json (the same record) or csv (one table)  [default: yaml]")
@click.option("--table", type=click.Choice(STREAM_TABLES), default=None,
              help="With --out - --format csv: the table to write  [default: projects]")
@click.option("--strict", is_flag=True, help="Exit with status 1 when there are warnings.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings or the progress bar, only the summary.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files in OUT differ from a fresh run.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract several inputs in this many processes (same output as --jobs 1).")
@click.option("--excel", is_flag=True,
              help="CSVs for Excel: UTF-8 with BOM, ';' separator, formula-like cells neutralised.")
@click.option("--sqlite/--no-sqlite", default=True, show_default=True,
              help="Also write hankkeet.sqlite: the tables with keys, indexes and full-text search.")
@click.option("--save-text", type=FILE, default=None, metavar="FILE",
              help="Also write the text the line numbers refer to (of a web page: its text rendition). One INPUT.")
@click.option("--review", is_flag=True,
              help="Also write review.html: the review page (source lines beside the records, warnings, pictures).")
@encoding_option
@overrides_option
@max_bytes_option
def extract_command(inputs: tuple[str, ...], out: Path, fmt: str | None, table: str | None, strict: bool,
                    quiet: bool, check: bool, jobs: int, excel: bool, sqlite: bool, save_text: Path | None,
                    review: bool, encoding: str | None, overrides: Path | None, max_bytes: int) -> None:
    """Extract projects from listing files into YAML, CSV and SQLite.

    An INPUT is a text listing or a saved web page (HTML, found by its content),
    whose main content is read as text; --save-text writes that text, the one
    the line numbers of the outputs refer to.

    With no INPUT, reads data/raw/*.txt; - reads standard input. One input writes
    OUT/hankkeet.yaml, projects.csv, partners.csv, contacts.csv, participants.csv,
    municipalities.csv, datapackage.json and hankkeet.sqlite (and, with --review,
    review.html); several inputs write
    each into OUT/<input name without extension>/ (and remove the files of an
    earlier single-input run from OUT). --out - writes one stream to standard
    output instead: hankkeet.yaml, or the same as JSON, or one CSV table.

    \b
    Examples:
      hankkeet extract
      hankkeet extract data/raw/kuntien-digihankkeet.txt --out data/out
      hankkeet extract old.txt new.txt --out releases/   # releases/old/, releases/new/
      hankkeet extract archive/*.txt --out releases/ --jobs 2
      hankkeet extract listing.txt --out - --format json | jq '.projects | length'
      hankkeet extract listing.txt --out - --format csv --table partners > partners.csv
      hankkeet extract page.html --save-text page.txt   # line numbers point into page.txt
    """
    names = input_names(inputs)
    _check_stream_options(names, bool(inputs), out, fmt, table, check, excel)
    _check_save_text(names, save_text, check, out)
    if review and out == STDOUT:
        raise InputError("--review writes review.html into the --out folder; it cannot be used with --out -")
    if "-" in names and jobs > 1:
        raise InputError("standard input (-) can only be read with --jobs 1")
    GAZETTEERS.clear()  # a new run: the overrides file may have changed since the last one in this process
    cached_gazetteer(overrides, max_bytes)  # a bad overrides file fails here, once, before any work
    tasks = [Task(name, str(out), folder, "", encoding, excel, sqlite, overrides, max_bytes, save_text is not None,
                  review)
             for name, folder in zip(names, _folders(names), strict=True)]
    if out == STDOUT:
        warned = _extract_to_stdout(tasks[0], fmt or "yaml", table or "projects", quiet, save_text)
    elif check:
        _check_extract(tasks, out, jobs, quiet)
        return
    else:
        warned = _extract_to_folder(tasks, out, jobs, quiet, save_text)
    if strict and warned:
        sys.exit(1)


def _check_stream_options(names: list[str], given: bool, out: Path, fmt: str | None, table: str | None,
                          check: bool, excel: bool) -> None:
    """Refuse options that make no sense together, before anything is read."""
    if out != STDOUT:
        if fmt is not None or table is not None:
            raise InputError("--format and --table choose what --out - writes; a folder gets every file")
        return
    if len(names) != 1:
        found = "" if given else " (data/raw/ holds several)"
        raise InputError(f"--out - writes one stream: give one INPUT, not {len(names)}{found}")
    if check:
        raise InputError("--check compares the files in a folder; it cannot be used with --out -")
    if table is not None and fmt != "csv":
        raise InputError("--table chooses a CSV table; give it with --format csv")
    if excel and fmt != "csv":
        raise InputError("--excel changes CSV tables; give it with --format csv")


def _check_save_text(names: list[str], save_text: Path | None, check: bool, out: Path) -> None:
    """--save-text: one input, something written, and not over the input itself or an output of the run."""
    if save_text is None:
        return
    if len(names) != 1:
        raise InputError(f"--save-text writes the text of one input; give one INPUT, not {len(names)}")
    if check:
        raise InputError("--check writes nothing; it cannot be used with --save-text")
    if names[0] != "-" and Path(names[0]).resolve() == save_text.resolve():
        raise InputError(f"--save-text {printable(str(save_text))}: that is the input; give another file name")
    from hankkeet.files import SINGLE_INPUT_FILES

    if out != STDOUT and save_text.name in SINGLE_INPUT_FILES and save_text.resolve().parent == out.resolve():
        raise InputError(f"--save-text {printable(str(save_text))}: that is an output of this run; give another "
                         "file name")


@contextmanager
def _text_saved(path: Path | None, text: str | None) -> Iterator[None]:
    """--save-text: the text is written beside FILE first and moved over it only when the outputs are written,
    so a failure on either side leaves both as they were."""
    if path is None or text is None:
        yield
        return
    from hankkeet.transaction import text_writer, write_beside

    name = printable(path.as_posix())
    try:
        temp = write_beside(path, text_writer(text))
    except OSError as err:
        raise InputError(f"--save-text {name}: cannot write ({err.strerror}); nothing was written") from None
    try:
        yield
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    try:
        os.replace(temp, path)
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise InputError(f"--save-text {name}: cannot write ({err.strerror}); the other outputs were written") \
            from None


def _folders(names: list[str]) -> list[str]:
    """The output folder of each input inside OUT: none for one input, one per input name for several."""
    from hankkeet.files import SINGLE_INPUT_FILES, folder_name

    folders = [folder_name(n) for n in names] if len(names) > 1 else [""]
    if len(set(folders)) != len(folders):
        raise InputError("two inputs have the same file name; give them distinct names")
    for name, folder in zip(names, folders, strict=True):
        if folder in SINGLE_INPUT_FILES:  # its folder would take the place of an output file of one input
            raise InputError(f"{input_label(name)}: its output folder would be named {folder}, like an output "
                             "file; rename the input")
    return folders


def _extract_to_stdout(task: Task, fmt: str, table: str, quiet: bool, save_text: Path | None = None) -> bool:
    """extract --out -: one stream on standard output, warnings and the summary on stderr."""
    from hankkeet.files import stream_text

    gazetteer = cached_gazetteer(task.overrides, task.max_bytes)
    with without_cycle_collector():
        release, listing = extract_listing(task.name, gazetteer, task.encoding, task.max_bytes, task.with_text)
        text = stream_text(release, gazetteer.municipalities, fmt, table, task.excel)
    with _text_saved(save_text, listing):
        click.echo(text.encode("utf-8"), nl=False)
    label = release.source.file
    if not quiet:
        for diagnostic in release.diagnostics:
            click.echo(diagnostic.render(label), err=True)
    click.echo(summary(label, release, "standard output"), err=True)
    return bool(release.diagnostics)


def _check_extract(tasks: list[Task], out: Path, jobs: int, quiet: bool) -> None:
    """extract --check: compare what a fresh run would write with OUT; exit 1 when they differ."""
    from hankkeet.files import database_journals, outdated_files
    from hankkeet.transaction import describe_leftovers

    done = _run_all(tasks, jobs, quiet)
    problems = [problem for d in done for problem in d.problems]
    ours, _ = outdated_files(out, [t.folder for t in tasks], tasks[0].sqlite, tasks[0].review)  # others are left alone
    problems += [f"not current (a fresh run removes it): {(out / name).as_posix()}" for name in ours]
    problems += [f"SQLite journal beside the database: {(out / name).as_posix()}"
                 for name in database_journals(out, [t.folder for t in tasks])]
    _exit_on_drift(problems + describe_leftovers(out), quiet=quiet)


def _extract_to_folder(tasks: list[Task], out: Path, jobs: int, quiet: bool, save_text: Path | None = None) -> bool:
    """Write every input's files into OUT as one commit; print warnings and summaries; True if any warning."""
    from hankkeet.files import database_journals, outdated_files

    removed: list[str] = []
    kept: list[str] = []
    folders = [t.folder for t in tasks]

    def removals() -> list[str]:  # decided under the lock, before anything changes
        journals = database_journals(out, folders)
        if journals:
            raise InputError(f"{printable((out / journals[0]).as_posix())}: an SQLite journal beside the database "
                             "(a client has it open, or died while writing); close the client or remove the "
                             "journal, then run again (nothing was written)")
        ours, others = outdated_files(out, folders, tasks[0].sqlite, tasks[0].review)
        removed.extend(ours)
        kept.extend(others)
        return ours

    with _staging(out) as staging:
        done = _run_all([replace(t, staging=str(staging.path(""))) for t in tasks], jobs, quiet)
        with _text_saved(save_text, done[0].text):
            staging.commit([name for d in done for name in d.written], removals)
    for d in done:
        if not quiet:
            for line in d.diagnostics:
                click.echo(line, err=True)
        click.echo(d.summary, err=True)
    folder = printable(out.as_posix())
    if removed:
        click.echo(f"removed from {folder}/ the files of an earlier run that this one does not write: "
                   f"{', '.join(removed)}", err=True)
    if kept:
        click.echo(f"left alone in {folder}/ (not written by hankkeet, and not current): {', '.join(kept)}",
                   err=True)
    return any(d.diagnostics for d in done)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _run_all(tasks: list[Task], jobs: int, quiet: bool = False) -> list[Done]:
    """Run every task (in worker processes with --jobs > 1), in input order; the first failure is raised."""
    results: list[Done] = []
    show = len(tasks) > 1 and _stderr_is_terminal() and not quiet
    with click.progressbar(length=len(tasks), label="extracting", file=sys.stderr, hidden=not show) as bar:
        if jobs > 1 and len(tasks) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
                for result in pool.map(run_task, tasks):
                    results.append(result)
                    bar.update(1)
        else:
            for task in tasks:
                results.append(run_task(task))
                bar.update(1)
    return results


@main.command("normalize", epilog=EXIT_CODES)
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: an aligned table for people; json: a list of objects for scripts.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when a name gets no municipality code.")
@click.option("--skip-header", is_flag=True, help="With -: the first line of standard input is a header; skip it.")
@click.option("-q", "--quiet", is_flag=True,
              help="Print nothing; with --strict only the exit status tells whether every name resolved.")
@encoding_option
@overrides_option
@max_bytes_option
def normalize_command(names: tuple[str, ...], fmt: str, strict: bool, skip_header: bool, quiet: bool,
                      encoding: str | None, overrides: Path | None, max_bytes: int) -> None:
    """Show how place names resolve to municipalities, and why.

    Give names as arguments, or - to read one name per line from standard input
    (--skip-header drops its first line, such as a CSV column's name).
    Each name is cleaned like a listing line (spaces, controls) before it is
    resolved; there is one result per name, an empty one for a blank line.
    JSON keys: input (as given), code, name, name_sv, region, kind, method, score,
    runner_up (and margin, note).

    \b
    Examples:
      hankkeet normalize Lahden "Pargas stad" Lapinahti "Lapin liitto"
      cut -d, -f3 data/out/partners.csv | hankkeet normalize - --skip-header --format json
      hankkeet normalize -q --strict "Porvoon kaupunki/Borgå stad" && echo resolves
    """
    if skip_header and "-" not in names:
        raise InputError("--skip-header skips the first line of standard input; give - as a NAME")
    given = [n for name in names for n in (stdin_lines(max_bytes, encoding)[skip_header:] if name == "-" else [name])]
    from hankkeet.municipalities import resolve_names
    from hankkeet.output import render_json, render_table

    places = resolve_names(given, load_gazetteer(overrides, max_bytes))
    if not quiet:
        click.echo(render_json(given, places) if fmt == "json" else render_table(given, places), nl=fmt == "json")
    if strict and any(p is not None and p.code is None and p.kind not in ORGANISATION_KINDS for p in places):
        sys.exit(1)


@main.command("dataset", epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, metavar="[INPUT]")
@click.option("--into", type=FOLDER, default=Path("hankkeet"),
              show_default=True, help="The dataset folder: one <id>.yaml per project and index.csv.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and show the diff if the folder is out of date.")
@click.option("--force", is_flag=True,
              help="Write even if the folder holds *.yaml files hankkeet did not write (they are left alone).")
@click.option("-q", "--quiet", is_flag=True, help="Do not print the summary line.")
@encoding_option
@overrides_option
@max_bytes_option
def dataset_command(inputs: tuple[str, ...], into: Path, check: bool, force: bool, quiet: bool,
                    encoding: str | None, overrides: Path | None, max_bytes: int) -> None:
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
        _check_dataset(into, texts, release, force, max_bytes, quiet)
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
    left = f"; {plural(foreign, 'file')} hankkeet did not write left alone" if foreign else ""
    folder = printable(into.as_posix())
    if not quiet:
        click.echo(f"{plural(len(release.projects), 'project')} -> {folder}/ ({gone} removed{left})", err=True)


def _check_dataset(into: Path, texts: dict[str, str], release: Release, force: bool, max_bytes: int,
                   quiet: bool = False) -> None:
    """dataset --check: exit 1 with the project-level diff and the files that differ from a fresh run."""
    from hankkeet.diff import compare, records_from_dataset, render_text
    from hankkeet.files import (
        ForeignFiles,
        UnreadableOutput,
        dataset_removals,
        stale_files,
    )
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
    _exit_on_drift(problems, report, quiet)


def use_colour(flag: bool | None) -> bool:
    """--color/--no-color when given; else colour on a terminal unless NO_COLOR is set (no-color.org)."""
    if flag is not None:
        return flag
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def _dataset_texts(paths: list[Path], max_bytes: int) -> dict[str, str]:
    """Project files of a dataset folder as {path: text}, each read bounded and decoded."""
    return {path.as_posix(): decode(read_input(str(path), max_bytes)) for path in paths}


def _load_side(name: str, gazetteer: Gazetteer, max_bytes: int = DEFAULT_MAX_BYTES,
               encoding: str | None = None) -> list[dict[str, Any]]:
    """Project records from a dataset folder, an extract output folder or its hankkeet.yaml, or a raw listing."""
    return _read_side(name, gazetteer, max_bytes, encoding)[0]


def _read_side(name: str, gazetteer: Gazetteer, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None,
               with_lines: bool = False) -> tuple[list[dict[str, Any]], dict[str, list[tuple[int, str]]]]:
    """The project records of a side (see _load_side), and with ``with_lines`` each project's source lines when
    the side is a listing file, from the same reading (a YAML or folder side has none; standard input is given
    records only, as for the other formats)."""
    from hankkeet.diff import records_from_dataset, records_from_release_yaml
    from hankkeet.output import dataset_record
    from hankkeet.yamlsafe import YamlInputError

    path = Path(name)
    try:
        if name != "-" and path.is_dir() and (path / "hankkeet.yaml").is_file():
            name = (path / "hankkeet.yaml").as_posix()
            return records_from_release_yaml(decode(read_input(name, max_bytes)), name), {}
        if name != "-" and path.is_dir():
            texts = _dataset_texts([p for p in sorted(path.glob("*.yaml")) if p.is_file()], max_bytes)
            if not texts:
                raise InputError(f"{name}: no project *.yaml files in this folder")
            return records_from_dataset(texts), {}
        if path.suffix in (".yaml", ".yml"):
            return records_from_release_yaml(decode(read_input(name, max_bytes)), name), {}
    except SourceError as err:
        raise InputError(f"{name}: {err}") from None
    except YamlInputError as err:  # names the file itself, and the line or field
        raise InputError(str(err)) from None
    release, text = extract_listing(name, gazetteer, encoding, max_bytes, with_text=with_lines and name != "-")
    lines = text.split("\n") if text is not None else []
    sources = {p.id: [(n, lines[n - 1]) for n in range(p.line_start, min(p.line_end, len(lines)) + 1)]
               for p in release.projects} if lines else {}
    return [dataset_record(p) for p in release.projects], sources


@main.command("diff", epilog=EXIT_CODES)
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]), default="text",
              show_default=True,
              help="text (coloured on a terminal), markdown for release notes, json for scripts, html: a "
              "self-contained page with each project's record.")
@click.option("--color/--no-color", "color", default=None,
              help="Colour the text output, or not  [default: on a terminal, unless NO_COLOR is set]")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; only the exit status tells (like diff -q).")
@encoding_option
@overrides_option
@max_bytes_option
def diff_command(old: str, new: str, fmt: str, color: bool | None, quiet: bool, encoding: str | None,
                 overrides: Path | None, max_bytes: int) -> None:
    """Compare two releases: added, removed, renamed and changed projects.

    OLD and NEW are each a hankkeet.yaml, a folder extract wrote (holding
    hankkeet.yaml), a dataset folder, or a raw listing. Exit status 0 when equal,
    1 when different, 2 on error, as diff does. NO_COLOR (any non-empty value)
    turns colour off unless --color is given.

    \b
    Examples:
      hankkeet diff old.txt data/raw/kuntien-digihankkeet.txt
      hankkeet diff releases/2025/hankkeet.yaml hankkeet/ --format markdown
      hankkeet diff releases/old/ data/out/ --no-color | less
      hankkeet diff -q old.txt new.txt || echo changed
    """
    from hankkeet.diff import compare, render_html, render_json, render_markdown, render_text

    gazetteer = load_gazetteer(overrides, max_bytes)
    (old_records, old_lines), (new_records, new_lines) = (
        _read_side(name, gazetteer, max_bytes, encoding, with_lines=fmt == "html") for name in (old, new))
    comparison = compare(old_records, new_records)
    if quiet:
        sys.exit(0 if comparison.equal else 1)
    if fmt == "html":
        click.echo(render_html(comparison, old_records, new_records, input_label(old), input_label(new), old_lines,
                               new_lines), nl=False)
    elif fmt == "json":
        click.echo(render_json(comparison))
    elif fmt == "markdown":
        click.echo(render_markdown(comparison, old), nl=False)
    else:
        colour = use_colour(color)
        click.echo(render_text(comparison, old, colour=colour), nl=False, color=colour)
    sys.exit(0 if comparison.equal else 1)


@main.command("review", epilog=EXIT_CODES)
@click.argument("listing")
@click.option("--out", "out", type=FILE, default=Path("review.html"), show_default=True,
              help="The page to write (replaced whole, or left as it was); - writes to standard output.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print the summary line.")
@encoding_option
@overrides_option
@max_bytes_option
def review_command(listing: str, out: Path, quiet: bool, encoding: str | None, overrides: Path | None,
                   max_bytes: int) -> None:
    """Write the review page of a listing: one self-contained HTML file with each
    project's source lines beside the record read from them, every warning linked
    to its line (most serious first), filters and three pictures. It needs no
    network and works with scripts disabled; open it in any browser.

    \b
    Examples:
      hankkeet review data/raw/kuntien-digihankkeet.txt && xdg-open review.html
      hankkeet review page.html --out out/review.html
    """
    from hankkeet.pages import review_page

    if listing != "-" and out != STDOUT and Path(listing).resolve() == out.resolve():
        raise InputError(f"--out {printable(out.as_posix())}: that is the listing; give another file name")
    gazetteer = load_gazetteer(overrides, max_bytes)
    release, text = extract_listing(listing, gazetteer, encoding, max_bytes, with_text=True)
    _write_or_print(review_page(release, text or "", gazetteer.municipalities), out)
    if not quiet:
        where = "standard output" if out == STDOUT else printable(out.as_posix())
        click.echo(f"{release.source.file}: {plural(len(release.projects), 'project')}, "
                   f"{plural(len(release.diagnostics), 'warning')} -> {where}", err=True)


@main.command("history", epilog=EXIT_CODES)
@click.argument("snapshots", nargs=-1, required=True, metavar="SNAPSHOT...")
@click.option("--dates", default=None, metavar="D1,D2,...",
              help="The date (YYYY-MM-DD) of each SNAPSHOT, in the order given, instead of the dates in their "
              "names.")
@click.option("--out", "out", type=FILE, default=STDOUT, show_default=True,
              help="The file to write (replaced whole, or left as it was); - writes to standard output.")
@click.option("--format", "fmt", type=click.Choice(["csv", "markdown"]), default="csv", show_default=True,
              help="csv: history.csv, one row per project; markdown: a timeline per snapshot.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print the summary line.")
@encoding_option
@overrides_option
@max_bytes_option
def history_command(snapshots: tuple[str, ...], dates: str | None, out: Path, fmt: str, quiet: bool,
                    encoding: str | None, overrides: Path | None, max_bytes: int) -> None:
    """Follow each project through dated snapshots of the listing: when it was first
    and last seen, first marked ended, and the ids it had before a rename.

    Each SNAPSHOT is read as diff reads a side: a listing, a hankkeet.yaml, a folder
    extract wrote or a dataset folder. Its date is the YYYY-MM-DD in its name
    (listing-2024-01-31.txt, releases/2024-01-31/) unless --dates gives one date per
    snapshot, in the order given; they are taken in date order. history.csv columns:
    id, title, first_seen, last_seen, ended_seen, renamed_from, snapshots; --format
    markdown writes a timeline (added, returned, renamed, ended, removed).

    \b
    Examples:
      hankkeet history archive/*.txt > history.csv
      hankkeet history old.txt new.txt --dates 2024-01-31,2025-01-31
      hankkeet history releases/*/ --format markdown --out HISTORY.md
    """
    from hankkeet.history import (
        SnapshotDateError,
        history,
        render_csv,
        render_markdown,
        snapshot_dates,
    )

    if snapshots.count("-") > 1:
        raise InputError("standard input (-) can be only one of the snapshots")
    inputs = {path.resolve() for name in snapshots if name != "-" for path in (Path(name), Path(name, "hankkeet.yaml"))}
    if out != STDOUT and out.resolve() in inputs:
        raise InputError(f"--out {printable(out.as_posix())}: that is one of the snapshots; give another file name")
    try:
        days = snapshot_dates(list(snapshots), dates)
    except SnapshotDateError as err:
        raise InputError(str(err)) from None
    gazetteer = load_gazetteer(overrides, max_bytes)
    ordered = sorted(zip(days, snapshots, strict=True))
    result = history([(day, _load_side(name, gazetteer, max_bytes, encoding)) for day, name in ordered])
    text = render_markdown(result) if fmt == "markdown" else render_csv(result)
    _write_or_print(text, out)
    if not quiet:
        where = "standard output" if out == STDOUT else printable(out.as_posix())
        click.echo(f"{plural(len(result.rows), 'project')} in {plural(len(ordered), 'snapshot')} "
                   f"({ordered[0][0]} to {ordered[-1][0]}) -> {where}", err=True)


def _write_or_print(text: str, out: Path) -> None:
    """The text on standard output for -, else replacing the file ``out`` whole (exit 2 if it cannot be)."""
    if out == STDOUT:
        click.echo(text.encode("utf-8"), nl=False)
        return
    from hankkeet.transaction import replace_file

    try:
        replace_file(out, text)
    except OSError as err:
        raise _cannot_write(out, err) from None


FETCH_EXIT_CODES = """\b
Exit status:
  0  stored, or unchanged since the last snapshot (nothing stored)
  2  usage error; the page could not be fetched (HTTP error, 5xx or timeout
     after the retries, not HTML, a redirect to another host), has no listing,
     or could not be stored; nothing was stored
  128+N  ended by signal N (130: Ctrl-C)"""


def _fetch_timeout(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """--timeout: FloatRange lets NaN through (no comparison with it is true)."""
    import math

    if math.isnan(value):
        raise click.BadParameter(f"{value} is not a number of seconds")
    return value


@main.command("fetch", epilog=FETCH_EXIT_CODES)
@click.argument("url")
@click.option("--into", type=FOLDER, default=Path("data/raw"), show_default=True,
              help="Folder of the snapshots: YYYY-MM-DD.html, YYYY-MM-DD.txt and SNAPSHOTS.csv.")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Store the snapshot under this date, at most tomorrow  [default: today, UTC]")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=3600), default=30.0, show_default=True,
              metavar="SECONDS", callback=_fetch_timeout,
              help="Seconds one attempt may take (0.1 to 3600).")
@click.option("--retries", type=click.IntRange(min=0, max=10), default=3, show_default=True, metavar="N",
              help="Attempts after the first on a 5xx answer, a timeout or a dropped connection (1, 2, 4 s apart).")
@click.option("--force", is_flag=True, help="Replace a snapshot of the same date that holds another page.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def fetch_command(url: str, into: Path, day: datetime | None, timeout: float, retries: int, force: bool,
                  quiet: bool) -> None:
    """Download the listing page and store a dated snapshot if it changed.

    Stores INTO/YYYY-MM-DD.html, its text rendition INTO/YYYY-MM-DD.txt (what
    extract reads) and a line of INTO/SNAPSHOTS.csv (date, url, sha256, bytes,
    status, etag, last_modified), all or nothing. The request names hankkeet and
    is conditional on the last snapshot of URL; a 304 answer or the same bytes
    store nothing and exit 0. Redirects are followed only on the same host; an
    answer that is not HTML, a page with no listing, an HTTP error, or a snapshot
    of that date with other content (without --force) is exit 2.

    \b
    Examples:
      hankkeet fetch https://vm.fi/kuntien-digitalisaation-kannustinjarjestelma
      hankkeet fetch "$URL" --into data/raw --date 2025-06-02 --timeout 10 --retries 1
    """
    from hankkeet import fetch

    def say(message: str) -> None:
        if not quiet:
            click.echo(printable(message), err=True)

    from datetime import timedelta

    today = datetime.now(UTC).date()
    if day is not None and day.date() > today + timedelta(days=1):  # a day's slack for clocks and time zones
        raise InputError(f"--date: {day.date().isoformat()} is in the future (today is {today.isoformat()}, UTC)")
    when = (day.date() if day else today).isoformat()
    try:
        fetch.check_url(url)
        last = fetch.last_snapshot(fetch.read_snapshots(into), url)
        page = fetch.check_changed(fetch.download(url, last, timeout, retries, fetch.pause, say), last)
        try:
            with _staging(into) as staging:
                snapshot = fetch.store(staging, page, when, force)
        except InputError as err:  # cannot write to INTO: the folder is as it was, unless it says otherwise
            if "next run" in err.message or err.message.endswith("nothing was stored"):
                raise
            raise InputError(err.message + "; nothing was stored") from None
    except fetch.Unchanged as same:
        say(str(same))
        return
    except fetch.FetchError as err:
        raise InputError(str(err)) from None
    moved = f"; redirected to {page.final_url}" if page.final_url != url else ""
    say(f"stored {(into / when).as_posix()}.html and .txt ({snapshot.size} bytes, sha256 {snapshot.sha256[:12]})"
        f"{moved}")
