"""Check each project against what a project looks like, and warn where its reading is thin or a line went unread.

A wrong record with a warning on its lines is recoverable; a silently wrong one is not. So after extraction every
body line is looked at once more: does it hold a list of places, an ended marker, a contact, a title that the
rules did not read as such? And the project as a whole: two contact sections (two projects merged?), a contact
without a place, a partner list read on thin evidence, a gap in the numbering.
"""
from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import regex

from hankkeet.blocks import in_numbered_list
from hankkeet.diagnostics import Diagnostic
from hankkeet.lines import (
    CONTACT_KINDS,
    ENDED_WORD,
    MAX_TITLE_WORDS,
    PARTNER_LABELS,
    SENTENCE_BREAK,
    is_ended_marker,
    is_list_item,
    list_left_open,
    may_hold_names,
    partner_label,
    place_list_items,
    split_partners,
    title_shape,
)
from hankkeet.model import Block, Kind, Project, Token
from hankkeet.municipalities import Gazetteer, key
from hankkeet.people import EMAIL, NAME, has_address_sign

#: A line this short that uses an ended word may be a marker worded in a way the rules do not know.
MAX_MARKER_LIKE_WORDS = 12
#: A body line with an address or a phone number and at most this many words may be a contact.
MAX_CONTACT_LIKE_WORDS = 12
MAX_CONTACT_LIKE_CHARS = 200
#: A sub-heading or a merged title is this short; the paragraph after it at least this long.
MAX_HEADING_WORDS = MAX_TITLE_WORDS
MAX_SHORT_TITLE_WORDS = 6
MIN_PARAGRAPH_CHARS = 60
_PHONE_IN_TEXT = regex.compile(r"(?<![\d.,/-])\+?\d{2,4}[\s-]\d{3}[\s-]?\d{3,4}(?![\d/-]|[.,]\d)")
_SENTENCES = regex.compile(r"(?<=[.!?])\s+(?=\p{Lu})")
_DIGIT = regex.compile(r"\d")


def _diagnostic(code: str, token: Token, message: str) -> Diagnostic:
    return Diagnostic(code, token.line.number, message)


def listed_codes(text: str, gazetteer: Gazetteer) -> tuple[frozenset[str], ...]:
    """The municipality codes of each part of a line (a sentence, or what follows a colon) that is a list."""
    if not may_hold_names(text):
        return ()
    found = []
    for sentence in _SENTENCES.split(text):
        for part in [sentence] + sentence.split(":", 1)[1:]:
            counts = place_list_items(part, gazetteer)
            if counts is None or counts[2] < 2 or 2 * counts[1] < counts[0]:
                continue
            found.append(frozenset(c for item in split_partners(part) if (c := gazetteer.resolve(item).code)))
    return tuple(found)


def _unread_places(token: Token, listed: tuple[frozenset[str], ...], known: set[str]) -> list[Diagnostic]:
    """A body line that lists municipalities other than the project's own partners, contacts and lead."""
    if any(not codes <= known for codes in listed):
        return [_diagnostic("unread-place-list", token, "this line lists municipalities that were not read as "
                            "partners; if they take part, give the line a partner label")]
    return []


def marker_like(text: str) -> bool:
    """A short line with an ended word that was not read as a marker."""
    return (text.count(" ") < MAX_MARKER_LIKE_WORDS and ENDED_WORD.search(text) is not None
            and not is_ended_marker(text))


def contact_like(text: str) -> bool:
    """A short line with an e-mail address, a phone number, or a name and a comma."""
    if len(text) > MAX_CONTACT_LIKE_CHARS or len(text.split()) > MAX_CONTACT_LIKE_WORDS:
        return False
    address = has_address_sign(text) and EMAIL.search(text) is not None
    return address or _PHONE_IN_TEXT.search(text) is not None or ("," in text and NAME.match(text) is not None)


class LineFacts(NamedTuple):
    """What the checks find in one line's text, worked out once per distinct text."""

    listed: tuple[frozenset[str], ...]
    marker_like: bool
    contact_like: bool

    @classmethod
    def of(cls, text: str, gazetteer: Gazetteer) -> LineFacts | None:
        """The facts of a line, or None when it holds nothing the checks look for (most lines)."""
        facts = cls(listed_codes(text, gazetteer), marker_like(text), contact_like(text))
        return facts if any(facts) else None


