"""The fitted logistic models that turn a candidate's evidence into a calibrated probability.

The signals (:mod:`bilingual.align.signals`) are combined by a logistic model into one score in
[0, 1]; pairs under the model's threshold are not emitted.  There are two models: one for runs
without machine translation, one for runs with it, whose evidence is distributed differently.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ModelError
from ..parse import could_translate
from .candidates import BELOW, Candidate
from .signals import (
    credit_agreement,
    credit_missing,
    length_agreement,
    name_agreement,
    number_agreement,
)

__all__ = [
    "FEATURES",
    "MODEL_FILE",
    "POSITION",
    "Evidence",
    "Model",
    "features",
    "load_models",
    "save_models",
    "shipped_models",
]

# The fitted models, written by ``python -m tools.fit_align``.
MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "align_model.json"

# The features of a candidate, in the order of the weights; see features().
FEATURES = (
    "next", "whole", "before", "caption_role", "numbers", "names", "credit", "credit_missing",
    "length", "length_log", "lexicon", "lexicon_log", "lexicon_margin", "coverage", "likelihood",
    "likelihood_margin", "french_likelihood", "french_likelihood_margin", "chrf",
)  # fmt: skip
# The features that say where a candidate lies, not what it says: they follow from the side
# the page is read from, so they are left out when its words alone must choose the side.
POSITION = frozenset({"next", "before", "caption_role"})


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
        z = self.logit(values)
        return self.calibrate(1 / (1 + math.exp(-min(max(z, -60.0), 60.0))))

    def logit(self, values: dict[str, float], leave_out: frozenset[str] = frozenset()) -> float:
        """The model's log-odds before calibration, the features ``leave_out`` left out."""
        return self.bias + sum(
            w * values[name] for name, w in self.weights.items() if name not in leave_out
        )

    def content_logit(self, values: dict[str, float]) -> float:
        """The model's log-odds from what the candidate says alone, its :data:`POSITION`
        features left out: how strongly the words, numbers, names and credits of the two
        texts say that one translates the other, wherever it lies."""
        return self.logit(values, POSITION)

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

    def as_json(self) -> dict[str, Any]:
        """The model as the data file holds it."""
        return {
            "bias": self.bias,
            "weights": self.weights,
            "threshold": self.threshold,
            "calibration": [list(point) for point in self.calibration],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        return cls(
            float(data["bias"]),
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data["threshold"]),
            tuple((float(x), float(y)) for x, y in data["calibration"]),
        )


def load_models(path: Path = MODEL_FILE) -> tuple[Model, Model]:
    """The models without and with machine translation, from a file written by
    ``python -m tools.fit_align``.

    Raises:
        ModelError: the file is missing, is not such a file, or weighs a feature this version
            does not compute (refit with ``python -m tools.fit_align``).
    """
    try:
        data = json.loads(path.read_text("utf-8"))
        models = Model.from_json(data["without_mt"]), Model.from_json(data["with_mt"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ModelError(f"{path}: not an aligner model file ({e!r}); refit it with "
                         "`python -m tools.fit_align`") from e  # fmt: skip
    unknown = {n for m in models for n in m.weights} - set(FEATURES)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ModelError(f"{path}: weighs features this version does not compute ({names}); "
                         "refit it with `python -m tools.fit_align`")  # fmt: skip
    return models


def save_models(path: Path, without_mt: Model, with_mt: Model, about: str) -> None:
    """Write the two models to ``path`` atomically, as :func:`load_models` reads them."""
    from ..write.atomic import write_atomic

    data = {"about": about, "features": list(FEATURES),
            "without_mt": without_mt.as_json(), "with_mt": with_mt.as_json()}  # fmt: skip
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


# Fitted by tools/fit_align.py on pages built from NTREX (``development.pages``: the seeds' layout
# and many other conventions), each document scored with a word table trained without it; the
# data file says how (its ``about``).  The scores are calibrated on pairs predicted for pages the
# fit did not see (Platt scaling, folded into the weights, then an isotonic step), so a pair
# scored 0.9 is right about nine times in ten.
@cache
def shipped_models() -> tuple[Model, Model]:
    """The shipped models (without and with machine translation), read once, when first used:
    a stale file does not stop ``tools.fit_align`` from importing the aligner to refit it."""
    return load_models()


def __getattr__(name: str) -> Model:
    """``WITHOUT_MT`` and ``WITH_MT``: the shipped models (:func:`shipped_models`)."""
    if name in ("WITHOUT_MT", "WITH_MT"):
        return shipped_models()[name == "WITH_MT"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


@dataclass(frozen=True)
class Scored:
    """A candidate with its evidence, its features and the model's verdict on them."""

    candidate: Candidate
    evidence: Evidence
    features: dict[str, float]
    probability: float
    threshold: float


def features(cand: Candidate, evidence: Evidence) -> dict[str, float]:
    """The candidate's features; a signal with no evidence (no number on either side) is 0."""
    vi, fr = cand.vi.text, cand.fr_text
    length = length_agreement(vi, fr)
    return {
        # Position is counted from the side where the page puts its translations (page_side):
        # "next" is the nearest paragraph on that side, "before" one on the other.
        "next": float(cand.distance == 1),
        "whole": float(cand.whole),
        "before": float(cand.distance < 0),
        "caption_role": float(_caption_role(cand)),
        "numbers": _centre(number_agreement(vi, fr)),
        "names": _centre(name_agreement(vi, fr)),
        "credit": _centre(credit_agreement(vi, fr)),
        "credit_missing": credit_missing(vi, fr),
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


def _caption_role(cand: Candidate) -> bool:
    """Whether the French run reads as a caption: the parser's role (a credit, or the shape of a
    translation of the Vietnamese caption right above it).  The parser reads only downwards, so
    on a page that puts its translations above the captions, a run right above the caption is
    asked the parser's same question from the other side."""
    if all(s.role == "caption" for s in cand.fr):
        return True
    above = cand.side != BELOW and cand.distance == 1 and cand.fr[-1].index + 1 == cand.vi.index
    return above and could_translate(cand.vi.text, "vi", cand.fr_text)


def _clip(value: float, limit: float = 3.0) -> float:
    return max(min(value, limit), -limit) / limit


def _centre(value: float | None) -> float:
    """Agreement in [0, 1] as evidence in [-1, 1]: disagreement counts against a pair, and no
    evidence counts for nothing."""
    return 0.0 if value is None else 2 * value - 1
