"""A release and its source lines -> the view model of the review page: projects with their lines and the values
read from each line, warnings most serious first, the lines that belong to no project, the counts.

Pure functions over plain data; rendering (Jinja2, autoescaped) is in ``pages.py``, the pictures in ``svg.py``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hankkeet.diagnostics import Diagnostic
from hankkeet.lines import is_ended_marker
from hankkeet.model import Project, Release

if TYPE_CHECKING:
    from hankkeet.municipalities import Municipality

#: Warning codes from most to least serious: a wrong record first (a lead, a boundary), then what was left unread,
#: then doubts about single values. Codes not listed come last, in code order.
SEVERITY = (
    "lead-unknown", "merged-projects", "missing-title", "title-like-line", "partners-thin", "unread-place-list",
    "unread-contact", "unread-ended-marker", "ended-marker-before-title", "numbering-gap", "duplicate-id",
    "ambiguous-place", "unmatched-place", "fuzzy-place", "lead-inferred", "lead-organisation", "ambiguous-mention",
    "title-full-stop", "ended-date-unread", "no-contact", "contact-without-place", "unassigned-line", "mojibake",
    "mojibake-repaired", "empty-input",
)
_RANK = {code: rank for rank, code in enumerate(SEVERITY)}
#: Only these schemes become links; ``javascript:``, ``data:`` and the rest stay text.
_URL = re.compile(r"https?://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]]", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    """A piece of a source line: plain, a value read from it (``field`` names it), or an http(s) link."""

    text: str
    field: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class SourceLine:
    number: int
    segments: tuple[Segment, ...]
    values: tuple[tuple[str, str], ...] = ()  # (field, value) read from this line
    warnings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class ProjectView:
    project: Project
    lines: tuple[SourceLine, ...]
    warnings: tuple[Diagnostic, ...]

    @property
    def status(self) -> str:
        return "ended" if self.project.ended else "ongoing"


@dataclass(frozen=True)
class Review:
    file: str
    counts: dict[str, int]
    warnings: tuple[Diagnostic, ...]
    projects: tuple[ProjectView, ...]
    unassigned: tuple[SourceLine, ...]
    charts: dict[str, str] = field(default_factory=dict)


def severity_key(diagnostic: Diagnostic) -> tuple[int, int, str]:
    """Most serious first, then by line."""
    return (_RANK.get(diagnostic.code, len(SEVERITY)), diagnostic.line, diagnostic.code)


def _place_label(raw: str, code: str | None, name: str | None, method: str, score: float) -> str:
    where = f"{name} ({code})" if code else "no code"
    return f"{raw} → {where}, {method} {score:g}"


def project_values(project: Project, lines: Mapping[int, str]) -> dict[int, list[tuple[str, str, str]]]:
    """The values read from each line of a project: {line: [(field, value shown, text to mark in the line)]}."""
    out: dict[int, list[tuple[str, str, str]]] = {}

    def add(line: int | None, name: str, shown: str, mark: str | None) -> None:
        if line is not None:
            out.setdefault(line, []).append((name, shown, mark or ""))

    span = range(project.line_start, project.line_end + 1)
    title_line = next((n for n in span if project.title and project.title in lines.get(n, "")), None)
    add(title_line, "title", project.title or "", project.title)
    if project.ended:
        marker = next((n for n in span if n != title_line and is_ended_marker(lines.get(n, ""))), title_line)
        add(marker, "ended", f"ended {project.ended_on or '(no date)'}", None)
    lead = project.lead
    if lead is not None:
        shown = f"{lead.owner or 'unknown'}" + (f" ({lead.code})" if lead.code else "") + f", by {lead.source}"
        add(lead.line, "lead", shown, lead.place.raw if lead.place else None)
    for partner in project.partners:
        p = partner.place
        add(partner.line, "member" if partner.member_of else "partner",
            _place_label(p.raw, p.code, p.name, p.method, p.score), p.raw)
    for contact in project.contacts:
        bits = [b for b in (contact.name, contact.role, contact.email, contact.phone, contact.organisation) if b]
        if contact.place is not None and contact.place.code:
            bits.append(f"{contact.place.name} ({contact.place.code})")
        add(contact.line, "contact", ", ".join(bits), contact.name or contact.email)
    for mention in project.mentions:
        m = mention.place
        add(mention.line, "mention", _place_label(m.raw, m.code, m.name, m.method, m.score), m.raw)
    return out


def segments(text: str, marks: list[tuple[str, str]]) -> tuple[Segment, ...]:
    """Split a line into plain text, marked values (the first occurrence of each) and http(s) links."""
    spans: list[tuple[int, int, str | None, str | None]] = []
    for match in _URL.finditer(text):
        spans.append((match.start(), match.end(), None, match.group()))
    for name, mark in marks:  # a value inside a link is left unmarked: the link is the safer thing to keep
        start = text.find(mark) if mark else -1
        if start >= 0 and not any(s < start + len(mark) and start < e for s, e, _, _ in spans):
            spans.append((start, start + len(mark), name, None))
    out: list[Segment] = []
    at = 0
    for start, end, kind, href in sorted(spans):
        if start > at:
            out.append(Segment(text[at:start]))
        out.append(Segment(text[start:end], kind, href))
        at = end
    if at < len(text) or not out:
        out.append(Segment(text[at:]))
    return tuple(out)


def _source_line(number: int, text: str, values: list[tuple[str, str, str]],
                 warnings: Mapping[int, list[Diagnostic]]) -> SourceLine:
    return SourceLine(number, segments(text, [(name, mark) for name, _, mark in values]),
                      tuple((name, shown) for name, shown, _ in values), tuple(warnings.get(number, ())))


def build_review(release: Release, text: str) -> Review:
    """The view model of the review page of ``release``, whose line numbers refer to ``text``."""
    lines = dict(enumerate(text.splitlines(), start=1))
    by_line: dict[int, list[Diagnostic]] = {}
    for diagnostic in release.diagnostics:
        by_line.setdefault(diagnostic.line, []).append(diagnostic)
    projects = []
    for project in release.projects:
        values = project_values(project, lines)
        shown = tuple(_source_line(n, lines.get(n, ""), values.get(n, []), by_line)
                      for n in range(project.line_start, project.line_end + 1))
        projects.append(ProjectView(project, shown, tuple(sorted(project.diagnostics, key=severity_key))))
    shown_lines = {line.number for p in projects for line in p.lines}
    outside = {line.number: line.text for line in release.unassigned_lines}
    # a warning on a line of no project (a blank line between two) still needs a line to point at
    outside.update({n: lines.get(n, "") for n in by_line if n not in shown_lines and n not in outside})
    unassigned = tuple(_source_line(n, lines.get(n, outside[n]), [], by_line) for n in sorted(outside))
    warnings = tuple(sorted(release.diagnostics, key=severity_key))
    counts = {"projects": len(release.projects), "ended": sum(p.ended for p in release.projects),
              "ongoing": sum(not p.ended for p in release.projects), "warnings": len(warnings),
              "partners": sum(len(p.partners) for p in release.projects),
              "contacts": sum(len(p.contacts) for p in release.projects),
              "unassigned lines": len(release.unassigned_lines), "lines": len(lines)}
    return Review(release.source.file, counts, warnings, tuple(projects), unassigned)


def with_charts(review: Review, release: Release, reference: Mapping[str, Municipality]) -> Review:
    """The review with its three pictures drawn (``svg.py``)."""
    from dataclasses import replace

    from hankkeet.svg import charts

    return replace(review, charts=charts(release, reference))


def warning_lines(review: Review) -> set[int]:
    """The numbers of every source line the page shows (a warning must link to one of them)."""
    return {line.number for p in review.projects for line in p.lines} | {line.number for line in review.unassigned}
