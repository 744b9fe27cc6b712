"""Plain lines in, one result per line out: ``translate --lines`` and ``translate --score --lines``.

The engine on its own, without pages: a file (or standard input) of sentences, one a line, is
translated a window at a time (:mod:`~bilingual.translate.streaming`), and the translations are
written one a line, in input order, as each window is done; memory stays flat on a file of
millions of lines.  Or a file of ``source<TAB>target`` pairs is scored by forced decoding
(:meth:`~bilingual.Translator.score`).  The translation cache serves both, as it serves a
corpus build.

Output formats:

* translations: one line per input line; an empty line for an empty input line, and (with
  ``min_score``) for a translation scoring below it, so output line *i* always answers input
  line *i*.  The score compared is unrounded, as in a corpus build (the one rule:
  :func:`~bilingual.document.passes_min_score`).
* n-best (``nbest``): Moses' n-best format, ``i ||| text ||| score`` for each hypothesis, best
  first, ``i`` counting input lines from 0; with ``min_score``, hypotheses below it are left out
  (a line may then have none); an empty input line has one empty hypothesis scored 0.
* scores: ``per_token<TAB>total<TAB>tokens`` per pair: the mean and the sum of the target
  tokens' log-probabilities, and their count, the final ``</s>`` included.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .config import Config
from .document import passes_min_score
from .errors import ConfigError, InputError, ModelError, OutputError
from .loading import load_run
from .read import STDIN
from .translate.base import Engine, Generation, PairTooLong, Progress, Scorer
from .translate.streaming import DEFAULT_STREAM_WINDOW, translate_counted, windows
from .write.atomic import AtomicFile

__all__ = ["read_lines", "read_pairs", "run_lines", "score_lines", "translate_lines"]


def read_lines(source: str) -> Iterator[str]:
    """The lines of a UTF-8 file (``-``: standard input), lazily, without their line ends, in
    NFC (as pages are read, so the cache serves both).

    Raises:
        InputError: the file cannot be opened, or a line is not UTF-8 (naming the line).
    """
    name = "standard input" if source == STDIN else source
    stream: BinaryIO
    try:
        stream = sys.stdin.buffer if source == STDIN else open(source, "rb")  # noqa: SIM115
    except OSError as e:
        raise InputError(f"{source}: cannot read ({e.strerror or e})") from e
    try:
        for number, raw in enumerate(stream, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise InputError(
                    f"{name}: line {number} is not UTF-8 ({e.reason} at byte {e.start})"
                ) from None
            if number == 1:
                text = text.removeprefix("\ufeff")
            yield unicodedata.normalize("NFC", text.removesuffix("\n").removesuffix("\r"))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def read_pairs(source: str) -> Iterator[tuple[str, str]]:
    """The ``source<TAB>target`` lines of a file (see :func:`read_lines`) as pairs.

    Raises:
        InputError: as :func:`read_lines`, or a line without exactly one tab (naming it).
    """
    for number, line in enumerate(read_lines(source), 1):
        columns = line.split("\t")
        if len(columns) != 2:
            raise InputError(
                f"{source}: line {number} has {len(columns)} tab-separated columns; "
                "expected source<TAB>target"
            )
        yield columns[0], columns[1]


def translate_lines(
    source: str,
    engine: Engine,
    output: Path | None = None,
    *,
    generation: Generation = Generation(),  # noqa: B008 (frozen, so safe to share)
    window: int = DEFAULT_STREAM_WINDOW,
    nbest: bool = False,
    min_score: float | None = None,
    progress: Progress | None = None,
) -> int:
    """Translate a file of sentences, one a line, into ``output`` (``None``: standard output).

    Args:
        source: the file, or ``-`` for standard input.
        engine: the translator (a :class:`~bilingual.Translator`, possibly behind the cache).
        output: the file to write, atomically, once every line is done; ``None``: standard
            output, a window at a time.
        generation: decoding settings; ``num_return_sequences`` hypotheses per line.
        window: lines read ahead and translated together.
        nbest: write every hypothesis in Moses' n-best format (see the module's docstring).
        min_score: translations (hypotheses, with ``nbest``) scoring below this are written
            empty (left out).
        progress: called as batches are done with the number of lines translated (a repeated
            or cached line counts too: sentences translated, as everywhere).

    Returns:
        The number of input lines.

    Example:
        >>> translate_lines("news.fr", Translator("Helsinki-NLP/opus-mt-fr-en"), Path("news.en"))
        2000
    """
    count = 0
    with _Output(output) as out:
        for chunk in windows(read_lines(source), window):
            written = []
            for translation in translate_counted(engine, chunk, generation, progress):
                hypotheses = [translation, *translation.alternatives]
                if nbest:
                    written += [
                        f"{count} ||| {h.text} ||| {h.score or 0.0:.6f}\n"
                        for h in hypotheses
                        if passes_min_score(h.score, min_score)
                    ]
                else:
                    kept = passes_min_score(translation.score, min_score)
                    written.append((translation.text if kept else "") + "\n")
                count += 1
            out.write("".join(written))
    return count


def score_lines(
    source: str,
    scorer: Scorer,
    output: Path | None = None,
    *,
    window: int = DEFAULT_STREAM_WINDOW,
    progress: Progress | None = None,
) -> int:
    """Score a file of ``source<TAB>target`` lines, one ``per_token<TAB>total<TAB>tokens`` line
    each, into ``output`` (``None``: standard output).

    Returns:
        The number of pairs.

    Raises:
        InputError: a malformed line, or a pair too long for the model (naming the line).
    """
    count = 0
    with _Output(output) as out:
        for chunk in windows(read_pairs(source), window):
            try:
                scores = scorer.score([s for s, _ in chunk], [t for _, t in chunk], progress)
            except PairTooLong as e:
                raise InputError(f"{source}: line {count + e.index + 1}: {e}") from None
            out.write("".join(f"{s.per_token:.6f}\t{s.total:.6f}\t{s.tokens}\n" for s in scores))
            count += len(chunk)
    return count


def run_lines(
    source: str,
    output: Path | None,
    config: Config,
    *,
    score: bool = False,
    progress: Progress | None = None,
) -> int:
    """What ``translate --lines`` does: load the run's one model (:func:`~bilingual.load_run`,
    with the translation cache unless ``settings.cache`` is off), and translate (or ``score``)
    the lines of ``source``, ``settings.window`` at a time.

    Raises:
        ModelError: the model cannot be loaded.
        InputError, OutputError: the input cannot be read or the output written.
    """
    (lang,) = config.targets
    settings = config.settings
    with load_run(config) as run:
        if run.failures:
            raise ModelError(run.failures[0]["error"])
        engine = run.routes[lang].engine  # behind the cache
        if score:
            scorer = run.scorer(lang)
            if scorer is None:
                raise ConfigError(f"{engine.name} cannot score translations")
            return score_lines(source, scorer, output, window=settings.window, progress=progress)
        return translate_lines(
            source,
            engine,
            output,
            generation=config.generation,
            window=settings.window,
            nbest=settings.nbest > 1,
            min_score=settings.min_score,
            progress=progress,
        )


class _Output:
    """Where results go: a file written atomically (in place when the run completes), or
    standard output, flushed a window at a time so a pipe reads results as they come."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._file = AtomicFile(path) if path is not None else None

    def write(self, text: str) -> None:
        if self._file is not None:
            self._file.write(text)
            return
        try:
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise  # the reader is done (``| head``): not an error of ours, the caller decides
        except OSError as e:
            raise OutputError(f"standard output: cannot write ({e.strerror or e})") from e

    def __enter__(self) -> _Output:
        return self

    def __exit__(self, kind: object, *rest: Iterable[object]) -> None:
        if self._file is None:
            return
        if kind is None:
            self._file.commit()
        else:
            self._file.abort()
