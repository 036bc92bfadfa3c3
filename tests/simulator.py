"""Release simulator: edit the seed listing the way the page's editors would, and check `extract` against it.

The seed listing is cut into pieces, one per project (its lines line_start..line_end as the seed's extraction
reads them; lines outside any project are pieces of their own and never edited), each with the record a reader
takes from it (`Record`: title, number, ended, ended_on, lead, partners, contacts; places are municipality codes,
else the text as written). The expectations follow the live extraction of the seed; `golden_drift` names the
projects where that differs from the reviewed tests/golden/ summary.

An edit class rewrites pieces the way a person rewording the page might, keeping the meaning plain to a careful
reader, and says what the record of the edited piece is. A project edit takes one piece (its tagged lines, its
record, what it takes to edit it) and a `random.Random` and returns the edited piece, or None when it does not
apply; a listing edit rearranges the pieces (moves a run of projects, inserts a new one), only between two runs of
one lead and never so that a project without a title follows one without a contact section (the ended marker in
between would belong to either). `EDIT_CLASSES` is open: append an `EditClass`.

`edit_listing` edits a random subset of projects and reassembles the listing, so the span every project must have
is known: its piece's lines, blank lines at the edges not counted. `check` runs `extract` and sorts every expected
project into

* ``right``: an extracted project has exactly that span and equal fields;
* ``warned``: not right, but some diagnostic of the release has a line inside the span, or the record that holds
  the span's first line carries a warning that its boundaries are in doubt (`BOUNDARY_CODES`);
* ``silent``: not right, and nothing said about those lines.

A project from the seed whose edits all keep its meaning (every class but new-project) and that is read right must
keep its seed id (`Outcome.id_kept`).

    python tests/simulator.py --listings 200 --seed 1 [--classes move,spacing] [--show 3] [--dump INDEX]
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path

from hankkeet import extract
from hankkeet.model import Contact, Project, Release
from hankkeet.municipalities import Gazetteer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "raw" / "kuntien-digihankkeet.txt"
GOLDEN = ROOT / "tests" / "golden" / "kuntien-digihankkeet.summary.txt"
MUNICIPALITIES_CSV = ROOT / "src" / "hankkeet" / "data" / "municipalities.csv"

TITLE, MARKER, BODY, PARTNERS, HEADER, CONTACT, LINK, BLANK = (
    "title", "marker", "body", "partners", "header", "contact", "link", "blank")
RIGHT, WARNED, SILENT = "right", "warned", "silent"
UNEDITED = "unedited"


# --- Records and pieces ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    """An expected contact: name, place (municipality code, else the organisation as written), e-mail, role, phone."""

    name: str | None
    place: str | None
    email: str | None = None
    role: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Record:
    """What a careful reader takes from one project; partners and lead are codes, else the text as written."""

    title: str | None
    number: int | None
    ended: bool
    ended_on: str | None
    lead: str | None
    partners: tuple[str, ...]
    contacts: tuple[Person, ...]


@dataclass(frozen=True)
class Row:
    """One line of a piece, with what it is; a contact row knows which of the record's contacts it holds."""

    kind: str
    text: str
    refs: tuple[int, ...] = ()


@dataclass(frozen=True)
class Piece:
    """A project's lines and record (record None: lines outside any project), and what it takes to edit it."""

    rows: tuple[Row, ...]
    record: Record | None
    seed_id: str | None = None
    swedish: bool = False
    group: int = -1
    written: tuple[str | None, ...] = ()
    partner_raws: tuple[str, ...] = ()
    edits: tuple[str, ...] = ()

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(row.text for row in self.rows)


@dataclass(frozen=True)
class Expectation:
    """One project of an edited listing: its record, the span it must have, and how it came to be."""

    record: Record
    span: tuple[int, int]
    edits: tuple[str, ...]
    seed_id: str | None
    keeps_id: bool
    lines: tuple[str, ...]
    neighbours: tuple[str, ...] = ()


@dataclass(frozen=True)
class Listing:
    text: str
    expected: tuple[Expectation, ...]


@dataclass(frozen=True)
class Baseline:
    """The seed cut into pieces; reassembled unedited it is the seed, byte for byte."""

    pieces: tuple[Piece, ...]
    newline_at_end: bool
    text: str

    def listing(self) -> Listing:
        return assemble(self.pieces, self.newline_at_end)


@dataclass(frozen=True)
class Outcome:
    """How `extract` read one expected project: verdict, the fields that differ, whether the seed id was kept."""

    edits: tuple[str, ...]
    verdict: str
    span: tuple[int, int]
    fields: tuple[str, ...]
    detail: str
    id_kept: bool | None
    lines: tuple[str, ...]
    neighbours: tuple[str, ...] = ()
    listing: str = ""


ProjectEdit = Callable[[Piece, random.Random], "Piece | None"]
ListingEdit = Callable[[list[Piece], random.Random], list[Piece]]


@dataclass(frozen=True)
class EditClass:
    name: str
    project: ProjectEdit | None = None
    listing: ListingEdit | None = None
    keeps_meaning: bool = True


# --- Baseline from the seed -----------------------------------------------------------------------------------

_SEED_MARKER = re.compile(r"(?i)(?:hanke\s+(?:on\s+)?päättynyt|projektet\s+har\s+avslutats)\s*\.?")
_SEED_HEADER = re.compile(r"(?i)(?:lisätietoja|tilläggsuppgifter)\s*:?")


def place_key(code: str | None, written: str | None) -> str | None:
    return code if code is not None else written


def person_of(contact: Contact) -> Person:
    code = contact.place.code if contact.place is not None else None
    return Person(contact.name, place_key(code, contact.organisation), contact.email, contact.role, contact.phone)


def record_of(project: Project) -> Record:
    lead = project.lead
    return Record(
        title=project.title,
        number=project.number,
        ended=project.ended,
        ended_on=project.ended_on,
        lead=None if lead is None else place_key(lead.code, lead.organisation),
        partners=tuple(place_key(p.place.code, p.place.raw) or "" for p in project.partners),
        contacts=tuple(person_of(c) for c in project.contacts),
    )


