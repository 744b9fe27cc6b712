"""A run, described once: what translates into each target, and how the run is built.

:class:`Config` is the one frozen description of a run, made from the command's flags
(:mod:`bilingual.flags`) or from the API (:meth:`Config.of`), and :meth:`Config.of` is the one
place it is checked, before any model loads: the settings' values, every pivot and route, the
alternatives asked for against each model's own beams (read from its generation config, not its
weights), a Ray run's pool.  What follows (:func:`~bilingual.loading.load_run`, the pipeline, the
executors) neither checks nor re-plans.

What translates into each target is described in :mod:`bilingual.targets`.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .targets import Target, TargetSpec, model_name
from .translate.base import (
    Engine,
    Generation,
    SupportsTranslate,
    TranslatorSpec,
    check_alternatives,
    check_count,
)
from .translate.devices import DEFAULT_DEVICE, DEFAULT_PRECISION, DEVICES, check_precision
from .translate.hub import generation_beams
from .write.dedupe import DEFAULT_DEDUPE, check_dedupe

__all__ = ["CAPTIONS", "DEFAULT_WINDOW", "EXECUTORS", "Config", "Settings"]

# Where documents are processed: in this process, or on a Ray cluster (the ``ray`` extra).
EXECUTORS = ("local", "ray")
# French sentences read ahead and translated together; bounds memory, feeds full batches.
DEFAULT_WINDOW = 1024
# The language of the page's human captions: the one target whose routes can be compared.
CAPTIONS = "vi"
# The settings that are counts: whole numbers of at least 1 (``None``: the default).
_COUNTS = ("beams", "nbest", "max_new_tokens", "min_new_tokens", "threads", "workers", "window",
           "actors")  # fmt: skip
# With ``device="auto"``, a device that runs each precision (the choice itself is made at load).
_ANY_FOR = {"fp16": "cuda", "bf16": "cuda"}


@dataclass(frozen=True)
class Settings:
    """How a run is built (checked with its targets by :meth:`Config.of`).

    Attributes:
        device: ``auto``, ``cpu``, ``cuda`` or ``mps``, for models given as ids or paths.
        precision: ``fp32``, ``int8`` (CPU), ``fp16`` or ``bf16`` (GPU), likewise.
        beams: beam width; 1 is greedy decoding (the fastest); ``None``: each model's generation
            config (4 for opus-mt).
        nbest: hypotheses kept per sentence: the best, and ``nbest - 1`` alternatives in
            ``segments.jsonl``; at most the beams.
        max_new_tokens: cap on generated tokens (``None``: the engine's length rule).
        min_new_tokens: tokens generated before the end may come (``None``: the engine's, 1).
        threads: torch threads per model (``None``: torch's default; 1 per Ray actor).
        workers: batches decoded at once on CPU (``None``: 2 with 2 threads or more).
        window: French sentences read ahead and translated together.
        resume: reuse the documents an interrupted run with the same settings finished.
        cache: look translations up in, and store them to, a translation cache.
        cache_path: the cache's file (``None``: ``~/.cache/bilingual/translations.sqlite``).
        min_score: keep in the machine-translation files (``mt.fr-L.*``, the TMX) only the
            translations whose score is at least this; ``segments.jsonl`` keeps every one with
            its score, and the caption pairs (human translations) are never filtered.
        executor: ``local`` (this process) or ``ray`` (a Ray cluster; the ``ray`` extra).
        ray_address: the Ray cluster to join (``None``: ``RAY_ADDRESS``, else a local one).
        actors: with ``ray``, translation actors, each with its own copy of the models
            (``None``: 1).
        gpus_per_actor: with ``ray``, GPUs each translation actor takes (``None``: 0, CPU
            actors of ``threads`` threads each).
        report: write ``report.html``, a page to look at the corpus.
        dedupe: duplicate rows of the corpus files written once (``exact``), also
            near-duplicates (``normalized``: case, punctuation, spacing and accents folded) or
            all (``none``); ``segments.jsonl`` keeps every segment.
        exclude: test-set files (one sentence per line) whose sentences no corpus row may have.
        parquet: also write ``corpus.parquet`` (the ``parquet`` extra).
        originals: the Vietnamese originals the pages translate (files, directories of
            ``*.txt``): each page is matched with its own and their sentences linked
            (``article.fr-vi.jsonl``, and the pair files, TMX and Parquet with origin
            ``article``).
        min_link_score: keep in the corpus files only the article links whose calibrated score
            is at least this (0 to 1); ``None``: every link.
    """

    device: str = DEFAULT_DEVICE
    precision: str = DEFAULT_PRECISION
    beams: int | None = None
    nbest: int = 1
    max_new_tokens: int | None = None
    min_new_tokens: int | None = None
    threads: int | None = None
    workers: int | None = None
    window: int = DEFAULT_WINDOW
    resume: bool = False
    cache: bool = True
    cache_path: Path | None = None
    min_score: float | None = None
    executor: str = "local"
    ray_address: str | None = None
    actors: int | None = None
    gpus_per_actor: float | None = None
    report: bool = True
    dedupe: str = DEFAULT_DEDUPE
    exclude: tuple[Path, ...] = ()
    parquet: bool = False
    originals: tuple[Path, ...] = ()
    min_link_score: float | None = None

    def generation(self) -> Generation:
        """The decoding settings every engine of the run decodes with."""
        return Generation(
            num_beams=self.beams,
            max_new_tokens=self.max_new_tokens,
            min_new_tokens=self.min_new_tokens,
            num_return_sequences=self.nbest,
        )

    def about(self) -> dict[str, object]:
        """The settings that shape the output, for provenance (the token caps only when set)."""
        shown: dict[str, object] = {
            "device": self.device,
            "precision": self.precision,
            "beams": self.beams,
            "nbest": self.nbest,
            "min_score": self.min_score,
        }
        for name in ("max_new_tokens", "min_new_tokens"):
            if getattr(self, name) is not None:
                shown[name] = getattr(self, name)
        return shown


@dataclass(frozen=True)
class Config:
    """A run, described once: its targets and its settings, checked (see :meth:`of`).

    Attributes:
        targets: target language -> what translates into it; empty: no machine translation.
        settings: how the run is built.
    """

    targets: Mapping[str, Target]
    settings: Settings = Settings()

    @classmethod
    def of(
        cls,
        translators: Mapping[str, TargetSpec | Target] | None = None,
        settings: Settings = Settings(),
    ) -> Config:
        """The run ``translators`` (target language -> a model id or opus-mt directory, a
        :class:`~bilingual.Translator`, any object with ``translate(list[str]) -> list[str]``,
        a :class:`Pivot` or :class:`Routes`) and ``settings`` describe, checked.

        Raises:
            ConfigError: anything that cannot work, said before any model loads.
        """
        targets = {lang: Target.of(lang, spec) for lang, spec in (translators or {}).items()}
        config = cls(targets, settings)
        config.check()
        return config

    @property
    def generation(self) -> Generation:
        return self.settings.generation()

    def check(self) -> None:
        """Every check of a run, in one place (see the module's description).

        Raises:
            ConfigError: the first thing that cannot work.
        """
        _check_settings(self.settings)
        for lang, target in self.targets.items():
            _check_target(lang, target, self.targets)
            if self.settings.beams is None:
                for spec in target.models:
                    beams = _own_beams(spec)
                    if beams is not None:
                        check_alternatives(self.settings.nbest, beams, model_name(spec), flags=True)
        if self.settings.executor == "ray":
            from .distributed.cluster import import_ray

            import_ray()  # without the extra, say how to install it and nothing else
            _check_picklable(self.targets)

    def replace(self, **changes: Any) -> Config:
        """This run with some settings changed (unchecked: for settings that need no check)."""
        return Config(self.targets, replace(self.settings, **changes))


def _check_settings(settings: Settings) -> None:
    kind = settings.device.split(":", 1)[0]
    if kind not in DEVICES:
        raise ConfigError(f"unknown device {settings.device!r}; use one of {', '.join(DEVICES)}")
    # ``auto`` chooses as the models load; a precision no device of that choice runs fails now.
    check_precision(_ANY_FOR.get(settings.precision, "cpu") if kind == "auto" else kind,
                    settings.precision)  # fmt: skip
    for name in _COUNTS:
        check_count(name, getattr(settings, name))
    if settings.beams is not None:
        check_alternatives(settings.nbest, settings.beams, flags=True)
    if settings.executor not in EXECUTORS:
        raise ConfigError(
            f"executor must be one of {', '.join(EXECUTORS)}, not {settings.executor!r}"
        )
    if settings.gpus_per_actor is not None and not settings.gpus_per_actor >= 0:
        raise ConfigError(f"gpus_per_actor must be 0 or more, not {settings.gpus_per_actor}")
    if settings.executor != "ray" and (
        settings.actors is not None or settings.gpus_per_actor is not None
    ):
        raise ConfigError(
            "--actors and --gpus-per-actor (actors, gpus_per_actor) size a Ray run: add --ray "
            "(executor='ray')"
        )
    check_dedupe(settings.dedupe)
    if settings.min_link_score is not None and not 0 <= settings.min_link_score <= 1:
        raise ConfigError(
            f"--min-link-score is a probability, 0 to 1, not {settings.min_link_score}"
        )
    if settings.min_link_score is not None and not settings.originals:
        raise ConfigError("--min-link-score filters the article links: add --originals PATH")
    if settings.parquet:
        from .write.parquet import import_pyarrow

        import_pyarrow()


def _check_target(lang: str, target: Target, targets: Mapping[str, Target]) -> None:
    """A target's models are translators, its route is one of two, and its pivot goes through a
    target translated directly; only the captions' language compares routes."""
    if target.use not in ("direct", "pivot"):
        raise ConfigError(f"a route is 'direct' or 'pivot', not {target.use!r}")
    for spec in target.models:
        if not isinstance(spec, (str, os.PathLike, Engine, SupportsTranslate)):
            raise ConfigError(
                f"{spec!r} is not a translator: pass a model id or directory, a "
                "bilingual.Translator, or an object with translate(list[str]) -> list[str]"
            )
    via = target.pivot.via if target.pivot is not None else None
    if via is not None and (via not in targets or targets[via].use != "direct"):
        raise ConfigError(
            f"{lang} pivots through {via}, which must be translated directly too: "
            f"add a model for {via}"
        )
    if target.compared and lang != CAPTIONS:
        raise ConfigError(
            f"routes can be compared only for {CAPTIONS!r}, the language of the page's human "
            "captions"
        )


def _own_beams(spec: TranslatorSpec) -> int | None:
    """A model's own beam width, from its generation config (no weights are read), or a loaded
    translator's; ``None`` where it cannot be known without loading (a model that is not found
    fails as it loads, and is reported then)."""
    if isinstance(spec, (str, os.PathLike)):
        return generation_beams(spec)
    beams = getattr(spec, "default_beams", None)
    return beams if isinstance(beams, int) else None


def _check_picklable(targets: Mapping[str, Target]) -> None:
    """A translator object travels to the Ray actors pickled: say so now if it cannot."""
    from ray import cloudpickle

    for lang, target in targets.items():
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
