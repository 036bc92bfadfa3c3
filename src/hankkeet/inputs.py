"""What the user gives the command line: input files and standard input (read bounded), the overrides file,
the options that govern reading, and InputError (one line on stderr, exit status 2)."""
from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import click

from hankkeet.model import Release
from hankkeet.printable import printable
from hankkeet.source import (
    SourceError,
    decode,
    looks_like_html,
    nul_is_text,
    raw_lines,
    refuse_binary,
    refuse_document,
    text_codec,
)

if TYPE_CHECKING:
    from hankkeet.municipalities import Gazetteer

DEFAULT_INPUTS = "data/raw/*.txt"
DEFAULT_OVERRIDES = Path("data/overrides.yaml")
#: The text rendition of a page that ``hankkeet fetch`` stored: ``data/raw/YYYY-MM-DD.txt``.
_SNAPSHOT = re.compile(r"\d{4}-\d{2}-\d{2}\.txt")

#: No input or overrides file larger than this is read (--max-bytes): a mistaken /dev/zero fails, not the machine.
DEFAULT_MAX_BYTES_TEXT = "256M"
DEFAULT_MAX_BYTES = 256 * 1024**2
_CHUNK = 1024**2


class InputError(click.ClickException):
    """A problem with what the user gave us: one line on stderr, exit status 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))  # names and text from the data may hold escape sequences


def input_label(name: str) -> str:
    """How an input is named in messages and in source.file: ``<stdin>`` for -, the name escaped otherwise."""
    return "<stdin>" if name == "-" else printable(name)


def read_input(name: str, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None) -> bytes:
    """The bytes of a file, or of standard input for -; too large or binary input refused before it is read whole."""
    label = input_label(name)
    try:
        if name == "-":
            if sys.stdin is None:  # started with standard input closed (<&-)
                raise InputError("<stdin>: standard input is closed")
            return _read_bounded(sys.stdin.buffer, max_bytes, encoding)
        path = Path(name)
        if path.is_dir():
            raise InputError(f"{name}: is a directory, not a listing file")
        with path.open("rb") as stream:
            return _read_bounded(stream, max_bytes, encoding)
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except OSError as err:
        raise InputError(f"{label}: cannot read ({err.strerror})") from None
    except SourceError as err:
        raise InputError(f"{label}: {err}") from None
    except _TooLarge:
        raise InputError(f"{label}: larger than the limit of {max_bytes} bytes (--max-bytes)") from None


class _TooLarge(Exception):
    """The input holds more bytes than --max-bytes."""


def _regular_file_size(stream: BinaryIO) -> int | None:
    """The size of a regular file; None for a pipe, a terminal, a device or a stream without a descriptor."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _read_bounded(stream: BinaryIO, max_bytes: int, encoding: str | None) -> bytes:
    """At most max_bytes, in chunks (a regular file in one, once its size is known); NUL bytes refused early."""
    size = _regular_file_size(stream)
    if size is not None and size > max_bytes:
        raise _TooLarge
    chunks: list[bytes] = []
    total, want, check_nul = 0, (_CHUNK if size is None else size + 1), True
    while chunk := stream.read(min(want, max_bytes + 1 - total)):
        if not chunks:
            refuse_document(chunk)  # a PDF or Word file gets its name, not "binary data"
            check_nul = not nul_is_text(chunk, encoding)
        if check_nul:
            refuse_binary(chunk, total)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise _TooLarge
        want = _CHUNK
    return b"".join(chunks)


def load_gazetteer(overrides: Path | None, max_bytes: int = DEFAULT_MAX_BYTES) -> Gazetteer:
    """The shipped gazetteer with a person's overrides: --overrides, else data/overrides.yaml when present."""
    from hankkeet.municipalities import Gazetteer, OverridesError
    from hankkeet.overrides import parse_overrides

    path = overrides if overrides is not None else (DEFAULT_OVERRIDES if DEFAULT_OVERRIDES.is_file() else None)
    if path is None:
        return Gazetteer.load()
    text = read_input(str(path), max_bytes)
    try:
        return Gazetteer.load(parse_overrides(decode(text)))
    except (SourceError, OverridesError) as err:
        raise InputError(f"{path}: {err}") from None


