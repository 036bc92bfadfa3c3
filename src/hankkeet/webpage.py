"""A saved web page -> the text of its listing: the main content, one line per block element.

The standard library's ``html.parser`` reads the markup: it decodes entities, treats ``script`` and ``style`` as
opaque, and never fails on broken markup. A small tree is built from its events (closing the ``<p>`` and ``<li>``
that HTML lets authors leave open), the main content is chosen, and its text is rendered the way the text dump of
the listing has it: a line per paragraph, heading, list item or table cell, ``<br>`` as a line break, inline
elements joined into their line, runs of whitespace (non-breaking spaces too) as one space, no blank lines.
Named ``webpage`` because a module named ``html`` would shadow the standard library's.
"""
from __future__ import annotations

import codecs
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hankkeet.source import SourceError, decode, text_codec

# --- What the markup means here --------------------------------------------------------------------------------
#: Elements that never hold text of the listing, with everything inside them.
NEVER_READ = frozenset(
    "script style noscript template head title svg math iframe object embed select textarea canvas video audio "
    "button dialog".split()
)
#: Page furniture, skipped unless it holds the main content (ASP.NET wraps a whole page in one <form>).
FURNITURE_TAGS = frozenset("nav aside form header footer".split())
#: Parts of a class or id that name page furniture around the content.
FURNITURE_WORDS = frozenset({"cookie", "cookies", "consent", "banner", "breadcrumb", "breadcrumbs", "menu", "navigation",
                             "share", "skip", "sidebar", "footer"})
#: Classes of text shown only to screen readers ("opens in a new window" after a link): not on the page.
SCREEN_READER_ONLY = ("visually-hidden", "visuallyhidden", "sr-only", "screen-reader", "element-invisible")
#: ARIA roles of page furniture.
FURNITURE_ROLES = frozenset("navigation banner contentinfo complementary search dialog alertdialog menu menubar".split())
#: Sectioning elements: a <header> inside one is its heading and is read; outside, it is the page's banner.
SECTIONING = frozenset("article section main aside nav".split())
#: Elements that begin and end a line.
BLOCKS = frozenset(
    "address article aside blockquote caption center dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr legend li main nav ol p pre section summary table tbody tfoot thead tr td "
    "th ul".split()
)
#: Elements that never have content (<br>, <img>): no end tag is waited for.
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: The start of a block closes an open <p>, unless one of these stands between them (HTML's "button scope").
P_SCOPE = frozenset("table td th caption button object template".split())
#: The start of an item closes an open item of these kinds, up to the element that holds the items.
ITEMS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "table"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
}
HEAD_BYTES = 2048


@dataclass(eq=False)
class Node:
    """An element: its tag, attributes and children (elements and text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None
    in_section: bool = False  # inside an <article>, <section>, <main>, <aside> or <nav>
    holds_content: bool = False  # a <main>, <article> or content region is inside it
    skipped: bool | None = None  # is_skipped, once known (the tree is complete)

    def words(self) -> frozenset[str]:
        """The words of its class and id (``entry-content has-share-buttons`` -> entry, content), split at spaces,
        ``-`` and ``_``; a modifier class (``has-…``, ``with-…``: a layout state, as ``with-sidebar``) is left out."""
        return _words(self.attrs.get("class", ""), self.attrs.get("id", ""))

    def role(self) -> str:
        return self.attrs.get("role", "").strip().lower()


_WORD_BREAK = re.compile(r"[\s_-]+")
_MODIFIER = re.compile(r"(?:has|with|is)-")


def _words(*names: str) -> frozenset[str]:
    return frozenset(word for name in names for part in name.casefold().split() if not _MODIFIER.match(part)
                     for word in _WORD_BREAK.split(part) if word)


def _is_main(node: Node) -> bool:
    return node.tag == "main" or node.role() == "main"


def _is_article(node: Node) -> bool:
    return node.tag == "article"


def _names_content(words: frozenset[str]) -> bool:
    return ("content" in words or "main" in words) and not words & FURNITURE_WORDS


def _is_content_id(node: Node) -> bool:
    return node.tag in ("div", "section") and _names_content(_words(node.attrs.get("id", "")))


def _is_content_class(node: Node) -> bool:
    return node.tag in ("div", "section") and _names_content(node.words())


def _is_body(node: Node) -> bool:
    return node.tag == "body"


#: Where the listing is looked for, in this order; the first kind of element that holds text is read: <main>
#: (or role="main"), a region whose id names content (id="main-content"), <article>, a region whose class names
#: content (a Drupal page wraps everything in class="dialog-off-canvas-main-canvas", so ids come first; a news
#: teaser in an <article> beside the content must not win over it), the body.
CONTENT_TESTS: tuple[Callable[[Node], bool], ...] = (_is_main, _is_content_id, _is_article, _is_content_class,
                                                      _is_body)


def _is_region(node: Node) -> bool:
    """Surely the page's content, so whatever holds it is no furniture: <main>, <article>, an id naming content."""
    return _is_main(node) or _is_article(node) or _is_content_id(node)