def _unread_marker(token: Token, project: Project) -> list[Diagnostic]:
    state = "ended" if project.ended else "not ended"
    return [_diagnostic("unread-ended-marker", token, f"line looks like an ended marker but was not read as one; "
                        f"the project is {state}")]


def _unread_contact(token: Token) -> list[Diagnostic]:
    return [_diagnostic("unread-contact", token, "line looks like a contact (a name, an e-mail address or a "
                        "phone number) but was not read as one")]


def _thin_partners(token: Token, gazetteer: Gazetteer) -> list[Diagnostic]:
    """A partner list read under an unfamiliar label, or with none, that holds fewer than two sure places."""
    label = partner_label(token.line.text)
    if label is not None and key(label) in PARTNER_LABELS:
        return []
    counts = place_list_items(token.payload, gazetteer)
    if counts is not None and counts[2] >= 2:
        return []
    label = f"under the label {label!r}" if label else "without a label"
    return [_diagnostic("partners-thin", token, f"read as a partner list {label} on thin evidence "
                        "(fewer than two municipalities); check it")]


def _ended_date(block: Block) -> list[Diagnostic]:
    marker = block.ended_marker
    if marker is None or marker.payload or _DIGIT.search(marker.line.text) is None:
        return []
    return [_diagnostic("ended-date-unread", marker, "the ended marker holds a number but no full date "
                        "(day.month.year); ended_on is left empty")]


def _paragraph_follows(token: Token | None) -> bool:
    text = token.line.text if token is not None and token.kind is Kind.TEXT else ""
    return text[:1].isupper() and len(text) >= MIN_PARAGRAPH_CHARS


def _heading_shape(text: str) -> bool:
    """A phrase short enough for a title; a very short one may end with a full stop (``Open Agenda.``)."""
    words = len(text.split())
    if words > MAX_HEADING_WORDS or SENTENCE_BREAK.search(text) is not None:
        return False
    if text.endswith(".") and words <= MAX_SHORT_TITLE_WORDS:
        return title_shape(text, lenient=True)
    return title_shape(text.removesuffix("!"), lenient=False)


def _title_candidates(block: Block) -> list[Diagnostic]:
    """A line in the body that could be the title of a second project merged into this one.

    A numbered line outside a list, or a short capitalised phrase between two paragraphs (after a full stop,
    before a capitalised paragraph): sub-headings look the same, so this is a warning, not a boundary.
    """
    body = block.tokens  # blank lines never reach a block
    out = []
    for index, token in enumerate(body[1:-1], start=1):
        if token is block.title:
            continue
        previous, following = body[index - 1], body[index + 1]
        if token.kind is Kind.NUMBERED:
            suspect = title_shape(token.payload, lenient=True) and not in_numbered_list(previous, token, following)
        else:
            text = token.line.text
            suspect = (token.kind is Kind.TEXT and previous.kind is Kind.TEXT and text[:1].isupper()
                       and previous.line.text.endswith((".", "!", "?")) and _paragraph_follows(following)
                       and _heading_shape(text))
        if suspect:
            out.append(_diagnostic("title-like-line", token, "this line could be the title of another project "
                                   "merged into this one (or a sub-heading); check where the project ends"))
        elif (token.kind is Kind.TEXT and previous is block.title and block.title.kind is Kind.TEXT
              and text[:1].isupper() and not text.endswith((".", "!", "?")) and following.kind is Kind.TEXT
              and _heading_shape(text)):
            # Two heading lines in a row: the first may be a heading of the page ("Hankkeet 2024") read as
            # this project's title, and this line the real one.
            out.append(_diagnostic("title-like-line", token, "this line and the title above it both look like "
                                   "titles; the one above may be a heading of the page, not this project's"))
    return out


_SECTION = {Kind.CONTACT_HEADER: "contact section", Kind.CONTACT_INLINE: "contact section",
            Kind.ENDED: "ended marker"}


