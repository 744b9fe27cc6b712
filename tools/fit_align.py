"""Calibrate the caption aligner's logistic models on pages built from NTREX (development data).

Every candidate of every Vietnamese caption of the pages of arrangements 0-39
(``benchmarks.pages.build_pages``: galleries, credit lines, orphans, untranslated paragraphs, …)
becomes one example (label: it is the gold pair); one model is fitted without machine
translation, one with an oracle translator (the reference Vietnamese, degraded).  Logistic
regression (L2, Newton's method) gives the weights.  The documents are cut in five folds, and a
fold's lexical signal comes from a word-translation table trained without it
(``benchmarks.measures.cross_fitted_lexicons``), passed to ``Aligner(lexicon=...)``, so the
signal looks here as it will on text the shipped table never saw.

A candidate-level model is not yet a pair-level score: the aligner emits the best candidate of
each caption, and those winners are more often right than their candidate probability says.
So the scores are calibrated on held-out folds: a model fitted on the other folds aligns each
fold, and Platt scaling (a logistic regression of correctness on the emitted pairs' log-odds)
maps its scores to the share of pairs that are right; Platt scaling is linear in the log-odds,
so it folds into the printed weights.  An isotonic step (share right per score bin, pooled until
increasing) then corrects the shape a line cannot follow: the model's middle scores were
overconfident and its top ones underconfident.  The threshold is then the lowest calibrated
score at which the pairs predicted for held-out folds reach ``TARGET_PRECISION`` with 95%
confidence (the lower end of the precision's Wilson interval): a threshold at which they only
just reach it gives new pages a precision under it about half the time.

Prints the models to paste into ``bilingual/align/model.py``.  FLORES is never used here.
Run from the repository root:

    python -m tools.fit_align
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache

import numpy as np

from benchmarks._common import corpus, tatoeba
from benchmarks.measures import OracleTranslator, cross_fitted_lexicons, wilson
from benchmarks.pages import Article, build_pages
from bilingual.align import Aligner, Lexicon
from bilingual.align.aligner import Scored, select
from bilingual.align.model import FEATURES, WITHOUT_MT, Model
from bilingual.pipeline import Pipeline, from_text

# Forty arrangements: the calibration's middle bins (scores 0.5-0.9, a few percent of the pairs)
# then hold some hundred pairs each; with eight they held thirty, and an isotonic step fitted to
# thirty pairs is off by about 0.09 on the next arrangements.
SEEDS = range(40)
# The bar without machine translation.  With the likelihood ratio of the word table it
# costs about a point of recall on held-out folds (at 0.98 it was six points before it).
TARGET_PRECISION = 0.99
GRID = [round(0.3 + 0.025 * k, 3) for k in range(27)]  # 0.3 ... 0.95

Page = tuple[int, Article, list[Scored]]  # (fold, page, its scored candidates)


@lru_cache(maxsize=1)
def folds() -> list[tuple[set[str], Lexicon]]:
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    return cross_fitted_lexicons(fr, vi, ids, extra=tatoeba())


def pages(seeds: range, with_mt: bool) -> list[Page]:
    """Every arrangement in ``seeds`` of every NTREX document, scored with its fold's table."""
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    out = []
    for k, (fold, lexicon) in enumerate(folds()):
        aligner = Aligner(lexicon=lexicon)
        for seed in seeds:
            for j, article in enumerate(build_pages(fr, vi, ids, seed, set(ids) - fold)):
                doc = from_text(f"a{j}", article.text)
                if with_mt:
                    Pipeline({"vi": OracleTranslator(article, seed=j)}).translate([doc])
                out.append((k, article, aligner.score(doc)))
    return out


def _norm(v: str, f: str) -> tuple[str, str]:
    return " ".join(v.split()), " ".join(f.split())


