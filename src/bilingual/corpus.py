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
from collections.abc import Generator, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .document import Document, document_from_dict, document_to_dict
from .errors import ConfigError, ModelError
from .pipeline import DEFAULT_WINDOW, Pipeline, expand_inputs
from .provenance import provenance
from .read import STDIN
from .translate.base import Engine, Progress, TranslatorSpec, as_engine
from .translate.cache import TranslationCache, default_cache_path
from .translate.devices import DEFAULT_DEVICE, DEFAULT_PRECISION
from .write import CorpusWriter, write_atomic

__all__ = [
    "ENGINES",
    "STATE_DIR",
    "Backend",
    "RunReport",
    "Settings",
    "build_corpus",
    "load_translators",
    "pipeline_for",
]

STATE_DIR = ".bilingual-state"
# Where documents are processed: in this process, or on a Ray cluster (the ``ray`` extra).
ENGINES = ("local", "ray")
log = logging.getLogger("bilingual")


@dataclass(frozen=True)
class Settings:
    """How a corpus is built: the one object the command's flags become.

    Attributes:
        device: ``auto``, ``cpu``, ``cuda`` or ``mps``, for models given as ids or paths.
        precision: ``fp32``, ``int8`` (CPU), ``fp16`` or ``bf16`` (GPU), likewise.
        beams: beam width; 1 is greedy decoding.
        threads: torch threads per model (``None``: torch's default).
        workers: batches decoded at once on CPU (``None``: 2 with 2 threads or more).
        window: French sentences read ahead and translated together.
        resume: reuse the documents an interrupted run with the same settings finished.
        cache: look translations up in, and store them to, a translation cache.
        cache_path: the cache's file (``None``: ``~/.cache/bilingual/translations.sqlite``).
        engine: ``local`` (this process) or ``ray`` (a Ray cluster; the ``ray`` extra).
        ray_address: the Ray cluster to join (``None``: ``RAY_ADDRESS``, else a local one).
        actors: translation actors on the cluster, each with its own copy of the models.
        gpus_per_actor: GPUs each translation actor takes (0: CPU actors, ``threads`` each).
    """

    device: str = DEFAULT_DEVICE
    precision: str = DEFAULT_PRECISION
    beams: int = 1
    threads: int | None = None
    workers: int | None = None
    window: int = DEFAULT_WINDOW
    resume: bool = False
    cache: bool = True
    cache_path: Path | None = None
    engine: str = "local"
    ray_address: str | None = None
    actors: int = 1
    gpus_per_actor: float = 0.0


