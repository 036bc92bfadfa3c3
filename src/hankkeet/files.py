"""Output files at the edge: write them atomically, or compare them with what is on disk."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from hankkeet.model import Release
from hankkeet.output import write_yaml
from hankkeet.tables import TABLES, as_text, datapackage, write_table


class UnreadableOutput(OSError):
    """An existing output file could not be read for --check."""


#: Something that writes one output file's text to an open, seekable text file.
Writer = Callable[[TextIO], None]


def text_writer(text: str) -> Writer:
    def write(handle: TextIO) -> None:
        handle.write(text)
    return write


def _table_writer(release: Release, name: str, excel: bool) -> Writer:
    columns, rows = TABLES[name]

    def write(handle: TextIO) -> None:
        write_table(columns, rows(release), handle, excel)
    return write


Staged = list[tuple[Path, Path]]


def stage(files: dict[Path, Writer]) -> Staged:
    """Write every file to a temporary name beside its target; on failure remove them all and re-raise."""
    staged: Staged = []
    try:
        for target, writer in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(name), target))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                writer(out)
    except BaseException:
        discard(staged)
        raise
    return staged


def discard(staged: Staged) -> None:
    for temp, _ in staged:
        temp.unlink(missing_ok=True)


def commit(staged: Staged) -> None:
    """Rename staged files into place (after every output of the run was written)."""
    for temp, target in staged:
        os.replace(temp, target)


def write_outputs(files: dict[Path, Writer]) -> None:
    """Write every file to a temporary name beside it; rename them into place only when all are written."""
    commit(stage(files))


def release_files(release: Release, folder: Path, excel: bool = False) -> dict[Path, Writer]:
    """The output files of one release: hankkeet.yaml, the three CSV tables and their datapackage.json."""
    files: dict[Path, Writer] = {folder / "hankkeet.yaml": lambda handle: write_yaml(release, handle)}
    for name in TABLES:
        files[folder / name] = _table_writer(release, name, excel)
    files[folder / "datapackage.json"] = text_writer(datapackage(excel))
    return files


def stale_files(files: dict[Path, Writer], extra: set[Path]) -> list[str]:
    """What differs between the files a fresh run would write and the disk: missing, changed, or extra."""
    problems = []
    for path, writer in sorted(files.items()):
        try:
            on_disk = path.read_bytes()
        except FileNotFoundError:
            problems.append(f"missing: {path.as_posix()}")
            continue
        except OSError as err:
            raise UnreadableOutput(err.errno, f"{path.as_posix()}: cannot read ({err.strerror})") from None
        if on_disk != as_text(writer).encode("utf-8"):
            problems.append(f"differs: {path.as_posix()}")
    problems += [f"not generated: {p.as_posix()}" for p in sorted(extra)]
    return problems
