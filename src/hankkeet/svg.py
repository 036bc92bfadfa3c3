"""The review page's pictures as inline SVG, drawn from the data: no library, no script, no external resource.

Counts are pure functions (tested on their own); drawing escapes every text with markupsafe (Jinja2's escaper),
so a name cannot break out of the markup.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from hankkeet.model import Release
from hankkeet.participants import participants

if TYPE_CHECKING:
    from hankkeet.municipalities import Municipality

#: The roles that count as taking part (as in the README's queries): not a contact's place nor a mention.
ROLES = ("lead", "partner", "member")
_COLOURS = {"lead": "#1b4f8a", "partner": "#4f8fd0", "member": "#a9c8ea"}
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'
NONE_REGION = "(none)"


def ranking(release: Release, reference: Mapping[str, Municipality], top: int = 15) -> list[tuple[str, dict[str, int]]]:
    """The municipalities by projects taken part in: [(name, {role: projects})], most first, then by code."""
    by_code: dict[str, Counter[str]] = {}
    for p in participants(release, reference):
        if p.role in ROLES and p.code is not None and p.code in reference:
            by_code.setdefault(p.code, Counter())[p.role] += 1
    order = sorted(by_code, key=lambda code: (-sum(by_code[code].values()), code))[:top]
    return [(reference[code].name_fi, {role: by_code[code][role] for role in ROLES}) for code in order]


def region_matrix(release: Release,
                  reference: Mapping[str, Municipality]) -> tuple[list[str], dict[tuple[str, str], int]]:
    """Regions (most projects first) and {(region, region): projects in which both take part}; the diagonal is the
    projects a region takes part in."""
    regions: dict[str, set[str]] = {}
    for p in participants(release, reference):
        if p.role in ROLES and p.code is not None and p.code in reference:
            regions.setdefault(p.project_id, set()).add(reference[p.code].region_fi)
    cells: Counter[tuple[str, str]] = Counter()
    for found in regions.values():
        cells.update((a, b) for a in found for b in found)
    names = sorted({a for a, _ in cells}, key=lambda r: (-cells[(r, r)], r))
    return names, dict(cells)


def ended_by_region(release: Release, reference: Mapping[str, Municipality]) -> list[tuple[str, int, int]]:
    """(lead's region, projects, ended) per region, most projects first; leads without a code under (none)."""
    total: Counter[str] = Counter()
    ended: Counter[str] = Counter()
    for project in release.projects:
        code = project.lead.code if project.lead is not None else None
        region = reference[code].region_fi if code is not None and code in reference else NONE_REGION
        total[region] += 1
        ended[region] += project.ended
    return [(r, total[r], ended[r]) for r in sorted(total, key=lambda r: (-total[r], r))]


def _svg(width: int, height: int, title: str, body: list[str], ident: str) -> Markup:
    head = (f'<svg role="img" aria-labelledby="{ident}-title" '
            f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" {_FONT}>'
            f'<title id="{ident}-title">{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")


def draw_ranking(rows: list[tuple[str, dict[str, int]]]) -> Markup:
    """Horizontal stacked bars: lead, partner, member."""
    label_w, bar_w, row_h = 130, 300, 20
    most = max((sum(c.values()) for _, c in rows), default=1) or 1
    body = []
    for i, (name, counts) in enumerate(rows):
        y = 24 + i * row_h
        body.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(name)}</text>')
        x = float(label_w)
        for role in ROLES:
            w = bar_w * counts[role] / most
            if w:
                body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                            f'fill="{_COLOURS[role]}"><title>{escape(name)}: {counts[role]} {role}</title></rect>')
            x += w
        body.append(f'<text x="{x + 4:.1f}" y="{y + 14}">{sum(counts.values())}</text>')
    legend = [f'<rect x="{label_w + i * 90}" y="4" width="12" height="12" fill="{_COLOURS[r]}"/>'
              f'<text x="{label_w + i * 90 + 16}" y="14">{r}</text>' for i, r in enumerate(ROLES)]
    return _svg(label_w + bar_w + 40, 30 + len(rows) * row_h, "Municipalities by projects (lead, partner, member)",
                legend + body, "chart-ranking")


def draw_matrix(regions: list[str], cells: dict[tuple[str, str], int]) -> Markup:
    """A region × region grid, each cell shaded by the projects joining the two regions, with the count."""
    label, cell = 130, 26
    most = max(cells.values(), default=1)
    body = []
    for i, name in enumerate(regions):
        y = label + i * cell
        body.append(f'<text x="{label - 6}" y="{y + 17}" text-anchor="end">{escape(name)}</text>')
        x = label + i * cell + 17
        body.append(f'<text transform="translate({x},{label - 6}) rotate(-60)">{escape(name)}</text>')
        for j, other in enumerate(regions):
            n = cells.get((name, other), 0)
            if not n:
                continue
            share = n / most
            fill = f"rgb({int(255 - 200 * share)},{int(255 - 150 * share)},{int(255 - 60 * share)})"
            ink = "#fff" if share > 0.55 else "#000"
            cx = label + j * cell
            body.append(f'<rect x="{cx}" y="{y}" width="{cell - 1}" height="{cell - 1}" fill="{fill}">'
                        f'<title>{escape(name)} × {escape(other)}: {n}</title></rect>'
                        f'<text x="{cx + cell / 2 - 0.5}" y="{y + 17}" text-anchor="middle" fill="{ink}" '
                        f'font-size="10">{n}</text>')
    size = label + len(regions) * cell + 10
    return _svg(size + 70, size, "Projects joining two regions (diagonal: projects of the region)", body,
                "chart-matrix")


def draw_ended(rows: list[tuple[str, int, int]]) -> Markup:
    """One bar per lead region: its projects, the ended part dark, with 'ended of projects (percent)'."""
    label_w, bar_w, row_h = 130, 260, 20
    most = max((t for _, t, _ in rows), default=1) or 1
    body = []
    for i, (region, total, ended) in enumerate(rows):
        y = 6 + i * row_h
        w_total, w_ended = bar_w * total / most, bar_w * ended / most
        body.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(region)}</text>'
                    f'<rect x="{label_w}" y="{y + 3}" width="{w_total:.1f}" height="{row_h - 6}" fill="#c9d6e3"/>'
                    f'<rect x="{label_w}" y="{y + 3}" width="{w_ended:.1f}" height="{row_h - 6}" fill="#5b3a8a"/>'
                    f'<text x="{label_w + w_total + 4:.1f}" y="{y + 14}">{ended} of {total} '
                    f'({100 * ended / total:.1f} %)</text>')
    return _svg(label_w + bar_w + 130, 12 + len(rows) * row_h, "Ended projects by the lead's region", body,
                "chart-ended")


def charts(release: Release, reference: Mapping[str, Municipality]) -> dict[str, str]:
    """The three pictures of the review page, by name."""
    return {"ranking": draw_ranking(ranking(release, reference)),
            "matrix": draw_matrix(*region_matrix(release, reference)),
            "ended": draw_ended(ended_by_region(release, reference))}
