"""Fit the caption aligner's models on pages built from NTREX, and write them as data.

Pages of arrangements 0-39 (``development.pages.build_pages``: the site's layouts, each page in
a convention of ``development.conventions``) are scored, each document with a word table trained
without it, then ``development.calibration`` fits, calibrates and thresholds one model without
machine translation and one with an oracle translator.  They are written to
``src/bilingual/data/align_model.json``, which the package loads (``bilingual.align.model``).

The same fit is then repeated once per convention without that convention's pages, and those
models written to ``development/held_out_models.json``: ``python -m benchmarks.bench_align
--held-out`` measures each convention with the models that never saw it.  FLORES is never used
here.  Run from the repository root:

    python -m tools.fit_align
"""

from __future__ import annotations

from bilingual.align.model import MODEL_FILE, save_models
from development.calibration import (
    HELD_OUT_FILE,
    fit_models,
    leave_one_convention_out,
    save_held_out,
    score_pages,
)
from development.corpora import corpus, tatoeba
from development.measures import cross_fitted_lexicons
from development.pages import build_pages

# Forty arrangements: the calibration's middle bins (scores 0.5-0.9, a few percent of the pairs)
# then hold some hundred pairs each; an isotonic step fitted to thirty pairs is off by about 0.09.
SEEDS = range(40)
ABOUT = (
    "Fitted by `python -m tools.fit_align` on pages built from NTREX-128 (arrangements 0-39 of "
    "development.pages, every convention of development.conventions), each document scored with "
    "a word table trained without it; calibrated on held-out folds (Platt scaling folded into "
    "the weights, then the isotonic points); each threshold the lowest calibrated score at which "
    "held-out pairs reach a precision of 0.99 with 95% confidence."
)


def main() -> None:
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    groups = [
        (lexicon, [a for seed in SEEDS for a in build_pages(fr, vi, ids, seed, set(ids) - fold)])
        for fold, lexicon in cross_fitted_lexicons(fr, vi, ids, extra=tatoeba())
    ]
    plain, oracle = score_pages(groups, with_mt=False), score_pages(groups, with_mt=True)
    fitted = fit_models(plain, oracle)
    print("\n".join(f"# {line}" for line in fitted.report))
    save_models(MODEL_FILE, fitted.without_mt, fitted.with_mt, ABOUT)
    print(f"wrote {MODEL_FILE}")
    about = "Each convention's models, fitted as the shipped ones but without its pages."
    save_held_out(HELD_OUT_FILE, leave_one_convention_out(plain, oracle), about)
    print(f"wrote {HELD_OUT_FILE}")


if __name__ == "__main__":
    main()
