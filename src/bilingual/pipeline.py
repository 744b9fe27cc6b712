"""The pipeline: an ordered tuple of steps, prepare (read, parse, split) -> translate (shared
batches) -> align -> score the caption pairs -> compare routes, over a loaded run.

:class:`Pipeline` neither loads nor checks: it is built from a
:class:`~bilingual.loading.LoadedRun` (:meth:`Pipeline.of` configures, loads and builds in one
call).  :meth:`Pipeline.steps` is the one place the order is written; an executor decides where
each step runs (:mod:`bilingual.executors`: this process, or Ray tasks and actors).
:meth:`Pipeline.run` streams documents: it prepares a window of documents, translates the French
sentences of the whole window in one call per target language (so batches are shared across
documents), aligns, and yields each document before preparing the next window.  Memory is bounded
by the window, not the corpus.  A document that cannot be read is yielded with ``error`` set and
never stops the others.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from .align import Aligner
from .config import Config, Settings
from .document import Document
from .errors import InputError, ModelError
from .loading import LoadedRun, load_run
from .parse import parse_page
from .read import STDIN, read_text
from .split import to_segments
from .targets import RouteComparison, Target, TargetSpec
from .translate.base import Engine, PairTooLong, Progress
from .translate.streaming import translate_counted

__all__ = ["Pipeline", "Step", "expand_inputs", "from_text", "prepare"]

# A step: done to a window of documents, in place (those with an ``error`` are left alone).
Step = Callable[[list[Document]], None]


class Pipeline:
    """Turns input files into documents with roles, sentences, translations and alignments.

    Args:
        run: the loaded run (:func:`~bilingual.load_run`): its routes translate, its scorer
            gives each caption pair its ``model_score``, its compared routes are measured, with
            its settings' window and decoding.
        progress: called as batches are done with the number of sentences translated (a
            sentence counts once per target, repeated or not, cached or not: the unit every
            executor reports in).
        aligner: pairs each document's Vietnamese captions with their French translations;
            ``None``: an :class:`~bilingual.align.Aligner` with the shipped word table.

    Example:
        >>> with Pipeline.of({"en": "Helsinki-NLP/opus-mt-fr-en", "vi": "./opus-mt-fr-vi"}) as p:
        ...     for document in p.run(["seeds/000_9c870309ebbbcf83.txt"]):
        ...         print(document.alignments)
    """

    def __init__(
        self, run: LoadedRun, *, progress: Progress | None = None, aligner: Aligner | None = None
    ) -> None:
        self.loaded = run
        self.generation = run.config.generation
        self.window = run.config.settings.window
        self.routes = run.routes
        self.comparison = RouteComparison(run.routes, run.others)
        self.progress = progress
        self.aligner = aligner or Aligner()
        self.scorer = run.scorer(self.aligner.target)

    @classmethod
    def of(
        cls,
        translators: Mapping[str, TargetSpec | Target] | None = None,
        settings: Settings = Settings(),  # noqa: B008 (frozen, so safe to share)
        *,
        progress: Progress | None = None,
        aligner: Aligner | None = None,
    ) -> Pipeline:
        """Configure (:meth:`~bilingual.Config.of`), load (:func:`~bilingual.load_run`) and
        build in one call; a model that cannot be loaded is an error here.

        Raises:
            ConfigError: a run that cannot work.
            ModelError: a model that cannot be loaded.
        """
        run = load_run(Config.of(translators, settings))
        if run.failures:
            run.close()
            raise ModelError(run.failures[0]["error"])
        return cls(run, progress=progress, aligner=aligner)

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the run's translation cache."""
        self.loaded.close()

    @property
    def engines(self) -> dict[str, Engine]:
        """Target language -> the engine that translates into it (for a pivot, from the
        translations into its ``via`` target)."""
        return {lang: route.engine for lang, route in self.routes.items()}

    def steps(self) -> tuple[Step, ...]:
        """What happens to a window of documents, in order: the one place the order is
        written, for this process and for each Ray actor alike."""
        return (self.prepare, self.translate, self.align, self.score_pairs, self.compare_routes)

    def run(self, inputs: Iterable[str]) -> Iterator[Document]:
        """Process inputs (files, directories of ``*.txt``, ``-`` for standard input), yielding
        each document complete, in input order."""
        first, *rest = self.steps()

        def prepared() -> Iterator[Document]:
            for path in expand_inputs(inputs):
                document = Document(path)
                first([document])
                yield document

        for window in _windows(prepared(), self.window):
            self.process(window, rest)
            yield from window

    def process(self, documents: list[Document], steps: Iterable[Step] | None = None) -> None:
        """Run ``steps`` (every step: :meth:`steps`) on ``documents``."""
        for step in self.steps() if steps is None else steps:
            step(documents)

    @staticmethod
    def prepare(documents: list[Document]) -> None:
        """Read, parse and split each document not read yet (see :func:`prepare`)."""
        for document in documents:
            if document.error is None and not document.segments:
                done = prepare(document.path)
                document.segments, document.encoding = done.segments, done.encoding
                document.error = done.error

    def align(self, documents: list[Document]) -> None:
        """Pair each document's Vietnamese captions with their French text."""
        for document in documents:
            if document.error is None:
                self.aligner.annotate(document)

    def compare_routes(self, documents: list[Document]) -> None:
        """Measure the routes not used on the caption pairs of ``documents`` (see
        :class:`~bilingual.targets.RouteComparison`)."""
        self.comparison.measure(documents, self.generation)

    def translate(self, documents: list[Document]) -> None:
        """Translate the French sentences of ``documents`` into every target, in shared batches."""
        segments = [s for d in documents for s in d.segments if s.translatable]
        if not segments:
            return
        for lang, route in self.routes.items():  # a pivot after the target it goes through
            texts = [route.source(s) for s in segments]
            results = translate_counted(route.engine, texts, self.generation, self.progress)
            if len(results) != len(texts):
                raise ModelError(
                    f"translator for {lang!r} returned {len(results)} texts for {len(texts)} inputs"
                )
            for segment, result in zip(segments, results, strict=True):
                segment.translations[lang] = result.text
                segment.pieces = max(segment.pieces, result.pieces)
                if result.score is not None:  # whole: rounded only as written
                    segment.scores[lang] = result.score
                if result.alternatives:
                    segment.alternatives[lang] = [
                        {"text": a.text, "score": a.score} for a in result.alternatives
                    ]

    def score_pairs(self, documents: list[Document]) -> None:
        """Give each caption pair of ``documents`` its ``model_score``: the direct model's
        log-probability per token of the human caption given the French, in one batched call.

        A reported signal, not one the aligner uses.  A pair too long for the model is left
        without one."""
        pairs = [(d, a) for d in documents for a in d.alignments]
        scorer = self.scorer
        while scorer is not None and pairs:
            french = [" ".join(d.segments[i].text for i in a.fr) for d, a in pairs]
            try:
                scores = scorer.score(french, [d.segments[a.vi].text for d, a in pairs])
            except PairTooLong as e:
                del pairs[e.index]
                continue
            for (_, alignment), score in zip(pairs, scores, strict=True):
                alignment.model_score = score.per_token
            return


