"""The fitted logistic models that turn a candidate's evidence into a calibrated probability.

The signals (:mod:`bilingual.align.signals`) are combined by a logistic model into one score in
[0, 1]; pairs under the model's threshold are not emitted.  There are two models: one for runs
without machine translation, one for runs with it, whose evidence is distributed differently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .candidates import Candidate
from .signals import credit_agreement, length_agreement, name_agreement, number_agreement

__all__ = ["FEATURES", "WITHOUT_MT", "WITH_MT", "Evidence", "Model", "features"]

# The features of a candidate, in the order of the weights; see features().
FEATURES = (
    "next", "whole", "before", "caption_role", "numbers", "names", "credit", "length",
    "length_log", "lexicon", "lexicon_margin", "chrf",
)  # fmt: skip


@dataclass(frozen=True)
class Model:
    """A logistic model, ``P(pair) = sigmoid(bias + sum(weights[f] * features[f]))``, and the
    probability under which a pair is not emitted."""

    bias: float
    weights: dict[str, float]
    threshold: float = 0.5

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values[name] for name, w in self.weights.items())
        return 1 / (1 + math.exp(-min(max(z, -60.0), 60.0)))


# Calibrated by tools/fit_align.py on articles built from NTREX (development data), each document
# scored with a lexicon trained without it: one model for runs without machine translation, one
# for runs with it (its evidence is distributed differently).  Each threshold is the lowest at
# which pairs predicted for documents left out of the fit reach a precision of 0.985
# (document-level cross-validation in the same tool).
WITHOUT_MT = Model(
    bias=-26.94,
    weights={
        "next": 11.09,
        "whole": 14.82,
        "before": -2.93,
        "caption_role": 3.12,
        "numbers": 2.17,
        "names": 1.21,
        "credit": 5.06,
        "length": -1.93,
        "length_log": 13.69,
        "lexicon": 8.17,
        "lexicon_margin": 13.92,
    },
    threshold=0.725,
)
WITH_MT = Model(
    bias=-26.79,
    weights={
        "next": 5.88,
        "whole": 15.59,
        "before": -2.29,
        "caption_role": 3.10,
        "numbers": 1.92,
        "names": 0.51,
        "credit": 2.47,
        "length": -0.64,
        "length_log": 8.44,
        "lexicon": 4.13,
        "lexicon_margin": 7.46,
        "chrf": 18.60,
    },
    threshold=0.5,
)


@dataclass(frozen=True)
class Evidence:
    """What a candidate's neighbours say about it, measured once per candidate.

    Attributes:
        chrf: chrF of the machine translation of the French side against the Vietnamese text;
            ``None`` where the French was not translated.
        chrf_margin: ``chrf`` minus the median best chrF of the other nearby paragraphs; ``None``
            when machine translation gives no evidence (then the model without it decides).
        lexicon: lexical agreement (0 without evidence).
        lexicon_margin: ``lexicon`` minus the median best agreement of the other paragraphs.
    """

    chrf: float | None
    chrf_margin: float | None
    lexicon: float
    lexicon_margin: float


def features(cand: Candidate, evidence: Evidence) -> dict[str, float]:
    """The candidate's features; a signal with no evidence (no number on either side) is 0."""
    vi, fr = cand.vi.text, cand.fr_text
    length = length_agreement(vi, fr)
    return {
        "next": float(cand.distance == 1),
        "whole": float(cand.whole),
        "before": float(cand.distance < 0),
        "caption_role": float(all(s.role == "caption" for s in cand.fr)),
        "numbers": _centre(number_agreement(vi, fr)),
        "names": _centre(name_agreement(vi, fr)),
        "credit": _centre(credit_agreement(vi, fr)),
        "length": 2 * length - 1,
        "length_log": max(math.log10(length + 1e-12), -4.0) / 4,
        "lexicon": evidence.lexicon,
        "lexicon_margin": evidence.lexicon_margin,
        "chrf": evidence.chrf_margin or 0.0,
    }


def _centre(value: float | None) -> float:
    """Agreement in [0, 1] as evidence in [-1, 1]: disagreement counts against a pair, and no
    evidence counts for nothing."""
    return 0.0 if value is None else 2 * value - 1
