"""read: bytes to cleaned lines with original numbers; decoding errors are named exceptions."""
from __future__ import annotations

import codecs

import pytest

from hankkeet.model import Line
from hankkeet.source import BinaryInputError, SourceDecodeError, read, split_lines

CASES = [
    pytest.param(b"a\nb\n", ["a", "b"], id="lf"),
    pytest.param(b"a\r\nb\r\n", ["a", "b"], id="crlf"),
    pytest.param(b"a\rb", ["a", "b"], id="cr-no-final-newline"),
    pytest.param(codecs.BOM_UTF8 + "Kerava\n".encode(), ["Kerava"], id="utf8-bom"),
    pytest.param("Muut kunnat:\u00a0Lahti\tja  Turku   \n".encode(), ["Muut kunnat: Lahti ja Turku"], id="nbsp-tab"),
    pytest.param("  sisennys\n\n".encode(), ["sisennys", ""], id="leading-blank-and-empty-line"),
    pytest.param("Ha\x07nke\u200b\n".encode(), ["Hanke"], id="control-and-zero-width"),
    pytest.param("A\u0308a\n".encode(), ["Äa"], id="nfc"),
    pytest.param(codecs.BOM_UTF16_LE + "Äänekoski\r\n".encode("utf-16-le"), ["Äänekoski"], id="utf16-bom"),
    pytest.param(b"", [], id="empty"),
]


@pytest.mark.parametrize(("data", "expected"), CASES)
def test_read_cleans_lines(data: bytes, expected: list[str]) -> None:
    lines, info, diagnostics = read(data, "x.txt")
    assert diagnostics == []
    assert [line.text for line in lines] == expected
    assert [line.number for line in lines] == list(range(1, len(expected) + 1))
    assert info.lines == len(expected)


def test_line_numbers_are_the_original_ones() -> None:
    assert split_lines("a\r\n\r\nb\rc\n") == [Line(1, "a"), Line(2, ""), Line(3, "b"), Line(4, "c")]


def test_source_info_hashes_the_bytes() -> None:
    _, info, _ = read(b"abc", "f.txt")
    assert info.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert info.file == "f.txt"


def test_binary_input_is_refused() -> None:
    with pytest.raises(BinaryInputError, match="NUL byte at offset 3"):
        read(b"abc\x00def", "f")


def test_latin1_bytes_are_refused_with_the_offset() -> None:
    with pytest.raises(SourceDecodeError, match="byte offset 7; .* try --encoding cp1252"):
        read("HANKE PÄÄTTYNYT".encode("latin-1"), "f")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "iso-8859-15"])
def test_named_encoding(encoding: str) -> None:
    lines, _, _ = read("HANKE PÄÄTTYNYT\nÅbo\n".encode(encoding), "f", encoding)
    assert [line.text for line in lines] == ["HANKE PÄÄTTYNYT", "Åbo"]


def test_unknown_encoding() -> None:
    with pytest.raises(SourceDecodeError, match="unknown encoding 'klingon'"):
        read(b"abc", "f", "klingon")


@pytest.mark.parametrize(
    ("garbled", "fixed"),
    [
        ("HANKE ON PÃ„Ã„TTYNYT.", "HANKE ON PÄÄTTYNYT."),
        ("Muut kunnat: JÃ¤rvenpÃ¤Ã¤, Ã…bo", "Muut kunnat: Järvenpää, Åbo"),
        ("Järvenpää â€“ Kerava", None),  # half right, half garbled: cannot be undone as a whole
        ("Hanke â€“ tulokset", "Hanke – tulokset"),
    ],
)
def test_mojibake_is_repaired_and_reported(garbled: str, fixed: str | None) -> None:
    lines, _, diagnostics = read(f"Otsikko\n{garbled}\n", "f")
    if fixed is None:
        assert [d.code for d in diagnostics] == ["mojibake"]
    else:
        assert lines[1] == Line(2, fixed)
        assert [(d.code, d.line) for d in diagnostics] == [("mojibake-repaired", 2)]


def test_real_scandinavian_text_is_not_mojibake() -> None:
    text = "Åbo, Ähtäri, Pedersöre, Närpes, “lainaus” – ajatusviiva, 3 °C, § 5\n"
    assert read(text.encode(), "f")[2] == []


def test_c1_and_bidi_controls_are_dropped_after_latin1_mojibake_is_repaired() -> None:
    garbled = "HANKE ON PÄÄTTYNYT.".encode("utf-8").decode("latin-1")  # "PÃ\x84Ã\x84TTYNYT": C1 characters
    lines, _, diagnostics = read(f"{garbled}\nOtsikko \u009b2J \u202eLahti\u202c\n".encode(), "f")
    assert [line.text for line in lines] == ["HANKE ON PÄÄTTYNYT.", "Otsikko 2J Lahti"]
    assert [d.code for d in diagnostics] == ["mojibake-repaired"]


def test_controls_that_the_mojibake_repair_produces_are_dropped_too() -> None:
    lines, _, diagnostics = read("Kuvaus tekstiâ€® gnp Â›[31m punainen\n".encode(), "f")
    assert [line.text for line in lines] == ["Kuvaus teksti gnp [31m punainen"]
    assert [d.code for d in diagnostics] == ["mojibake-repaired"]


def test_a_soft_hyphen_is_dropped_and_mojibake_of_i_acute_still_repaired() -> None:
    """U+00AD is a break hint, not a letter; it is also half of "í" in UTF-8 read as cp1252, so it goes only after
    the repair."""
    lines, _, problems = read("Kunta kuuluu kaik\u00adille\nMart\u00c3\u00ad hanke\n".encode(), "x")
    assert [line.text for line in lines[:2]] == ["Kunta kuuluu kaikille", "Martí hanke"]
    assert [p.code for p in problems] == ["mojibake-repaired"]
