"""Small frozen dataclasses that flow between the pipeline stages."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from hankkeet.diagnostics import Diagnostic


@dataclass(frozen=True, slots=True)
class Line:
    """One normalised input line with its 1-based number in the original file."""

    number: int
    text: str


class Kind(StrEnum):
    """What a line looks like on its own, before the segmenter adds context."""

    BLANK = "blank"
    ENDED = "ended"  # HANKE ON PÄÄTTYNYT. / PROJEKTET HAR AVSLUTATS.
    PARTNERS = "partners"  # Muut kunnat: ... / Mukana ... / Övriga kommuner: ...
    CONTACT_HEADER = "contact-header"  # Lisätietoja / Tilläggsuppgifter: / Mer information
    CONTACT_INLINE = "contact-inline"  # Lisätietoja: Name, Place
    CONTACT = "contact"  # Name, Place / A ja B, Place / name(a)domain
    LINK = "link"  # www.example.fi / Hankkeen nettisivut / Lisätietoja: hankkeen sivusto
    MORE_INFO = "more-info"  # body sentence: Lisätietoja hankkeesta täältä.
    NUMBERED = "numbered"  # "3. Something": a numbered title or a numbered list item
    TEXT = "text"  # anything else: a title or a body line


@dataclass(frozen=True, slots=True)
class Token:
    """A classified line: its kind, the list number of a numbered line, the text after any label."""

    line: Line
    kind: Kind
    number: int | None = None
    payload: str = ""


@dataclass(frozen=True)
class Block:
    """The lines of one project, as the segmenter grouped them."""

    tokens: tuple[Token, ...]
    title: Token | None
    ended_marker: Token | None = None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def line_start(self) -> int:
        return self.tokens[0].line.number

    @property
    def line_end(self) -> int:
        return self.tokens[-1].line.number


@dataclass(frozen=True)
class Place:
    """How a raw place string resolved against the gazetteer."""

    raw: str
    kind: str  # municipality / former-municipality / organisation / wellbeing-county / unknown
    method: str  # override / exact / ascii / bilingual / swedish / inflected / former / fuzzy / organisation / none
    score: float
    code: str | None = None
    name: str | None = None
    name_sv: str | None = None
    region_code: str | None = None
    region: str | None = None
    runner_up: str | None = None
    margin: float | None = None
    named_code: str | None = None  # for an organisation: the municipality its name refers to
    note: str | None = None


@dataclass(frozen=True)
class Partner:
    place: Place
    line: int
    member_of: str | None = None  # the organisation whose bracketed member list names it (KuusSote (…: Alavus))


@dataclass(frozen=True)
class Mention:
    """A municipality named in the description only (not among the partners): its place and line."""

    place: Place
    line: int


@dataclass(frozen=True)
class Contact:
    """A contact person (or an e-mail-only contact) with the fields written after the name."""

    name: str | None
    email: str | None
    organisation: str | None
    place: Place | None
    line: int
    role: str | None = None  # projektipäällikkö / utvecklingschef ...
    phone: str | None = None


@dataclass(frozen=True)
class Lead:
    """The applicant: a municipality (code set) or an organisation (code None), and how it was found."""

    name: str | None
    code: str | None
    region: str | None = None
    organisation: str | None = None
    source: str = "contact"  # contact / numbering / mention / none
    place: Place | None = None  # the contact place it was read from (source "contact"), and that place's line
    line: int | None = None

    @property
    def owner(self) -> str | None:
        """Who applied: the municipality's name, else the organisation."""
        return self.name or self.organisation


@dataclass(frozen=True)
class Project:
    id: str
    number: int | None
    title: str | None
    ended: bool
    language: str
    lead: Lead | None
    partners: tuple[Partner, ...]
    contacts: tuple[Contact, ...]
    description: str
    line_start: int
    line_end: int
    diagnostics: tuple[Diagnostic, ...] = ()
    ended_on: str | None = None  # ISO date written with the ended marker
    mentions: tuple[Mention, ...] = ()  # municipalities named in the description only (issue 11)


@dataclass(frozen=True)
class SourceInfo:
    file: str
    sha256: str
    lines: int


@dataclass(frozen=True)
class Release:
    source: SourceInfo
    projects: tuple[Project, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    unassigned_lines: tuple[Line, ...] = field(default_factory=tuple)
