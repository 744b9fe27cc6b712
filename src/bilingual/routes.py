"""Routes to a target language: direct from French, or through another target (a pivot).

opus-mt has far more English-Vietnamese than French-Vietnamese training data, and bilingual
translates every sentence into English anyway, so Vietnamese can come from the English outputs
through an English->Vietnamese model: the pivot costs only that second pass.  A target is given
as a model (direct), a :class:`Pivot` (through another target's translations), or
:class:`Routes` (both: one is used, and the page's human caption pairs, translated both ways,
tell which does better: :class:`RouteComparison`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from .align.signals import mt_chrf
from .document import Document, Segment
from .errors import ConfigError
from .translate.base import Engine, Generation, Progress, Translation, TranslatorSpec, as_engine

__all__ = ["Pivot", "Route", "RouteComparison", "Routes", "TargetSpec", "plan_routes"]


@dataclass(frozen=True)
class Pivot:
    """Translate into a target through another target's translations.

    Attributes:
        via: the target whose translations are the source (``en``): it must be translated too,
            directly, and its translations are the ones written to the corpus.
        model: the model from ``via`` into the target (an id, a directory, a translator).

    Example:
        >>> Pipeline({"en": "Helsinki-NLP/opus-mt-fr-en",
        ...           "vi": Pivot("en", "Helsinki-NLP/opus-mt-en-vi")})
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

    def __post_init__(self) -> None:
        if self.use not in ("direct", "pivot"):
            raise ConfigError(f"a route is 'direct' or 'pivot', not {self.use!r}")


TargetSpec = TranslatorSpec | Pivot | Routes


@dataclass(frozen=True)
class Route:
    """How a target's translations are made: by ``engine``, from French (``via`` is ``None``)
    or from the translations into ``via``."""

    engine: Engine
    via: str | None = None

    @property
    def name(self) -> str:
        """``direct`` or ``pivot via L``, as provenance says it."""
        return "direct" if self.via is None else f"pivot via {self.via}"

    def source(self, segment: Segment) -> str:
        """The text this route translates for ``segment``: the French, or its translation into
        ``via``."""
        return segment.text if self.via is None else segment.translations.get(self.via, "")


def plan_routes(
    targets: Mapping[str, TargetSpec], load: Callable[[TranslatorSpec], Engine] = as_engine
) -> tuple[dict[str, Route], dict[str, Route]]:
    """The route of each target, in an order where a pivot comes after the target it goes
    through, and for targets given :class:`Routes`, the route not used (to be compared).

    ``load`` turns a model id, path or translator into an engine (with the caller's device,
    precision, …).

    Raises:
        ConfigError: a pivot through a target that is not translated directly.
        ModelError: a model that cannot be loaded.
    """
    used: dict[str, Route] = {}
    others: dict[str, Route] = {}
    for lang, spec in targets.items():
        if isinstance(spec, Routes):
            direct, pivot = Route(load(spec.direct)), _pivot(spec.pivot, load)
            used[lang], others[lang] = (direct, pivot) if spec.use == "direct" else (pivot, direct)
        elif isinstance(spec, Pivot):
            used[lang] = _pivot(spec, load)
        else:
            used[lang] = Route(load(spec))
    for lang, route in [*used.items(), *others.items()]:
        if route.via is not None and (route.via not in used or used[route.via].via is not None):
            raise ConfigError(
                f"{lang} pivots through {route.via}, which must be translated directly too: "
                f"add a model for {route.via}"
            )
    direct_first = sorted(used, key=lambda lang: used[lang].via is not None)
    return {lang: used[lang] for lang in direct_first}, others


def _pivot(spec: Pivot, load: Callable[[TranslatorSpec], Engine]) -> Route:
    return Route(_Pivoting(load(spec.model), spec.via), spec.via)


class _Pivoting:
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
        self.sums: dict[str, dict[str, float]] = {lang: {} for lang in others}
        self.pairs: dict[str, int] = dict.fromkeys(others, 0)

    def measure(self, documents: list[Document], generation: Generation) -> None:
        """Translate the French side of every caption pair of ``documents`` by the route not
        used (one call per target), and score both routes against the human text."""
        pairs = [(d, a) for d in documents if d.error is None for a in d.alignments]
        for lang, other in self.others.items():
            sources = [other.source(d.segments[i]) for d, a in pairs for i in a.fr]
            found = iter(other.engine.run(sources, generation) if sources else [])
            for document, alignment in pairs:
                human = document.segments[alignment.vi].text
                used = " ".join(
                    document.segments[i].translations.get(lang, "") for i in alignment.fr
                )
                unused = " ".join(next(found).text for _ in alignment.fr)
                self._add(lang, self.used[lang].name, used, human)
                self._add(lang, other.name, unused, human)
                self.pairs[lang] += 1

    def _add(self, lang: str, route: str, translation: str, human: str) -> None:
        self.sums[lang][route] = self.sums[lang].get(route, 0.0) + mt_chrf(translation, human)

    def report(self) -> dict[str, dict[str, object]]:
        """Per target: the pairs measured, each route's mean chrF, and the route used."""
        return {
            lang: {
                "pairs": pairs,
                "mean_mt_chrf": {r: round(t / pairs, 4) for r, t in self.sums[lang].items()},
                "used": self.used[lang].name,
            }
            for lang, pairs in self.pairs.items()
        }
