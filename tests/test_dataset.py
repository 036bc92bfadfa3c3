"""The released dataset, --check, the diff command on all three input kinds, and the Data Package."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LISTING, ROOT

from hankkeet.cli import main

SEED_DATASET = ROOT / "hankkeet"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def seed_with(tmp_path: Path, index_rows: str = "", files: dict[str, str] | None = None) -> Path:
    """A copy of the seed dataset, as an earlier run left it, with rows added to its index and files beside it."""
    dataset = tmp_path / "d"
    shutil.copytree(SEED_DATASET, dataset)
    for name, text in (files or {}).items():
        (dataset / name).write_text(text, encoding="utf-8")
    with (dataset / "index.csv").open("a", encoding="utf-8") as index:
        index.write(index_rows)
    return dataset


def test_committed_dataset_is_up_to_date() -> None:
    code, _, err = run("dataset", str(LISTING), "--into", str(SEED_DATASET), "--check")
    assert code == 0, err


def test_dataset_has_one_file_per_project_and_an_index(tmp_path: Path) -> None:
    code, _, err = run("dataset", str(LISTING), "--into", str(tmp_path / "d"))
    assert code == 0, err
    files = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert len(files) == 143 and "index.csv" in files
    index = (tmp_path / "d" / "index.csv").read_text(encoding="utf-8").splitlines()
    assert index[0] == "id,title,lead,lead_code,ended"
    assert "helsinki--lampio-hanke,Lämpiö-hanke,Helsinki,091,true" in index


def test_check_fails_on_a_hand_edited_file_and_passes_after_regenerating(tmp_path: Path) -> None:
    dataset = tmp_path / "d"
    shutil.copytree(SEED_DATASET, dataset)
    edited = dataset / "ii--open-agenda.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("ended: false", "ended: true"), encoding="utf-8")
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset), "--check")
    assert code == 1
    assert "~ changed  ii--open-agenda  Open Agenda\n    ended: true → false\n" in err
    assert f"differs: {edited.as_posix()}" in err
    assert run("dataset", str(LISTING), "--into", str(dataset))[0] == 0
    assert run("dataset", str(LISTING), "--into", str(dataset), "--check")[0] == 0


def test_stale_project_files_are_removed_and_reported(tmp_path: Path) -> None:
    dataset = seed_with(tmp_path, "old--gone,Gone,,,false\n",
                        {"old--gone.yaml": "id: old--gone\ntitle: Gone\nended: false\n"})
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset), "--check")
    assert code == 1 and "not generated:" in err and "- removed  old--gone  Gone" in err
    assert run("dataset", str(LISTING), "--into", str(dataset))[0] == 0
    assert not (dataset / "old--gone.yaml").exists()


def test_extract_check(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("extract", str(LISTING), "--out", str(out), "--check", "-q")[0] == 1
    assert run("extract", str(LISTING), "--out", str(out), "-q")[0] == 0
    assert run("extract", str(LISTING), "--out", str(out), "--check", "-q")[0] == 0


@pytest.fixture(scope="module")
def edited_listing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = LISTING.read_text(encoding="utf-8")
    text = text.replace("2. Kuntien eVaka\n", "2. Kuntien eVaka\nHANKE ON PÄÄTTYNYT.\n", 1)
    text = text.replace("Muut kunnat: Tampere\n", "Muut kunnat: Tampere, Vantaa\n", 1)
    text = text.replace("Open Agenda\n", "Open Agenda 2.0\n", 1)
    path = tmp_path_factory.mktemp("edited") / "new.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_diff_of_raw_listings_yaml_and_dataset_agree(tmp_path: Path, edited_listing: Path) -> None:
    assert run("extract", str(LISTING), "--out", str(tmp_path / "old"), "-q")[0] == 0
    assert run("dataset", str(edited_listing), "--into", str(tmp_path / "new"))[0] == 0
    outputs = set()
    for old, new in ((str(LISTING), str(edited_listing)), (str(tmp_path / "old" / "hankkeet.yaml"),
                     str(tmp_path / "new")), (str(SEED_DATASET), str(edited_listing))):
        code, stdout, _ = run("diff", old, new, "--format", "json")
        assert code == 1
        outputs.add(stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["summary"] == {"added": 0, "removed": 0, "renamed": 1, "changed": 1, "ended": 1}


def test_diff_exit_codes(tmp_path: Path) -> None:
    code, stdout, err = run("diff", str(LISTING), str(SEED_DATASET))
    assert code == 0, stdout + err
    bad = tmp_path / "evil.yaml"
    bad.write_text("!!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    code, _, err = run("diff", str(bad), str(LISTING))
    assert code == 2
    assert err.startswith(f"Error: {bad}: line 1: not valid YAML (could not determine a constructor"), err
    assert run("diff", str(tmp_path / "missing.yaml"), str(LISTING))[0] == 2
    (tmp_path / "empty").mkdir()
    assert run("diff", str(tmp_path / "empty"), str(LISTING))[0] == 2


def test_diff_markdown(edited_listing: Path) -> None:
    code, stdout, _ = run("diff", str(LISTING), str(edited_listing), "--format", "markdown")
    assert code == 1
    assert stdout.startswith(f"## Changes since {LISTING}\n\n**0 added, 0 removed, 1 renamed, 1 changed, 1 ended")


def test_datapackage_validates_the_csvs(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    assert run("extract", str(LISTING), "--out", str(tmp_path), "-q")[0] == 0
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    partners = tmp_path / "partners.csv"
    partners.write_text(partners.read_text(encoding="utf-8").replace(',"398",', ",398,").replace(",398,", ",39,", 1),
                        encoding="utf-8")
    broken = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not broken.valid
    assert {e[0] for e in broken.flatten(["type"])} == {"constraint-error", "foreign-key"}  # 39 is no code either


def test_datapackage_checks_municipality_codes_against_municipalities_csv(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    assert run("extract", str(LISTING), "--out", str(tmp_path), "-q", "--no-sqlite")[0] == 0
    participants = tmp_path / "participants.csv"
    text = participants.read_text(encoding="utf-8")
    assert ",lead,049,Espoo," in text
    participants.write_text(text.replace(",lead,049,Espoo,", ",lead,001,Espoo,", 1), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert [e[0] for e in report.flatten(["type"])] == ["foreign-key"], report.flatten(["type", "note"])


@pytest.mark.parametrize("foreign", ["docker-compose.yaml", ".pre-commit-config.yaml", "notes.yaml"])
def test_yaml_files_hankkeet_did_not_write_are_never_removed(tmp_path: Path, foreign: str) -> None:
    dataset = tmp_path / "d"
    shutil.copytree(SEED_DATASET, dataset)
    (dataset / foreign).write_text("services: {}\n", encoding="utf-8")
    for args in ([], ["--check"]):
        code, _, err = run("dataset", str(LISTING), "--into", str(dataset), *args)
        assert code == 2 and err.count("\n") == 1 and "hankkeet did not write" in err and "--force" in err, err
    assert (dataset / foreign).read_text(encoding="utf-8") == "services: {}\n"
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset), "--force")
    assert code == 0 and "1 file hankkeet did not write left alone" in err, err
    assert (dataset / foreign).read_text(encoding="utf-8") == "services: {}\n"


def test_a_folder_named_like_a_project_file_is_not_followed(tmp_path: Path) -> None:
    dataset = tmp_path / "d"
    shutil.copytree(SEED_DATASET, dataset)
    target = dataset / "ii--open-agenda.yaml"
    target.unlink()
    target.mkdir()
    (target / "mine.txt").write_text("keep", encoding="utf-8")
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset))
    assert code == 2 and "ii--open-agenda.yaml: is a directory; not replacing it" in err, err
    assert (target / "mine.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in dataset.iterdir()) == sorted(p.name for p in SEED_DATASET.iterdir())


def test_a_foreign_index_is_not_replaced(tmp_path: Path) -> None:
    dataset = tmp_path / "d"
    dataset.mkdir()
    (dataset / "index.csv").write_text("name,value\nx,1\n", encoding="utf-8")
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset))
    assert code == 2 and "not an index.csv written by hankkeet" in err, err
    assert (dataset / "index.csv").read_text(encoding="utf-8") == "name,value\nx,1\n"


def test_the_index_cannot_make_the_dataset_remove_files_elsewhere(tmp_path: Path) -> None:
    outside = tmp_path / "precious.yaml"
    outside.write_text("x: 1\n", encoding="utf-8")
    dataset = seed_with(tmp_path, "../precious,Gone,,,false\n")
    assert run("dataset", str(LISTING), "--into", str(dataset))[0] == 0
    assert outside.read_text(encoding="utf-8") == "x: 1\n"


def test_an_index_row_that_is_not_a_project_id_cannot_remove_a_file(tmp_path: Path) -> None:
    dataset = seed_with(tmp_path, "docker-compose,x,y,1,false\r\n", {"docker-compose.yaml": "services: {}\n"})
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset))
    assert code == 2 and "docker-compose.yaml" in err, err
    assert (dataset / "docker-compose.yaml").exists()


def test_the_list_of_foreign_files_is_short(tmp_path: Path) -> None:
    dataset = tmp_path / "d"
    shutil.copytree(SEED_DATASET, dataset)
    (dataset / "index.csv").write_text("id,title,lead,lead_code,ended\r\n", encoding="utf-8")  # lists nothing
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset))
    assert code == 2 and err.count("\n") == 1 and " and 137 more); move them away" in err, err


def test_a_blank_line_in_the_index_is_skipped(tmp_path: Path) -> None:
    dataset = seed_with(tmp_path, "\n")
    assert run("dataset", str(LISTING), "--into", str(dataset))[0] == 0


def test_an_unreadable_index_is_one_line(tmp_path: Path) -> None:
    dataset = tmp_path / "d"
    shutil.copytree(SEED_DATASET, dataset)
    with (dataset / "index.csv").open("ab") as index:
        index.write(b"caf\xe9,x,,,false\n")
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset))
    assert code == 2 and "index.csv: cannot read it" in err and err.count("\n") == 1, err


def test_the_index_cannot_make_the_dataset_remove_a_hidden_file(tmp_path: Path) -> None:
    dataset = seed_with(tmp_path, ".pre-commit-config,Gone,,,false\n", {".pre-commit-config.yaml": "repos: []\n"})
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset), "--force")
    assert code == 0 and "1 file hankkeet did not write left alone" in err, err
    assert (dataset / ".pre-commit-config.yaml").read_text(encoding="utf-8") == "repos: []\n"


def test_a_foreign_file_named_like_a_project_file_is_never_replaced_even_with_force(tmp_path: Path) -> None:
    dataset = tmp_path / "d"
    dataset.mkdir()
    (dataset / "ii--open-agenda.yaml").write_text("mine\n", encoding="utf-8")
    for args in ([], ["--force"]):
        code, _, err = run("dataset", str(LISTING), "--into", str(dataset), *args)
        assert code == 2 and "ii--open-agenda.yaml" in err and "move them away\n" in err, err
    assert [p.name for p in dataset.iterdir()] == ["ii--open-agenda.yaml"]
    assert (dataset / "ii--open-agenda.yaml").read_text(encoding="utf-8") == "mine\n"


def test_a_project_file_already_gone_is_not_counted_as_removed(tmp_path: Path) -> None:
    dataset = seed_with(tmp_path, "old--gone,Gone,,,false\n")  # listed, but removed by hand since
    code, _, err = run("dataset", str(LISTING), "--into", str(dataset))
    assert code == 0 and "(0 removed)" in err, err
