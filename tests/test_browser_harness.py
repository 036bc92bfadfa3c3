"""The browser harness (tests/browser.py) on a stand-in review page with the review page's conventions.

The stand-in: projects `id="project-<id>"` with `data-ended`, `data-language`, `data-warnings`; source lines
`id="line-<n>"`; warning links `href="#line-<n>"`; a checkbox `#only-warnings` and a text input `#filter-text` whose
inline script hides projects with the `hidden` attribute. When `hankkeet review` exists, the same checks run on it.
"""
from __future__ import annotations

import html
from pathlib import Path

import pytest
from browser import SCREENS, Page, chromium, page, png_colours, png_size, screenshot_at  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script></div><b>&amp; "quoted"'
PROJECTS = [  # id, title, ended, language, warnings (line numbers)
    ("1", "Digitaalinen asiointi", False, "fi", [7]),
    ("2", HOSTILE, True, "fi", []),
    ("3", "Digital service för kommuner", False, "sv", [150, 151]),
]
LINES = 200

SCRIPT = """
const onlyWarnings = document.getElementById('only-warnings');
const filterText = document.getElementById('filter-text');
function applyFilters() {
  const needle = filterText.value.trim().toLowerCase();
  for (const p of document.querySelectorAll('[id^="project-"]')) {
    const show = (!onlyWarnings.checked || p.dataset.warnings !== '0')
      && (!needle || p.textContent.toLowerCase().includes(needle));
    p.hidden = !show;
  }
}
onlyWarnings.addEventListener('change', applyFilters);
filterText.addEventListener('input', applyFilters);
"""


def stand_in_page(path: Path) -> Path:
    projects = []
    for pid, title, ended, language, warnings in PROJECTS:
        links = "".join(f'<li><a href="#line-{n}">line {n}: title-like-line</a></li>' for n in warnings)
        projects.append(f'<section id="project-{pid}" data-ended="{str(ended).lower()}" data-language="{language}"'
                        f' data-warnings="{len(warnings)}"><h2>{html.escape(title)}</h2><ul>{links}</ul></section>')
    lines = "".join(f'<div id="line-{n}"><span class="n">{n}</span> {html.escape(f"source line {n}")}</div>'
                    for n in range(1, LINES + 1))
    path.write_text(
        '<!doctype html><html lang="fi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>review</title>'
        '<style>body{font-family:sans-serif;margin:1em;color:#222;background:#fff}'
        ':target{background:#ffec80}section{border:1px solid #ccc;padding:.5em;margin:.5em 0}</style></head><body>'
        '<label><input type="checkbox" id="only-warnings"> only with warnings</label> '
        '<input type="search" id="filter-text" placeholder="filter">'
        f'<main>{"".join(projects)}</main><pre>{lines}</pre><script>{SCRIPT}</script></body></html>',
        encoding="utf-8")
    return path


@pytest.fixture
def stand_in(tmp_path: Path) -> Path:
    return stand_in_page(tmp_path / "review.html")


def visible_projects(page: Page) -> list[str]:  # noqa: F811
    return page.js("[...document.querySelectorAll('[id^=\"project-\"]')].filter(p => !p.hidden).map(p => p.id)")


def test_every_project_and_warning_is_present(page: Page, stand_in: Path) -> None:  # noqa: F811
    page.open(stand_in)
    found = page.js("""[...document.querySelectorAll('[id^="project-"]')].map(p => [p.id, p.dataset.ended,
        p.dataset.language, +p.dataset.warnings, [...p.querySelectorAll('a[href^="#line-"]')].map(a =>
        a.getAttribute('href'))])""")
    assert found == [[f"project-{pid}", str(ended).lower(), language, len(warnings), [f"#line-{n}" for n in warnings]]
                     for pid, _, ended, language, warnings in PROJECTS]
    assert page.js("document.querySelectorAll('[id^=\"line-\"]').length") == LINES


@pytest.mark.parametrize("line", [7, 150])
def test_a_warning_link_goes_to_its_line(page: Page, stand_in: Path, line: int) -> None:  # noqa: F811
    page.open(stand_in)
    page.click(f'a[href="#line-{line}"]')
    assert page.js("location.hash") == f"#line-{line}"
    assert page.js("document.querySelector(':target').id") == f"line-{line}"
    top, bottom = page.js(f"(r => [r.top, r.bottom])(document.getElementById('line-{line}').getBoundingClientRect())")
    assert 0 <= top and bottom <= page.js("innerHeight"), "the target line is not in the viewport"
    assert page.js(f"document.getElementById('line-{line}').textContent") == f"{line} source line {line}"


def test_hostile_title_renders_as_text_and_adds_no_element(page: Page, stand_in: Path) -> None:  # noqa: F811
    page.open(stand_in)
    assert page.js("document.querySelector('#project-2 h2').textContent") == HOSTILE
    assert page.js("document.querySelector('#project-2 h2').children.length") == 0
    assert page.js("document.querySelectorAll('img, b').length") == 0
    assert page.js("document.scripts.length") == 1
    assert page.js("window.pwned === undefined")


def test_filters_hide_and_show_projects(page: Page, stand_in: Path) -> None:  # noqa: F811
    page.open(stand_in)
    assert visible_projects(page) == ["project-1", "project-2", "project-3"]
    page.click("#only-warnings")
    assert page.js("document.getElementById('only-warnings').checked") is True
    assert visible_projects(page) == ["project-1", "project-3"]
    page.type("#filter-text", "för")
    assert visible_projects(page) == ["project-3"]
    page.click("#only-warnings")
    page.type("#filter-text", "QUOTED")
    assert visible_projects(page) == ["project-2"]
    page.type("#filter-text", "")
    assert visible_projects(page) == ["project-1", "project-2", "project-3"]


def test_the_page_makes_no_network_request(page: Page, stand_in: Path) -> None:  # noqa: F811
    page.open(stand_in)
    page.click('a[href="#line-7"]')
    page.click("#only-warnings")
    assert page.requests == [stand_in.resolve().as_uri()]


def test_the_harness_sees_requests_a_page_makes(page: Page, tmp_path: Path) -> None:  # noqa: F811
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!doctype html><img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="other.css">',
                     encoding="utf-8")
    page.open(leaky)
    assert page.requests[0] == leaky.resolve().as_uri()
    assert set(page.requests[1:]) == {"http://127.0.0.1:9/x.png", (tmp_path / "other.css").resolve().as_uri()}


@pytest.mark.parametrize(("width", "height", "mobile"), SCREENS.values(), ids=SCREENS.keys())
def test_screenshot_is_not_blank(page: Page, stand_in: Path, width: int, height: int,  # noqa: F811
                                 mobile: bool) -> None:
    png = screenshot_at(page, stand_in, width, height, mobile)
    assert png_size(png) == (width, height)
    assert png_colours(png) > 2


def test_blank_page_screenshot_is_seen_as_blank(page: Page, tmp_path: Path) -> None:  # noqa: F811
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><body style='background:#fff'></body>", encoding="utf-8")
    page.set_size(390, 844, mobile=True)
    page.open(blank)
    assert png_colours(page.screenshot()) == 1


def test_the_page_loads_in_under_a_second(page: Page, stand_in: Path) -> None:  # noqa: F811
    wall = page.open(stand_in)
    load_end = page.js("performance.getEntriesByType('navigation')[0].loadEventEnd")
    assert 0 < load_end < 1000, f"load event ended {load_end} ms after navigation start"
    assert wall < 1.0, f"open() took {wall:.2f} s"
