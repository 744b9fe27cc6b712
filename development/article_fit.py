"""Fit and calibrate the article aligner's link models on perturbed NTREX documents.

Each NTREX document (French and its professional Vietnamese translation, line for line) becomes
one article pair, perturbed the way translators and editors change an article: two or three lines
merged into one on either side (``2-1``, ``1-2``, ``3-1``, ``1-3``), a line or a run of lines left out on either side.
The lines are the sentences (no page, no parser: this fits the scoring of links, and the
benchmark measures the whole path on pages built by another builder).  Every candidate link near
the gold path is an example (label: it is a gold link); a logistic model is fitted, ``skip`` is
chosen on a grid for the F1 of the links the programme then emits, and the emitted links'
log-odds are calibrated on held-out folds (Platt scaling folded into the weights).  Each fold's
documents are scored with a word table trained without them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bilingual.align.article import BEADS, ArticleAligner
from bilingual.align.article_model import FEATURES, LinkModel
from bilingual.align.lexicon import Lexicon
from bilingual.align.model import Model
from bilingual.document import Segment
from development.calibration import fit
from development.corpora import documents
from development.evaluation import Scores

__all__ = ["Pair", "fit_link_models", "link_examples", "perturbed_pairs", "score_links"]

GOLD = tuple[tuple[int, ...], tuple[int, ...]]
PAIR_BEADS = [(di, dj) for di, dj in BEADS if di and dj]


@dataclass
class Pair:
    """Two articles as segment streams, and the gold links (segment positions, both sides
    non-empty)."""

    fr: list[Segment]
    vi: list[Segment]
    gold: set[GOLD]
    lexicon: Lexicon


def perturbed_pairs(
    fr: Sequence[str],
    vi: Sequence[str],
    docids: Sequence[str],
    tables: Sequence[tuple[set[str], Lexicon]],
    seed: int = 0,
    mt: bool = False,
    noise: float = 0.3,
) -> list[Pair]:
    """One perturbed article pair per document; ``mt``: the French carry a degraded reference
    as their machine translation (the oracle translator of the caption benchmark)."""
    rng = random.Random(seed)
    docs = documents(fr, vi, docids)
    out = []
    for doc, lines in docs.items():
        lexicon = next(lex for fold, lex in tables if doc in fold)
        out.append(
            _perturb([fr[k] for k in lines], [vi[k] for k in lines], lexicon, rng, mt, noise)
        )
    return out


def _perturb(
    fr: list[str], vi: list[str], lexicon: Lexicon, rng: random.Random, mt: bool, noise: float
) -> Pair:
    fr_out: list[tuple[str, str]] = []  # (text, reference Vietnamese)
    vi_out: list[str] = []
    gold: set[GOLD] = set()
    k = 0
    drop_run = rng.random() < 0.3
    run_start = rng.randrange(1, max(len(fr) - 4, 2)) if drop_run else -1
    run_side = rng.choice(("fr", "vi"))
    while k < len(fr):
        if k == run_start:  # a paragraph of 2-5 lines on one side only
            for j in range(k, min(k + rng.randint(2, 5), len(fr))):
                (fr_out.append((fr[j], vi[j])) if run_side == "fr" else vi_out.append(vi[j]))
                k = j + 1
            continue
        r = rng.random()
        if k and r < 0.08:
            fr_out.append((fr[k], vi[k]))  # the original does not hold it
        elif k and r < 0.16:
            vi_out.append(vi[k])  # the page left it out
        elif k + 2 < len(fr) and r < 0.2:  # three lines as one sentence, on either side
            three = (k, k + 1, k + 2)
            if rng.random() < 0.5:
                gold.add(((len(fr_out),), tuple(range(len(vi_out), len(vi_out) + 3))))
                fr_out.append((" ".join(fr[i] for i in three), " ".join(vi[i] for i in three)))
                vi_out += [vi[i] for i in three]
            else:
                gold.add((tuple(range(len(fr_out), len(fr_out) + 3)), (len(vi_out),)))
                fr_out += [(fr[i], vi[i]) for i in three]
                vi_out.append(" ".join(vi[i] for i in three))
            k += 3
            continue
        elif k + 1 < len(fr) and r < 0.28:
            gold.add(((len(fr_out),), (len(vi_out), len(vi_out) + 1)))
            fr_out.append((f"{fr[k]} {fr[k + 1]}", f"{vi[k]} {vi[k + 1]}"))
            vi_out += [vi[k], vi[k + 1]]
            k += 2
            continue
        elif k + 1 < len(fr) and r < 0.38:
            gold.add(((len(fr_out), len(fr_out) + 1), (len(vi_out),)))
            fr_out += [(fr[k], vi[k]), (fr[k + 1], vi[k + 1])]
            vi_out.append(f"{vi[k]} {vi[k + 1]}")
            k += 2
            continue
        else:
            gold.add(((len(fr_out),), (len(vi_out),)))
            fr_out.append((fr[k], vi[k]))
            vi_out.append(vi[k])
        k += 1
    noisy = random.Random(rng.random())
    fr_segments = []
    for i, (text, reference) in enumerate(fr_out):
        role = "title" if i == 0 and ((0,), (0,)) in gold else "body"
        s = Segment(i, role, text, "fr")
        if mt:
            s.translations["vi"] = _degrade(reference, noisy, noise)
        fr_segments.append(s)
    vi_segments = [
        Segment(j, "title" if j == 0 and ((0,), (0,)) in gold else "body", t, "vi")
        for j, t in enumerate(vi_out)
    ]
    return Pair(fr_segments, vi_segments, gold, lexicon)


def _degrade(text: str, rng: random.Random, noise: float) -> str:
    words = [w for w in text.split() if rng.random() > noise / 2]
    for _ in range(int(len(words) * noise / 2)):
        i, j = rng.randrange(len(words)), rng.randrange(len(words))
        words[i], words[j] = words[j], words[i]
    return " ".join(words)


def link_examples(
    pairs: Sequence[Pair], with_mt: bool, reach: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """Every candidate link (each shape of :data:`~bilingual.align.article.BEADS` with two
    sides) starting within ``reach`` of a gold link's start, with its label."""
    from bilingual.align.links import Links
    from bilingual.align.sentences import french_sentence, vietnamese_sentence

    names = _names(with_mt)
    rows, labels = [], []
    for p in pairs:
        fr = [french_sentence(s.text, p.lexicon, s.translations.get("vi")) for s in p.fr]
        vi = [vietnamese_sentence(s.text, p.lexicon) for s in p.vi]
        scorer = Links(fr, vi, [s.role for s in p.fr], [s.role for s in p.vi], with_mt)
        seen = set()
        for f0, v0 in sorted((g[0][0], g[1][0]) for g in p.gold):
            for a in range(-reach, reach + 1):
                for b in range(-reach, reach + 1):
                    for di, dj in PAIR_BEADS:
                        i0, j0 = f0 + a, v0 + b
                        if i0 < 0 or j0 < 0 or i0 + di > len(fr) or j0 + dj > len(vi):
                            continue
                        link = (tuple(range(i0, i0 + di)), tuple(range(j0, j0 + dj)))
                        if link in seen:
                            continue
                        seen.add(link)
                        values = scorer.features(range(i0, i0 + di), range(j0, j0 + dj))
                        rows.append([values[n] for n in names])
                        labels.append(float(link in p.gold))
    return np.array(rows).reshape(-1, len(names)), np.array(labels)


