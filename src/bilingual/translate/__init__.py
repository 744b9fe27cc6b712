"""The translation engine.

``base`` (the contract between the pipeline and translators), ``batching``, ``clauses``, ``hub``,
``devices`` and ``cache`` are pure Python, and so is :class:`~bilingual.Translator`'s module until
a model is loaded: torch and transformers are imported by ``marian`` (loading), ``engine``
(batched generation), ``workers`` and the decoders, only when a :class:`Translator` is built.
"""

from __future__ import annotations

from .base import (
    DEFAULT_MODELS,
    Engine,
    Generation,
    PlainEngine,
    Progress,
    Score,
    Scorer,
    SupportsTranslate,
    Translation,
    TranslatorSpec,
)
from .spec import as_engine
from .translator import Translator

__all__ = [
    "DEFAULT_MODELS",
    "Engine",
    "Generation",
    "PlainEngine",
    "Progress",
    "Score",
    "Scorer",
    "SupportsTranslate",
    "Translation",
    "Translator",
    "TranslatorSpec",
    "as_engine",
]