def _title_line(project: Project) -> str | None:
    if project.title is None:
        return None
    return project.title if project.number is None else f"{project.number}. {project.title}"


def _kind(text: str, number: int, project: Project, seen: set[str], contact_lines: set[int]) -> str:
    partner_lines = {p.line for p in project.partners}
    if number in contact_lines:
        return CONTACT
    if number in partner_lines:
        return PARTNERS
    if TITLE not in seen and text == _title_line(project):
        return TITLE
    if project.ended and MARKER not in seen and _SEED_MARKER.fullmatch(text):
        return MARKER
    if _SEED_HEADER.fullmatch(text) and number + 1 in contact_lines:
        return HEADER
    return LINK if seen & {CONTACT, HEADER} else BODY


def seed_rows(lines: Sequence[str], first: int, project: Project) -> tuple[Row, ...]:
    """Tag each line of a seed project: title, marker, body, partners, header, contact or link."""
    contact_lines = {c.line for c in project.contacts}
    rows: list[Row] = []
    seen: set[str] = set()
    for offset, text in enumerate(lines):
        number = first + offset
        kind = BLANK if not text.strip() else _kind(text, number, project, seen, contact_lines)
        refs = tuple(i for i, c in enumerate(project.contacts) if c.line == number)
        rows.append(Row(kind, text, refs))
        seen.add(kind)
    if (TITLE in seen) != (project.title is not None) or (MARKER in seen) != project.ended:
        raise ValueError(f"seed project on line {first}: title or ended marker not found")
    return tuple(rows)


def _seed_piece(lines: Sequence[str], project: Project, group: int) -> Piece:
    chunk = lines[project.line_start - 1:project.line_end]
    return Piece(
        rows=seed_rows(chunk, project.line_start, project),
        record=record_of(project),
        seed_id=project.id,
        swedish=project.language == "sv",
        group=group,
        written=tuple(c.organisation for c in project.contacts),
        partner_raws=tuple(p.place.raw for p in project.partners),
    )


def _gap(lines: Sequence[str], group: int) -> Piece:
    return Piece(tuple(Row(BLANK if not t.strip() else BODY, t) for t in lines), None, group=group)


def split_seed_lines(text: str) -> tuple[list[str], bool]:
    newline_at_end = text.endswith("\n")
    lines = text.split("\n")
    return (lines[:-1] if newline_at_end else lines), newline_at_end


def build_baseline(gazetteer: Gazetteer | None = None, path: Path = SEED) -> Baseline:
    """Extract the seed and cut it into pieces; a run of projects with one lead shares a group."""
    text = path.read_text(encoding="utf-8")
    lines, newline_at_end = split_seed_lines(text)
    release = extract(text, gazetteer)
    pieces: list[Piece] = []
    position, group, previous_lead = 1, 0, object()
    for project in release.projects:
        if project.line_start > position:
            pieces.append(_gap(lines[position - 1:project.line_start - 1], -len(pieces) - 1))
        lead = record_of(project).lead
        if lead is None or lead != previous_lead:
            group += 1
        previous_lead = lead
        pieces.append(_seed_piece(lines, project, group))
        position = project.line_end + 1
    if position <= len(lines):
        pieces.append(_gap(lines[position - 1:], -len(pieces) - 1))
    return Baseline(tuple(pieces), newline_at_end, text)


def golden_drift(baseline: Baseline) -> list[str]:
    """Titles of seed projects whose live record (warnings aside) differs from the reviewed golden summary."""
    from summary import summarise

    def paragraphs(summary: str) -> list[str]:
        kept = [line for line in summary.split("\n") if not line.startswith("  warning:")]
        return "\n".join(kept).split("\nlines ")

    release = extract(baseline.text)
    live, golden = paragraphs(summarise(release)), paragraphs(GOLDEN.read_text(encoding="utf-8"))
    if len(live) != len(golden):
        return [f"{len(release.projects)} projects, the golden summary has {len(golden)}"]
    return [a.split("\n")[2].strip() for a, b in zip(live, golden, strict=True) if a != b]


# --- Assembling a listing -------------------------------------------------------------------------------------

def _trimmed(rows: Sequence[Row], start: int) -> tuple[int, int]:
    filled = [i for i, row in enumerate(rows) if row.text.strip()]
    return start + filled[0], start + filled[-1]


def _neighbours(pieces: Sequence[Piece], index: int) -> tuple[str, ...]:
    """``previous: move`` / ``next: spacing``: the edits of the projects on either side."""
    out = []
    for side, j in (("previous", index - 1), ("next", index + 1)):
        if 0 <= j < len(pieces) and pieces[j].edits:
            out.append(f"{side}: {'+'.join(pieces[j].edits)}")
    return tuple(out)


def assemble(pieces: Sequence[Piece], newline_at_end: bool) -> Listing:
    """Join the pieces into a listing and note the span each project must have in it."""
    lines: list[str] = []
    expected: list[Expectation] = []
    for index, piece in enumerate(pieces):
        start = len(lines) + 1
        lines.extend(piece.lines)
        if piece.record is None:
            continue
        keeps_id = piece.seed_id is not None and all(KEEPS_MEANING.get(e, False) for e in piece.edits)
        expected.append(Expectation(piece.record, _trimmed(piece.rows, start), piece.edits, piece.seed_id,
                                    keeps_id, piece.lines, _neighbours(pieces, index)))
    return Listing("\n".join(lines) + ("\n" if newline_at_end else ""), tuple(expected))


# --- Words, names and places ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Municipality:
    code: str
    name_fi: str
    name_sv: str


@cache
def municipalities() -> tuple[Municipality, ...]:
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(Municipality(r["code"], r["name_fi"], r["name_sv"]) for r in csv.DictReader(handle))


@cache
def _codes() -> dict[str, Municipality]:
    return {m.code: m for m in municipalities()}


@cache
def places(swedish: bool) -> tuple[tuple[str, str], ...]:
    """(name as written, code): plain one-word names no other municipality shares; Swedish ones if asked."""
    counts = Counter(n.casefold() for m in municipalities() for n in {m.name_fi, m.name_sv})
    out = []
    for m in municipalities():
        name = m.name_sv if swedish else m.name_fi
        if swedish and m.name_sv == m.name_fi:
            continue
        if " " not in name and ":" not in name and counts[name.casefold()] == 1:
            out.append((name, m.code))
    return tuple(out)