def _names(with_mt: bool) -> list[str]:
    return [n for n in FEATURES if with_mt or n not in ("vi_mt", "fr_mt", "weakest_mt")]


def score_links(
    pairs: Sequence[Pair], model: LinkModel, with_mt: bool
) -> tuple[Scores, list[tuple[float, bool]]]:
    """The links the programme emits with ``model``: their scores against gold, and each
    emitted link's log-odds with whether it is right."""
    aligner = ArticleAligner(without_mt=model, with_mt=model)
    correct = emitted = wanted = 0
    outputs: list[tuple[float, bool]] = []
    for p in pairs:
        aligner.lexicon = p.lexicon
        links = [link for link in aligner.align_streams(p.fr, p.vi) if link.fr and link.vi]
        got = {(link.fr, link.vi) for link in links}
        correct += len(got & p.gold)
        emitted += len(got)
        wanted += len(p.gold)
        outputs += [(link.score, (link.fr, link.vi) in p.gold) for link in links]
    return Scores(correct, emitted, wanted), outputs


def fit_link_models(
    pairs: Sequence[Pair], with_mt: bool, folds: int = 5
) -> tuple[LinkModel, list[str]]:
    """The model fitted on ``pairs``, its skip chosen for F1, calibrated on held-out folds."""
    names = _names(with_mt)
    report = []

    def fitted(data: Sequence[Pair]) -> Model:
        x, y = link_examples(data, with_mt)
        w = fit(x, y)
        return Model(float(w[0]), {n: float(v) for n, v in zip(names, w[1:], strict=True)})

    base = fitted(pairs)
    best = None
    for skip in (-5.0, -4.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5):
        scores, _ = score_links(pairs[::3], LinkModel(base, skip), with_mt)
        report.append(
            f"skip {skip:+.1f}: P {scores.precision:.4f} R {scores.recall:.4f} F1 {scores.f1:.4f}"
        )
        if best is None or scores.f1 >= best[0]:  # ties: the skip nearest 0
            best = (scores.f1, skip)
    assert best is not None
    skip = best[1]
    # Platt scaling on held-out folds: the emitted links' log-odds against their being right.
    logits, right = [], []
    for k in range(folds):
        held = pairs[k::folds]
        train = [p for i, p in enumerate(pairs) if i % folds != k]
        _, outputs = score_links(held, LinkModel(fitted(train), skip), with_mt)
        for probability, ok in outputs:
            p = min(max(probability, 1e-6), 1 - 1e-6)
            logits.append(np.log(p / (1 - p)))
            right.append(float(ok))
    a, b = fit(np.array(logits).reshape(-1, 1), np.array(right), l2=1e-2)
    # The programme keeps the fitted log-odds (its choices do not change); the calibration maps
    # the model's output to the share of such links that are right.
    grid = np.linspace(-12, 12, 97)
    points = tuple(
        (float(1 / (1 + np.exp(-z))), float(1 / (1 + np.exp(-(a + b * z))))) for z in grid
    )
    report.append(f"skip {skip}; Platt a={a:.3f} b={b:.3f} on {len(right)} held-out links")
    return LinkModel(Model(base.bias, base.weights, 0.5, points), skip), report


