"""HTML input (issue #12): a saved web page is read as the text of its listing; other documents are refused."""
from __future__ import annotations

import codecs
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import LISTING, ROOT
from html_fixtures import STYLES, Piece, pieces, wordpress_page

from hankkeet.cli import main
from hankkeet.inputs import extract_listing
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.source import DocumentInputError, looks_like_html, refuse_document
from hankkeet.webpage import declared_charset, html_to_text

SMALL_PAGE = """<!DOCTYPE html>
<html lang="fi"><head><meta charset="utf-8"><title>Hankkeet</title><style>p { color: red }</style></head>
<body>
<nav class="main-navigation"><ul><li><a href="/">Etusivu</a></li><li><a href="/h">Hankkeet</a></li></ul></nav>
<main>
<h1>Kuntien digihankkeet</h1>
<h2>1. Eka&nbsp;hanke</h2>
<p>Kuvaus on <strong>t&auml;ss&auml;</strong>, ja <a href="https://example.fi">linkki</a> my&ouml;s.</p>
<p>Muut kunnat: Lahti<br>
<strong>Lisätietoja</strong><br>
Anna Aalto, Espoo</p>
<h2>2. Toka hanke</h2>
<p><strong>HANKE ON PÄÄTTYNYT.</strong></p>
<p>Toinen kuvaus.</p>
<p>Lisätietoja<br>Bo Berg, Vantaa</p>
</main>
<footer>© Valtiovarainministeriö</footer>
<script>document.write("<p>Ei tämä</p>")</script>
</body></html>
"""
SMALL_TEXT = """1. Eka hanke
Kuvaus on tässä, ja linkki myös.
Muut kunnat: Lahti
Lisätietoja
Anna Aalto, Espoo
2. Toka hanke
HANKE ON PÄÄTTYNYT.
Toinen kuvaus.
Lisätietoja
Bo Berg, Vantaa
"""


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def records(release: Release) -> list[tuple[Any, ...]]:
    """What must not change with the format of the input: id, title, ended, lead, partners, contacts."""
    return [(p.id, p.title, p.ended, p.lead.code if p.lead else None,
             tuple(x.place.code or x.place.raw for x in p.partners), tuple(c.name for c in p.contacts))
            for p in release.projects]


@pytest.fixture(scope="session")
def listing_pieces(release: Release, listing_bytes: bytes) -> list[Piece]:
    """The listing cut into pieces; only the line numbers of its titles come from the tool."""
    lines = listing_bytes.decode("utf-8").splitlines()
    titles = {next(n for n in range(p.line_start, p.line_end + 1) if lines[n - 1].endswith(p.title))
              for p in release.projects if p.title}
    return pieces(lines, titles)


# --- The listing as a web page -------------------------------------------------------------------------------
@pytest.mark.parametrize("style", STYLES)
def test_a_cms_page_of_the_listing_gives_the_projects_of_the_text(style: str, listing_pieces: list[Piece],
                                                                   release: Release, listing_bytes: bytes,
                                                                   gazetteer: Gazetteer, tmp_path: Path) -> None:
    page = STYLES[style](listing_pieces).encode("utf-8")
    path = tmp_path / "kuntien-digihankkeet.html"
    path.write_bytes(page)
    from_page, text = extract_listing(str(path), gazetteer, with_text=True)
    assert records(from_page) == records(release)
    assert text == listing_bytes.decode("utf-8") + "\n"  # the rendition is the text listing, line for line
    assert from_page.source.sha256 == hashlib.sha256(page).hexdigest()
    assert from_page.source.lines == release.source.lines


def test_an_introduction_before_the_listing_is_not_silent(listing_pieces: list[Piece], release: Release,
                                                          gazetteer: Gazetteer, tmp_path: Path) -> None:
    page = wordpress_page(listing_pieces).replace(
        '<div class="entry-content">',
        '<div class="entry-content"><p>Tälle sivulle on koottu kannustinjärjestelmästä rahoitusta saaneet hankkeet.</p>')
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    from_page, _ = extract_listing(str(path), gazetteer)
    assert records(from_page)[1:] == records(release)[1:]
    assert {d.code for d in from_page.projects[0].diagnostics} >= {"missing-title", "title-like-line"}


