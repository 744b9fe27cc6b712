"""What translates into each target language: as the caller describes it, and as it runs.

A caller names a target's translation three ways: a model (an id, a directory, a translator), a
:class:`Pivot` (through another target's translations), or :class:`Routes` (both: one is used,
and the page's human caption pairs tell which does better); :meth:`Target.of` is the one place
those are told apart, and a :class:`~bilingual.Config` holds one :class:`Target` per language.
Once its models are loaded (:func:`~bilingual.load_run`), a target translates by a
:class:`Route`: an engine, from French or from another target's translations.

opus-mt has far more English-Vietnamese than French-Vietnamese training data, and bilingual
translates every sentence into English anyway, so Vietnamese can come from the English outputs
through an English->Vietnamese model: the pivot costs only that second pass.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Literal

from .document import Segment
from .translate.base import Engine, Generation, Progress, Translation, TranslatorSpec

__all__ = [
    "Pivot",
    "Pivoting",
    "Route",
    "Routes",
    "Target",
    "TargetSpec",
    "model_name",
    "route_name",
]


@dataclass(frozen=True)
class Pivot:
    """Translate into a target through another target's translations.

    Attributes:
        via: the target whose translations are the source (``en``): it must be translated too,
            directly, and its translations are the ones written to the corpus.
        model: the model from ``via`` into the target (an id, a directory, a translator).

    Example:
        >>> Config.of({"en": "Helsinki-NLP/opus-mt-fr-en",
        ...            "vi": Pivot("en", "Helsinki-NLP/opus-mt-en-vi")})
    """

    via: str
    model: TranslatorSpec


@dataclass(frozen=True)
class Routes:
    """A direct model and a pivot for one target: ``use`` translates, and both are measured on
    the page's human caption pairs (``run.json``'s ``route_comparison``)."""

    direct: TranslatorSpec
    pivot: Pivot
    use: Literal["direct", "pivot"] = "direct"


TargetSpec = TranslatorSpec | Pivot | Routes


def route_name(via: str | None) -> str:
    """A route as provenance and the route comparison name it: ``direct`` (from French) or
    ``pivot via L``."""
    return "direct" if via is None else f"pivot via {via}"


def model_name(spec: TranslatorSpec) -> str:
    """A model as the caller named it: the id or path given, or the translator's name."""
    if isinstance(spec, (str, os.PathLike)):
        return os.fspath(spec)
    return spec.name if isinstance(spec, Engine) else type(spec).__name__  # as as_engine names it


@dataclass(frozen=True)
class Target:
    """One target language and what translates into it.

    Attributes:
        lang: the target language.
        direct: the model from French, if any (an id, a directory, a translator).
        pivot: the pivot through another target's translations, if any.
        use: the route that translates (``direct`` or ``pivot``); with both given, the other is
            compared on the page's caption pairs.
    """

    lang: str
    direct: TranslatorSpec | None = None
    pivot: Pivot | None = None
    use: Literal["direct", "pivot"] = "direct"

    @classmethod
    def of(cls, lang: str, spec: TargetSpec | Target) -> Target:
        """The target a caller's spec names (a model, a :class:`Pivot`, :class:`Routes`)."""
        if isinstance(spec, Target):
            return spec
        if isinstance(spec, Routes):
            return cls(lang, spec.direct, spec.pivot, spec.use)
        if isinstance(spec, Pivot):
            return cls(lang, None, spec, "pivot")
        return cls(lang, spec)

    @property
    def compared(self) -> bool:
        """Both routes given: the one not used is measured against the used one."""
        return self.direct is not None and self.pivot is not None

    @property
    def model(self) -> TranslatorSpec:
        """The model of the route used."""
        if self.use == "pivot":
            assert self.pivot is not None
            return self.pivot.model
        assert self.direct is not None
        return self.direct

    @property
    def route(self) -> str:
        """The route used, as provenance names it (``direct``, ``pivot via en``)."""
        return route_name(self.pivot.via if self.use == "pivot" and self.pivot else None)

    @property
    def name(self) -> str:
        """The model of the route used, as the caller named it (see :func:`model_name`)."""
        return model_name(self.model)

    @property
    def models(self) -> list[TranslatorSpec]:
        """Every model the target loads: the pivot's first."""
        pivot = [] if self.pivot is None else [self.pivot.model]
        return pivot + ([] if self.direct is None else [self.direct])

    def direct_only(self) -> Target:
        """The target translated by its direct model alone (its pivot dropped)."""
        return replace(self, pivot=None, use="direct")


@dataclass(frozen=True)
class Route:
    """How a target's translations are made: by ``engine``, from French (``via`` is ``None``)
    or from the translations into ``via``."""

    engine: Engine
    via: str | None = None

    @property
    def name(self) -> str:
        """``direct`` or ``pivot via L``, as provenance says it."""
        return route_name(self.via)

    def source(self, segment: Segment) -> str:
        """The text this route translates for ``segment``: the French, or its translation into
        ``via``."""
        return segment.text if self.via is None else segment.translations.get(self.via, "")


class Pivoting:
    """An engine that translates another target's translations: its identity says the route, so
    the cache keys on it."""

    def __init__(self, inner: Engine, via: str) -> None:
        self.inner, self.via = inner, via
        self.name = inner.name
        self.fingerprint = None if inner.fingerprint is None else f"{inner.fingerprint}<{via}"

    def run(
        self, sentences: list[str], generation: Generation, progress: Progress | None = None
    ) -> list[Translation]:
        return self.inner.run(sentences, generation, progress)