def document_examples(
    fr: Sequence[str],
    vi: Sequence[str],
    docids: Sequence[str],
    tables: Sequence[tuple[set[str], Lexicon]],
    seed: int = 0,
    mt: bool = False,
    missing: float = 0.15,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate matches of pages with originals, and whether each is the page's own: per fold,
    each document's French as a page and its Vietnamese as an original, a share of the
    originals left out (their pages' true match is absent), looked up through the index."""
    from bilingual.align.documents import DOCUMENT_FEATURES, OriginalIndex, page_candidates
    from bilingual.document import Document

    rng = random.Random(seed)
    noisy = random.Random(seed + 1)
    docs = documents(fr, vi, docids)
    rows, labels = [], []
    for fold, lexicon in tables:
        names = [d for d in docs if d in fold]
        kept = [d for d in names if rng.random() >= missing]
        originals = [
            Document(d, [Segment(j, "body", vi[k], "vi") for j, k in enumerate(docs[d])])
            for d in kept
        ]
        index = OriginalIndex(originals)
        for d in names:
            segments = []
            for i, k in enumerate(docs[d]):
                s = Segment(i, "title" if i == 0 else "body", fr[k], "fr")
                if mt:
                    s.translations["vi"] = _degrade(vi[k], noisy, 0.3)
                segments.append(s)
            for k, values in page_candidates(Document(d, segments), index, lexicon):
                rows.append([values[n] for n in DOCUMENT_FEATURES])
                labels.append(float(kept[k] == d))
    return np.array(rows).reshape(-1, 4), np.array(labels)


def fit_document_model(x: np.ndarray, y: np.ndarray) -> Model:
    """The matching model: logistic regression of a candidate being the page's original."""
    from bilingual.align.documents import DOCUMENT_FEATURES

    w = fit(x, y)
    return Model(float(w[0]), {n: float(v) for n, v in zip(DOCUMENT_FEATURES, w[1:], strict=True)})
