"""A person's place decisions (``--overrides``, ``data/overrides.yaml``), read strictly: a misspelt key or two
entries for one place are errors, never silently ignored. Kept apart from the gazetteer so that a run without
overrides does not load the strict YAML reader."""
from __future__ import annotations

from typing import Any

from hankkeet import yamlsafe
from hankkeet.municipalities import OverridesError, key
from hankkeet.yamlsafe import YamlInputError, quote, quote_key


def _described(value: Any) -> str:
    """What a value is, for a message ("a list"); the contract module is loaded only when a file is wrong."""
    from hankkeet.contract import describe

    return describe(value)


#: The keys an overrides entry may have; anything else is a misspelling that would otherwise be ignored.
OVERRIDE_KEYS = ("raw", "code", "kind", "comment")


def _override_entries(data: Any) -> list[Any]:
    """The list under ``overrides:`` (empty for an empty file); refuses any other shape or top-level key."""
    if data is None:
        return []
    if not isinstance(data, dict):
        raise OverridesError(f"expected a mapping with a list under 'overrides', got {_described(data)}")
    unknown = [k for k in data if k != "overrides"]
    if unknown:
        raise OverridesError(f"unknown key {quote_key(unknown[0])} (the only key is 'overrides')")
    entries = data.get("overrides")
    if not isinstance(entries, list | None):
        raise OverridesError(f"expected a mapping with a list under 'overrides', got {_described(entries)}")
    return entries or []


def _override_target(entry: Any, number: int) -> tuple[str, str]:
    """One entry as (raw, code or "organisation"); raises OverridesError naming the entry."""
    if not isinstance(entry, dict):
        raise OverridesError(f"entry {number}: expected a mapping (raw, code or kind, comment), "
                             f"got {_described(entry)}")
    unknown = [k for k in entry if k not in OVERRIDE_KEYS]
    if unknown:
        raise OverridesError(f"entry {number}: unknown key {quote_key(unknown[0])} "
                             f"(allowed: {', '.join(OVERRIDE_KEYS)})")
    raw, code, kind = entry.get("raw"), entry.get("code"), entry.get("kind")
    if not isinstance(raw, str):
        raise OverridesError(f"entry {number}: needs 'raw' (the place as written)")
    if isinstance(code, str) and kind in (None, "municipality"):
        return raw, code
    if code is None and kind == "organisation":
        return raw, "organisation"
    raise OverridesError(f"entry {number} ({quote(raw)}): give a quoted municipality code such as "
                         "code: \"091\", or kind: organisation")


def parse_overrides(text: str) -> dict[str, str]:
    """Read an overrides file: ``overrides:`` a list of ``{raw, code | kind: organisation, comment}``."""
    try:
        data = yamlsafe.load(text)
    except YamlInputError as err:
        raise OverridesError(str(err)) from None
    out: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for number, entry in enumerate(_override_entries(data), start=1):
        raw, target = _override_target(entry, number)
        if key(raw) in numbers:  # the gazetteer keys overrides this way: one of the two would be lost
            raise OverridesError(f"entry {number} ({quote(raw)}): the same place as entry {numbers[key(raw)]}")
        numbers[key(raw)] = number
        out[raw] = target
    return out
