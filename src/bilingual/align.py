"""Caption alignment: pair each embedded Vietnamese text with the French segments that translate it.

For every Vietnamese segment of the article, the candidates are runs of one to three consecutive
French segments of one paragraph near it (1-1, 1-2 and 1-3 beads), and "no counterpart".  Each
candidate is scored from signals that need no machine translation (numbers and dates across
languages, codes, names compared accent-folded, photo-credit conventions, a Gale–Church length
test, position) and, when the French segments were machine-translated into Vietnamese, the chrF of
that translation against the Vietnamese text (Bleualign's idea, on output computed anyway).  The
signals are combined by a logistic model into one score in [0, 1]; pairs under
:data:`THRESHOLD` are not emitted, and no French segment is used twice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .document import Alignment, Document, Segment
from .signals import (
    credit_agreement,
    length_agreement,
    mt_chrf,
    name_agreement,
    number_agreement,
)

__all__ = ["THRESHOLD", "Candidate", "align", "candidates", "score"]

# Pairs scoring under this are not emitted (see benchmarks/bench_align.py for how it was chosen).
THRESHOLD = 0.5
MAX_RUN = 3
WINDOW_AFTER = 3  # paragraphs after the Vietnamese text that may hold its translation
WINDOW_BEFORE = 1
ALIGNABLE_ROLES = frozenset({"title", "body", "caption"})

# Logistic weights: bias, then one per signal (a missing signal contributes nothing).
BIAS = -3.0
WEIGHTS = {
    "position": 2.5,
    "numbers": 2.5,
    "names": 2.0,
    "credit": 1.5,
    "length": 1.0,
    "chrf": 10.0,
}


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

    Sets ``aligned_with`` on the paired segments and returns the alignments, best first resolved.
    The machine translations in ``Segment.translations[target]`` are used when present.

    Example:
        >>> alignments = align(document)
        >>> [(a.vi, a.fr) for a in alignments]
        [(12, (13, 14))]
    """
    scored: list[tuple[float, Candidate, float | None]] = []
    for vi in document.segments:
        if vi.lang == "vi" and vi.role in ALIGNABLE_ROLES:
            cands = candidates(document.segments, vi)
            chrfs = [_candidate_chrf(c, target) for c in cands]
            known = sorted(c for c in chrfs if c is not None)
            baseline = known[len(known) // 2] if known else 0.0
            for cand, chrf in zip(cands, chrfs, strict=True):
                margin = None if chrf is None else chrf - baseline
                scored.append((score(cand, margin), cand, chrf))
    used: set[int] = set()
    done: set[int] = set()
    alignments = []
    for value, cand, chrf in sorted(scored, key=lambda t: -t[0]):
        fr_ids = {s.index for s in cand.fr}
        if value < THRESHOLD or cand.vi.index in done or fr_ids & used:
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


def candidates(segments: Sequence[Segment], vi: Segment) -> list[Candidate]:
    """Runs of 1–3 consecutive French segments of one paragraph near ``vi``."""
    paragraphs: dict[int, list[Segment]] = {}
    for s in segments:
        if s.lang == "fr" and s.role in ALIGNABLE_ROLES and s.index != vi.index:
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
    return out


def score(cand: Candidate, chrf_margin: float | None = None) -> float:
    """The calibrated probability that ``cand`` translates its Vietnamese segment.

    ``chrf_margin`` is the candidate's MT chrF minus the median over the Vietnamese segment's
    candidates: a model that translates badly makes every candidate look alike, and then the MT
    signal stays neutral instead of vetoing true pairs.
    """
    features = signal_values(cand, chrf_margin)
    z = BIAS + sum(WEIGHTS[k] * v for k, v in features.items() if v is not None)
    return 1 / (1 + math.exp(-z))


def signal_values(cand: Candidate, chrf_margin: float | None = None) -> dict[str, float | None]:
    """Every signal for one candidate, each in [-1, 1] or ``None`` when it has no evidence."""
    vi, fr = cand.vi.text, cand.fr_text
    position = 1.0 / cand.distance if cand.distance > 0 else -0.5
    return {
        "position": position * (1.0 if cand.whole else 0.6),
        "numbers": _centre(number_agreement(vi, fr)),
        "names": _centre(name_agreement(vi, fr)),
        "credit": _centre(credit_agreement(vi, fr)),
        "length": _centre(length_agreement(vi, fr)),
        "chrf": chrf_margin,
    }


def _centre(value: float | None) -> float | None:
    """Map agreement in [0, 1] to [-1, 1], so disagreement counts against a pair."""
    return None if value is None else 2 * value - 1


def _candidate_chrf(cand: Candidate, target: str) -> float | None:
    translations = [s.translations.get(target) for s in cand.fr]
    if not all(translations):
        return None
    return mt_chrf(" ".join(t for t in translations if t), cand.vi.text)
