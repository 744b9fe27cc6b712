"""Calibrate the caption aligner's logistic models on articles built from NTREX (development data).

Every candidate of every Vietnamese caption of the articles of seeds 0-3 becomes one example
(label: it is the gold pair); one model is fitted without machine translation, one with an oracle
translator (the reference Vietnamese, degraded).  Logistic regression (L2, Newton's method) gives
the weights.  The documents are cut in two folds, and a fold's lexical signal comes from a
word-translation table trained without it (``benchmarks.pages.cross_fitted_lexicons``), passed to
``Aligner(lexicon=...)``, so the signal looks here as it will on text the shipped table never saw.

The threshold is chosen by cross-validation over the same folds: a model fitted on one fold
aligns the other, and the threshold is the lowest at which the pairs predicted this way reach
``TARGET_PRECISION``.  A fit scored on its own articles is overconfident (it has seen their
sentences), so its own precision would set the threshold too low.

Prints the models to paste into ``bilingual/align/model.py``.  FLORES is never used here.
Run from the repository root:

    python -m tools.fit_align
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from benchmarks._common import corpus, tatoeba
from benchmarks.pages import Article, OracleTranslator, build_articles, cross_fitted_lexicons
from bilingual.align import Aligner, Lexicon
from bilingual.align.model import FEATURES, Model
from bilingual.document import Document
from bilingual.pipeline import Pipeline, from_text

SEEDS = range(4)
TARGET_PRECISION = 0.985
GRID = [round(0.5 + 0.025 * k, 3) for k in range(19)]  # 0.5 ... 0.95


Example = tuple[int, Article]  # (fold, article)


def articles(seeds: range) -> list[Example]:
    """Every arrangement in ``seeds`` of every NTREX document, with the document's fold."""
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    out = []
    for k, (fold, _) in enumerate(folds()):
        exclude = set(ids) - fold
        for seed in seeds:
            out += [(k, a) for a in build_articles(fr, vi, ids, seed=seed, exclude=exclude)]
    return out


@lru_cache(maxsize=1)
def folds() -> list[tuple[set[str], Lexicon]]:
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    return cross_fitted_lexicons(fr, vi, ids, extra=tatoeba())


def document(k: int, article: Article, with_mt: bool) -> Document:
    doc = from_text(f"a{k}", article.text)
    if with_mt:
        Pipeline({"vi": OracleTranslator(article, seed=k)}).translate([doc])
    return doc


def examples(data: list[Example], with_mt: bool) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for k, (fold, article) in enumerate(data):
        doc = document(k, article, with_mt)
        gold = {(" ".join(v.split()), " ".join(f.split())) for v, f in article.gold}
        for scored in Aligner(lexicon=folds()[fold][1]).score(doc):
            cand = scored.candidate
            if cand.vi.role != "caption":
                continue
            if with_mt and scored.evidence.chrf_margin is None:
                continue  # scored by the model without machine translation
            rows.append([scored.features[name] for name in FEATURES])
            pair = (" ".join(cand.vi.text.split()), " ".join(cand.fr_text.split()))
            labels.append(1.0 if pair in gold else 0.0)
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


def model(data: list[Example], with_mt: bool, threshold: float = 0.5) -> Model:
    x, y = examples(data, with_mt)
    names = [n for n in FEATURES if with_mt or n != "chrf"]
    w = fit(x[:, [FEATURES.index(n) for n in names]], y)
    weights = {n: round(float(v), 2) for n, v in zip(names, w[1:], strict=True)}
    return Model(bias=round(float(w[0]), 2), weights=weights, threshold=threshold)


def held_out_curve(data: list[Example], with_mt: bool) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) of pairs predicted for each fold by a model fitted on the
    other fold."""
    scored: list[tuple[float, bool]] = []  # (score, correct) of every predicted pair
    gold_count = 0
    for k, (_, lexicon) in enumerate(folds()):
        fitted = model([e for e in data if e[0] != k], with_mt, threshold=0.0)
        aligner = (
            Aligner(lexicon=lexicon, with_mt=fitted)
            if with_mt
            else Aligner(lexicon=lexicon, without_mt=fitted)
        )
        for j, (_, article) in enumerate(e for e in data if e[0] == k):
            doc = document(j, article, with_mt)
            gold = {(" ".join(v.split()), " ".join(f.split())) for v, f in article.gold}
            gold_count += len(gold)
            for pair in aligner.predict(doc):
                v = doc.segments[pair.vi].text
                f = " ".join(doc.segments[i].text for i in pair.fr)
                correct = (" ".join(v.split()), " ".join(f.split())) in gold
                scored.append((pair.score, correct))
    curve = []
    for t in GRID:
        kept = [c for s, c in scored if s >= t]
        correct = sum(kept)
        curve.append((t, correct / max(len(kept), 1), correct / max(gold_count, 1)))
    return curve


def main() -> None:
    data = articles(SEEDS)
    for with_mt, name in ((False, "WITHOUT_MT"), (True, "WITH_MT")):
        curve = held_out_curve(data, with_mt)
        threshold = next((t for t, p, _ in curve if p >= TARGET_PRECISION), GRID[-1])
        for t, p, r in curve:
            mark = "  <- threshold" if t == threshold else ""
            print(f"# {name} held out: threshold {t:.3f} precision {p:.4f} recall {r:.4f}{mark}")
        final = model(data, with_mt, threshold)
        weights = ", ".join(f'"{n}": {v:.2f}' for n, v in final.weights.items())
        head = f"{name} = Model(bias={final.bias:.2f}, "
        print(f"{head}weights={{{weights}}}, threshold={threshold})")


if __name__ == "__main__":
    main()