def examples(data: list[Page], with_mt: bool) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for _, article, scored in data:
        gold = {_norm(v, f) for v, f in article.gold}
        for s in scored:
            if s.candidate.vi.role != "caption":
                continue
            if with_mt and s.evidence.chrf_margin is None:
                continue  # scored by the model without machine translation
            rows.append([s.features[name] for name in FEATURES])
            labels.append(1.0 if _norm(s.candidate.vi.text, s.candidate.fr_text) in gold else 0.0)
    return np.array(rows, dtype=float), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method (a dozen features: exact and fast)."""
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


def model(data: list[Page], with_mt: bool) -> Model:
    x, y = examples(data, with_mt)
    names = [n for n in FEATURES if with_mt or n != "chrf"]
    w = fit(x[:, [FEATURES.index(n) for n in names]], y)
    weights = {n: float(v) for n, v in zip(names, w[1:], strict=True)}
    return Model(bias=float(w[0]), weights=weights, threshold=0.0)


def emitted(data: list[Page], without_mt: Model, with_mt: Model) -> list[tuple[float, bool]]:
    """(score, correct) of the best pair of each caption, no threshold: what the aligner emits."""
    out = []
    for _, article, scored in data:
        gold = {_norm(v, f) for v, f in article.gold}
        rescored = [
            replace(s, probability=m.probability(s.features), threshold=0.0)
            for s in scored
            for m in [without_mt if s.evidence.chrf_margin is None else with_mt]
        ]
        segments = {s.candidate.vi.index: s.candidate.vi for s in scored}
        frs = {seg.index: seg for s in scored for seg in s.candidate.fr}
        for a in select(rescored):
            pair = _norm(segments[a.vi].text, " ".join(frs[i].text for i in a.fr))
            out.append((a.score, pair in gold))
    return out


def held_out(data: list[Page], with_mt: bool, base: Model) -> list[tuple[float, bool]]:
    """Emitted pairs of each fold, scored by a model fitted on the other folds."""
    out = []
    for k in range(len(folds())):
        fitted = model([p for p in data if p[0] != k], with_mt)
        test = [p for p in data if p[0] == k]
        out += emitted(test, base, fitted) if with_mt else emitted(test, fitted, fitted)
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


# Score bins of the isotonic step: fine where pairs are many (near 1), coarse elsewhere.
EDGES = (0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)


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


def calibrated(
    m: Model, a: float, b: float, threshold: float, points: tuple[tuple[float, float], ...] = ()
) -> Model:
    weights = {n: round(a * w, 2) for n, w in m.weights.items()}
    return Model(round(a * m.bias + b, 2), weights, threshold, points)


def main() -> None:
    base = WITHOUT_MT
    for with_mt, name in ((False, "WITHOUT_MT"), (True, "WITH_MT")):
        data = pages(SEEDS, with_mt)
        raw = held_out(data, with_mt, base)
        a, b = platt(raw)
        platted = [(1 / (1 + math.exp(-(a * _logit(s) + b))), c) for s, c in raw]
        points = isotonic(platted)
        scored = [(Model(0, {}, 0, points).calibrate(s), c) for s, c in platted]
        gold = sum(len(p[1].gold) for p in data)
        threshold = GRID[-1]
        for t in GRID:
            kept = [c for s, c in scored if s >= t]
            precision, recall = sum(kept) / max(len(kept), 1), sum(kept) / max(gold, 1)
            lower = wilson(precision, max(len(kept), 1))[0]
            if lower >= TARGET_PRECISION and threshold == GRID[-1]:
                threshold = t
            print(
                f"# {name} held out: threshold {t:.3f} P {precision:.4f} (95% from {lower:.4f}) "
                f"R {recall:.4f}"
            )
        print(f"# {name}: Platt a={a:.3f} b={b:.3f}; threshold {threshold}")
        final = calibrated(model(data, with_mt), a, b, threshold, points)
        weights = ", ".join(f'"{n}": {v:.2f}' for n, v in final.weights.items())
        print(
            f"{name} = Model(bias={final.bias:.2f}, weights={{{weights}}}, "
            f"threshold={threshold}, calibration={points})"
        )
        if not with_mt:
            base = final


if __name__ == "__main__":
    main()
