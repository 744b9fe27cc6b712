"""A whole run: documents through the pipeline into the corpus files, resumable after a crash.

Each finished document is saved to ``OUTDIR/.bilingual-state/`` (one JSON file, written
atomically) before the next is read; the corpus files are then assembled from those files in input
order, and the state is removed.  After an interruption (even ``kill -9``), ``resume=True`` skips
the documents already saved, so a resumed run ends with the same corpus files as an uninterrupted
one: both are assembled from the same saved documents.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .document import Document, document_from_dict, document_to_dict
from .errors import ModelError
from .pipeline import DEFAULT_WINDOW, Pipeline, expand_inputs
from .provenance import provenance
from .read import STDIN
from .routes import Pivot, Routes, TargetSpec
from .translate.base import Engine, Progress, TranslatorSpec, as_engine
from .translate.cache import TranslationCache, default_cache_path
from .translate.devices import DEFAULT_DEVICE, DEFAULT_PRECISION
from .write import CorpusWriter, write_atomic

__all__ = ["STATE_DIR", "RunReport", "Settings", "build_corpus"]

STATE_DIR = ".bilingual-state"
log = logging.getLogger("bilingual")


@dataclass(frozen=True)
class Settings:
    """How a corpus is built: the one object the command's flags become.

    Attributes:
        device: ``auto``, ``cpu``, ``cuda`` or ``mps``, for models given as ids or paths.
        precision: ``fp32``, ``int8`` (CPU), ``fp16`` or ``bf16`` (GPU), likewise.
        beams: beam width; 1 is greedy decoding (the fastest); ``None``: each model's generation
            config (4 for opus-mt).
        nbest: hypotheses kept per sentence: the best, and ``nbest - 1`` alternatives in
            ``segments.jsonl``.
        threads: torch threads per model (``None``: torch's default).
        workers: batches decoded at once on CPU (``None``: 2 with 2 threads or more).
        window: French sentences read ahead and translated together.
        resume: reuse the documents an interrupted run with the same settings finished.
        cache: look translations up in, and store them to, a translation cache.
        cache_path: the cache's file (``None``: ``~/.cache/bilingual/translations.sqlite``).
        min_score: keep in the machine-translation files (``mt.fr-L.*``, the TMX) only the
            translations whose score is at least this; ``segments.jsonl`` keeps every one with
            its score, and the caption pairs (human translations) are never filtered.
    """

    device: str = DEFAULT_DEVICE
    precision: str = DEFAULT_PRECISION
    beams: int | None = None
    nbest: int = 1
    threads: int | None = None
    workers: int | None = None
    window: int = DEFAULT_WINDOW
    resume: bool = False
    cache: bool = True
    cache_path: Path | None = None
    min_score: float | None = None


@dataclass
class RunReport:
    """What a run did: documents, failures, records written, cache use and time."""

    documents: int = 0
    resumed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)
    filtered: dict[str, int] = field(default_factory=dict)
    route_comparison: dict[str, dict[str, object]] = field(default_factory=dict)
    seconds: float = 0.0


def build_corpus(
    inputs: Iterable[str],
    outdir: str | os.PathLike[str],
    translators: Mapping[str, TargetSpec] | None = None,
    settings: Settings = Settings(),
    *,
    progress: Progress | None = None,
) -> RunReport:
    """Build a parallel corpus from news pages: what the ``translate`` command does.

    Writes, in ``outdir``, the corpus files (``segments.jsonl``, the caption pairs, the
    machine-translation files, ``corpus.tmx``) and ``run.json`` (provenance, counts, failures).
    Nothing is lost: a document that cannot be read is reported and the others are written; a
    model that cannot be loaded is reported and the other targets are translated; every file is
    written atomically; each finished document is saved in ``outdir/.bilingual-state`` until the
    run completes, so ``settings.resume`` finishes an interrupted run without redoing it.

    Args:
        inputs: files, directories (their ``*.txt``, recursively) or ``-`` for standard input.
        outdir: the output directory (created if needed).
        translators: target language -> a model id or opus-mt directory, a
            :class:`~bilingual.Translator`, any object with ``translate(list[str]) ->
            list[str]``, a :class:`~bilingual.Pivot` or :class:`~bilingual.Routes`.  ``None``
            or empty: no machine translation.
        settings: how to build it (device, precision, beams, cache, resume, …).
        progress: called with the number of sentences translated after each batch.

    Returns:
        The run's report (also written to ``run.json``).

    Raises:
        ConfigError: settings that cannot work (an unavailable device, int8 on a GPU, …).
        OutputError: the output directory or the cache cannot be written.

    Example:
        >>> report = build_corpus(["seeds"], "out", {"en": "Helsinki-NLP/opus-mt-fr-en"})
        >>> report.counts["segments"], report.failures
        (93, [])
    """
    started = time.perf_counter()
    outdir = Path(outdir)
    models = {lang: _model_name(spec) for lang, spec in (translators or {}).items()}
    loaded, failures = _load(translators or {}, settings)
    cache = _open_cache(settings, loaded)
    try:
        pipeline = Pipeline(
            loaded,
            window=settings.window,
            generation={"num_beams": settings.beams, "num_return_sequences": settings.nbest},
            progress=progress,
            cache=cache,
        )
        about = {
            "device": settings.device,
            "precision": settings.precision,
            "beams": settings.beams,
            "nbest": settings.nbest,
            "min_score": settings.min_score,
        }
        record = provenance(models, pipeline.routes, about)
        state = _State(outdir / STATE_DIR, json.dumps(record, sort_keys=True))
        if not settings.resume:
            state.clear()
        paths = list(expand_inputs(inputs))
        report = RunReport(documents=len(paths), failures=failures)
        todo = [p for p in paths if not state.done(p)]
        report.resumed = len(paths) - len(todo)
        for document in pipeline.run(todo):
            state.save(document)
    finally:
        if cache is not None:
            cache.close()
    report.route_comparison = pipeline.comparison.report()
    writer = CorpusWriter(outdir, list(pipeline.routes), record, settings.min_score)
    try:
        for path in paths:
            document = state.load(path)
            if document.error is not None:
                report.failures.append({"doc": document.path, "error": document.error})
            else:
                writer.add(document)
    except BaseException:
        writer.abort()
        raise
    report.counts = dict(writer.counts)
    report.filtered = dict(writer.filtered)
    report.cache = {"hits": cache.hits if cache else 0, "misses": cache.misses if cache else 0}
    report.seconds = round(time.perf_counter() - started, 3)
    removed = writer.commit({**record, **report.__dict__})
    if removed:
        log.warning("removed %s: left by an earlier run with other targets", ", ".join(removed))
    state.clear()
    return report


def _model_name(spec: TargetSpec) -> str:
    """The model as the caller named it: the id or path given, or the translator's name (for
    two routes, the one used)."""
    if isinstance(spec, Routes):
        return _model_name(spec.direct if spec.use == "direct" else spec.pivot)
    if isinstance(spec, Pivot):
        return _model_name(spec.model)
    if isinstance(spec, (str, os.PathLike)):
        return os.fspath(spec)
    return as_engine(spec).name


def _load(
    targets: Mapping[str, TargetSpec], settings: Settings
) -> tuple[dict[str, TargetSpec], list[dict[str, str]]]:
    """Each target with its models loaded; a model that cannot be loaded is logged and reported,
    and does not stop the other targets (a pivot through a target that failed fails too)."""

    def load(spec: TranslatorSpec) -> Engine:
        options = {"threads": settings.threads, "workers": settings.workers}
        return as_engine(spec, device=settings.device, precision=settings.precision, **options)

    loaded: dict[str, TargetSpec] = {}
    failures: list[dict[str, str]] = []
    for lang, spec in targets.items():
        try:
            if isinstance(spec, Routes):
                pivot = Pivot(spec.pivot.via, load(spec.pivot.model))
                loaded[lang] = Routes(load(spec.direct), pivot, spec.use)
            elif isinstance(spec, Pivot):
                loaded[lang] = Pivot(spec.via, load(spec.model))
            else:
                loaded[lang] = load(spec)
        except ModelError as e:
            log.warning("no %s translation: %s", lang, e)
            failures.append({"model": _model_name(spec), "error": str(e)})
    for lang, spec in list(loaded.items()):
        via = spec.via if isinstance(spec, Pivot) else None
        if via is not None and via not in loaded:
            del loaded[lang]
            why = f"{lang} pivots through {via}, which has no translation"
            log.warning("no %s translation: %s", lang, why)
            failures.append({"model": _model_name(spec), "error": why})
    return loaded, failures


def _open_cache(settings: Settings, targets: Mapping[str, TargetSpec]) -> TranslationCache | None:
    """The translation cache, when asked for and some engine's output can be cached."""
    engines = [e for spec in targets.values() for e in _engines(spec)]
    if not settings.cache or not any(e.fingerprint for e in engines):
        return None
    return TranslationCache(settings.cache_path or default_cache_path())


