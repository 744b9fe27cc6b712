"""Near misses: the Vietnamese segments the aligner left unpaired, and what came closest.

A user building a corpus wants to see what was left out as much as what was kept (OpusFilter's
``--removed``): for every Vietnamese segment the aligner considered and did not pair, its best
candidate, that candidate's score and the threshold it needed.  A best candidate at or over its
threshold lost its French text to a better-scored pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..document import Alignment, NearMiss, Segment
from .model import Scored

__all__ = ["near_misses"]


def near_misses(
    considered: Iterable[Segment], scored: Sequence[Scored], alignments: Sequence[Alignment]
) -> list[NearMiss]:
    """Each considered Vietnamese segment that no alignment pairs, with its best candidate.

    Args:
        considered: the Vietnamese segments the aligner pairs (those it scores candidates for).
        scored: every scored candidate (:meth:`~bilingual.Aligner.score`).
        alignments: the pairs chosen from them (:func:`~bilingual.align.select`).

    Returns:
        One near miss per unpaired segment, in document order; ``fr`` empty and ``score``
        ``None`` for a segment that had no candidate.
    """
    paired = {a.vi for a in alignments}
    best: dict[int, Scored] = {}
    for s in scored:
        vi = s.candidate.vi.index
        if vi not in best or s.probability > best[vi].probability:
            best[vi] = s
    out = []
    for segment in sorted(considered, key=lambda s: s.index):
        if segment.index in paired:
            continue
        top = best.get(segment.index)
        if top is None:
            out.append(NearMiss(segment.index))
        else:
            out.append(
                NearMiss(
                    segment.index,
                    tuple(sorted(s.index for s in top.candidate.fr)),
                    round(top.probability, 4),
                    top.threshold,
                    top.evidence.chrf,
                )
            )
    return out
