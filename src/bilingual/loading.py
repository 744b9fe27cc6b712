"""A run, built once: :func:`load_run` turns a checked :class:`~bilingual.Config` into a
:class:`LoadedRun`, the only place a model loads (a local run, each Ray actor and line mode alike).

A model that cannot be loaded is logged and recorded as a failure, and its target drops out; a
target still reachable another way (a direct model beside a pivot whose source failed) is
translated that way, with a note in ``run.json``.  :func:`survey_run` records the same, on a Ray
run's driver, without loading weights: the models are found and fingerprinted, and loaded only
where they translate.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .config import CAPTIONS, Config
from .errors import ModelError
from .targets import Pivot, Pivoting, Route, Target, model_name
from .translate.base import Engine, Scorer, TranslatorSpec
from .translate.cache import TranslationCache, cached, cached_scorer, disk_full_failure, open_cache
from .translate.hub import fingerprint, model_revision, resolve_model
from .translate.spec import as_engine
from .write.origin import Origin

__all__ = ["VERSION", "LoadedRun", "Provenance", "load_engine", "load_run", "survey_run"]

log = logging.getLogger("bilingual")

# The packages whose versions change what a corpus contains.
PACKAGES = ("bilingual", "torch", "transformers", "sentencepiece", "nltk")


def _installed(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


# bilingual's own version: pyproject.toml's, as installed (``bilingual.__version__``).
VERSION = _installed("bilingual")


@dataclass(frozen=True)
class Provenance:
    """What produced a corpus (sacrebleu's idea of a signature), for the TMX header, the rows'
    origins and ``run.json``.

    Attributes:
        models: target language -> the model as the caller named it (loaded or not).
        revisions: target language -> what each translating model is exactly
            (``id@revision:precision``, or its name), with ``<L`` for a pivot through ``L``.
        routes: target language -> ``direct`` or ``pivot via L``, in translation order.
        settings: the settings that shape the output (:meth:`~bilingual.Settings.about`).
        notes: target language -> why its route changed (a pivot dropped), when one did.
    """

    models: Mapping[str, str]
    revisions: Mapping[str, str]
    routes: Mapping[str, str]
    settings: Mapping[str, object]
    notes: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The record as ``run.json`` and the TMX header hold it (``route_notes`` only when a
        route changed, so that every other run's record, and resume key, stays the same)."""
        record: dict[str, Any] = {
            "version": VERSION,
            "models": dict(self.models),
            "model_revisions": dict(self.revisions),
            "routes": dict(self.routes),
            **self.settings,
            "mt": bool(self.models),
            "versions": {package: _installed(package) for package in PACKAGES},
        }
        if self.notes:
            record["route_notes"] = dict(self.notes)
        return record

    def origins(self, targets: list[str]) -> dict[str, Origin]:
        """Who made each target's machine translations, as each corpus row says it."""
        return {
            lang: Origin("mt", self.revisions.get(lang) or self.models.get(lang) or "",
                         self.routes.get(lang, ""))
            for lang in targets
        }  # fmt: skip

    def key(self) -> str:
        """The record as one string: what a resumed run must share with the one it resumes."""
        return json.dumps(self.to_json(), sort_keys=True)


@dataclass
class LoadedRun:
    """A run with its models loaded: what the pipeline's steps translate, score and compare with.

    Attributes:
        config: the run, as described (its targets less the ones that failed to load).
        routes: target language -> the route that translates it, engines behind the cache, in
            an order where a pivot comes after the target it goes through.
        others: for targets given both routes, the route not used (compared on the captions).
        plain: ``routes`` with their engines as loaded (not behind the cache).
        failures: ``{"model", "error"}`` for each model that could not be loaded and each target
            unreachable without it; a cache on a full disk once closed.
        provenance: what produced the corpus.
        cache: the translation cache (``None``: none asked for, or none could be opened).
    """

    config: Config
    routes: dict[str, Route]
    others: dict[str, Route]
    plain: dict[str, Route]
    failures: list[dict[str, str]]
    provenance: Provenance
    cache: TranslationCache | None = None
    cache_use: dict[str, int] = field(default_factory=lambda: {"hits": 0, "misses": 0})

    @property
    def languages(self) -> list[str]:
        """The languages translated (their models loaded), in the order asked for."""
        return list(self.config.targets)

    def scorer(self, lang: str = CAPTIONS) -> Scorer | None:
        """The direct model into ``lang`` (used or compared), behind the cache, when it scores:
        for the captions' language, each caption pair's ``model_score``."""
        for found in (self.plain, self.others):
            route = found.get(lang)
            if route is not None and route.via is None and isinstance(route.engine, Scorer):
                return cached_scorer(route.engine, self.cache)
        return None

    def close(self) -> None:
        """Close the cache, counting its use (and a full disk among the failures)."""
        if self.cache is not None:
            self.cache_use = {"hits": self.cache.hits, "misses": self.cache.misses}
            self.cache.close()
            if self.cache.disk_full:
                self.failures.append(disk_full_failure(self.cache.path))
            self.cache = None

    def __enter__(self) -> LoadedRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_engine(spec: TranslatorSpec, config: Config) -> Engine:
    """The engine of one model, loaded with the run's device, precision, threads and workers.

    Raises:
        ModelError: the model cannot be found or loaded.
    """
    s = config.settings
    return as_engine(
        spec, device=s.device, precision=s.precision, threads=s.threads, workers=s.workers
    )


def load_run(config: Config, *, cache: bool = True) -> LoadedRun:
    """The run with its models loaded, the cache opened around them (``settings.cache`` and
    ``cache``, where some engine's output has an identity) and the routes in order (see the
    module's description)."""
    loaded, failures = _each_target(config, lambda spec: load_engine(spec, config))
    planned, provenance, used, others = _settle(config, loaded, failures)
    engines = [r.engine for r in (*used.values(), *others.values())]
    opened = None
    if cache and config.settings.cache and any(e.fingerprint for e in engines):
        opened = open_cache(config.settings.cache_path, failures)
    routes = {lang: Route(cached(r.engine, opened), r.via) for lang, r in used.items()}
    return LoadedRun(planned, routes, others, used, failures, provenance, opened)


def survey_run(config: Config) -> tuple[Config, Provenance, list[dict[str, str]]]:
    """What :func:`load_run` would record, without loading weights (a Ray run's driver): the run
    as the actors are to load it, its provenance, and the models that cannot be found."""

    def found(spec: TranslatorSpec) -> Any:
        if isinstance(spec, (str, os.PathLike)):
            path = resolve_model(spec).path
            return _Found(model_name(spec), model_revision(path), config.settings.precision)
        return as_engine(spec)

    loaded, failures = _each_target(config, found)
    planned, provenance, _, _ = _settle(config, loaded, failures)
    return planned, provenance, failures


@dataclass(frozen=True)
class _Found:
    """A model found but not loaded: its identity, as the loaded :class:`Translator` gives it."""

    name: str
    revision: str
    precision: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.name, self.revision, self.precision)