@cache
def municipality_names() -> frozenset[str]:
    return frozenset(n.casefold() for m in municipalities() for n in (m.name_fi, m.name_sv))


def fold(text: str) -> str:
    """ASCII, lower case: Hämäläinen -> hamalainen."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def domain_of(code: str | None, written: str | None) -> str:
    if code in _codes():
        return fold(_codes()[code].name_fi).replace(" ", "-")
    return re.sub(r"[^a-z0-9]", "", fold(written or "kunta")) or "kunta"


def email_of(name: str, code: str | None, written: str | None) -> str:
    words = name.split()
    return f"{fold(words[0])}.{fold(words[-1])}@{domain_of(code, written)}.fi"


def phone(rng: random.Random) -> str:
    def digits(n: int) -> str:
        return "".join(str(rng.randrange(10)) for _ in range(n))
    return rng.choice((f"040 {digits(3)} {digits(4)}", f"+358 40 {digits(3)} {digits(4)}",
                       f"050-{digits(7)}", f"09 {digits(3)} {digits(5)}"))


ROLES_FI = ("projektipäällikkö", "hallintojohtaja", "kehittämispäällikkö", "tietohallintopäällikkö",
            "digikoordinaattori")
ROLES_SV = ("utvecklingschef", "projektledare")


def role(swedish: bool, rng: random.Random) -> str:
    return rng.choice(ROLES_SV if swedish else ROLES_FI)


def _random_day(rng: random.Random) -> date:
    return date(2020, 1, 1) + timedelta(days=rng.randrange(6 * 365))


def _written_day(day: date, rng: random.Random) -> str:
    return f"{day.day:02}.{day.month:02}.{day.year}" if rng.random() < 0.25 else f"{day.day}.{day.month}.{day.year}"


# --- Project edits --------------------------------------------------------------------------------------------

def _indices(rows: Sequence[Row], kind: str) -> list[int]:
    return [i for i, row in enumerate(rows) if row.kind == kind]


def _first(rows: Sequence[Row], kind: str) -> int | None:
    found = _indices(rows, kind)
    return found[0] if found else None


def tagged(piece: Piece, name: str) -> Piece:
    return piece if name in piece.edits else replace(piece, edits=(*piece.edits, name))


def _edited(piece: Piece, rows: Iterable[Row], record: Record | None, name: str) -> Piece | None:
    rows = tuple(rows)
    if [r.text for r in rows] == list(piece.lines):
        return None
    return tagged(replace(piece, rows=rows, record=record), name)


FI_MARKERS = ("Hanke on päättynyt.", "HANKE PÄÄTTYI.", "Hanke päättyi {day}.", "HANKE ON PÄÄTTYNYT {day}",
              "Päättynyt hanke.", "Hanke on päättynyt ({day}).", "HANKE PÄÄTTYNYT {day}.",
              "Hanke päättyi {month}.")
SV_MARKERS = ("Projektet avslutades {day}.", "PROJEKTET ÄR AVSLUTAT.", "Projektet har avslutats.",
              "PROJEKTET AVSLUTADES {day}", "Projektet är avslutat ({day}).", "Projektet avslutades {month}.")


def marker(swedish: bool, rng: random.Random, dated: bool = False) -> tuple[str, str | None]:
    """An ended marker and the ISO date it gives: a full day d.m.yyyy gives one, a month or nothing gives None."""
    forms = SV_MARKERS if swedish else FI_MARKERS
    form = rng.choice([f for f in forms if "{day}" in f] if dated else forms)
    day = _random_day(rng)
    text = form.format(day=_written_day(day, rng), month=f"{day.month}/{day.year}")
    return text, day.isoformat() if "{day}" in form else None


def ended_marker(piece: Piece, rng: random.Random) -> Piece | None:
    """Reword the ended marker, or add one right after the title of a project that had none."""
    assert piece.record is not None
    text, day = marker(piece.swedish, rng)
    rows = list(piece.rows)
    at = _first(rows, MARKER)
    if at is not None:
        rows[at] = Row(MARKER, text)
    else:
        title = _first(rows, TITLE)
        if title is None:
            return None
        rows.insert(title + 1, Row(MARKER, text))
    return _edited(piece, rows, replace(piece.record, ended=True, ended_on=day), "ended-marker")


FI_PARTNER_LABELS = ("Yhteistyökunnat:", "Kumppanit:", "Osallistujakunnat:", "Mukana olevat kunnat:",
                     "Hankkeessa mukana:", "Muut hankekunnat:")
SV_PARTNER_LABELS = ("Samarbetskommuner:", "Övriga kommuner:", "Deltagande kommuner:")
_PARTNER_LABEL = re.compile(r"(?:Muut kunnat|Mukana)\s*:?\s*")
_LIST_SEPARATOR = re.compile(r"(\s*[,;]\s*|\s+(?:ja|sekä|och|samt)\s+)")
_WRAPPABLE = {",", "ja", "sekä", "och", "samt"}


def _split_list(rest: str, raws: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """Entries and separators of a plain list whose entries are exactly the seed's partner entries."""
    if "(" in rest:
        return None
    parts = _LIST_SEPARATOR.split(rest.strip())
    entries = [p.strip(" .") for p in parts[0::2]]
    if entries != list(raws):
        return None
    seps = [f"{s.strip()} " if s.strip() in ",;" else f" {s.strip()} " for s in parts[1::2]]
    return entries, seps


def _separators(count: int, swedish: bool, rng: random.Random) -> list[str]:
    style = rng.choice(("comma", "semicolon", "and", "also"))
    last = {"comma": ", ", "semicolon": "; ", "and": " och " if swedish else " ja ",
            "also": " samt " if swedish else " sekä "}[style]
    return ["; " if style == "semicolon" else ", "] * (count - 2) + [last]


