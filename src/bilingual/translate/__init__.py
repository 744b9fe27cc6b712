"""The translation engine.

``batching`` and ``hub`` are pure Python; ``marian`` is the only module that imports torch and
transformers, and it is imported only when a :class:`~bilingual.translate.marian.Translator` is
built.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

__all__ = ["DEFAULT_MODELS", "SupportsTranslate", "accepts"]

# Target language -> the opus-mt model that translates French into it.
DEFAULT_MODELS: dict[str, str] = {
    "en": "Helsinki-NLP/opus-mt-fr-en",
    "vi": "Helsinki-NLP/opus-mt-fr-vi",
}


@runtime_checkable
class SupportsTranslate(Protocol):
    """Anything that maps sentences to their translations, in order."""

    def translate(self, sentences: list[str]) -> list[str]: ...


def accepts(function: Callable[..., Any], name: str) -> bool:
    """Whether ``function`` takes a keyword argument ``name`` (a translator's ``progress``)."""
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
