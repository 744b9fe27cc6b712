"""Calibrate the caption aligner's logistic models on articles built from NTREX (development data).

Only the NTREX documents the word-translation table was *not* trained on are used
(``bilingual.evaluation.lexicon_documents`` names the others), so the lexical signal looks here as
it will on unseen text.  Every candidate of every Vietnamese caption of the articles of seeds 0-3
becomes one example (label: it is the gold pair); one model is fitted without machine
translation, one with an oracle translator (the reference Vietnamese, degraded).  Logistic
regression (L2, Newton's method) gives the weights.

The threshold is chosen by document-level cross-validation: the documents are cut in two folds,
a model fitted on one fold aligns the other, and the threshold is the lowest at which the pairs
predicted this way reach ``TARGET_PRECISION``.  A fit scored on its own articles is overconfident
(it has seen their sentences), so its own precision would set the threshold too low.

Prints the models to paste into ``bilingual/align.py``.  FLORES is never used here.

    python tools/fit_align.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import corpus  # noqa: E402
from bench_align import OracleTranslator  # noqa: E402
from bilingual.align import (  # noqa: E402
    FEATURES,
    Model,
    align,
    candidates,
    chrf_margins,
    features,
    lexicon_margins,
)
from bilingual.evaluation import Article, build_articles, lexicon_documents  # noqa: E402
from bilingual.pipeline import Pipeline, from_text  # noqa: E402

ALIGN = sys.modules["bilingual.align"]  # the module (``bilingual.align`` is also the function)
SEEDS = range(4)
TARGET_PRECISION = 0.98
GRID = [round(0.5 + 0.025 * k, 3) for k in range(19)]  # 0.5 ... 0.95


def articles(documents: set[str]) -> list[tuple[int, Article]]:
    """(seed, article) for every fitting arrangement of the given NTREX documents."""
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    out = []
    for seed in SEEDS:
        exclude = set(ids) - documents
        out += [(seed, a) for a in build_articles(fr, vi, ids, seed=seed, exclude=exclude)]
    return out


def document(k: int, article: Article, with_mt: bool):  # type: ignore[no-untyped-def]
    doc = from_text(f"a{k}", article.text)
    if with_mt:
        Pipeline({"vi": OracleTranslator(article, seed=k)}).translate([doc])
    return doc


def examples(data: list[tuple[int, Article]], with_mt: bool) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for k, (_, article) in enumerate(data):
        doc = document(k, article, with_mt)
        gold = {(" ".join(v.split()), " ".join(f.split())) for v, f in article.gold}
        for segment in doc.segments:
            if segment.lang != "vi" or segment.role != "caption":
                continue
            cands = candidates(doc.segments, segment)
            margins = zip(chrf_margins(cands), lexicon_margins(cands), strict=True)
            for cand, (margin, lexicon) in zip(cands, margins, strict=True):
                if with_mt and margin is None:
                    continue  # scored by the model without machine translation
                values = features(cand, margin, lexicon)
                rows.append([values[name] for name in FEATURES])
                pair = (" ".join(segment.text.split()), " ".join(cand.fr_text.split()))
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


def model(data: list[tuple[int, Article]], with_mt: bool, threshold: float = 0.5) -> Model:
    x, y = examples(data, with_mt)
    names = [n for n in FEATURES if with_mt or n != "chrf"]
    w = fit(x[:, [FEATURES.index(n) for n in names]], y)
    weights = {n: round(float(v), 2) for n, v in zip(names, w[1:], strict=True)}
    return Model(bias=round(float(w[0]), 2), weights=weights, threshold=threshold)


def held_out_curve(documents: list[str], with_mt: bool) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) of pairs predicted for each fold by a model fitted on the
    other fold."""
    folds = [set(documents[0::2]), set(documents[1::2])]
    scored: list[tuple[float, bool]] = []  # (score, correct) of every predicted pair
    gold_count = 0
    for k, fold in enumerate(folds):
        fitted = model(articles(folds[1 - k]), with_mt, threshold=0.0)
        name = "WITH_MT" if with_mt else "WITHOUT_MT"
        saved = getattr(ALIGN, name)
        setattr(ALIGN, name, fitted)
        try:
            for j, (_, article) in enumerate(articles(fold)):
                doc = document(j, article, with_mt)
                doc.alignments = align(doc)
                gold = {(" ".join(v.split()), " ".join(f.split())) for v, f in article.gold}
                gold_count += len(gold)
                for pair in doc.alignments:
                    v = doc.segments[pair.vi].text
                    f = " ".join(doc.segments[i].text for i in pair.fr)
                    correct = (" ".join(v.split()), " ".join(f.split())) in gold
                    scored.append((pair.score, correct))
        finally:
            setattr(ALIGN, name, saved)
    curve = []
    for t in GRID:
        kept = [c for s, c in scored if s >= t]
        correct = sum(kept)
        curve.append((t, correct / max(len(kept), 1), correct / max(gold_count, 1)))
    return curve


def main() -> None:
    ids = corpus("ntrex128.docids")
    trained = lexicon_documents(ids)
    documents = [d for d in dict.fromkeys(ids) if d not in trained]
    for with_mt, name in ((False, "WITHOUT_MT"), (True, "WITH_MT")):
        curve = held_out_curve(documents, with_mt)
        threshold = next((t for t, p, _ in curve if p >= TARGET_PRECISION), GRID[-1])
        for t, p, r in curve:
            mark = "  <- threshold" if t == threshold else ""
            print(f"# {name} held out: threshold {t:.3f} precision {p:.4f} recall {r:.4f}{mark}")
        final = model(articles(set(documents)), with_mt, threshold)
        weights = ", ".join(f'"{n}": {v:.2f}' for n, v in final.weights.items())
        head = f"{name} = Model(bias={final.bias:.2f}, "
        print(f"{head}weights={{{weights}}}, threshold={threshold})")


if __name__ == "__main__":
    main()
