"""One block to one Project: title, ended flag, language, description, partners, contacts, first lead."""
from __future__ import annotations

import re
from dataclasses import replace

import regex

from hankkeet.diagnostics import Diagnostic
from hankkeet.lines import grouped_partners, is_ended_marker, read_date
from hankkeet.model import Block, Contact, Kind, Lead, Line, Partner, Place, Project, Token
from hankkeet.municipalities import Gazetteer
from hankkeet.people import EMAIL_FIELD, NAME, Person, phone_number, split_people

# "lisäksi yksityinen kumppanioppilaitos Keravan musiikkiopisto": words before the name describe the partner.
_LOWER_PREFIX = regex.compile(r"^(?:\p{Ll}[\p{L}-]*\s+)+(?=\p{Lu})")
_TITLE_MARKER = regex.compile(r"\s*(?:[(\[]\s*(?P<marker>[^()\[\]]+?)\s*[)\]]|\s[–—-]\s+(?P<marker>[^–—]+?))\s*\.?$")
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


def _partners(tokens: list[Token], gazetteer: Gazetteer) -> list[Partner]:
    """Resolve each partner entry; a lone abbreviation after an organisation is that organisation's alias, and
    the entries in brackets after an organisation are its members."""
    partners: list[Partner] = []
    lines = [t for t in tokens if t.kind is Kind.PARTNERS]
    for token in lines:
        owner: Partner | None = None  # the last entry outside brackets on this line
        for raw, in_brackets in grouped_partners(token.payload):
            place = gazetteer.resolve(_LOWER_PREFIX.sub("", raw) if raw[:1].islower() else raw)
            previous = partners[-1] if partners else None
            if (
                previous is not None
                and previous.place.kind == "organisation"
                and place.kind in ("organisation", "unknown")
                and _ABBREVIATION.fullmatch(raw)
            ):
                merged = Partner(gazetteer.resolve(f"{previous.place.raw}, {raw}"), previous.line, previous.member_of)
                owner = merged if owner is previous else owner
                partners[-1] = merged
                continue
            # A municipality in brackets after an organisation is its member; other bracketed text (an alias,
            # ``Keski-Uudenmaan sote-kuntayhtymä (Keusote)``) is no member.
            member = in_brackets and owner is not None and owner.place.kind == "organisation" and place.code is not None
            member_of = owner.place.raw if member and owner is not None else None
            partners.append(Partner(place, token.line.number, member_of))
            if not in_brackets:
                owner = partners[-1]
    return partners


def _contact_place(person: Person, gazetteer: Gazetteer) -> tuple[str | None, Place | None, str | None]:
    """(written place, resolved place, unit) of one person: of several place-like fields, the one that resolves.

    A field next to the place that is no place (``Tietohallinto``) is the person's unit, kept with the role.
    """
    fields = person.places
    if len(fields) > 1:
        resolved = [(f, gazetteer.resolve(f)) for f in fields]
        municipal = [(f, p) for f, p in resolved if p.code is not None]
        if len(municipal) == 1:
            written, place = municipal[0]
            return written, place, ", ".join(f for f in fields if f is not written)
        fields = (", ".join(fields),)
    if fields:
        return fields[0], gazetteer.resolve(fields[0]), None
    if person.email is not None:
        return None, gazetteer.from_email_domain(person.email), None
    return None, None, None


def parse_contacts(text: str, line: int, gazetteer: Gazetteer) -> list[Contact]:
    """``A ja B, Place`` is two people at one place; ``A, X ja B, Y`` two at two places; ``x(a)y.fi`` an e-mail.

    A person's fields (role, e-mail, phone, place) are read by their shape, in any order.
    """
    email = EMAIL_FIELD.fullmatch(text)
    if email:
        address = f"{email['user']}@{email['domain']}".lower()
        return [Contact(None, address, None, gazetteer.from_email_domain(address), line)]
    phone = phone_number(text)
    if phone is not None:
        return [Contact(None, None, None, None, line, phone=phone)]
    people = split_people(text) or ((Person(text),) if NAME.fullmatch(text) else ())
    contacts: list[Contact] = []
    for index, person in enumerate(people):
        # "A ja B, Place": A shares the place of the next person who has one.
        holder = next((p for p in people[index:] if p.places or p.email), person)
        written, place, unit = _contact_place(holder, gazetteer)
        if holder is not person and place is not None and place.method == "email-domain":
            written, place, unit = None, None, None  # B's e-mail domain says nothing of A
        role = ", ".join(r for r in (person.role, unit) if r) or None
        contacts.append(Contact(person.name, person.email, written, place, line, role, person.phone))
    return contacts