def _engines(spec: TargetSpec) -> list[Engine]:
    """The loaded engines of a target (see :func:`_load`)."""
    if isinstance(spec, Routes):
        return [*_engines(spec.direct), *_engines(spec.pivot)]
    if isinstance(spec, Pivot):
        return _engines(spec.model)
    return [spec] if isinstance(spec, Engine) else []


class _State:
    """Finished documents of the current run, one JSON file each, keyed by input and settings."""

    def __init__(self, directory: Path, settings: str) -> None:
        self.directory = directory
        self.settings = settings
        self._memory: dict[str, Document] = {}  # standard input cannot be read twice

    def _file(self, path: str) -> Path:
        stat = Path(path).stat() if path != STDIN and Path(path).is_file() else None
        identity = f"{path}\0{stat and (stat.st_size, stat.st_mtime_ns)}\0{self.settings}"
        return self.directory / f"{hashlib.sha256(identity.encode()).hexdigest()}.json"

    def done(self, path: str) -> bool:
        """Saved without error by an earlier, interrupted run of the same settings."""
        if path == STDIN:
            return False
        saved = self._file(path)
        return (
            saved.exists()
            and document_from_dict(json.loads(saved.read_text("utf-8"))).error is None
        )

    def save(self, document: Document) -> None:
        if document.path == STDIN:
            self._memory[STDIN] = document
            return
        text = json.dumps(document_to_dict(document), ensure_ascii=False)
        write_atomic(self._file(document.path), text)

    def load(self, path: str) -> Document:
        if path == STDIN:
            return self._memory[STDIN]
        return document_from_dict(json.loads(self._file(path).read_text("utf-8")))

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
