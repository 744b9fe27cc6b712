"""Fit and calibrate the caption aligner's logistic models on built pages.

Every candidate of every Vietnamese caption of the pages becomes one example (label: it is the
gold pair); one model is fitted without machine translation, one with an oracle translator (the
reference Vietnamese, degraded).  Logistic regression (L2, Newton's method) gives the weights.
The documents are cut in five folds, and a fold's lexical signal comes from a word table trained
without it (:func:`development.measures.cross_fitted_lexicons`).

A candidate-level model is not yet a pair-level score: the aligner emits the best candidate of
each caption, and those winners are more often right than their candidate probability says.  So
the scores are calibrated on held-out folds: a model fitted on the other folds aligns each fold,
Platt scaling (a logistic regression of correctness on the emitted pairs' log-odds, folded into
the weights) maps its scores to the share of pairs that are right, and an isotonic step (share
right per score bin, pooled until increasing) corrects the shape a line cannot follow.  The
threshold is the lowest calibrated score at which the held-out folds' pairs reach
``TARGET_PRECISION`` with 95% confidence (the lower end of the precision's Wilson interval).

:func:`leave_one_convention_out` repeats the whole fit without each convention of
:mod:`development.conventions`, so that a benchmark can measure every convention with models
that never saw it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bilingual.align import Aligner, Lexicon
from bilingual.align.aligner import Scored, select
from bilingual.align.model import FEATURES, Model
from bilingual.pipeline import Pipeline, from_text
from bilingual.write.atomic import write_atomic
from development.conventions import CONVENTIONS
from development.measures import OracleTranslator, same_pair, wilson
from development.pages import Article

__all__ = [
    "HELD_OUT_FILE",
    "Fitted",
    "Page",
    "calibrate",
    "fit_models",
    "leave_one_convention_out",
    "load_held_out",
    "save_held_out",
    "score_pages",
]

# Each convention's models fitted without its pages, written by ``python -m tools.fit_align``.
HELD_OUT_FILE = Path(__file__).resolve().parent / "held_out_models.json"

TARGET_PRECISION = 0.99
GRID = [round(0.3 + 0.025 * k, 3) for k in range(27)]  # 0.3 ... 0.95
# Score bins of the isotonic step: fine where pairs are many (near 1), coarse elsewhere.
EDGES = (0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)


@dataclass(frozen=True)
class Page:
    """A built page, the fold of its document and its candidates scored (any model: only the
    features are used)."""

    fold: int
    article: Article
    scored: list[Scored]


@dataclass(frozen=True)
class Fitted:
    """The two models and what their calibration measured on held-out folds."""

    without_mt: Model
    with_mt: Model
    report: list[str]


def score_pages(groups: Sequence[tuple[Lexicon, list[Article]]], with_mt: bool) -> list[Page]:
    """Every page of every group scored with its group's (fold's) word table (by a neutral
    model: only the features are used, and the shipped file may weigh features of another
    version)."""
    out = []
    neutral = Model(0.0, {})
    for k, (lexicon, articles) in enumerate(groups):
        aligner = Aligner(lexicon=lexicon, without_mt=neutral, with_mt=neutral)
        for j, article in enumerate(articles):
            doc = from_text(f"a{j}", article.text)
            if with_mt:
                translator = OracleTranslator(article, seed=j)
                Pipeline.of({"vi": translator}, aligner=aligner).translate([doc])
            out.append(Page(k, article, aligner.score(doc)))
    return out


def examples(data: Sequence[Page], with_mt: bool) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for page in data:
        gold = {same_pair(v, f) for v, f in page.article.gold}
        for s in page.scored:
            if s.candidate.vi.role != "caption":
                continue
            if with_mt and s.evidence.chrf_margin is None:
                continue  # scored by the model without machine translation
            rows.append([s.features[name] for name in FEATURES])
            labels.append(float(same_pair(s.candidate.vi.text, s.candidate.fr_text) in gold))
    return np.array(rows, dtype=float).reshape(-1, len(FEATURES)), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method (a score of features: exact and fast)."""
    x1 = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x1.shape[1])
    penalty = l2 * np.diag(np.r_[0.0, np.ones(x.shape[1])])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x1 @ w))
        grad = x1.T @ (p - y) + penalty @ w
        hessian = (x1 * (p * (1 - p))[:, None]).T @ x1 + penalty
        step = np.linalg.solve(hessian, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def model(data: Sequence[Page], with_mt: bool) -> Model:
    x, y = examples(data, with_mt)
    names = [n for n in FEATURES if with_mt or n != "chrf"]
    w = fit(x[:, [FEATURES.index(n) for n in names]], y)
    weights = {n: float(v) for n, v in zip(names, w[1:], strict=True)}
    return Model(bias=float(w[0]), weights=weights, threshold=0.0)


def emitted(data: Sequence[Page], without_mt: Model, with_mt: Model) -> list[tuple[float, bool]]:
    """(score, correct) of the best pair of each caption, no threshold: what the aligner emits."""
    out = []
    for page in data:
        gold = {same_pair(v, f) for v, f in page.article.gold}
        rescored = [
            replace(s, probability=m.probability(s.features), threshold=0.0)
            for s in page.scored
            for m in [without_mt if s.evidence.chrf_margin is None else with_mt]
        ]
        segments = {s.candidate.vi.index: s.candidate.vi for s in page.scored}
        frs = {seg.index: seg for s in page.scored for seg in s.candidate.fr}
        for a in select(rescored):
            pair = same_pair(segments[a.vi].text, " ".join(frs[i].text for i in a.fr))
            out.append((a.score, pair in gold))
    return out


def platt(scored: list[tuple[float, bool]]) -> tuple[float, float]:
    """(a, b) such that sigmoid(a * logit(score) + b) is the share of such pairs that are right."""
    logit = np.array([[_logit(s)] for s, _ in scored])
    y = np.array([float(c) for _, c in scored])
    b, a = fit(logit, y, l2=1e-3)
    return float(a), float(b)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)  # scores are rounded to 4 decimals: 0 and 1 occur
    return math.log(p / (1 - p))


