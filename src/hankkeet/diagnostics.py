"""Problems as data: a stable kebab-case code, a severity, a line number and a message."""
from __future__ import annotations

from dataclasses import dataclass

#: Every diagnostic code the extractor emits, with what it means (the README lists the same).
CODES: dict[str, str] = {
    "missing-title": "a project block has no title line; the title is left empty",
    "ended-marker-before-title": "an ended marker stands between one project's contacts and the next title; "
    "it is given to the next project",
    "no-contact": "a project has no contact person",
    "lead-inferred": "the lead municipality was inferred (numbering run or a mention), not read from a contact",
    "lead-unknown": "the lead municipality could not be determined",
    "lead-organisation": "the first contact belongs to an organisation, so the lead has no municipality code",
    "unmatched-place": "a place name matched no municipality and does not look like an organisation",
    "fuzzy-place": "a place name was matched by fuzzy matching (probably a typo); check it",
    "ambiguous-place": "a place name could mean more than one municipality (a fuzzy near-tie, a former "
    "municipality split between two); no code is given",
    "unassigned-line": "a line could not be placed in any project",
    "mojibake-repaired": "a line was UTF-8 read as cp1252 or Latin-1 and saved again ('Ã¤' for 'ä'); it was repaired",
    "mojibake": "a line looks like UTF-8 read as cp1252 but could not be repaired; check the file's encoding",
    "empty-input": "the input has no text at all",
    "duplicate-id": "two projects derive the same id; a content hash was appended",
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input."""

    code: str
    line: int
    message: str
    severity: str = "warning"

    def render(self, file: str) -> str:
        """Format as ``file:line: warning[code]: message`` for stderr."""
        return f"{file}:{self.line}: {self.severity}[{self.code}]: {self.message}"