class _TreeBuilder(HTMLParser):
    """Builds a tree of Nodes from html.parser's events, closing what HTML lets authors leave open. It keeps the
    depths at which each tag is open, so that no event searches the open elements (linear in the page's size)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.open: list[Node] = [self.root]
        self.depths: defaultdict[str, list[int]] = defaultdict(list)  # tag -> depths in self.open, innermost last

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._close(frozenset({"p"}), P_SCOPE)
        if tag in ITEMS:
            self._close(*ITEMS[tag])
        parent = self.open[-1]
        node = Node(tag, {name: value or "" for name, value in attrs}, parent=parent,
                    in_section=parent.in_section or parent.tag in SECTIONING)
        parent.children.append(node)
        if _is_region(node):
            for ancestor in reversed(self.open):
                if ancestor.holds_content:
                    break  # and so do all of its ancestors
                ancestor.holds_content = True
        if tag not in VOID:
            self.depths[tag].append(len(self.open))
            self.open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <div/> is a start tag in HTML; <br/> is void anyway

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # </br> is a line break to browsers
            self.handle_starttag("br", [])
        elif self.depths[tag]:  # an end tag without its start tag is ignored
            self._pop_to(tag)

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)

    def _innermost(self, tags: frozenset[str]) -> int:
        return max((self.depths[tag][-1] for tag in tags if self.depths[tag]), default=0)

    def _close(self, tags: frozenset[str], scope: frozenset[str]) -> None:
        """Close the innermost open element of ``tags``, unless an element of ``scope`` is open inside it."""
        depth = self._innermost(tags)
        if depth and depth > self._innermost(scope):
            self._pop_to(self.open[depth].tag)

    def _pop_to(self, tag: str) -> None:
        """Close the innermost open ``tag`` and everything opened inside it."""
        depth = self.depths[tag][-1]
        while len(self.open) > depth:
            self.depths[self.open.pop().tag].pop()


def parse(text: str) -> Node:
    """The document tree of a page."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --- Choosing the content --------------------------------------------------------------------------------------
def is_skipped(node: Node) -> bool:
    """Never read: scripts, styles, hidden elements, and page furniture that does not hold the content."""
    if node.skipped is None:
        node.skipped = _is_skipped(node)
    return node.skipped


def _is_skipped(node: Node) -> bool:
    if node.tag in NEVER_READ or "hidden" in node.attrs or node.attrs.get("aria-hidden", "").lower() == "true":
        return True
    style = node.attrs.get("style", "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    words = node.words()
    if any(word in f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}".casefold()
           for word in SCREEN_READER_ONLY):
        return True
    if node.holds_content or _is_region(node) or node.tag in ("html", "body"):  # their classes are page states
        return False
    if node.tag in FURNITURE_TAGS:
        # A <header> inside an article or section is its heading; outside, the page's banner. A <footer> holds
        # facts about its section (dates, sharing), never its text.
        return node.tag != "header" or not node.in_section
    return node.role() in FURNITURE_ROLES or bool(words & FURNITURE_WORDS)


def outermost(root: Node, test: Callable[[Node], bool]) -> list[Node]:
    """The elements that pass ``test`` and stand in no other such element, in document order; furniture skipped."""
    found: list[Node] = []
    stack: list[Node | str] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) or is_skipped(node):
            continue
        if test(node):
            found.append(node)
        else:
            stack.extend(reversed(node.children))
    return found


def content(root: Node) -> list[Node]:
    """The elements that hold the listing: the first of CONTENT_TESTS to find some that hold text."""
    for test in CONTENT_TESTS:
        nodes = outermost(root, test)
        if nodes and render(nodes):
            return nodes
    return [root]  # a fragment without <body>


# --- Rendering -------------------------------------------------------------------------------------------------
class _Lines:
    """Collects the text of one line at a time; a line is its words joined by one space."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.words: list[str] = []
        self.prefix = ""  # "- " or "3. " of a list item, put before its first line

    def end_line(self) -> None:
        line = " ".join("".join(self.words).split())  # str.split() takes non-breaking spaces as spaces too
        self.words = []
        if line:
            self.lines.append(self.prefix + line)
            self.prefix = ""


def _number(text: str | None, default: int) -> int:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else default


def _item_prefixes(holder: Node) -> dict[int, str]:
    """What a browser shows before each item of a list: ``- `` (unordered), ``N. `` (ordered, from ``start``)."""
    items = [child for child in holder.children if isinstance(child, Node) and child.tag == "li"]
    if holder.tag != "ol":
        return {id(item): "- " for item in items}
    prefixes, number = {}, _number(holder.attrs.get("start"), 1)
    for item in items:
        number = _number(item.attrs.get("value"), number)
        prefixes[id(item)] = f"{number}. "
        number += 1
    return prefixes


class _End:
    """Pushed after an element's children: its line ends there; a <pre> ends, an item's prefix is spent."""

    def __init__(self, pre: bool = False, item: bool = False) -> None:
        self.pre, self.item = pre, item


_END_BLOCK, _END_PRE, _END_ITEM = _End(), _End(pre=True), _End(item=True)


def _page_title(nodes: list[Node]) -> Node | None:
    """The one <h1> of the content: the page's title (as <title> is), not a line of the listing."""
    h1s: list[Node] = []
    stack: list[Node | str] = list(nodes)
    while stack and len(h1s) < 2:
        node = stack.pop()
        if isinstance(node, Node) and not is_skipped(node):
            if node.tag == "h1":
                h1s.append(node)
            stack.extend(node.children)
    return h1s[0] if len(h1s) == 1 else None


