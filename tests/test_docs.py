"""The README tells the truth: commands, diagnostic codes, exit codes and the validity date are documented."""
from __future__ import annotations

import re

import click
from conftest import ROOT

from hankkeet.cli import main
from hankkeet.diagnostics import CODES
from hankkeet.municipalities import VALID_ON

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_setup_commands() -> None:
    first_block = README.split("```")[1]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == ["make run", "make test"]


def test_every_command_has_help_and_is_in_the_readme() -> None:
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert command.help, name
        assert f"hankkeet {name}" in README, name


def test_every_diagnostic_code_is_documented_and_emitted() -> None:
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", README, flags=re.MULTILINE))
    assert documented == set(CODES)
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "hankkeet").glob("*.py")
                      if p.name != "diagnostics.py")
    for code in CODES:
        assert f'"{code}"' in sources, f"{code} is documented but never emitted"


def test_exit_codes_are_documented() -> None:
    for status in ("| 0 |", "| 1 |", "| 2 |"):
        assert status in README


def test_validity_date_of_the_municipality_list_is_stated() -> None:
    assert VALID_ON == "2025-01-01"
    assert "308 municipalities in force on 2025-01-01" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _usage_block() -> dict[str, str]:
    """The README's usage block: each command's lines (continuation lines included), keyed by command name."""
    block = README.split("## Usage", 1)[1].split("```")[1]
    usage: dict[str, str] = {}
    name = ""
    for line in block.strip().splitlines():
        if line.startswith("hankkeet"):
            words = line.split()
            name = words[1] if len(words) > 1 and not words[1].startswith(("-", "[")) else ""
        usage[name] = usage.get(name, "") + line + "\n"
    return usage


def test_every_option_of_every_command_is_in_the_usage_block() -> None:
    usage = _usage_block()
    assert isinstance(main, click.Group)
    missing = []
    for name, command in [("", main), *main.commands.items()]:
        for param in command.params:
            for option in [*param.opts, *param.secondary_opts] if isinstance(param, click.Option) else []:
                if option not in ("-h", "--help") and not re.search(re.escape(option) + r"\b", usage.get(name, "")):
                    missing.append(f"{name or 'hankkeet'} {option}")
    assert missing == []


def test_shell_completion_and_the_venv_are_documented() -> None:
    assert "_HANKKEET_COMPLETE=bash_source hankkeet" in README
    assert ".venv/bin/hankkeet" in README and "source .venv/bin/activate" in README
