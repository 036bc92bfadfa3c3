"""The listing as saved web pages: HTML renditions written the way content management systems write them.

``pieces`` cuts the text listing into what an editor marks up (titles, ended markers, paragraphs, bullet items,
the partner line, the contact section); ``wordpress_page``, ``drupal_page`` and ``lists_page`` write the pieces as
one kind of CMS does, inside the furniture of a real page (menus, a cookie banner, breadcrumbs, a sidebar, share
buttons, a footer, scripts and styles). Which lines are titles is the one thing taken from the tool (the titles of
its reading of the text listing); every other choice is made here from the text itself.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape

MARKER = re.compile(r"(?i)hanke (?:on )?päättynyt\.?|projektet har avslutats\.?")
CONTACT_HEADER = re.compile(r"(?:Lisätietoja|Tilläggsuppgifter)(?::.*)?")
PARTNERS = re.compile(r"(?:Muut kunnat|Övriga kommuner):")
NUMBERED = re.compile(r"(?P<number>\d+)\. (?P<rest>.+)")
_LINK = re.compile(r"https?://\S+|www\.\S+|[\w.-]+\(a\)[\w.-]+")


@dataclass(frozen=True)
class Piece:
    """A run of listing lines that an editor marks up as one thing."""

    kind: str  # title, marker, text, items, partners, contacts
    lines: tuple[str, ...]


def pieces(lines: list[str], title_lines: set[int]) -> list[Piece]:
    """The listing's lines (numbered from 1) as pieces: a contact section runs from its header to the next title
    or ended marker; consecutive bullet items and consecutive paragraphs are one piece each."""
    out: list[Piece] = []
    kind_of_run = ""
    for number, line in enumerate(lines, start=1):
        if number in title_lines:
            kind = "title"
        elif MARKER.fullmatch(line):
            kind = "marker"
        elif CONTACT_HEADER.fullmatch(line) or (kind_of_run == "contacts"):
            kind = "contacts"
        elif PARTNERS.match(line):
            kind = "partners"
        elif line.startswith("- "):
            kind = "items"
        else:
            kind = "text"
        if out and kind == kind_of_run and kind in ("contacts", "items", "text"):
            out[-1] = Piece(kind, out[-1].lines + (line,))
        else:
            out.append(Piece(kind, (line,)))
        kind_of_run = kind
    return out


def inline(text: str, entities: Callable[[str], str] = escape) -> str:
    """Escaped text with its web addresses and e-mail addresses as links."""
    parts, start = [], 0
    for match in _LINK.finditer(text):
        address = match.group()
        href = ("mailto:" + address.replace("(a)", "@") if "(a)" in address
                else address if address.startswith("http") else "https://" + address)
        parts += [entities(text[start:match.start()]), f'<a href="{escape(href)}">{entities(address)}</a>']
        start = match.end()
    return "".join(parts + [entities(text[start:])])


# --- WordPress ---------------------------------------------------------------------------------------------
def _wp_text(text: str) -> str:
    """wptexturize: dashes and quotes as numeric character references."""
    return escape(text, quote=False).replace("–", "&#8211;").replace("”", "&#8221;").replace("→", "&rarr;")


def _wordpress_pieces(found: list[Piece]) -> Iterable[str]:
    for index, piece in enumerate(found):
        if piece.kind == "title":
            title = inline(piece.lines[0], _wp_text)
            yield (f'<h2 id="hanke-{index}"><a href="#hanke-{index}">{title}</a></h2>' if index % 7 == 0
                   else f"<h2>{title}</h2>")
        elif piece.kind == "marker":
            yield f"<p><strong>{_wp_text(piece.lines[0])}</strong></p>"
        elif piece.kind == "text":
            yield from (f"<p>{inline(line, _wp_text)}</p>" for line in piece.lines)
        elif piece.kind == "items":
            yield "<ul>\n" + "\n".join(f"\t<li>{inline(line[2:], _wp_text)}</li>" for line in piece.lines) + "\n</ul>"
        elif piece.kind == "partners" and index + 1 < len(found) and found[index + 1].kind == "contacts":
            continue  # written with the contact section, in one paragraph
        else:
            lines = list(piece.lines)
            if piece.kind == "contacts" and found[index - 1].kind == "partners":
                lines = [*found[index - 1].lines, *lines]
            rendered = [f"<strong>{_wp_text(line)}</strong>" if CONTACT_HEADER.fullmatch(line) and ":" not in line
                        else inline(line, _wp_text) for line in lines]
            yield "<p>" + "<br />\n".join(rendered) + "</p>"


def wordpress_page(found: list[Piece]) -> str:
    """A WordPress page: skip link, site header with the main menu, <main><article> with the page title in the
    entry header, titles as <h2>, bullet items as <ul>, the partner line and the contact section as one
    paragraph with <br />s; a sidebar, an entry footer, a site footer, scripts and styles around it."""
    body = "\n".join(_wordpress_pieces(found))
    return f"""<!DOCTYPE html>