def render_list(label: str | None, entries: Sequence[str], seps: Sequence[str], wrap_at: int | None) -> list[str]:
    """``Label: A, B ja C``; wrapped, the first line ends with the separator before entry ``wrap_at``."""
    prefix = f"{label} " if label else ""
    parts = [entries[0]] + [sep + entry for sep, entry in zip(seps, entries[1:], strict=True)]
    if wrap_at is None:
        return [prefix + "".join(parts)]
    first = "".join(parts[:wrap_at]) + seps[wrap_at - 1].rstrip()
    return [prefix + first, entries[wrap_at] + "".join(parts[wrap_at + 1:])]


def _partner_lines(piece: Piece, label: str, rest: str, after_contacts: bool, rng: random.Random) -> list[str]:
    parsed = _split_list(rest, piece.partner_raws)
    if parsed is None:
        return [f"{label} {rest}"]
    entries, seps = parsed
    if len(entries) >= 2 and rng.random() < 0.5:
        seps = _separators(len(entries), piece.swedish, rng)
    points = [k for k in range(1, len(entries)) if seps[k - 1].strip() in _WRAPPABLE]
    wrap_at = rng.choice(points) if len(entries) >= 3 and points and rng.random() < 0.4 else None
    plain = all(entry.casefold() in municipality_names() for entry in entries)
    drop = len(entries) >= 2 and plain and not after_contacts and rng.random() < 0.2
    return render_list(None if drop else label, entries, seps, wrap_at)


def partner_label(piece: Piece, rng: random.Random) -> Piece | None:
    """Relabel the partner line, change its separators, wrap it, drop its label, or move it after the contacts."""
    at = _indices(piece.rows, PARTNERS)
    if not at or at != list(range(at[0], at[-1] + 1)):
        return None
    joined = " ".join(piece.rows[i].text for i in at)
    found = _PARTNER_LABEL.match(joined)
    if found is None:
        return None
    label = found.group().strip()
    if rng.random() < 0.7:
        label = rng.choice(SV_PARTNER_LABELS if piece.swedish else FI_PARTNER_LABELS)
    rows = [row for i, row in enumerate(piece.rows) if i not in at]
    contacts = _indices(rows, CONTACT)
    after_contacts = bool(contacts) and rng.random() < 0.3
    lines = _partner_lines(piece, label, joined[found.end():], after_contacts, rng)
    where = contacts[-1] + 1 if after_contacts else at[0]
    rows[where:where] = [Row(PARTNERS, line) for line in lines]
    return _edited(piece, rows, piece.record, "partner-label")


HEADERS_FI = ("Yhteyshenkilö", "Yhteyshenkilöt:", "Lisätiedot:", "Lisätietoja antaa:")
HEADERS_SV = ("Kontaktperson:", "Kontaktpersoner:")
_INLINE_LABEL = re.compile(r"([^\W\d_][\w ]*?:\s+)(\S.*)")


def split_label(text: str) -> tuple[str, str]:
    """``Lisätietoja: Anna Aalto, Espoo`` -> (``Lisätietoja: ``, ``Anna Aalto, Espoo``)."""
    found = _INLINE_LABEL.fullmatch(text)
    return (found[1], found[2]) if found else ("", text)


def contact_line(name: str, written: str, person: Person, swedish: bool,
                 rng: random.Random) -> tuple[str, Person]:
    """``Name`` and then the place and some of role, e-mail, phone in random order."""
    code = person.place if person.place and person.place.isdigit() else None
    role_, email, phone_ = None, None, None
    while not (role_ or email or phone_):
        role_ = role(swedish, rng) if rng.random() < 0.6 else None
        email = email_of(name, code, written) if rng.random() < 0.6 else None
        phone_ = phone(rng) if rng.random() < 0.5 else None
    fields = [written] + [f for f in (role_, email, phone_) if f]
    rng.shuffle(fields)
    return ", ".join([name, *fields]), replace(person, role=role_, email=email, phone=phone_)


def _add_fields(piece: Piece, rows: list[Row], people: list[Person], rng: random.Random) -> None:
    for i, row in enumerate(rows):
        if row.kind != CONTACT or len(row.refs) != 1 or rng.random() < 0.4:
            continue
        k = row.refs[0]
        person, written = people[k], piece.written[k]
        label, body = split_label(row.text)
        if person.name is None or written is None or body != f"{person.name}, {written}":
            continue
        text, people[k] = contact_line(person.name, written, person, piece.swedish, rng)
        rows[i] = replace(row, text=label + text)


def _reword_header(rows: list[Row], swedish: bool, rng: random.Random) -> None:
    for i in _indices(rows, HEADER):
        rows[i] = Row(HEADER, rng.choice([h for h in (HEADERS_SV if swedish else HEADERS_FI) if h != rows[i].text]))


def _inline(rows: list[Row], swedish: bool) -> None:
    """``Yhteyshenkilö: Name, Place`` on one line instead of a header and one contact line."""
    contacts = _indices(rows, CONTACT)
    if len(contacts) != 1:
        return
    at = contacts[0]
    several = len(rows[at].refs) > 1
    label = ("Kontaktpersoner:" if several else "Kontaktperson:") if swedish else (
        "Yhteyshenkilöt:" if several else "Yhteyshenkilö:")
    body = split_label(rows[at].text)[1]
    rows[at] = replace(rows[at], text=f"{label} {body}")
    before = [i for i in range(at) if rows[i].kind != BLANK]
    if before and rows[before[-1]].kind == HEADER:
        del rows[before[-1]]


def contact_fields(piece: Piece, rng: random.Random) -> Piece | None:
    """Add role, e-mail and phone to contact lines; reword the contact header; write the contact inline."""
    assert piece.record is not None
    if not _indices(piece.rows, CONTACT):
        return None
    rows, people = list(piece.rows), list(piece.record.contacts)
    if rng.random() < 0.7:
        _add_fields(piece, rows, people, rng)
    if rng.random() < 0.4:
        _reword_header(rows, piece.swedish, rng)
    if rng.random() < 0.4:
        _inline(rows, piece.swedish)
    return _edited(piece, rows, replace(piece.record, contacts=tuple(people)), "contact-fields")


