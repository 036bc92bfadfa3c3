"""One block to one Project: title, ended flag, language, description, partners, contacts, first lead."""
from __future__ import annotations

import re

import regex

from hankkeet.diagnostics import Diagnostic
from hankkeet.lines import EMAIL, split_people
from hankkeet.model import Block, Contact, Kind, Lead, Partner, Place, Project, Token
from hankkeet.municipalities import Gazetteer

# Entries of a partner list are separated by commas, semicolons and conjunctions, but the "ja" of
# "sosiaali- ja terveyskuntayhtymä" (after a hyphen) joins two words of one name.
_SEPARATOR = regex.compile(r"\s*[,;]\s*|(?<!-)\s+(?:ja|sekä|och|samt)\s+")
_GROUP = regex.compile(r"\([^()]*\)")
_SPLIT_POINT = regex.compile(r"[()]|" + _SEPARATOR.pattern)
_ABBREVIATION = regex.compile(r"\p{L}*\p{Lu}\p{L}*\p{Lu}\p{L}*")
#: Language is decided on this many characters of the description: plenty for function words, and bounded.
LANGUAGE_SAMPLE = 600
_SWEDISH = frozenset(
    "och att för det som av med är har en ett till på i de den kommunen kommunens projektet inom "
    "genom samt kommer ska vi även har utveckla".split()
)
_FINNISH = frozenset(
    "ja on hankkeen hankkeessa sekä että oli kunnan kuntien jossa myös tavoitteena ovat hanke "
    "kehittää avulla tai kanssa mukaan".split()
)
_WORD = re.compile(r"\w+")


def _split_top_level(text: str) -> list[str]:
    """Split on separators that stand outside parentheses."""
    parts, depth, start = [], 0, 0
    for match in _SPLIT_POINT.finditer(text):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start:match.start()])
            start = match.end()
    parts.append(text[start:])
    return [p.strip(" .") for p in parts if p.strip(" .")]


def split_partners(text: str) -> list[str]:
    """Every entry of a partner list, with the members of a ``(Kuntayhtymän kuntia: A, B)`` group."""
    entries: list[str] = []
    for part in _split_top_level(text):
        groups = _GROUP.findall(part)
        outer = _GROUP.sub("", part).strip()
        if outer:
            entries.append(outer)
        for group in groups:
            inner = group[1:-1]
            inner = inner.split(":", 1)[1] if ":" in inner else inner
            entries.extend(_split_top_level(inner))
    return entries


def _partners(tokens: list[Token], gazetteer: Gazetteer) -> list[Partner]:
    """Resolve each partner entry; a lone abbreviation after an organisation is that organisation's alias."""
    partners: list[Partner] = []
    lines = [t for t in tokens if t.kind is Kind.PARTNERS]
    for token in lines:
        for raw in split_partners(token.payload):
            place = gazetteer.resolve(raw)
            previous = partners[-1] if partners else None
            if (
                previous is not None
                and previous.place.kind == "organisation"
                and place.kind in ("organisation", "unknown")
                and _ABBREVIATION.fullmatch(raw)
            ):
                merged = gazetteer.resolve(f"{previous.place.raw}, {raw}")
                partners[-1] = Partner(merged, previous.line)
                continue
            partners.append(Partner(place, token.line.number))
    return partners


def parse_contacts(text: str, line: int, gazetteer: Gazetteer) -> list[Contact]:
    """``A ja B, Place`` is two people at one place; ``A, X ja B, Y`` two at two places; ``x(a)y.fi`` an e-mail."""
    email = EMAIL.fullmatch(text)
    if email:
        return [Contact(None, f"{email['user']}@{email['domain']}", None, None, line)]
    people = split_people(text) or []
    contacts: list[Contact] = []
    for index, (name, place) in enumerate(people):
        where = place or next(p for _, p in people[index:] if p)  # "A ja B, Place": A shares B's place
        contacts.append(Contact(name, None, where, gazetteer.resolve(where), line))
    return contacts


def detect_language(text: str) -> str:
    """``sv`` when Swedish function words outnumber Finnish ones in the first 600 characters, else ``fi``."""
    words = _WORD.findall(text[:LANGUAGE_SAMPLE].casefold())
    return "sv" if sum(map(_SWEDISH.__contains__, words)) > sum(map(_FINNISH.__contains__, words)) else "fi"


def place_diagnostics(place: Place, line: int, what: str) -> list[Diagnostic]:
    """A warning for every place that is unmatched or only fuzzy-matched."""
    if place.method == "fuzzy":
        return [Diagnostic("fuzzy-place", line, f"{what} {place.raw!r} read as {place.name} ({place.code}), "
                           f"score {place.score}; add an override if that is wrong")]
    if place.code is None and (place.runner_up is not None or place.kind == "former-municipality"):
        return [Diagnostic("ambiguous-place", line, f"{what} {place.raw!r} is ambiguous ({place.note}); no code given")]
    if place.kind == "unknown":
        why = f" ({place.note})" if place.note else ""
        return [Diagnostic("unmatched-place", line, f"{what} {place.raw!r} matched no municipality{why}")]
    return []


def lead_from_contact(contacts: list[Contact]) -> Lead | None:
    """The applicant is the first contact's place: a municipality, or an organisation without a code."""
    first = next((c for c in contacts if c.place is not None), None)
    if first is None or first.place is None:
        return None
    place = first.place
    if place.code is not None and place.kind in ("municipality", "former-municipality"):
        return Lead(place.name, place.code, place.region)
    return Lead(None, None, None, organisation=first.organisation)


def build_project(block: Block, gazetteer: Gazetteer) -> Project:
    """Read every field of one block; the id and any inferred lead are set by later stages."""
    tokens = list(block.tokens)
    title = block.title
    body = [t for t in tokens if t is not title and t.kind in (Kind.TEXT, Kind.NUMBERED, Kind.MORE_INFO)]
    description = "\n".join(t.line.text for t in body)
    partners = _partners(tokens, gazetteer)
    contacts = [
        contact
        for t in tokens
        if t.kind in (Kind.CONTACT, Kind.CONTACT_INLINE)
        for contact in parse_contacts(t.payload, t.line.number, gazetteer)
    ]
    diagnostics = list(block.diagnostics)
    for partner in partners:
        diagnostics += place_diagnostics(partner.place, partner.line, "partner")
    for contact in contacts:
        if contact.place is not None:
            diagnostics += place_diagnostics(contact.place, contact.line, "contact place")
    if not contacts:
        diagnostics.append(Diagnostic("no-contact", block.line_end, "project has no contact"))
    lead = lead_from_contact(contacts)
    if lead is not None and lead.code is None:
        diagnostics.append(Diagnostic("lead-organisation", contacts[0].line,
                                      f"lead is the organisation {lead.organisation!r}, not a municipality"))
    if title is None:
        title_text = None
    else:
        title_text = title.payload if title.kind is Kind.NUMBERED else title.line.text
    return Project(
        id="",
        number=title.number if title is not None else None,
        title=title_text,
        ended=block.ended_marker is not None,
        language=detect_language(description or " ".join(t.line.text for t in tokens)),
        lead=lead,
        partners=tuple(partners),
        contacts=tuple(contacts),
        description=description,
        line_start=block.line_start,
        line_end=block.line_end,
        diagnostics=tuple(diagnostics),
    )
