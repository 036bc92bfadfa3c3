"""Infer the lead of a project that names no contact place, from its neighbours in the listing.

The listing groups projects by applicant, numbering them 1., 2., ... when an applicant has several,
and orders the applicants alphabetically. So a numbered project without a contact belongs to the
applicant of its numbering run, and an unnumbered one to a municipality its own text names, when that
name also fits alphabetically between the neighbours' leads. Otherwise the lead stays unknown.
"""
from __future__ import annotations

from dataclasses import replace

from hankkeet.diagnostics import Diagnostic
from hankkeet.model import Lead, Project
from hankkeet.municipalities import Gazetteer

_FINNISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "w": "v", "é": "e", "ü": "y"})


def collation_key(name: str) -> str:
    """Finnish alphabetical order: å, ä, ö after z; v and w together."""
    return name.casefold().translate(_FINNISH_ORDER)


def _from_run(projects: list[Project], index: int) -> tuple[Lead, Project] | None:
    """The lead of the nearest project with a lead in the same consecutive numbering run."""
    number = projects[index].number
    if number is None:
        return None
    for step in (-1, 1):
        j, expected = index + step, number + step
        while 0 <= j < len(projects) and projects[j].number == expected:
            lead = projects[j].lead
            if lead is not None:
                return lead, projects[j]
            j, expected = j + step, expected + step
    return None


def _neighbour_name(projects: list[Project], index: int, step: int) -> str | None:
    j = index + step
    while 0 <= j < len(projects):
        lead = projects[j].lead
        if lead is not None and lead.name is not None:
            return lead.name
        j += step
    return None


def _from_mentions(projects: list[Project], index: int, gazetteer: Gazetteer) -> Lead | None:
    """A municipality the project's own text names that fits the alphabetical order of its neighbours."""
    project = projects[index]
    partner_codes = {p.place.code for p in project.partners}
    text = f"{project.title or ''}\n{project.description}"
    low = _neighbour_name(projects, index, -1)
    high = _neighbour_name(projects, index, 1)
    if low is None or high is None:
        return None  # without neighbours on both sides the order says nothing
    candidates = []
    for code in sorted(gazetteer.mentions(text) - partner_codes):
        name = gazetteer.municipalities[code].name_fi
        k = collation_key(name)
        if collation_key(low) <= k <= collation_key(high):
            candidates.append(code)
    if len(candidates) != 1:
        return None
    m = gazetteer.municipalities[candidates[0]]
    return Lead(m.name_fi, m.code, m.region_fi, source="mention")


def infer_leads(projects: list[Project], gazetteer: Gazetteer) -> list[Project]:
    """Fill in missing leads (leaving known ones alone) and say how each was inferred."""
    out = list(projects)
    for index, project in enumerate(projects):
        if project.lead is not None:
            continue
        run = _from_run(projects, index)
        if run is not None:
            lead, neighbour = run
            what = lead.owner
            diagnostic = Diagnostic("lead-inferred", project.line_start,
                                    f"lead {what} taken from numbering run (project {neighbour.number}. "
                                    f"on line {neighbour.line_start})")
            lead = replace(lead, source="numbering", place=None, line=None)
        else:
            mentioned = _from_mentions(projects, index, gazetteer)
            if mentioned is None:
                out[index] = replace(project, diagnostics=project.diagnostics + (Diagnostic(
                    "lead-unknown", project.line_start, "no contact place, numbering run or fitting mention "
                    "tells the lead municipality"),))
                continue
            lead = mentioned
            diagnostic = Diagnostic("lead-inferred", project.line_start,
                                    f"lead {lead.name} inferred from its mention in the text and the "
                                    "alphabetical order of the neighbouring projects")
        out[index] = replace(project, lead=lead, diagnostics=project.diagnostics + (diagnostic,))
    return out
