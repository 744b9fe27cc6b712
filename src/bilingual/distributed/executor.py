"""A Ray run: planned on the driver, its documents streamed back from the cluster.

Ray Data runs one row per document through the pipeline's first step, prepare (tasks), then its
other steps (:meth:`~bilingual.Pipeline.steps`) in an actor pool where each actor loads the run
once (:func:`~bilingual.load_run`) and translates the French sentences of a batch of documents in
shared batches (without translation, in tasks).  The driver loads no weights: it finds and
fingerprints the models (:func:`~bilingual.loading.survey_run`) for the run's provenance and its
failures.  The route comparison's tallies come back with the documents.  Documents come back to
the driver in any order; :func:`~bilingual.build_corpus` saves each as it comes and writes the
corpus files in input order, exactly as after a local run.

Fault tolerance is Ray's: a translation actor that dies is restarted, and the batch it was
translating is given to an actor again (its results were never returned, so no document comes
back twice); a task that dies is retried.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from contextlib import ExitStack, closing
from typing import Any

from ..config import Config
from ..document import Document
from ..errors import ConfigError
from ..executors import Stats, StatsOnClose
from ..loading import survey_run
from ..read import STDIN
from ..targets import Tally
from ..translate.base import Progress
from .cluster import connected, quiet_data
from .stages import ModelSteps, decode, prepare_row, process_row, tally_of

__all__ = ["DOCUMENTS_PER_BATCH", "RayExecutor"]

# Documents an actor translates together, in shared batches: about a local run's window of 1,024
# sentences at ~30 sentences a page, so that batches fill and a sentence repeated across pages is
# translated once per call; and as many documents per reading task.
DOCUMENTS_PER_BATCH = 32


class RayExecutor(StatsOnClose):
    """The documents of a run, processed on a Ray cluster (an
    :class:`~bilingual.executors.Executor`).

    Entering joins the cluster (``settings.ray_address``, ``RAY_ADDRESS`` or a new local one) and
    plans the run on the driver; closing leaves it.

    Args:
        config: the checked run.  Model ids and directories are loaded in each actor; translator
            objects are pickled and sent to each actor.  ``actors``, ``gpus_per_actor`` and
            ``threads`` (CPUs and torch threads per CPU actor, 1 by default) size the pool.
        progress: called on the driver, as each document comes back, with its sentence count
            times the number of targets.

    Raises:
        ConfigError: the cluster cannot be joined.
    """

    def __init__(self, config: Config, progress: Progress | None = None) -> None:
        s = config.settings
        self.threads = s.threads or 1
        self.actors = s.actors or 1
        self.gpus = s.gpus_per_actor or 0.0
        self.config = config.replace(threads=self.threads)
        self.progress = progress
        self.ran_on: dict[str, Any] = {
            "engine": "ray",
            "actors": self.actors,
            "gpus_per_actor": self.gpus,
            "threads_per_actor": self.threads,
        }
        self._cluster = ExitStack()
        self._comparison: dict[str, dict[str, object]] = {}

    def __enter__(self) -> RayExecutor:
        self.ray = self._cluster.enter_context(connected(self.config.settings.ray_address))
        self.planned, self.provenance, self.failures = survey_run(self.config)
        self.languages = list(self.planned.targets)
        compared = {lang: t.route for lang, t in self.planned.targets.items() if t.compared}
        self.tally = Tally.empty(compared)
        return self

    def __exit__(self, *exc: object) -> None:
        """Leave the cluster (stopping a local one), if the documents have not already."""
        self._cluster.close()
        if self._stats is None:
            failures = list(getattr(self, "failures", []))
            # Actors keep no shared translation cache.
            self._stats = Stats(failures, {"hits": 0, "misses": 0}, self._comparison, self.ran_on)

    def documents(self, paths: list[str]) -> Generator[Document, None, None]:
        """Each input's document, finished or with its error, as it comes back from the cluster.

        Raises:
            ConfigError: standard input among the inputs (the cluster cannot read it).
        """
        try:
            if STDIN in paths:
                raise ConfigError("a Ray run cannot read standard input: save it to a file")
            if not paths:
                return
            # Closing the rows stops the cluster's work at once when the caller stops early.
            with quiet_data(), closing(iter(self._dataset(paths).iter_rows())) as rows:
                for row in rows:
                    tally = tally_of(row)
                    if tally is not None:
                        self.tally.merge(tally)
                    document = decode(row["document"])
                    if self.progress is not None:
                        translatable = sum(1 for s in document.segments if s.translatable)
                        self.progress(translatable * len(self.languages))
                    yield document
            self._comparison = self.tally.report()
        finally:
            self._cluster.close()

    def _dataset(self, paths: list[str]) -> Any:
        """The steps, as a lazy Ray dataset of rows (see :mod:`.stages`)."""
        data = self.ray.data
        blocks = math.ceil(len(paths) / DOCUMENTS_PER_BATCH)
        # Reading and alignment are light next to translation: they reserve no CPU, so that a pool
        # that takes every core cannot starve them, and run at most as many at once as actors.
        light = {"num_cpus": 0, "compute": data.TaskPoolStrategy(size=self.actors)}
        dataset = data.from_items([{"path": p} for p in paths], override_num_blocks=blocks)
        dataset = dataset.map(prepare_row, **light)
        if self.languages:
            dataset = dataset.map_batches(
                ModelSteps,
                fn_constructor_kwargs={"config": self.planned},
                batch_size=DOCUMENTS_PER_BATCH,
                batch_format="numpy",
                compute=data.ActorPoolStrategy(size=self.actors),
                num_cpus=1 if self.gpus else self.threads,
                num_gpus=self.gpus or None,
            )  # which align too, where the models are (model_score)
            return dataset
        return dataset.map(process_row, **light)
