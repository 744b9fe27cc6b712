"""From what a caller gives as a translator to the :class:`~bilingual.translate.Engine` the
pipeline drives: the one place a model id or path becomes a :class:`~bilingual.Translator`.

Apart from ``base`` (the contract) and ``translator`` (the model), so that neither imports the
other back.
"""

from __future__ import annotations

import os

from ..errors import ConfigError
from .base import Engine, PlainEngine, SupportsTranslate, TranslatorSpec
from .devices import DEFAULT_DEVICE, DEFAULT_PRECISION
from .translator import Translator

__all__ = ["as_engine"]


def as_engine(
    spec: TranslatorSpec,
    *,
    device: str = DEFAULT_DEVICE,
    precision: str = DEFAULT_PRECISION,
    threads: int | None = None,
    workers: int | None = None,
) -> Engine:
    """The engine for a translator given as a model id or path (loaded as a :class:`Translator`
    with the given settings), an :class:`~bilingual.translate.Engine`, or a
    :class:`~bilingual.translate.SupportsTranslate`.

    Raises:
        ConfigError: ``spec`` is none of these.
        ModelError: the model cannot be found or loaded.
    """
    if isinstance(spec, (str, os.PathLike)):
        return Translator(spec, device, precision, threads=threads, workers=workers)
    if isinstance(spec, Engine):
        return spec
    if isinstance(spec, SupportsTranslate):
        return PlainEngine(spec)
    raise ConfigError(
        f"{spec!r} is not a translator: pass a model id or directory, a bilingual.Translator, "
        "or an object with translate(list[str]) -> list[str]"
    )
