"""Where the pipeline's steps run: this process, or a Ray cluster.

An executor is a context manager over one run.  Entering it loads the run where it translates
(:func:`~bilingual.load_run`; on Ray, :func:`~bilingual.loading.survey_run` records the same on the
driver without loading weights, and each actor loads the models); :meth:`Executor.documents`
gives each input's finished document; closing it releases what it holds (the cache, a cluster)
and makes its :class:`Stats`, the one object that says what the run did beyond its documents.
:func:`~bilingual.build_corpus` saves the documents and writes the corpus files in input order,
whichever executor ran, so a cluster's files are the local ones.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Protocol

from .config import Config
from .document import Document
from .loading import LoadedRun, Provenance, load_run
from .pipeline import Pipeline
from .translate.base import Progress

__all__ = ["Executor", "LocalExecutor", "Stats", "StatsOnClose"]


@dataclass
class Stats:
    """What a run did, besides its documents: valid once its executor is closed.

    Attributes:
        failures: the models that could not be loaded, and a cache on a full disk.
        cache: translation cache ``hits`` and ``misses``.
        route_comparison: per compared target, the routes' measures
            (:meth:`~bilingual.targets.RouteComparison.report`).
        ran_on: what ``run.json`` says of where the run ran (nothing, locally).
    """

    failures: list[dict[str, str]] = field(default_factory=list)
    cache: dict[str, int] = field(default_factory=lambda: {"hits": 0, "misses": 0})
    route_comparison: dict[str, dict[str, object]] = field(default_factory=dict)
    ran_on: dict[str, Any] = field(default_factory=dict)


class Executor(Protocol):
    """Where a run's documents are read, translated and aligned (see the module's description).

    Attributes (once entered):
        provenance: what produces the corpus (the TMX header, ``run.json``, the resume key).
        languages: the languages whose models loaded.
    """

    provenance: Provenance
    languages: list[str]

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...

    def documents(self, paths: list[str]) -> Generator[Document, None, None]:
        """Each input's document, finished or with its ``error``, in any order."""
        ...

    @property
    def stats(self) -> Stats:
        """What the run did (see :class:`Stats`).

        Raises:
            RuntimeError: the executor is not closed yet.
        """
        ...


class StatsOnClose:
    """What every executor shares: its :class:`Stats`, known once it is closed."""

    _stats: Stats | None = None

    @property
    def stats(self) -> Stats:
        if self._stats is None:
            raise RuntimeError("an executor's stats are known once it is closed")
        return self._stats


class LocalExecutor(StatsOnClose):
    """This process: the pipeline over windows of documents, with the translation cache."""

    def __init__(self, config: Config, progress: Progress | None = None) -> None:
        self.config, self.progress = config, progress
        self._run: LoadedRun | None = None
        self._comparison: dict[str, dict[str, object]] = {}

    def __enter__(self) -> LocalExecutor:
        self._run = load_run(self.config)
        self.provenance, self.languages = self._run.provenance, self._run.languages
        return self

    def __exit__(self, *exc: object) -> None:
        if self._run is not None:
            self._run.close()
            self._stats = Stats(
                list(self._run.failures), dict(self._run.cache_use), self._comparison
            )
            self._run = None

    def documents(self, paths: list[str]) -> Generator[Document, None, None]:
        assert self._run is not None, "enter the executor first"
        pipeline = Pipeline(self._run, progress=self.progress)
        yield from pipeline.run(paths)
        self._comparison = pipeline.comparison.report()
