"""extract(bytes) -> Release: reads like the list of its stages."""
from __future__ import annotations

from hankkeet.blocks import segment
from hankkeet.fields import build_project
from hankkeet.ids import assign_ids
from hankkeet.leads import infer_leads
from hankkeet.lines import classify
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.source import read


def extract(data: bytes | str, gazetteer: Gazetteer | None = None, file: str = "-") -> Release:
    """Run the whole pipeline on one listing."""
    gazetteer = gazetteer or Gazetteer.load()
    lines, info = read(data, file)
    tokens = classify(lines)
    blocks, unassigned, problems = segment(tokens)
    projects = [build_project(block, gazetteer) for block in blocks]
    projects = infer_leads(projects, gazetteer)
    projects = assign_ids(projects)
    diagnostics = sorted(
        [d for p in projects for d in p.diagnostics] + problems, key=lambda d: (d.line, d.code)
    )
    return Release(info, tuple(projects), tuple(diagnostics), tuple(unassigned))
