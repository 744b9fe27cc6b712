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
    "length_log", "lexicon", "lexicon_log", "lexicon_margin", "chrf",
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


# Fitted by tools/fit_align.py on pages built from NTREX (development data: galleries, credit
# lines, orphan captions, untranslated paragraphs, ...), each document scored with a word table
# trained without it: one model for runs without machine translation, one for runs with it (its
# evidence is distributed differently).  The scores are calibrated (Platt scaling fitted on
# pairs predicted for documents left out of the fit, folded into the weights), so a pair scored
# 0.9 is right about nine times in ten; each threshold is the lowest calibrated score at which
# those held-out pairs reach a precision of 0.98.
WITHOUT_MT = Model(
    bias=-18.42,
    weights={
        "next": 7.66,
        "whole": 8.74,
        "before": -3.15,
        "caption_role": 5.61,
        "numbers": 0.93,
        "names": 1.67,
        "credit": 4.10,
        "length": -0.44,
        "length_log": 6.63,
        "lexicon": 3.10,
        "lexicon_log": 3.03,
        "lexicon_margin": 2.44,
    },
    threshold=0.725,
)
WITH_MT = Model(
    bias=-24.92,
    weights={
        "next": 7.03,
        "whole": 11.28,
        "before": -3.54,
        "caption_role": 3.83,
        "numbers": 0.56,
        "names": 1.08,
        "credit": 5.68,
        "length": -0.12,
        "length_log": 5.32,
        "lexicon": 9.01,
        "lexicon_log": -1.58,
        "lexicon_margin": -4.53,
        "chrf": 15.72,
    },
    threshold=0.575,
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
        # Near-zero agreement is a veto a linear term cannot express: a caption directly
        # followed by a French line of the right length is paired unless the words disagree.
        "lexicon_log": math.log10(evidence.lexicon + 0.01) / 2,
        "lexicon_margin": evidence.lexicon_margin,
        "chrf": evidence.chrf_margin or 0.0,
    }


def _centre(value: float | None) -> float:
    """Agreement in [0, 1] as evidence in [-1, 1]: disagreement counts against a pair, and no
    evidence counts for nothing."""
    return 0.0 if value is None else 2 * value - 1
