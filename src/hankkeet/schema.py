"""The Table Schema of every CSV table (types, keys, references), as a Data Package descriptor."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hankkeet import __version__

CODE_PATTERN = "^[0-9]{3}$"
_KINDS = ["municipality", "former-municipality", "organisation", "wellbeing-county", "unknown"]
_METHODS = ["override", "exact", "ascii", "bilingual", "swedish", "inflected", "former", "fuzzy", "organisation",
            "email-domain", "none"]
_FOUND_BY = ["contact", "numbering", "mention"]
_BOOL = {"trueValues": ["true"], "falseValues": ["false"]}


@dataclass(frozen=True)
class Table:
    """One table's schema: Table Schema fields, primary key, and (field, table, field) references."""

    name: str
    fields: tuple[dict[str, Any], ...]
    primary_key: tuple[str, ...]
    references: tuple[tuple[str, str, str], ...] = ()


def _field(name: str, type_: str = "string", required: bool = False, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_}
    if type_ == "boolean":
        field.update(_BOOL)
    if required or constraints:
        field["constraints"] = {**({"required": True} if required else {}), **constraints}
    return field


def _place_fields(prefix: str = "", methods: list[str] = _METHODS) -> list[dict[str, Any]]:
    return [
        _field(f"{prefix}name"), _field(f"{prefix}name_sv"), _field(f"{prefix}code", pattern=CODE_PATTERN),
        _field(f"{prefix}region"), _field(f"{prefix}kind", enum=_KINDS), _field(f"{prefix}method", enum=methods),
        _field(f"{prefix}score", "number", minimum=0, maximum=100),
    ]


_PROJECT = ("project_id", "projects", "id")
_KEYS = [_field("project_id", required=True), _field("position", "integer", required=True, minimum=1)]


def _projects() -> Table:
    fields = [
        _field("id", required=True, unique=True), _field("number", "integer"), _field("title"),
        _field("ended", "boolean", required=True), _field("ended_on", "date"),
        _field("language", required=True, enum=["fi", "sv"]),
        _field("lead_name"), _field("lead_code", pattern=CODE_PATTERN), _field("lead_region"),
        _field("lead_organisation"), _field("lead_found_by", enum=_FOUND_BY),
        _field("partners", "integer", required=True, minimum=0),
        _field("contacts", "integer", required=True, minimum=0),
        _field("line_start", "integer", required=True, minimum=1),
        _field("line_end", "integer", required=True, minimum=1),
        _field("description"),
    ]
    return Table("projects", tuple(fields), ("id",), (("lead_code", "municipalities", "code"),))


def _participants() -> Table:
    fields = [*_KEYS, _field("role", required=True, enum=["lead", "partner", "member", "contact", "mentioned"]),
              _field("code", pattern=CODE_PATTERN), _field("name"), _field("name_sv"), _field("region"),
              _field("kind", required=True, enum=_KINDS), _field("method", enum=_METHODS + _FOUND_BY[1:]),
              _field("raw"), _field("line", "integer", minimum=1), _field("member_of")]
    return Table("participants", tuple(fields), ("project_id", "position"),
                 (_PROJECT, ("code", "municipalities", "code")))


def tables() -> tuple[Table, ...]:
    """The schemas of the CSV tables, in the order of their files."""
    partners = [*_KEYS, _field("raw", required=True), *_place_fields(), _field("line", "integer", required=True)]
    contacts = [*_KEYS, _field("name"), _field("role"), _field("email"), _field("phone"), _field("organisation"),
                *_place_fields("municipality_"), _field("line", "integer", required=True)]
    municipalities = [_field("code", required=True, unique=True, pattern=CODE_PATTERN),
                      _field("name_fi", required=True), _field("name_sv", required=True),
                      _field("region_code", required=True, pattern="^[0-9]{2}$"), _field("region_name", required=True)]
    return (
        _projects(),
        Table("partners", tuple(partners), ("project_id", "position"), (_PROJECT, ("code", "municipalities", "code"))),
        Table("contacts", tuple(contacts), ("project_id", "position"),
              (_PROJECT, ("municipality_code", "municipalities", "code"))),
        _participants(),
        Table("municipalities", tuple(municipalities), ("code",)),
    )


def _resource(table: Table, excel: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": list(table.fields), "primaryKey": list(table.primary_key)}
    if table.references:
        schema["foreignKeys"] = [{"fields": field, "reference": {"resource": resource, "fields": target}}
                                 for field, resource, target in table.references]
    return {"name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig" if excel else "utf-8",
            "dialect": {"delimiter": ";" if excel else ",", "lineTerminator": "\r\n", "quoteChar": '"',
                        "header": True},
            "schema": schema}


def datapackage(excel: bool = False) -> str:
    """A Data Package descriptor for the CSV tables: types, required fields, keys and references."""
    package = {
        "name": "hankkeet",
        "title": "Kuntien digitalisaation kannustinjärjestelmän hankkeet",
        "description": "Projects of the Finnish municipal digitalisation incentive scheme, extracted by hankkeet "
                       f"{__version__}. Municipality codes: Statistics Finland, municipalities in force on 2025-01-01.",
        "profile": "tabular-data-package",
        "resources": [_resource(table, excel) for table in tables()],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
