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

from bilingual.patterns import CREDIT
from development.evaluation import Scores

__all__ = ["Link", "link_scores", "match_scores", "normalised"]

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
