"""A word-translation table: for each Vietnamese syllable, the French words that often translate it.

The caption aligner's lexical signal, the one that works without machine translation: how much of
a Vietnamese caption the words of a French candidate explain.  The shipped table
(``data/lexicon_fr_vi.json``) is built by ``tools/train_lexicon.py`` with NLTK's IBM Model 1 from
development data; calibration and benchmarks train tables on part of that data and score the rest
(``Aligner(lexicon=...)``), so the signal is never measured on sentences its table has seen.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..patterns import WORD

__all__ = ["LEXICON_FILE", "Lexicon", "french_words", "shipped_lexicon", "vietnamese_words"]

STEM = 5
LEXICON_FILE = Path(__file__).parent.parent / "data" / "lexicon_fr_vi.json"


def french_words(text: str) -> list[str]:
    """Lower-cased French words, elided articles apart (``l'Europe`` -> ``l``, ``europe``)."""
    return WORD.findall(text.lower())


def vietnamese_words(text: str) -> list[str]:
    """Lower-cased Vietnamese syllables (the written words), tones kept."""
    return WORD.findall(text.lower())


def stem(word: str) -> str:
    """A French word's first letters: ``observée`` and ``observer`` explain the same syllable
    (a table trained on a few thousand sentences has seen one form of most words)."""
    return word[:STEM]


@dataclass(frozen=True)
class Lexicon:
    """French words per Vietnamese syllable, and each syllable's inverse document frequency.

    Attributes:
        idf: syllable -> log(sentences / sentences holding it), for syllables not in every one.
        table: syllable -> the French words w with P(syllable | w) >= the training ``min_p``.
    """

    idf: dict[str, float]
    table: dict[str, frozenset[str]]

    def agreement(self, vi: str, fr: str) -> float | None:
        """The share of ``vi``'s known syllables that a word of ``fr`` translates, weighted by
        idf (a content syllable says more than ``của``); ``None`` when none is known."""
        french = {stem(w) for w in french_words(fr)}
        stems = self._stems
        explained = total = 0.0
        for syllable in vietnamese_words(vi):
            weight = self.idf.get(syllable)
            if weight:
                total += weight
                if not french.isdisjoint(stems[syllable]):
                    explained += weight
        return explained / total if total else None

    def coverage(self, vi: str, fr: str) -> float | None:
        """The other direction: the share of ``fr``'s known words that a syllable of ``vi``
        translates, each weighted by the idf of the syllables it translates (``de`` explains
        everything and says nothing); ``None`` when no word is known.  A paragraph that only
        shares a caption's subject explains little of the caption and is explained little
        by it."""
        syllables = set(vietnamese_words(vi))
        reverse = self._reverse
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
    def _reverse(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for syllable, words in self._stems.items():
            for word in words:
                out.setdefault(word, set()).add(syllable)
        return {word: frozenset(syllables) for word, syllables in out.items()}

    @cached_property
    def _stems(self) -> dict[str, frozenset[str]]:
        return {syllable: frozenset(map(stem, words)) for syllable, words in self.table.items()}

    @classmethod
    def train(
        cls,
        pairs: Sequence[tuple[str, str]],
        iterations: int = 5,
        min_p: float = 0.1,
        top: int = 12,
    ) -> Lexicon:
        """IBM Model 1 (NLTK) on (French, Vietnamese) sentence pairs: P(syllable | French word).

        A syllable keeps at most ``top`` French words, those with probability ``min_p`` or more.
        """
        from nltk.translate import AlignedSent, IBMModel1

        # AlignedSent(words, mots): the model learns P(word | mot), here P(syllable | fr word).
        bitext = [AlignedSent(vietnamese_words(v), french_words(f)) for f, v in pairs]
        model = IBMModel1(bitext, iterations)
        documents = Counter(w for _, v in pairs for w in set(vietnamese_words(v)))
        idf: dict[str, float] = {}
        table: dict[str, frozenset[str]] = {}
        for syllable, count in documents.items():
            if count < len(pairs):
                sources = model.translation_table[syllable]
                best = sorted(
                    ((p, f) for f, p in sources.items() if f and p >= min_p), reverse=True
                )
                idf[syllable] = round(math.log(len(pairs) / count), 3)
                table[syllable] = frozenset(f for _, f in best[:top])
        return cls(idf, table)

    @classmethod
    def load(cls, path: Path = LEXICON_FILE) -> Lexicon:
        data = json.loads(path.read_text("utf-8"))
        idf = {w: float(v) for w, v in data["idf"].items()}
        return cls(idf, {w: frozenset(data["table"][w]) for w in idf})

    def save(self, path: Path, about: str) -> None:
        data = {
            "about": about,
            "idf": dict(sorted(self.idf.items())),
            "table": {w: sorted(self.table[w]) for w in sorted(self.table)},
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        path.write_text(text + "\n", "utf-8")


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The shipped table, read once per process (every :class:`~bilingual.align.Aligner` built
    without a table of its own shares it)."""
    return Lexicon.load()
