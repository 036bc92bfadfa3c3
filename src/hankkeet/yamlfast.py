"""A fast writer for the YAML this project emits, byte-identical to PyYAML's, or None to let PyYAML do it.

PyYAML spends most of the extraction's time representing ~100,000 small nodes in Python. The outputs here
are always block mappings and lists of plain data, so this writer emits them directly. For every scalar it
decides the style exactly as PyYAML's emitter does (plain, single-quoted, literal ``|-``, or double-quoted for
codes); whenever a value falls outside what it knows for sure (tabs, control characters, a line ending in a space,
nested lists, ...) it returns None and the caller uses PyYAML. Tests compare both on the seed and on generated
records with adversarial strings.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
# Characters PyYAML prints as they are with allow_unicode (anything else forces double quotes).
_UNPRINTABLE = re.compile("[^\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe]")
_BREAKS = "\n\x85\u2028\u2029"
_FIRST_INDICATORS = "#,[]{}&*!|>'\"%@`"
_WHITESPACE_AFTER = "\0 \t\r\n\x85\u2028\u2029"


class Unsupported(Exception):
    """A value this writer does not emit; the caller falls back to PyYAML."""


_COLON_OR_COMMENT = re.compile("[:][\0 \t\r\n\x85\u2028\u2029]|[:]$|[ \t\r\n\x85\u2028\u2029]#")


def _plain_allowed(value: str) -> bool:
    """PyYAML's allow_block_plain for a one-line string without special characters, and a str resolution."""
    if value[0] == " " or value[-1] == " " or value.startswith(("---", "...")):
        return False
    first_followed_by_space = len(value) == 1 or value[1] in _WHITESPACE_AFTER
    if value[0] in _FIRST_INDICATORS or (value[0] in "?:-" and first_followed_by_space):
        return False
    if _COLON_OR_COMMENT.search(value):
        return False
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return tag == _STR


_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def scalar_str(value: str, indent: int) -> str:
    """One string as a mapping value whose key stands at column ``indent`` (one-line results are cached)."""
    cached = _CACHE.get(value)
    if cached is not None:
        return cached
    text = _scalar_str(value, indent)
    if "\n" not in text and len(_CACHE) < _CACHE_LIMIT and len(value) < 200:
        _CACHE[value] = text
    return text


def _scalar_str(value: str, indent: int) -> str:
    if not value:
        return "''"
    if _UNPRINTABLE.search(value):
        raise Unsupported
    if "\n" in value or any(b in value for b in _BREAKS[1:]):
        lines = value.split("\n")
        if any(b in value for b in _BREAKS[1:]) or any(not line or line != line.strip(" ") for line in lines):
            raise Unsupported  # blank lines, edge spaces: PyYAML's rules get intricate; let it decide
        pad = " " * (indent + 2)
        return "|-\n" + "\n".join(pad + line for line in lines)
    if _plain_allowed(value):
        return value
    if " \n" in value:
        raise Unsupported
    return "'" + value.replace("'", "''") + "'"


def _scalar(value: Any, indent: int, quoted_type: type) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, quoted_type) and isinstance(value, str):
        if not value.isalnum() or not value.isascii():
            raise Unsupported
        return f'"{value}"'
    if isinstance(value, str):
        return scalar_str(value, indent)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value).lower()
        if not re.fullmatch(r"-?[0-9]+\.[0-9]+", text):
            raise Unsupported  # inf, nan, exponents
        return text
    raise Unsupported


_GOOD_KEYS: set[str] = set()


def _mapping(data: dict[str, Any], indent: int, out: list[str], quoted: type, first_inline: bool = False) -> None:
    pad = " " * indent
    append = out.append
    first = first_inline
    for key, value in data.items():
        if key not in _GOOD_KEYS:
            if not (isinstance(key, str) and key.isidentifier() and key.isascii()):
                raise Unsupported
            _GOOD_KEYS.add(key)
        prefix = key + ":" if first else pad + key + ":"
        first = False
        kind = type(value)
        if kind is str:
            text = _CACHE.get(value)
            append(f"{prefix} {text if text is not None else scalar_str(value, indent)}\n")
        elif kind is dict:
            if value:
                append(prefix + "\n")
                _mapping(value, indent + 2, out, quoted)
            else:
                append(prefix + " {}\n")
        elif kind is list:
            if value:
                append(prefix + "\n")
                _sequence(value, indent, out, quoted)
            else:
                append(prefix + " []\n")
        elif isinstance(value, dict | list):
            raise Unsupported  # subclasses: PyYAML's safe dumper refuses them
        else:
            append(f"{prefix} {_scalar(value, indent, quoted)}\n")


def _sequence(items: list[Any], indent: int, out: list[str], quoted: type) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            out.append(pad + "- ")
            _mapping(item, indent + 2, out, quoted, first_inline=True)
        elif isinstance(item, list | dict):
            raise Unsupported
        else:
            text = _scalar(item, indent, quoted)
            if "\n" in text:
                raise Unsupported
            out.append(pad + "- " + text + "\n")


def emit_mapping(data: dict[str, Any], quoted_type: type) -> str:
    """A top-level block mapping as PyYAML writes it; raises Unsupported for what it does not know."""
    if not data:
        raise Unsupported
    out: list[str] = []
    _mapping(data, 0, out, quoted_type)
    return "".join(out)


def emit_items(items: list[Any], quoted_type: type) -> str:
    """Items of a top-level mapping's sequence value (``- ...`` at column 0); raises Unsupported."""
    out: list[str] = []
    _sequence(items, 0, out, quoted_type)
    return "".join(out)


def dump(data: dict[str, Any], quoted_type: type) -> str | None:
    """The YAML PyYAML would write for this mapping (block style, indent 2, unlimited width), or None."""
    try:
        return emit_mapping(data, quoted_type)
    except Unsupported:
        return None
