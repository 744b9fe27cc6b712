"""Where a run's documents are read, translated and aligned: this process, or a cluster.

A backend loads the translators (a model that cannot be loaded is reported and the other
targets go on), says what the run is (provenance), and gives each input's finished document;
:func:`~bilingual.build_corpus` saves them and writes the corpus files in input order, whichever
backend ran.  :func:`~bilingual.plan.load_targets` and :func:`~bilingual.plan.pipeline_for` are what
every backend builds its pipeline with, so a cluster's documents are the local ones.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Mapping
from typing import Any, Protocol

from .document import Document
from .errors import ConfigError
from .plan import load_targets, pipeline_for, plan_targets
from .routes import TargetSpec
from .run import BackendResult
from .settings import ENGINES, Settings
from .targets import Target
from .translate.base import Progress
from .translate.cache import TranslationCache, disk_full_failure, open_cache

__all__ = ["Backend", "LocalBackend", "backend_for"]

log = logging.getLogger("bilingual")


class Backend(Protocol):
    """Where a run's documents are read, translated and aligned: a context manager, whose end
    releases what it holds (a cluster), however the run ends."""

    record: dict[str, Any]  # provenance: the TMX header, run.json, the resume state's key
    targets: list[str]  # the languages whose models loaded
    ran_on: dict[str, Any]  # what run.json adds about where the run ran (nothing, locally)

    def __enter__(self) -> Backend: ...

    def __exit__(self, *exc: object) -> None: ...

    def documents(self, paths: list[str]) -> Generator[Document, None, None]:
        """Each input's document, finished or with its ``error``, in any order."""
        ...

    def result(self) -> BackendResult:
        """What the run reported, once its documents are done."""
        ...


def backend_for(
    translators: Mapping[str, TargetSpec], settings: Settings, progress: Progress | None
) -> Backend:
    """The backend ``settings.engine`` names, for the run's targets (planned and checked before
    any model loads: :func:`~bilingual.plan.plan_targets`)."""
    if settings.engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, not {settings.engine!r}")
    targets = plan_targets(translators)
    if settings.engine == "ray":
        from .distributed import RayBackend  # the ray extra is imported only for Ray runs

        return RayBackend(targets, settings, progress)
    return LocalBackend(targets, settings, progress)


class LocalBackend:
    """This process: a :class:`Pipeline` over windows of documents, with the translation cache."""

    def __init__(
        self, targets: Mapping[str, Target], settings: Settings, progress: Progress | None
    ) -> None:
        plan = load_targets(targets, settings)
        self.loaded, self.failures, self.record = plan.targets, plan.failures, plan.record
        self.targets = list(self.loaded)
        self.settings = settings
        self.progress = progress
        self.cache = {"hits": 0, "misses": 0}
        self.route_comparison: dict[str, dict[str, object]] = {}
        self.ran_on: dict[str, Any] = {}

    def __enter__(self) -> LocalBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        """Nothing to release: the cache is closed as the documents end."""

    def result(self) -> BackendResult:
        return BackendResult(list(self.failures), dict(self.cache), self.route_comparison)

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


def _open_cache(
    settings: Settings, targets: Mapping[str, Target], failures: list[dict[str, str]]
) -> TranslationCache | None:
    """The translation cache, when asked for and some engine's output can be cached, and when
    it can be opened (else the run goes on without it, with a warning; a full disk is added to
    ``failures`` too)."""
    engines = [e for target in targets.values() for e in target.engines()]
    if not settings.cache or not any(e.fingerprint for e in engines):
        return None
    return open_cache(settings.cache_path, failures)
