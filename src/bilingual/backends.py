"""Where a run's documents are read, translated and aligned: this process, or a cluster.

A backend loads the translators (a model that cannot be loaded is reported and the other
targets go on), says what the run is (provenance), and gives each input's finished document;
:func:`~bilingual.build_corpus` saves them and writes the corpus files in input order, whichever
backend ran.  :func:`load_translators` and :func:`pipeline_for` are what every backend builds
its pipeline with, so a cluster's documents are the local ones.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Generator, Mapping
from typing import Any, Protocol

from .document import Document
from .errors import ConfigError, ModelError
from .pipeline import Pipeline
from .provenance import provenance
from .routes import Pivot, Routes, TargetSpec, plan_routes
from .settings import ENGINES, Settings
from .translate.base import Engine, Progress, TranslatorSpec, as_engine
from .translate.cache import TranslationCache, disk_full_failure, open_cache
from .translate.translator import Translator

__all__ = ["Backend", "LocalBackend", "backend_for", "load_translators", "pipeline_for"]

log = logging.getLogger("bilingual")


class Backend(Protocol):
    """Where a run's documents are read, translated and aligned."""

    record: dict[str, Any]  # provenance: the TMX header, run.json, the resume state's key
    targets: list[str]  # the languages whose models loaded
    failures: list[dict[str, str]]  # the models that could not be loaded
    cache: dict[str, int]  # translation cache hits and misses, once the documents are done
    route_comparison: dict[str, dict[str, object]]  # once the documents are done
    ran_on: dict[str, Any]  # what run.json adds about where the run ran (nothing, locally)

    def documents(self, paths: list[str]) -> Generator[Document, None, None]:
        """Each input's document, finished or with its ``error``, in any order."""
        ...


def backend_for(
    translators: Mapping[str, TargetSpec], settings: Settings, progress: Progress | None
) -> Backend:
    """The backend ``settings.engine`` names."""
    if settings.engine == "ray":
        from .distributed import RayBackend  # the ray extra is imported only for Ray runs

        return RayBackend(translators, settings, progress)
    if settings.engine != "local":
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, not {settings.engine!r}")
    return LocalBackend(translators, settings, progress)


class LocalBackend:
    """This process: a :class:`Pipeline` over windows of documents, with the translation cache."""

    def __init__(
        self,
        translators: Mapping[str, TargetSpec],
        settings: Settings,
        progress: Progress | None,
    ) -> None:
        self.loaded, self.failures, self.record = load_translators(translators, settings)
        self.targets = list(self.loaded)
        self.settings = settings
        self.progress = progress
        self.cache = {"hits": 0, "misses": 0}
        self.route_comparison: dict[str, dict[str, object]] = {}
        self.ran_on: dict[str, Any] = {}

    def documents(self, paths: list[str]) -> Generator[Document, None, None]:
        cache = _open_cache(self.settings, self.loaded, self.failures)
        try:
            pipeline = pipeline_for(self.loaded, self.settings, self.progress, cache)
            yield from pipeline.run(paths)
            self.route_comparison = pipeline.comparison.report()
        finally:
            if cache is not None:
                self.cache = {"hits": cache.hits, "misses": cache.misses}
                cache.close()
                if cache.disk_full:
                    self.failures.append(disk_full_failure(cache.path))


def pipeline_for(
    loaded: Mapping[str, TargetSpec],
    settings: Settings,
    progress: Progress | None = None,
    cache: TranslationCache | None = None,
) -> Pipeline:
    """The pipeline ``settings`` ask for (window, decoding), on every backend."""
    return Pipeline(
        loaded,
        window=settings.window,
        generation=settings.generation(),
        progress=progress,
        cache=cache,
    )


def load_translators(
    translators: Mapping[str, TargetSpec], settings: Settings
) -> tuple[dict[str, TargetSpec], list[dict[str, str]], dict[str, Any]]:
    """Each target with its models loaded, the models that could not be loaded (logged and
    reported; they do not stop the others), and the run's provenance record."""
    models = {lang: _model_name(spec) for lang, spec in translators.items()}
    loaded, failures = _load(translators, settings)
    notes = _drop_unreachable(translators, loaded, failures)
    for lang, spec in translators.items():  # translated by its direct model now, whichever
        if lang in notes and isinstance(spec, Routes):  # route was asked for
            models[lang] = _model_name(spec.direct)
    routes, _ = plan_routes(loaded)
    record = provenance(models, routes, settings.about())
    if notes:  # only then, so that every other run's record (and resume key) is unchanged
        record["route_notes"] = notes
    return loaded, failures, record


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
        engine = as_engine(spec, device=settings.device, precision=settings.precision, **options)
        if isinstance(engine, Translator):  # its generation config is known now: check nbest
            settings.check_model_beams(engine.name, engine.default_beams)
        return engine

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
    return loaded, failures


def _drop_unreachable(
    asked: Mapping[str, TargetSpec], loaded: dict[str, TargetSpec], failures: list[dict[str, str]]
) -> dict[str, str]:
    """Drop the pivots through a target that has no translation (its model failed to load):
    a target with only that pivot fails too; one with a direct model beside it (:class:`Routes`)
    is translated by that model, whichever route was asked for, and gets a note saying why
    (returned, target language -> note, for ``run.json``)."""
    notes: dict[str, str] = {}
    for lang, spec in list(loaded.items()):
        pivot = spec.pivot if isinstance(spec, Routes) else spec
        if not isinstance(pivot, Pivot) or pivot.via in loaded:
            continue
        why = f"{lang} pivots through {pivot.via}, which has no translation"
        if isinstance(spec, Routes):
            loaded[lang], given = spec.direct, asked[lang]
            direct = _model_name(given.direct if isinstance(given, Routes) else spec.direct)
            notes[lang] = (
                f"pivot via {pivot.via} dropped: {pivot.via} has no translation (its model did "
                f"not load), so {lang} is translated directly by {direct} and the routes are "
                "not compared"
            )
            log.warning("%s: %s", lang, notes[lang])
        else:
            del loaded[lang]
            log.warning("no %s translation: %s", lang, why)
            failures.append({"model": _model_name(spec), "error": why})
    return notes


def _open_cache(
    settings: Settings, targets: Mapping[str, TargetSpec], failures: list[dict[str, str]]
) -> TranslationCache | None:
    """The translation cache, when asked for and some engine's output can be cached, and when
    it can be opened (else the run goes on without it, with a warning; a full disk is added to
    ``failures`` too)."""
    engines = [e for spec in targets.values() for e in _engines(spec)]
    if not settings.cache or not any(e.fingerprint for e in engines):
        return None
    return open_cache(settings.cache_path, failures)


def _engines(spec: TargetSpec) -> list[Engine]:
    """The loaded engines of a target (see :func:`_load`)."""
    if isinstance(spec, Routes):
        return [*_engines(spec.direct), *_engines(spec.pivot)]
    if isinstance(spec, Pivot):
        return _engines(spec.model)
    return [spec] if isinstance(spec, Engine) else []
