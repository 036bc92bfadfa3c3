"""hankkeet: the Finnish municipal digitalisation project listing as structured, checkable data."""
from __future__ import annotations

__version__ = "0.1.0"

from hankkeet.pipeline import extract  # noqa: E402

__all__ = ["__version__", "extract"]
