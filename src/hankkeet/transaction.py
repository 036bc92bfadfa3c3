"""One run's output files as one set: staged privately inside the target folder, committed together under a lock.

Protocol (the target folder is ``root``):

1. ``Staging.open(root)`` makes ``root/.hankkeet-stage-XXXX/`` and holds an exclusive ``flock`` on it while the run
   lives, so another run can tell a live staging folder from one left by a killed run. New files are written under
   its ``new/`` with the umask's mode and flushed to disk.
2. ``commit`` takes an exclusive ``flock`` on ``root`` itself, first finishes or undoes what killed runs left
   (``recover``), refuses targets that are not regular files, then writes a journal (every target, whether it
   existed) and for each target moves the old file aside into the staging folder's ``old/`` and the new one in.
   Renaming the journal to ``committed`` is the commit point; the staging folder is then removed.
3. On any error before the commit point the moves are undone from the journal (``rollback``), in this process or,
   if it was killed, by the next run. Every undo step looks at what is on disk, so it can be repeated safely.
"""
from __future__ import annotations

import base64
import contextlib
import errno
import fcntl
import json
import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from hankkeet.__main__ import TERMINATING

STAGE_PREFIX = ".hankkeet-stage-"
_STAGE_NAME = re.compile(re.escape(STAGE_PREFIX) + r"[a-z0-9_]{8}")  # as _make_private_folder (and mkdtemp) name it
_JOURNAL, _COMMITTED, _OWNER = "journal", "committed", "owner"
_OWNER_TEXT = "a staging folder of hankkeet; the next run removes it\n"
#: The names of the files hankkeet writes: a journal naming anything else was not written by hankkeet.
#: A dataset project file: ``<id>.yaml``, an id being ``lead-slug--title-slug`` (see ids.py).
PROJECT_FILE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*--[a-z0-9]+(?:-[a-z0-9]+)*\.yaml")
OUTPUT_NAME = (r"(?:hankkeet\.yaml|projects\.csv|partners\.csv|contacts\.csv|participants\.csv|"
               r"municipalities\.csv|datapackage\.json|hankkeet\.sqlite|review\.html|index\.csv|" + PROJECT_FILE.pattern + ")")
#: The snapshots ``hankkeet fetch`` keeps: ``YYYY-MM-DD.html``, its text ``YYYY-MM-DD.txt`` and ``SNAPSHOTS.csv``.
SNAPSHOT_NAME = r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}\.(?:html|txt)|SNAPSHOTS\.csv)"
_OUTPUT_NAME = re.compile(OUTPUT_NAME + "|" + SNAPSHOT_NAME)
# Temporary files of hankkeet before 0.3 (``.<output name>.<8 random>.tmp`` beside each output).
_LEGACY_TEMP = re.compile(r"\." + OUTPUT_NAME + r"\.[a-z0-9_]{8}\.tmp")

#: Something that writes one output file's text to an open, seekable text file.
Writer = Callable[[TextIO], None]


@dataclass(frozen=True)
class PathWriter:
    """Writes one output file that a library opens by name (SQLite): ``write`` fills the empty file at a path,
    ``matches`` tells whether a file on disk holds what ``write`` would write (for --check)."""

    write: Callable[[Path], None]
    matches: Callable[[Path], bool]


#: Either kind of writer of one output file.
Output = Writer | PathWriter


class WriteError(Exception):
    """The outputs could not be written; the previous ones are as they were. One line for the user."""


