"""A word-translation table: for each Vietnamese syllable, the French words that often translate it.

The caption aligner's lexical signals, the ones that work without machine translation: how much of
a Vietnamese caption the words of a French candidate explain, and how much likelier the caption is
as a translation of those words than as text on its own, and the French as a translation of the
caption (IBM Model 1's likelihood ratio both ways, :mod:`bilingual.align.ibm1`).  The
shipped table (``data/lexicon_fr_vi.json``) is built by ``tools/train_lexicon.py`` with NLTK's IBM
Model 1 from development data; calibration and benchmarks train tables on part of that data and
score the rest (``Aligner(lexicon=...)``), so the signal is never measured on sentences its table
has seen.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ..patterns import WORD, same_tones
from .ibm1 import Model1

__all__ = [
    "LEXICON_FILE",
    "Lexicon",
    "french_words",
    "shipped_lexicon",
    "vietnamese_words",
]

STEM = 5
LEXICON_FILE = Path(__file__).parent.parent / "data" / "lexicon_fr_vi.json"


def french_words(text: str) -> list[str]:
    """Lower-cased French words, elided articles apart (``l'Europe`` -> ``l``, ``europe``)."""
    return WORD.findall(text.lower())


def vietnamese_words(text: str) -> list[str]:
    """Lower-cased Vietnamese syllables (the written words), tones kept, each tone on one vowel
    of ``oa``, ``oe`` and ``uy`` (``họa`` and ``hoạ`` are one syllable;
    see :func:`bilingual.patterns.same_tones`)."""
    return list(_syllables(text))


@lru_cache(maxsize=4096)
def _syllables(text: str) -> tuple[str, ...]:
    # The aligner asks for one caption's syllables four times for each of its candidates.
    return tuple(WORD.findall(same_tones(text.lower())))


def stem(word: str) -> str:
    """A French word's first letters: ``observée`` and ``observer`` explain the same syllable
    (a table trained on a few thousand sentences has seen one form of most words)."""
    return word[:STEM]


@dataclass(frozen=True)
class Lexicon:
    """French words per Vietnamese syllable, and each syllable's inverse document frequency;
    IBM Model 1 both ways, for the likelihood ratios.

    Attributes:
        idf: syllable -> log(sentences / sentences holding it), for syllables not in every one.
        table: syllable -> the French words (stems, when trained) w with P(syllable | w) >= the
            training ``min_p``.
        probabilities: syllable -> {French stem: P(syllable | stem)} (``""``: the empty word,
            which accounts for syllables no word translates), for the likelihood ratio.
        frequency: syllable -> its share of the training text's syllables.
        french: the other direction, P(French stem | syllable) (``None``: not trained).
    """

    idf: dict[str, float]
    table: dict[str, frozenset[str]]
    probabilities: dict[str, dict[str, float]] = field(default_factory=dict)
    frequency: dict[str, float] = field(default_factory=dict)
    french: Model1 | None = None

    def agreement(self, vi: str, fr: str) -> float | None:
        """The share of ``vi``'s known syllables that a word of ``fr`` translates, weighted by
        idf (a content syllable says more than ``của``); ``None`` when none is known."""
        french = {stem(w) for w in french_words(fr)}
        stems = self.stems
        explained = total = 0.0
        for syllable in vietnamese_words(vi):
            weight = self.idf.get(syllable)
            if weight:
                total += weight
                if not french.isdisjoint(stems[syllable]):
                    explained += weight
        return explained / total if total else None

    def likelihood(self, vi: str, fr: str) -> float | None:
        """How much likelier ``vi`` is as a translation of ``fr`` than as text on its own (IBM
        Model 1's likelihood ratio, :meth:`Model1.likelihood`); ``None`` when no syllable is
        known.  Around 0 for an unrelated text on the same subject, well above it for a
        translation."""
        return self._vietnamese.likelihood(
            vietnamese_words(vi), [stem(w) for w in french_words(fr)]
        )

    def french_likelihood(self, vi: str, fr: str) -> float | None:
        """The other way: how much likelier ``fr`` is as a translation of ``vi`` than on its own.
        A paragraph after an untranslated caption may hold the caption's words (its syllables
        are explained) while most of its own words are not the caption's; ``None`` when no
        French word is known, or the table has no model of this direction."""
        if self.french is None:
            return None
        return self.french.likelihood([stem(w) for w in french_words(fr)], vietnamese_words(vi))

    def coverage(self, vi: str, fr: str) -> float | None:
        """The other direction: the share of ``fr``'s known words that a syllable of ``vi``
        translates, each weighted by the idf of the syllables it translates (``de`` explains
        everything and says nothing); ``None`` when no word is known.  A paragraph that only
        shares a caption's subject explains little of the caption and is explained little
        by it."""
        syllables = set(vietnamese_words(vi))
        reverse = self.reverse
        explained = total = 0.0
        for word in {stem(w) for w in french_words(fr)}:
            known = reverse.get(word)
            if known:
                weight = max(self.idf[s] for s in known)
                total += weight
                if not syllables.isdisjoint(known):
                    explained += weight
        return explained / total if total else None

    @cached_property
    def _vietnamese(self) -> Model1:
        """The table's own direction, P(syllable | French stem), as a model."""
        return Model1(self.idf, self.probabilities, self.frequency)

    @cached_property
    def reverse(self) -> dict[str, frozenset[str]]:
        """French stem -> the syllables it translates (the table read the other way)."""
        out: dict[str, set[str]] = {}
        for syllable, words in self.stems.items():
            for word in words:
                out.setdefault(word, set()).add(syllable)
        return {word: frozenset(syllables) for word, syllables in out.items()}

    @cached_property
    def stems(self) -> dict[str, frozenset[str]]:
        """Syllable -> the French stems that translate it."""
        return {syllable: frozenset(map(stem, words)) for syllable, words in self.table.items()}

    @cached_property
    def max_idf(self) -> float:
        """The weight of the rarest known syllable: what a syllable never seen weighs."""
        return max(self.idf.values(), default=1.0)

    @classmethod
    def train(
        cls,
        pairs: Sequence[tuple[str, str]],
        iterations: int = 5,
        min_p: float = 0.1,
        top: int = 12,
    ) -> Lexicon:
        """IBM Model 1 (NLTK) on (French, Vietnamese) sentence pairs, both ways: P(syllable |
        French stem), and P(French stem | syllable) as ``french``.

        A syllable's table keeps at most ``top`` stems, those with probability ``min_p`` or more;
        its probabilities keep every stem (and the empty word) at
        :data:`~bilingual.align.ibm1.MIN_PROBABILITY` or more.
        """
        vietnamese = [vietnamese_words(v) for _, v in pairs]
        french = [[stem(w) for w in french_words(f)] for f, _ in pairs]
        forward = Model1.train(list(zip(vietnamese, french, strict=True)), iterations)
        table = {
            syllable: _likeliest(given, min_p, top)
            for syllable, given in forward.probabilities.items()
        }
        backward = Model1.train(list(zip(french, vietnamese, strict=True)), iterations)
        return cls(forward.idf, table, forward.probabilities, forward.frequency, backward)

    @classmethod
    def load(cls, path: Path = LEXICON_FILE) -> Lexicon:
        data = json.loads(path.read_text("utf-8"))
        forward = Model1.from_json(data)
        return cls(
            forward.idf,
            {w: frozenset(data["table"][w]) for w in forward.idf},
            forward.probabilities,
            forward.frequency,
            Model1.from_json(data["french"]) if "french" in data else None,
        )

    def save(self, path: Path, about: str) -> None:
        data = {
            "about": about,
            "table": {w: sorted(self.table[w]) for w in sorted(self.table)},
            **self._vietnamese.as_json(),
        }
        if self.french is not None:
            data["french"] = self.french.as_json()
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        path.write_text(text + "\n", "utf-8")


def _likeliest(given: dict[str, float], min_p: float, top: int) -> frozenset[str]:
    """The ``top`` likeliest words of probability ``min_p`` or more (not the empty word)."""
    best = sorted(((p, w) for w, p in given.items() if w and p >= min_p), reverse=True)
    return frozenset(w for _, w in best[:top])


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The shipped table, read once per process (every :class:`~bilingual.align.Aligner` built
    without a table of its own shares it)."""
    return Lexicon.load()
