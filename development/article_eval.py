"""Scores of article alignment (sentence links) and document matching, against the gold answers
of :mod:`development.originals`.

A link is (French text, Vietnamese text), each side its sentences joined by one space.  Links are
compared strictly, after normalising what a reader or parser may legitimately change: Unicode
form (NFC), runs of whitespace (one space) and a photo credit ending either side (``(Photo :
An Dang/VNA)``, ``(Ảnh: An Đăng/TTXVN)``: the gold caption links carry none, and an aligner
that links a caption with its credit segment has found the same link).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bilingual.patterns import CREDIT
from development.evaluation import Scores

__all__ = ["Link", "Shares", "grain_scores", "link_scores", "match_scores", "normalised"]

Link = tuple[str, str]  # (French text, Vietnamese text)


def normalised(text: str) -> str:
    """A link's side as compared: NFC, whitespace folded, no trailing credit."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    while (credit := _trailing_credit(text)) is not None:
        text = text[:credit].rstrip()
    return text


def _trailing_credit(text: str) -> int | None:
    for match in CREDIT.finditer(text):
        if match.end() == len(text) and match.start() > 0:
            return match.start()
    return None


def link_scores(
    system_links: Sequence[Iterable[Link]], gold_links: Sequence[Iterable[Link]]
) -> Scores:
    """Precision and recall of the links found, one collection of links per bitext, in the same
    order on both sides (a link counts once per bitext).

    Example:
        >>> link_scores([[("Bonjour.", "Xin chào.")]], [[("Bonjour.", "Xin chào.")]]).f1
        1.0
    """
    if len(system_links) != len(gold_links):
        raise ValueError(f"{len(system_links)} system bitexts against {len(gold_links)} gold")
    correct = predicted = gold = 0
    for found, want in zip(system_links, gold_links, strict=True):
        got, expected = _normalised_set(found), _normalised_set(want)
        correct += len(got & expected)
        predicted += len(got)
        gold += len(expected)
    return Scores(correct, predicted, gold)


def grain_scores(
    system_links: Sequence[Iterable[Link]], gold_links: Sequence[Iterable[Link]]
) -> Shares:
    """Links compared at the gold's grain, a diagnostic beside :func:`link_scores`: where a gold
    unit holds two sentences a side (a corpus line of two sentences) an aligner that splits it
    makes two finer links, each of which the strict measure counts wrong though neither crosses
    the unit.  Here a system link is right when both its sides lie inside one gold link, and a
    gold link is found when the system links inside it tile both of its sides exactly (no
    sentence of it linked outside it, none left out)."""
    correct = predicted = gold = found_gold = 0
    for found, want in zip(system_links, gold_links, strict=True):
        got = sorted(_normalised_set(found))
        expected = sorted(_normalised_set(want))
        inside: dict[Link, list[Link]] = {g: [] for g in expected}
        for link in got:
            home = next((g for g in expected if link[0] in g[0] and link[1] in g[1]), None)
            if home is not None:
                inside[home].append(link)
                correct += 1
        for g, parts in inside.items():
            fr = sorted(parts, key=lambda p: g[0].find(p[0]))
            vi = sorted(parts, key=lambda p: g[1].find(p[1]))
            if " ".join(p[0] for p in fr) == g[0] and " ".join(p[1] for p in vi) == g[1]:
                found_gold += 1
        predicted += len(got)
        gold += len(expected)
    # Precision counts system links, recall gold links: F1 combines the two shares.
    return Shares(correct / predicted if predicted else 0.0, found_gold / gold if gold else 0.0)


@dataclass(frozen=True)
class Shares:
    """Precision and recall given as shares (their counts are of different things)."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _normalised_set(links: Iterable[Link]) -> set[Link]:
    return {(normalised(f), normalised(v)) for f, v in links}


def match_scores(
    system_matches: Mapping[str, str | None], gold_matches: Mapping[str, str | None]
) -> Scores:
    """Precision and recall of page -> original matches, by name: a match is right when the page
    is matched to its own original; a page matched to ``None`` (or absent) predicts nothing, and a
    page whose original is missing has no gold match."""
    unknown: Collection[str] = system_matches.keys() - gold_matches.keys()
    if unknown:
        raise ValueError(f"pages not in the gold: {', '.join(sorted(unknown)[:5])}")
    predicted = {p: o for p, o in system_matches.items() if o is not None}
    gold = {p: o for p, o in gold_matches.items() if o is not None}
    correct = sum(gold.get(p) == o for p, o in predicted.items())
    return Scores(correct, len(predicted), len(gold))