def write_file(path: Path, writer: Output) -> None:
    """Create ``path`` (it must not exist) with mode 0666 less the umask, write it and flush it to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    if isinstance(writer, PathWriter):
        os.close(descriptor)  # created here so it gets the umask's mode; the library fills it by name
        writer.write(path)
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        return
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        writer(handle)
        handle.flush()
        os.fsync(handle.fileno())


def text_writer(text: str) -> Writer:
    def write(handle: TextIO) -> None:
        handle.write(text)
    return write


def write_beside(path: Path, writer: Writer) -> Path:
    """A new version of ``path`` written under a temporary name beside it and flushed to disk, with the mode of
    the file it will replace (or the umask's); ``os.replace`` then puts it in place in one step."""
    while True:
        temp = path.with_name(f".{path.name}.hankkeet-{base64.b32encode(os.urandom(5)).decode('ascii').lower()}.tmp")
        try:
            write_file(temp, writer)
        except FileExistsError:
            if os.path.lexists(temp):
                continue  # that temporary name is taken: draw another
            raise  # the folder's name is taken by a file
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        break
    try:
        os.chmod(temp, os.stat(path).st_mode & 0o7777)
    except FileNotFoundError:
        pass
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def replace_file(path: Path, text: str) -> None:
    """Write one file whole or not at all: a new version is written beside ``path`` (``write_beside``), which
    then takes its place in one rename; a failure leaves ``path`` as it was. Its folder must exist (as for ``>``)."""
    if not path.parent.is_dir():  # write_beside would make the folder
        code = errno.ENOTDIR if os.path.lexists(path.parent) else errno.ENOENT
        raise OSError(code, os.strerror(code), str(path.parent))
    temporary = write_beside(path, text_writer(text))
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the file is in place; only its survival of a power cut is less certain
        _fsync_dir(path.parent)


def _make_private_folder(root: Path) -> Path:
    """A new folder ``.hankkeet-stage-XXXXXXXX`` in root, mode 0700 (tempfile.mkdtemp's job, without its imports)."""
    while True:
        name = base64.b32encode(os.urandom(5)).decode("ascii").lower()
        try:
            os.mkdir(root / (STAGE_PREFIX + name), 0o700)
        except FileExistsError:
            continue
        return root / (STAGE_PREFIX + name)


def remove_tree(folder: Path, ignore_errors: bool = False) -> None:
    """Remove a folder and everything in it, never following a symbolic link (shutil.rmtree, lighter to import)."""
    try:
        for parent, folders, files in os.walk(folder, topdown=False):
            for name in files:
                os.unlink(os.path.join(parent, name))
            for name in folders:
                path = os.path.join(parent, name)
                (os.unlink if os.path.islink(path) else os.rmdir)(path)
        os.rmdir(folder)
    except OSError:
        if not ignore_errors:
            raise


def _open_folder(folder: Path) -> int:
    """A descriptor of a folder itself: to fsync it, or to flock it."""
    return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)


def _fsync_dir(folder: Path) -> None:
    descriptor = _open_folder(folder)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@dataclass
class Staging:
    """A private folder inside ``root`` holding the new files of one run until they are committed."""

    root: Path
    folder: Path
    created: list[Path]  # the folders made for root, deepest first
    _descriptor: int = field(repr=False)

    @classmethod
    def open(cls, root: Path) -> Staging:
        created = [folder for folder in (root, *root.parents) if not folder.exists()]
        root.mkdir(parents=True, exist_ok=True)
        folder = _make_private_folder(root)
        descriptor = _open_folder(folder)
        while not _try_lock(descriptor):  # another run's probe of the (still empty) folder holds it a moment
            time.sleep(0.01)
        (folder / _OWNER).write_text(_OWNER_TEXT, encoding="utf-8")  # how a later run knows the folder is ours
        return cls(root, folder, created, descriptor)

    def path(self, relative: str) -> Path:
        """Where the new version of ``root/relative`` is written."""
        return self.folder / "new" / relative

    def close(self) -> None:
        """Remove the staging folder (after a commit, or to discard the run), unless it holds an unfinished undo."""
        if not (self.folder / _JOURNAL).exists():
            remove_tree(self.folder, ignore_errors=True)
        self._release()
        for made in self.created:
            try:
                made.rmdir()  # only if the failed run left it empty
            except OSError:
                break

    def commit(self, files: list[str], remove: Callable[[], list[str]] | None = None) -> None:
        """Make every staged file (names relative to root) visible and remove the files ``remove()`` names, all
        or nothing. ``remove`` is called under the lock, after what killed runs left is undone, so it sees the
        folder as the last finished run left it.

        SIGINT, SIGTERM and SIGHUP wait until the commit is over, so only SIGKILL (or a crash) can interrupt it;
        the next run then finishes or undoes it from the journal.
        """
        with locked(self.root), _signals_deferred():
            recover(self.root, skip=self.folder)
            try:
                journal = _prepare(self.root, self.folder, files, remove() if remove else [])
            except OSError as err:
                (self.folder / _JOURNAL).unlink(missing_ok=True)  # nothing was moved yet
                raise WriteError(_describe(err, self.root, undone=True)) from None
            with locked_all(_subfolders(self.root, files)):  # a run whose --out is one of them waits too
                try:
                    _apply(self.root, self.folder, journal)
                except OSError as err:
                    undone = _undo(self.root, self.folder, journal)
                    if not undone:
                        self._release()  # while the folder is locked, so the next run sees a dead journal
                    raise WriteError(_describe(err, self.root, undone)) from None
            try:
                _fsync_dir(self.folder)  # past the commit point: a failure here cannot undo the new set
            except OSError:
                pass
            self.close()

    def _release(self) -> None:
        if self._descriptor >= 0:
            os.close(self._descriptor)
            self._descriptor = -1


