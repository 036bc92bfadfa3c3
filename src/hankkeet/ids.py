"""Stable project ids derived from content: lead slug + title slug, ASCII-folded."""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import replace

import regex

from hankkeet.diagnostics import Diagnostic
from hankkeet.model import Project

MAX_TITLE_WORDS = 8
MAX_TITLE_CHARS = 60
_ASCII_WORD = regex.compile(r"[a-z0-9]+")


def slug(text: str, max_words: int = MAX_TITLE_WORDS, max_chars: int = MAX_TITLE_CHARS) -> str:
    """ASCII-fold, lowercase, keep the first words, join with hyphens."""
    text = text[: max_chars * 4]  # enough for the words kept; a long description is not folded whole
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = _ASCII_WORD.findall(folded)[:max_words]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > max_chars and out:
            break
        out = candidate
    return out or "x"


def base_id(project: Project) -> str:
    """``lead-title``; an unknown lead is ``tuntematon``; a missing title uses the description's words."""
    lead = project.lead
    owner = lead.owner if lead is not None else None
    words = project.title or project.description
    return f"{slug(owner or 'tuntematon', 4)}--{slug(words)}"


def assign_ids(projects: list[Project]) -> list[Project]:
    """Give each project its id; ids that clash get a suffix from a hash of the project's text."""
    bases = [base_id(p) for p in projects]
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    out: list[Project] = []
    taken: set[str] = set()
    for project, base in zip(projects, bases, strict=True):
        new_id = base
        diagnostics = project.diagnostics
        if counts[base] > 1:
            digest = hashlib.sha256(f"{project.title}\n{project.description}".encode()).hexdigest()
            new_id = f"{base}-{digest[:6]}"
            n = 2
            while new_id in taken:
                new_id, n = f"{base}-{digest[:6]}-{n}", n + 1
            diagnostics += (Diagnostic("duplicate-id", project.line_start,
                                       f"another project also derives the id {base!r}; using {new_id!r}"),)
        taken.add(new_id)
        out.append(replace(project, id=new_id, diagnostics=diagnostics))
    return out