def _text_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse an unknown or non-text --encoding (base64, unicode_escape) before anything is read."""
    if value is not None:
        try:
            text_codec(value)
        except SourceError as err:
            raise InputError(f"--encoding: {err}") from None
    return value


_UNITS = {"K": 1024, "M": 1024**2, "G": 1024**3}


def _byte_count(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """A number of bytes: 1000, or with a suffix K, M or G (powers of 1024)."""
    text = value.strip().upper()
    unit = _UNITS.get(text[-1:], 1)
    digits = text[:-1] if unit > 1 else text
    if not (digits.isascii() and digits.isdigit()):
        raise click.BadParameter(f"{value!r} is not a number of bytes such as 1000, 64M or 1G")
    return int(digits) * unit


encoding_option = click.option(
    "--encoding", default=None, metavar="NAME", callback=_text_encoding,
    help="Decode the input as NAME (e.g. cp1252, latin-1) instead of UTF-8 / BOM-marked UTF-16.",
)
max_bytes_option = click.option(
    "--max-bytes", default=DEFAULT_MAX_BYTES_TEXT, show_default=True, metavar="N", callback=_byte_count,
    help="Refuse an input or overrides file larger than N bytes (suffix K, M, G: powers of 1024) without "
    "reading it whole.",
)
overrides_option = click.option(
    "--overrides", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help=f"YAML of place decisions applied before any matching [default: {DEFAULT_OVERRIDES} if present].",
)


def _is_snapshot(name: str) -> bool:
    """``YYYY-MM-DD.txt`` with a real date (not ``9999-99-99.txt``)."""
    if not _SNAPSHOT.fullmatch(name):
        return False
    try:
        date.fromisoformat(name[:10])
    except ValueError:
        return False
    return True


def input_names(given: Sequence[str]) -> list[str]:
    """The inputs given; with none, the newest dated snapshot in data/raw/ if there is one, else data/raw/*.txt."""
    if given:
        return list(given)
    found = sorted(p.as_posix() for p in Path().glob(DEFAULT_INPUTS))
    snapshots = [name for name in found if _is_snapshot(Path(name).name)]
    if snapshots:  # hankkeet fetch keeps dated snapshots there: the newest is the current listing
        return snapshots[-1:]
    if not found:
        raise InputError(f"no INPUT given and nothing matches {DEFAULT_INPUTS} here; name a listing file or -")
    return found


def stdin_lines(max_bytes: int, encoding: str | None = None) -> list[str]:
    """The lines of standard input as given (not cleaned), for normalize -."""
    try:
        return raw_lines(decode(read_input("-", max_bytes), encoding))
    except SourceError as err:
        raise InputError(f"<stdin>: {err}") from None


def one_input(inputs: tuple[str, ...]) -> str:
    names = input_names(inputs)
    if len(names) != 1:
        raise InputError(f"expected one listing, got {len(names)}: {', '.join(names)}")
    return names[0]


def extract_one(name: str, gazetteer: Gazetteer, encoding: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Release:
    """Extract one listing file (text or a saved web page), or standard input for -."""
    return extract_listing(name, gazetteer, encoding, max_bytes)[0]


def extract_listing(name: str, gazetteer: Gazetteer, encoding: str | None = None,
                    max_bytes: int = DEFAULT_MAX_BYTES, with_text: bool = False) -> tuple[Release, str | None]:
    """Extract one input; with ``with_text``, also the text its line numbers refer to (--save-text): the text
    rendition of a web page, or a text listing's lines as read (line breaks made LF). An HTML page is found by
    its content, whatever its name; its source.sha256 is that of the page's bytes."""
    from hankkeet.pipeline import extract

    label = input_label(name)  # also the source.file of the outputs
    data = read_input(name, max_bytes, encoding)
    try:
        if looks_like_html(data, encoding):
            return _extract_page(data, label, gazetteer, encoding)
        release = extract(data, gazetteer, file=label, encoding=encoding)
        text = "".join(line + "\n" for line in raw_lines(decode(data, encoding))) if with_text else None
        return release, text
    except SourceError as err:
        raise InputError(f"{label}: {err}") from None


def _extract_page(data: bytes, label: str, gazetteer: Gazetteer, encoding: str | None) -> tuple[Release, str]:
    """Extract the listing of a saved web page from its text rendition; a page without one is refused."""
    import hashlib
    from dataclasses import replace

    from hankkeet.pipeline import extract
    from hankkeet.webpage import html_to_text

    text = html_to_text(data, encoding)
    if not text:
        raise InputError(f"{label}: an HTML page without a listing (its main content has no text)")
    release = extract(text, gazetteer, file=label)
    if not release.projects:
        raise InputError(f"{label}: an HTML page without a listing (no project titles found in its main content)")
    source = replace(release.source, sha256=hashlib.sha256(data).hexdigest())  # the file given, as sha256sum has it
    return replace(release, source=source), text
