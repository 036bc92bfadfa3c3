"""A compact, readable rendering of a release: what a reviewer checks against the listing."""
from __future__ import annotations

from hankkeet.model import Place, Release


def _place(place: Place | None) -> str:
    if place is None:
        return "-"
    if place.code is not None:
        shown = place.raw if place.raw == place.name else f"{place.raw} = {place.name}"
        return f"{shown} {place.code}" + ("" if place.method == "exact" else f" ({place.method})")
    return f"{place.raw} ({place.kind})"


def summarise(release: Release) -> str:
    """One paragraph per project: span, number, ended, language, title, lead, partners, mentions, contacts."""
    out = []
    for p in release.projects:
        lead = "-"
        if p.lead is not None:
            lead = f"{p.lead.name} {p.lead.code}" if p.lead.code else f"organisation {p.lead.organisation}"
            if p.lead.source != "contact":
                lead += f" (inferred from {p.lead.source})"
        body_lines = p.description.count("\n") + 1 if p.description else 0
        out.append(f"lines {p.line_start}-{p.line_end} | number {p.number} | "
                   f"{'ended' if p.ended else 'open'} | {p.language} | description {body_lines} lines")
        out.append(f"  id: {p.id}")
        out.append(f"  title: {p.title}")
        out.append(f"  lead: {lead}")
        for partner in p.partners:
            out.append(f"  partner: {_place(partner.place)}  [line {partner.line}]")
        for mention in p.mentions:
            out.append(f"  mention: {_place(mention.place)}  [line {mention.line}]")
        for c in p.contacts:
            who = c.name or "-"
            if c.email:
                who += f" <{c.email}>"
            out.append(f"  contact: {who} | {_place(c.place)}  [line {c.line}]")
        for d in p.diagnostics:
            out.append(f"  warning: {d.line} {d.code}")
    for line in release.unassigned_lines:
        out.append(f"unassigned: {line.number} {line.text}")
    return "\n".join(out) + "\n"