#: A person's contact may take this many lines: name and place, e-mail, phone.
MAX_CONTACT_LINES = 3


def join_contact_lines(contacts: list[Contact]) -> list[Contact]:
    """An e-mail address or a phone number alone on the line after a person's contact belongs to that person."""
    out: list[Contact] = []
    for contact in contacts:
        previous = out[-1] if out else None
        if (contact.name is None and previous is not None and previous.name is not None
                and contact.line - previous.line < MAX_CONTACT_LINES
                and (contact.email is None or previous.email is None)
                and (contact.phone is None or previous.phone is None)):
            place = previous.place
            if place is None or (previous.organisation is None and place.method == "email-domain"):
                place = contact.place or place
            out[-1] = replace(previous, email=previous.email or contact.email, phone=previous.phone or contact.phone,
                              place=place)
            continue
        out.append(contact)
    return out


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
        return Lead(place.name, place.code, place.region, place=place, line=first.line)
    return Lead(None, None, None, organisation=first.organisation, place=place, line=first.line)


def title_text_of(token: Token) -> str:
    """The title without its list number and without a full stop at its end."""
    text = token.payload if token.kind is Kind.NUMBERED else token.line.text
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


def split_title_marker(title: str) -> tuple[str, str | None]:
    """``Data liikenteeseen (päättynyt)`` -> (``Data liikenteeseen``, ``päättynyt``): an ended marker written into
    the title, in brackets or after a dash; (title, None) when there is none."""
    if not title.endswith((")", "]", ").")) and " – " not in title and " - " not in title and " — " not in title:
        return title, None  # the cheap test: no bracket at the end, no dash
    match = _TITLE_MARKER.search(title)
    if match is None or not is_ended_marker(match["marker"]) or not title[: match.start()].strip():
        return title, None
    return title[: match.start()].rstrip(), match["marker"]


def description_lines(block: Block) -> list[Line]:
    """The lines of a block's description: its body text, without the title, partners and contacts."""
    return [t.line for t in block.tokens
            if t is not block.title and t.kind in (Kind.TEXT, Kind.NUMBERED, Kind.MORE_INFO)]


def build_project(block: Block, gazetteer: Gazetteer) -> Project:
    """Read every field of one block; the id, any inferred lead and the mentions are set by later stages."""
    tokens = list(block.tokens)
    title = block.title
    description = "\n".join(line.text for line in description_lines(block))
    partners = _partners(tokens, gazetteer)
    contacts = join_contact_lines([
        contact
        for t in tokens
        if t.kind in (Kind.CONTACT, Kind.CONTACT_INLINE)
        for contact in parse_contacts(t.payload, t.line.number, gazetteer)
    ])
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
    title_text = None if title is None else title_text_of(title)
    ended_on = (block.ended_marker.payload or None) if block.ended_marker is not None else None
    ended = block.ended_marker is not None
    if title_text is not None:
        title_text, marker = split_title_marker(title_text)
        if marker is not None:
            ended, ended_on = True, ended_on or read_date(marker)
    if title is not None and title.line.text.endswith("."):
        diagnostics.append(Diagnostic("title-full-stop", title.line.number, "title read from a line that ends "
                                      "with a full stop; if it is the description's first sentence, there is no title"))
    return Project(
        id="",
        number=title.number if title is not None else None,
        title=title_text,
        ended=ended,
        ended_on=ended_on,
        language=detect_language(description or " ".join(t.line.text for t in tokens)),
        lead=lead,
        partners=tuple(partners),
        contacts=tuple(contacts),
        description=description,
        line_start=block.line_start,
        line_end=block.line_end,
        diagnostics=tuple(diagnostics),
    )
