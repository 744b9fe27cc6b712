"""Where a Vietnamese text's translation may be: runs of French segments near it.

For every Vietnamese segment of the article, the candidates are runs of one to three consecutive
French segments of one paragraph near it (1-1, 1-2 and 1-3 beads), and each nearby paragraph
whole; "no counterpart" is what is left when no candidate scores above the model's threshold.
A run that ends its paragraph also comes with the credit line right under it (``Photo : An
Dang/VNA`` on a line of its own belongs to the caption above it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..document import CONTENT_ROLES, Segment, french_article
from ..patterns import CREDIT_LINE, VIETNAMESE_CREDIT

__all__ = [
    "MAX_RUN",
    "WINDOW_AFTER",
    "WINDOW_BEFORE",
    "Candidate",
    "candidates",
    "is_credit_line",
]

MAX_RUN = 3
WINDOW_AFTER = 3  # paragraphs after the Vietnamese text that may hold its translation
WINDOW_BEFORE = 1


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


def candidates(segments: Sequence[Segment], vi: Segment) -> list[Candidate]:
    """Runs of 1–3 consecutive French segments of one paragraph near ``vi``, and each nearby
    paragraph whole (a caption of four sentences, or three and a credit, is one bead)."""
    paragraphs: dict[int, list[Segment]] = {}
    for s in segments:
        if french_article(s.lang, s.role) and s.index != vi.index:
            paragraphs.setdefault(s.paragraph, []).append(s)
    order = sorted(paragraphs)
    credits = _credit_lines(segments, paragraphs)
    attached = {c.paragraph for c in credits.values()}  # candidates with the line above them
    after = [p for p in order if p > vi.paragraph and p not in attached][:WINDOW_AFTER]
    before = [p for p in order if p < vi.paragraph and p not in attached][-WINDOW_BEFORE:]
    out = []
    for distance, para in [*((k + 1, p) for k, p in enumerate(after)), *((-1, p) for p in before)]:
        run = paragraphs[para]
        credit = credits.get(para)
        for start in range(len(run)):
            for size in range(1, MAX_RUN + 1):
                if start + size <= len(run):
                    beads = tuple(run[start : start + size])
                    whole = size == len(run)
                    out.append(Candidate(vi, beads, distance, whole))
                    if credit is not None and start + size == len(run):
                        out.append(Candidate(vi, (*beads, credit), distance, whole))
        if len(run) > MAX_RUN:  # a long caption: its whole paragraph is a candidate too
            out.append(Candidate(vi, tuple(run), distance, True))
            if credit is not None:
                out.append(Candidate(vi, (*run, credit), distance, True))
    return out


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