def isotonic(scored: list[tuple[float, bool]], least: int = 40) -> tuple[tuple[float, float], ...]:
    """Points (mean score, share right) of score bins, merged until each holds ``least`` pairs
    and the shares increase (pool adjacent violators): the shape Platt's line cannot bend to."""
    blocks: list[list[float]] = []  # [sum of scores, right, count]
    for lo, hi in zip(EDGES, (*EDGES[1:], 1.01), strict=True):
        inside = [(s, c) for s, c in scored if lo <= s < hi]
        if inside:
            blocks.append([sum(s for s, _ in inside), sum(c for _, c in inside), len(inside)])
    merged: list[list[float]] = []
    for block in blocks:
        merged.append(block)
        while len(merged) > 1 and (
            merged[-2][2] < least or merged[-1][1] / merged[-1][2] <= merged[-2][1] / merged[-2][2]
        ):
            last = merged.pop()
            merged[-1] = [a + b for a, b in zip(merged[-1], last, strict=True)]
    return tuple((round(t / n, 4), round(r / n, 4)) for t, r, n in merged)


def calibrate(data: Sequence[Page], with_mt: bool, base: Model, report: list[str]) -> Model:
    """One model fitted on ``data``, calibrated and thresholded on its held-out folds; ``base``
    scores the candidates without MT evidence when ``with_mt``."""
    name = "with MT" if with_mt else "without MT"
    raw: list[tuple[float, bool]] = []
    for k in sorted({p.fold for p in data}):
        fitted = model([p for p in data if p.fold != k], with_mt)
        test = [p for p in data if p.fold == k]
        raw += emitted(test, base, fitted) if with_mt else emitted(test, fitted, fitted)
    a, b = platt(raw)
    platted = [(1 / (1 + math.exp(-(a * _logit(s) + b))), c) for s, c in raw]
    points = isotonic(platted)
    scored = [(Model(0, {}, 0, points).calibrate(s), c) for s, c in platted]
    gold = sum(len(p.article.gold) for p in data)
    threshold = GRID[-1]
    for t in reversed(GRID):
        kept = [c for s, c in scored if s >= t]
        precision, recall = sum(kept) / max(len(kept), 1), sum(kept) / max(gold, 1)
        lower = wilson(precision, max(len(kept), 1))[0]
        if lower >= TARGET_PRECISION:
            threshold = t
        report.append(f"{name} held out: threshold {t:.3f} P {precision:.4f} "
                      f"(95% from {lower:.4f}) R {recall:.4f}")  # fmt: skip
    report.append(f"{name}: Platt a={a:.3f} b={b:.3f}; threshold {threshold}")
    final = model(data, with_mt)
    weights = {n: round(a * w, 3) for n, w in final.weights.items()}
    return Model(round(a * final.bias + b, 3), weights, threshold, points)


def fit_models(plain: Sequence[Page], oracle: Sequence[Page]) -> Fitted:
    """Both models: without MT on ``plain``, with it on ``oracle`` (the same pages, translated)."""
    report: list[str] = []
    without = calibrate(plain, False, Model(0.0, {}), report)
    return Fitted(without, calibrate(oracle, True, without, report), report)


def leave_one_convention_out(
    plain: Sequence[Page], oracle: Sequence[Page], progress: Callable[[str], None] = print
) -> dict[str, Fitted]:
    """For each convention, both models fitted and calibrated without its pages."""
    out = {}
    for name in sorted(c.name for c in CONVENTIONS):
        progress(f"fitting without {name}")
        out[name] = fit_models(
            [p for p in plain if p.article.convention != name],
            [p for p in oracle if p.article.convention != name],
        )
    return out


def save_held_out(path: Path, held_out: dict[str, Fitted], about: str) -> None:
    """Write each convention's models (fitted without it) to ``path`` atomically."""
    data = {
        "about": about,
        "conventions": {
            name: {"without_mt": f.without_mt.as_json(), "with_mt": f.with_mt.as_json()}
            for name, f in held_out.items()
        },
    }
    write_atomic(path, json.dumps(data, indent=1) + "\n")


def load_held_out(path: Path) -> dict[str, tuple[Model, Model]]:
    """Each convention's models (without MT, with MT), as :func:`save_held_out` wrote them."""
    try:
        data = json.loads(path.read_text("utf-8"))["conventions"]
    except (OSError, ValueError, KeyError) as e:
        raise SystemExit(
            f"{path}: no held-out models ({e}); run `python -m tools.fit_align`"
        ) from e
    return {
        name: (Model.from_json(m["without_mt"]), Model.from_json(m["with_mt"]))
        for name, m in data.items()
    }