def title_style(piece: Piece, rng: random.Random) -> Piece | None:
    """``1) Title`` or ``1 Title`` for ``1. Title``; a full stop after the title."""
    assert piece.record is not None
    at = _first(piece.rows, TITLE)
    title, number = piece.record.title, piece.record.number
    if at is None or title is None:
        return None
    heads = [""] if number is None else [f"{number}) ", f"{number}. "] + ([] if title[0].isdigit() else [f"{number} "])
    head = rng.choice(heads)
    stop = "." if not title.endswith((".", "!", "?", ":", ";")) and (not head or rng.random() < 0.5) else ""
    rows = list(piece.rows)
    rows[at] = Row(TITLE, head + title + stop)
    return _edited(piece, rows, piece.record, "title-style")


def _blank_edge(rows: list[Row], rng: random.Random) -> None:
    blanks = [Row(BLANK, "")] * rng.randint(1, 2)
    if rng.random() < 0.5:
        rows[:0] = blanks
    else:
        rows.extend(blanks)


def _blank_inside(rows: list[Row], rng: random.Random) -> None:
    """A blank line between two lines, but not inside a wrapped list nor between a leading marker and its title."""
    filled = [i for i, r in enumerate(rows) if r.kind != BLANK]
    lead_marker = filled[0] if filled and rows[filled[0]].kind == MARKER else None
    spots = [i for i in range(1, len(rows))
             if not (rows[i - 1].kind == rows[i].kind == PARTNERS) and i - 1 != lead_marker]
    if spots:
        at = rng.choice(spots)
        rows[at:at] = [Row(BLANK, "")] * rng.randint(1, 2)


def _respace(rows: list[Row], rng: random.Random, new: str) -> None:
    spaced = [i for i, r in enumerate(rows) if " " in r.text]
    if not spaced:
        return
    i = rng.choice(spaced)
    text = rows[i].text
    spaces = [k for k, c in enumerate(text) if c == " "]
    k = rng.choice(spaces)
    rows[i] = replace(rows[i], text=text[:k] + new + text[k + 1:])


def _trailing(rows: list[Row], rng: random.Random) -> None:
    filled = [i for i, r in enumerate(rows) if r.kind != BLANK]
    i = rng.choice(filled)
    rows[i] = replace(rows[i], text=rows[i].text + rng.choice((" ", "  ", "\u00a0")))


_SPACINGS: tuple[Callable[[list[Row], random.Random], None], ...] = (
    _blank_edge, _blank_inside, _trailing,
    lambda rows, rng: _respace(rows, rng, "  "),
    lambda rows, rng: _respace(rows, rng, "\u00a0"),
)


def spacing(piece: Piece, rng: random.Random) -> Piece | None:
    """Blank lines between and inside projects, double spaces, trailing spaces, non-breaking spaces."""
    rows = list(piece.rows)
    for _ in range(rng.randint(1, 4)):
        rng.choice(_SPACINGS)(rows, rng)
    return _edited(piece, rows, piece.record, "spacing")


# --- Listing edits --------------------------------------------------------------------------------------------

def boundaries(pieces: Sequence[Piece]) -> list[int]:
    """Where a run of projects may go: between two groups (never inside a numbering run), first or last."""
    return [i for i in range(len(pieces) + 1)
            if i in (0, len(pieces)) or pieces[i - 1].group != pieces[i].group]


def _ends_open(piece: Piece) -> bool:
    """No contact section closes the project, so a bare ended marker after it could be its own."""
    return not any(r.kind in (CONTACT, HEADER) for r in piece.rows)


def readable(pieces: Sequence[Piece]) -> bool:
    """No project without a title (it starts with its marker or body) follows one that ends open."""
    projects = [p for p in pieces if p.record is not None]
    return not any(_ends_open(a) and _first(b.rows, TITLE) is None for a, b in pairwise(projects))


def _insert(rest: list[Piece], unit: list[Piece], rng: random.Random, avoid: int | None = None) -> list[Piece] | None:
    spots = [b for b in boundaries(rest) if b != avoid]
    rng.shuffle(spots)
    for at in spots:
        result = rest[:at] + unit + rest[at:]
        if readable(result):
            return result
    return None


def move(pieces: list[Piece], rng: random.Random) -> list[Piece]:
    """Move one run of projects (one lead's, or one project with no lead) between two other runs."""
    groups = sorted({p.group for p in pieces if p.record is not None})
    group = rng.choice(groups)
    taken = [i for i, p in enumerate(pieces) if p.group == group]
    rest = [p for p in pieces if p.group != group]
    moved = [tagged(pieces[i], "move") for i in taken]
    return _insert(rest, moved, rng, avoid=taken[0]) or pieces


def new_project(pieces: list[Piece], rng: random.Random) -> list[Piece]:
    """Insert a generated project of a shape the listing does not have between two runs."""
    piece = generate_project(rng, group=max(p.group for p in pieces) + 1)
    return _insert(pieces, [piece], rng) or pieces


# --- Generated projects ---------------------------------------------------------------------------------------

SHAPES = ("no-partners", "no-contacts", "email-only", "ended-dated", "swedish", "long-title", "title-stop",
          "several-contacts", "rich-contact")

FI_ADJ = ("digitaalisen", "sähköisen", "yhteisen", "avoimen", "älykkään", "turvallisen", "kestävän",
          "asiakaslähtöisen")
FI_GEN = ("asioinnin", "talousraportoinnin", "tiedonhallinnan", "päätöksenteon", "varhaiskasvatuksen",
          "henkilöstöhallinnon", "asiakaspalvelun", "rakennusvalvonnan", "kaavoituksen", "hyvinvointitiedon",
          "arkistoinnin", "hankintojen", "tietoturvan", "paikkatiedon")
FI_HEAD = ("kehittäminen", "uudistaminen", "automatisointi", "käyttöönotto", "tehostaminen", "digitalisointi",
           "yhtenäistäminen", "pilotointi")
FI_TAIL = ("kuntien yhteistyönä", "pienissä kunnissa", "tiedolla johtamisen tueksi", "osana kunnan digistrategiaa",
           "uusien työkalujen avulla", "seudullisena yhteistyönä", "asukkaiden parhaaksi")
SV_HEAD = ("utveckling av", "digitalisering av", "automatisering av", "förnyelse av")
SV_NOUN = ("ekonomiförvaltningen", "ärendehanteringen", "kundservicen", "informationshanteringen",
           "småbarnspedagogiken", "byggnadstillsynen", "arkiveringen", "upphandlingen")
