"""extract(bytes) -> Release: reads like the list of its stages."""
from __future__ import annotations

from hankkeet.blocks import segment
from hankkeet.checks import audit
from hankkeet.diagnostics import Diagnostic
from hankkeet.fields import build_project, description_lines
from hankkeet.ids import assign_ids
from hankkeet.leads import infer_leads
from hankkeet.lines import classify
from hankkeet.mentions import add_mentions, form_index
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.source import read


def extract(data: bytes | str, gazetteer: Gazetteer | None = None, file: str = "-",
            encoding: str | None = None) -> Release:
    """Run the whole pipeline on one listing."""
    gazetteer = gazetteer or Gazetteer.load()
    lines, info, read_problems = read(data, file, encoding)
    if not any(line.text for line in lines):
        read_problems.append(Diagnostic("empty-input", 1, "the input has no text; no projects"))
    tokens = classify(lines, gazetteer)
    blocks, unassigned, problems = segment(tokens)
    projects = [build_project(block, gazetteer) for block in blocks]
    projects = infer_leads(projects, gazetteer)
    forms = form_index(gazetteer)
    projects = [add_mentions(p, description_lines(b), forms, gazetteer) for b, p in zip(blocks, projects, strict=True)]
    projects = audit(blocks, projects, gazetteer)
    projects = assign_ids(projects)
    diagnostics = sorted(
        [d for p in projects for d in p.diagnostics] + problems + read_problems, key=lambda d: (d.line, d.code)
    )
    return Release(info, tuple(projects), tuple(diagnostics), tuple(unassigned))
