"""Problems as data: a stable kebab-case code, a severity, a line number and a message."""
from __future__ import annotations

from dataclasses import dataclass

from hankkeet.printable import printable

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
    "unread-place-list": "a body line lists municipalities that were not read as partners",
    "unread-ended-marker": "a short line uses an ended word (päättyi, avslutades…) but was not read as a marker",
    "unread-contact": "a body line holds a name with a comma, an e-mail address or a phone number but was not "
    "read as a contact",
    "ambiguous-mention": "a word in the description is a municipality's name and also a first name or a common "
    "word, with no list or place-only case to tell which; it was not read as a mention",
    "partners-thin": "a line was read as a partner list on thin evidence (an unfamiliar label or none, and fewer "
    "than two municipalities)",
    "ended-date-unread": "an ended marker holds a number but no full date; ended_on is left empty",
    "title-like-line": "a line in the middle of a project could be the title of another project merged into it "
    "(a numbered line outside a list, or a short phrase between paragraphs)",
    "title-full-stop": "the title was read from a line ending with a full stop (a title, or a first sentence?)",
    "merged-projects": "a project has two contact sections, two ended markers, or two partner lists with text "
    "between them: probably two projects read as one",
    "contact-without-place": "a contact has no place (and no municipal e-mail domain), so no lead can come from it",
    "numbering-gap": "a numbered run skips or repeats a number: a project missing, merged or numbered twice",
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input."""

    code: str
    line: int
    message: str
    severity: str = "warning"

    def render(self, file: str) -> str:
        """Format as ``file:line: warning[code]: message`` for stderr, control characters escaped."""
        return printable(f"{file}:{self.line}: {self.severity}[{self.code}]: {self.message}")
