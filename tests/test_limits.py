"""Bounded resources and safe terminal output: too much input is refused early, data never drives the terminal."""
from __future__ import annotations

import codecs
import io
import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import LISTING, ROOT

from hankkeet.cli import main
from hankkeet.diagnostics import Diagnostic
from hankkeet.inputs import _byte_count, _read_bounded, _TooLarge
from hankkeet.printable import printable, printable_data
from hankkeet.source import SourceDecodeError, SourceError, decode

PROJECT = "Hanke\nKuvaus on tässä.\nMuut kunnat: Lapinahti\nLisätietoja\nAnna Aalto, Espoo\n"
# What a terminal would act on: C0 controls but the line break, DEL, C1 controls, bidi controls.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_limited(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a process that may use at most 1 GiB of address space."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "hankkeet", *args], preexec_fn=_limit_memory, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("command", [
    ["extract", "/dev/zero", "--out", "{tmp}/out"],
    ["extract", "/dev/urandom", "--out", "{tmp}/out"],
    ["extract", "{tmp}/sparse.txt", "--out", "{tmp}/out"],
    ["dataset", "/dev/zero", "--into", "{tmp}/out"],
    ["diff", "/dev/zero", str(LISTING)],
    ["normalize", "Lahti", "--overrides", "/dev/zero"],
    ["extract", str(LISTING), "--out", "{tmp}/out", "--overrides", "/dev/urandom"],
], ids=["zero", "urandom", "sparse-2-GiB", "dataset-zero", "diff-zero", "overrides-zero", "overrides-urandom"])
def test_endless_or_huge_input_is_one_line_and_status_2(tmp_path: Path, command: list[str]) -> None:
    if "{tmp}/sparse.txt" in command:
        with (tmp_path / "sparse.txt").open("wb") as sparse:
            sparse.truncate(2 << 30)  # 2 GiB of holes: more than the process may hold
    result = run_limited(*(arg.format(tmp=tmp_path) for arg in command))
    assert result.returncode == 2, result.stderr
    assert (result.stdout, len(result.stderr.splitlines())) == ("", 1), result.stderr
    assert re.fullmatch(r"Error: \S+: (binary data \(a NUL byte at offset \d+\), not a text listing"
                        r"|larger than the limit of 268435456 bytes \(--max-bytes\))\n", result.stderr), result.stderr
    assert not (tmp_path / "out").exists()