_DEFERRED = set(TERMINATING)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold back termination signals (delivered when the block ends)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _describe(err: OSError, root: Path, undone: bool) -> str:
    where = f" ({err.filename})" if isinstance(err.filename, str) else ""
    outcome = ("the previous outputs are as they were" if undone
               else "the commit could not be undone either; the next run will finish undoing it")
    return f"cannot write to {root.as_posix()}: {err.strerror or err}{where}; {outcome}"


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``root`` (waiting for another run to finish its commit).

    The lock is a ``flock`` on the folder itself, so no lock file is left among the outputs.
    """
    descriptor = _open_folder(root)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


@contextmanager
def locked_all(folders: list[Path]) -> Iterator[None]:
    """Hold the locks of several folders, taken in sorted order (so two runs cannot wait for each other)."""
    with contextlib.ExitStack() as stack:
        for folder in sorted(folders):
            stack.enter_context(locked(folder))
        yield


def _subfolders(root: Path, files: list[str]) -> list[Path]:
    """The existing folders below root that receive files (per-input folders of several inputs)."""
    return sorted({(root / name).parent for name in files if "/" in name and (root / name).parent.is_dir()})


@dataclass(frozen=True)
class Journal:
    """What a commit will do: targets to replace (and whether each existed), targets to remove, folders to make."""

    files: list[tuple[str, bool]]
    remove: list[str]
    folders: list[str]

    def save(self, folder: Path) -> None:
        temporary = folder / (_JOURNAL + ".new")
        text = json.dumps({"files": self.files, "remove": self.remove, "folders": self.folders})
        write_file(temporary, text_writer(text))
        os.replace(temporary, folder / _JOURNAL)
        _fsync_dir(folder)

    @classmethod
    def load(cls, folder: Path) -> Journal:
        """The journal of a staging folder; ValueError if it is not one hankkeet wrote."""
        try:
            data = json.loads((folder / _JOURNAL).read_text(encoding="utf-8"))
            journal = cls([(str(name), bool(existed)) for name, existed in data["files"]],
                          [str(name) for name in data["remove"]], [str(name) for name in data["folders"]])
        except (OSError, UnicodeDecodeError, KeyError, TypeError, ValueError) as err:
            raise ValueError(f"unreadable journal ({err})") from None
        journal.check()
        return journal

    def check(self) -> None:
        """Refuse names that are not hankkeet's outputs inside the folder (ValueError): a journal may be planted."""
        for name in [name for name, _ in self.files] + self.remove:
            if not safe_name(name):
                raise ValueError(f"{name!r} is not the name of an output of hankkeet")
        for folder in self.folders:
            if not _safe_part(folder):
                raise ValueError(f"{folder!r} is not a folder name hankkeet makes")


def _safe_part(part: str) -> bool:
    return part not in ("", ".", "..") and "/" not in part and "\\" not in part and "\x00" not in part


def safe_name(name: str) -> bool:
    """An output's name relative to its folder: ``FILE`` or ``FOLDER/FILE``, FILE one of hankkeet's output names."""
    parts = name.split("/")
    return 1 <= len(parts) <= 2 and all(_safe_part(p) for p in parts) and bool(_OUTPUT_NAME.fullmatch(parts[-1]))


def _prepare(root: Path, stage: Path, files: list[str], remove: list[str]) -> Journal:
    """Check every target, keep the modes of files that exist, and save the journal (nothing visible changes)."""
    entries = []
    for name in files + remove:
        _check_target(root, name)
    for name in files:
        target = root / name
        existed = target.exists()
        if existed:
            os.chmod(stage / "new" / name, target.stat().st_mode & 0o7777)
        entries.append((name, existed))
    folders = sorted({parent.relative_to(root).as_posix() for name in files
                      for parent in (root / name).parents if parent != root and root in parent.parents
                      and not parent.exists()}, key=lambda p: p.count("/"))
    for name in files + remove:
        (stage / "old" / name).parent.mkdir(parents=True, exist_ok=True)
    journal = Journal(entries, remove, folders)
    try:
        journal.check()
    except ValueError as err:
        raise WriteError(f"{root.as_posix()}: {err}; nothing was written") from None
    journal.save(stage)
    return journal


