"""Who takes part in each project: one row per (project, municipality or organisation) with its strongest role."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hankkeet.model import Lead, Place, Project, Release

if TYPE_CHECKING:  # municipalities.py imports rapidfuzz and regex; only its types are needed here
    from hankkeet.municipalities import Municipality

#: Roles from strongest to weakest: a place named in several ways keeps the first role it has here.
ROLES = ("lead", "partner", "member", "contact", "mentioned")


@dataclass(frozen=True)
class Participant:
    """A municipality (code set) or an organisation (raw only) taking part in a project, and how it was read."""

    project_id: str
    role: str
    code: str | None
    name: str | None
    name_sv: str | None
    region: str | None
    kind: str
    method: str | None
    raw: str | None
    line: int | None
    member_of: str | None = None


def _from_place(project: Project, role: str, place: Place, line: int, member_of: str | None = None) -> Participant:
    return Participant(project.id, role, place.code, place.name, place.name_sv, place.region, place.kind,
                       place.method, place.raw, line, member_of)


def _lead(project: Project, lead: Lead, reference: Mapping[str, Municipality]) -> Participant:
    """The applicant: the contact place it was read from, else (numbering, mention) from the reference list."""
    if lead.source == "contact" and lead.place is not None and lead.line is not None:
        return _from_place(project, "lead", lead.place, lead.line)
    if lead.code is None:
        return Participant(project.id, "lead", None, None, None, None, "organisation", lead.source,
                           lead.organisation, None)
    m = reference[lead.code]
    return Participant(project.id, "lead", lead.code, m.name_fi, m.name_sv, m.region_fi, "municipality",
                       lead.source, lead.name, None)


def _candidates(project: Project, reference: Mapping[str, Municipality]) -> Iterator[Participant]:
    """Every participant reading of a project, strongest role first, each role in listing order."""
    if project.lead is not None and (project.lead.code or project.lead.organisation):
        yield _lead(project, project.lead, reference)
    for partner in project.partners:
        if partner.member_of is None:
            yield _from_place(project, "partner", partner.place, partner.line)
    for partner in project.partners:
        if partner.member_of is not None:
            yield _from_place(project, "member", partner.place, partner.line, partner.member_of)
    for contact in project.contacts:
        if contact.place is not None:
            yield _from_place(project, "contact", contact.place, contact.line)
    for mention in project.mentions:
        yield _from_place(project, "mentioned", mention.place, mention.line)


def _identity(participant: Participant) -> str:
    """The same participant: the same code; without one, the same name (a wellbeing services county, written
    in either language), else the same text (case, spaces and end punctuation aside: ``Lapin liitto.``)."""
    if participant.code:
        return participant.code
    if participant.kind == "wellbeing-county" and participant.name:
        return "name:" + participant.name
    return "raw:" + " ".join((participant.raw or "").split()).strip(".,;: ").casefold()


def project_participants(project: Project, reference: Mapping[str, Municipality]) -> list[Participant]:
    """One participant per municipality or organisation of a project, with its strongest role."""
    seen: set[str] = set()
    out = []
    for candidate in _candidates(project, reference):
        identity = _identity(candidate)
        if identity not in seen:
            seen.add(identity)
            out.append(candidate)
    return out


def participants(release: Release, reference: Mapping[str, Municipality]) -> list[Participant]:
    """The participants of every project, in file order."""
    return [p for project in release.projects for p in project_participants(project, reference)]


def used_codes(release: Release) -> list[str]:
    """Every municipality code the tables of a release use, sorted: those of the leads, partners (and members),
    contacts and mentions, which are the participants' codes."""
    codes: set[str | None] = set()
    for project in release.projects:
        codes.add(project.lead.code if project.lead is not None else None)
        codes.update(p.place.code for p in project.partners)
        codes.update(c.place.code for c in project.contacts if c.place is not None)
        codes.update(m.place.code for m in project.mentions)
    codes.discard(None)
    return sorted(code for code in codes if code is not None)
