"""What a translator is to the rest of bilingual: the contract between the pipeline and engines.

Two shapes of translator exist, each declared once here and checked once, where the pipeline is
built (:func:`as_engine`):

* :class:`SupportsTranslate`, the least a translator is: ``translate(list[str]) -> list[str]``.
  Any such object can stand in for a model (a dictionary lookup, a remote service, a test double).
* :class:`Engine`, what the pipeline drives: it says who it is (``name``, and a ``fingerprint`` when
  its output is reproducible, which the cache keys on), takes the decoding settings as one
  :class:`Generation`, reports progress, and returns :class:`Translation` results that carry what
  the pipeline records besides the text (how many pieces a long sentence was cut into).
  :class:`~bilingual.Translator` is one; :class:`PlainEngine` adapts a :class:`SupportsTranslate`.

No torch here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol, Union, runtime_checkable

from ..errors import ConfigError, ModelError
from .devices import DEFAULT_DEVICE, DEFAULT_PRECISION

__all__ = [
    "DEFAULT_MODELS",
    "Engine",
    "Generation",
    "PlainEngine",
    "Progress",
    "SupportsTranslate",
    "Translation",
    "TranslatorSpec",
    "as_engine",
    "check_count",
]

# Target language -> the opus-mt model that translates French into it.
DEFAULT_MODELS: dict[str, str] = {
    "en": "Helsinki-NLP/opus-mt-fr-en",
    "vi": "Helsinki-NLP/opus-mt-fr-vi",
}

# Called with the number of texts translated since the last call.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Translation:
    """One sentence's machine translation.

    Attributes:
        text: the translation.
        pieces: how many pieces the source was cut into because it was longer than the model's
            limit (1 when it fitted whole); the pieces' translations are joined with spaces.
    """

    text: str
    pieces: int = 1


@dataclass(frozen=True)
class Generation:
    """Decoding settings, passed unchanged from the caller down to the engine.

    Attributes:
        num_beams: beam width; 1 is greedy decoding.
        max_new_tokens: cap on generated tokens; ``None``: the engine's length rule.
        min_new_tokens: generated tokens before the end may come; ``None``: the engine's (1).
    """

    num_beams: int = 1
    max_new_tokens: int | None = None
    min_new_tokens: int | None = None

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ConfigError(f"{name} must be a whole number of at least 1, not {value!r}")

    @classmethod
    def of(cls, options: Generation | Mapping[str, Any] | None) -> Generation:
        """Settings from an object or keyword arguments (an unknown key is a ConfigError)."""
        if isinstance(options, Generation):
            return options
        try:
            return cls(**(options or {}))
        except TypeError as e:
            known = ", ".join(cls.__dataclass_fields__)
            raise ConfigError(f"unknown generation setting ({e}); known: {known}") from None

    def key(self) -> str:
        """A stable text that tells two settings apart (the cache keys on it)."""
        return ";".join(f"{k}={v}" for k, v in asdict(self).items())


@runtime_checkable
class SupportsTranslate(Protocol):
    """Anything that maps sentences to their translations, in order."""

    def translate(self, sentences: list[str]) -> list[str]: ...


@runtime_checkable
class Engine(Protocol):
    """A translator the pipeline can drive fully: identity, settings, progress, results."""

    @property
    def name(self) -> str:
        """The model as the user named it (hub id, directory, or a description)."""
        ...

    @property
    def fingerprint(self) -> str | None:
        """What makes the output what it is (model, revision, precision); ``None`` when unknown,
        and then nothing it translates is cached."""
        ...

    def run(
        self, sentences: list[str], generation: Generation, progress: Progress | None = None
    ) -> list[Translation]:
        """Translate ``sentences`` with ``generation``; one result per sentence, in order."""
        ...


class PlainEngine:
    """A :class:`SupportsTranslate` object as an :class:`Engine`.

    Its output cannot be identified (it is never cached) and it takes no settings; it must return
    one text per sentence, which is checked, since a short list would misalign every result.
    """

    def __init__(self, translator: SupportsTranslate) -> None:
        self.translator = translator
        self.name = type(translator).__name__
        self.fingerprint: str | None = None

    def run(
        self, sentences: list[str], generation: Generation, progress: Progress | None = None
    ) -> list[Translation]:
        del generation  # a plain translator has no settings
        texts = self.translator.translate(list(sentences))
        if len(texts) != len(sentences):
            raise ModelError(
                f"translator {self.name} returned {len(texts)} texts for {len(sentences)} inputs"
            )
        if progress is not None:
            progress(len(sentences))
        return [Translation(text) for text in texts]


TranslatorSpec = Union[SupportsTranslate, Engine, str, "os.PathLike[str]"]


def as_engine(
    spec: TranslatorSpec,
    *,
    device: str = DEFAULT_DEVICE,
    precision: str = DEFAULT_PRECISION,
    threads: int | None = None,
    workers: int | None = None,
) -> Engine:
    """The engine for a translator given as a model id or path (loaded as a
    :class:`~bilingual.Translator` with the given settings), an :class:`Engine`, or a
    :class:`SupportsTranslate`.

    Raises:
        ConfigError: ``spec`` is none of these.
        ModelError: the model cannot be found or loaded.
    """
    if isinstance(spec, (str, os.PathLike)):
        from .translator import Translator

        return Translator(spec, device, precision, threads=threads, workers=workers)
    if isinstance(spec, Engine):
        return spec
    if isinstance(spec, SupportsTranslate):
        return PlainEngine(spec)
    raise ConfigError(
        f"{spec!r} is not a translator: pass a model id or directory, a bilingual.Translator, "
        "or an object with translate(list[str]) -> list[str]"
    )


def check_count(name: str, value: int | None) -> None:
    """Raise a :class:`ConfigError` unless ``value`` is ``None`` or a whole number >= 1."""
    if value is not None and value < 1:
        raise ConfigError(f"{name} must be at least 1, not {value}")
