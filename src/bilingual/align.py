"""Caption alignment: pair each embedded Vietnamese text with the French segments that translate it.

For every Vietnamese segment of the article, the candidates are runs of one to three consecutive
French segments of one paragraph near it (1-1, 1-2 and 1-3 beads), and "no counterpart".  Each
candidate is scored from signals that need no machine translation (numbers and dates across
languages, codes, names compared accent-folded, photo-credit conventions, a Gale–Church length
test, position, and how much of the Vietnamese text the French words explain by a shipped
word-translation table, against the other nearby paragraphs) and, when the French segments
were machine-translated into Vietnamese, the chrF of that translation against the Vietnamese
text (Bleualign's idea, on output computed anyway).  The signals are combined by a logistic
model into one score in [0, 1]; pairs under the model's threshold are not emitted, and no French
segment is used twice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .document import CONTENT_ROLES, Alignment, Document, Segment
from .signals import (
    credit_agreement,
    length_agreement,
    lexical_agreement,
    mt_chrf,
    name_agreement,
    number_agreement,
)

__all__ = [
    "WITHOUT_MT",
    "WITH_MT",
    "Candidate",
    "Model",
    "align",
    "candidates",
    "chrf_margins",
    "lexicon_evidence",
    "score",
]
MAX_RUN = 3
# chrF under which machine translations are taken to share nothing with the Vietnamese text.
MT_FLOOR = 0.1
WINDOW_AFTER = 3  # paragraphs after the Vietnamese text that may hold its translation
WINDOW_BEFORE = 1

# The features of a candidate, in the order of WEIGHTS; see features().
FEATURES = (
    "next", "whole", "before", "caption_role", "numbers", "names", "credit", "length",
    "length_log", "lexicon", "lexicon_margin", "chrf",
)  # fmt: skip


@dataclass(frozen=True)
class Model:
    """A logistic model, ``P(pair) = sigmoid(bias + sum(weights[f] * features[f]))``, and the
    probability under which a pair is not emitted."""

    bias: float
    weights: dict[str, float]
    threshold: float = 0.5

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values[name] for name, w in self.weights.items())
        return 1 / (1 + math.exp(-min(max(z, -60.0), 60.0)))


# Calibrated by tools/fit_align.py on articles built from NTREX (development data), each document
# scored with a lexicon trained without it: one model for runs without machine translation, one
# for runs with it (its evidence is distributed differently).  Each threshold is the lowest at
# which pairs predicted for documents left out of the fit reach a precision of 0.985
# (document-level cross-validation in the same tool).
WITHOUT_MT = Model(
    bias=-26.94,
    weights={
        "next": 11.09,
        "whole": 14.82,
        "before": -2.93,
        "caption_role": 3.12,
        "numbers": 2.17,
        "names": 1.21,
        "credit": 5.06,
        "length": -1.93,
        "length_log": 13.69,
        "lexicon": 8.17,
        "lexicon_margin": 13.92,
    },
    threshold=0.725,
)
WITH_MT = Model(
    bias=-26.79,
    weights={
        "next": 5.88,
        "whole": 15.59,
        "before": -2.29,
        "caption_role": 3.10,
        "numbers": 1.92,
        "names": 0.51,
        "credit": 2.47,
        "length": -0.64,
        "length_log": 8.44,
        "lexicon": 4.13,
        "lexicon_margin": 7.46,
        "chrf": 18.60,
    },
    threshold=0.5,
)


@dataclass(frozen=True)
class Candidate:
    """A run of consecutive French segments that may translate a Vietnamese segment."""

    vi: Segment
    fr: tuple[Segment, ...]
    distance: int  # paragraphs from the Vietnamese text; negative when before it
    whole: bool  # the run is its whole paragraph

    @property
    def fr_text(self) -> str:
        return " ".join(s.text for s in self.fr)


def align(document: Document, target: str = "vi") -> list[Alignment]:
    """Pair the document's Vietnamese segments with their French translations.

    Sets ``aligned_with`` on the paired segments and returns the alignments in document order.
    The machine translations in ``Segment.translations[target]`` are used when present.

    Example:
        >>> alignments = align(document)
        >>> [(a.vi, a.fr) for a in alignments]
        [(12, (13, 14))]
    """
    scored: list[tuple[float, float, Candidate, float | None]] = []
    for vi in document.segments:
        if vi.lang == "vi" and vi.role in CONTENT_ROLES:
            cands = candidates(document.segments, vi)
            margins = zip(chrf_margins(cands, target), lexicon_evidence(cands), strict=True)
            for cand, (chrf, lexicon) in zip(cands, margins, strict=True):
                model = _model(chrf)
                value = model.probability(features(cand, chrf, lexicon))
                scored.append((value, model.threshold, cand, _candidate_chrf(cand, target)))
    used: set[int] = set()
    done: set[int] = set()
    alignments = []
    for value, threshold, cand, chrf in sorted(scored, key=lambda t: -t[0]):
        fr_ids = {s.index for s in cand.fr}
        if value < threshold or cand.vi.index in done or fr_ids & used:
            continue
        done.add(cand.vi.index)
        used |= fr_ids
        alignments.append(Alignment(cand.vi.index, tuple(sorted(fr_ids)), round(value, 4), chrf))
    alignments.sort(key=lambda a: a.vi)
    for a in alignments:
        document.segments[a.vi].aligned_with = a.fr
        for i in a.fr:
            document.segments[i].aligned_with = (a.vi,)
    return alignments


def chrf_margins(cands: Sequence[Candidate], target: str = "vi") -> list[float | None]:
    """Each candidate's MT chrF minus the median of the best chrF of the other nearby paragraphs.

    A model that translates badly makes every candidate look alike, and then the MT signal stays
    neutral instead of vetoing true pairs; ``None`` where the French was not translated, or where
    no candidate's translation reaches :data:`MT_FLOOR` (a broken or untrained model), so the
    model calibrated without machine translation decides.
    """
    chrfs = [_candidate_chrf(c, target) for c in cands]
    if max((c for c in chrfs if c is not None), default=0.0) < MT_FLOOR:
        # The translations share nothing with the Vietnamese: no evidence.
        return [None] * len(cands)
    return _margins(cands, chrfs)


def lexicon_evidence(cands: Sequence[Candidate]) -> list[tuple[float, float]]:
    """Each candidate's lexical agreement (:func:`~bilingual.signals.lexical_agreement`), and
    its margin over the median of the best agreement of the other nearby paragraphs; 0 for
    either without evidence.

    The margin, not the raw value, separates a caption's translation from the article's other
    sentences on the same subject (an untranslated caption followed by a body paragraph)."""
    values = [lexical_agreement(c.vi.text, c.fr_text) for c in cands]
    margins = _margins(cands, values)
    return [(v or 0.0, m or 0.0) for v, m in zip(values, margins, strict=True)]


def _margins(cands: Sequence[Candidate], values: Sequence[float | None]) -> list[float | None]:
    """A value minus the median over the other paragraphs of their best candidate's value.

    One value per paragraph (its best run), and a candidate is measured against the other
    paragraphs only: its own paragraph's overlapping runs would raise the bar it must clear.
    ``None`` where there is no value or nothing to compare with."""
    best: dict[int, float] = {}
    for cand, value in zip(cands, values, strict=True):
        if value is not None:
            para = cand.fr[0].paragraph
            best[para] = max(best.get(para, 0.0), value)
    margins: list[float | None] = []
    for cand, value in zip(cands, values, strict=True):
        others = sorted(v for p, v in best.items() if p != cand.fr[0].paragraph)
        if value is None or not others:
            margins.append(None)
        else:
            margins.append(value - others[(len(others) - 1) // 2])
    return margins


def candidates(segments: Sequence[Segment], vi: Segment) -> list[Candidate]:
    """Runs of 1–3 consecutive French segments of one paragraph near ``vi``, and each nearby
    paragraph whole (a caption of four sentences, or three and a credit, is one bead)."""
    paragraphs: dict[int, list[Segment]] = {}
    for s in segments:
        if s.lang == "fr" and s.role in CONTENT_ROLES and s.index != vi.index:
            paragraphs.setdefault(s.paragraph, []).append(s)
    order = sorted(paragraphs)
    after = [p for p in order if p > vi.paragraph][:WINDOW_AFTER]
    before = [p for p in order if p < vi.paragraph][-WINDOW_BEFORE:]
    out = []
    for distance, para in [*((k + 1, p) for k, p in enumerate(after)), *((-1, p) for p in before)]:
        run = paragraphs[para]
        for start in range(len(run)):
            for size in range(1, MAX_RUN + 1):
                if start + size <= len(run):
                    whole = size == len(run)
                    out.append(Candidate(vi, tuple(run[start : start + size]), distance, whole))
        if len(run) > MAX_RUN:  # a long caption: its whole paragraph is a candidate too
            out.append(Candidate(vi, tuple(run), distance, True))
    return out


def score(
    cand: Candidate,
    chrf_margin: float | None = None,
    lexicon: tuple[float, float] | None = None,
) -> float:
    """The calibrated probability that ``cand`` translates its Vietnamese segment."""
    return _model(chrf_margin).probability(features(cand, chrf_margin, lexicon))


def _model(chrf_margin: float | None) -> Model:
    """The model for a candidate: with machine translation when its chrF is evidence."""
    return WITHOUT_MT if chrf_margin is None else WITH_MT


def features(
    cand: Candidate,
    chrf_margin: float | None = None,
    lexicon: tuple[float, float] | None = None,
) -> dict[str, float]:
    """The candidate's features; a signal with no evidence (no number on either side) is 0.

    ``lexicon``: the candidate's entry of :func:`lexicon_evidence`; without it, the agreement
    is computed here and the margin taken as 0.
    """
    vi, fr = cand.vi.text, cand.fr_text
    agreement, margin = lexicon or (lexical_agreement(vi, fr) or 0.0, 0.0)
    length = length_agreement(vi, fr)
    return {
        "next": float(cand.distance == 1),
        "whole": float(cand.whole),
        "before": float(cand.distance < 0),
        "caption_role": float(all(s.role == "caption" for s in cand.fr)),
        "numbers": _centre(number_agreement(vi, fr)),
        "names": _centre(name_agreement(vi, fr)),
        "credit": _centre(credit_agreement(vi, fr)),
        "length": 2 * length - 1,
        "length_log": max(math.log10(length + 1e-12), -4.0) / 4,
        "lexicon": agreement,
        "lexicon_margin": margin,
        "chrf": chrf_margin or 0.0,
    }


def _centre(value: float | None) -> float:
    """Agreement in [0, 1] as evidence in [-1, 1]: disagreement counts against a pair, and no
    evidence counts for nothing."""
    return 0.0 if value is None else 2 * value - 1


def _candidate_chrf(cand: Candidate, target: str) -> float | None:
    translations = [s.translations.get(target) for s in cand.fr]
    if not all(translations):
        return None
    return mt_chrf(" ".join(t for t in translations if t), cand.vi.text)
