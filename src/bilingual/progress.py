"""The one unit of progress: sentences translated (a sentence counts once per target, repeated
or not, cached or not), whatever an engine reports.

A :class:`~bilingual.Translator` reports the distinct texts of each batch and the cache its hits,
so an engine's own counts fall short wherever a sentence repeats; :func:`translate_counted` turns
them into sentences, for the pipeline and line mode alike.
"""

from __future__ import annotations

from .translate.base import Engine, Generation, Progress, Translation

__all__ = ["translate_counted"]


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
