"""What a link of sentences is scored on: the features of joining French sentences with
Vietnamese ones, computed from what each pair of sentences says of each other (read once, kept)
and combined for groups (a ``2-1`` link), never by reading the text again.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from .sentences import Sentence, dice
from .signals import gale_church

__all__ = ["Links", "link_features"]


def link_features(
    fr: Sequence[Sentence],
    vi: Sequence[Sentence],
    fr_roles: Sequence[str],
    vi_roles: Sequence[str],
    with_mt: bool,
) -> dict[str, float]:
    """The features of linking all of ``fr`` with all of ``vi`` (for fitting and tests)."""
    pairs = Links(fr, vi, fr_roles, vi_roles, with_mt)
    return pairs.features(range(len(fr)), range(len(vi)))


class Links:
    """Two streams of sentences, and what each sentence of one explains of each of the other,
    computed once per pair of sentences and combined for groups (:meth:`features`)."""

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
        length = gale_church(sum(f.length for f in fr), sum(v.length for v in vi))
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