def test_a_line_after_the_listing_is_a_project_with_warnings(listing_pieces: list[Piece], release: Release,
                                                             gazetteer: Gazetteer, tmp_path: Path) -> None:
    page = wordpress_page(listing_pieces).replace(
        '  </div>\n  <footer class="entry-footer', '<p>Sivua päivitetty 12.3.2024</p>\n  </div>\n  <footer class="entry-footer')
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    from_page, _ = extract_listing(str(path), gazetteer)
    assert records(from_page)[:-1] == records(release)
    assert from_page.projects[-1].title == "Sivua päivitetty 12.3.2024"
    assert {d.code for d in from_page.projects[-1].diagnostics} >= {"lead-unknown", "no-contact"}


def test_a_page_of_other_prose_is_read_with_warnings(gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "uutinen.html"
    path.write_text("<html><body><main><h1>Uutiset</h1><p>Hallitus esittää kuntien rahoitukseen muutoksia.</p>"
                    "<p>Valtionosuudet kasvavat ensi vuonna.</p><p>Lue lisää</p></main></body></html>",
                    encoding="utf-8")
    from_page, _ = extract_listing(str(path), gazetteer)
    assert len(from_page.projects) == 1
    assert {d.code for d in from_page.diagnostics} >= {"lead-unknown", "no-contact"}


def test_a_partner_list_as_list_items(gazetteer: Gazetteer) -> None:
    page = ("<main><h2>Eka hanke</h2><p>Kuvaus.</p><p>Muut kunnat:</p><ul><li>Tampere</li><li>Lahti</li></ul>"
            "<p>Lisätietoja<br>Anna Aalto, Espoo</p></main>")
    from hankkeet import extract
    release = extract(html_to_text(page.encode()), gazetteer)
    assert [p.place.code for p in release.projects[0].partners] == ["837", "398"]


def test_a_second_h1_in_the_content_is_warned(gazetteer: Gazetteer) -> None:
    """Only a page's single <h1> is taken for its title; with a second one both are read: the page's headings
    become a project of their own, which is wrong, so it must carry warnings on its lines."""
    page = SMALL_PAGE.replace("<main>", "<main><h1>Hankkeet 2024</h1>")
    from hankkeet import extract
    release = extract(html_to_text(page.encode()), gazetteer)
    assert [p.title for p in release.projects] == ["Hankkeet 2024", "Eka hanke", "Toka hanke"]
    assert {d.code for d in release.projects[0].diagnostics} == {"lead-unknown", "no-contact"}
    assert [p.diagnostics for p in release.projects[1:]] == [(), ()]


# --- The text rendition ----------------------------------------------------------------------------------------
RENDITIONS = {
    "entities and nbsp": ("<p>T&auml;m&auml;&nbsp;on &#8211; &#x2013; &amp; &lt;p&gt; &rdquo;x&rdquo;</p>",
                          "Tämä on – – & <p> ”x”\n"),
    "br as line break": ("<p>A<br>B<br/>C</br>D<br><br>E</p>", "A\nB\nC\nD\nE\n"),
    "inline joined": ("<p><strong>Kuntien</strong> <em>e</em><span>Vaka</span> <a href='x'>linkki</a></p>",
                      "Kuntien eVaka linkki\n"),
    "source line breaks are spaces": ("<p>Pitkä\n   rivi\tjoka\r\njatkuu</p>", "Pitkä rivi joka jatkuu\n"),
    "blocks": ("<h2>Otsikko</h2><div>Div<div>Sisempi</div>Perään</div><blockquote>Lainaus</blockquote>",
               "Otsikko\nDiv\nSisempi\nPerään\nLainaus\n"),
    "unclosed p and li": ("<p>Yksi<p>Kaksi<ul><li>a<li>b</ul>", "Yksi\nKaksi\n- a\n- b\n"),
    "ordered lists keep their numbers": ('<ol start="3"><li>C<li value="7">G<li>H</ol><ol><li><p>A</p></li></ol>',
                                         "3. C\n7. G\n8. H\n1. A\n"),
    "table cells": ("<table><tr><th>Kunta<td>Espoo<tr><td>Vantaa</table>", "Kunta\nEspoo\nVantaa\n"),
    "pre keeps its lines": ("<pre>yksi\n  kaksi\nkolme</pre>", "yksi\nkaksi\nkolme\n"),
    "scripts and styles": ("<p>A</p><script>var p = '<p>x</p>';</script><style>p{}</style><noscript>JS</noscript>"
                           "<template><p>t</p></template><p>B</p>", "A\nB\n"),
    "furniture": ("<body><nav>Valikko</nav><header>Sivuston nimi</header><div class='cookie-banner'>Evästeet</div>"
                  "<div id='breadcrumbs'>Etusivu</div><aside>Sivupalkki</aside><form><p>Haku</p></form>"
                  "<p>Sisältö</p><div class='share-buttons'>Jaa</div><button>OK</button><footer>Alatunniste</footer>"
                  "</body>", "Sisältö\n"),
    "hidden": ("<p>A</p><p hidden>B</p><p style='display: none'>C</p><span aria-hidden='true'>D</span>", "A\n"),
    "screen reader text": ("<p><a href='mailto:a@b.fi'>a@b.fi<span class='visually-hidden'> (sähköposti)</span></a>"
                           "</p>", "a@b.fi\n"),
    "main over the rest": ("<body><p>Mainos</p><main><p>Listaus</p></main><p>Muuta</p></body>", "Listaus\n"),
    "article without main": ("<body><div>Ylä</div><article><p>Listaus</p></article></body>", "Listaus\n"),
    "role main": ("<body><div>Ylä</div><div role='main'><p>Listaus</p></div></body>", "Listaus\n"),
    "content id before class": ("<body><div class='dialog-off-canvas-main-canvas'><div>Logo</div>"
                                "<div id='main-content'><p>Listaus</p></div></div></body>", "Listaus\n"),
    "content holder is no furniture": ("<body><form id='aspnetForm'><div class='has-sidebar'><div id='content'>"
                                       "<p>Listaus</p></div></div></form></body>", "Listaus\n"),
    "empty main falls back": ("<body><main> </main><div id='content'><p>Listaus</p></div></body>", "Listaus\n"),
    "header in an article is read": ("<main><article><header><h2>Otsikko</h2></header><p>Teksti</p>"
                                     "<footer>Julkaistu 1.2.2024</footer></article></main>", "Otsikko\nTeksti\n"),
    "the page title h1 is left out": ("<main><h1>Sivun otsikko</h1><h2>Hanke</h2></main>", "Hanke\n"),
    "several h1 are the listing's": ("<main><h1>Yksi</h1><p>a</p><h1>Kaksi</h1></main>", "Yksi\na\nKaksi\n"),
    "a fragment": ("<p>Vain kappale</p>", "Vain kappale\n"),
    "nothing": ("<html><body><nav>Valikko</nav><script>x</script></body></html>", ""),
}


@pytest.mark.parametrize(("page", "text"), RENDITIONS.values(), ids=RENDITIONS.keys())
def test_rendition(page: str, text: str) -> None:
    assert html_to_text(page.encode("utf-8")) == text


def test_deep_nesting_is_no_recursion_error() -> None:
    page = "<div>" * 50_000 + "<p>Syvällä</p>" + "</div>" * 50_000
    assert html_to_text(page.encode()) == "Syvällä\n"


ENCODED = {
    "meta charset": ('<meta charset="windows-1252"><p>Päättynyt – ok</p>', "cp1252", None),
    "latin-1 label means cp1252": ('<meta charset="ISO-8859-1"><p>Päättynyt – ok</p>', "cp1252", None),
    "http-equiv": ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>Päättynyt – ok</p>',
                   "iso-8859-15", None),
    "utf-8 BOM wins over meta": ('\ufeff<meta charset="cp1252"><p>Päättynyt – ok</p>', "utf-8", None),
    "utf-16 BOM": ('<html><p>Päättynyt – ok</p>', "utf-16", None),  # the codec writes the BOM
    "unknown label is utf-8": ('<meta charset="klingon"><p>Päättynyt – ok</p>', "utf-8", None),
    "--encoding wins": ('<meta charset="utf-8"><p>Päättynyt – ok</p>', "cp1252", "cp1252"),
}