<html lang="fi">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kuntien digitalisaation kannustinjärjestelmän hankkeet &#8211; Kuntaliitto</title>
<link rel="stylesheet" href="/wp-content/themes/twentytwentyone/style.css" media="all">
<style id="global-styles-inline-css">body{{--wp--preset--color--black: #000000;}} p {{ margin: 0 }}</style>
<script>window._wpemojiSettings = {{"baseUrl": "https://s.w.org/images/core/emoji/14.0.0/72x72/"}};
if (document.body) {{ document.write("<p>Hanke ei ole tämä</p>"); }}</script>
</head>
<body class="page-template-default page page-id-42 wp-embed-responsive is-light-theme has-sidebar">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Siirry sisältöön</a>
<header id="masthead" class="site-header has-title-and-tagline has-menu" role="banner">
  <div class="site-branding"><p class="site-title"><a href="/">Kuntaliitto</a></p>
  <p class="site-description">Kuntien yhteinen ääni</p></div>
  <nav id="site-navigation" class="primary-navigation" aria-label="Päävalikko">
    <div class="menu-button-container"><button id="primary-mobile-menu" class="button">Valikko</button></div>
    <ul id="primary-menu-list" class="menu-wrapper">
      <li class="menu-item"><a href="/">Etusivu</a></li>
      <li class="menu-item current-menu-item"><a href="/hankkeet/">Hankkeet</a></li>
      <li class="menu-item"><a href="/yhteystiedot/">Yhteystiedot</a></li>
    </ul>
  </nav>
</header>
<div id="content" class="site-content">
  <div id="primary" class="content-area">
    <main id="main" class="site-main">
<article id="post-42" class="post-42 page type-page status-publish entry">
  <header class="entry-header alignwide">
    <h1 class="entry-title">Kuntien digitalisaation kannustinjärjestelmän hankkeet</h1>
  </header>
  <div class="entry-content">
{body}
  </div>
  <footer class="entry-footer default-max-width">
    <span class="edit-link"><a class="post-edit-link" href="/wp-admin/post.php?post=42">Muokkaa</a></span>
  </footer>
</article>
    </main>
  </div>
  <aside class="widget-area">
    <section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Uusimmat</h2>
    <ul><li><a href="/2024/uutinen/">Kannustinjärjestelmän haku avautuu</a></li></ul></section>
  </aside>
</div>
<footer id="colophon" class="site-footer" role="contentinfo">
  <div class="site-info"><div class="site-name">Kuntaliitto</div>
  <div class="powered-by">Ylläpitäjä: WordPress.</div></div>
</footer>
</div>
<script src="/wp-includes/js/wp-embed.min.js" id="wp-embed-js"></script>
</body>
</html>
"""


# --- Drupal / Liferay --------------------------------------------------------------------------------------
_NAMED = {"ä": "&auml;", "ö": "&ouml;", "Ä": "&Auml;", "Ö": "&Ouml;", "å": "&aring;", "Å": "&Aring;",
          "é": "&eacute;", "”": "&rdquo;", "–": "&ndash;"}


def _named(text: str) -> str:
    """An older CKEditor: every letter outside ASCII written as a named entity."""
    return "".join(_NAMED.get(char, char) for char in escape(text, quote=False))


def _drupal_title(line: str, index: int) -> str:
    match = NUMBERED.fullmatch(line)
    if match:  # the editor typed the number; the editor put a non-breaking space after it
        return f'<p><strong>{match["number"]}.&nbsp;{_named(match["rest"])}</strong></p>'
    first, _, rest = line.partition(" ")
    if index % 3 == 0 and rest:  # a pasted title: the first word in its own <span>, the rest in another <strong>
        return f'<p><strong><span lang="fi">{_named(first)}</span></strong><strong> {_named(rest)}</strong>&nbsp;</p>'
    return f"<p><strong>{_named(line)}</strong></p>"


def _drupal_pieces(found: list[Piece]) -> Iterable[str]:
    for index, piece in enumerate(found):
        if piece.kind == "title":
            yield "<p>&nbsp;</p>"  # the spacer paragraph an editor leaves between projects
            yield _drupal_title(piece.lines[0], index)
        elif piece.kind == "marker":
            yield f'<p><span style="color:#c00000;"><strong>{_named(piece.lines[0])}</strong></span></p>'
        elif piece.kind == "partners":
            label, _, rest = piece.lines[0].partition(": ")
            yield f"<p><span>{_named(label)}:&nbsp;</span>{inline(rest, _named)}</p>"
        elif piece.kind == "contacts":
            header, *people = piece.lines
            rendered = [f"<strong>{_named(header)}</strong>", *(inline(line, _named) for line in people)]
            yield '<p class="MsoNormal">' + "<br>".join(rendered) + "</p>"
        else:  # text and items: the editor typed the dashes
            yield from (f'<p><span lang="FI">{inline(line, _named)}</span></p>' for line in piece.lines)


def drupal_page(found: list[Piece]) -> str:
    """A Drupal (or Liferay) page: no <main> or <article>; a cookie banner, menu and breadcrumb regions, the
    listing in <div id="main-content"> with titles as <p><strong>, named entities for ä and ö, &nbsp; spacers
    and <span> wrappers, share buttons, a footer; the whole page wrapped in a class that says "main"."""
    body = "\n".join(_drupal_pieces(found))
    return f"""<!DOCTYPE html>
<html lang="fi" dir="ltr" prefix="og: https://ogp.me/ns#">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>Kuntien digihankkeet | Valtiovarainministeriö</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "name": "Kuntien digihankkeet"}}</script>
<noscript><style>form.antibot * :not(.antibot-message) {{ display: none !important; }}</style></noscript>
</head>
<body class="path-node page-node-type-page">
<a href="#main-content" class="visually-hidden focusable skip-link">Siirry pääsisältöön</a>
<div id="sliding-popup" class="sliding-popup-bottom eu-cookie-compliance-banner" role="alertdialog">
  <div class="eu-cookie-compliance-content"><div class="popup-content info">
  <div id="popup-text"><p>K&auml;yt&auml;mme sivustollamme ev&auml;steit&auml;.</p></div>
  <div id="popup-buttons"><button type="button" class="agree-button">Hyv&auml;ksy</button></div></div></div>
