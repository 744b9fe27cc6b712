"""Sentence alignment of a French page with the Vietnamese original it translates.

A dynamic programme over the two articles' sentences, in order, with ``1-1``, ``1-2``, ``2-1``,
``1-3`` and ``3-1`` links and sentences left out on either side (``1-0``, ``0-1``), as Gale and
Church, Bleualign and hunalign do; here each link is scored by the evidence the caption aligner
has, read once per sentence (:mod:`bilingual.align.sentences`): how much of each side the other
explains by the word table, and by the machine translation when the pipeline made one, lengths,
numbers and names.  A fitted logistic model (``data/article_model.json``, ``python -m tools.fit_article``)
turns them into log-odds; the programme maximises their sum, each sentence left out counting the
model's ``skip``; each link's score is the model's calibrated probability that it is right.

Titles, headings and body sentences are aligned with each other; the original's photo captions
with the page's French captions, never with body text (two programmes).

Long articles are aligned in a band around a path through anchors: sentences whose rare words
(names, numbers, words the table rarely sees) point at one sentence of the other side and back;
between anchors the path is a straight line, and the programme looks :data:`BAND` sentences
either side of it.  Time and memory grow with the article's length times the band, not with the
product of the two lengths.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ..document import ArticleLink, Document, Segment
from .article_model import LinkModel, shipped_link_models
from .candidates import is_credit_line
from .lexicon import Lexicon, shipped_lexicon
from .sentences import (
    Sentence,
    dice,
    french_sentence,
    length_agreement,
    vietnamese_sentence,
)

__all__ = ["BAND", "BEADS", "BODY_ROLES", "ArticleAligner", "link_features"]

BODY_ROLES = frozenset({"title", "heading", "body"})
# The links, (French sentences, Vietnamese sentences): three sentences translated as one pay
# where a translator joins them (or a corpus line holds them).
BEADS = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (1, 0), (0, 1))
# How far from the anchors' path the programme looks, in sentences; articles this short or
# shorter on both sides are aligned without a band.
BAND = 12
FULL = 4 * BAND
# A word pointing at more sentences of the other side than this is no anchor.
_RARE = 3


class ArticleAligner:
    """Links a page's French sentences with its original's Vietnamese sentences.

    Args:
        lexicon: the word table; ``None``: the shipped one.
        target: the language of the machine translations compared with the original
            (``Segment.translations[target]``), used when every French sentence has one.
        without_mt, with_mt: the link models; ``None``: the shipped ones.

    Example:
        >>> links = ArticleAligner().align(page, original)
        >>> [(link.fr, link.vi, link.link) for link in links][:2]
        [((0,), (0,), '1-1'), ((3, 4), (2,), '2-1')]
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        target: str = "vi",
        *,
        without_mt: LinkModel | None = None,
        with_mt: LinkModel | None = None,
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else shipped_lexicon()
        self.target = target
        shipped = shipped_link_models() if without_mt is None or with_mt is None else None
        self.without_mt = without_mt or shipped[0]  # type: ignore[index]
        self.with_mt = with_mt or shipped[1]  # type: ignore[index]

    def align(self, page: Document, original: Document) -> list[ArticleLink]:
        """Every link of the two articles, sentences left out included (``1-0``, ``0-1``,
        score 0), in the page's order."""
        links = self.align_streams(_body(page, "fr"), _body(original, None))
        links += self.align_streams(_captions(page, "fr"), _captions(original, None))
        return sorted(links, key=_order)

    def align_streams(self, fr: Sequence[Segment], vi: Sequence[Segment]) -> list[ArticleLink]:
        """Links between two sequences of segments, each in reading order."""
        with_mt = bool(fr) and all(s.translations.get(self.target) for s in fr)
        model = self.with_mt if with_mt else self.without_mt
        french = [
            french_sentence(
                s.text, self.lexicon, s.translations.get(self.target) if with_mt else None
            )
            for s in fr
        ]
        vietnamese = [vietnamese_sentence(s.text, self.lexicon) for s in vi]
        pairs = _Pairs(french, vietnamese, [s.role for s in fr], [s.role for s in vi], with_mt)
        rows = _rows(french, vietnamese)

        def score(i0: int, i1: int, j0: int, j1: int) -> float:
            if i0 == i1 or j0 == j1:
                return model.skip * (i1 - i0 + j1 - j0)
            return model.model.logit(pairs.features(range(i0, i1), range(j0, j1)))

        path = _best_path(len(fr), len(vi), rows, score)
        links = []
        for i0, i1, j0, j1 in path:
            probability = 0.0
            if i0 < i1 and j0 < j1:
                probability = model.model.probability(pairs.features(range(i0, i1), range(j0, j1)))
            links.append(
                ArticleLink(
                    tuple(s.index for s in fr[i0:i1]),
                    tuple(s.index for s in vi[j0:j1]),
                    round(probability, 4),
                )
            )
        return links


def link_features(
    fr: Sequence[Sentence],
    vi: Sequence[Sentence],
    fr_roles: Sequence[str],
    vi_roles: Sequence[str],
    with_mt: bool,
) -> dict[str, float]:
    """The features of linking all of ``fr`` with all of ``vi`` (for fitting and tests)."""
    pairs = _Pairs(fr, vi, fr_roles, vi_roles, with_mt)
    return pairs.features(range(len(fr)), range(len(vi)))