@pytest.mark.parametrize(("page", "codec", "given"), ENCODED.values(), ids=ENCODED.keys())
def test_page_encoding(page: str, codec: str, given: str | None) -> None:
    data = page.encode(codec, "replace") if codec != "iso-8859-15" else page.replace("–", "-").encode(codec)
    expected = "Päättynyt – ok\n" if codec != "iso-8859-15" else "Päättynyt - ok\n"
    assert html_to_text(data, given) == expected


def test_declared_charset_reads_only_the_head() -> None:
    assert declared_charset(b"<meta charset='cp1252'>") == "cp1252"
    assert declared_charset(b" " * 3000 + b"<meta charset='cp1252'>") is None
    assert declared_charset(b"<meta charset='base64'>") is None


# --- Telling HTML, text and other documents apart ------------------------------------------------------------------
SNIFFED = {
    "doctype": (b"<!DOCTYPE html>\n<html>", True),
    "lower-case doctype": (b"<!doctype html><p>x", True),
    "html tag": (b"<html lang='fi'>", True),
    "bom, space, comments": (codecs.BOM_UTF8 + b"\n  <!-- saved from url=(0014)about:internet -->\n<!-- x --><body>",
                             True),
    "xml declaration": (b"<?xml version='1.0' encoding='utf-8'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", True),
    "fragment p": (b"<p>Kunta kuuluu kaikille</p>", True),
    "fragment div": (b'<div class="x">', True),
    "utf-16": (codecs.BOM_UTF16_LE + "<html>".encode("utf-16-le"), True),
    "the listing": (LISTING.read_bytes(), False),
    "text about a tag": (b"<p> on kappale HTML:ssa\n", True),
    "a word in brackets": (b"<Kunta> kuuluu kaikille\n", False),
    "pre is no p": (b"<presentation>\n", False),
    "markup later in the text": (b"Kunta kuuluu kaikille\n<p>x</p>", False),
    "empty": (b"", False),
}