SV_TAIL = ("i kommunen", "i samarbete mellan kommunerna", "med nya verktyg", "för invånarna",
           "som en del av den digitala strategin")
FI_SENTENCES = (
    "Hankkeessa kehitetään {gen} prosesseja ja otetaan käyttöön uusia sähköisiä työkaluja.",
    "Tavoitteena on sujuvoittaa {gen} toimintatapoja ja vähentää manuaalista työtä.",
    "Hankkeen aikana kartoitetaan nykytila, laaditaan tiekartta ja pilotoidaan ratkaisuja henkilöstön kanssa.",
    "Lisäksi vahvistetaan henkilöstön digitaalista osaamista koulutusten ja työpajojen avulla.",
    "Hankkeen tulokset jaetaan avoimesti myös muiden kuntien hyödynnettäviksi.",
    "Kuntalaisille tarjotaan entistä helpompia ja saavutettavampia sähköisiä palveluja.",
)
SV_SENTENCES = (
    "Projektet ska utveckla {noun} och ta i bruk nya digitala verktyg för kommunens personal.",
    "Målet är att göra processerna smidigare och att minska det manuella arbetet i kommunen.",
    "Under projektet kartläggs nuläget och en färdplan tas fram tillsammans med de anställda.",
    "Resultaten delas öppet med andra kommuner som vill utveckla sin verksamhet.",
    "Invånarna får tillgång till enklare och mer tillgängliga digitala tjänster.",
)
FIRST_FI = ("Anna", "Mikko", "Laura", "Janne", "Satu", "Teemu", "Heidi", "Ville", "Riikka", "Jari", "Outi",
            "Kalle", "Sini", "Tuomo", "Päivi", "Jyrki")
LAST_FI = ("Lehtonen", "Heikkilä", "Mattila", "Leinonen", "Toivonen", "Räsänen", "Peltonen", "Karjalainen",
           "Hiltunen", "Jääskeläinen", "Saarinen", "Kallio", "Turunen", "Hyvärinen")
FIRST_SV = ("Anders", "Johanna", "Mikael", "Annika", "Henrik", "Sofia", "Fredrik", "Maria")
LAST_SV = ("Lindqvist", "Holmström", "Nyberg", "Sjöberg", "Eriksson", "Backman", "Granholm", "Wikström")
MAILBOXES = ("kirjaamo", "hanke", "digituki", "info")


def _title_words(rng: random.Random, swedish: bool) -> list[str]:
    if swedish:
        return f"{rng.choice(SV_HEAD)} {rng.choice(SV_NOUN)}".split()
    words = [rng.choice(FI_ADJ)] if rng.random() < 0.6 else []
    return [*words, rng.choice(FI_GEN), rng.choice(FI_HEAD)]


def _more_words(rng: random.Random, swedish: bool) -> list[str]:
    if swedish:
        return rng.choice((f"och {rng.choice(SV_NOUN)}", rng.choice(SV_TAIL))).split()
    pair = f"{rng.choice(FI_GEN)} {rng.choice(FI_HEAD)}"
    return rng.choice((f"ja {pair}", f"sekä {pair}", rng.choice(FI_TAIL))).split()


def title_text(rng: random.Random, swedish: bool, long: bool) -> str:
    """A short title (2 to 7 words) or a long one (16 to 25 words)."""
    while True:
        words = _title_words(rng, swedish)
        target = rng.randint(16, 25) if long else rng.randint(len(words), 7)
        while len(words) < target:
            words += _more_words(rng, swedish)
        if (not long and len(words) <= 7) or 16 <= len(words) <= 25:
            text = " ".join(words)
            return text[0].upper() + text[1:]


def sentences(rng: random.Random, swedish: bool) -> list[str]:
    pool = SV_SENTENCES if swedish else FI_SENTENCES
    chosen = rng.sample(pool, rng.randint(1, 3))
    return [s.format(gen=rng.choice(FI_GEN), noun=rng.choice(SV_NOUN)) for s in chosen]


def shape(rng: random.Random) -> frozenset[str]:
    features = set(rng.sample(SHAPES, rng.randint(1, 3)))
    if "no-contacts" in features:
        features -= {"email-only", "several-contacts", "rich-contact"}
    if "email-only" in features:
        features -= {"several-contacts", "rich-contact"}
    return frozenset(features)


def _person_name(rng: random.Random, swedish: bool) -> str:
    return f"{rng.choice(FIRST_SV if swedish else FIRST_FI)} {rng.choice(LAST_SV if swedish else LAST_FI)}"


def _contacts(rng: random.Random, features: frozenset[str], lead: tuple[str, str],
              pool: Sequence[tuple[str, str]]) -> tuple[list[str], list[Person], list[str | None]]:
    """Contact lines, expected people and places as written."""
    sv = "swedish" in features
    if "no-contacts" in features:
        return [], [], []
    if "email-only" in features:
        address = f"{rng.choice(MAILBOXES)}@{domain_of(lead[1], lead[0])}.fi"
        written = address.replace("@", "(a)") if rng.random() < 0.3 else address
        return [written], [Person(None, lead[1], address)], [None]
    count = rng.randint(2, 4) if "several-contacts" in features else 1
    where = [lead] + [rng.choice(pool) for _ in range(count - 1)]
    rich = rng.randrange(count) if "rich-contact" in features else None
    lines, people = [], []
    for k, (written, code) in enumerate(where):
        name = _person_name(rng, sv)
        line, person = f"{name}, {written}", Person(name, code)
        if k == rich:
            role_, email, phone_ = role(sv, rng), email_of(name, code, written), phone(rng)
            fields = [written, role_, email, phone_]
            rng.shuffle(fields)
            line, person = ", ".join([name, *fields]), Person(name, code, email, role_, phone_)
        lines.append(line)
        people.append(person)
    return lines, people, [w for w, _ in where]


