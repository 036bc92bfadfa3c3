"""Release -> hankkeet.yaml and the dataset files; the records behind them; normalize's renderings."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

import yaml

from hankkeet import __version__, yamlfast
from hankkeet.diagnostics import Diagnostic
from hankkeet.model import Contact, Lead, Mention, Partner, Place, Project, Release
from hankkeet.printable import printable, printable_json
from hankkeet.tables import INDEX_COLUMNS, as_text, table_text


class _Code(str):
    """A municipality code: always double-quoted, so ``091`` is never read back as the number 91."""


class _PyDumper(yaml.SafeDumper):
    """Pure-Python safe dumper with quoted codes and literal blocks for multi-line text."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value shared by two records is written twice: readers refuse anchors and aliases


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_code(dumper: yaml.SafeDumper, value: _Code) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


_DUMPERS: list[type[Any]] = [_PyDumper]
if getattr(yaml, "__with_libyaml__", False):  # libyaml's emitter is several times faster, same bytes

    class _CDumper(yaml.CSafeDumper):
        """The same dumper on libyaml's C emitter."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    _DUMPERS.insert(0, _CDumper)
for _dumper in _DUMPERS:
    _dumper.add_representer(str, _represent_str)
    _dumper.add_representer(_Code, _represent_code)
#: Unlimited line width for both emitters (float("inf") works only for the pure-Python one).
_WIDTH = 2**31 - 1


def _code(code: str | None) -> _Code | None:
    return _Code(code) if code is not None else None


def place_record(place: Place) -> dict[str, Any]:
    """How a place resolved: the fields shared by partners and contact municipalities."""
    record: dict[str, Any] = {
        "name": place.name,
        "name_sv": place.name_sv,
        "code": _code(place.code),
        "region": place.region,
        "kind": place.kind,
        "method": place.method,
        "score": place.score,
    }
    if place.runner_up is not None or place.method == "fuzzy":
        record["runner_up"] = place.runner_up
        record["margin"] = place.margin
    if place.named_code is not None:
        record["named_municipality"] = _code(place.named_code)
    if place.note is not None:
        record["note"] = place.note
    return record


def partner_record(partner: Partner) -> dict[str, Any]:
    return {"raw": partner.place.raw, **place_record(partner.place), "line": partner.line}


def mention_record(mention: Mention) -> dict[str, Any]:
    """A municipality named in the description: the word as written, the municipality, how it was read, the line."""
    place = mention.place
    return {"raw": place.raw, "name": place.name, "code": _code(place.code), "method": place.method,
            "line": mention.line}


def contact_record(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
        "organisation": contact.organisation,
        "municipality": place_record(contact.place) if contact.place is not None else None,
        "line": contact.line,
    }


def lead_record(lead: Lead | None) -> dict[str, Any] | None:
    if lead is None:
        return None
    return {
        "name": lead.name,
        "code": _code(lead.code),
        "region": lead.region,
        "organisation": lead.organisation,
        "found_by": lead.source,
    }


def warning_record(diagnostic: Diagnostic) -> dict[str, Any]:
    return {"line": diagnostic.line, "code": diagnostic.code, "message": diagnostic.message}


def project_record(project: Project, file: str) -> dict[str, Any]:
    return {
        "id": project.id,
        "number": project.number,
        "title": project.title,
        "ended": project.ended,
        "ended_on": project.ended_on,
        "language": project.language,
        "lead": lead_record(project.lead),
        "partners": [partner_record(p) for p in project.partners],
        "contacts": [contact_record(c) for c in project.contacts],
        "mentions": [mention_record(m) for m in project.mentions],
        "description": project.description,
        "source": {"file": file, "line_start": project.line_start, "line_end": project.line_end},
        "warnings": [warning_record(d) for d in project.diagnostics],
    }


def _head(release: Release) -> dict[str, Any]:
    """The keys of hankkeet.yaml before the projects."""
    source = release.source
    return {"generator": {"name": "hankkeet", "version": __version__},
            "source": {"file": source.file, "sha256": source.sha256, "lines": source.lines}}


def _tail(release: Release) -> dict[str, Any]:
    """The keys of hankkeet.yaml after the projects."""
    return {"warnings": [warning_record(d) for d in release.diagnostics],
            "unassigned_lines": [{"line": line.number, "text": line.text} for line in release.unassigned_lines]}


def release_record(release: Release) -> dict[str, Any]:
    """The whole release as plain data, in the order of the output contract."""
    projects = [project_record(p, release.source.file) for p in release.projects]
    return {**_head(release), "projects": projects, **_tail(release)}


def _dump(data: dict[str, Any], pure: bool = False) -> str:
    """YAML text: the fast writer, else libyaml's emitter, else PyYAML's own; all write the same bytes.

    ``pure`` forces PyYAML's pure-Python emitter (the reference the others are tested against).
    """
    if not pure:
        fast = yamlfast.dump(data, _Code)
        if fast is not None:
            return fast
    dumper = _DUMPERS[-1] if pure else _DUMPERS[0]
    return yaml.dump(  # noqa: S506 - both dumpers are safe dumpers
        data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=_WIDTH, default_flow_style=False,
    )


def dataset_record(project: Project) -> dict[str, Any]:
    """One project for the released dataset: like hankkeet.yaml but without line numbers.

    Line numbers move whenever a project is added above, so the dataset leaves them out: a change to one
    project then changes one file. hankkeet.yaml keeps them for provenance.
    """
    record = project_record(project, "")
    del record["source"]
    for item in record["partners"] + record["contacts"] + record["mentions"]:
        del item["line"]
    record["warnings"] = sorted({d.code for d in project.diagnostics})
    return record


def dataset_files(release: Release) -> dict[str, str]:
    """The released dataset: ``<id>.yaml`` per project and ``index.csv`` (id, title, lead, lead_code, ended)."""
    files = {f"{p.id}.yaml": _dump(dataset_record(p)) for p in release.projects}
    rows: list[dict[str, object]] = [
        {"id": p.id, "title": p.title, "lead": p.lead.owner if p.lead else None,
         "lead_code": p.lead.code if p.lead else None, "ended": p.ended}
        for p in sorted(release.projects, key=lambda p: p.id)
    ]
    files["index.csv"] = table_text(INDEX_COLUMNS, rows)
    return files


def yaml_chunks(release: Release) -> Iterator[str]:
    """hankkeet.yaml piece by piece (one per project) from the fast writer; raises yamlfast.Unsupported."""
    yield yamlfast.emit_mapping(_head(release), _Code)
    if release.projects:
        yield "projects:\n"
        for project in release.projects:
            yield yamlfast.emit_items([project_record(project, release.source.file)], _Code)
    else:
        yield "projects: []\n"
    yield yamlfast.emit_mapping(_tail(release), _Code)


def write_yaml(release: Release, handle: TextIO) -> None:
    """Write hankkeet.yaml to a seekable text file without holding the whole text in memory."""
    try:
        for chunk in yaml_chunks(release):
            handle.write(chunk)
    except yamlfast.Unsupported:
        handle.seek(0)
        handle.truncate()
        handle.write(_dump(release_record(release)))


def to_yaml(release: Release, pure: bool = False) -> str:
    """YAML with unicode kept, no line wrapping, keys in contract order."""
    if pure:
        return _dump(release_record(release), pure=True)
    return as_text(lambda handle: write_yaml(release, handle))


NORMALIZE_KEYS = ("input", "code", "name", "name_sv", "region", "kind", "method", "score", "runner_up",
                  "margin", "note")


def normalize_record(given: str, place: Place | None) -> dict[str, Any]:
    """One name for ``hankkeet normalize --format json`` (a contract for scripts); a blank one has only input."""
    if place is None:
        return {**dict.fromkeys(NORMALIZE_KEYS), "input": given}
    values = (given, place.code, place.name, place.name_sv, place.region, place.kind, place.method,
              place.score, place.runner_up, place.margin, place.note)
    return dict(zip(NORMALIZE_KEYS, values, strict=True))


def render_json(given: list[str], places: list[Place | None]) -> str:
    """The names as given and how each resolved, as JSON safe to print."""
    records = [normalize_record(g, p) for g, p in zip(given, places, strict=True)]
    return printable_json(json.dumps(records, ensure_ascii=False, indent=2))


def _table_row(given: str, p: Place | None) -> tuple[str, ...]:
    """One row of the normalize table; empty cells for a blank name."""
    if p is None:
        return (given, "", "", "", "", "", "")
    why = p.note or ""
    if p.runner_up is not None:
        why = f"runner-up {p.runner_up}, margin {p.margin}" + (f"; {why}" if why else "")
    return (given, p.code or "-", p.name or "-", p.kind, p.method, f"{p.score:.1f}", why)


def render_table(given: list[str], places: list[Place | None]) -> str:
    """An aligned table, one row per name: input, code, name, kind, method, score, and the runner-up or note."""
    header = ("INPUT", "CODE", "NAME", "KIND", "METHOD", "SCORE", "WHY")
    rows = [header] + [tuple(printable(cell) for cell in _table_row(g, p))
                       for g, p in zip(given, places, strict=True)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in rows) + "\n"
