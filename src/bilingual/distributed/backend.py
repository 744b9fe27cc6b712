"""A Ray build: the run planned on the cluster, its documents streamed back to the driver.

Ray Data runs one row per document through :func:`~bilingual.pipeline.prepare` (tasks), then the
pipeline's stages (:meth:`~bilingual.Pipeline.stages`) in an actor pool that loads each model once
and translates the French sentences of a batch of documents in shared batches (without
translation, in tasks).  The route comparison's tallies come back with the documents.  Documents
come back to the driver in any order; :func:`~bilingual.build_corpus` saves each as it comes and
writes the corpus files in input order, exactly as after a local run.

Fault tolerance is Ray's: a translation actor that dies is restarted, and the batch it was
translating is given to an actor again (its results were never returned, so no document comes
back twice); a task that dies is retried.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import pickle
from collections.abc import Generator, Mapping
from contextlib import ExitStack, closing
from typing import Any

from ..align import Aligner
from ..document import Document
from ..errors import BilingualError, ConfigError
from ..pipeline import check_compared
from ..plan import load_targets
from ..read import STDIN
from ..routes import Tally
from ..run import BackendResult
from ..settings import Settings
from ..targets import Target
from ..translate.base import Progress
from .cluster import connected, import_ray, quiet_data
from .stages import Translate, decode, prepare_row, process_row, tally_of

__all__ = ["DOCUMENTS_PER_BATCH", "RayBackend"]

log = logging.getLogger("bilingual")

# Documents an actor translates together, in shared batches: about a local run's window of 1,024
# sentences at ~30 sentences a page, so that batches fill and a sentence repeated across pages is
# translated once per call; and as many documents per reading task.
DOCUMENTS_PER_BATCH = 32


class RayBackend:
    """The documents of a run, processed on a Ray cluster (a :class:`~bilingual.backends.Backend`).

    Joins the cluster (``settings.ray_address``, ``RAY_ADDRESS`` or a new local one) and plans the
    run there: one task loads the models as the actors will, to report a model that cannot be
    loaded, as a local run does, and to record what each one is exactly.

    Args:
        translators: target language -> its :class:`~bilingual.targets.Target`: model ids or
            directories (loaded in each actor), or translator objects, pickled and sent to each
            actor.  Both routes of a target are compared as locally.
        settings: ``actors``, ``gpus_per_actor`` and ``threads`` (CPUs and torch threads per CPU
            actor, 1 by default) size the pool; the rest as for a local run.
        progress: called on the driver, as each document comes back, with its sentence count
            times the number of targets.

    Raises:
        ConfigError: Ray is not installed, the cluster cannot be joined, a bad pool size, a
            translator object that cannot be pickled, or routes compared for a target other
            than the captions' language.
    """

    def __init__(
        self,
        translators: Mapping[str, Target],
        settings: Settings,
        progress: Progress | None = None,
    ) -> None:
        import_ray()  # first: without the extra, say how to install it and nothing else
        check_compared([lang for lang, t in translators.items() if t.compared], Aligner().target)
        _check_pool(settings)
        _check_picklable(translators)
        self.threads = settings.threads or 1
        self.settings = dataclasses.replace(settings, threads=self.threads)
        self.progress = progress
        self.cache = {"hits": 0, "misses": 0}  # actors have no shared translation cache
        self.route_comparison: dict[str, dict[str, object]] = {}
        self.ran_on: dict[str, Any] = {
            "engine": "ray",
            "actors": settings.actors,
            "gpus_per_actor": settings.gpus_per_actor,
            "threads_per_actor": self.threads,
        }
        self._cluster = ExitStack()
        self.ray = self._cluster.enter_context(connected(settings.ray_address))
        try:
            plan = self.ray.remote(load_plan).options(num_gpus=settings.gpus_per_actor)
            self.record, self.translators, self.failures = self.ray.get(
                plan.remote(translators, self.settings)
            )
        except BaseException as e:
            self._cluster.close()
            if isinstance(e, self.ray.exceptions.RayTaskError) and isinstance(
                e.cause, BilingualError
            ):  # a settings error found as the models load: its message, not the task's trace
                raise e.cause from None
            raise
        for failure in self.failures:
            log.warning("no translation with %s: %s", failure["model"], failure["error"])
        self.targets = list(self.translators)
        compared = {lang: t.route for lang, t in self.translators.items() if t.compared}
        self.tally = Tally.empty(compared)

    def __enter__(self) -> RayBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        """Leave the cluster (stopping a local one), if the documents have not already."""
        self._cluster.close()

    def result(self) -> BackendResult:
        return BackendResult(list(self.failures), dict(self.cache), self.route_comparison)

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
                        self.progress(translatable * len(self.targets))
                    yield document
            self.route_comparison = self.tally.report()
        finally:
            self._cluster.close()

    def _dataset(self, paths: list[str]) -> Any:
        """The stages, as a lazy Ray dataset of rows (see :mod:`.stages`)."""
        data = self.ray.data
        blocks = math.ceil(len(paths) / DOCUMENTS_PER_BATCH)
        # Reading and alignment are light next to translation: they reserve no CPU, so that a pool
        # that takes every core cannot starve them, and run at most as many at once as actors.
        light = {"num_cpus": 0, "compute": data.TaskPoolStrategy(size=self.settings.actors)}
        dataset = data.from_items([{"path": p} for p in paths], override_num_blocks=blocks)
        dataset = dataset.map(prepare_row, **light)
        if self.translators:
            gpus = self.settings.gpus_per_actor
            dataset = dataset.map_batches(
                Translate,
                fn_constructor_kwargs={"translators": self.translators, "settings": self.settings},
                batch_size=DOCUMENTS_PER_BATCH,
                batch_format="numpy",
                compute=data.ActorPoolStrategy(size=self.settings.actors),
                num_cpus=1 if gpus else self.threads,
                num_gpus=gpus or None,
            )  # which align too, where the models are (model_score)
            return dataset
        return dataset.map(process_row, **light)


def load_plan(
    translators: Mapping[str, Target], settings: Settings
) -> tuple[dict[str, Any], dict[str, Target], list[dict[str, str]]]:
    """On the cluster: the run's provenance, the targets that load there as the actors are to
    load them (not loaded: the engines stay here), and the models that do not load."""
    plan = load_targets(translators, settings)
    return plan.record, plan.planned, plan.failures


def _check_pool(settings: Settings) -> None:
    if settings.actors < 1:
        raise ConfigError(f"actors must be at least 1, not {settings.actors}")
    if settings.gpus_per_actor < 0:
        raise ConfigError(f"gpus_per_actor must be 0 or more, not {settings.gpus_per_actor}")


def _check_picklable(translators: Mapping[str, Target]) -> None:
    """A translator object travels to the actors pickled; say so now if it cannot."""
    from ray import cloudpickle

    for lang, target in translators.items():
        for spec in target.models:
            if isinstance(spec, (str, os.PathLike)):
                continue
            try:
                cloudpickle.dumps(spec)
            except (pickle.PicklingError, TypeError, AttributeError) as e:
                raise ConfigError(
                    f"the {lang} translator {spec!r} cannot be sent to the Ray actors ({e}): "
                    "pass its model id or directory instead, which each actor loads itself"
                ) from e
