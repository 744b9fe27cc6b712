"""Fit the whole-article models: the link models of the article aligner and the document
matching model (``src/bilingual/data/article_model.json``, ``document_model.json``).

    python -m tools.fit_article

Data: NTREX-128 documents (development data), each scored with a word table trained without it
(five folds by document, Tatoeba added, as the caption aligner's fit); links on perturbed
documents (:mod:`development.article_fit`), matches on each fold's documents with some originals
left out.  Never the pages of ``development.originals``, which the benchmark measures with, nor
FLORES.
"""

from __future__ import annotations

import numpy as np

from bilingual.align.article_model import MODEL_FILE, save_link_models
from bilingual.align.documents import MODEL_FILE as DOCUMENT_MODEL_FILE
from bilingual.align.documents import save_document_model
from development.article_fit import (
    document_examples,
    fit_document_model,
    fit_link_models,
    perturbed_pairs,
)
from development.corpora import corpus, tatoeba
from development.measures import cross_fitted_lexicons

SEEDS = (0, 1, 2)


def main() -> None:
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    tables = cross_fitted_lexicons(fr, vi, ids, extra=tatoeba())
    models = []
    for mt in (False, True):
        pairs = [p for seed in SEEDS for p in perturbed_pairs(fr, vi, ids, tables, seed, mt)]
        model, report = fit_link_models(pairs, mt)
        print(f"links, {'with' if mt else 'without'} MT:", *report, sep="\n  ")
        models.append(model)
    about = (
        "Fitted by `python -m tools.fit_article` on NTREX-128 documents perturbed as translators "
        "and editors change articles (lines merged, split off, left out, paragraphs left out; "
        f"seeds {', '.join(map(str, SEEDS))}), each scored with a word table trained without it; "
        "skip chosen for the links' F1; calibrated on held-out folds (Platt scaling as points)."
    )
    save_link_models(MODEL_FILE, models[0], models[1], about)
    parts = [
        document_examples(fr, vi, ids, tables, seed, mt) for seed in SEEDS for mt in (False, True)
    ]
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    document = fit_document_model(x, y)
    print("documents:", document.bias, document.weights, f"{int(y.sum())} of {len(y)} candidates")
    save_document_model(
        DOCUMENT_MODEL_FILE,
        document,
        "Fitted by `python -m tools.fit_article` on NTREX-128 documents (each fold's pages "
        "against its originals, 15% of them left out; with and without machine translation), "
        "each looked up with a word table trained without it.",
    )


if __name__ == "__main__":
    main()
