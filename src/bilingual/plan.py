"""The run plan: every target checked before any model loads, then loaded, with provenance.

:func:`plan_targets` turns the caller's targets into :class:`~bilingual.targets.Target` objects
and checks their routes: a run that cannot work fails here, before a model loads.
:func:`load_targets` loads them as each backend does (locally, or on the cluster and in each Ray
actor): a model that cannot be loaded is logged and reported and its target drops out; a target
that can still be reached another way (a direct model beside a pivot whose source failed) is
translated that way, with a note in ``run.json``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ModelError
from .pipeline import Pipeline
from .provenance import provenance
from .routes import TargetSpec
from .settings import Settings
from .targets import Target, check_routes, plan_routes
from .translate.base import Engine, Progress, TranslatorSpec
from .translate.cache import TranslationCache
from .translate.spec import as_engine
from .translate.translator import Translator

__all__ = ["RunPlan", "load_targets", "pipeline_for", "plan_targets"]

log = logging.getLogger("bilingual")


@dataclass
class RunPlan:
    """The loaded targets of a run.

    Attributes:
        targets: target language -> its target, models loaded (those that failed left out).
        failures: ``{"model", "error"}`` for each model that could not be loaded, and each target
            that could not be reached without it.
        record: the run's provenance (the TMX header, ``run.json``, the resume state's key).
        planned: ``targets`` as they were given, models not loaded (what a Ray actor loads).
    """

    targets: dict[str, Target]
    failures: list[dict[str, str]]
    record: dict[str, Any]
    planned: dict[str, Target]


def plan_targets(translators: Mapping[str, TargetSpec | Target]) -> dict[str, Target]:
    """Each target as a :class:`Target`, its routes checked (no model is loaded).

    Raises:
        ConfigError: a pivot through a target that is not translated directly.
    """
    targets = {lang: Target.of(lang, spec) for lang, spec in translators.items()}
    check_routes(targets)
    return targets


def load_targets(targets: Mapping[str, Target], settings: Settings) -> RunPlan:
    """The targets with their models loaded (see the module's description).

    Raises:
        ConfigError: ``settings.nbest`` beyond a model's own beams.
    """
    models = {lang: target.name for lang, target in targets.items()}
    loaded, failures = _load(targets, settings)
    notes = _drop_unreachable(targets, loaded, failures)
    for lang in notes:  # translated by its direct model now, whichever route was asked for
        models[lang] = targets[lang].direct_only().name
    routes, _ = plan_routes(loaded)
    record = provenance(models, routes, settings.about())
    if notes:  # only then, so that every other run's record (and resume key) is unchanged
        record["route_notes"] = notes
    planned = {
        lang: targets[lang].direct_only() if lang in notes else targets[lang] for lang in loaded
    }
    return RunPlan(loaded, failures, record, planned)


def _load(
    targets: Mapping[str, Target], settings: Settings
) -> tuple[dict[str, Target], list[dict[str, str]]]:
    def load(spec: TranslatorSpec) -> Engine:
        options = {"threads": settings.threads, "workers": settings.workers}
        engine = as_engine(spec, device=settings.device, precision=settings.precision, **options)
        if isinstance(engine, Translator):  # its generation config is known now: check nbest
            settings.check_model_beams(engine.name, engine.default_beams)
        return engine

    loaded: dict[str, Target] = {}
    failures: list[dict[str, str]] = []
    for lang, target in targets.items():
        try:
            loaded[lang] = target.load(load)
        except ModelError as e:
            log.warning("no %s translation: %s", lang, e)
            failures.append({"model": target.name, "error": str(e)})
    return loaded, failures


def _drop_unreachable(
    asked: Mapping[str, Target], loaded: dict[str, Target], failures: list[dict[str, str]]
) -> dict[str, str]:
    """Drop the pivots through a target that has no translation (its model failed to load): a
    target with only that pivot fails too; one with a direct model beside it is translated by
    that model, whichever route was asked for, and gets a note saying why (returned, target
    language -> note, for ``run.json``)."""
    notes: dict[str, str] = {}
    for lang, target in list(loaded.items()):
        if target.pivot is None or target.pivot.via in loaded:
            continue
        via = target.pivot.via
        if target.direct is not None:
            loaded[lang] = target.direct_only()
            direct = asked[lang].direct_only().name
            notes[lang] = (
                f"pivot via {via} dropped: {via} has no translation (its model did not load), "
                f"so {lang} is translated directly by {direct} and the routes are not compared"
            )
            log.warning("%s: %s", lang, notes[lang])
        else:
            del loaded[lang]
            why = f"{lang} pivots through {via}, which has no translation"
            log.warning("no %s translation: %s", lang, why)
            failures.append({"model": target.name, "error": why})
    return notes


def pipeline_for(
    loaded: Mapping[str, Target],
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
