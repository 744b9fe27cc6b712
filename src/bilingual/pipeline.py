"""The order of stages: prepare (read, parse, split) -> translate (shared batches) -> align ->
score the caption pairs -> compare routes.

:class:`Pipeline` streams documents: it reads a window of documents, translates the French
sentences of the whole window in one call per target language (so batches are shared across
documents), aligns, and yields each document before reading the next window.  Memory is bounded by
the window, not the corpus.  A document that cannot be read is yielded with ``error`` set and
never stops the others.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .align import Aligner
from .document import Document
from .errors import ConfigError, InputError, ModelError
from .parse import parse_page
from .progress import translate_counted
from .read import STDIN, read_text
from .routes import Route, RouteComparison, TargetSpec
from .split import to_segments
from .targets import Target, check_routes, plan_routes
from .translate.base import Engine, Generation, PairTooLong, Progress, Scorer
from .translate.cache import TranslationCache, cached, cached_scorer
from .translate.devices import DEFAULT_DEVICE, DEFAULT_PRECISION
from .translate.spec import as_engine

__all__ = [
    "DEFAULT_WINDOW",
    "Pipeline",
    "Stage",
    "check_compared",
    "expand_inputs",
    "from_text",
    "prepare",
]

# French sentences read ahead and translated together; bounds memory, feeds full batches.
DEFAULT_WINDOW = 1024

# A stage: done to a window of documents, in place.
Stage = Callable[[list[Document]], None]


class Pipeline:
    """Turns input files into documents with roles, sentences, translations and alignments.

    Args:
        translators: target language -> a :class:`~bilingual.Translator` (or any
            :class:`~bilingual.translate.Engine`), a model id or path (loaded with ``device`` and
            ``precision``), any object with ``translate(list[str]) -> list[str]``, a
            :class:`~bilingual.Pivot` (through another target's translations) or
            :class:`~bilingual.Routes` (a direct model and a pivot, compared on the page's
            caption pairs).  Empty or ``None``: no machine translation.
        device: device for translators given as model ids or paths.
        precision: precision for translators given as model ids or paths.
        window: French sentences read ahead and translated together.
        generation: decoding settings for every translator (a :class:`~bilingual.Generation`
            or its fields as a mapping: ``num_beams``, ``max_new_tokens``, ``min_new_tokens``,
            ``num_return_sequences``); by default each model's own generation config.
        progress: called as batches are done with the number of sentences translated (a
            sentence counts once per target, repeated or not, cached or not: the unit every
            backend reports in).
        cache: a translation cache; translators whose output has an identity (a
            ``fingerprint``: model, revision, precision) look their sentences up there first.
        aligner: pairs each document's Vietnamese captions with their French translations;
            ``None``: an :class:`~bilingual.align.Aligner` with the shipped word table.  When
            the aligner's target has a direct model that scores (a
            :class:`~bilingual.Translator`), each pair gets that model's ``model_score``.

    Raises:
        ConfigError: a translator that is none of the above, a bad setting.
        ModelError: a model that cannot be loaded.

    Example:
        >>> pipeline = Pipeline({"en": "Helsinki-NLP/opus-mt-fr-en", "vi": "./opus-mt-fr-vi"})
        >>> for document in pipeline.run(["seeds/000_9c870309ebbbcf83.txt"]):
        ...     print(document.alignments)
    """

    def __init__(
        self,
        translators: Mapping[str, TargetSpec | Target] | None = None,
        *,
        device: str = DEFAULT_DEVICE,
        precision: str = DEFAULT_PRECISION,
        window: int = DEFAULT_WINDOW,
        generation: Generation | Mapping[str, Any] | None = None,
        progress: Progress | None = None,
        cache: TranslationCache | None = None,
        aligner: Aligner | None = None,
    ) -> None:
        if window < 1:
            raise ConfigError(f"window must be at least 1, not {window}")
        self.generation = Generation.of(generation)
        targets = {lang: Target.of(lang, spec) for lang, spec in (translators or {}).items()}
        check_routes(targets)  # before any model loads
        routes, others = plan_routes(
            {
                lang: target.load(lambda m: as_engine(m, device=device, precision=precision))
                for lang, target in targets.items()
            }
        )
        self.routes = {lang: Route(cached(r.engine, cache), r.via) for lang, r in routes.items()}
        self.comparison = RouteComparison(self.routes, others)
        self.window = window
        self.progress = progress
        self.aligner = aligner or Aligner()
        self.scorer = _pair_scorer([routes, others], self.aligner.target, cache)
        check_compared(others, self.aligner.target)

    @property
    def translators(self) -> dict[str, Engine]:
        """Target language -> the engine that translates into it (for a pivot, from the
        translations into its ``via`` target)."""
        return {lang: route.engine for lang, route in self.routes.items()}

    def run(self, inputs: Iterable[str]) -> Iterator[Document]:
        """Process inputs (files, directories of ``*.txt``, ``-`` for standard input), yielding
        each document complete, in input order."""
        documents = (prepare(p) for p in expand_inputs(inputs))
        for window in _windows(documents, self.window):
            self.process(window)
            yield from window

    def stages(self) -> tuple[Stage, ...]:
        """What happens to a window of prepared documents (:func:`prepare`), in order: the one
        place the order is written, for this process and for each Ray actor alike."""
        return (self.translate, self.align, self.score_pairs, self.compare_routes)

    def process(self, documents: list[Document]) -> None:
        """Run every stage on ``documents`` (prepared; those with an ``error`` are left alone)."""
        for stage in self.stages():
            stage(documents)

    def align(self, documents: list[Document]) -> None:
        """Pair each document's Vietnamese captions with their French text."""
        for document in documents:
            if document.error is None:
                self.aligner.annotate(document)

    def compare_routes(self, documents: list[Document]) -> None:
        """Measure the routes not used on the caption pairs of ``documents`` (see
        :class:`~bilingual.routes.RouteComparison`)."""
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
        while self.scorer is not None and pairs:
            french = [" ".join(d.segments[i].text for i in a.fr) for d, a in pairs]
            try:
                scores = self.scorer.score(french, [d.segments[a.vi].text for d, a in pairs])
            except PairTooLong as e:
                del pairs[e.index]
                continue
            for (_, alignment), score in zip(pairs, scores, strict=True):
                alignment.model_score = score.per_token
            return


def check_compared(compared: Iterable[str], target: str) -> None:
    """Routes are compared only into ``target``, the language of the page's human captions.

    Raises:
        ConfigError: another target with both routes.
    """
    if any(lang != target for lang in compared):
        raise ConfigError(
            f"routes can be compared only for {target!r}, the language of the page's human captions"
        )


def _pair_scorer(
    routes: list[dict[str, Route]], target: str, cache: TranslationCache | None
) -> Scorer | None:
    """The direct model into ``target`` (used or compared), when it scores: the one whose view
    of a caption pair is the model's probability of the human caption given the French."""
    for found in routes:
        route = found.get(target)
        if route is not None and route.via is None and isinstance(route.engine, Scorer):
            return cached_scorer(route.engine, cache)
    return None


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
