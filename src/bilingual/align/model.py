"""The fitted logistic models that turn a candidate's evidence into a calibrated probability.

The signals (:mod:`bilingual.align.signals`) are combined by a logistic model into one score in
[0, 1]; pairs under the model's threshold are not emitted.  There are two models: one for runs
without machine translation, one for runs with it, whose evidence is distributed differently.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from .candidates import Candidate
from .signals import credit_agreement, length_agreement, name_agreement, number_agreement

__all__ = ["FEATURES", "WITHOUT_MT", "WITH_MT", "Evidence", "Model", "features"]

# The features of a candidate, in the order of the weights; see features().
FEATURES = (
    "next", "whole", "before", "caption_role", "numbers", "names", "credit", "length",
    "length_log", "lexicon", "lexicon_log", "lexicon_margin", "coverage", "likelihood",
    "likelihood_margin", "chrf",
)  # fmt: skip


@dataclass(frozen=True)
class Model:
    """A logistic model, ``sigmoid(bias + sum(weights[f] * features[f]))``, its calibration,
    and the probability under which a pair is not emitted.

    Attributes:
        calibration: increasing points (model output, share of such pairs that are right),
            interpolated linearly: the model's output ranks candidates, the calibration says
            how often the pairs it emits are right.  Empty: the output is the probability.
    """

    bias: float
    weights: dict[str, float]
    threshold: float = 0.5
    calibration: tuple[tuple[float, float], ...] = ()

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values[name] for name, w in self.weights.items())
        return self.calibrate(1 / (1 + math.exp(-min(max(z, -60.0), 60.0))))

    def calibrate(self, output: float) -> float:
        """The calibrated probability for a model output."""
        points = self.calibration
        if not points:
            return output
        k = bisect.bisect_left(points, (output, -1.0))
        if k == 0:
            return points[0][1]
        if k == len(points):
            return points[-1][1]
        (x0, y0), (x1, y1) = points[k - 1], points[k]
        return y0 + (y1 - y0) * (output - x0) / (x1 - x0)


# Fitted by tools/fit_align.py on pages built from NTREX (development data: galleries, credit
# lines, orphan captions, untranslated paragraphs, ...), each document scored with a word table
# trained without it: one model for runs without machine translation, one for runs with it (its
# evidence is distributed differently).  The scores are calibrated on pairs predicted for
# documents left out of the fit (Platt scaling, folded into the weights, then an isotonic step),
# so a pair scored 0.9 is right about nine times in ten; each threshold is the lowest calibrated
# score at which those held-out pairs reach a precision of 0.99.
WITHOUT_MT = Model(
    bias=-50.68,
    weights={
        "next": 19.36,
        "whole": 28.22,
        "before": -4.61,
        "caption_role": 2.35,
        "numbers": 2.71,
        "names": 1.88,
        "credit": 15.46,
        "length": -0.49,
        "length_log": 8.33,
        "lexicon": 1.06,
        "lexicon_log": -2.50,
        "lexicon_margin": 0.04,
        "coverage": 7.85,
        "likelihood": 4.13,
        "likelihood_margin": 4.72,
    },
    threshold=0.625,
    calibration=(
        (0.0044, 0.0044),
        (0.1849, 0.1725),
        (0.4029, 0.4096),
        (0.6127, 0.6286),
        (0.759, 0.7191),
        (0.8526, 0.8462),
        (0.9295, 0.9297),
        (0.967, 0.9784),
        (0.9856, 0.9859),
        (0.9928, 0.9908),
        (0.9975, 0.9985),
        (0.9999, 0.9998),
    ),
)
WITH_MT = Model(
    bias=-62.40,
    weights={
        "next": 19.09,
        "whole": 34.08,
        "before": -4.88,
        "caption_role": 0.70,
        "numbers": 2.08,
        "names": 1.36,
        "credit": 19.38,
        "length": -0.29,
        "length_log": 7.61,
        "lexicon": 2.67,
        "lexicon_log": -4.24,
        "lexicon_margin": -7.96,
        "coverage": 10.31,
        "likelihood": 5.44,
        "likelihood_margin": 1.21,
        "chrf": 27.99,
    },
    threshold=0.3,
    calibration=(
        (0.0012, 0.0014),
        (0.2648, 0.1429),
        (0.7628, 0.7674),
        (0.9563, 0.9841),
        (0.9953, 0.9983),
        (1.0, 0.9999),
    ),
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
        coverage: how much of the French the Vietnamese explains (0 without evidence).
        likelihood: the word table's likelihood ratio of the Vietnamese given the French
            (:meth:`~bilingual.align.lexicon.Lexicon.likelihood`; 0 without evidence).
        likelihood_margin: ``likelihood`` minus the median best ratio of the other paragraphs.
    """

    chrf: float | None
    chrf_margin: float | None
    lexicon: float
    lexicon_margin: float
    coverage: float = 0.0
    likelihood: float = 0.0
    likelihood_margin: float = 0.0


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
        "coverage": evidence.coverage,
        # Log-ratios, clipped: past 3 (twenty times likelier) the evidence is no stronger.
        "likelihood": _clip(evidence.likelihood),
        "likelihood_margin": _clip(evidence.likelihood_margin),
        "chrf": evidence.chrf_margin or 0.0,
    }


def _clip(value: float, limit: float = 3.0) -> float:
    return max(min(value, limit), -limit) / limit


def _centre(value: float | None) -> float:
    """Agreement in [0, 1] as evidence in [-1, 1]: disagreement counts against a pair, and no
    evidence counts for nothing."""
    return 0.0 if value is None else 2 * value - 1
