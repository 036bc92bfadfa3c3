"""Text from the data made safe to print: control, bidi and surrogate characters shown as escapes."""
from __future__ import annotations

import re
from typing import Any

# Characters a terminal may act on (C0 and C1 controls, DEL: escape sequences; bidi controls and line separators:
# text shown out of order) and surrogates (the undecodable bytes of a file name, which cannot be encoded).
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
# JSON text escapes C0 inside its strings, and its own line breaks are part of the format.
_UNSAFE_IN_JSON = re.compile(f"[{_BEYOND_C0}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (Python's surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """The text with control, bidi and surrogate characters written as ``\\x1b``-style escapes."""
    return text if _UNSAFE.search(text) is None else _UNSAFE.sub(_escape, text)


def printable_json(text: str) -> str:
    """JSON text with the same characters (outside C0) as ``\\u009b``-style escapes: the same data, safe to print."""
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def printable_data(value: Any) -> Any:
    """A copy of plain data (dicts, lists, strings) with every string made printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable_data(k): printable_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable_data(v) for v in value]
    return value


def plural(count: int, noun: str) -> str:
    """``1 project``, ``2 projects``: a count with its noun in the right number."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
