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
    bias=-45.21,
    weights={
        "next": 18.30,
        "whole": 25.05,
        "before": -0.44,
        "caption_role": 2.06,
        "numbers": 2.36,
        "names": 1.97,
        "credit": 13.89,
        "length": -0.71,
        "length_log": 8.58,
        "lexicon": 0.77,
        "lexicon_log": -2.26,
        "lexicon_margin": 0.46,
        "coverage": 6.30,
        "likelihood": 5.09,
        "likelihood_margin": 3.33,
    },
    threshold=0.6,
    calibration=(
        (0.0046, 0.0057),
        (0.1788, 0.1301),
        (0.3996, 0.45),
        (0.608, 0.5568),
        (0.7566, 0.7273),
        (0.8544, 0.8566),
        (0.9298, 0.9591),
        (0.968, 0.9761),
        (0.9861, 0.9811),
        (0.9928, 0.9942),
        (0.9975, 0.9979),
        (0.9999, 0.9996),
    ),
)
WITH_MT = Model(
    bias=-55.11,
    weights={
        "next": 17.93,
        "whole": 30.05,
        "before": -1.10,
        "caption_role": 1.73,
        "numbers": 1.70,
        "names": 1.23,
        "credit": 17.30,
        "length": -0.32,
        "length_log": 8.37,
        "lexicon": 4.04,
        "lexicon_log": -2.31,
        "lexicon_margin": -8.70,
        "coverage": 3.71,
        "likelihood": 5.51,
        "likelihood_margin": 1.57,
        "chrf": 27.56,
    },
    threshold=0.3,
    calibration=(
        (0.0018, 0.0017),
        (0.181, 0.0943),
        (0.5239, 0.55),
        (0.8163, 0.8772),
        (0.955, 0.9764),
        (0.9893, 0.9872),
        (0.9977, 0.998),
        (1.0, 0.9998),
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
