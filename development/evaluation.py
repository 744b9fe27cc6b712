"""Measuring the sentence splitter against line-aligned corpora, and precision/recall counts.

Corpora such as NTREX give one sentence (occasionally two) per line.  Joining consecutive lines of
one document into a paragraph makes every line end a gold sentence boundary; a splitter is then
scored on the boundaries it finds.  A line that does not end a sentence (a headline, a line the
corpus cut mid-sentence) can only close a paragraph, so no boundary is expected after it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["BoundaryScores", "Scores", "boundary_scores", "build_paragraphs"]

_ENDS_SENTENCE = re.compile(r"[.?!…][\s»”\"’)]*$")


@dataclass(frozen=True)
class Scores:
    """Counts of correct, predicted and gold items, and the precision and recall they give."""

    correct: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class BoundaryScores(Scores):
    """Sentence boundaries a splitter found among the gold ones (line ends inside paragraphs).

    ``precision`` is a lower bound: a split inside a corpus line counts as wrong, though a line
    may hold two sentences.
    """

    sentences: int = 0  # sentences the splitter returned


def build_paragraphs(
    lines: Sequence[str], docids: Sequence[str] | None = None, seed: int = 0
) -> list[list[str]]:
    """Paragraphs of 2–6 consecutive lines of one document (every line but the last ends a
    sentence).  ``docids`` keeps paragraphs inside documents; ``None`` treats lines as one."""
    rng = random.Random(seed)
    paragraphs, i = [], 0
    while i < len(lines):
        want, block = rng.randint(2, 6), [lines[i].strip()]
        i += 1
        while (
            i < len(lines)
            and len(block) < want
            and (docids is None or docids[i] == docids[i - 1])
            and _ENDS_SENTENCE.search(block[-1])
            and lines[i].strip()
        ):
            block.append(lines[i].strip())
            i += 1
        if len(block) >= 2 and all(block):
            paragraphs.append(block)
    return paragraphs


def boundary_scores(
    split: Callable[[str], list[str]], paragraphs: list[list[str]]
) -> BoundaryScores:
    """Score ``split`` on paragraphs whose line ends are the gold boundaries."""
    found = gold = predicted = sentences = 0
    for block in paragraphs:
        text = " ".join(block)
        ends, pos = set(), 0
        for line in block[:-1]:
            pos += len(line)
            ends.add(pos)
            pos += 1
        got, start = set(), 0
        parts = split(text)
        for sentence in parts:
            sentence = sentence.strip()
            if not sentence:
                continue
            start = text.find(sentence, start)
            if start < 0:  # a splitter that altered the text: no boundary can be credited
                break
            start += len(sentence)
            got.add(start)
        got.discard(len(text))
        gold += len(ends)
        found += len(ends & got)
        predicted += len(got)
        sentences += len(parts)
    return BoundaryScores(found, predicted, gold, sentences)
