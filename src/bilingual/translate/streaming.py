"""Streams of sentences through an engine: read a window ahead, translate it, give it back in order.

CTranslate2's ``translate_iterable`` idea: the input is consumed a window at a time, each window is
translated in one call (so batches are planned by length inside it and repeats are translated
once), and its results are yielded in input order before the next window is read.  Memory is
bounded by the window, whatever the length of the input.  Pure Python: any
:class:`~bilingual.translate.Engine` will do (:mod:`bilingual.lines` streams pairs to score
through :func:`windows` too).

Progress has one unit, sentences translated (a sentence counts once per target, repeated or not,
cached or not), whatever an engine reports: a :class:`~bilingual.Translator` reports the distinct
texts of each batch and the cache its hits, so :func:`translate_counted` scales an engine's own
counts to sentences, for the pipeline and line mode alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from ..errors import ConfigError
from .base import Engine, Generation, Progress, Translation

__all__ = ["DEFAULT_STREAM_WINDOW", "translate_counted", "translate_stream", "windows"]

# Lines read ahead and translated together: enough for full, length-sorted batches (64
# sentences each), little enough that the first translations come soon and memory stays small.
DEFAULT_STREAM_WINDOW = 1024

Item = TypeVar("Item")


def windows(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """``items`` in consecutive lists of ``size`` (the last may be shorter), read lazily.

    Example:
        >>> list(windows(range(5), 2))
        [[0, 1], [2, 3], [4]]
    """
    if size < 1:
        raise ConfigError(f"window must be at least 1, not {size}")
    iterator = iter(items)
    while window := list(islice(iterator, size)):
        yield window


def translate_stream(
    engine: Engine,
    sentences: Iterable[str],
    generation: Generation = Generation(),  # noqa: B008 (frozen, so safe to share)
    window: int = DEFAULT_STREAM_WINDOW,
    progress: Progress | None = None,
) -> Iterator[Translation]:
    """Each sentence's translation, in input order, ``window`` sentences read at a time."""
    for chunk in windows(sentences, window):
        yield from engine.run(chunk, generation, progress)


def translate_counted(
    engine: Engine, texts: list[str], generation: Generation, progress: Progress | None
) -> list[Translation]:
    """``engine.run(texts, generation)``, with ``progress`` called in sentences translated: the
    engine's counts scaled to ``texts``, never past them, and the rest when the call returns."""
    if progress is None:
        return engine.run(texts, generation, None)
    counted = _InSentences(progress, texts)
    results = engine.run(texts, generation, counted)
    counted.finish()
    return results


class _InSentences:
    """One engine call's progress in sentences translated."""

    def __init__(self, progress: Progress, texts: list[str]) -> None:
        self.progress, self.left = progress, len(texts)
        self.ratio = len(texts) / max(1, len(set(texts)))
        self.owed = 0.0

    def __call__(self, done: int) -> None:
        self.owed += done * self.ratio
        step = min(int(self.owed), self.left)
        if step:
            self.owed -= step
            self.left -= step
            self.progress(step)

    def finish(self) -> None:
        if self.left:
            self.progress(self.left)
            self.left = 0