def _merged(block: Block) -> list[Diagnostic]:
    """Two contact sections, two ended markers, or two partner lists with text between them in one block."""
    first: dict[str, Token] = {}
    partners: Token | None = None
    text_since_partners = False
    previous: Token | None = None
    for token in block.tokens:
        kind = token.kind
        what = _SECTION.get(kind)
        continues = previous is not None and previous.kind in CONTACT_KINDS and kind in CONTACT_KINDS
        previous = token
        if what is not None and not continues:
            if what in first:
                return [_diagnostic("merged-projects", token, f"a second {what} (the first is on line "
                                    f"{first[what].line.number}): two projects read as one?")]
            first[what] = token
        elif what is None and kind is Kind.PARTNERS:
            if partners is not None and text_since_partners:
                return [_diagnostic("merged-projects", token, f"a second partner list after text (the first "
                                    f"is on line {partners.line.number}): two projects read as one?")]
            partners, text_since_partners = token, False
        elif what is None and (kind is Kind.TEXT or kind is Kind.NUMBERED):
            text_since_partners = True
    return []


def _contacts_without_place(project: Project) -> list[Diagnostic]:
    return [Diagnostic("contact-without-place", c.line, f"contact {c.name or c.email!r} has no place; the "
                       "lead cannot come from it") for c in project.contacts if c.place is None]


def _known_codes(project: Project) -> set[str]:
    """The municipalities a project already names: partners, contact places, lead."""
    places = [p.place for p in project.partners] + [c.place for c in project.contacts if c.place is not None]
    known = {p.code for p in places if p.code is not None}
    if project.lead is not None and project.lead.code is not None:
        known.add(project.lead.code)
    return known


def _audit_one(block: Block, project: Project, gazetteer: Gazetteer, facts: dict[str, LineFacts | None]) -> Project:
    """The project with the warnings of every check added."""
    found: list[Diagnostic] = []
    title = block.title
    if title is not None and contact_like(title.line.text):
        found += _unread_contact(title)  # a contact line not read as one becomes the next title
    previous: Token | None = None
    for token in block.tokens:
        kind, after = token.kind, previous
        previous = token
        if kind is Kind.TEXT or kind is Kind.NUMBERED or kind is Kind.MORE_INFO:
            text = token.line.text
            seen = facts[text] if text in facts else facts.setdefault(text, LineFacts.of(text, gazetteer))
            if seen is None or token is title:
                continue
            if seen.listed:
                found += _unread_places(token, seen.listed, _known_codes(project))
            found += _unread_marker(token, project) if seen.marker_like else []
            found += _unread_contact(token) if seen.contact_like else []
        elif kind is Kind.PARTNERS and not (after is not None and after.kind is Kind.PARTNERS and (
                list_left_open(after.payload) or is_list_item(after.line.text) and is_list_item(token.line.text))):
            found += _thin_partners(token, gazetteer)  # a line that goes on with a list (open, or items) is no new list
    found += _ended_date(block) + _title_candidates(block) + _merged(block)
    found += _contacts_without_place(project)
    return replace(project, diagnostics=project.diagnostics + tuple(found)) if found else project


def audit(blocks: list[Block], projects: list[Project], gazetteer: Gazetteer) -> list[Project]:
    """Every project with the warnings of every check added, the numbering of the whole listing included.

    What a line holds is worked out once per distinct text: lines repeat within a listing, and whole listings
    repeat across snapshots.
    """
    facts: dict[str, LineFacts | None] = {}
    return check_numbering([_audit_one(b, p, gazetteer, facts) for b, p in zip(blocks, projects, strict=True)])


def check_numbering(projects: list[Project]) -> list[Project]:
    """Warn where a numbered run skips or repeats a number (``1.`` may always start a new run)."""
    out = list(projects)
    previous: int | None = None
    for index, project in enumerate(projects):
        number = project.number
        if number is not None and (number != 1 and number != (previous or 0) + 1):
            if index == 0:
                shown = "the start of the listing"
            else:
                shown = f"project {previous}." if previous is not None else "an unnumbered project"
            out[index] = replace(project, diagnostics=project.diagnostics + (Diagnostic(
                "numbering-gap", project.line_start, f"project number {number}. follows {shown}; a project "
                "missing, merged into another, or numbered twice?"),))
        previous = number
    return out
