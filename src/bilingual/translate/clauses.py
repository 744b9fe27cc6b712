"""Cutting a sentence too long for the model into pieces that fit, never dropping a character.

A Marian model reads at most 512 tokens; a longer sentence is cut at clause punctuation if it
can be, else at commas and closing quotes, else at any space, and a text with no usable break at
all (one enormous "word") into character runs.  Pieces are slices of the sentence: joined with
spaces, they give it back (modulo spaces).  Pure Python: the token length is a function passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .base import Translation

__all__ = ["cut_to_fit", "encoded_pieces", "joined"]

# Where a too-long sentence may be cut, best first: clause punctuation, then any space.
_CLAUSE_BREAKS = (re.compile(r"(?<=[.;:!?…])\s+"), re.compile(r"(?<=[,)»])\s+"), re.compile(r"\s+"))


def cut_to_fit(text: str, length: Callable[[str], int], limit: int) -> list[str]:
    """``text`` itself if ``length(text) <= limit``, else the pieces it is cut into.

    Args:
        text: the sentence.
        length: a text's length in the model's tokens.
        limit: the most tokens a piece may have.

    Example:
        >>> cut_to_fit("un, deux, trois", lambda t: len(t.split()), 2)
        ['un, deux,', 'trois']
    """
    return list(_cut(text, 0, length, limit))


def _cut(text: str, level: int, length: Callable[[str], int], limit: int) -> Iterator[str]:
    """Cut ``text`` into parts that fit, packing clauses greedily at break ``level``."""
    if length(text) <= limit:
        yield text
        return
    if level == len(_CLAUSE_BREAKS):
        yield from _hard_cut(text, length, limit)
        return
    current = ""
    for part in (p for p in _CLAUSE_BREAKS[level].split(text) if p.strip()):
        candidate = f"{current} {part}" if current else part
        if current and length(candidate) > limit:
            yield from _cut(current, level + 1, length, limit)
            current = part
        else:
            current = candidate
    if current:
        yield from _cut(current, level + 1, length, limit)


def _hard_cut(text: str, length: Callable[[str], int], limit: int) -> Iterator[str]:
    """Cut a text with no usable break (one huge word) into character runs that fit."""
    start = 0
    while start < len(text):
        end = len(text)
        while end - start > 1 and length(text[start:end]) > limit:
            end = start + (end - start) // 2
        yield text[start:end]
        start = end


def encoded_pieces(
    sentence: str, encode: Callable[[str], list[int]], limit: int
) -> list[tuple[str, list[int]]]:
    """The pieces ``sentence`` is translated in, with their token ids (``encode``): itself when
    it has at most ``limit`` tokens (tokenized once), else :func:`cut_to_fit`'s pieces."""
    ids = encode(sentence)
    if len(ids) <= limit:
        return [(sentence, ids)]
    pieces = cut_to_fit(sentence, lambda text: len(encode(text)), limit)
    return [(piece, encode(piece)) for piece in pieces]


def joined(parts: list[Translation]) -> Translation:
    """One sentence's translation from its pieces' (none for an empty sentence): their texts
    joined with spaces, and their mean score when every piece has one."""
    if len(parts) == 1:
        return parts[0]
    scores = [p.score for p in parts if p.score is not None]
    score = sum(scores) / len(scores) if parts and len(scores) == len(parts) else None
    return Translation(" ".join(p.text for p in parts), max(1, len(parts)), score)
