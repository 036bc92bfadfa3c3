"""Release -> YAML text and CSV tables. Pure functions: text in, text out; the CLI writes files."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

import yaml

from hankkeet import __version__, yamlfast
from hankkeet.diagnostics import Diagnostic
from hankkeet.model import Contact, Lead, Partner, Place, Project, Release


class _Code(str):
    """A municipality code: always double-quoted, so ``091`` is never read back as the number 91."""


class _PyDumper(yaml.SafeDumper):
    """Pure-Python safe dumper with quoted codes and literal blocks for multi-line text."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_code(dumper: yaml.SafeDumper, value: _Code) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


_DUMPERS: list[type[Any]] = [_PyDumper]
if getattr(yaml, "__with_libyaml__", False):  # libyaml's emitter is several times faster, same bytes

    class _CDumper(yaml.CSafeDumper):
        """The same dumper on libyaml's C emitter."""

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


def contact_record(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "email": contact.email,
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
        "language": project.language,
        "lead": lead_record(project.lead),
        "partners": [partner_record(p) for p in project.partners],
        "contacts": [contact_record(c) for c in project.contacts],
        "description": project.description,
        "source": {"file": file, "line_start": project.line_start, "line_end": project.line_end},
        "warnings": [warning_record(d) for d in project.diagnostics],
    }


def release_record(release: Release) -> dict[str, Any]:
    """The whole release as plain data, in the order of the output contract."""
    file = release.source.file
    return {
        "generator": {"name": "hankkeet", "version": __version__},
        "source": {"file": file, "sha256": release.source.sha256, "lines": release.source.lines},
        "projects": [project_record(p, file) for p in release.projects],
        "warnings": [warning_record(d) for d in release.diagnostics],
        "unassigned_lines": [{"line": line.number, "text": line.text} for line in release.unassigned_lines],
    }


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
    for item in record["partners"] + record["contacts"]:
        del item["line"]
    record["warnings"] = sorted({d.code for d in project.diagnostics})
    return record


def dataset_files(release: Release) -> dict[str, str]:
    """The released dataset: ``<id>.yaml`` per project and ``index.csv`` (id, title, lead, lead_code, ended)."""
    files = {f"{p.id}.yaml": _dump(dataset_record(p)) for p in release.projects}
    rows: list[dict[str, object]] = [
        {"id": p.id, "title": p.title, "lead": (p.lead.name or p.lead.organisation) if p.lead else None,
         "lead_code": p.lead.code if p.lead else None, "ended": p.ended}
        for p in sorted(release.projects, key=lambda p: p.id)
    ]
    files["index.csv"] = _table(INDEX_COLUMNS, rows)
    return files


def to_yaml(release: Release, pure: bool = False) -> str:
    """YAML with unicode kept, no line wrapping, keys in contract order."""
    return _dump(release_record(release), pure)


PROJECT_COLUMNS = ("id", "number", "title", "ended", "language", "lead_name", "lead_code", "lead_region",
                   "lead_organisation", "lead_found_by", "partners", "contacts", "line_start", "line_end",
                   "description")
INDEX_COLUMNS = ("id", "title", "lead", "lead_code", "ended")
PLACE_COLUMNS = ("name", "name_sv", "code", "region", "kind", "method", "score")
PARTNER_COLUMNS = ("project_id", "position", "raw", *PLACE_COLUMNS, "line")
CONTACT_COLUMNS = ("project_id", "position", "name", "email", "organisation",
                   *(f"municipality_{c}" for c in PLACE_COLUMNS), "line")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