def _partner_rows(rng: random.Random, features: frozenset[str], lead: tuple[str, str],
                  pool: Sequence[tuple[str, str]]) -> tuple[list[Row], list[str], list[str]]:
    if "no-partners" in features:
        return [], [], []
    chosen = rng.sample([p for p in pool if p != lead], rng.randint(1, 5))
    names = [w for w, _ in chosen]
    seps = _separators(len(names), "swedish" in features, rng) if len(names) > 1 else []
    label = "Övriga kommuner:" if "swedish" in features else "Muut kunnat:"
    return [Row(PARTNERS, line) for line in render_list(label, names, seps, None)], names, [c for _, c in chosen]


def generate_project(rng: random.Random, group: int, features: frozenset[str] | None = None) -> Piece:
    """A project of an unusual shape, written the way the listing writes projects, with its record."""
    features = shape(rng) if features is None else features
    sv = "swedish" in features
    pool = places(sv)
    lead = rng.choice(pool)
    title = title_text(rng, sv, "long-title" in features)
    rows = [Row(TITLE, title + ("." if "title-stop" in features else ""))]
    ended = "ended-dated" in features or rng.random() < 0.4
    day = None
    if ended:
        text, day = marker(sv, rng, dated=True) if "ended-dated" in features else (
            "PROJEKTET HAR AVSLUTATS." if sv else "HANKE ON PÄÄTTYNYT.", None)
        rows.append(Row(MARKER, text))
    rows += [Row(BODY, s) for s in sentences(rng, sv)]
    partner_rows, raws, codes = _partner_rows(rng, features, lead, pool)
    rows += partner_rows
    lines, people, written = _contacts(rng, features, lead, pool)
    if lines:
        rows.append(Row(HEADER, "Tilläggsuppgifter:" if sv else "Lisätietoja"))
        rows += [Row(CONTACT, line, (k,)) for k, line in enumerate(lines)]
    first_place = next((p.place for p in people if p.place is not None), None)
    record = Record(title, None, ended, day, first_place, tuple(codes), tuple(people))
    return Piece(tuple(rows), record, None, sv, group, tuple(written), tuple(raws),
                 ("new-project",))


# --- Edit classes and edited listings -------------------------------------------------------------------------

EDIT_CLASSES: tuple[EditClass, ...] = (
    EditClass("ended-marker", project=ended_marker),
    EditClass("partner-label", project=partner_label),
    EditClass("contact-fields", project=contact_fields),
    EditClass("title-style", project=title_style),
    EditClass("move", listing=move),
    EditClass("spacing", project=spacing),
    EditClass("new-project", listing=new_project, keeps_meaning=False),
)
KEEPS_MEANING: dict[str, bool] = {c.name: c.keeps_meaning for c in EDIT_CLASSES}


def edit_class(name: str) -> EditClass:
    return next(c for c in EDIT_CLASSES if c.name == name)


def _apply(edit: EditClass, piece: Piece, rng: random.Random) -> Piece | None:
    assert edit.project is not None
    for _ in range(6):
        new = edit.project(piece, rng)
        if new is not None:
            return new
    return None


def edit_piece(piece: Piece, rng: random.Random, edits: Sequence[EditClass]) -> Piece:
    """Apply one project edit (sometimes two) that fits the piece."""
    wanted = 2 if len(edits) > 1 and rng.random() < 0.25 else 1
    for edit in rng.sample(list(edits), len(edits)):
        new = _apply(edit, piece, rng)
        if new is not None:
            piece, wanted = new, wanted - 1
            if wanted == 0:
                break
    return piece


def edit_listing(baseline: Baseline, rng: random.Random, classes: Sequence[EditClass] = EDIT_CLASSES,
                 rate: float | None = None) -> Listing:
    """Edit a random subset of projects, then move runs and insert projects, and reassemble the listing."""
    alone = len(classes) == 1
    rate = (0.35 if alone else 0.2) if rate is None else rate
    project_edits = [c for c in classes if c.project is not None]
    pieces = [edit_piece(p, rng, project_edits) if p.record is not None and project_edits and rng.random() < rate
              else p for p in baseline.pieces]
    for listing_edit in (c.listing for c in classes if c.listing is not None):
        if alone or rng.random() < 0.5:
            for _ in range(rng.randint(1, 3)):
                pieces = listing_edit(pieces, rng)
    return assemble(pieces, baseline.newline_at_end)


# --- Checking -------------------------------------------------------------------------------------------------

def _differences(expected: Record, got: Record) -> list[tuple[str, object, object]]:
    return [(name, getattr(expected, name), getattr(got, name)) for name in Record.__dataclass_fields__
            if getattr(expected, name) != getattr(got, name)]


def _difference(name: str, want: object, have: object) -> str:
    """``contacts[1]: expected …, got …``: for a list, only the first entry that differs."""
    if isinstance(want, tuple) and isinstance(have, tuple) and len(want) == len(have):
        k = next(i for i, (a, b) in enumerate(zip(want, have, strict=True)) if a != b)
        return f"{name}[{k}]: expected {want[k]!r}, got {have[k]!r}"
    return f"{name}: expected {want!r}, got {have!r}"


def _span_detail(span: tuple[int, int], release: Release) -> str:
    near = [p for p in release.projects if p.line_start <= span[1] and p.line_end >= span[0]]
    found = ", ".join(f"{p.line_start}-{p.line_end} {p.title!r}" for p in near) or "nothing"
    return f"no project spans {span[0]}-{span[1]}; extracted there: {found}"


#: Warnings that say where a project begins or ends is in doubt.
BOUNDARY_CODES = frozenset({"merged-projects", "title-like-line", "missing-title", "ended-marker-before-title",
                            "title-full-stop", "numbering-gap"})


def _boundary_warned(first_line: int, release: Release) -> bool:
    """Does the record that holds this project's first line carry a warning that its boundaries are in doubt?

    When two projects are read as one, the warning stands at the line where the second one seems to begin; the
    first project's lines do not hold it, but the record a reader opens for it does.
    """
    holder = next((p for p in release.projects if p.line_start <= first_line <= p.line_end), None)
    return holder is not None and any(d.code in BOUNDARY_CODES for d in holder.diagnostics)


