"""Shared fixtures: the shipped gazetteer, the seed listing and its release; --update-golden."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hankkeet import extract
from hankkeet.model import Release
from hankkeet.municipalities import Gazetteer

ROOT = Path(__file__).resolve().parent.parent
LISTING = ROOT / "data" / "raw" / "kuntien-digihankkeet.txt"
LISTING_NAME = "data/raw/kuntien-digihankkeet.txt"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (then review the diff by hand)")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="session")
def listing_bytes() -> bytes:
    return LISTING.read_bytes()


@pytest.fixture(scope="session")
def release(listing_bytes: bytes, gazetteer: Gazetteer) -> Release:
    return extract(listing_bytes, gazetteer, file=LISTING_NAME)
