"""PLACEHOLDER, to be replaced at merge by the real module of issue #12 part 1: an HTML page -> listing text.

Only ``html_to_text`` is used (by ``hankkeet fetch``, for the text rendition of a snapshot). This stand-in puts the
text of each p, h1-h6, li and div element on its own line, ends a line at br, joins the text of other elements into
the line around them and skips script, style and the head; it reads the bytes as UTF-8 (a wrong byte becomes U+FFFD).
"""
from __future__ import annotations

# The standard library's html package, not this module: imports are absolute.
from html.parser import HTMLParser

_LINE_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "br"})
_SKIPPED_TAGS = frozenset({"script", "style", "head", "template"})


class _Lines(HTMLParser):
    """Collects the text of a page, a line break at the start and end of every block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _LINE_TAGS:
            self.end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _LINE_TAGS:
            self.end_line()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def end_line(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []


def html_to_text(data: bytes) -> str:
    """The text of an HTML page: one line per paragraph, heading, list item or division, ending with a newline."""
    parser = _Lines()
    parser.feed(data.decode("utf-8", errors="replace").removeprefix("\ufeff"))
    parser.close()
    parser.end_line()
    return "".join(line + "\n" for line in parser.lines)
