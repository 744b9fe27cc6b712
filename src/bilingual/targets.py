"""What translates into each target language: as the caller describes it, as it runs, and how
its two routes compare.

A caller names a target's translation three ways: a model (an id, a directory, a translator), a
:class:`Pivot` (through another target's translations), or :class:`Routes` (both: one is used,
and the page's human caption pairs tell which does better); :meth:`Target.of` is the one place
those are told apart, and a :class:`~bilingual.Config` holds one :class:`Target` per language.
Once its models are loaded (:func:`~bilingual.load_run`), a target translates by a
:class:`Route`: an engine, from French or from another target's translations.

opus-mt has far more English-Vietnamese than French-Vietnamese training data, and bilingual
translates every sentence into English anyway, so Vietnamese can come from the English outputs
through an English->Vietnamese model: the pivot costs only that second pass.  For a target given
both routes, :class:`RouteComparison` scores each route's chrF against the human Vietnamese of
the page's caption pairs, the one measurement of translation quality a user's own pages give for
free (``run.json``'s ``route_comparison``): a pipeline step
(:meth:`~bilingual.Pipeline.compare_routes`); on Ray, each actor's :class:`Tally` comes back with
its documents, and the driver adds them up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from .document import Document, Segment
from .translate.base import Engine, Generation, Progress, Translation, TranslatorSpec

__all__ = [
    "Pivot",
    "Pivoting",
    "Route",
    "RouteComparison",
    "Routes",
    "Tally",
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


class RouteComparison:
    """Each route's chrF against the human Vietnamese of the caption pairs, for targets given
    both routes: the one measurement of translation quality a user's own pages give for free."""

    def __init__(self, used: Mapping[str, Route], others: Mapping[str, Route]) -> None:
        self.used, self.others = used, others
        self.tally = Tally.empty({lang: used[lang].name for lang in others})

    def measure(self, documents: list[Document], generation: Generation) -> None:
        """Translate the French side of every caption pair of ``documents`` by the route not
        used (one call per target), and score both routes against the human text."""
        from .align.signals import mt_chrf  # the aligner's package, only when routes compare

        pairs = [(d, a) for d in documents if d.error is None for a in d.alignments]
        for lang, other in self.others.items():
            sources = [other.source(d.segments[i]) for d, a in pairs for i in a.fr]
            translated = iter(other.engine.run(sources, generation) if sources else [])
            for document, alignment in pairs:
                human = document.segments[alignment.vi].text
                used = " ".join(
                    document.segments[i].translations.get(lang, "") for i in alignment.fr
                )
                unused = " ".join(next(translated).text for _ in alignment.fr)
                self.tally.add(lang, self.used[lang].name, mt_chrf(used, human))
                self.tally.add(lang, other.name, mt_chrf(unused, human))
                self.tally.pairs[lang] += 1

    def report(self) -> dict[str, dict[str, object]]:
        """Per target: the pairs measured, each route's mean chrF, and the route used."""
        return self.tally.report()


@dataclass
class Tally:
    """The route comparison's sums: per compared target, the pairs measured and each route's
    total chrF, and the route used.  Tallies of parts of a run (a Ray actor's batches) add up.
    """

    used: dict[str, str]
    pairs: dict[str, int]
    sums: dict[str, dict[str, float]]

    @classmethod
    def empty(cls, used: Mapping[str, str]) -> Tally:
        """Nothing measured yet, for the targets ``used`` names (target -> the route used)."""
        return cls(dict(used), dict.fromkeys(used, 0), {lang: {} for lang in used})

    def add(self, lang: str, route: str, chrf: float) -> None:
        self.sums[lang][route] = self.sums[lang].get(route, 0.0) + chrf

    def merge(self, other: Tally) -> None:
        """Add ``other``'s measurements (of other documents) to these."""
        for lang, pairs in other.pairs.items():
            self.pairs[lang] = self.pairs.get(lang, 0) + pairs
            self.used.setdefault(lang, other.used[lang])
            self.sums.setdefault(lang, {})
            for route, total in other.sums[lang].items():
                self.add(lang, route, total)

    def take(self) -> Tally:
        """The measurements so far, which start again from nothing."""
        taken = Tally(dict(self.used), dict(self.pairs), {k: dict(v) for k, v in self.sums.items()})
        self.pairs, self.sums = dict.fromkeys(self.used, 0), {lang: {} for lang in self.used}
        return taken

    def report(self) -> dict[str, dict[str, object]]:
        """Per target: the pairs measured, each route's mean chrF, and the route used."""
        return {
            lang: {
                "pairs": pairs,
                "mean_mt_chrf": {r: round(t / pairs, 4) for r, t in self.sums[lang].items()},
                "used": self.used[lang],
            }
            for lang, pairs in self.pairs.items()
        }
