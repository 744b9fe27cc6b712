"""The programme that links two streams of sentences: the highest-scoring monotone path of links,
in a band around anchors.

Long articles are aligned in a band around a path through anchors: sentences whose rare words
(names, numbers, words the table rarely sees) point at one sentence of the other side and back;
between anchors the path is a straight line, and the programme looks :data:`BAND` sentences
either side of it.  Time and memory grow with the article's length times the band, not with the
product of the two lengths.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Sequence

from .sentences import Sentence

__all__ = ["BAND", "BEADS", "FULL", "best_path", "rows"]

# The links, (French sentences, Vietnamese sentences): three sentences translated as one pay
# where a translator joins them (or a corpus line holds them).
BEADS = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (1, 0), (0, 1))
# How far from the anchors' path the programme looks, in sentences; articles this short or
# shorter on both sides are aligned without a band.
BAND = 12
FULL = 4 * BAND
# A word pointing at more sentences of the other side than this is no anchor.
_RARE = 3


def rows(fr: Sequence[Sentence], vi: Sequence[Sentence]) -> list[tuple[int, int]]:
    """For each French prefix length i, the Vietnamese prefix lengths the programme looks at."""
    n, m = len(fr), len(vi)
    if n <= FULL and m <= FULL:
        return [(0, m)] * (n + 1)
    points = [(0, 0), *_anchors(fr, vi), (n, m)]
    xs = [p[0] for p in points]

    def centre(i: int) -> float:
        k = min(max(bisect.bisect_right(xs, i), 1), len(points) - 1)
        (x0, y0), (x1, y1) = points[k - 1], points[k]
        return y0 + (y1 - y0) * (i - x0) / (x1 - x0) if x1 > x0 else y1

    centres = [centre(i) for i in range(n + 1)]
    rows = []
    for i in range(n + 1):
        near = centres[max(i - 1, 0) : i + 2]
        lo, hi = math.floor(min(near)) - BAND, math.ceil(max(near)) + BAND
        rows.append((max(lo, 0), min(hi, m)))
    return rows


def _anchors(fr: Sequence[Sentence], vi: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Pairs of sentences whose rare words point at each other, in increasing order on both
    sides (the longest such chain)."""
    postings: dict[str, list[int]] = {}
    for j, v in enumerate(vi):
        for token in _rare_tokens(v, v.mt.keys()):
            postings.setdefault(token, []).append(j)
    best_vi: dict[int, tuple[float, int]] = {}
    votes: dict[int, dict[int, float]] = {}
    for i, f in enumerate(fr):
        tally: dict[int, float] = {}
        for token in _rare_tokens(f, f.mt.keys() or f.explains):
            hits = postings.get(token, ())
            if 0 < len(hits) <= _RARE:
                for j in hits:
                    tally[j] = tally.get(j, 0.0) + 1 / len(hits)
        if tally:
            votes[i] = tally
            j, weight = max(tally.items(), key=lambda kv: (kv[1], -kv[0]))
            if weight > best_vi.get(j, (0.0, -1))[0]:
                best_vi[j] = (weight, i)
    mutual = sorted(
        (i, j) for j, (w, i) in best_vi.items() if w >= 1 and max(votes[i].values()) == votes[i][j]
    )
    return _increasing(mutual)


def _rare_tokens(sentence: Sentence, syllables: Iterable[str]) -> set[str]:
    """Its numbers, names and Vietnamese syllables (its own, its translation's, or those its
    words translate): the words that may be rare on the other side."""
    return {f"#{n}" for n in sentence.numbers} | {f"@{n}" for n in sentence.names} | set(syllables)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of ``pairs`` (sorted by the first) increasing in both (patience)."""
    tails: list[int] = []  # tails[k]: the smallest second value ending a chain of k + 1
    ends: list[int] = []
    before: list[int] = []
    for k, (_, j) in enumerate(pairs):
        at = bisect.bisect_left(tails, j)
        if at == len(tails):
            tails.append(j)
            ends.append(k)
        else:
            tails[at], ends[at] = j, k
        before.append(ends[at - 1] if at else -1)
    chain, k = [], ends[-1] if ends else -1
    while k >= 0:
        chain.append(pairs[k])
        k = before[k]
    return chain[::-1]


def best_path(
    n: int, m: int, rows: Sequence[tuple[int, int]], score: Callable[[int, int, int, int], float]
) -> list[tuple[int, int, int, int]]:
    """The links (i0, i1, j0, j1) of the highest-scoring path from (0, 0) to (n, m)."""
    best: list[list[float]] = []
    back: list[bytearray] = []
    for i in range(n + 1):
        lo, hi = rows[i]
        row = [-math.inf] * (hi - lo + 1)
        moves = bytearray(hi - lo + 1)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            top, arg = -math.inf, 0
            for k, (di, dj) in enumerate(BEADS):
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                plo, phi = rows[pi]
                if not plo <= pj <= phi:
                    continue
                prev = (best[pi] if pi < i else row)[pj - plo]
                if prev == -math.inf:
                    continue
                total = prev + score(pi, i, pj, j)
                if total > top:
                    top, arg = total, k
            row[j - lo], moves[j - lo] = top, arg
        best.append(row)
        back.append(moves)
    path = []
    i, j = n, m
    while i or j:
        di, dj = BEADS[back[i][j - rows[i][0]]]
        path.append((i - di, i, j - dj, j))
        i, j = i - di, j - dj
    return path[::-1]