@dataclass
class RunReport:
    """What a run did: documents, failures, records written, cache use and time."""

    documents: int = 0
    resumed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def build_corpus(
    inputs: Iterable[str],
    outdir: str | os.PathLike[str],
    translators: Mapping[str, TranslatorSpec] | None = None,
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
            :class:`~bilingual.Translator`, or any object with ``translate(list[str]) ->
            list[str]``.  ``None`` or empty: no machine translation.
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
    backend = _backend(translators or {}, settings, progress)
    state = _State(outdir / STATE_DIR, json.dumps(backend.record, sort_keys=True))
    if not settings.resume:
        state.clear()
    paths = list(expand_inputs(inputs))
    report = RunReport(documents=len(paths), failures=list(backend.failures))
    todo = [p for p in paths if not state.done(p)]
    report.resumed = len(paths) - len(todo)
    with closing(backend.documents(todo)) as documents:  # a backend's resources end with it
        for document in documents:
            state.save(document)
    writer = CorpusWriter(outdir, backend.targets, backend.record)
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
    report.cache = dict(backend.cache)
    report.seconds = round(time.perf_counter() - started, 3)
    removed = writer.commit({**backend.record, **report.__dict__, **backend.ran_on})
    if removed:
        log.warning("removed %s: left by an earlier run with other targets", ", ".join(removed))
    state.clear()
    return report


class Backend(Protocol):
    """Where a run's documents are read, translated and aligned: this process or a cluster.

    Both give the same documents; :func:`build_corpus` saves them as they come and writes the
    corpus files from the saved documents, in input order, whichever backend ran.
    """

    record: dict[str, Any]  # provenance: the TMX header, run.json, the resume state's key
    targets: list[str]  # the languages whose models loaded
    failures: list[dict[str, str]]  # the models that could not be loaded
    cache: dict[str, int]  # translation cache hits and misses, once the documents are done
    ran_on: dict[str, Any]  # what run.json adds about where the run ran (nothing, locally)

    def documents(self, paths: list[str]) -> Generator[Document, None, None]:
        """Each input's document, finished or with its ``error``, in any order."""
        ...


def _backend(
    translators: Mapping[str, TranslatorSpec], settings: Settings, progress: Progress | None
) -> Backend:
    if settings.engine == "ray":
        from .distributed import RayBackend  # the ray extra is imported only for Ray runs

        return RayBackend(translators, settings, progress)
    if settings.engine != "local":
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, not {settings.engine!r}")
    return _LocalBackend(translators, settings, progress)


class _LocalBackend:
    """This process: a :class:`Pipeline` over windows of documents, with the translation cache."""

    def __init__(
        self,
        translators: Mapping[str, TranslatorSpec],
        settings: Settings,
        progress: Progress | None,
    ) -> None:
        self.engines, self.failures, self.record = load_translators(translators, settings)
        self.targets = list(self.engines)
        self.settings = settings
        self.progress = progress
        self.cache = {"hits": 0, "misses": 0}
        self.ran_on: dict[str, Any] = {}

    def documents(self, paths: list[str]) -> Generator[Document, None, None]:
        cache = _open_cache(self.settings, self.engines)
        try:
            yield from pipeline_for(self.engines, self.settings, self.progress, cache).run(paths)
        finally:
            if cache is not None:
                self.cache = {"hits": cache.hits, "misses": cache.misses}
                cache.close()


def pipeline_for(
    engines: Mapping[str, Engine],
    settings: Settings,
    progress: Progress | None = None,
    cache: TranslationCache | None = None,
) -> Pipeline:
    """The pipeline ``settings`` ask for (window, decoding), on every backend."""
    generation = {"num_beams": settings.beams}
    return Pipeline(
        engines, window=settings.window, generation=generation, progress=progress, cache=cache
    )


def load_translators(
    translators: Mapping[str, TranslatorSpec], settings: Settings
) -> tuple[dict[str, Engine], list[dict[str, str]], dict[str, Any]]:
    """An engine per target language, the models that could not be loaded (logged and reported;
    they do not stop the others), and the run's provenance record."""
    models = {lang: _model_name(spec) for lang, spec in translators.items()}
    engines, failures = _load(translators, settings)
    about = {"device": settings.device, "precision": settings.precision, "beams": settings.beams}
    return engines, failures, provenance(models, engines, about)


def _model_name(spec: TranslatorSpec) -> str:
    """The model as the caller named it: the id or path given, or the translator's name."""
    if isinstance(spec, (str, os.PathLike)):
        return os.fspath(spec)
    return as_engine(spec).name


def _load(
    translators: Mapping[str, TranslatorSpec], settings: Settings
) -> tuple[dict[str, Engine], list[dict[str, str]]]:
    """An engine per target language; a model that cannot be loaded is logged and reported, and
    does not stop the others."""
    engines: dict[str, Engine] = {}
    failures: list[dict[str, str]] = []
    for lang, spec in translators.items():
        try:
            engines[lang] = as_engine(
                spec,
                device=settings.device,
                precision=settings.precision,
                threads=settings.threads,
                workers=settings.workers,
            )
        except ModelError as e:
            log.warning("no %s translation: %s", lang, e)
            failures.append({"model": _model_name(spec), "error": str(e)})
    return engines, failures


def _open_cache(settings: Settings, engines: Mapping[str, Engine]) -> TranslationCache | None:
    """The translation cache, when asked for and some engine's output can be cached."""
    if not settings.cache or not any(e.fingerprint for e in engines.values()):
        return None
    return TranslationCache(settings.cache_path or default_cache_path())


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
