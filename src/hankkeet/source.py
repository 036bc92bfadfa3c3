"""Bytes to text lines with their original numbers: the only place that decodes."""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata

from hankkeet.diagnostics import Diagnostic
from hankkeet.model import Line, SourceInfo


class SourceError(Exception):
    """Input that cannot be used at all; the CLI turns it into one message and exit status 2."""


class SourceDecodeError(SourceError):
    """The bytes are not text in the expected encoding."""


class BinaryInputError(SourceError):
    """The input holds NUL bytes: it is a binary file, not a listing."""


# Non-breaking and other odd spaces, tabs and control characters all become one plain space.
_ODD_SPACE = re.compile(r"[\t\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
# C1 controls (a terminal acts on them) and bidi controls (text shown out of order), dropped after the mojibake
# repair, which needs the C1 characters of UTF-8 read as Latin-1 ("Ã\x84" for "Ä"); \x85 is a line break.
_HIDDEN = re.compile(r"[\x80-\x84\x86-\x9f\u00ad\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # and the soft
# hyphen (a break hint, not a letter), which the repair needs too: "í" in UTF-8 read as cp1252 is "Ã" + U+00AD
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r" {2,}")
# One character class (no alternation): much faster to search than the three patterns above.
_SPECIAL_CHAR = re.compile("[" + "".join(p.pattern.strip("[]+") for p in (_ODD_SPACE, _CONTROL, _ZERO_WIDTH, _HIDDEN))
                           + "]")


#: Text codecs whose decoding reads escape sequences, or fails with other errors than UnicodeDecodeError.
_REFUSED_CODECS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"})
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def text_codec(name: str) -> str:
    """The codec a text encoding name stands for; SourceDecodeError for an unknown or non-text one (base64)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        raise SourceDecodeError(f"unknown encoding {name!r}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED_CODECS:
        raise SourceDecodeError(f"{name!r} cannot decode a listing; name a text encoding such as cp1252") from None
    return info.name


def nul_is_text(head: bytes, encoding: str | None) -> bool:
    """Whether NUL bytes may be text: in a named encoding, or in UTF-16 marked by a BOM at the ``head``."""
    return encoding is not None or head.startswith(_UTF16_BOMS)


def refuse_binary(data: bytes, offset: int = 0) -> None:
    """Raise BinaryInputError if this piece of the input (starting at byte ``offset``) holds a NUL byte."""
    at = data.find(b"\x00")
    if at >= 0:
        raise BinaryInputError(f"binary data (a NUL byte at offset {offset + at}), not a text listing")


class DocumentInputError(SourceError):
    """The input is a document of another kind (PDF, Word, RTF): no listing until it is saved as HTML or text."""


#: The first bytes of the document formats a page gets saved as, instead of HTML or text.
_DOCUMENTS = (
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word document in the old .doc format (or another old Office file)"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"From: <Saved by Blink>", "a web archive (MHTML, saved as a single file)"),
    (b"MIME-Version: 1.0", "a MIME message or web archive (MHTML)"),
)
#: What a ZIP archive is, by the names of its first entries (or the ``mimetype`` entry of OpenDocument).
_ZIP_KINDS = (
    (b"word/", "a Word document (.docx)"),
    (b"mimetypeapplication/vnd.oasis.opendocument.text", "an OpenDocument text (.odt)"),
    (b"mimetypeapplication/vnd.oasis.opendocument", "an OpenDocument file"),
    (b"xl/", "an Excel workbook (.xlsx)"),
    (b"ppt/", "a PowerPoint presentation (.pptx)"),
)


def refuse_document(head: bytes) -> None:
    """Raise DocumentInputError if the input starts like a PDF, Word, OpenDocument, RTF or ZIP file."""
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    for signature, kind in _DOCUMENTS:
        if start.startswith(signature):
            if signature.startswith(b"PK"):
                kind = next((name for mark, name in _ZIP_KINDS if mark in head), kind)
            raise DocumentInputError(f"{kind}, not a listing; save the page as HTML or text")


#: Tags a web page (or a saved fragment of one) starts with.
_HTML_TAGS = frozenset(
    "html head body meta title link base style script p div span main article section header nav table ul ol "
    "h1 h2 h3 h4 h5 h6".split()
)
SNIFF_BYTES = 1024


def looks_like_html(data: bytes, encoding: str | None = None) -> bool:
    """Does the input start, after a BOM, white space and comments, with an HTML doctype or an HTML tag?"""
    head = data[:SNIFF_BYTES]
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", "ignore")
    else:
        try:  # the markup is ASCII in any encoding but UTF-16, which a --encoding may name
            text = codecs.decode(head, text_codec(encoding), "ignore") if encoding else head.decode("latin-1")
        except Exception:  # noqa: BLE001 - a registered codec may raise anything; sniff the bytes as they are
            text = head.decode("latin-1")
    text = text.removeprefix("\ufeff").removeprefix("\u00ef\u00bb\u00bf").lstrip()
    while text.startswith(("<!--", "<?xml")):
        end = text.find("-->" if text.startswith("<!--") else "?>")
        if end < 0:
            return True  # a comment longer than the head: no text listing starts so
        text = text[end + (3 if text.startswith("<!--") else 2):].lstrip()
    if text[:14].lower() == "<!doctype html":
        return True
    if not text.startswith("<"):
        return False
    name = text[1:12].lower()
    for end, char in enumerate(name):
        if not char.isalnum():
            return name[:end] in _HTML_TAGS and char in " \t\n\r\f/>"
    return False


def _decode_as(data: bytes, encoding: str) -> str:
    """Decode with a named text encoding; every failure is a SourceDecodeError."""
    codec = text_codec(encoding)
    try:
        return codecs.decode(data, codec)
    except UnicodeDecodeError as err:
        raise SourceDecodeError(f"not valid {encoding} at byte offset {err.start}") from None
    except Exception as err:  # noqa: BLE001 - a registered codec may raise anything; the input is unusable
        raise SourceDecodeError(f"cannot be decoded as {encoding} ({type(err).__name__})") from None


def decode(data: bytes, encoding: str | None = None) -> str:
    """Decode UTF-8 (with or without BOM), BOM-marked UTF-16, or a named text encoding; refuse binary data."""
    if encoding is not None:
        return _decode_as(data, encoding)
    if data.startswith(_UTF16_BOMS):
        return _decode_as(data, "UTF-16")
    refuse_binary(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SourceDecodeError(
            f"not valid UTF-8 at byte offset {err.start}; if it was saved from Excel or Windows, "
            "try --encoding cp1252"
        ) from None


# UTF-8 read as cp1252 or Latin-1 and saved again: "Ã„" for "Ä", "Ã¤" for "ä", "â€“" for "–".
_CONTINUATION = "".join(sorted(set(bytes(range(0x80, 0xC0)).decode("cp1252", "ignore"))
                               | set(bytes(range(0x80, 0xC0)).decode("latin-1"))))
MOJIBAKE = re.compile("[\u00c2-\u00c3\u00c5][" + re.escape(_CONTINUATION) + "]|\u00e2\u20ac.")


def repair_mojibake(lines: list[Line]) -> tuple[list[Line], list[Diagnostic]]:
    """Undo UTF-8-read-as-cp1252 line by line; report lines that look garbled but cannot be undone."""
    out: list[Line] = []
    diagnostics: list[Diagnostic] = []
    for line in lines:
        if not ("Ã" in line.text or "Â" in line.text or "â€" in line.text) or not MOJIBAKE.search(line.text):
            out.append(line)
            continue
        repaired = None
        for codec in ("cp1252", "latin-1"):
            try:
                repaired = line.text.encode(codec).decode("utf-8")
                break
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
        if repaired is None:
            diagnostics.append(Diagnostic("mojibake", line.number, "text looks like UTF-8 read as cp1252 "
                                          "(e.g. 'Ã¤' for 'ä') but could not be repaired"))
            out.append(line)
        else:
            diagnostics.append(Diagnostic("mojibake-repaired", line.number,
                                          f"repaired UTF-8 that had been read as cp1252: {repaired[:60]!r}"))
            out.append(Line(line.number, clean(repaired)))
    return out, diagnostics


def clean(text: str) -> str:
    """Normalise one line: NFC, odd spaces and tabs to one space, controls dropped, ends trimmed."""
    if "  " not in text and _SPECIAL_CHAR.search(text) is None and unicodedata.is_normalized("NFC", text):
        return text.strip()  # the common case, same result as the full path below
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", _CONTROL.sub("", text))
    return _SPACES.sub(" ", _ODD_SPACE.sub(" ", text)).strip()


def raw_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF, without cleaning; a final line break does not start another line."""
    text = text.removeprefix("\ufeff")
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return parts


def _is_clean(text: str) -> bool:
    """Nothing in the text for clean() to change but the ends of lines (one search over the whole text)."""
    return "  " not in text and _SPECIAL_CHAR.search(text) is None and unicodedata.is_normalized("NFC", text)


def split_lines(text: str, is_clean: bool | None = None) -> list[Line]:
    """Split on CRLF, CR or LF and clean each line, keeping 1-based original line numbers."""
    parts = raw_lines(text)
    if is_clean is None:
        is_clean = _is_clean(text)
    if is_clean:
        # The whole text is already clean (the usual case): trimming each line is all clean() would do.
        return [Line(number, part.strip()) for number, part in enumerate(parts, start=1)]
    return [Line(number, clean(part)) for number, part in enumerate(parts, start=1)]


def read(data: bytes | str, file: str, encoding: str | None = None
         ) -> tuple[list[Line], SourceInfo, list[Diagnostic]]:
    """Decode (bytes) and split a listing, repairing mojibake; describe it for provenance.

    Text that is already decoded is only split; its SHA-256 is that of its UTF-8 encoding.
    """
    if isinstance(data, str):
        text, raw = data, data.encode("utf-8", "surrogatepass")
    else:
        text, raw = decode(data, encoding), data
    is_clean = _is_clean(text)
    lines, diagnostics = repair_mojibake(split_lines(text, is_clean))
    if not is_clean or diagnostics:  # a repaired line may hold controls the original text did not (â€®: U+202E)
        lines = [Line(line.number, _SPACES.sub(" ", _HIDDEN.sub("", line.text)).strip())
                 if _HIDDEN.search(line.text) else line for line in lines]
    return lines, SourceInfo(file=file, sha256=hashlib.sha256(raw).hexdigest(), lines=len(lines)), diagnostics