def prepare(path: str) -> Document:
    """Read, parse and split one input; a problem is recorded on the document, not raised."""
    try:
        text = read_text(path)
    except InputError as e:
        return Document(path, error=str(e))
    return from_text(path, text.text, text.encoding)


def from_text(name: str, text: str, encoding: str = "utf-8") -> Document:
    """Parse and split a page's clean text into a document named ``name`` (NFC-normalised
    first, as the reader does: a segment's text is always NFC)."""
    blocks = parse_page(unicodedata.normalize("NFC", text))
    if not blocks:
        return Document(name, encoding=encoding, error=f"{name}: no text")
    return Document(name, to_segments(blocks), encoding=encoding)


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """Input arguments -> documents: files as given, directories as their ``*.txt`` (recursively,
    sorted; links to directories are not followed, so a link loop is harmless), ``-`` as
    standard input.  A missing path is passed on, to be reported by the reader.

    Raises:
        InputError: a directory (or one below it) cannot be listed: its pages would be missed
            without a word.
    """
    for item in inputs:
        path = Path(item)
        if item != STDIN and path.is_dir():
            yield from sorted(_txt_files(path))
        else:
            yield item


def _txt_files(directory: Path) -> Iterator[str]:
    def unlistable(error: OSError) -> None:
        where = error.filename or directory
        raise InputError(
            f"{where}: the directory cannot be listed ({error.strerror or error}); make it "
            "readable, or leave it out of the inputs"
        ) from error

    for root, _, names in os.walk(directory, onerror=unlistable):
        for name in names:
            if name.endswith(".txt") and os.path.isfile(os.path.join(root, name)):
                yield os.path.join(root, name)


def _windows(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    window: list[Document] = []
    sentences = 0
    for document in documents:
        window.append(document)
        sentences += sum(1 for s in document.segments if s.translatable)
        if sentences >= size:
            yield window
            window, sentences = [], 0
    if window:
        yield window
