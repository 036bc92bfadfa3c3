"""The review page (hankkeet review, extract --review), its pictures and diff --format html: parsed, no browser."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from hankkeet.cli import main
from hankkeet.diagnostics import CODES, Diagnostic
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.pages import review_page, word_changes
from hankkeet.review import SEVERITY, build_review, segments, severity_key
from hankkeet.svg import ended_by_region, ranking, region_matrix

from conftest import LISTING, LISTING_NAME

HOSTILE = """\
Digitaalinen hanke <script>alert(1)</script>
Hankkeessa kehitetään palveluja. Katso javascript:alert(1) ja https://example.fi/hanke?a=1&b=2 sivulta.
Muut kunnat: Loppi, Riihimäki
Lisätietoja:
Matti Meikäläinen, Hausjärvi

Toinen hanke "><img src=x onerror=alert(1)>
Toinen kuvaus hankkeesta.
Lisätietoja:
Maija Malli, Espoo
"""


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]


@dataclass
class Page(HTMLParser):
    """Every element with its attributes, and the text of every script and style."""

    elements: list[Element] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    _in_script: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def find(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [e for e in self.elements if (tag is None or e.tag == tag)
                and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def ids(self) -> set[str]:
        return {str(e.attrs["id"]) for e in self.elements if e.attrs.get("id")}


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def seed_page(gazetteer: Gazetteer) -> tuple[str, Release]:
    result = CliRunner().invoke(main, ["review", LISTING_NAME, "--out", "-", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    from hankkeet import extract
    return result.stdout, extract(LISTING.read_bytes(), gazetteer, file=LISTING_NAME)


def test_seed_page_is_small_and_has_one_element_per_project_and_warning(seed_page: tuple[str, Release]) -> None:
    html, release = seed_page
    assert len(html.encode("utf-8")) < 1024 * 1024
    page = parse(html)
    projects = page.find("article")
    assert [e.attrs["id"] for e in projects] == [f"project-{p.id}" for p in release.projects]
    assert [e.attrs["data-ended"] for e in projects] == [str(p.ended).lower() for p in release.projects]
    assert [e.attrs["data-language"] for e in projects] == [p.language for p in release.projects]
    assert [e.attrs["data-warnings"] for e in projects] == [str(len(p.diagnostics)) for p in release.projects]
    assert len(page.find("li", class_="warning")) == len(release.diagnostics) == 24


def test_every_link_points_at_an_element_of_the_page(seed_page: tuple[str, Release]) -> None:
    html, release = seed_page
    page = parse(html)
    ids = page.ids()
    internal = [str(e.attrs["href"])[1:] for e in page.find("a") if str(e.attrs.get("href", "")).startswith("#")]
    filters = {"all", "f-warned", "f-ended", "f-ongoing", "f-fi", "f-sv"}
    assert {h for h in internal if h not in ids} == set()
    assert filters <= ids
    warning_links = [e.attrs["href"] for e in page.elements if e.tag == "a"
                     and str(e.attrs.get("href", "")).startswith("#line-")]
    assert {f"#line-{d.line}" for d in release.diagnostics} <= set(warning_links)
    assert {f"line-{n}" for n in range(1, 1190) if LISTING.read_text("utf-8").splitlines()[n - 1].strip()} <= ids


def test_warnings_most_serious_first(seed_page: tuple[str, Release]) -> None:
    html, release = seed_page
    codes = re.findall(r'<li class="warning">.*?<span class="code">([a-z-]+)</span>', html)
    assert codes == [d.code for d in sorted(release.diagnostics, key=severity_key)]
    assert codes[0] == "lead-unknown"
    assert set(SEVERITY) == set(CODES), "every diagnostic code has a place in the order"


def test_self_contained(seed_page: tuple[str, Release]) -> None:
    html, _ = seed_page
    page = parse(html)
    for e in page.elements:
        for name in ("src", "href", "action", "data", "poster", "srcset"):
            value = str(e.attrs.get(name) or "")
            if e.tag == "a" and name == "href":
                continue  # a link to a page is the reader's choice, not a resource the page loads
            assert not re.match(r"\s*(https?:)?//", value), (e.tag, name, value)
    assert not page.find("link") and not page.find("img") and not page.find("iframe")
    assert all(not e.attrs.get("src") for e in page.find("script")), "the script is inline"
    assert "@import" not in html and "url(" not in html


def test_pictures_show_the_readme_numbers(seed_page: tuple[str, Release], gazetteer: Gazetteer) -> None:
    html, release = seed_page
    assert html.count("<svg") == 3
    top = [(name, sum(counts.values())) for name, counts in ranking(release, gazetteer.municipalities)][:10]
    assert top == [("Espoo", 13), ("Turku", 12), ("Oulu", 11), ("Porvoo", 11), ("Lahti", 10), ("Tampere", 10),
                   ("Vantaa", 9), ("Helsinki", 8), ("Hämeenlinna", 8), ("Järvenpää", 7)]
    ended = ended_by_region(release, gazetteer.municipalities)
    assert ended[:3] == [("Uusimaa", 28, 15), ("Pohjois-Pohjanmaa", 17, 8), ("Pirkanmaa", 14, 8)]
    regions, cells = region_matrix(release, gazetteer.municipalities)
    assert all(cells[(a, b)] == cells[(b, a)] for a, b in cells)
    assert all(cells[(a, b)] <= min(cells[(a, a)], cells[(b, b)]) for a, b in cells)
    svg = html[html.index("<svg"):]
    for name in ("Espoo", "Turku", "Oulu", "Uusimaa", "15 of 28 (53.6 %)"):
        assert name in svg


def test_hostile_titles_are_text(tmp_path: Path, gazetteer: Gazetteer) -> None:
    from hankkeet import extract
    release = extract(HOSTILE.encode(), gazetteer, file="hostile.txt")
    assert [p.title for p in release.projects] == ["Digitaalinen hanke <script>alert(1)</script>",
                                                   'Toinen hanke "><img src=x onerror=alert(1)>']
    html = review_page(release, HOSTILE, gazetteer.municipalities)
    page = parse(html)
    assert len(page.find("script")) == 1 and "alert" not in "".join(page.scripts)
    assert page.find("img") == []
    assert not [e for e in page.elements if any(k.startswith("on") for k in e.attrs)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_only_http_urls_become_links(gazetteer: Gazetteer) -> None:
    from hankkeet import extract
    release = extract(HOSTILE.encode(), gazetteer, file="hostile.txt")
    page = parse(review_page(release, HOSTILE, gazetteer.municipalities))
    external = [e.attrs for e in page.find("a") if not str(e.attrs.get("href")).startswith("#")]
    assert external == [{"href": "https://example.fi/hanke?a=1&b=2", "rel": "noopener noreferrer"}]
    assert [s.href for s in segments("javascript:alert(1) data:text/html,x JAVASCRIPT://x", [])] == [None]
    assert [s.href for s in segments("see http://a.fi/x.", [])] == [None, "http://a.fi/x", None]


def test_values_are_marked_at_their_line(gazetteer: Gazetteer) -> None:
    from hankkeet import extract
    release = extract(HOSTILE.encode(), gazetteer, file="hostile.txt")
    review = build_review(release, HOSTILE)
    first = {line.number: line for line in review.projects[0].lines}
    assert [s.field for s in first[1].segments if s.field] == ["title"]
    assert [(s.field, s.text) for s in first[3].segments if s.field] == [("partner", "Loppi"),
                                                                         ("partner", "Riihimäki")]
    assert [(s.field, s.text) for s in first[5].segments if s.field] == [("contact", "Matti Meikäläinen"),
                                                                         ("lead", "Hausjärvi")]
    assert [name for name, _ in first[5].values] == ["lead", "contact"]


def test_lines_outside_projects_and_warnings_on_them_are_shown(gazetteer: Gazetteer) -> None:
    release = Release(source=build_release_source(), projects=(),
                      diagnostics=(Diagnostic("unassigned-line", 2, "x"),))
    review = build_review(release, "a\nb\n")
    assert [line.number for line in review.unassigned] == [2]


def build_release_source():  # type: ignore[no-untyped-def]
    from hankkeet.model import SourceInfo
    return SourceInfo("x.txt", "0" * 64, 2)


def test_extract_review_writes_the_page_with_the_other_outputs(tmp_path: Path) -> None:
    listing = tmp_path / "listing.txt"
    listing.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(listing), "--out", str(out), "--review", "--no-sqlite"])
    assert result.exit_code == 0, result.output
    assert (out / "review.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    result = CliRunner().invoke(main, ["extract", str(listing), "--out", str(out), "--review", "--no-sqlite",
                                       "--check"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["extract", str(listing), "--out", str(out), "--no-sqlite"])
    assert result.exit_code == 0, result.output
    assert not (out / "review.html").exists(), "a page of an earlier run would describe another listing"
    result = CliRunner().invoke(main, ["extract", str(listing), "--out", "-", "--review"])
    assert result.exit_code == 2, result.output


def test_diff_html_lists_added_removed_renamed_changed(tmp_path: Path) -> None:
    text = LISTING.read_text("utf-8")
    new = text.replace("\nLUMINA\n", "\nLUMINA – Lean, uniform management\n")
    new = new.replace("\nMuut kunnat: Loppi\n", "\nMuut kunnat: Loppi, Riihimäki\n")
    new = new.replace("\n2. Kaupunki omadataoperaattorina\n", "\n2. Kaupunki omadataoperaattorina\nHANKE ON PÄÄTTYNYT.\n")
    new += "\nUusi hanke <b>lihava</b>\nKuvaus uudesta hankkeesta.\nLisätietoja:\nMaija Malli, Espoo\n"
    old = text + "\nVanha poistuva hanke\nKuvaus vanhasta hankkeesta.\nLisätietoja:\nMatti Malli, Oulu\n"
    (tmp_path / "old.txt").write_text(old, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new, encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"),
                                       "--format", "html"])
    assert result.exit_code == 1, result.output
    page = parse(result.stdout)
    ids = page.ids()
    assert {"added", "removed", "renamed", "changed"} <= ids
    assert "added-espoo--uusi-hanke-b-lihava-b" in ids
    assert "removed-oulu--vanha-poistuva-hanke" in ids
    assert "renamed-pietarsaari--lumina-lean-uniform-management" in ids
    assert "changed-helsinki--kaupunki-omadataoperaattorina" in ids
    assert page.find("b") == [], "a tag in a title is text"
    assert "<ins>+ Riihimäki (694)</ins>" in result.stdout
    # each project of a listing side with its source lines: the new title at its line of new.txt, the removed
    # project's lines from old.txt
    new_lines = new.split("\n")
    lumina = new_lines.index("LUMINA – Lean, uniform management") + 1
    assert f"<tr><th scope=\"row\">{lumina}</th><td>LUMINA – Lean, uniform management</td></tr>" in result.stdout
    removed_line = old.split("\n").index("Vanha poistuva hanke") + 1
    assert f"<tr><th scope=\"row\">{removed_line}</th><td>Vanha poistuva hanke</td></tr>" in result.stdout
    assert f"of {tmp_path / 'old.txt'}</summary>" in result.stdout


def test_diff_html_of_yaml_sides_has_records_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(LISTING), "--out", str(out), "-q", "--no-sqlite"]).exit_code == 0
    result = CliRunner().invoke(main, ["diff", str(out / "hankkeet.yaml"), str(LISTING), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "source-lines" not in result.stdout


def test_word_changes_mark_inserted_and_deleted_words() -> None:
    assert word_changes("a b c d", "a x c d e") == [("equal", "a"), ("delete", "b"), ("insert", "x"),
                                                    ("equal", "c d"), ("insert", "e")]
