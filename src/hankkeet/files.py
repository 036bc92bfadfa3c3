"""Output files at the edge: which files a run writes (and may remove), and how they compare with the disk."""
from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from hankkeet.model import Release
from hankkeet.output import release_record, to_yaml, write_yaml
from hankkeet.printable import printable_json
from hankkeet.schema import datapackage
from hankkeet.tables import INDEX_COLUMNS, TABLES, Reference, Source, as_text, write_table
from hankkeet.transaction import PROJECT_FILE, Output, PathWriter, Writer, text_writer


class UnreadableOutput(OSError):
    """An existing output file could not be read for --check."""


class ForeignFiles(Exception):
    """The dataset folder holds files hankkeet did not write; it will not remove or replace them."""


def _table_writer(source: Source, name: str, excel: bool) -> Writer:
    columns, rows = TABLES[name]

    def write(handle: TextIO) -> None:
        write_table(columns, rows(source), handle, excel)
    return write


def _database_writer(source: Source) -> PathWriter:
    from hankkeet.database import same_database, write_database

    return PathWriter(lambda path: write_database(path, source), lambda path: same_database(path, source))


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]+")


def folder_name(input_name: str) -> str:
    """The per-input output folder: the file name without extension, as a safe single name (never ``.``/``..``)."""
    if input_name == "-":
        return "stdin"
    stem = Path(input_name).stem.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    stem = _UNSAFE_NAME.sub("_", stem).lstrip(".")
    return stem[:100] or "input"


def release_files(release: Release, folder: Path, reference: Reference, excel: bool = False,
                  sqlite: bool = True, review_text: str | None = None) -> dict[Path, Output]:
    """The output files of one release: hankkeet.yaml, the CSV tables, their datapackage.json, (with
    ``sqlite``) hankkeet.sqlite and (given the text the line numbers refer to) review.html; ``reference`` is the
    gazetteer's municipalities."""
    source = Source(release, reference)
    files: dict[Path, Output] = {folder / "hankkeet.yaml": lambda handle: write_yaml(release, handle)}
    for name in TABLES:
        files[folder / name] = _table_writer(source, name, excel)
    files[folder / "datapackage.json"] = text_writer(datapackage(excel))
    if sqlite:
        files[folder / "hankkeet.sqlite"] = _database_writer(source)
    if review_text is not None:
        from hankkeet.pages import review_page

        files[folder / "review.html"] = text_writer(review_page(release, review_text, reference))
    return files


def stream_text(release: Release, reference: Reference, fmt: str, table: str = "projects",
                excel: bool = False) -> str:
    """One output for standard output: hankkeet.yaml, the same record as JSON, or one CSV table."""
    if fmt == "yaml":
        return to_yaml(release)
    if fmt == "json":
        import json  # only for this stream

        return printable_json(json.dumps(release_record(release), ensure_ascii=False, indent=2)) + "\n"
    return as_text(_table_writer(Source(release, reference), f"{table}.csv", excel))


def _head(path: Path, size: int) -> bytes:
    """The first bytes of a regular file (none for a link, a folder or an unreadable file)."""
    if path.is_symlink() or not path.is_file():
        return b""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _is_our_database(path: Path) -> bool:
    """Whether a regular file is an SQLite database with hankkeet's application id (header bytes 68-71)."""
    from hankkeet.database import APPLICATION_ID

    head = _head(path, 72)
    return head[:16] == b"SQLite format 3\0" and head[68:72] == APPLICATION_ID.to_bytes(4, "big")


def _written_by_hankkeet(path: Path) -> bool:
    """Whether a top-level output file starts the way hankkeet writes it (its own header or name)."""
    if path.name == "hankkeet.sqlite":
        return _is_our_database(path)
    head = _head(path, 4096).decode("utf-8-sig", "replace")
    first = head.split("\n", 1)[0].rstrip("\r")
    if path.name == "hankkeet.yaml":
        return first == "generator:" and "name: hankkeet" in head[:64]
    if path.name == "review.html":
        return first == "<!DOCTYPE html>" and '<meta name="generator" content="hankkeet ' in head
    if path.name == "datapackage.json":
        return first == "{" and '"name": "hankkeet"' in head[:64]
    columns = TABLES[path.name][0]
    return first in (",".join(columns), ";".join(columns))


