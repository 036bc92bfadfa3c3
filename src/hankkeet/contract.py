"""The output contract as data: the type of every known field of a project record, and a check against it.

Records read back (``diff`` of a hankkeet.yaml or a dataset folder) are checked before use, so a crafted or
hand-broken file is one clear message instead of a wrong answer or a traceback. Missing optional fields are
fine (older releases lack newer ones such as ``ended_on``, ``role``, ``phone``); unknown keys are allowed for
forward compatibility, but every value must be plain data: strings, numbers, true/false, null, lists and mappings
with string keys.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hankkeet.yamlsafe import QUOTE_LIMIT, YamlInputError, escape, quote


@dataclass(frozen=True)
class Shape:
    """What one field may hold: a test and its description, known fields (of a mapping) or items (of a list)."""

    expect: str
    test: Callable[[Any], bool]
    nullable: bool = False
    fields: Mapping[str, Shape] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    items: Shape | None = None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _mapping(fields: Mapping[str, Shape], required: tuple[str, ...] = (), nullable: bool = False) -> Shape:
    return Shape("a mapping", lambda v: isinstance(v, dict), nullable, fields, required)


def _list(items: Shape | None = None) -> Shape:
    return Shape("a list", lambda v: isinstance(v, list), items=items)


TEXT = Shape("a string", lambda v: isinstance(v, str), nullable=True)
NUMBER = Shape("a number", _is_number, nullable=True)
LINE = Shape("an integer", _is_int)
ID = Shape("a non-empty string", lambda v: isinstance(v, str) and v != "")
BOOLEAN = Shape("true or false", lambda v: isinstance(v, bool))

PLACE_FIELDS: dict[str, Shape] = {
    "name": TEXT, "name_sv": TEXT, "code": TEXT, "region": TEXT, "kind": TEXT, "method": TEXT, "score": NUMBER,
    "runner_up": TEXT, "margin": NUMBER, "named_municipality": TEXT, "note": TEXT,
}
PARTNER = _mapping({"raw": Shape("a string", lambda v: isinstance(v, str)), **PLACE_FIELDS, "line": LINE},
                   required=("raw",))
CONTACT = _mapping({"name": TEXT, "role": TEXT, "email": TEXT, "phone": TEXT, "organisation": TEXT,
                    "municipality": _mapping(PLACE_FIELDS, nullable=True), "line": LINE})
MENTION = _mapping({"raw": Shape("a string", lambda v: isinstance(v, str)), "name": TEXT, "code": TEXT,
                    "method": TEXT, "line": LINE}, required=("raw",))
LEAD = _mapping({"name": TEXT, "code": TEXT, "region": TEXT, "organisation": TEXT, "found_by": TEXT},
                nullable=True)
SOURCE = _mapping({"file": TEXT, "line_start": LINE, "line_end": LINE})
#: A project record (``output.project_record``, or ``output.dataset_record`` without source and lines).
PROJECT = _mapping(
    {"id": ID, "number": Shape("an integer", _is_int, nullable=True), "title": TEXT, "ended": BOOLEAN,
     "ended_on": TEXT, "language": TEXT, "lead": LEAD, "partners": _list(PARTNER), "contacts": _list(CONTACT),
     "mentions": _list(MENTION), "description": TEXT, "source": SOURCE, "warnings": _list()},
    required=("id", "ended", "title"),
)
RELEASE = _mapping({"projects": _list()}, required=("projects",))

_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"), (int, "an integer"), (float, "a number"), (str, "a string"), (list, "a list"),
    (dict, "a mapping"), ((datetime.date, datetime.datetime), "a date"), (bytes, "binary data"),
    ((set, frozenset), "a set"), (tuple, "a pair"),
)


def describe(value: Any) -> str:
    """What a value is, for a message: ``a string ("no")``, ``an integer (5)``, ``a list``."""
    if value is None:
        return "null"
    kind = next((name for types, name in _KINDS if isinstance(value, types)), type(value).__name__)
    if isinstance(value, str):
        return f"{kind} ({quote(value)})"
    if isinstance(value, bool):
        return f"{kind} ({str(value).lower()})"
    if isinstance(value, int | float | datetime.date):
        return f"{kind} ({escape(str(value), QUOTE_LIMIT)})"
    return kind


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def check(value: Any, shape: Shape, path: str = "") -> None:
    """Raise YamlInputError (with the field path) where ``value`` does not have ``shape``."""
    if value is None and shape.nullable:
        return
    if not shape.test(value):
        expect = shape.expect + (" or null" if shape.nullable else "")
        raise YamlInputError(f"expected {expect}, got {describe(value)}", path=path)
    if isinstance(value, dict):
        for name in shape.required:
            if name not in value:
                raise YamlInputError("missing (a required field)", path=_join(path, name))
        for name, inner in shape.fields.items():
            if name in value:
                check(value[name], inner, _join(path, name))
    elif isinstance(value, list) and shape.items is not None:
        for index, item in enumerate(value):
            check(item, shape.items, f"{path}[{index}]")


def _encodable(text: str) -> bool:
    """False for a string that cannot be written out as UTF-8 (a lone surrogate such as ``"\\ud800"``)."""
    try:
        return text.isascii() or bool(text.encode("utf-8"))
    except UnicodeEncodeError:
        return False


def check_plain(value: Any, path: str = "") -> None:
    """Raise YamlInputError where a value is not plain data (a date, binary, a set, a key that is no string)."""
    if isinstance(value, dict):
        for name, inner in value.items():
            if not isinstance(name, str):
                raise YamlInputError(f"a key must be a string, got {describe(name)}", path=path)
            check_plain(name, path)
            check_plain(inner, _join(path, name))
    elif isinstance(value, str) and not _encodable(value):
        raise YamlInputError(f"expected text, got a string with a lone surrogate ({quote(value)})", path=path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_plain(item, f"{path}[{index}]")
    elif value is not None and not isinstance(value, str | int | float):
        raise YamlInputError(f"expected plain data (a string, number, true/false or null), got {describe(value)}",
                             path=path)


def project(value: Any, path: str = "") -> dict[str, Any]:
    """A project record checked against the contract; raises YamlInputError."""
    if not isinstance(value, dict):
        raise YamlInputError(f"expected a mapping (a project record), got {describe(value)}", path=path)
    check(value, PROJECT, path)
    check_plain(value, path)
    return value


def release_projects(value: Any) -> list[dict[str, Any]]:
    """The checked project records of a hankkeet.yaml's data, with ids unique; raises YamlInputError."""
    if not isinstance(value, dict):
        raise YamlInputError(f"expected a mapping with a 'projects' list (a hankkeet.yaml), got {describe(value)}")
    check(value, RELEASE)
    records = [project(item, f"projects[{index}]") for index, item in enumerate(value["projects"])]
    first: dict[str, int] = {}
    for index, record in enumerate(records):
        if record["id"] in first:
            raise YamlInputError(f"duplicate id {quote(record['id'])} (also projects[{first[record['id']]}])",
                                 path=f"projects[{index}].id")
        first[record["id"]] = index
    return records
