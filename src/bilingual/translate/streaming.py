"""Streams of sentences through an engine: read a window ahead, translate it, give it back in order.

CTranslate2's ``translate_iterable`` idea: the input is consumed a window at a time, each window is
translated in one call (so batches are planned by length inside it and repeats are translated
once), and its results are yielded in input order before the next window is read.  Memory is
bounded by the window, whatever the length of the input.  Pure Python: any
:class:`~bilingual.translate.Engine` will do (:mod:`bilingual.lines` streams pairs to score
through :func:`windows` too).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from ..errors import ConfigError
from .base import Engine, Generation, Progress, Translation

__all__ = ["DEFAULT_STREAM_WINDOW", "translate_stream", "windows"]

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
