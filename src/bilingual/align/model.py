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
    "likelihood_margin", "french_likelihood", "french_likelihood_margin", "chrf",
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
# score at which those held-out pairs reach a precision of 0.99 with 95% confidence.
WITHOUT_MT = Model(
    bias=-54.32,
    weights={
        "next": 20.38,
        "whole": 30.80,
        "before": -6.01,
        "caption_role": 2.44,
        "numbers": 2.72,
        "names": 1.87,
        "credit": 16.42,
        "length": -0.50,
        "length_log": 8.25,
        "lexicon": 3.76,
        "lexicon_log": -2.18,
        "lexicon_margin": -0.74,
        "coverage": 5.09,
        "likelihood": 2.10,
        "likelihood_margin": 3.29,
        "french_likelihood": 2.19,
        "french_likelihood_margin": 3.82,
    },
    threshold=0.625,
    calibration=(
        (0.004, 0.0035),
        (0.1817, 0.2107),
        (0.3993, 0.3636),
        (0.6086, 0.6159),
        (0.7516, 0.6559),
        (0.855, 0.8503),
        (0.9278, 0.9596),
        (0.9677, 0.9735),
        (0.9851, 0.9807),
        (0.9929, 0.9974),
        (0.9975, 0.9985),
        (0.9999, 0.9997),
    ),
)
WITH_MT = Model(
    bias=-61.30,
    weights={
        "next": 18.85,
        "whole": 33.81,
        "before": -5.03,
        "caption_role": 0.69,
        "numbers": 2.05,
        "names": 1.28,
        "credit": 19.30,
        "length": -0.28,
        "length_log": 7.37,
        "lexicon": 3.07,
        "lexicon_log": -3.24,
        "lexicon_margin": -8.00,
        "coverage": 9.52,
        "likelihood": 5.79,
        "likelihood_margin": -0.96,
        "french_likelihood": -1.60,
        "french_likelihood_margin": 3.71,
        "chrf": 27.42,
    },
    threshold=0.3,
    calibration=(
        (0.0012, 0.0013),
        (0.2563, 0.1296),
        (0.7863, 0.8537),
        (0.9687, 0.9891),
        (0.9968, 0.998),
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
        french_likelihood: the other way, the ratio of the French given the Vietnamese text
            (:meth:`~bilingual.align.lexicon.Lexicon.french_likelihood`; 0 without evidence).
        french_likelihood_margin: ``french_likelihood`` minus the median best of the other
            paragraphs.
    """

    chrf: float | None
    chrf_margin: float | None
    lexicon: float
    lexicon_margin: float
    coverage: float = 0.0
    likelihood: float = 0.0
    likelihood_margin: float = 0.0
    french_likelihood: float = 0.0
    french_likelihood_margin: float = 0.0


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
        "french_likelihood": _clip(evidence.french_likelihood),
        "french_likelihood_margin": _clip(evidence.french_likelihood_margin),
        "chrf": evidence.chrf_margin or 0.0,
    }


def _clip(value: float, limit: float = 3.0) -> float:
    return max(min(value, limit), -limit) / limit


def _centre(value: float | None) -> float:
    """Agreement in [0, 1] as evidence in [-1, 1]: disagreement counts against a pair, and no
    evidence counts for nothing."""
    return 0.0 if value is None else 2 * value - 1
