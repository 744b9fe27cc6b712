"""IBM Model 1 in one direction, for the likelihood ratio of a text given its translation.

The word-translation table (:mod:`bilingual.align.lexicon`) holds one each way: P(Vietnamese
syllable | French stem) and P(French stem | Vietnamese syllable).  Trained with NLTK's
``IBMModel1``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MIN_PROBABILITY", "Model1"]

# Probabilities under this are not kept: they change the likelihood by less than its smoothing.
MIN_PROBABILITY = 0.003
_SMOOTHING = 1e-4


@dataclass(frozen=True)
class Model1:
    """IBM Model 1 in one direction: P(target word | source word), with each target word's
    inverse document frequency and frequency, for the likelihood ratio of a text given another.

    Attributes:
        idf: target word -> log(sentences / sentences holding it), for words not in every one.
        probabilities: target word -> {source word: P(target | source)} (``""``: the empty word,
            which accounts for words no source word translates), those of
            :data:`MIN_PROBABILITY` or more.
        frequency: target word -> its share of the training text's words.
    """

    idf: dict[str, float] = field(default_factory=dict)
    probabilities: dict[str, dict[str, float]] = field(default_factory=dict)
    frequency: dict[str, float] = field(default_factory=dict)

    def likelihood(self, targets: Sequence[str], sources: Sequence[str]) -> float | None:
        """How much likelier the words ``targets`` are as a translation of ``sources`` than as
        text on their own: the idf-weighted mean, over the known target words, of
        log(P(word | sources) / P(word)), where P(word | sources) is the mean of P(word | s) over
        the source words and the empty word.  Every source word counts, weighted by its
        probability, not only the likeliest; ``None`` when no target word is known."""
        given_words = [*sources, ""]
        score = total = 0.0
        for word in targets:
            weight, background = self.idf.get(word), self.frequency.get(word)
            if weight and background:
                given = self.probabilities.get(word, {})
                p = sum(given.get(w, 0.0) for w in given_words) / len(given_words)
                score += weight * math.log((p + _SMOOTHING) / (background + _SMOOTHING))
                total += weight
        return score / total if total else None

    @classmethod
    def train(cls, bitext: Sequence[tuple[list[str], list[str]]], iterations: int) -> Model1:
        """NLTK's IBM Model 1 on (target words, source words) pairs."""
        from nltk.translate import AlignedSent, IBMModel1

        # AlignedSent(words, mots): the model learns P(word | mot).
        model = IBMModel1([AlignedSent(t, s) for t, s in bitext], iterations)
        tokens = Counter(w for t, _ in bitext for w in t)
        documents = Counter(w for t, _ in bitext for w in set(t))
        total = tokens.total()
        out = cls()
        for word, count in documents.items():
            if count < len(bitext):
                sources = model.translation_table[word]
                out.idf[word] = round(math.log(len(bitext) / count), 3)
                out.probabilities[word] = {
                    f or "": round(p, 4) for f, p in sources.items() if p >= MIN_PROBABILITY
                }
                out.frequency[word] = float(f"{tokens[word] / total:.4g}")
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "idf": dict(sorted(self.idf.items())),
            "probabilities": {
                w: dict(sorted(p.items())) for w, p in sorted(self.probabilities.items())
            },
            "frequency": dict(sorted(self.frequency.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model1:
        return cls(
            {w: float(v) for w, v in data["idf"].items()},
            {w: dict(p) for w, p in data["probabilities"].items()},
            dict(data["frequency"]),
        )
