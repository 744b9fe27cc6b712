"""The order of stages: read -> parse -> split -> translate (shared batches) -> align.

:class:`Pipeline` streams documents: it reads a window of documents, translates the French
sentences of the whole window in one call per target language (so batches are shared across
documents), aligns, and yields each document before reading the next window.  Memory is bounded by
the window, not the corpus.  A document that cannot be read is yielded with ``error`` set and
never stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Union

from .align import Aligner
from .document import Document
from .errors import InputError, ModelError
from .parse import parse_page
from .read import STDIN, read_text
from .split import to_segments
from .translate import SupportsTranslate, accepts
from .translate.cache import CachedTranslator, TranslationCache

__all__ = [
    "DEFAULT_WINDOW",
    "Pipeline",
    "TranslatorSpec",
    "expand_inputs",
    "from_text",
    "load_translators",
    "prepare",
]

# French sentences read ahead and translated together; bounds memory, feeds full batches.
DEFAULT_WINDOW = 1024
# Only texts this long can exceed a Marian model's 512-token limit, so only they are measured.
_LONG_TEXT = 1000

TranslatorSpec = Union[SupportsTranslate, str, "os.PathLike[str]"]


class Pipeline:
    """Turns input files into documents with roles, sentences, translations and alignments.

    Args:
        translators: target language -> a :class:`~bilingual.Translator`, a model id or path
            (loaded with ``device`` and ``precision``), or any object with
            ``translate(list[str]) -> list[str]``.  Empty or ``None``: no machine translation.
        device: device for translators given as model ids or paths.
        precision: precision for translators given as model ids or paths.
        window: French sentences read ahead and translated together.
        generation: keyword arguments for ``Translator.translate`` (``num_beams``, …).
        progress: called with the number of texts translated after each batch.
        cache: a translation cache; translators that have a ``fingerprint`` (model, revision,
            precision) look their sentences up there first.
        aligner: pairs each document's Vietnamese captions with their French translations;
            ``None``: an :class:`~bilingual.align.Aligner` with the shipped word table.

    Example:
        >>> pipeline = Pipeline({"en": "Helsinki-NLP/opus-mt-fr-en", "vi": "./opus-mt-fr-vi"})
        >>> for document in pipeline.run(["seeds/000_9c870309ebbbcf83.txt"]):
        ...     print(document.alignments)
    """

    def __init__(
        self,
        translators: Mapping[str, TranslatorSpec] | None = None,
        *,
        device: str = "auto",
        precision: str = "fp32",
        window: int = DEFAULT_WINDOW,
        generation: Mapping[str, Any] | None = None,
        progress: Callable[[int], None] | None = None,
        cache: TranslationCache | None = None,
        aligner: Aligner | None = None,
    ) -> None:
        self.translators = {
            lang: _cached(_as_translator(spec, device, precision), cache)
            for lang, spec in (translators or {}).items()
        }
        self.window = window
        self.generation = dict(generation or {})
        self.progress = progress
        self.aligner = aligner or Aligner()

    def run(self, paths: Iterable[str]) -> Iterator[Document]:
        """Process documents, yielding each one complete, in input order."""
        for window in _windows((prepare(p) for p in paths), self.window):
            self.translate(window)
            for document in window:
                if document.error is None:
                    self.aligner.annotate(document)
                yield document

    def translate(self, documents: list[Document]) -> None:
        """Translate the French sentences of ``documents`` into every target, in shared batches."""
        segments = [s for d in documents for s in d.segments if s.translatable]
        texts = [s.text for s in segments]
        if not texts:
            return
        for lang, translator in self.translators.items():
            outputs = self._call(translator, texts)
            if len(outputs) != len(texts):
                raise ValueError(
                    f"translator for {lang!r} returned {len(outputs)} texts for {len(texts)} inputs"
                )
            for segment, output in zip(segments, outputs, strict=True):
                segment.translations[lang] = output
            fit = getattr(translator, "fit", None)
            if callable(fit):
                for segment in segments:
                    if len(segment.text) > _LONG_TEXT:
                        segment.pieces = max(segment.pieces, len(fit(segment.text)))

    def _call(self, translator: SupportsTranslate, texts: list[str]) -> list[str]:
        options = dict(self.generation)
        if self.progress is not None and accepts(translator.translate, "progress"):
            options["progress"] = self.progress
        result = translator.translate(texts, **options) if options else translator.translate(texts)
        return list(result)


def prepare(path: str) -> Document:
    """Read, parse and split one input; a problem is recorded on the document, not raised."""
    try:
        text = read_text(path)
    except InputError as e:
        return Document(path, error=str(e))
    return from_text(path, text.text, text.encoding)


def from_text(name: str, text: str, encoding: str = "utf-8") -> Document:
    """Parse and split a page's clean text into a document named ``name``."""
    blocks = parse_page(text)
    if not blocks:
        return Document(name, encoding=encoding, error=f"{name}: no text")
    return Document(name, to_segments(blocks), encoding=encoding)


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """Input arguments -> documents: files as given, directories as their ``*.txt`` (recursively,
    sorted), ``-`` as standard input.  A missing path is passed on, to be reported by the reader."""
    for item in inputs:
        path = Path(item)
        if item != STDIN and path.is_dir():
            yield from sorted(str(p) for p in path.rglob("*.txt") if p.is_file())
        else:
            yield item


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


def load_translators(
    models: Mapping[str, str],
    device: str = "auto",
    precision: str = "fp32",
    workers: int | None = None,
) -> tuple[dict[str, SupportsTranslate], dict[str, str]]:
    """Load a model per target language; a model that cannot be loaded does not stop the others.

    ``workers``: batches decoded at once on CPU (see :class:`~bilingual.Translator`).

    Returns:
        The translators that loaded, and for the others the reason (naming the model).
    """
    loaded: dict[str, SupportsTranslate] = {}
    failed: dict[str, str] = {}
    for lang, model in models.items():
        try:
            loaded[lang] = _as_translator(model, device, precision, workers)
        except ModelError as e:
            failed[lang] = str(e)
    return loaded, failed


def _cached(translator: SupportsTranslate, cache: TranslationCache | None) -> SupportsTranslate:
    fingerprint = getattr(translator, "fingerprint", None)
    if cache is None or not isinstance(fingerprint, str):
        return translator
    return CachedTranslator(translator, cache, fingerprint)


def _as_translator(
    spec: TranslatorSpec, device: str, precision: str, workers: int | None = None
) -> SupportsTranslate:
    if isinstance(spec, (str, os.PathLike)):
        from .translate.marian import Translator

        return Translator(spec, device=device, precision=precision, workers=workers)
    if not callable(getattr(spec, "translate", None)):
        raise TypeError(f"{spec!r} has no translate(list[str]) -> list[str] method")
    return spec