</div>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div class="layout-container">
  <div class="region region-header">
    <div id="block-vm-branding"><a href="/fi/" rel="home">Valtiovarainministeri&ouml;</a></div>
  </div>
  <div class="region region-primary-menu">
    <div id="block-mainnavigation" class="block block-menu">
      <ul class="menu menu--main"><li class="menu-item"><a href="/fi/">Etusivu</a></li>
      <li class="menu-item menu-item--active-trail"><a href="/fi/kunnat">Kunnat</a></li></ul>
    </div>
  </div>
  <div class="region region-breadcrumb"><nav class="breadcrumb" aria-labelledby="system-breadcrumb">
    <ol><li><a href="/fi/">Etusivu</a></li><li><a href="/fi/kunnat">Kunnat</a></li></ol></nav></div>
  <div id="main-content" class="region region-content">
    <h1 class="page-title"><span class="field field--name-title">Kuntien digihankkeet</span></h1>
    <div class="clearfix text-formatted field field--name-body field__item">
{body}
    </div>
    <div class="share-buttons">Jaa sivu: <a href="https://www.facebook.com/sharer">Facebook</a>
      <a href="https://x.com/share">X</a> <a href="https://www.linkedin.com/share">LinkedIn</a></div>
  </div>
  <footer class="region region-footer" role="contentinfo">
    <div id="block-footer-contact"><p>Valtiovarainministeri&ouml;, Snellmaninkatu 1 A, Helsinki</p></div>
  </footer>
</div>
</div>
<script src="/core/assets/vendor/jquery/jquery.min.js?v=3.7.1"></script>
<script>jQuery(function () {{ jQuery("<p>Lataa</p>").appendTo("body"); }});</script>
</body>
</html>
"""


# --- Lists -------------------------------------------------------------------------------------------------
def _lists_pieces(found: list[Piece]) -> Iterable[str]:
    for piece in found:
        line = piece.lines[0]
        if piece.kind == "title":
            match = NUMBERED.fullmatch(line)
            yield (f'<ol start="{match["number"]}"><li><strong>{inline(match["rest"])}</strong></li></ol>' if match
                   else f"<h3>{inline(line)}</h3>")
        elif piece.kind == "marker":
            yield f"<p><em>{escape(line)}</em></p>"
        elif piece.kind == "text":  # one paragraph, its lines broken with <br>
            yield "<p>" + "<br>".join(inline(text) for text in piece.lines) + "</p>"
        elif piece.kind == "items":
            yield "<ul>" + "".join(f"<li>{inline(text[2:])}" for text in piece.lines) + "</ul>"  # no </li>
        elif piece.kind == "partners":
            yield f"<p>{inline(line)}"  # no </p>: the next block closes it
        else:
            yield '<div class="yhteystiedot">' + "".join(f"<div>{inline(text)}</div>" for text in piece.lines) \
                + "</div>"


def lists_page(found: list[Piece]) -> str:
    """A hand-made page in an old layout of <div>s: numbered titles as ordered lists (<ol start="N">), the others
    as <h3>; paragraphs with <br>; bullet items and partner paragraphs left unclosed; the contact section as
    <div> lines; a header, a menu and a footer as <div>s around <div id="content">."""
    body = "\n".join(_lists_pieces(found))
    return f"""<html>
<head><title>Hankkeet</title></head>
<body>
<div id="header"><img src="logo.png" alt="Kuntien digihankkeet"> <span>Kuntien digihankkeet</span></div>
<div class="menu"><a href="index.html">Etusivu</a> | <a href="hankkeet.html">Hankkeet</a></div>
<div id="content">
{body}
</div>
<div id="footer">P&auml;ivitetty 2024 &copy; Kuntien digihankkeet</div>
</body>
</html>
"""


STYLES: dict[str, Callable[[list[Piece]], str]] = {
    "wordpress": wordpress_page,
    "drupal": drupal_page,
    "lists": lists_page,
}
