"""Simplified ↔ Traditional conversion (OpenCC), loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=2)
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    return str(_converter("s2t").convert(text)) if text else ""


def to_simplified(text: str) -> str:
    return str(_converter("t2s").convert(text)) if text else ""
