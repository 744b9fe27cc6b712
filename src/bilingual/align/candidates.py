"""Where a Vietnamese text's translation may be: runs of French segments near it.

For every Vietnamese segment of the article, the candidates are runs of one to three consecutive
French segments of one paragraph near it (1-1, 1-2 and 1-3 beads), and each nearby paragraph
whole; "no counterpart" is what is left when no candidate scores above the model's threshold.
A run that ends its paragraph also comes with the credit line right under it (``Photo : An
Dang/VNA`` on a line of its own belongs to the caption above it).

Near is counted from the side where the page puts its translations: below the Vietnamese caption
in the site's layout, above it on a page whose credits say so (:func:`credit_side`), or whose
captions' words say so where its credits are silent
(:meth:`~bilingual.align.aligner.Aligner.side`).  Position is then evidence the page itself
gives, not a layout assumed for every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..document import CONTENT_ROLES, Segment, french_article
from ..patterns import CREDIT_LINE, VIETNAMESE_CREDIT
from .credits import compare, find_credit

__all__ = [
    "ABOVE",
    "BELOW",
    "MAX_RUN",
    "WINDOW_AFTER",
    "WINDOW_BEFORE",
    "Candidate",
    "candidates",
    "credit_side",
    "is_credit_line",
]

MAX_RUN = 3
WINDOW_AFTER = 3  # paragraphs on the translations' side of the Vietnamese text that may hold it
WINDOW_BEFORE = 1  # and on the other side
BELOW, ABOVE = 1, -1  # where a page puts a caption's translation


@dataclass(frozen=True)
class Candidate:
    """A run of consecutive French segments that may translate a Vietnamese segment."""

    vi: Segment
    fr: tuple[Segment, ...]
    distance: int  # paragraphs from the Vietnamese text toward the page's side; negative: away
    whole: bool  # the run is its whole paragraph
    side: int = BELOW  # the side of the page's translations (Aligner.side)

    @property
    def fr_text(self) -> str:
        return " ".join(s.text for s in self.fr)


def candidates(segments: Sequence[Segment], vi: Segment, side: int = BELOW) -> list[Candidate]:
    """Runs of 1–3 consecutive French segments of one paragraph near ``vi``, and each nearby
    paragraph whole (a caption of four sentences, or three and a credit, is one bead): up to
    three paragraphs on the page's ``side`` of it, one on the other."""
    paragraphs: dict[int, list[Segment]] = {}
    for s in segments:
        if french_article(s.lang, s.role) and s.index != vi.index:
            paragraphs.setdefault(s.paragraph, []).append(s)
    order = sorted(paragraphs)
    credits = _credit_lines(segments, paragraphs)
    attached = {c.paragraph for c in credits.values()}  # candidates with the line above them
    below = [p for p in order if p > vi.paragraph and p not in attached]
    above = [p for p in order if p < vi.paragraph and p not in attached][::-1]  # nearest first
    toward, away = (below, above) if side == BELOW else (above, below)
    near = [*((k + 1, p) for k, p in enumerate(toward[:WINDOW_AFTER])),
            *((-1, p) for p in away[:WINDOW_BEFORE])]  # fmt: skip
    out = []
    for distance, para in near:
        run = paragraphs[para]
        credit = credits.get(para)
        for start in range(len(run)):
            for size in range(1, MAX_RUN + 1):
                if start + size <= len(run):
                    beads = tuple(run[start : start + size])
                    whole = size == len(run)
                    out.append(Candidate(vi, beads, distance, whole, side))
                    if credit is not None and start + size == len(run):
                        out.append(Candidate(vi, (*beads, credit), distance, whole, side))
        if len(run) > MAX_RUN:  # a long caption: its whole paragraph is a candidate too
            out.append(Candidate(vi, tuple(run), distance, True, side))
            if credit is not None:
                out.append(Candidate(vi, (*run, credit), distance, True, side))
    return out


def credit_side(segments: Sequence[Segment], captions: Sequence[Segment]) -> int | None:
    """Where the page's credits put its captions' translations: :data:`ABOVE` when more of its
    credited Vietnamese captions have a French neighbour crediting the same source only above
    them than only below them, :data:`BELOW` when fewer; ``None`` when they say nothing (no
    credit, or as many each way).

    Credits are read on both sides alike and compared only where they can be
    (:func:`~bilingual.align.credits.compare`), so the page's own captions say which way its
    translations lie; a caption with an agreeing credit on both sides (a gallery) says nothing."""
    votes = 0
    for vi in captions:
        mine = find_credit(vi.text)
        if mine is None:
            continue
        agree = set()
        for cand in candidates(segments, vi):
            theirs = find_credit(cand.fr_text) if abs(cand.distance) == 1 else None
            if theirs is not None and compare(mine, theirs) == 1.0:
                agree.add(cand.distance)
        if len(agree) == 1:
            votes += agree.pop()
    return None if votes == 0 else ABOVE if votes < 0 else BELOW


def is_credit_line(segment: Segment) -> bool:
    """Whether the segment is a line holding only a media credit (in any language: such a line
    is too short for language identification to be sure of it)."""
    return segment.role in CONTENT_ROLES and bool(CREDIT_LINE.match(segment.text))


def _credit_lines(
    segments: Sequence[Segment], paragraphs: dict[int, list[Segment]]
) -> dict[int, Segment]:
    """French paragraph -> the French credit line right under it (the next segment)."""
    out: dict[int, Segment] = {}
    for para, run in paragraphs.items():
        after = run[-1].index + 1
        if after < len(segments):
            nxt = segments[after]
            alone = after + 1 == len(segments) or segments[after + 1].paragraph != nxt.paragraph
            # A Vietnamese credit belongs to the Vietnamese caption, never to a French run.
            if alone and is_credit_line(nxt) and not VIETNAMESE_CREDIT.match(nxt.text):
                out[para] = nxt
    return out
