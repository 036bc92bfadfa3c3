"""The review and diff pages of `hankkeet` in headless Chromium (tests/browser.py), checked through the DOM."""
from __future__ import annotations

from pathlib import Path

import pytest
from browser import SCREENS, Page, chromium, page, png_colours, png_size, screenshot_at  # noqa: F401 (fixtures)
from click.testing import CliRunner
from conftest import LISTING

from hankkeet import extract
from hankkeet.cli import main

pytestmark = pytest.mark.browser

HOSTILE_TITLES = ["Hanke <script>window.pwned=1</script>", 'Toinen "><img src=x onerror="window.pwned=2"> hanke']
HOSTILE = ("".join(f"{title}\nKuvaus, jossa linkki https://example.fi/a ja javascript:alert(1).\n"
                   f"Muut kunnat: Tampere\nLisätietoja\nAnna Aalto, Espoo\n" for title in HOSTILE_TITLES))


def _write(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out


@pytest.fixture(scope="module")
def review_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("review"), "review", str(LISTING), "-q")


def _visible(page: Page) -> list[str]:  # noqa: F811
    return page.js("[...document.querySelectorAll('article.project')].filter(p => !p.hidden).map(p => p.id)")


def test_every_project_and_warning_is_there(page: Page, review_page: Path) -> None:  # noqa: F811
    release = extract(LISTING.read_bytes())
    page.open(review_page)
    assert _visible(page) == [f"project-{p.id}" for p in release.projects]
    links = page.js("[...document.querySelectorAll('#warnings a[href^=\"#line-\"]')].map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"#line-{d.line}" for d in release.diagnostics)
    missing = page.js("[...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href'))"
                      ".filter(h => h.length > 1 && !document.getElementById(h.slice(1)))")
    assert missing == []


def test_a_warning_link_goes_to_its_line(page: Page, review_page: Path) -> None:  # noqa: F811
    page.open(review_page)
    first = page.js("document.querySelector('#warnings a[href^=\"#line-\"]').getAttribute('href')")
    page.click(f'#warnings a[href="{first}"]')
    assert page.js("document.querySelector(':target').id") == first[1:]
    top = page.js(f"document.getElementById('{first[1:]}').getBoundingClientRect().top")
    assert -1 <= top < page.js("innerHeight")  # scrolled to it (sub-pixel rounding aside)
    number = int(first.removeprefix("#line-"))
    text = LISTING.read_text(encoding="utf-8").splitlines()[number - 1].strip()
    assert page.js(f"document.getElementById('{first[1:]}').textContent").startswith(f"{number}{text[:20]}")


def test_the_filters_hide_and_show_the_right_projects(page: Page, review_page: Path) -> None:  # noqa: F811
    release = extract(LISTING.read_bytes())
    page.open(review_page)
    page.click("#filter-warned")
    assert _visible(page) == [f"project-{p.id}" for p in release.projects if p.diagnostics]
    page.click("#filter-warned")
    page.type("#filter-text", "eVaka")
    assert _visible(page) == ["project-espoo--kuntien-evaka"]
    page.type("#filter-text", "")
    page.js("(s => { s.value = 'true'; s.dispatchEvent(new Event('change')); })(document.getElementById('filter-status'))")
    assert _visible(page) == [f"project-{p.id}" for p in release.projects if p.ended]
    page.js("(s => { s.value = 'sv'; s.dispatchEvent(new Event('change')); })(document.getElementById('filter-language'))")
    assert _visible(page) == [f"project-{p.id}" for p in release.projects if p.ended and p.language == "sv"]


def test_hostile_titles_render_as_text(page: Page, tmp_path: Path) -> None:  # noqa: F811
    listing = tmp_path / "hostile.txt"
    listing.write_text(HOSTILE, encoding="utf-8")
    page.open(_write(tmp_path, "review", str(listing), "-q"))
    titles = page.js("[...document.querySelectorAll('article.project h2, article.project h3')].map(h => h.textContent)")
    assert all(any(title in t for t in titles) for title in HOSTILE_TITLES), titles
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.js("window.pwned === undefined")
    assert page.js("[...document.scripts].every(s => !s.textContent.includes('pwned'))")
    links = page.js("[...document.querySelectorAll('#projects a[href^=\"http\"], #projects a[href^=\"javascript\"]')]"
                    ".map(a => [a.getAttribute('href'), a.rel])")
    assert links and all(href.startswith("https://") and rel == "noopener noreferrer" for href, rel in links)


def test_the_pages_make_no_network_request(page: Page, review_page: Path, tmp_path: Path) -> None:  # noqa: F811
    page.open(review_page)
    page.click("#filter-warned")
    assert page.requests == [review_page.resolve().as_uri()]
    new = tmp_path / "new.txt"
    new.write_text(LISTING.read_text(encoding="utf-8").replace("Kuntien eVaka", "Kuntien eVaka 2.0"), encoding="utf-8")
    diff_page = tmp_path / "diff.html"
    result = CliRunner().invoke(main, ["diff", str(LISTING), str(new), "--format", "html"])
    assert result.exit_code == 1, result.output
    diff_page.write_bytes(result.stdout_bytes)
    page.open(diff_page)
    assert page.requests == [diff_page.resolve().as_uri()]
    assert page.js("document.querySelectorAll('#renamed article.project').length") == 1


@pytest.mark.parametrize(("width", "height", "mobile"), SCREENS.values(), ids=SCREENS.keys())
def test_screenshots_are_not_blank(page: Page, review_page: Path, width: int, height: int,  # noqa: F811
                                   mobile: bool) -> None:
    png = screenshot_at(page, review_page, width, height, mobile)
    assert png_size(png) == (width, height)
    assert png_colours(png) > 2


def test_the_listing_page_is_small_and_quick(page: Page, review_page: Path) -> None:  # noqa: F811
    assert review_page.stat().st_size < 1024 * 1024
    wall = page.open(review_page)
    load_end = page.js("performance.getEntriesByType('navigation')[0].loadEventEnd")
    assert 0 < load_end < 1000, f"load event ended {load_end} ms after navigation start"
    assert wall < 1.0, f"open() took {wall:.2f} s"