def judge(expectation: Expectation, release: Release, by_span: dict[tuple[int, int], Project]) -> Outcome:
    """right, warned or silent, with the fields that differ and whether a meaning-keeping edit kept the id."""
    got = by_span.get(expectation.span)
    if got is None:
        fields: tuple[str, ...] = ("span",)
        detail = _span_detail(expectation.span, release)
    else:
        differences = _differences(expectation.record, record_of(got))
        fields = tuple(name for name, _, _ in differences)
        detail = "; ".join(_difference(name, want, have) for name, want, have in differences)
    low, high = expectation.span
    if not fields:
        verdict = RIGHT
    elif any(low <= d.line <= high for d in release.diagnostics) or _boundary_warned(low, release):
        verdict = WARNED
    else:
        verdict = SILENT
    id_kept = got.id == expectation.seed_id if verdict == RIGHT and expectation.keeps_id and got else None
    return Outcome(expectation.edits, verdict, expectation.span, fields, detail, id_kept, expectation.lines,
                   expectation.neighbours)


def check(listing: Listing, gazetteer: Gazetteer | None = None) -> list[Outcome]:
    release = extract(listing.text, gazetteer)
    by_span = {(p.line_start, p.line_end): p for p in release.projects}
    return [judge(e, release, by_span) for e in listing.expected]


def listing_rng(seed: int, index: int, classes: Sequence[EditClass]) -> random.Random:
    """The random source of listing ``index`` of ``seed`` with these classes: the same on every run and machine."""
    return random.Random(f"{seed}:{index}:{','.join(c.name for c in classes)}")


def simulate(baseline: Baseline, seed: int, index: int, classes: Sequence[EditClass] = EDIT_CLASSES,
             gazetteer: Gazetteer | None = None) -> list[Outcome]:
    """Edit and check listing ``index`` of ``seed``."""
    listing = edit_listing(baseline, listing_rng(seed, index, classes), classes)
    return [replace(o, listing=f"{seed}:{index}") for o in check(listing, gazetteer)]


def run(baseline: Baseline, listings: int, seed: int, classes: Sequence[EditClass] = EDIT_CLASSES,
        gazetteer: Gazetteer | None = None) -> list[Outcome]:
    gazetteer = gazetteer or Gazetteer.load()
    return [o for i in range(listings) for o in simulate(baseline, seed, i, classes, gazetteer)]


# --- Reporting ------------------------------------------------------------------------------------------------

def _classes_of(outcome: Outcome) -> tuple[str, ...]:
    return outcome.edits or (UNEDITED,)


def table(outcomes: Sequence[Outcome], names: Sequence[str]) -> str:
    """Per edit class: projects right / warned / silent, and right ones whose seed id changed."""
    rows = [f"{'edit class':<16}{'projects':>9}{'right':>9}{'warned':>9}{'silent':>9}{'ids lost':>10}"]
    for name in [UNEDITED, *names, "all"]:
        mine = [o for o in outcomes if name == "all" or name in _classes_of(o)]
        count = Counter(o.verdict for o in mine)
        lost = sum(o.id_kept is False for o in mine)
        rows.append(f"{name:<16}{len(mine):>9}{count[RIGHT]:>9}{count[WARNED]:>9}{count[SILENT]:>9}{lost:>10}")
    return "\n".join(rows)


def _clip(text: str, width: int = 110) -> str:
    text = text.replace("\u00a0", "\u2423")
    return text if len(text) <= width else text[:width - 1] + "…"


def describe(outcome: Outcome, lines: int = 10) -> str:
    """One failing project: where, which edits, what differs, and its lines."""
    near = f" ({'; '.join(outcome.neighbours)})" if outcome.neighbours else ""
    head = (f"[{outcome.listing}] lines {outcome.span[0]}-{outcome.span[1]}, {'+'.join(_classes_of(outcome))}"
            f"{near}: {', '.join(outcome.fields) or 'id'}")
    body = [f"    | {_clip(line)}" for line in outcome.lines[:lines]]
    if len(outcome.lines) > lines:
        body.append(f"    | … {len(outcome.lines) - lines} more lines")
    return "\n".join([head, f"    {_clip(outcome.detail, 300)}", *body])


def failures(outcomes: Sequence[Outcome], names: Sequence[str], show: int, verdict: str = SILENT) -> str:
    """The first ``show`` outcomes of ``verdict`` for each edit class."""
    out = []
    for name in [UNEDITED, *names]:
        mine = [o for o in outcomes if o.verdict == verdict and name in _classes_of(o)][:show]
        if mine:
            out.append(f"--- {verdict}: {name}")
            out.extend(describe(o) for o in mine)
    return "\n".join(out)


def lost_ids(outcomes: Sequence[Outcome], show: int) -> str:
    mine = [o for o in outcomes if o.id_kept is False][:show]
    return "\n".join(["--- ids lost", *(describe(o) for o in mine)]) if mine else ""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--classes", default=",".join(c.name for c in EDIT_CLASSES),
                        help="comma-separated edit classes to apply together")
    parser.add_argument("--show", type=int, default=3, help="silent projects shown per edit class")
    parser.add_argument("--dump", type=int, metavar="INDEX", help="print edited listing INDEX and exit")
    args = parser.parse_args(argv)
    unknown = set(args.classes.split(",")) - set(KEEPS_MEANING)
    if unknown:
        parser.error(f"unknown edit class {', '.join(sorted(unknown))}; known: {', '.join(KEEPS_MEANING)}")
    classes = [edit_class(name) for name in args.classes.split(",")]
    gazetteer = Gazetteer.load()
    baseline = build_baseline(gazetteer)
    if args.dump is not None:
        sys.stdout.write(edit_listing(baseline, listing_rng(args.seed, args.dump, classes), classes).text)
        return 0
    drift = golden_drift(baseline)
    if drift:
        print(f"note: the live extraction of the seed differs from tests/golden/ in {len(drift)} project(s): "
              f"{'; '.join(drift)}; expectations follow the live extraction\n")
    outcomes = run(baseline, args.listings, args.seed, classes, gazetteer)
    names = [c.name for c in classes]
    print(f"{args.listings} listings, seed {args.seed}\n")
    print(table(outcomes, names))
    for part in (failures(outcomes, names, args.show), lost_ids(outcomes, args.show)):
        if part:
            print("\n" + part)
    return 1 if any(o.verdict == SILENT or o.id_kept is False for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
