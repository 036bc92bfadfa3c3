"""Every YAML input is checked before use: crafted files given to diff or --overrides are exit 2 with one line."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from hankkeet import contract, extract
from hankkeet.cli import main
from hankkeet.diff import records_from_dataset, records_from_release_yaml
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer
from hankkeet.output import _DUMPERS, _dump, dataset_files, dataset_record, to_yaml
from hankkeet.yamlsafe import YamlInputError, escape, load, quote

#: A valid release with one project, the other side of every diff below.
GOOD = "projects:\n- id: a\n  title: T\n  ended: false\n"
#: One project, open for more fields at two spaces.
P = "projects:\n- id: a\n  title: T\n  ended: false\n"
NESTED = "[" * 50 + "]" * 50
#: Deeper than libyaml's own bound of 1000 levels: refused by its parser before our check sees it.
VERY_DEEP = "[" * 5000 + "]" * 5000
#: "Billion laughs": nine levels of nine aliases, 9**9 strings once expanded.
BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi", strict=True))
SEED_FILE = (ROOT / "hankkeet" / "alavus--kunta-kuuluu-kaikille.yaml").read_text(encoding="utf-8")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def _write(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")


# name: (files to write, the diff's OLD argument, the one line expected on stderr after "Error: ")
REFUSED = [
    pytest.param({"old.yaml": P + "  lead: Helsinki\n"}, "old.yaml",
                 'old.yaml: projects[0].lead: expected a mapping or null, got a string ("Helsinki")', id="lead-string"),
    pytest.param({"old.yaml": P + "  lead: {name: 5}\n"}, "old.yaml",
                 "old.yaml: projects[0].lead.name: expected a string or null, got an integer (5)", id="lead-field"),
    pytest.param({"old.yaml": P + "  partners: {raw: Lahti}\n"}, "old.yaml",
                 "old.yaml: projects[0].partners: expected a list, got a mapping", id="partners-mapping"),
    pytest.param({"old.yaml": P + "  partners: [{code: '398'}]\n"}, "old.yaml",
                 "old.yaml: projects[0].partners[0].raw: missing (a required field)", id="partner-without-raw"),
    pytest.param({"old.yaml": P + "  mentions: [{code: '734', line: 2}]\n"}, "old.yaml",
                 "old.yaml: projects[0].mentions[0].raw: missing (a required field)", id="mention-without-raw"),
    pytest.param({"old.yaml": P + "  partners: [{raw: Lahti, score: '100'}]\n"}, "old.yaml",
                 'old.yaml: projects[0].partners[0].score: expected a number or null, got a string ("100")',
                 id="score-string"),
    pytest.param({"old.yaml": P + "  contacts: [{name: A, line: 1.5}]\n"}, "old.yaml",
                 "old.yaml: projects[0].contacts[0].line: expected an integer, got a number (1.5)", id="line-float"),
    pytest.param({"old.yaml": P + "  contacts: [{municipality: Espoo}]\n"}, "old.yaml",
                 'old.yaml: projects[0].contacts[0].municipality: expected a mapping or null, got a string ("Espoo")',
                 id="contact-municipality-string"),
    pytest.param({"old.yaml": P + "  number: true\n"}, "old.yaml",
                 "old.yaml: projects[0].number: expected an integer or null, got a boolean (true)", id="number-bool"),
    pytest.param({"old.yaml": "projects:\n- id: a\n  title: 5\n  ended: false\n"}, "old.yaml",
                 "old.yaml: projects[0].title: expected a string or null, got an integer (5)", id="numeric-title"),
    pytest.param({"old.yaml": 'projects:\n- id: a\n  title: T\n  ended: "no"\n'}, "old.yaml",
                 'old.yaml: projects[0].ended: expected true or false, got a string ("no")', id="ended-no"),
    pytest.param({"old.yaml": "projects:\n- id: a\n  title: T\n"}, "old.yaml",
                 "old.yaml: projects[0].ended: missing (a required field)", id="ended-missing"),
    pytest.param({"old.yaml": "projects:\n- title: T\n  ended: false\n"}, "old.yaml",
                 "old.yaml: projects[0].id: missing (a required field)", id="id-missing"),
    pytest.param({"old.yaml": "projects:\n- id: ''\n  title: T\n  ended: false\n"}, "old.yaml",
                 'old.yaml: projects[0].id: expected a non-empty string, got a string ("")', id="id-empty"),
    pytest.param({"old.yaml": P + "  ended_on: 2022-12-31\n"}, "old.yaml",
                 "old.yaml: projects[0].ended_on: expected a string or null, got a date (2022-12-31)",
                 id="unquoted-date"),
    pytest.param({"old.yaml": P + "  ended_on: 2022-13-45\n"}, "old.yaml",
                 "old.yaml: line 5: not valid YAML (month must be in 1..12)", id="impossible-date"),
    pytest.param({"old.yaml": P + "  extra: {1: x}\n"}, "old.yaml",
                 "old.yaml: projects[0].extra: a key must be a string, got an integer (1)", id="unknown-key-not-plain"),
    pytest.param({"old.yaml": P + "  ended: true\n"}, "old.yaml",
                 "old.yaml: line 5: duplicate key 'ended'", id="duplicate-key"),
    pytest.param({"old.yaml": P + "- id: a\n  title: U\n  ended: true\n"}, "old.yaml",
                 'old.yaml: projects[1].id: duplicate id "a" (also projects[0])', id="duplicate-ids-in-a-release"),
    pytest.param({"old.yaml": "projects: {a: 1}\n"}, "old.yaml",
                 "old.yaml: projects: expected a list, got a mapping", id="projects-not-a-list"),
    pytest.param({"old.yaml": "generator: {name: hankkeet}\n"}, "old.yaml",
                 "old.yaml: projects: missing (a required field)", id="projects-missing"),
    pytest.param({"old.yaml": "- id: a\n"}, "old.yaml",
                 "old.yaml: expected a mapping with a 'projects' list (a hankkeet.yaml), got a list",
                 id="release-is-a-list"),
    pytest.param({"old.yaml": ""}, "old.yaml",
                 "old.yaml: expected a mapping with a 'projects' list (a hankkeet.yaml), got null", id="empty-file"),
    pytest.param({"old.yaml": NESTED}, "old.yaml", "old.yaml: line 1: nested deeper than 20 levels",
                 id="deep-nesting"),
    pytest.param({"old.yaml": P + "  partners: " + NESTED + "\n"}, "old.yaml",
                 "old.yaml: line 5: nested deeper than 20 levels", id="deep-nesting-in-a-field"),
    pytest.param({"old.yaml": P + "  partners: " + VERY_DEEP + "\n"}, "old.yaml",
                 "old.yaml: line 5: not valid YAML (while increasing flow level, exceeded maximum nesting depth)",
                 id="very-deep-nesting"),
    pytest.param({"old.yaml": BOMB + P + "  lead: {name: *i}\n"}, "old.yaml",
                 "old.yaml: line 1: anchors and aliases (& and *) are not allowed here", id="alias-bomb"),
    pytest.param({"old.yaml": P + "  x: {<<: {a: 1}}\n"}, "old.yaml",
                 "old.yaml: line 5: merge keys (<<) are not allowed here", id="merge-key"),
    pytest.param({"old.yaml": 'projects:\n- id: a\n  title: T\n  ended: "\\e[31m\\u202e' + "x" * 60 + '"\n'},
                 "old.yaml", 'old.yaml: projects[0].ended: expected true or false, got a string '
                 '("\\x1b[31m\\u202e' + "x" * 34 + '…")', id="control-characters-escaped-and-cut"),
    pytest.param({"old.yaml": GOOD + "\x1b\n"}, "old.yaml",
                 "old.yaml: line 5: not valid YAML (character '\\x1b': control characters are not allowed)",
                 id="raw-control-character"),
    pytest.param({"hankkeet/a.yaml": 'id: a\ntitle: "\\ud800"\nended: false\n'}, "hankkeet",
                 "hankkeet/a.yaml: line 2: not valid YAML (while parsing a quoted scalar, found invalid Unicode "
                 "character escape code)", id="lone-surrogate"),
    pytest.param({"hankkeet/a.yaml": 'id: a\ntitle: T\nended: "no"\n'}, "hankkeet",
                 'hankkeet/a.yaml: ended: expected true or false, got a string ("no")', id="dataset-ended-no"),
    pytest.param({"hankkeet/a.yaml": "id: a\ntitle: T\nended: false\n", "hankkeet/x.yaml": "- id: x\n"}, "hankkeet",
                 "hankkeet/x.yaml: expected a mapping (a project record), got a list", id="dataset-file-is-a-list"),
    pytest.param({"hankkeet/x.yaml": "id: x\ntitle: T\nended: false\ntitle: U\n"}, "hankkeet",
                 "hankkeet/x.yaml: line 4: duplicate key 'title'", id="dataset-duplicate-key"),
    pytest.param({"hankkeet/a.yaml": "id: a\ntitle: T\nended: false\n",
                  "hankkeet/b.yaml": "id: a\ntitle: U\nended: true\n"}, "hankkeet",
                 'hankkeet/b.yaml: id: duplicate id "a" (also in hankkeet/a.yaml)', id="dataset-duplicate-ids"),
]


@pytest.mark.parametrize(("files", "old", "message"), REFUSED)
def test_a_crafted_yaml_is_exit_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                files: dict[str, str], old: str, message: str) -> None:
    _write(tmp_path, {**files, "good.yaml": GOOD})
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    for args in ((old, "good.yaml"), ("good.yaml", old)):
        code, err = run("diff", *args, "--format", "json")
        assert (code, err) == (2, f"Error: {message}\n")
    assert time.perf_counter() - started < 5


def _old_release_record() -> str:
    """A real record as an older release wrote it: without ended_on, role and phone."""
    return SEED_FILE.replace("ended_on: null\n", "").replace("  role: null\n", "").replace("  phone: null\n", "")


ACCEPTED = [
    pytest.param({"old/a.yaml": SEED_FILE, "new/a.yaml": SEED_FILE}, id="a-record-written-by-the-tool"),
    pytest.param({"old/a.yaml": _old_release_record(), "new/a.yaml": SEED_FILE}, id="without-ended-on-role-phone"),
    pytest.param({"old/a.yaml": SEED_FILE + "future_field: {a: [1, 2.5, true, null]}\n", "new/a.yaml": SEED_FILE},
                 id="an-unknown-extra-key"),
    pytest.param({"old/a.yaml": "id: a\ntitle: null\nended: false\n", "new/a.yaml": "id: a\ntitle:\nended: no\n"},
                 id="only-the-required-fields"),
]


@pytest.mark.parametrize("files", ACCEPTED)
def test_a_valid_yaml_is_still_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> None:
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert run("diff", "old", "new") == (0, "")


def test_the_old_release_record_lacks_the_newer_fields() -> None:
    old = _old_release_record()
    assert "role:" not in old and "phone:" not in old and "ended_on:" not in old and "role: null" in SEED_FILE


def test_a_release_written_by_the_tool_is_read(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_text("Eka\nKuvaus.\nMuut kunnat: Lahti\nLisätietoja\nAnna A, Espoo\n", "utf-8")
    assert run("extract", str(tmp_path / "l.txt"), "--out", str(tmp_path), "-q")[0] == 0
    assert run("diff", str(tmp_path / "hankkeet.yaml"), str(tmp_path / "l.txt")) == (0, "")


OVERRIDES_REFUSED = [
    pytest.param("- raw: Lahti\n  code: '398'\n", "expected a mapping with a list under 'overrides', got a list",
                 id="a-list"),
    pytest.param("Lahti\n", 'expected a mapping with a list under \'overrides\', got a string ("Lahti")',
                 id="a-string"),
    pytest.param("override:\n  - raw: Lahti\n    code: '398'\n",
                 "unknown key 'override' (the only key is 'overrides')", id="misspelt-top-key"),
    pytest.param("overrides:\n  - raw: Lahti\n    code: '398'\n    coment: why\n",
                 "entry 1: unknown key 'coment' (allowed: raw, code, kind, comment)", id="misspelt-entry-key"),
    pytest.param("overrides:\n  - Lahti\n", 'entry 1: expected a mapping (raw, code or kind, comment), got a string '
                 '("Lahti")', id="entry-a-string"),
    pytest.param("overrides:\n  - raw: Lapinahti\n    code: '402'\n  - raw: ' LAPINAHTI.'\n    code: '403'\n",
                 'entry 2 (" LAPINAHTI."): the same place as entry 1', id="same-raw-twice"),
    pytest.param("overrides:\n  - raw: Lahti\n    code: '398'\n    code: '091'\n", "line 4: duplicate key 'code'",
                 id="duplicate-key"),
    pytest.param("x: &x Lahti\noverrides:\n  - raw: *x\n    code: '398'\n",
                 "line 1: anchors and aliases (& and *) are not allowed here", id="alias"),
    pytest.param("overrides: " + NESTED + "\n", "line 1: nested deeper than 20 levels", id="deep-nesting"),
]


@pytest.mark.parametrize(("text", "message"), OVERRIDES_REFUSED)
def test_a_malformed_overrides_file_is_exit_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            text: str, message: str) -> None:
    (tmp_path / "o.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("normalize", "Lahti", "--overrides", "o.yaml") == (2, f"Error: o.yaml: {message}\n")


@pytest.mark.parametrize("text", [
    pytest.param("", id="empty"),
    pytest.param("# only a comment\n", id="only-a-comment"),
    pytest.param("overrides: []\n", id="empty-list"),
    pytest.param("overrides:\n  - raw: Lahti\n    kind: organisation\n    comment: why\n", id="organisation"),
])
def test_a_valid_overrides_file_is_still_read(tmp_path: Path, text: str) -> None:
    (tmp_path / "o.yaml").write_text(text, encoding="utf-8")
    code, err = run("normalize", "Lahti", "--overrides", str(tmp_path / "o.yaml"))
    assert (code, err) == (0, "")


def test_the_seed_records_always_validate(release: Release) -> None:
    """No false refusals: every record the tool writes, by every writer, is read back as it was written."""
    texts = {f"hankkeet/{name}": text for name, text in dataset_files(release).items() if name.endswith(".yaml")}
    records = [dataset_record(p) for p in release.projects]
    assert {r["id"]: r for r in records_from_dataset(texts)} == {r["id"]: r for r in records}
    for record in records:
        assert records_from_dataset({"x.yaml": _dump(record, pure=True)}) == [record]
    assert len(records_from_release_yaml(to_yaml(release), "hankkeet.yaml")) == len(release.projects) == 142
    assert len(records_from_release_yaml(to_yaml(release, pure=True), "hankkeet.yaml")) == 142


lines = st.lists(st.one_of(st.sampled_from(["HANKE ON PÄÄTTYNYT.", "Lisätietoja", "Muut kunnat: Lahti, Porvoo",
                                            "Anna Aalto, Espoo", "x(a)y.fi", "1. Otsikko", "- luettelo: *a &b",
                                            "'quoted' \"text\" #", "Ä" * 300]),
                           st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                                   max_size=60)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(lines)
def test_any_extracted_release_validates(gazetteer: Gazetteer, parts: list[str]) -> None:
    release = extract("\n".join(parts).encode("utf-8"), gazetteer)
    texts = {name: text for name, text in dataset_files(release).items() if name.endswith(".yaml")}
    assert len(records_from_dataset(texts)) == len(release.projects)
    assert len(records_from_release_yaml(to_yaml(release))) == len(release.projects)


def test_writers_never_emit_aliases() -> None:
    shared: dict[str, Any] = {"name": "Lahti", "code": "398"}
    data = {"partners": [shared], "contacts": [{"municipality": shared}]}
    for dumper in _DUMPERS:
        text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)
        assert "&" not in text and load(text) == data, text


# ---- yamlsafe.py / contract.py


def test_nesting_of_exactly_the_limit_is_read_one_more_is_refused() -> None:
    assert load("[" * 20 + "]" * 20) is not None
    with pytest.raises(YamlInputError, match="nested deeper than 20 levels"):
        load("[" * 21 + "]" * 21)


def test_a_parser_error_names_its_line() -> None:
    with pytest.raises(YamlInputError) as caught:
        load("projects:\n- id: a\n  title: [T\n  ended: false\n")
    assert caught.value.line == 4


def test_escape_and_quote_show_hidden_characters_and_backslashes() -> None:
    assert escape("a\x1bb") == "a\\x1bb"
    assert quote("a\\b") == '"a\\\\b"'


@pytest.mark.parametrize(("extra", "message"), [
    ("  partners: [{raw: x, score: true}]\n",
     "projects[0].partners[0].score: expected a number or null, got a boolean (true)"),
    ("  source: {line_start: 1.5}\n", "projects[0].source.line_start: expected an integer, got a number (1.5)"),
    ("  extra: 2022-12-31\n", ("projects[0].extra: expected plain data (a string, number, true/false or null), "
                               "got a date (2022-12-31)")),
])
def test_more_records_the_contract_refuses(extra: str, message: str) -> None:
    with pytest.raises(YamlInputError) as caught:
        contract.release_projects(load("projects:\n- id: a\n  title: T\n  ended: false\n" + extra))
    assert str(caught.value) == message


@pytest.mark.parametrize(("record", "message"), [
    ("id: a\nended: false\n", "title: missing (a required field)"),
    ("id: a\ntitle: T\nended: null\n", "ended: expected true or false, got null"),
])
def test_a_record_needs_its_title_and_a_real_ended(record: str, message: str) -> None:
    with pytest.raises(YamlInputError) as caught:
        contract.project(load(record))
    assert str(caught.value) == message
