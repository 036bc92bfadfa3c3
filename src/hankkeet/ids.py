"""Stable project ids derived from content: lead slug + title slug, ASCII-folded."""
from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
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
        if len(candidate) > max_chars:
            out = out or word[:max_chars]  # a first word longer than the limit is cut, so every id stays bounded
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
    """Give each project a unique id in linear time; ids that clash get a suffix from a hash of the project's text.

    Unique bases are reserved first, so a project keeps its id whatever its twins elsewhere are called. A suffixed
    id that is still taken (identical projects, or another title that ends like the suffix) gets ``-2``, ``-3``...
    """
    bases = [base_id(p) for p in projects]
    counts = Counter(bases)
    taken = {base for base in bases if counts[base] == 1}
    next_number: dict[str, int] = {}
    out: list[Project] = []
    for project, base in zip(projects, bases, strict=True):
        if counts[base] == 1:
            out.append(replace(project, id=base))
            continue
        digest = hashlib.sha256(f"{project.title}\n{project.description}".encode()).hexdigest()
        suffixed = new_id = f"{base}-{digest[:6]}"
        number = next_number.get(suffixed, 2)
        while new_id in taken:
            new_id, number = f"{suffixed}-{number}", number + 1
        next_number[suffixed] = number
        taken.add(new_id)
        also = "" if new_id == suffixed else f" ({suffixed!r} was taken too)"
        diagnostic = Diagnostic("duplicate-id", project.line_start,
                                f"another project also derives the id {base!r}; using {new_id!r}{also}")
        out.append(replace(project, id=new_id, diagnostics=project.diagnostics + (diagnostic,)))
    return out