def render(nodes: list[Node]) -> list[str]:
    """The lines of these elements' text, without the page's title (iteratively: pages may nest deeply)."""
    out = _Lines()
    title = _page_title(nodes)
    prefixes: dict[int, str] = {}
    stack: list[Node | str | _End] = list(reversed(nodes))
    pre = 0
    while stack:
        item = stack.pop()
        if isinstance(item, _End):
            pre -= item.pre
            out.end_line()
            if item.item:
                out.prefix = ""
        elif isinstance(item, str):
            parts = item.split("\n") if pre else [item]
            out.words.append(parts[0])
            for part in parts[1:]:
                out.end_line()
                out.words.append(part)
        elif item.tag in ("br", "hr"):
            out.end_line()
        elif not is_skipped(item) and item is not title:
            if item.tag in ("ul", "ol"):
                prefixes.update(_item_prefixes(item))
            if item.tag in BLOCKS:
                out.end_line()
                stack.append(_END_PRE if item.tag == "pre" else _END_ITEM if item.tag == "li" else _END_BLOCK)
                pre += item.tag == "pre"
            if item.tag == "li":
                out.prefix = prefixes.get(id(item), "")
            stack.extend(reversed(item.children))
    out.end_line()
    return out.lines


# --- The page as a whole ---------------------------------------------------------------------------------------
class _CharsetFinder(HTMLParser):
    """Reads <meta charset> or <meta http-equiv=Content-Type content="…; charset=…"> from a page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag != "meta" or self.charset is not None:
            return
        if values.get("charset", "").strip():
            self.charset = values["charset"].strip()
        elif values.get("http-equiv", "").strip().lower() == "content-type":
            for part in values.get("content", "").split(";"):
                name, _, value = part.partition("=")
                if name.strip().lower() == "charset" and value.strip(" \"'"):
                    self.charset = value.strip(" \"'")


#: Labels that mean another codec (WHATWG Encoding Standard): Latin-1 and ASCII are read as windows-1252, and a
#: UTF-16 label in a page whose head was readable as ASCII is UTF-8.
CHARSET_MEANS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                  "us-ascii": "cp1252", "ascii": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8",
                  "utf-16be": "utf-8"}


def charset_codec(label: str | None) -> str | None:
    """The codec of a charset label (in a <meta> or an HTTP Content-Type), read as browsers read it (latin-1 is
    windows-1252); None for none, or one Python does not know."""
    label = (label or "").strip().strip("\"'").lower()
    if not label:
        return None
    try:
        return text_codec(CHARSET_MEANS.get(label, label))
    except SourceError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The text encoding a page declares in its first 2 KB; None when it declares none or an unknown one."""
    finder = _CharsetFinder()
    finder.feed(data[:HEAD_BYTES].decode("latin-1"))  # the markup of a head is ASCII in any encoding it declares
    if finder.charset is None:
        return None
    codec = charset_codec(finder.charset)
    if codec is None:
        return None  # read as UTF-8, where a browser would fall back to its default
    # Only an encoding in which the markup itself is ASCII can be declared in it (no UTF-7, UTF-16 or EBCDIC:
    # browsers ignore those too).
    if codecs.lookup(codec).name in ("utf-7",) or "<meta>".encode(codec, "replace") != b"<meta>":
        return None
    return codec


def page_encoding(data: bytes, encoding: str | None = None, transport: str | None = None) -> str | None:
    """How to decode a page: --encoding, else its BOM (None: source.decode reads BOMs), else the codec the server
    named (``transport``, from its Content-Type), else the page's own declaration (as browsers do)."""
    if encoding is not None or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return encoding
    return transport or declared_charset(data)


def html_to_text(data: bytes, encoding: str | None = None, transport: str | None = None) -> str:
    """The text rendition of a page's listing: a line per block element of its main content, each ending in a
    line break; empty when the content holds no text. ``transport`` is the codec a server's Content-Type named
    (see page_encoding). Raises SourceDecodeError for bytes that do not decode."""
    lines = render(content(parse(decode(data, page_encoding(data, encoding, transport)))))
    return "".join(line + "\n" for line in lines)