@pytest.mark.parametrize(("data", "html"), SNIFFED.values(), ids=SNIFFED.keys())
def test_html_is_told_by_its_content(data: bytes, html: bool) -> None:
    assert looks_like_html(data) is html


DOCUMENTS = {
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
    "docx": (b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml\x00\x00word/document.xml", "a Word document (.docx)"),
    "odt": (b"PK\x03\x04\x14\x00\x00\x08\x00\x00mimetypeapplication/vnd.oasis.opendocument.textPK",
            "an OpenDocument text (.odt)"),
    "zip": (b"PK\x03\x04\x14\x00\x00\x00listing.txt", "a ZIP archive"),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "a Word document in the old .doc format (or another old "
                                                        "Office file)"),
    "rtf": (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}", "an RTF document"),
}


@pytest.mark.parametrize(("data", "kind"), DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_documents_are_refused_on_the_command_line(data: bytes, kind: str, tmp_path: Path) -> None:
    path = tmp_path / "sivu.dat"
    path.write_bytes(data)
    with pytest.raises(DocumentInputError):
        refuse_document(data)
    code, _, err = run("extract", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert err == f"Error: {path}: {kind}, not a listing; save the page as HTML or text\n"
    assert not (tmp_path / "out").exists()


def test_a_document_on_standard_input_is_refused(tmp_path: Path) -> None:
    code, _, err = run("extract", "-", "--out", str(tmp_path / "o"), input=b"%PDF-1.4\n")
    assert (code, err) == (2, "Error: <stdin>: a PDF document, not a listing; save the page as HTML or text\n")


PAGES_WITHOUT_A_LISTING = {
    "no text": ("<html><body><nav><a href='/'>Etusivu</a></nav><main> </main><footer>(c)</footer></body></html>",
                "an HTML page without a listing (its main content has no text)"),
    "no titles": ("<html><body><main><p>www.example.fi</p></main></body></html>",
                  "an HTML page without a listing (no project titles found in its main content)"),
}


@pytest.mark.parametrize(("page", "message"), PAGES_WITHOUT_A_LISTING.values(), ids=PAGES_WITHOUT_A_LISTING.keys())
def test_a_page_without_a_listing_is_refused(page: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "sivu.html"
    path.write_text(page, encoding="utf-8")
    code, _, err = run("extract", str(path), "--out", str(tmp_path / "out"))
    assert (code, err) == (2, f"Error: {path}: {message}\n")
    assert not (tmp_path / "out").exists()


def test_html_named_txt_is_read_as_html_and_text_named_html_as_text(tmp_path: Path) -> None:
    page, text = tmp_path / "page.txt", tmp_path / "text.html"
    page.write_text(SMALL_PAGE, encoding="utf-8")
    text.write_text(SMALL_TEXT, encoding="utf-8")
    outputs = []
    for path in (page, text):
        code, out, err = run("extract", str(path), "--out", "-", "-q")
        assert code == 0, err
        outputs.append(yaml.safe_load(out))
    assert outputs[0]["projects"] == [{**p, "source": {**p["source"], "file": str(page)}}
                                      for p in outputs[1]["projects"]]
    assert outputs[0]["source"]["sha256"] == hashlib.sha256(SMALL_PAGE.encode()).hexdigest()
    assert outputs[0]["source"]["lines"] == outputs[1]["source"]["lines"] == 10


def test_html_on_standard_input(tmp_path: Path) -> None:
    code, out, err = run("extract", "-", "--out", "-", input=SMALL_PAGE.encode())
    assert code == 0, err
    assert [p["title"] for p in yaml.safe_load(out)["projects"]] == ["Eka hanke", "Toka hanke"]


# --- --save-text -----------------------------------------------------------------------------------------------------
def test_save_text_writes_the_text_the_line_numbers_refer_to(tmp_path: Path) -> None:
    page, saved = tmp_path / "page.html", tmp_path / "page.txt"
    page.write_text(SMALL_PAGE, encoding="utf-8")
    code, _, err = run("extract", str(page), "--out", str(tmp_path / "out"), "--save-text", str(saved))
    assert code == 0, err
    text = saved.read_text(encoding="utf-8")
    assert text == SMALL_TEXT
    lines = text.splitlines()
    record = yaml.safe_load((tmp_path / "out" / "hankkeet.yaml").read_text(encoding="utf-8"))
    for project in record["projects"]:
        assert lines[project["source"]["line_start"] - 1].endswith(project["title"]), project
        for contact in project["contacts"]:
            assert lines[contact["line"] - 1].startswith(contact["name"]), contact
        for partner in project["partners"]:
            assert partner["raw"] in lines[partner["line"] - 1], partner


def test_save_text_of_a_text_listing_is_its_lines_as_read(tmp_path: Path) -> None:
    source, saved = tmp_path / "l.txt", tmp_path / "saved.txt"
    source.write_bytes(codecs.BOM_UTF8 + SMALL_TEXT.replace("\n", "\r\n").encode())
    saved.write_text("an older rendition\n", encoding="utf-8")
    saved.chmod(0o640)
    code, out, err = run("extract", str(source), "--out", "-", "-q", "--save-text", str(saved))
    assert code == 0, err
    assert out.startswith("generator:")
    assert saved.read_text(encoding="utf-8") == SMALL_TEXT
    assert saved.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.txt", "saved.txt"]  # no temporary file left


@pytest.mark.parametrize(("extra", "message"), [
    (["second"], "--save-text writes the text of one input; give one INPUT, not 2"),
    (["--check"], "--check writes nothing; it cannot be used with --save-text"),
])
def test_save_text_refusals(extra: list[str], message: str, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(SMALL_PAGE, encoding="utf-8")
    (tmp_path / "second").write_text(SMALL_TEXT, encoding="utf-8")
    args = [str(tmp_path / e) if e == "second" else e for e in extra]
    code, _, err = run("extract", str(page), *args, "--out", str(tmp_path / "o"), "--save-text",
                       str(tmp_path / "t.txt"))
    assert (code, err) == (2, f"Error: {message}\n")
    assert not (tmp_path / "t.txt").exists() and not (tmp_path / "o").exists()


def test_save_text_never_overwrites_the_input(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(SMALL_PAGE, encoding="utf-8")
    code, _, err = run("extract", str(page), "--out", str(tmp_path / "o"), "--save-text", str(page))
    assert (code, err) == (2, f"Error: --save-text {page}: that is the input; give another file name\n")
    assert page.read_text(encoding="utf-8") == SMALL_PAGE


def test_save_text_that_cannot_be_written_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(SMALL_PAGE, encoding="utf-8")
    (tmp_path / "file").write_text("", encoding="utf-8")
    target = tmp_path / "file" / "page.txt"  # its folder's name is taken by a file
    code, _, err = run("extract", str(page), "--out", str(tmp_path / "o"), "--save-text", str(target))
    assert code == 2
    assert err.startswith(f"Error: --save-text {target}: cannot write (") and err.endswith("nothing was written\n")
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


# --- Other commands read pages the same way ------------------------------------------------------------------------
def test_diff_takes_a_page_on_either_side(tmp_path: Path) -> None:
    page, text = tmp_path / "new.html", tmp_path / "old.txt"
    page.write_text(SMALL_PAGE, encoding="utf-8")
    text.write_text(SMALL_TEXT, encoding="utf-8")
    assert run("diff", str(text), str(page), "-q")[0] == 0
    page.write_text(SMALL_PAGE.replace("Muut kunnat: Lahti", "Muut kunnat: Lahti, Hollola"), encoding="utf-8")
    code, out, _ = run("diff", str(text), str(page), "--format", "json")
    assert code == 1
    assert json.loads(out)["changed"][0]["fields"] == {"partners": {"added": ["098"], "removed": []}}


def test_diff_refuses_a_pdf(tmp_path: Path) -> None:
    (tmp_path / "old.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "new.txt").write_text(SMALL_TEXT, encoding="utf-8")
    code, _, err = run("diff", str(tmp_path / "old.pdf"), str(tmp_path / "new.txt"))
    assert (code, err) == (2, f"Error: {tmp_path / 'old.pdf'}: a PDF document, not a listing; save the page as "
                              "HTML or text\n")


def test_a_text_listing_does_not_import_the_html_reader(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_text(SMALL_TEXT, encoding="utf-8")
    code = ("import sys\nfrom hankkeet.cli import main\ntry:\n"
            f"    main(['extract', {str(tmp_path / 'l.txt')!r}, '--out', '-', '-q'])\nexcept SystemExit:\n    pass\n"
            "print('hankkeet.webpage' in sys.modules, 'html.parser' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stderr.strip().splitlines()[-1] == "False False"


def test_a_bulleted_partner_list_in_a_text_listing(gazetteer: Gazetteer) -> None:
    """One item per line under the label, as a page's <ul> renders: every item is a partner, no warning; the
    text after the items is description again."""
    from hankkeet import extract
    text = ("Eka hanke\nKuvaus.\nMuut kunnat:\n- Tampere\n- Vantaa\n- Lahti\nLisätietoja\nAnna Aalto, Espoo\n")
    (project,) = extract(text, gazetteer).projects
    assert [(p.place.code, p.line) for p in project.partners] == [("837", 4), ("092", 5), ("398", 6)]
    assert project.diagnostics == ()
    text = "Eka hanke\nKuvaus.\nMuut kunnat:\n- Tampere\n- Vantaa\nLopuksi jotain muuta.\nLisätietoja\nAnna Aalto, Espoo\n"
    (project,) = extract(text, gazetteer).projects
    assert [p.place.code for p in project.partners] == ["837", "092"]
    assert project.description == "Kuvaus.\nLopuksi jotain muuta."


def test_a_teaser_article_beside_the_content_region_does_not_replace_it() -> None:
    """A region named as the content wins over an <article> elsewhere on the page (a news teaser)."""
    page = ("<body><div id='main-content'><p><strong>Eka hanke</strong></p><p>Kuvaus.</p></div>"
            "<div class='region-content-bottom'><article><p>Uutinen: uusi haku avattu</p></article></div></body>")
    assert html_to_text(page.encode()) == "Eka hanke\nKuvaus.\n"


@pytest.mark.parametrize(("classes", "text"), [
    ("entry-content has-share-buttons", "Eka hanke\n"),  # a modifier class names no furniture
    ("domain-list", "Eka hanke\n"),  # "domain" is no "main"
])
def test_classes_are_matched_by_whole_words(classes: str, text: str) -> None:
    page = f"<body><article><div class='{classes}'><p>Eka hanke</p></div></article></body>"
    assert html_to_text(page.encode()) == text


def test_a_share_block_is_still_furniture() -> None:
    page = "<body><main><p>Eka hanke</p><div class='share-buttons'><p>Jaa Facebookissa</p></div></main></body>"
    assert html_to_text(page.encode()) == "Eka hanke\n"


@pytest.mark.parametrize("name", ["projects.csv", "hankkeet.yaml"])
def test_save_text_never_overwrites_an_output(name: str, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(SMALL_PAGE, encoding="utf-8")
    target = tmp_path / "o" / name
    code, _, err = run("extract", str(page), "--out", str(tmp_path / "o"), "--save-text", str(target))
    assert (code, err) == (2, f"Error: --save-text {target}: that is an output of this run; give another file name\n")
    assert not (tmp_path / "o").exists()


def test_save_text_of_an_empty_name_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(SMALL_PAGE, encoding="utf-8")
    code, _, err = run("extract", str(page), "--out", str(tmp_path / "o"), "--save-text", "")
    assert code == 2 and err.splitlines()[-1].endswith("an empty name; give a file name")


@pytest.mark.parametrize("charset", ["utf-7", "cp500"])
def test_a_charset_in_which_markup_is_not_ascii_is_ignored(charset: str) -> None:
    """As browsers do: the page is read as UTF-8, never as UTF-7's "+AOQ-" or EBCDIC garbage."""
    page = f'<meta charset="{charset}"><p>Hämeenlinna +AOQ-</p>'.encode()
    assert html_to_text(page) == "Hämeenlinna +AOQ-\n"


def test_a_web_archive_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "page.mhtml"
    archive.write_bytes(b"From: <Saved by Blink>\nSnapshot-Content-Location: https://vm.fi/x\nMIME-Version: 1.0\n\n")
    code, _, err = run("extract", str(archive), "--out", str(tmp_path / "o"))
    assert (code, err) == (2, f"Error: {archive}: a web archive (MHTML, saved as a single file), not a listing; "
                              "save the page as HTML or text\n")
