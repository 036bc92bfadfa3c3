"""Classify each line on its own: ended marker, partner line, contact header, contact, link, numbered, text.

The rules are data: one table of compiled patterns, tried in order; the first that accepts a line wins.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

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


def _ended(text: str) -> Token | None:
    return Token(Line(0, text), Kind.ENDED) if ENDED.fullmatch(text) else None


def _partners(text: str) -> Token | None:
    match = PARTNERS.fullmatch(text) or PARTNERS_MUKANA.fullmatch(text)
    return Token(Line(0, text), Kind.PARTNERS, payload=match["rest"]) if match else None


def _info(text: str) -> Token | None:
    if CONTACT_HEADER.fullmatch(text):
        return Token(Line(0, text), Kind.CONTACT_HEADER)
    inline = CONTACT_INLINE.fullmatch(text)
    if inline:
        rest = inline["rest"]
        return Token(Line(0, text), Kind.CONTACT_INLINE if is_contact(rest) else Kind.LINK, payload=rest)
    if MORE_INFO.fullmatch(text) and len(text.split()) <= MAX_MORE_INFO_WORDS:
        return Token(Line(0, text), Kind.MORE_INFO)
    return None


def _numbered(text: str) -> Token | None:
    match = NUMBERED.fullmatch(text)
    return Token(Line(0, text), Kind.NUMBERED, int(match["number"]), match["rest"]) if match else None


def _contact(text: str) -> Token | None:
    return Token(Line(0, text), Kind.CONTACT, payload=text) if is_contact(text) else None


def _link(text: str) -> Token | None:
    return Token(Line(0, text), Kind.LINK) if LINK.fullmatch(text) else None


_PERSON_START = regex.compile(rf"{_NAME_WORD}\s+\p{{Lu}}")


def _may_be_contact(text: str) -> bool:
    """Cheap test before the contact patterns: an e-mail sign, or a comma after two capitalised words."""
    return "@" in text or "(a" in text or "[a" in text or ("," in text and _PERSON_START.match(text) is not None)


#: The rules in the order they are tried, each behind a cheap test of whether it could apply at all;
#: a line no rule accepts is TEXT.
RULES: tuple[tuple[Callable[[str], bool], Callable[[str], Token | None]], ...] = (
    (lambda text: len(text) <= 60, _ended),
    (lambda text: text[0] in "MmÖöDd", _partners),
    (lambda text: text[0] in "LlTtMmYyKk", _info),
    (lambda text: text[0].isdigit(), _numbered),
    (_may_be_contact, _contact),
    (lambda text: text.count(" ") <= 3, _link),
)


def classify_text(text: str) -> Token:
    """Classify one line's text (line number 0)."""
    if not text:
        return Token(Line(0, text), Kind.BLANK)
    for could_apply, rule in RULES:
        if could_apply(text):
            token = rule(text)
            if token is not None:
                return token
    return Token(Line(0, text), Kind.TEXT, payload=text)


def classify(lines: Iterable[Line]) -> list[Token]:
    """Classify every line, keeping its original number."""
    out = []
    for line in lines:
        token = classify_text(line.text)
        out.append(Token(line, token.kind, token.number, token.payload))
    return out


def looks_like_title(token: Token) -> bool:
    """A numbered line, or a short text line that is not a sentence or a label."""
    if token.kind is Kind.NUMBERED:
        return True
    if token.kind is not Kind.TEXT:
        return False
    text = token.line.text
    return len(text.split()) <= 25 and not text.endswith((".", ":", ",", ";"))
