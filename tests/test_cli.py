"""The command line: exit codes, messages on stderr, files written, nothing half-written on failure."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LISTING, ROOT

import hankkeet.transaction
from hankkeet.cli import main
from hankkeet.municipalities import Gazetteer
from hankkeet.overrides import parse_overrides

SMALL = "Eka\nKuvaus.\nMuut kunnat: Lapinahti\nLisätietoja\nAnna A, Espoo\n"


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def test_extract_writes_the_eight_files(tmp_path: Path) -> None:
    source = tmp_path / "l.txt"
    source.write_text(SMALL, encoding="utf-8")
    code, _, err = run("extract", str(source), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "contacts.csv", "datapackage.json", "hankkeet.sqlite", "hankkeet.yaml", "municipalities.csv",
        "participants.csv", "partners.csv", "projects.csv"]
    assert f"{source}:3: warning[fuzzy-place]: partner 'Lapinahti' read as Lapinlahti (402)" in err
    assert err.splitlines()[-1] == (f"{source}: 1 project (0 ended), partners 1 matched, 0 organisations, "
                                    f"0 unmatched; 1 contact; 1 warning -> {tmp_path / 'out'}/")


def test_strict_turns_warnings_into_status_1(tmp_path: Path) -> None:
    source = tmp_path / "l.txt"
    source.write_text(SMALL, encoding="utf-8")
    assert run("extract", str(source), "--out", str(tmp_path), "--strict")[0] == 1
    source.write_text("Eka\nKuvaus.\nLisätietoja\nAnna A, Espoo\n", encoding="utf-8")
    assert run("extract", str(source), "--out", str(tmp_path), "--strict")[0] == 0


def test_quiet_prints_only_the_summary(tmp_path: Path) -> None:
    source = tmp_path / "l.txt"
    source.write_text(SMALL, encoding="utf-8")
    _, _, err = run("extract", str(source), "--out", str(tmp_path), "-q")
    assert len(err.splitlines()) == 1


def test_standard_input(tmp_path: Path) -> None:
    code, _, err = run("extract", "-", "--out", str(tmp_path), input=SMALL.encode())
    assert code == 0, err
    assert "source:\n  file: <stdin>\n" in (tmp_path / "hankkeet.yaml").read_text(encoding="utf-8")


def test_default_input_is_data_raw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "a.txt").write_bytes(LISTING.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, _, err = run("extract", "-q")
    assert code == 0, err
    assert "data/raw/a.txt: 142 projects" in err
    assert (tmp_path / "data" / "out" / "hankkeet.yaml").exists()


def test_several_inputs_get_a_folder_each(tmp_path: Path) -> None:
    for name in ("old", "new"):
        (tmp_path / f"{name}.txt").write_text(SMALL, encoding="utf-8")
    code, _, err = run("extract", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "--out", str(tmp_path / "o"))
    assert code == 0, err
    assert (tmp_path / "o" / "old" / "hankkeet.yaml").exists() and (tmp_path / "o" / "new" / "projects.csv").exists()


BAD_INPUTS = {
    "missing": (None, "no such file"),
    "directory": ("dir", "is a directory, not a listing file"),
    "binary": (b"\x7fELF\x02\x01\x01\x00", "binary data (a NUL byte at offset 7), not a text listing"),
    "zip": (b"PK\x03\x04\x00\x00", "a ZIP archive, not a listing; save the page as HTML or text"),
    "latin-1": ("HANKE PÄÄTTYNYT\n".encode("latin-1"),
                "not valid UTF-8 at byte offset 7; if it was saved from Excel or Windows, try --encoding cp1252"),
}


@pytest.mark.parametrize(("content", "message"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_one_clear_line_and_status_2(tmp_path: Path, content: bytes | str | None, message: str) -> None:
    path = tmp_path / "input.txt"
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    out = tmp_path / "out"
    code, stdout, err = run("extract", str(path), "--out", str(out))
    assert code == 2
    assert err == f"Error: {path}: {message}\n"
    assert stdout == ""
    assert not out.exists()


def test_no_default_input_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("extract")
    assert code == 2
    assert "nothing matches data/raw/*.txt" in err


def test_unknown_option_is_status_2() -> None:
    assert run("extract", "--nope")[0] == 2


def test_failure_in_the_last_writer_leaves_previous_outputs_intact(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "l.txt"
    source.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "out"
    assert run("extract", str(source), "--out", str(out))[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    source.write_text(SMALL.replace("Eka", "Uusi nimi"), encoding="utf-8")
    real_fdopen = os.fdopen
    calls = []

    def failing_fdopen(fd: int, *args: object, **kwargs: object) -> object:
        calls.append(fd)
        if len(calls) == 7:  # the last text file: datapackage.json (hankkeet.sqlite is no text file)
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(hankkeet.transaction.os, "fdopen", failing_fdopen)
    code, _, err = run("extract", str(source), "--out", str(out))
    assert code == 2, err
    assert "No space left on device" in err
    assert len(calls) == 7
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temporary files left either


def test_help_shows_examples_and_exit_codes() -> None:
    for args in ([], ["extract"]):
        code, stdout, _ = run(*args, "--help")
        assert code == 0
        assert "Examples:" in stdout and "Exit status:" in stdout


def test_version() -> None:
    code, stdout, _ = run("--version")
    assert (code, stdout) == (0, f"hankkeet, version {hankkeet.__version__}\n")


def test_package_is_not_shadowed_by_the_dataset_folder(tmp_path: Path) -> None:
    # The released dataset lives in a top-level hankkeet/ folder; importing from beside it must find src/.
    (tmp_path / "hankkeet").mkdir()
    (tmp_path / "hankkeet" / "some--project.yaml").write_text("id: x\n", encoding="utf-8")
    found = subprocess.run([sys.executable, "-c", "import hankkeet; print(hankkeet.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(found).resolve().is_relative_to(ROOT / "src"), found


def test_normalize_text_table() -> None:
    code, stdout, _ = run("normalize", "Lahden", "Pargas stad", "Lapin liitto")
    assert code == 0
    assert stdout == (
        "INPUT         CODE  NAME      KIND          METHOD        SCORE  WHY\n"
        "Lahden        398   Lahti     municipality  inflected     100.0\n"
        "Pargas stad   445   Parainen  municipality  swedish       100.0\n"
        "Lapin liitto  -     -         organisation  organisation  100.0\n"
    )


def test_normalize_json_keeps_input_order_and_the_contract_keys() -> None:
    code, stdout, _ = run("normalize", "-", "--format", "json", input="Lapinahti\n\nKoulu\nÅbo\n".encode())
    assert code == 0
    records = json.loads(stdout)
    assert [r["input"] for r in records] == ["Lapinahti", "", "Koulu", "Åbo"]
    assert list(records[0])[:9] == ["input", "code", "name", "name_sv", "region", "kind", "method", "score",
                                    "runner_up"]
    assert (records[0]["code"], records[0]["method"], records[0]["runner_up"]) == ("402", "fuzzy", "Lapinjärvi")
    assert records[1] == dict.fromkeys(records[1], None) | {"input": ""}
    assert (records[2]["code"], records[2]["kind"]) == (None, "unknown")
    assert (records[3]["code"], records[3]["region"]) == ("853", "Varsinais-Suomi")


def test_normalize_strict_fails_on_an_unresolved_name() -> None:
    assert run("normalize", "Lahti", "--strict")[0] == 0
    assert run("normalize", "Lahti", "Koulu", "--strict")[0] == 1


def test_overrides_file_is_applied_in_extract_and_normalize(tmp_path: Path) -> None:
    overrides = tmp_path / "o.yaml"
    overrides.write_text('overrides:\n  - raw: lapinahti\n    code: "402"\n    comment: typo\n'
                         "  - raw: Lahti\n    kind: organisation\n", encoding="utf-8")
    code, stdout, _ = run("normalize", "Lapinahti", "Lahti", "--overrides", str(overrides), "--format", "json")
    assert [(r["code"], r["kind"], r["method"]) for r in json.loads(stdout)] == [
        ("402", "municipality", "override"), (None, "organisation", "override")]
    source = tmp_path / "l.txt"
    source.write_text(SMALL, encoding="utf-8")
    code, _, err = run("extract", str(source), "--out", str(tmp_path / "o"), "--overrides", str(overrides))
    assert code == 0 and "fuzzy-place" not in err
    assert "method: override" in (tmp_path / "o" / "hankkeet.yaml").read_text(encoding="utf-8")


def test_default_overrides_file_is_picked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "overrides.yaml").write_text('overrides:\n  - raw: Koulu\n    code: "564"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = run("normalize", "Koulu", "--format", "json")
    assert json.loads(stdout)[0]["method"] == "override"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('overrides:\n  - raw: X\n    code: "999"\n', "not a current municipality code: 999"),
        ("overrides:\n  - raw: X\n    code: 91\n", "give a quoted municipality code"),
        ("!!python/object/apply:os.system ['echo hi']\n", "line 1: not valid YAML (could not determine a constructor"),
        ("overrides: 3\n", "expected a mapping with a list under 'overrides'"),
    ],
)
def test_bad_overrides_are_an_input_error(tmp_path: Path, text: str, message: str) -> None:
    overrides = tmp_path / "o.yaml"
    overrides.write_text(text, encoding="utf-8")
    code, _, err = run("normalize", "Lahti", "--overrides", str(overrides))
    assert code == 2
    assert err.startswith(f"Error: {overrides}: ") and message in err, err


def test_the_shipped_overrides_file_is_valid() -> None:
    text = (ROOT / "data" / "overrides.yaml").read_text(encoding="utf-8")
    Gazetteer.load(parse_overrides(text))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_jobs_2_writes_the_same_files_as_jobs_1(tmp_path: Path) -> None:
    text = LISTING.read_text(encoding="utf-8")
    inputs = []
    for number, cut in enumerate((1, 400, 800)):
        path = tmp_path / f"listing-{number}.txt"
        path.write_text("\n".join(text.split("\n")[cut:]), encoding="utf-8")
        inputs.append(str(path))
    one, two = tmp_path / "one", tmp_path / "two"
    result_one = CliRunner().invoke(main, ["extract", *inputs, "--out", str(one), "--jobs", "1"])
    result_two = CliRunner().invoke(main, ["extract", *inputs, "--out", str(two), "--jobs", "2"])
    assert result_one.exit_code == result_two.exit_code == 0, result_one.stderr + result_two.stderr
    assert _tree(one) == _tree(two)
    assert len(_tree(one)) == 24
    assert result_one.stderr.replace(str(one), "OUT") == result_two.stderr.replace(str(two), "OUT")


def test_a_failing_input_among_many_writes_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SMALL, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00binary")
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["extract", str(good), str(bad), "--out", str(tmp_path / "o"), "-j", jobs])
        assert result.exit_code == 2
        assert result.stderr == f"Error: {bad}: binary data (a NUL byte at offset 0), not a text listing\n"
        assert not (tmp_path / "o").exists() or not list((tmp_path / "o").rglob("*.*"))


def test_help_does_not_import_the_heavy_modules() -> None:
    code = ("import sys\nfrom hankkeet.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'rapidfuzz', 'yaml', 'regex', 'csv'}))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert found.strip().splitlines()[-1] == "[]"
