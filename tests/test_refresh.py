"""make refresh (scripts/refresh.sh) end to end against a local server, in a copy of the repository's files."""
from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import LISTING, ROOT
from localserver import HTML, Answer, Server, serving

import hankkeet

LISTING_TEXT = LISTING.read_text(encoding="utf-8")
# An edit a ministry editor might make: a partner added to Espoo's eVaka project.
EDITED_TEXT = LISTING_TEXT.replace("Tampereelle valmius sen käyttöönottoon.", "Tampereelle ja Vantaalle valmius sen "
                                   "käyttöönottoon.").replace("Muut kunnat: Tampere\nLisätietoja\nMeri Vainio",
                                                              "Muut kunnat: Tampere, Vantaa\nLisätietoja\nMeri Vainio")
SUMMARY = """\
## Changes since hankkeet

**0 added, 0 removed, 0 renamed, 1 changed, 0 ended since hankkeet**

### Changed

- **Kuntien eVaka** (`espoo--kuntien-evaka`)
  - partners: + Vantaa (092)
  - description: … Espoossa ja luodaan Tampereelle {+ja Vantaalle+} valmius sen käyttöönottoon. Tavoitteena …
"""


def page(text: str) -> bytes:
    """The listing as a web page: each line a paragraph."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
    return (f'<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"></head>\n<body>\n<main>\n{paragraphs}'
            "</main>\n</body></html>\n").encode()


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as running:
        yield running


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The files make refresh needs, copied; .venv/bin/hankkeet runs this checkout's src/ (nothing is installed)."""
    copy = tmp_path / "repo"
    (copy / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "refresh.sh", copy / "scripts" / "refresh.sh")
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)
    (copy / "data" / "raw").mkdir(parents=True)
    shutil.copy2(LISTING, copy / "data" / "raw" / LISTING.name)  # extract would read it too if not told otherwise
    shutil.copy2(ROOT / "data" / "overrides.yaml", copy / "data" / "overrides.yaml")
    shutil.copytree(ROOT / "hankkeet", copy / "hankkeet")
    (copy / ".venv" / "bin").mkdir(parents=True)
    wrapper = copy / ".venv" / "bin" / "hankkeet"
    src = Path(hankkeet.__file__).parent.parent
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH="{src}" exec "{sys.executable}" -m hankkeet "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    (copy / ".venv" / ".installed").touch()  # newer than pyproject.toml: make does not set up a venv
    return copy


def refresh(repo: Path, url: str, *command: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "HANKKEET", "HANKKEET_ALLOW_SHRINK")}
    return subprocess.run(list(command or ["bash", "scripts/refresh.sh"]), cwd=repo, capture_output=True, text=True,
                          env={**env, "HANKKEET_URL": url, **extra}, timeout=120, check=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def snapshots(repo: Path) -> list[str]:
    return sorted(p.name for p in (repo / "data" / "raw").iterdir())


def test_the_same_listing_leaves_the_dataset_and_exits_0(server: Server, repo: Path) -> None:
    url = server.script("/listing", Answer(body=page(LISTING_TEXT), headers=HTML))
    before = tree(repo / "hankkeet")
    done = refresh(repo, url, "make", "--no-print-directory", "refresh")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "HANKKEET=.venv/bin/hankkeet bash scripts/refresh.sh\n"  # make echoes the command
    [day] = {name[:10] for name in snapshots(repo) if name[0].isdigit()}
    assert snapshots(repo) == [f"{day}.html", f"{day}.txt", "SNAPSHOTS.csv", LISTING.name]
    assert done.stderr.splitlines()[-1] == f"hankkeet/ is up to date with data/raw/{day}.txt", done.stderr
    assert tree(repo / "hankkeet") == before
    assert not (repo / "refresh-summary.md").exists()
    assert (repo / "data" / "out" / "hankkeet.yaml").is_file()


def test_an_edited_project_replaces_the_dataset_and_exits_1_with_the_summary(server: Server, repo: Path) -> None:
    url = server.script("/listing", Answer(body=page(EDITED_TEXT), headers=HTML))
    before = tree(repo / "hankkeet")
    done = refresh(repo, url)
    assert done.returncode == 1, done.stderr
    assert done.stdout == SUMMARY
    assert (repo / "refresh-summary.md").read_text(encoding="utf-8") == SUMMARY
    after = tree(repo / "hankkeet")
    assert sorted(name for name in after if after[name] != before.get(name)) == [
        "espoo--kuntien-evaka.yaml"]
    assert set(after) == set(before)
    again = refresh(repo, url)  # the page is the last snapshot now, and hankkeet/ is what it gives
    assert again.returncode == 0, again.stderr
    assert again.stdout == "" and not (repo / "refresh-summary.md").exists()
    assert again.stderr.splitlines()[0].startswith("unchanged since "), again.stderr


def test_make_refresh_fails_when_the_dataset_changed_and_leaves_the_summary(server: Server, repo: Path) -> None:
    """make turns the script's 1 into its own 2: refresh-summary.md is what tells a change from an error."""
    url = server.script("/listing", Answer(body=page(EDITED_TEXT), headers=HTML))
    done = refresh(repo, url, "make", "--no-print-directory", "refresh")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1].endswith("refresh] Error 1"), done.stderr
    assert (repo / "refresh-summary.md").read_text(encoding="utf-8") == SUMMARY