def _check_target(root: Path, name: str) -> None:
    """Refuse a target that is not a regular file, or that lies under a symbolic link inside root."""
    target = root / name
    for parent in target.parents:
        if parent == root:
            break
        if parent.is_symlink():
            raise WriteError(f"{parent.as_posix()}: is a symbolic link; not writing through it (nothing was written)")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        kind = "a directory" if target.is_dir() and not target.is_symlink() else "not a regular file"
        raise WriteError(f"{target.as_posix()}: is {kind}; not replacing it (nothing was written)")


def _apply(root: Path, stage: Path, journal: Journal) -> None:
    """Move old files aside and new ones in; the rename of the journal is the commit point."""
    for folder in journal.folders:
        (root / folder).mkdir(exist_ok=True)
    for name in journal.remove:
        if (root / name).exists():
            os.replace(root / name, stage / "old" / name)
    for name, existed in journal.files:
        if existed:
            os.replace(root / name, stage / "old" / name)
        os.replace(stage / "new" / name, root / name)
    for parent in sorted({(root / name).parent for name, _ in journal.files} | {root}):
        _fsync_dir(parent)
    os.replace(stage / _JOURNAL, stage / _COMMITTED)


def rollback(root: Path, stage: Path, journal: Journal) -> None:
    """Put back what a commit moved, judging each target by what is on disk (safe to repeat)."""
    for name, existed in reversed(journal.files):
        new, old, target = stage / "new" / name, stage / "old" / name, root / name
        if old.exists():
            os.replace(old, target)  # moved aside (and perhaps replaced): the old file goes back
        elif not new.exists() and not existed:
            target.unlink(missing_ok=True)  # the new file was moved in where there was none
    for name in journal.remove:
        if (stage / "old" / name).exists():
            os.replace(stage / "old" / name, root / name)
    for folder in reversed(journal.folders):
        try:
            (root / folder).rmdir()
        except OSError:
            pass
    os.unlink(stage / _JOURNAL)


def _undo(root: Path, stage: Path, journal: Journal) -> bool:
    """Undo a failed commit now; if even that fails, the journal stays for the next run to finish the undo."""
    try:
        rollback(root, stage, journal)
    except OSError:
        return False
    return True


def leftovers(root: Path) -> list[Path]:
    """Staging folders of runs that were killed (their lock is free) and temporary files of older versions."""
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        if _STAGE_NAME.fullmatch(path.name) and path.is_dir() and not path.is_symlink():
            if _is_ours(path) and not _is_live(path):
                found.append(path)
        elif _LEGACY_TEMP.fullmatch(path.name) and path.is_file():
            found.append(path)
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")):
        found += [p for p in sorted(sub.iterdir()) if _LEGACY_TEMP.fullmatch(p.name) and p.is_file()]
    return found


def _is_ours(stage: Path) -> bool:
    """A staging folder hankkeet made: it holds the owner note, or nothing yet (killed right after mkdtemp)."""
    try:
        return (stage / _OWNER).read_text(encoding="utf-8") == _OWNER_TEXT or not any(stage.iterdir())
    except (OSError, UnicodeDecodeError):
        return False


def _is_live(stage: Path) -> bool:
    try:
        descriptor = _open_folder(stage)
    except OSError:
        return False
    try:
        return not _try_lock(descriptor)
    finally:
        os.close(descriptor)  # closing releases the probe's lock


def recover(root: Path, skip: Path | None = None) -> list[str]:
    """Finish or undo the commits of killed runs and remove what they left; call with the root lock held."""
    done = []
    for path in leftovers(root):
        if path == skip:
            continue
        if path.is_file():
            path.unlink()
            done.append(f"removed {path.as_posix()}")
            continue
        if (path / _JOURNAL).exists():
            try:
                rollback(root, path, Journal.load(path))
            except (OSError, ValueError) as err:
                raise WriteError(f"{path.as_posix()}: an interrupted commit could not be undone ({err}); "
                                 "look at it and restore or remove it by hand") from None
            done.append(f"undid the interrupted commit in {path.as_posix()}")
        remove_tree(path)
    return done


def describe_leftovers(root: Path) -> list[str]:
    """``--check`` lines for what killed runs left in ``root`` (the next run removes or undoes it)."""
    lines = []
    for path in leftovers(root):
        if path.is_dir() and (path / _JOURNAL).exists():
            lines.append(f"interrupted commit: {path.as_posix()} (the next run undoes it)")
        else:
            lines.append(f"leftover: {path.as_posix()} (from a killed run; the next run removes it)")
    return lines
