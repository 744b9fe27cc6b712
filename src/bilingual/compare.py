"""The route comparison: for a target given both routes (a direct model and a pivot through
English), each route's chrF against the human Vietnamese of the page's caption pairs, the one
measurement of translation quality a user's own pages give for free (``run.json``'s
``route_comparison``).  A pipeline step (:meth:`~bilingual.Pipeline.compare_routes`); on Ray,
each actor's :class:`Tally` comes back with its documents, and the driver adds them up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .align.signals import mt_chrf
from .document import Document
from .translate.base import Generation

if TYPE_CHECKING:
    from .targets import Route

__all__ = ["RouteComparison", "Tally"]


class RouteComparison:
    """Each route's chrF against the human Vietnamese of the caption pairs, for targets given
    both routes: the one measurement of translation quality a user's own pages give for free."""

    def __init__(self, used: Mapping[str, Route], others: Mapping[str, Route]) -> None:
        self.used, self.others = used, others
        self.tally = Tally.empty({lang: used[lang].name for lang in others})

    def measure(self, documents: list[Document], generation: Generation) -> None:
        """Translate the French side of every caption pair of ``documents`` by the route not
        used (one call per target), and score both routes against the human text."""
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
