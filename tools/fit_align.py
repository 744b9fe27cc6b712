"""Calibrate the caption aligner's logistic weights on articles built from NTREX (development data).

Every candidate of every Vietnamese caption becomes one example (label: it is the gold pair);
one model is fitted without machine translation, one with an oracle translator (the reference
Vietnamese, degraded).  Logistic regression (L2, Newton's method) gives the weights pasted into
``bilingual/align.py``.
FLORES is never used here.

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
from bilingual.align import FEATURES, candidates, chrf_margins, features  # noqa: E402
from bilingual.evaluation import build_articles  # noqa: E402
from bilingual.pipeline import Pipeline, from_text  # noqa: E402


def examples(seeds: range, with_mt: bool) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    for seed in seeds:
        for k, article in enumerate(build_articles(fr, vi, ids, seed=seed)):
            document = from_text(f"a{k}", article.text)
            if with_mt:
                Pipeline({"vi": OracleTranslator(article, seed=k)}).translate([document])
            gold = {(" ".join(v.split()), " ".join(f.split())) for v, f in article.gold}
            for segment in document.segments:
                if segment.lang != "vi" or segment.role != "caption":
                    continue
                cands = candidates(document.segments, segment)
                for cand, margin in zip(cands, chrf_margins(cands), strict=True):
                    if with_mt and margin is None:
                        continue  # scored by the model without machine translation
                    values = features(cand, margin)
                    rows.append([values[name] for name in FEATURES])
                    pair = (" ".join(segment.text.split()), " ".join(cand.fr_text.split()))
                    labels.append(1.0 if pair in gold else 0.0)
    return np.array(rows, dtype=float), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method (a few dozen features: exact and fast)."""
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


def main() -> None:
    for with_mt, name in ((False, "WITHOUT_MT"), (True, "WITH_MT")):
        x, y = examples(range(4), with_mt)
        names = [n for n in FEATURES if with_mt or n != "chrf"]
        columns = [FEATURES.index(n) for n in names]
        w = fit(x[:, columns], y)
        print(f"# {name}: {len(y)} candidates, {int(y.sum())} gold")
        weights = ", ".join(f'"{n}": {v:.2f}' for n, v in zip(names, w[1:], strict=True))
        print(f"{name} = Model(bias={w[0]:.2f}, weights={{{weights}}})")


if __name__ == "__main__":
    main()
