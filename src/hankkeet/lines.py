"""Classify each line on its own: ended marker, partner line, contact header, contact, link, numbered, text.

The rules are data: one table of compiled patterns, tried in order; the first that accepts a line wins.
"""
from __future__ import annotations

from collections.abc import Iterable

import regex

from hankkeet.model import Kind, Line, Token

ENDED = regex.compile(r"(?i)(?:HANKE\s+(?:ON\s+)?PÄÄTTYNYT|PROJEKTET\s+HAR\s+AVSLUTATS)\s*[.!]?")
PARTNERS = regex.compile(
    r"(?i)(?:muut\s+kunnat|muut\s+osallistujat|mukana\s+olevat\s+kunnat|övriga\s+kommuner|deltagande\s+kommuner)"
    r"\s*:\s*(?P<rest>.*)"
)
# "Mukana Inarin kunta, Savukosken kunta, ...": a list, so it must hold a comma.
PARTNERS_MUKANA = regex.compile(r"Mukana:?\s+(?P<rest>\p{Lu}[^,]*,.*)")
_INFO_LABEL = r"(?:lisätietoja|lisätiedot|tilläggsuppgifter|mer\s+information|yhteystiedot|kontaktuppgifter)"
CONTACT_HEADER = regex.compile(rf"(?i){_INFO_LABEL}(?:\s+hankkeesta|\s+om\s+projektet)?\s*:?")
CONTACT_INLINE = regex.compile(rf"(?i){_INFO_LABEL}(?:\s+hankkeesta|\s+om\s+projektet)?\s*:\s*(?P<rest>\S.*)")
# A body sentence that points elsewhere: "Lisätietoja hankkeesta täältä." It names no person.
MORE_INFO = regex.compile(r"(?i)(?:lisätietoja|lisää\s+tietoa|lisää\s+hankkeesta|mer\s+information)\s+\S.*")
NUMBERED = regex.compile(r"(?P<number>[0-9]{1,3})\.\s+(?P<rest>\S.*)")
LINK = regex.compile(
    r"(?i)(?:https?://|www\.)\S+|[\w.-]+\.(?:fi|com|net|org|se|eu)(?:/\S*)?"
    r"|(?:hankkeen\s+|projektets\s+)?(?:netti|verkko|koti|www-)?sivu(?:t|sto|stolta)?(?:\s+\S+)?\.?"
    r"|(?:hankkeen\s+|projektets\s+)?(?:nettisivut|verkkosivut|kotisivut|hemsida|webbplats)\.?"
)
EMAIL = regex.compile(r"(?P<user>[\w.+-]+)\s*(?:@|\(a\)|\[a\]|\(at\)|\[at\])\s*(?P<domain>[\w-]+(?:\.[\w-]+)+)")
_NAME_WORD = r"\p{Lu}[\p{Ll}'’]*\.?(?:-\p{Lu}[\p{Ll}'’]*)*"
PERSON = regex.compile(rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})(?:\s*,\s*(?P<place>\S.*))?")
PERSON_SEPARATOR = regex.compile(r"\s+(?:ja|och|&)\s+(?=\p{Lu})")
MAX_MORE_INFO_WORDS = 20


def split_people(text: str) -> list[tuple[str, str | None]] | None:
    """Read ``A, X ja B, Y`` / ``A ja B, Y`` as (name, place) pairs; None when the text is not that shape."""
    people: list[tuple[str, str | None]] = []
    for part in PERSON_SEPARATOR.split(text):
        match = PERSON.fullmatch(part.strip())
        if match is None:
            return None
        people.append((match["name"], match["place"]))
    if people[-1][1] is None:
        return None  # a contact line always ends with the place
    return people


def is_contact(text: str) -> bool:
    """A person with a place, several of them, or an e-mail address (also written ``name(a)domain``)."""
    return EMAIL.fullmatch(text) is not None or split_people(text) is not None


#: What a rule reads from a line: its kind, its list number, and the text after any label.
Reading = tuple[Kind, int | None, str]


def _ended(text: str) -> Reading | None:
    return (Kind.ENDED, None, "") if ENDED.fullmatch(text) else None


def _partners(text: str) -> Reading | None:
    match = PARTNERS.fullmatch(text) or PARTNERS_MUKANA.fullmatch(text)
    return (Kind.PARTNERS, None, match["rest"]) if match else None


def _info(text: str) -> Reading | None:
    if CONTACT_HEADER.fullmatch(text):
        return Kind.CONTACT_HEADER, None, ""
    inline = CONTACT_INLINE.fullmatch(text)
    if inline:
        rest = inline["rest"]
        return (Kind.CONTACT_INLINE if is_contact(rest) else Kind.LINK), None, rest
    if MORE_INFO.fullmatch(text) and len(text.split()) <= MAX_MORE_INFO_WORDS:
        return Kind.MORE_INFO, None, ""
    return None


def _numbered(text: str) -> Reading | None:
    match = NUMBERED.fullmatch(text)
    return (Kind.NUMBERED, int(match["number"]), match["rest"]) if match else None


def _contact(text: str) -> Reading | None:
    return (Kind.CONTACT, None, text) if is_contact(text) else None


def _link(text: str) -> Reading | None:
    return (Kind.LINK, None, "") if LINK.fullmatch(text) else None


_PERSON_START = regex.compile(rf"{_NAME_WORD}\s+\p{{Lu}}")


def _may_be_contact(text: str) -> bool:
    """Cheap test before the contact patterns: an e-mail sign, or a comma after two capitalised words."""
    return "@" in text or "(a" in text or "[a" in text or ("," in text and _PERSON_START.match(text) is not None)


def read_line(text: str) -> Reading:
    """Classify one line's text: the first rule that accepts it wins.

    Each rule is tried only if a cheap test says it could apply at all, because most lines are long body
    sentences that no rule accepts; the tests are written out here (not as a table of lambdas) for speed.
    """
    if not text:
        return Kind.BLANK, None, ""
    first = text[0]
    reading = (
        (len(text) <= 60 and _ended(text))
        or (first in "MmÖöDd" and _partners(text))
        or (first in "LlTtMmYyKk" and _info(text))
        or (first.isdigit() and _numbered(text))
        or (_may_be_contact(text) and _contact(text))
        or (text.count(" ") <= 3 and _link(text))
    )
    return reading or (Kind.TEXT, None, text)


def classify_text(text: str) -> Token:
    """Classify one line's text as a token (line number 0)."""
    return Token(Line(0, text), *read_line(text))


def classify(lines: Iterable[Line]) -> list[Token]:
    """Classify every line, keeping its original number."""
    return [Token(line, *read_line(line.text)) for line in lines]


def looks_like_title(token: Token) -> bool:
    """A numbered line, or a short text line that is not a sentence or a label."""
    if token.kind is Kind.NUMBERED:
        return True
    if token.kind is not Kind.TEXT:
        return False
    text = token.line.text
    if text.endswith((".", ":", ",", ";")):
        return False
    # Cleaned lines have single spaces, so the word count is the space count + 1; split only if not.
    words = text.count(" ") + 1 if "  " not in text else len(text.split())
    return words <= 25
