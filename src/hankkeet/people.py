"""The shape of a contact line: a person's name, then fields in any order (place, role, e-mail, phone).

Each field is read by its shape alone; which place-like field is the place is decided later with the gazetteer.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

EMAIL = regex.compile(r"(?P<user>[\w.+-]+)\s*(?:@|\(a\)|\[a\]|\(at\)|\[at\])\s*(?P<domain>[\w-]+(?:\.[\w-]+)+)")
# A label before a field ends with a full stop, a colon or a space: "p." is a label, the "p" of "petri." is not.
_EMAIL_LABEL = r"(?i)(?:(?:sähköposti|s-posti|e-post|email|e-mail)(?:\s*[.:]\s*|\s+))?"
_PHONE_LABEL = r"(?i)(?:(?:puh|p|tel|puhelin|gsm|mob|telefon)(?:\s*[.:]\s*|\s+))?"
EMAIL_FIELD = regex.compile(_EMAIL_LABEL + EMAIL.pattern)
# Finnish numbers start with 0 (040 …, 09 …) or the country code (+358 …); "2020-2022" is no phone number.
PHONE = regex.compile(_PHONE_LABEL + r"(?P<number>(?:\+\d|\(?0)[\d\s()\-/]{5,20}\d)")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 15
#: The head words of job titles; a lower-case field is a role whatever its words.
ROLE = regex.compile(
    r"(?i)[\w-]*(?:päällikkö|johtaja|koordinaattori|asiantuntija|suunnittelija|sihteeri|kehittäjä|vastaava|esimies|"
    r"insinööri|arkkitehti|neuvoja|ohjaaja|tutkija|analyytikko|konsultti|chef|ledare|samordnare|direktör|"
    r"sekreterare|handläggare|utvecklare|specialist|ansvarig|manager|coordinator|director|officer)\w*"
)
NAME_WORD = r"\p{Lu}[\p{Ll}'’]*\.?(?:-\p{Lu}[\p{Ll}'’]*)*"
# Nobiliary particles stand lower-case inside a name: Carl-Gustaf von Bonsdorff, Johan af Hällström.
PARTICLE = r"(?:von|af|av|van|de|der|den|di|da|la|le|zu)"
NAME = regex.compile(rf"{NAME_WORD}(?:\s+(?:{PARTICLE}\s+)?{NAME_WORD}){{1,3}}")
_ROLE_THEN_NAME = regex.compile(rf"(?P<role>\p{{L}}+)\s+(?P<name>{NAME.pattern})")
_NAME_THEN_ROLE = regex.compile(rf"(?P<name>{NAME.pattern})\s*\((?P<role>[^()]+)\)")
# "A ja B, Place", "A, X och B, Y", "A, X; B, Y": a semicolon separates people when a name follows it.
PERSON_SEPARATOR = regex.compile(
    rf"\s+(?:ja|och|&)\s+(?=\p{{Lu}})|\s*;\s*(?={NAME_WORD}\s+(?:{PARTICLE}\s+)?\p{{Lu}})")
#: Distinct texts kept by the caches of pure line readers: a listing has about 1,200 lines.
CACHED_LINES = 8192
_FIELD_SEPARATOR = regex.compile(r"\s*[,;]\s*|\s+[–|]\s+")


@dataclass(frozen=True, slots=True)
class Person:
    """One person of a contact line, with the fields written after the name, each read by its shape."""

    name: str
    places: tuple[str, ...] = ()  # fields that may be a place: capitalised text that is no role
    role: str | None = None
    email: str | None = None
    phone: str | None = None


def _name_and_role(text: str) -> tuple[str, str | None] | None:
    """``Matti Meikäläinen``, ``Projektipäällikkö Matti Meikäläinen``, ``Matti Meikäläinen (projektipäällikkö)``."""
    if NAME.fullmatch(text):
        first = text.split(" ", 1)[0]
        if ROLE.fullmatch(first) and NAME.fullmatch(text[len(first):].strip()):
            return text[len(first):].strip(), first.lower()
        return text, None
    match = _NAME_THEN_ROLE.fullmatch(text) or _ROLE_THEN_NAME.fullmatch(text)
    if match and (ROLE.fullmatch(match["role"]) or match["role"][:1].islower() or "(" in text):
        return match["name"], match["role"].strip()
    return None


def read_field(field: str) -> tuple[str, str]:
    """What a field after a name is, by its shape: ``email``, ``phone``, ``role`` or ``place``."""
    email = EMAIL_FIELD.fullmatch(field)
    if email:
        return "email", f"{email['user']}@{email['domain']}".lower()
    phone = phone_number(field)
    if phone is not None:
        return "phone", phone
    if field[:1].islower() or any(ROLE.fullmatch(word) for word in field.split()):
        return "role", field
    return "place", field


def _person(part: str) -> Person | None:
    fields = [f for f in _FIELD_SEPARATOR.split(part.strip()) if f]
    named = _name_and_role(fields[0]) if fields else None
    if named is None:
        return None
    name, role = named
    found: dict[str, list[str]] = {"place": [], "role": [role] if role else [], "email": [], "phone": []}
    for field in fields[1:]:
        what, value = read_field(field)
        found[what].append(value)
    if len(found["email"]) > 1 or len(found["phone"]) > 1:
        return None
    return Person(name, tuple(found["place"]), ", ".join(found["role"]) or None,
                  found["email"][0] if found["email"] else None, found["phone"][0] if found["phone"] else None)


@functools.lru_cache(maxsize=CACHED_LINES)
def split_people(text: str) -> tuple[Person, ...] | None:
    """Read ``A, X ja B, Y`` / ``A ja B, Y`` / ``A, role, e-mail, phone, Place``; None when not that shape.

    Cached: classifying a line and reading its contacts both ask, and contact lines repeat.
    """
    people: list[Person] = []
    for part in PERSON_SEPARATOR.split(text):
        person = _person(part)
        if person is None:
            return None
        people.append(person)
    last = people[-1]
    if not (last.places or last.email or last.phone):
        return None  # a contact line ends with the person's place or a way to reach them
    return tuple(people)


def is_contact(text: str) -> bool:
    """A person with a place or a way to reach them, several of them, or an e-mail address alone."""
    return EMAIL_FIELD.fullmatch(text) is not None or split_people(text) is not None


def has_address_sign(text: str) -> bool:
    """The cheap test before the e-mail patterns: an ``@`` or an ``(a``/``[a`` that stands for one."""
    return "@" in text or "(a" in text or "[a" in text


def phone_number(text: str) -> str | None:
    """The number of a phone field (``puh. 040 123 4567`` -> ``040 123 4567``), or None when it is none."""
    match = PHONE.fullmatch(text)
    if match is None or not MIN_PHONE_DIGITS <= sum(c.isdigit() for c in match["number"]) <= MAX_PHONE_DIGITS:
        return None
    return match["number"].strip()


def is_phone(text: str) -> bool:
    """A phone number, with or without a label (``puh. 040 123 4567``)."""
    return phone_number(text) is not None
