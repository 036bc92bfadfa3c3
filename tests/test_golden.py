"""The whole seed listing against the reviewed summary; library and CLI agree; runs are deterministic."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import LISTING, LISTING_NAME
from summary import summarise

from hankkeet import extract
from hankkeet.cli import main
from hankkeet.model import Release
from hankkeet.output import to_yaml
from hankkeet.tables import to_csv

GOLDEN = Path(__file__).parent / "golden" / "kuntien-digihankkeet.summary.txt"


def test_seed_matches_the_reviewed_summary(release: Release, update_golden: bool) -> None:
    got = summarise(release)
    if update_golden:
        GOLDEN.write_text(got, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert got == expected, "seed extraction differs from tests/golden/; review with --update-golden and git diff"


def test_seed_counts(release: Release) -> None:
    projects = release.projects
    assert len(projects) == 142
    assert sum(p.ended for p in projects) == 70
    assert sum(len(p.partners) for p in projects) == 386
    assert sum(len(p.contacts) for p in projects) == 146
    assert [p.line_start for p in projects if p.language == "sv"] == [597, 638, 783, 1128, 1134]
    assert release.unassigned_lines == ()


def test_nothing_lost_on_the_seed(release: Release) -> None:
    covered = [n for p in release.projects for n in range(p.line_start, p.line_end + 1)]
    assert len(covered) == len(set(covered))
    non_blank = {i for i, line in enumerate(LISTING.read_text(encoding="utf-8").splitlines(), 1) if line.strip()}
    assert non_blank <= set(covered) | {line.number for line in release.unassigned_lines}


def test_cli_writes_what_the_library_returns(tmp_path: Path, release: Release) -> None:
    result = CliRunner().invoke(main, ["extract", LISTING_NAME, "--out", str(tmp_path), "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "hankkeet.yaml").read_text(encoding="utf-8") == to_yaml(release)
    for name, text in to_csv(release).items():
        assert (tmp_path / name).read_bytes() == text.encode("utf-8")


def test_two_runs_are_byte_identical(listing_bytes: bytes) -> None:
    first, second = extract(listing_bytes), extract(listing_bytes)
    assert to_yaml(first) == to_yaml(second)
    assert to_csv(first) == to_csv(second)
