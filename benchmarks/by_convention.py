"""Caption pairs per convention of the page builder, pooled and held out.

Each page is written in one convention (``development.conventions``).  Pooled: every page
aligned with the shipped models, fitted on pages of every convention.  Held out: each page
aligned with the models fitted without its convention's pages (``python -m tools.fit_align``
writes them to ``development/held_out_models.json``), so a signal that works only on the
conventions seen in fitting shows as a drop in that column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bilingual.align import Aligner, Lexicon
from bilingual.align.model import Model
from bilingual.document import Document
from development.calibration import HELD_OUT_FILE, load_held_out
from development.measures import pair_scores, pairs
from development.pages import Article

__all__ = ["Aligned", "held_out_documents", "per_convention"]

Group = tuple[Lexicon | None, list[Article]]
# (articles, aligner) -> documents: the benchmark's own alignment of pages.
Aligned = Callable[[list[Article], Aligner, bool], list[Document]]


def held_out_documents(groups: Sequence[Group], align: Aligned, oracle: bool) -> list[Document]:
    """Every page of the groups, in order, aligned with the models that never saw its
    convention."""
    models = load_held_out(HELD_OUT_FILE)
    missing = {a.convention for _, articles in groups for a in articles} - set(models)
    if missing:
        raise SystemExit(f"{HELD_OUT_FILE}: no models held out of {', '.join(sorted(missing))}; "
                         "run `python -m tools.fit_align`")  # fmt: skip
    out = []
    for lexicon, articles in groups:
        aligners = {name: _aligner(lexicon, *m) for name, m in models.items()}
        for article in articles:
            out += align([article], aligners[article.convention], oracle)
    return out


def _aligner(lexicon: Lexicon | None, without_mt: Model, with_mt: Model) -> Aligner:
    return Aligner(lexicon, without_mt=without_mt, with_mt=with_mt)


def per_convention(
    articles: Sequence[Article], runs: dict[str, list[Document]]
) -> tuple[list[list[object]], dict[str, tuple[float, float]]]:
    """Rows (convention, pages, gold pairs, then precision and recall of each run), then all
    pages, and each run's pooled (precision, recall) over all conventions."""
    names = sorted({a.convention for a in articles}, key=lambda n: (n != "seeds", n))
    groups = {n: {n} for n in names} | {"all": set(names)}
    rows: list[list[object]] = []
    for name, members in groups.items():
        keep = [k for k, a in enumerate(articles) if a.convention in members]
        row: list[object] = [name, len(keep), sum(len(articles[k].gold) for k in keep)]
        for docs in runs.values():
            s = pair_scores([pairs(docs[k]) for k in keep], [articles[k].gold for k in keep])
            row += [f"{s.precision:.4f}", f"{s.recall:.4f}"]
        rows.append(row)
    pooled = {}
    for label, docs in runs.items():
        s = pair_scores([pairs(d) for d in docs], [a.gold for a in articles])
        pooled[label] = (s.precision, s.recall)
    return rows, pooled