def test_a_page_that_cannot_be_fetched_is_an_error_and_changes_nothing(server: Server, repo: Path) -> None:
    url = server.script("/listing", Answer(404, b"<p>gone</p>", HTML))
    (repo / "refresh-summary.md").write_text("from an earlier run\n", encoding="utf-8")
    before = tree(repo)
    done = refresh(repo, url)
    assert done.returncode == 2
    assert done.stderr == f"Error: {url}: HTTP 404 Not Found; nothing was stored\n"
    del before["refresh-summary.md"]  # removed first: only a run that finds changes leaves one
    assert tree(repo) == before


def test_the_example_workflow_runs_make_refresh_and_opens_a_pull_request_from_its_summary() -> None:
    """The commands of the example workflow are the ones tested above; GitHub would not run the file as named."""
    path = ROOT / ".github" / "workflows" / "refresh.yml.example"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow[True]["schedule"] == [{"cron": "17 5 * * 1"}]  # YAML 1.1 reads the key `on` as true
    steps = workflow["jobs"]["refresh"]["steps"]
    assert [s.get("uses", s.get("name")) for s in steps] == [
        "actions/checkout@v4", "actions/setup-python@v5", "make refresh", "peter-evans/create-pull-request@v7"]
    assert "if make refresh; then" in steps[2]["run"] and "[ -s refresh-summary.md ]" in steps[2]["run"]
    assert steps[3]["with"]["body-path"] == "refresh-summary.md"
    assert "refresh:" in (ROOT / "Makefile").read_text(encoding="utf-8").split(".PHONY:")[1]


def test_the_snapshot_read_is_the_newest_that_snapshots_csv_names(server: Server, repo: Path) -> None:
    """Not the last file name that looks like a date: a stray 9999-99-99.txt is no snapshot."""
    (repo / "data" / "raw" / "9999-99-99.txt").write_text("Huoltokatko\n", encoding="utf-8")
    url = server.script("/listing", Answer(body=page(LISTING_TEXT), headers=HTML))
    before = tree(repo / "hankkeet")
    done = refresh(repo, url)
    assert done.returncode == 0, done.stderr
    [day] = {name[:10] for name in snapshots(repo) if name[:2] == "20"}
    assert done.stderr.splitlines()[-1] == f"hankkeet/ is up to date with data/raw/{day}.txt", done.stderr
    assert tree(repo / "hankkeet") == before


def shrunk() -> str:
    """The listing cut to its first 20 projects of 142: a page that lost most of its content."""
    lines = LISTING_TEXT.splitlines(keepends=True)
    ends = [number for number, text in enumerate(lines) if text == "Lisätietoja\n"]
    return "".join(lines[:ends[20] - 2])


def test_a_listing_with_less_than_half_the_projects_is_refused_unless_allowed(server: Server, repo: Path) -> None:
    url = server.script("/listing", Answer(body=page(shrunk()), headers=HTML))
    before = tree(repo / "hankkeet")
    done = refresh(repo, url)
    assert done.returncode == 2, done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith("Error: refusing to replace hankkeet/: the new listing has "), done.stderr
    assert last.endswith(" projects, the committed dataset 142; check the page (HANKKEET_ALLOW_SHRINK=1 to "
                         "accept)"), done.stderr
    assert done.stdout == "" and not (repo / "refresh-summary.md").exists()
    assert tree(repo / "hankkeet") == before and not (repo / "data" / "out").exists()
    allowed = refresh(repo, url, HANKKEET_ALLOW_SHRINK="1")
    assert allowed.returncode == 1, allowed.stderr
    assert allowed.stdout.startswith("## Changes since hankkeet")
    assert 0 < len(list((repo / "hankkeet").glob("*.yaml"))) < 71


def test_a_missing_dataset_is_created(server: Server, repo: Path) -> None:
    url = server.script("/listing", Answer(body=page(LISTING_TEXT), headers=HTML))
    committed = tree(repo / "hankkeet")
    shutil.rmtree(repo / "hankkeet")
    done = refresh(repo, url)
    assert done.returncode == 1, done.stderr
    [day] = {name[:10] for name in snapshots(repo) if name[0].isdigit()}
    assert done.stdout == f"## hankkeet/ created\n\n**142 projects from data/raw/{day}.txt**\n"
    assert (repo / "refresh-summary.md").read_text(encoding="utf-8") == done.stdout
    assert tree(repo / "hankkeet") == committed