class _Pairs:
    """The two sides' sentences, and what each sentence of one explains of each of the other,
    computed once per pair of sentences and combined for groups."""

    def __init__(
        self,
        fr: Sequence[Sentence],
        vi: Sequence[Sentence],
        fr_roles: Sequence[str],
        vi_roles: Sequence[str],
        with_mt: bool,
    ) -> None:
        self.fr, self.vi, self.with_mt = fr, vi, with_mt
        self.fr_roles, self.vi_roles = fr_roles, vi_roles
        self._cells: dict[tuple[int, int], _Cell] = {}

    def cell(self, i: int, j: int) -> _Cell:
        """What French sentence ``i`` and Vietnamese sentence ``j`` say of each other."""
        key = (i, j)
        found = self._cells.get(key)
        if found is None:
            f, v = self.fr[i], self.vi[j]
            found = _Cell(
                f.explains.intersection(v.words),
                v.explains.intersection(f.words),
                frozenset(f.mt.keys() & v.mt.keys()) if self.with_mt else frozenset(),
            )
            self._cells[key] = found
        return found

    def features(self, fi: range, vj: range) -> dict[str, float]:
        fr, vi = [self.fr[i] for i in fi], [self.vi[j] for j in vj]
        cells = [[self.cell(i, j) for j in vj] for i in fi]  # cells[a][b]: fi[a], vj[b]
        # Each side: the weighted share of its words the other side explains, and the least
        # explained sentence (a sentence glued to a link it is no part of, a neighbour the
        # other side left out, is explained by nothing in it).
        columns = range(len(vi))
        vi_lex, vi_weakest = _explained(
            [v.words for v in vi],
            [v.total for v in vi],
            [[r[b].vi for r in cells] for b in columns],
        )
        fr_lex, fr_weakest = _explained(
            [f.words for f in fr], [f.total for f in fr], [[c.fr for c in r] for r in cells]
        )
        values = {"vi_lex": vi_lex, "fr_lex": fr_lex, "weakest": _least(vi_weakest, fr_weakest)}
        if self.with_mt:
            vi_mt, vi_least = _explained(
                [v.mt for v in vi],
                [v.mt_total for v in vi],
                [[r[b].mt for r in cells] for b in columns],
            )
            fr_mt, fr_least = _explained(
                [f.mt for f in fr], [f.mt_total for f in fr], [[c.mt for c in r] for r in cells]
            )
            values.update(vi_mt=vi_mt, fr_mt=fr_mt, weakest_mt=_least(vi_least, fr_least))
        length = length_agreement(sum(f.length for f in fr), sum(v.length for v in vi))
        numbers = _numbers(fr, vi)
        names = dice(_union([f.names for f in fr]), _union([v.names for v in vi]))
        values.update(
            length=2 * length - 1,
            length_log=max(math.log10(length + 1e-12), -4.0) / 4,
            numbers=0.0 if numbers is None else 2 * numbers - 1,
            names=0.0 if names is None else 2 * names - 1,
            many=float(len(fr) + len(vi) > 2),
            role=_roles(self.fr_roles[fi[0]], self.vi_roles[vj[0]]),
        )
        return values


def _explained(
    weights: Sequence[dict[str, float]],
    totals: Sequence[float],
    found: Sequence[Sequence[frozenset[str]]],
) -> tuple[float, float | None]:
    """The weighted share of a group's words that the other side explains (``found[k]``: the
    sets of sentence k's words each sentence of the other side explains; 0 without known
    words; ``totals[k]``: the sum of sentence k's weights), and the least share of one of its
    sentences (``None``: none has a known word)."""
    total = explained = 0.0
    least: float | None = None
    for words, whole, sets in zip(weights, totals, found, strict=True):
        if not whole:
            continue
        union = sets[0] if len(sets) == 1 else frozenset().union(*sets)
        part = sum(words[x] for x in union)
        total += whole
        explained += part
        share = part / whole
        least = share if least is None or share < least else least
    return (explained / total if total else 0.0), least


def _least(a: float | None, b: float | None) -> float:
    return min((x for x in (a, b) if x is not None), default=0.0)


def _union(sets: Sequence[frozenset[str]]) -> frozenset[str]:
    return sets[0] if len(sets) == 1 else frozenset().union(*sets)


def _numbers(fr: Sequence[Sentence], vi: Sequence[Sentence]) -> float | None:
    """Dice of the two sides' numbers; ``None`` when neither has any (most sentences)."""
    if not any(f.numbers for f in fr) and not any(v.numbers for v in vi):
        return None
    a = fr[0].numbers if len(fr) == 1 else sum((f.numbers for f in fr), Counter())
    b = vi[0].numbers if len(vi) == 1 else sum((v.numbers for v in vi), Counter())
    return dice(a, b)


class _Cell(NamedTuple):
    """What a French and a Vietnamese sentence say of each other."""

    vi: frozenset[str]  # the Vietnamese words the French explains (by the table)
    fr: frozenset[str]  # the French words the Vietnamese explains
    mt: frozenset[str]  # the syllables the French's translation shares with the Vietnamese


def _roles(fr: str, vi: str) -> float:
    """1 when both sides are titles (or both headings), -1 when only one is a title."""
    if fr == vi and fr != "body":
        return 1.0
    return -1.0 if "title" in (fr, vi) else 0.0


def _body(document: Document, lang: str | None) -> list[Segment]:
    return [
        s for s in document.segments
        if s.role in BODY_ROLES and (lang is None or s.lang == lang) and s.text.strip()
    ]  # fmt: skip


def _captions(document: Document, lang: str | None) -> list[Segment]:
    return [
        s for s in document.segments
        if s.role == "caption" and (lang is None or s.lang == lang) and not is_credit_line(s)
    ]  # fmt: skip


def _order(link: ArticleLink) -> tuple[int, int]:
    return (link.fr[0] if link.fr else -1, link.vi[0] if link.vi else -1)


def _rows(fr: Sequence[Sentence], vi: Sequence[Sentence]) -> list[tuple[int, int]]:
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


def _best_path(
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
