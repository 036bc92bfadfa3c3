"""Render the review page and the HTML diff with Jinja2, autoescaping on: every value from a listing is escaped."""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader

from hankkeet import __version__
from hankkeet.model import Release
from hankkeet.review import Review, build_review, with_charts

if TYPE_CHECKING:
    from hankkeet.municipalities import Municipality

_ENV = Environment(loader=PackageLoader("hankkeet", "templates"), autoescape=True,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_review(review: Review) -> str:
    """The review page: one self-contained HTML file."""
    return _ENV.get_template("review.html.j2").render(review=review, version=__version__)


def review_page(release: Release, text: str, reference: Mapping[str, Municipality]) -> str:
    """The review page of ``release``, whose line numbers refer to ``text``, with its pictures."""
    return render_review(with_charts(build_review(release, text), release, reference))


def word_changes(old: str, new: str) -> list[tuple[str, str]]:
    """The words of two texts as (tag, text): ``equal``, ``delete`` (only in old) or ``insert`` (only in new)."""
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag in ("equal", "delete", "replace") and i2 > i1:
            out.append(("equal" if tag == "equal" else "delete", " ".join(a[i1:i2])))
        if tag in ("insert", "replace") and j2 > j1:
            out.append(("insert", " ".join(b[j1:j2])))
    return out


#: A listing's source lines per project id: [(line number, text), ...] (none for a side that is not a listing).
SourceLines = dict[str, list[tuple[int, str]]]


def render_diff(comparison: Any, old: list[dict[str, Any]], new: list[dict[str, Any]], old_name: str,
                new_name: str, old_lines: SourceLines | None = None, new_lines: SourceLines | None = None) -> str:
    """The release diff as a page: added, removed, renamed and changed, each with its record and, for a side
    that is a listing, its source lines."""
    from hankkeet.diff import summary_line

    return _ENV.get_template("diff.html.j2").render(
        comparison=comparison, summary=summary_line(comparison, old_name), old_name=old_name, new_name=new_name,
        old_by_id={r["id"]: r for r in old}, new_by_id={r["id"]: r for r in new}, word_changes=word_changes,
        old_lines=old_lines or {}, new_lines=new_lines or {})
