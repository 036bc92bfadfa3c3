"""Hand-read expectations (tests/examples/expected_projects.yaml) against the extraction of the seed listing."""
from __future__ import annotations

import dataclasses
import pprint
from pathlib import Path
from typing import Any

import pytest
import yaml

from hankkeet.model import Contact, Project, Release

EXPECTED_FILE = Path(__file__).resolve().parent / "examples" / "expected_projects.yaml"
EXPECTED: list[dict[str, Any]] = yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8"))


def contact_fields(contact: Contact) -> dict[str, str | None]:
    place = contact.place.code if contact.place is not None and contact.place.code else contact.organisation
    return {"name": contact.name, "place": place, "email": contact.email}


def observed(project: Project) -> dict[str, Any]:
    lead = project.lead
    return {
        "title": project.title,
        "number": project.number,
        "ended": project.ended,
        "lead": None if lead is None else lead.code or lead.organisation,
        "partners": [p.place.code or p.place.raw for p in project.partners],
        "contacts": [contact_fields(c) for c in project.contacts],
    }


def expected(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": entry["title"],
        "number": entry["number"],
        "ended": entry["ended"],
        "lead": entry["lead"],
        "partners": entry["partners"],
        "contacts": [{"name": c.get("name"), "place": c.get("place"), "email": c.get("email")}
                     for c in entry["contacts"]],
    }


def test_expectations_are_unique_and_numerous() -> None:
    lines = [entry["title_line"] for entry in EXPECTED]
    assert len(lines) == len(set(lines)) and len(lines) >= 34


@pytest.mark.parametrize("entry", EXPECTED, ids=[str(entry["title_line"]) for entry in EXPECTED])
def test_project_matches_hand_reading(release: Release, entry: dict[str, Any]) -> None:
    line = entry["title_line"]
    found = [p for p in release.projects if p.line_start <= line <= p.line_end]
    assert len(found) == 1, f"line {line} lies in {len(found)} projects: {[(p.line_start, p.line_end) for p in found]}"
    project = found[0]
    record = pprint.pformat(dataclasses.asdict(project), width=120, sort_dicts=False)
    assert observed(project) == expected(entry), f"{entry['note']}\nextracted record:\n{record}"