#: Cells starting with these are read as formulas by spreadsheets (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a formula-like cell with ``'`` so a spreadsheet shows it as text."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _table(columns: tuple[str, ...], rows: list[dict[str, object]] | list[list[str]], excel: bool = False) -> str:
    """RFC 4180 CSV; for Excel: BOM, ``;`` separator (Finnish Excel) and neutralised formula-like cells.

    Rows are dicts keyed by column, or lists of cells already in column order.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", delimiter=";" if excel else ",")
    writer.writerow(columns)
    for row in rows:
        cells = [_cell(row.get(c)) for c in columns] if isinstance(row, dict) else row
        writer.writerow([neutralise(c) for c in cells] if excel else cells)
    return ("\ufeff" if excel else "") + buffer.getvalue()


def _place_cells(place: Place | None, memo: dict[int, list[str]]) -> list[str]:
    """The PLACE_COLUMNS cells of a place (empty for none); the gazetteer shares Place objects, so memoised."""
    if place is None:
        return [""] * len(PLACE_COLUMNS)
    cells = memo.get(id(place))
    if cells is None:
        values = (place.name, place.name_sv, place.code, place.region, place.kind, place.method, place.score)
        cells = memo[id(place)] = [_cell(v) for v in values]
    return cells


def to_csv(release: Release, excel: bool = False) -> dict[str, str]:
    """The three tables, keyed by file name: one row per project, partner and contact, joined by id."""
    projects: list[list[str]] = []
    partners: list[list[str]] = []
    contacts: list[list[str]] = []
    memo: dict[int, list[str]] = {}
    for p in release.projects:
        lead = p.lead
        lead_cells = ([lead.name, lead.code, lead.region, lead.organisation, lead.source] if lead is not None
                      else [None] * 5)
        projects.append([_cell(v) for v in (p.id, p.number, p.title, p.ended, p.language, *lead_cells,
                                             len(p.partners), len(p.contacts), p.line_start, p.line_end,
                                             p.description)])
        for position, partner in enumerate(p.partners, start=1):
            partners.append([p.id, str(position), partner.place.raw, *_place_cells(partner.place, memo),
                             str(partner.line)])
        for position, contact in enumerate(p.contacts, start=1):
            contacts.append([p.id, str(position), _cell(contact.name), _cell(contact.email),
                             _cell(contact.organisation), *_place_cells(contact.place, memo), str(contact.line)])
    return {
        "projects.csv": _table(PROJECT_COLUMNS, projects, excel),
        "partners.csv": _table(PARTNER_COLUMNS, partners, excel),
        "contacts.csv": _table(CONTACT_COLUMNS, contacts, excel),
    }


NORMALIZE_KEYS = ("input", "code", "name", "name_sv", "region", "kind", "method", "score", "runner_up",
                  "margin", "note")


def normalize_record(place: Place) -> dict[str, Any]:
    """One resolved name for ``hankkeet normalize --format json`` (a contract for scripts)."""
    values = (place.raw, place.code, place.name, place.name_sv, place.region, place.kind, place.method,
              place.score, place.runner_up, place.margin, place.note)
    return dict(zip(NORMALIZE_KEYS, values, strict=True))


def render_json(places: list[Place]) -> str:
    return json.dumps([normalize_record(p) for p in places], ensure_ascii=False, indent=2)


def render_table(places: list[Place]) -> str:
    """An aligned table: input, code, name, kind, method, score, and the runner-up or note."""
    header = ("INPUT", "CODE", "NAME", "KIND", "METHOD", "SCORE", "WHY")
    rows = [header]
    for p in places:
        why = p.note or ""
        if p.runner_up is not None:
            why = f"runner-up {p.runner_up}, margin {p.margin}" + (f"; {why}" if why else "")
        rows.append((p.raw, p.code or "-", p.name or "-", p.kind, p.method, f"{p.score:.1f}", why))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in rows) + "\n"


CODE_PATTERN = "^[0-9]{3}$"
_KINDS = ["municipality", "former-municipality", "organisation", "unknown"]
_METHODS = ["override", "exact", "swedish", "inflected", "former", "fuzzy", "organisation", "none"]
_BOOL = {"trueValues": ["true"], "falseValues": ["false"]}


def _field(name: str, type_: str = "string", required: bool = False, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_}
    if type_ == "boolean":
        field.update(_BOOL)
    if required or constraints:
        field["constraints"] = {**({"required": True} if required else {}), **constraints}
    return field


def _place_fields(prefix: str = "") -> list[dict[str, Any]]:
    return [
        _field(f"{prefix}name"), _field(f"{prefix}name_sv"), _field(f"{prefix}code", pattern=CODE_PATTERN),
        _field(f"{prefix}region"), _field(f"{prefix}kind", enum=_KINDS), _field(f"{prefix}method", enum=_METHODS),
        _field(f"{prefix}score", "number", minimum=0, maximum=100),
    ]


def _resource(name: str, fields: list[dict[str, Any]], primary_key: list[str], excel: bool,
              foreign: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": fields, "primaryKey": primary_key}
    if foreign:
        schema["foreignKeys"] = [{"fields": "project_id", "reference": {"resource": "projects", "fields": "id"}}]
    return {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig" if excel else "utf-8",
            "dialect": {"delimiter": ";" if excel else ",", "lineTerminator": "\r\n", "quoteChar": '"',
                        "header": True},
            "schema": schema}


def datapackage(excel: bool = False) -> str:
    """A Data Package descriptor for the three CSV tables: types, required fields, keys."""
    projects = [
        _field("id", required=True, unique=True), _field("number", "integer"), _field("title"),
        _field("ended", "boolean", required=True), _field("language", required=True, enum=["fi", "sv"]),
        _field("lead_name"), _field("lead_code", pattern=CODE_PATTERN), _field("lead_region"), _field("lead_organisation"),
        _field("lead_found_by", enum=["contact", "numbering", "mention"]),
        _field("partners", "integer", required=True, minimum=0), _field("contacts", "integer", required=True, minimum=0),
        _field("line_start", "integer", required=True, minimum=1), _field("line_end", "integer", required=True, minimum=1),
        _field("description"),
    ]
    keys = [_field("project_id", required=True), _field("position", "integer", required=True, minimum=1)]
    partners = [*keys, _field("raw", required=True), *_place_fields(), _field("line", "integer", required=True)]
    contacts = [*keys, _field("name"), _field("email"), _field("organisation"), *_place_fields("municipality_"),
                _field("line", "integer", required=True)]
    package = {
        "name": "hankkeet",
        "title": "Kuntien digitalisaation kannustinjärjestelmän hankkeet",
        "description": "Projects of the Finnish municipal digitalisation incentive scheme, extracted by hankkeet "
                       f"{__version__}. Municipality codes: Statistics Finland, municipalities in force on 2025-01-01.",
        "profile": "tabular-data-package",
        "resources": [
            _resource("projects", projects, ["id"], excel, foreign=False),
            _resource("partners", partners, ["project_id", "position"], excel),
            _resource("contacts", contacts, ["project_id", "position"], excel),
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
