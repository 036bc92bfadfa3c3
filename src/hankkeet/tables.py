"""Release -> CSV tables (RFC 4180, or Excel-friendly) and their Data Package descriptor."""
from __future__ import annotations

import csv
import io
import json
from functools import partial
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from hankkeet import __version__
from hankkeet.model import Place, Release

PROJECT_COLUMNS = ("id", "number", "title", "ended", "ended_on", "language", "lead_name", "lead_code",
                   "lead_region", "lead_organisation", "lead_found_by", "partners", "contacts", "line_start",
                   "line_end", "description")
INDEX_COLUMNS = ("id", "title", "lead", "lead_code", "ended")
PLACE_COLUMNS = ("name", "name_sv", "code", "region", "kind", "method", "score")
PARTNER_COLUMNS = ("project_id", "position", "raw", *PLACE_COLUMNS, "line")
CONTACT_COLUMNS = ("project_id", "position", "name", "role", "email", "phone", "organisation",
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


def write_table(columns: tuple[str, ...], rows: Iterable[list[str]], handle: TextIO, excel: bool = False) -> None:
    """RFC 4180 CSV, row by row; for Excel: BOM, ``;`` separator and neutralised formula-like cells."""
    if excel:
        handle.write("\ufeff")
    writer = csv.writer(handle, lineterminator="\r\n", delimiter=";" if excel else ",")
    writer.writerow(columns)
    for cells in rows:
        writer.writerow([neutralise(c) for c in cells] if excel else cells)


def as_text(write: Callable[[TextIO], None]) -> str:
    """What a writer of one output file writes, as a string (newlines untranslated, as in the files)."""
    buffer = io.StringIO(newline="")
    write(buffer)
    return buffer.getvalue()


def table_text(columns: tuple[str, ...], rows: list[dict[str, object]], excel: bool = False) -> str:
    """A small table from dict rows, as text."""
    cells = ([_cell(row.get(c)) for c in columns] for row in rows)
    return as_text(partial(write_table, columns, cells, excel=excel))


def _place_cells(place: Place | None, memo: dict[int, list[str]]) -> list[str]:
    """The PLACE_COLUMNS cells of a place (empty for none); the gazetteer shares Place objects, so memoised."""
    if place is None:
        return [""] * len(PLACE_COLUMNS)
    cells = memo.get(id(place))
    if cells is None:
        values = (place.name, place.name_sv, place.code, place.region, place.kind, place.method, place.score)
        cells = memo[id(place)] = [_cell(v) for v in values]
    return cells


def _project_rows(release: Release) -> Iterator[list[str]]:
    for p in release.projects:
        lead = p.lead
        lead_cells = ([lead.name, lead.code, lead.region, lead.organisation, lead.source] if lead is not None
                      else [None] * 5)
        yield [_cell(v) for v in (p.id, p.number, p.title, p.ended, p.ended_on, p.language, *lead_cells,
                                  len(p.partners), len(p.contacts), p.line_start, p.line_end, p.description)]


def _partner_rows(release: Release) -> Iterator[list[str]]:
    memo: dict[int, list[str]] = {}
    for p in release.projects:
        for position, partner in enumerate(p.partners, start=1):
            yield [p.id, str(position), partner.place.raw, *_place_cells(partner.place, memo), str(partner.line)]


def _contact_rows(release: Release) -> Iterator[list[str]]:
    memo: dict[int, list[str]] = {}
    for p in release.projects:
        for position, contact in enumerate(p.contacts, start=1):
            yield [p.id, str(position), _cell(contact.name), _cell(contact.role), _cell(contact.email),
                   _cell(contact.phone), _cell(contact.organisation),
                   *_place_cells(contact.place, memo), str(contact.line)]


#: The three tables: file name -> (columns, rows of a release).
TABLES = {
    "projects.csv": (PROJECT_COLUMNS, _project_rows),
    "partners.csv": (PARTNER_COLUMNS, _partner_rows),
    "contacts.csv": (CONTACT_COLUMNS, _contact_rows),
}


def to_csv(release: Release, excel: bool = False) -> dict[str, str]:
    """The three tables as text, keyed by file name: one row per project, partner and contact, joined by id."""
    return {name: as_text(partial(write_table, columns, rows(release), excel=excel))
            for name, (columns, rows) in TABLES.items()}


CODE_PATTERN = "^[0-9]{3}$"
_KINDS = ["municipality", "former-municipality", "organisation", "unknown"]
_METHODS = ["override", "exact", "swedish", "inflected", "former", "fuzzy", "organisation", "email-domain", "none"]
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
        _field("ended", "boolean", required=True), _field("ended_on", "date"),
        _field("language", required=True, enum=["fi", "sv"]),
        _field("lead_name"), _field("lead_code", pattern=CODE_PATTERN), _field("lead_region"),
        _field("lead_organisation"), _field("lead_found_by", enum=["contact", "numbering", "mention"]),
        _field("partners", "integer", required=True, minimum=0),
        _field("contacts", "integer", required=True, minimum=0),
        _field("line_start", "integer", required=True, minimum=1),
        _field("line_end", "integer", required=True, minimum=1),
        _field("description"),
    ]
    keys = [_field("project_id", required=True), _field("position", "integer", required=True, minimum=1)]
    partners = [*keys, _field("raw", required=True), *_place_fields(), _field("line", "integer", required=True)]
    contacts = [*keys, _field("name"), _field("role"), _field("email"), _field("phone"), _field("organisation"),
                *_place_fields("municipality_"),
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