def test_max_bytes_refuses_a_bigger_file_and_standard_input(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no data/overrides.yaml here, which the limit would refuse too
    path = tmp_path / "listing.txt"
    path.write_text(PROJECT, encoding="utf-8")
    size = path.stat().st_size
    out = str(tmp_path / "out")
    too_small = str(size - 1)
    assert run("extract", str(path), "--out", out, "--max-bytes", too_small) == (
        2, "", f"Error: {path}: larger than the limit of {too_small} bytes (--max-bytes)\n")
    assert run("extract", "-", "--out", out, "--max-bytes", too_small, input=PROJECT.encode()) == (
        2, "", f"Error: <stdin>: larger than the limit of {too_small} bytes (--max-bytes)\n")
    assert run("diff", str(path), str(path), "--max-bytes", too_small)[0] == 2
    assert run("dataset", str(path), "--into", out, "--max-bytes", too_small)[0] == 2
    assert not Path(out).exists()
    assert run("extract", str(path), "--out", out, "--max-bytes", str(size), "-q")[0] == 0
    assert run("extract", "-", "--out", out, "--max-bytes", "1K", "-q", input=PROJECT.encode())[0] == 0


def test_max_bytes_applies_to_the_overrides_file(tmp_path: Path) -> None:
    overrides = tmp_path / "o.yaml"
    overrides.write_text('overrides:\n  - raw: Koulu\n    code: "564"\n', encoding="utf-8")
    assert run("normalize", "Koulu", "--overrides", str(overrides), "--max-bytes", "10") == (
        2, "", f"Error: {overrides}: larger than the limit of 10 bytes (--max-bytes)\n")
    assert run("normalize", "Koulu", "--overrides", str(overrides), "--max-bytes", "1K")[0] == 0


@pytest.mark.parametrize("value", ["lots", "-1", "1.5M", "1T"])
def test_max_bytes_must_be_a_number_of_bytes(value: str) -> None:
    code, _, err = run("normalize", "Lahti", "--max-bytes", value)
    assert code == 2 and "Invalid value for '--max-bytes'" in err, err


@pytest.mark.parametrize(("encoding", "message"), [
    ("unicode_escape", "'unicode_escape' cannot decode a listing; name a text encoding such as cp1252"),
    ("raw_unicode_escape", "'raw_unicode_escape' cannot decode a listing; name a text encoding such as cp1252"),
    ("idna", "'idna' cannot decode a listing; name a text encoding such as cp1252"),
    ("base64", "'base64' cannot decode a listing; name a text encoding such as cp1252"),
    ("hex", "'hex' cannot decode a listing; name a text encoding such as cp1252"),
    ("rot13", "'rot13' cannot decode a listing; name a text encoding such as cp1252"),
    ("nonsense", "unknown encoding 'nonsense'"),
])
def test_only_text_encodings_are_accepted(tmp_path: Path, encoding: str, message: str) -> None:
    path = tmp_path / "listing.txt"
    path.write_text(PROJECT.replace("Hanke", "Hanke\\x1b[2J"), encoding="utf-8")
    out = tmp_path / "out"
    assert run("extract", str(path), "--out", str(out), "--encoding", encoding) == (
        2, "", f"Error: --encoding: {message}\n")
    assert not out.exists()


def _raise_value_error(data: bytes, errors: str = "strict") -> tuple[str, int]:
    raise ValueError("a broken codec")


def _broken_codec(name: str) -> codecs.CodecInfo | None:
    return codecs.CodecInfo(codecs.latin_1_encode, _raise_value_error, name="broken") if name == "broken" else None


def test_any_error_from_decoding_is_a_decode_error() -> None:
    codecs.register(_broken_codec)
    try:
        with pytest.raises(SourceDecodeError, match=r"^cannot be decoded as broken \(ValueError\)$"):
            decode(b"Hanke\n", "broken")
    finally:
        codecs.unregister(_broken_codec)


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.txt"))
    path.write_text(PROJECT, encoding="utf-8")
    shown = f"{tmp_path}/caf\\xe9.txt"
    code, _, err = run("extract", str(path), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert [line.split(":")[0] for line in err.splitlines()] == [shown, shown], err  # a warning, the summary
    assert f"\n  file: {shown}\n" in (tmp_path / "out" / "hankkeet.yaml").read_text(encoding="utf-8")
    summary = f"0 added, 0 removed, 0 renamed, 0 changed, 0 ended since {shown}\n"
    assert run("diff", str(path), str(path)) == (0, summary, "")
    missing = str(path) + "x"
    assert run("extract", missing, "--out", str(tmp_path / "out")) == (2, "", f"Error: {shown}x: no such file\n")


def test_escape_sequences_in_a_file_name_are_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b[2J\u202eb.txt"
    path.write_text(PROJECT, encoding="utf-8")
    code, _, err = run("extract", str(path), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert RAW_CONTROL.search(err) is None, err
    assert f"{tmp_path}/a\\x1b[2J\\u202eb.txt: 1 project " in err
    assert RAW_CONTROL.search((tmp_path / "out" / "hankkeet.yaml").read_text(encoding="utf-8")) is None
    assert run("extract", str(tmp_path / "\x1b]0;x\x07.txt"), "--out", str(tmp_path / "out")) == (
        2, "", f"Error: {tmp_path}/\\x1b]0;x\\x07.txt: no such file\n")


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_escape_sequences_in_listing_text_never_reach_the_terminal(tmp_path: Path, fmt: str) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(PROJECT, encoding="utf-8")
    title = "Hanke \u009b2J\u202e uusi"  # a C1 control sequence and a bidi override: dropped when read
    new.write_text(PROJECT.replace("Hanke", title, 1), encoding="utf-8")
    code, stdout, err = run("diff", str(old), str(new), "--format", fmt)
    assert code == 1, err
    assert RAW_CONTROL.search(stdout + err) is None, stdout
    if fmt == "json":
        assert json.loads(stdout)["renamed"][0]["new_title"] == "Hanke 2J uusi"
    else:
        assert "Hanke 2J uusi" in stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_escape_sequences_in_yaml_given_to_diff_never_reach_the_terminal(tmp_path: Path, fmt: str) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text('projects:\n- id: "a\\e[2J"\n  ended: false\n  title: "\\e]0;pwned\\a\\u202e\\x9b"\n',
                   encoding="utf-8")
    new.write_text("projects: []\n", encoding="utf-8")
    code, stdout, err = run("diff", str(old), str(new), "--format", fmt)
    assert code == 1, err
    assert RAW_CONTROL.search(stdout + err) is None, stdout
    if fmt == "json":
        assert json.loads(stdout)["removed"] == [{"id": "a\x1b[2J", "title": "\x1b]0;pwned\x07\u202e\x9b"}]
    else:
        assert "\\x1b]0;pwned\\x07\\u202e\\x9b" in stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_escape_sequences_in_names_given_to_normalize_never_reach_the_terminal(fmt: str) -> None:
    name = "\x1b[2JLahti\u202e\x9b"
    code, stdout, err = run("normalize", name, "--format", fmt)
    assert code == 0, err
    assert RAW_CONTROL.search(stdout + err) is None, stdout
    if fmt == "json":
        assert json.loads(stdout)[0]["input"] == name
    else:
        assert stdout.splitlines()[1].startswith("\\x1b[2JLahti\\u202e\\x9b  ")


def test_diagnostics_and_errors_escape_what_comes_from_the_data() -> None:
    assert Diagnostic("x", 3, "partner '\x1b[2J'").render("a\x9b.txt") == "a\\x9b.txt:3: warning[x]: partner '\\x1b[2J'"
    assert printable("Äänekoski – Åbo\u00a0") == "Äänekoski – Åbo\u00a0"
    assert printable("a\tb\nc\r\x7f\u2066\udce9\ud800") == "a\\tb\\nc\\r\\x7f\\u2066\\xe9\\ud800"


STDIN = "  Lahti\u00a0\n\nÅbo\r\n \nKoulu"


def test_normalize_stdin_gives_one_result_per_line_cleaned_first() -> None:
    code, stdout, err = run("normalize", "-", input=STDIN.encode())
    assert code == 0, err
    assert stdout == (
        "INPUT     CODE  NAME   KIND          METHOD   SCORE  WHY\n"
        "  Lahti\u00a0  398   Lahti  municipality  exact    100.0\n"
        "\n"
        "Åbo       853   Turku  municipality  swedish  100.0\n"
        "\n"
        "Koulu     -     -      unknown       none     0.0    no municipality, organisation or former name; the "
        "nearest, Kouvola, scores 66.7 (below 88)\n"
    )


def test_normalize_stdin_json_gives_one_record_per_line_with_the_input_as_given() -> None:
    code, stdout, err = run("normalize", "-", "--format", "json", input=STDIN.encode())
    assert code == 0, err
    records = json.loads(stdout)
    assert [(r["input"], r["code"], r["name"]) for r in records] == [
        ("  Lahti\u00a0", "398", "Lahti"), ("", None, None), ("Åbo", "853", "Turku"), (" ", None, None),
        ("Koulu", None, None)]
    assert records[3] == dict.fromkeys(records[3], None) | {"input": " "}
    assert run("normalize", "-", "--strict", input=b"Lahti\n\n")[0] == 0  # a blank line is not a failure


# ---- inputs.py


def test_a_regular_file_over_the_limit_is_refused_before_any_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 100)
    with path.open("rb") as stream:
        with pytest.raises(_TooLarge):
            _read_bounded(stream, 10, None)
        assert stream.tell() == 0


def test_a_stream_is_read_no_further_than_one_byte_past_the_limit() -> None:
    stream = io.BytesIO(b"x" * 100)
    with pytest.raises(_TooLarge):
        _read_bounded(stream, 10, None)
    assert stream.tell() == 11


def test_a_nul_byte_is_refused_while_reading_with_its_offset_in_the_whole_input() -> None:
    with pytest.raises(SourceError, match=r"offset 1048576\)"):
        _read_bounded(io.BytesIO(b"x" * 1024**2 + b"\x00" + b"x" * 10), 10**9, None)


@pytest.mark.parametrize(("text", "count"), [("1000", 1000), ("2k", 2048), (" 64M ", 64 * 1024**2), ("1G", 1024**3)])
def test_max_bytes_units(text: str, count: int) -> None:
    assert _byte_count(None, None, text) == count  # type: ignore[arg-type]


def test_max_bytes_refuses_digits_that_are_not_ascii() -> None:
    with pytest.raises(click.BadParameter):
        _byte_count(None, None, "\u0661\u0662")  # type: ignore[arg-type]  # Arabic-Indic "12"


# ---- printable.py


def test_printable_escapes_nul_and_the_bidi_marks_and_keys_of_data() -> None:
    assert printable("a\x00\u061c\u200e\u200fb") == "a\\x00\\u061c\\u200e\\u200fb"
    assert printable_data({"\x1b": ["\x1b"]}) == {"\\x1b": ["\\x1b"]}
