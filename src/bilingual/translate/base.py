"""What a translator is to the rest of bilingual: the contract between the pipeline and engines.

Two shapes of translator exist, each declared once here and checked once, where the pipeline is
built (:func:`~bilingual.translate.spec.as_engine`):

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

from ..errors import ConfigError, InputError, ModelError

__all__ = [
    "DEFAULT_MODELS",
    "Engine",
    "Generation",
    "PairTooLong",
    "PlainEngine",
    "Progress",
    "Score",
    "Scorer",
    "SupportsTranslate",
    "Translation",
    "TranslatorSpec",
    "check_alternatives",
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
        score: the model's confidence, a log-probability per token (higher is better): with
            beam search, ``generate``'s length-normalised ``sequences_scores``; with greedy
            decoding, the mean log-probability of the generated tokens, the final ``</s>``
            included.  For a sentence translated in pieces, the pieces' mean.  ``None`` when the
            translator gives none.
        alternatives: the other hypotheses of the beam, best first, when more than one was asked
            for (``num_return_sequences``); none for a sentence translated in pieces.
    """

    text: str
    pieces: int = 1
    score: float | None = None
    alternatives: tuple[Translation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (see :meth:`from_dict`)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Translation:
        alternatives = tuple(cls.from_dict(a) for a in data.get("alternatives", ()))
        return cls(data["text"], data.get("pieces", 1), data.get("score"), alternatives)


@dataclass(frozen=True)
class Generation:
    """Decoding settings, passed unchanged from the caller down to the engine.

    Attributes:
        num_beams: beam width; 1 is greedy decoding; ``None``: the model's own generation
            config (4 for opus-mt models).
        max_new_tokens: cap on generated tokens; ``None``: the engine's length rule.
        min_new_tokens: generated tokens before the end may come; ``None``: the engine's (1).
        num_return_sequences: hypotheses kept per sentence (the best, then alternatives); at
            most ``num_beams``.
    """

    num_beams: int | None = None
    max_new_tokens: int | None = None
    min_new_tokens: int | None = None
    num_return_sequences: int = 1

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ConfigError(f"{name} must be a whole number of at least 1, not {value!r}")
        if self.num_beams is not None:
            check_alternatives(self.num_return_sequences, self.num_beams)

    def check_model(self, model: str, default_beams: int) -> None:
        """Check ``num_return_sequences`` against a model's own beams, when ``num_beams`` leaves
        the width to the model's generation config (see :func:`check_alternatives`)."""
        if self.num_beams is None:
            check_alternatives(self.num_return_sequences, default_beams, model)

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


@dataclass(frozen=True)
class Score:
    """A model's log-probability of a given translation (forced decoding, teacher forcing).

    Attributes:
        total: the natural-log probability of the target's tokens given the source, the final
            ``</s>`` included: what transformers gives as ``-loss * tokens`` with ``labels``.
        tokens: how many target tokens were scored (``</s>`` included, so at least 1).
    """

    total: float
    tokens: int

    @property
    def per_token(self) -> float:
        """The mean log-probability of a target token (higher is better), comparable across
        lengths and with :attr:`Translation.score` of greedy decoding."""
        return self.total / self.tokens

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Score:
        return cls(float(data["total"]), int(data["tokens"]))


class PairTooLong(InputError):
    """A pair to score whose source or target is longer than the model reads.

    Attributes:
        index: the pair's position in the lists given to ``score``.
    """

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index

    @classmethod
    def check(cls, pairs: list[tuple[list[int], list[int]]], where: list[int], limit: int,
              model: str) -> None:  # fmt: skip
        """Raise for the first of the distinct ``pairs`` (token ids) with a side over ``limit``
        tokens, naming its first position in the input (``where``: input -> distinct pair)."""
        for k, (source, target) in enumerate(pairs):
            if max(len(source), len(target)) > limit:
                side = "source" if len(source) > limit else "target"
                index = where.index(k)
                raise cls(
                    f"pair {index}: its {side} has {max(len(source), len(target))} tokens, "
                    f"more than the {limit} {model} reads; split it into sentences",
                    index,
                )


@runtime_checkable
class Scorer(Protocol):
    """A model that scores given translations: what a :class:`~bilingual.Translator` offers
    besides translating, and what a pipeline needs to give caption pairs a ``model_score``."""

    @property
    def name(self) -> str: ...

    @property
    def fingerprint(self) -> str | None: ...

    def score(
        self, sources: list[str], targets: list[str], progress: Progress | None = None
    ) -> list[Score]:
        """The model's log-probability of each target given its source, in order."""
        ...


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


def check_alternatives(
    returned: int, beams: int, model: str | None = None, *, flags: bool = False
) -> None:
    """The one rule on alternatives: a sentence has at most as many hypotheses as beams (the
    alternatives are the other beams).

    Args:
        returned: hypotheses asked for per sentence.
        beams: the beam width, given, or ``model``'s own (its generation config).
        model: the model whose own beams ``beams`` is, when it is.
        flags: word the error as the command's flags (``--nbest``, ``--beams``) rather than as
            :class:`Generation`'s fields.

    Raises:
        ConfigError: ``returned`` above ``beams``.
    """
    if returned <= beams:
        return
    asked, width = ("nbest", "beams") if flags else ("num_return_sequences", "num_beams")
    limit = f"{width} ({beams})" if model is None else f"the {beams} beams of {model}"
    if model is not None:
        limit += " (its generation config)"
    message = f"{asked} ({returned}) cannot exceed {limit}: the alternatives are the other beams"
    if flags:
        message += (
            "; raise --beams or lower --nbest"
            if model is None
            else f"; pass --beams {returned} or more, or a lower --nbest"
        )
    raise ConfigError(message)


def check_count(name: str, value: int | None) -> None:
    """Raise a :class:`ConfigError` unless ``value`` is ``None`` or a whole number >= 1."""
    if value is not None and value < 1:
        raise ConfigError(f"{name} must be at least 1, not {value}")