#: The files one input writes into OUT (several inputs write them into OUT/<input>/ instead).
SINGLE_INPUT_FILES = ("hankkeet.yaml", *TABLES, "datapackage.json", "hankkeet.sqlite", "review.html")


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def outdated_files(out: Path, folders: list[str], sqlite: bool, review: bool = True) -> tuple[list[str], list[str]]:
    """Files of earlier runs in ``out`` that a run with these per-input ``folders`` would leave looking current
    (names relative to ``out``): those hankkeet wrote, which the run removes, and the others, which it names.

    With several inputs, the top-level outputs of a single-input run; with ``--no-sqlite``, a database; without
    ``--review``, a review page.
    """
    names = [name for name in SINGLE_INPUT_FILES if _present(out / name)] if folders != [""] else []
    for wanted, file in ((sqlite, "hankkeet.sqlite"), (review, "review.html")):
        if not wanted:
            names += [name for name in (f"{folder}/{file}".lstrip("/") for folder in folders)
                      if _present(out / name) and name not in names]
    ours = [name for name in names if _written_by_hankkeet(out / name)]
    return ours, [name for name in names if name not in ours]


#: The files SQLite keeps beside a database it is writing; a new database beside them would be damaged by them.
DATABASE_JOURNALS = ("hankkeet.sqlite-journal", "hankkeet.sqlite-wal", "hankkeet.sqlite-shm")


def database_journals(out: Path, folders: list[str]) -> list[str]:
    """The SQLite journals beside the databases of ``out`` (names relative to it): a client holds the database
    open, or died while writing it."""
    return [name for folder in folders for journal in DATABASE_JOURNALS
            if _present(out / (name := f"{folder}/{journal}".lstrip("/")))]


def stale_files(files: Mapping[Path, Output], extra: set[Path]) -> list[str]:
    """What differs between the files a fresh run would write and the disk: missing, changed, or extra."""
    problems = []
    for path, writer in sorted(files.items()):
        if not path.exists() and not path.is_symlink():
            problems.append(f"missing: {path.as_posix()}")
            continue
        if path.is_symlink() or not path.is_file():  # a FIFO would block the read; a link is not our file
            problems.append(f"not a regular file: {path.as_posix()}")
            continue
        try:
            on_disk = path.read_bytes()
        except OSError as err:
            raise UnreadableOutput(err.errno, f"{path.as_posix()}: cannot read ({err.strerror})") from None
        if isinstance(writer, PathWriter):
            same = writer.matches(path)  # a database is compared by its tables (see README, Output contract)
        else:
            same = on_disk == as_text(writer).encode("utf-8")
        if not same:
            problems.append(f"differs: {path.as_posix()}")
    problems += [f"not generated: {p.as_posix()}" for p in sorted(extra)]
    return problems


def dataset_manifest(into: Path) -> set[str]:
    """The project files an earlier run wrote: those listed in ``into/index.csv`` (none when it is missing)."""
    index = into / "index.csv"
    if not index.is_file() or index.is_symlink():
        return set()
    try:
        with index.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if tuple(header or ()) != INDEX_COLUMNS:
                raise ForeignFiles(f"{index.as_posix()}: not an index.csv written by hankkeet; "
                                   "remove it or choose another folder")
            names = {f"{row[0]}.yaml" for row in reader if row}
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ForeignFiles(f"{index.as_posix()}: cannot read it ({err})") from None
    return {name for name in names if PROJECT_FILE.fullmatch(name)}


def dataset_removals(into: Path, new: set[str], force: bool) -> tuple[list[str], list[str]]:
    """Files of the last run's projects that are gone, and the ``*.yaml`` files hankkeet did not write.

    Raises ForeignFiles when there are such files and ``force`` is not given, or when one of them has the name of
    a project file to write (it is never replaced).
    """
    written = dataset_manifest(into)
    present = {p.name for p in into.glob("*.yaml") if p.is_file() and not p.is_symlink()} if into.is_dir() else set()
    foreign = sorted(present - written)
    taken = [name for name in foreign if name in new]
    if taken or (foreign and not force):
        named = taken or foreign
        shown = ", ".join(named[:5]) + (f" and {len(named) - 5} more" if len(named) > 5 else "")
        raise ForeignFiles(f"{into.as_posix()}: holds YAML files hankkeet did not write ({shown}); "
                           + ("move them away" if taken else "move them away or give --force to leave them alone"))
    return sorted((written & present) - new), foreign
