"""Release -> CSV tables (RFC 4180, or Excel-friendly); their schemas are in schema.py."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING, TextIO

from hankkeet.model import Place, Release
from hankkeet.participants import Participant, participants, used_codes

if TYPE_CHECKING:  # municipalities.py imports rapidfuzz and regex; only its types are needed here
    from hankkeet.municipalities import Municipality

#: The municipality reference: code -> Municipality (``Gazetteer.municipalities``).
Reference = Mapping[str, "Municipality"]

PROJECT_COLUMNS = ("id", "number", "title", "ended", "ended_on", "language", "lead_name", "lead_code",
                   "lead_region", "lead_organisation", "lead_found_by", "partners", "contacts", "line_start",
                   "line_end", "description")
INDEX_COLUMNS = ("id", "title", "lead", "lead_code", "ended")
PLACE_COLUMNS = ("name", "name_sv", "code", "region", "kind", "method", "score")
PARTNER_COLUMNS = ("project_id", "position", "raw", *PLACE_COLUMNS, "line")
CONTACT_COLUMNS = ("project_id", "position", "name", "role", "email", "phone", "organisation",
                   *(f"municipality_{c}" for c in PLACE_COLUMNS), "line")
PARTICIPANT_COLUMNS = ("project_id", "position", "role", "code", "name", "name_sv", "region", "kind", "method",
                       "raw", "line", "member_of")
MUNICIPALITY_COLUMNS = ("code", "name_fi", "name_sv", "region_code", "region_name")


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


@dataclass
class Source:
    """What the tables are made from: a release and the municipality reference (the gazetteer's), with the
    participants, which two tables use (the CSV and the database), made once."""

    release: Release
    reference: Reference

    @cached_property
    def participants(self) -> list[Participant]:
        return participants(self.release, self.reference)


def _place_cells(place: Place | None, memo: dict[int, list[str]]) -> list[str]:
    """The PLACE_COLUMNS cells of a place (empty for none); the gazetteer shares Place objects, so memoised."""
    if place is None:
        return [""] * len(PLACE_COLUMNS)
    cells = memo.get(id(place))
    if cells is None:
        values = (place.name, place.name_sv, place.code, place.region, place.kind, place.method, place.score)
        cells = memo[id(place)] = [_cell(v) for v in values]
    return cells


def _project_rows(source: Source) -> Iterator[list[str]]:
    for p in source.release.projects:
        lead = p.lead
        lead_cells = ([lead.name, lead.code, lead.region, lead.organisation, lead.source] if lead is not None
                      else [None] * 5)
        yield [_cell(v) for v in (p.id, p.number, p.title, p.ended, p.ended_on, p.language, *lead_cells,
                                  len(p.partners), len(p.contacts), p.line_start, p.line_end, p.description)]


def _partner_rows(source: Source) -> Iterator[list[str]]:
    memo: dict[int, list[str]] = {}
    for p in source.release.projects:
        for position, partner in enumerate(p.partners, start=1):
            yield [p.id, str(position), partner.place.raw, *_place_cells(partner.place, memo), str(partner.line)]


def _contact_rows(source: Source) -> Iterator[list[str]]:
    memo: dict[int, list[str]] = {}
    for p in source.release.projects:
        for position, contact in enumerate(p.contacts, start=1):
            yield [p.id, str(position), _cell(contact.name), _cell(contact.role), _cell(contact.email),
                   _cell(contact.phone), _cell(contact.organisation),
                   *_place_cells(contact.place, memo), str(contact.line)]


def _participant_rows(source: Source) -> Iterator[list[str]]:
    project, position = "", 0
    for row in source.participants:
        position = position + 1 if row.project_id == project else 1
        project = row.project_id
        yield [_cell(v) for v in (row.project_id, position, row.role, row.code, row.name, row.name_sv, row.region,
                                  row.kind, row.method, row.raw, row.line, row.member_of)]


def _municipality_rows(source: Source) -> Iterator[list[str]]:
    for code in used_codes(source.release):
        m = source.reference[code]
        yield [m.code, m.name_fi, m.name_sv, m.region_code, m.region_fi]


Rows = Callable[[Source], Iterator[list[str]]]

#: The tables: file name -> (columns, rows made from a release and the municipality reference).
TABLES: dict[str, tuple[tuple[str, ...], Rows]] = {
    "projects.csv": (PROJECT_COLUMNS, _project_rows),
    "partners.csv": (PARTNER_COLUMNS, _partner_rows),
    "contacts.csv": (CONTACT_COLUMNS, _contact_rows),
    "participants.csv": (PARTICIPANT_COLUMNS, _participant_rows),
    "municipalities.csv": (MUNICIPALITY_COLUMNS, _municipality_rows),
}


def shipped_reference() -> Reference:
    """The municipality reference shipped with the package (what ``Gazetteer.load`` uses)."""
    from hankkeet.municipalities import load_municipalities

    return {m.code: m for m in load_municipalities()}


def to_csv(release: Release, excel: bool = False, reference: Reference | None = None) -> dict[str, str]:
    """The tables as text, keyed by file name, joined by project id and municipality code.

    ``reference`` is the gazetteer's municipalities; without it, the shipped list.
    """
    source = Source(release, shipped_reference() if reference is None else reference)
    return {name: as_text(partial(write_table, columns, rows(source), excel=excel))
            for name, (columns, rows) in TABLES.items()}