def _each_target(
    config: Config, load: Callable[[TranslatorSpec], Any]
) -> tuple[dict[str, Target], list[dict[str, str]]]:
    """Each target with its models through ``load`` (the pivot's first: an engine, or a model
    :func:`survey_run` found, which names itself as the engine it would load would); a model
    that fails is a failure and its target drops out."""
    loaded: dict[str, Target] = {}
    failures: list[dict[str, str]] = []
    for lang, target in config.targets.items():
        try:
            pivot = target.pivot and Pivot(target.pivot.via, load(target.pivot.model))
            direct = None if target.direct is None else load(target.direct)
            loaded[lang] = replace(target, direct=direct, pivot=pivot)
        except ModelError as e:
            log.warning("no %s translation: %s", lang, e)
            failures.append({"model": target.name, "error": str(e)})
    return loaded, failures


def _settle(
    config: Config, loaded: dict[str, Target], failures: list[dict[str, str]]
) -> tuple[Config, Provenance, dict[str, Route], dict[str, Route]]:
    """Drop the pivots through a target that has no translation: a target with only that pivot
    fails too; one with a direct model beside it is translated by that model, with a note.
    Returns the run as it now is (models as the caller gave them), its provenance, and the
    loaded targets' routes (see :func:`_routes`)."""
    notes: dict[str, str] = {}
    for lang, target in list(loaded.items()):
        if target.pivot is None or target.pivot.via in loaded:
            continue
        via = target.pivot.via
        if target.direct is not None:
            loaded[lang] = target.direct_only()
            direct = config.targets[lang].direct_only().name
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
    asked = config.targets
    # Translated by its direct model now, whichever route was asked for.
    models = {lang: (t.direct_only() if lang in notes else t).name for lang, t in asked.items()}
    used, others = _routes(loaded)
    provenance = Provenance(
        models,
        {lang: r.engine.fingerprint or r.engine.name for lang, r in used.items()},
        {lang: r.name for lang, r in used.items()},
        config.settings.about(),
        notes,
    )
    planned = {lang: asked[lang].direct_only() if lang in notes else asked[lang] for lang in loaded}
    return Config(planned, config.settings), provenance, used, others


def _routes(loaded: Mapping[str, Target]) -> tuple[dict[str, Route], dict[str, Route]]:
    """The route of each loaded target, a pivot after the target it goes through, and for
    compared targets the route not used."""
    used: dict[str, Route] = {}
    others: dict[str, Route] = {}
    for lang, target in loaded.items():
        direct = None if target.direct is None else Route(target.direct)  # type: ignore[arg-type]
        pivot = None
        if target.pivot is not None:
            via = target.pivot.via
            pivot = Route(Pivoting(target.pivot.model, via), via)  # type: ignore[arg-type]
        chosen, other = (direct, pivot) if target.use == "direct" else (pivot, direct)
        assert chosen is not None
        used[lang] = chosen
        if other is not None:
            others[lang] = other
    direct_first = sorted(used, key=lambda lang: used[lang].via is not None)
    return {lang: used[lang] for lang in direct_first}, others
