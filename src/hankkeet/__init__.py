"""hankkeet: the Finnish municipal digitalisation project listing as structured, checkable data."""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "extract"]


def __getattr__(name: str) -> Any:
    """Import the pipeline only when it is used, so `hankkeet --help` starts fast."""
    if name == "extract":
        from hankkeet.pipeline import extract

        return extract
    raise AttributeError(f"module 'hankkeet' has no attribute {name!r}")
