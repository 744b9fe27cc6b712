"""What the ``translate`` command's parsed flags make: its targets, its settings, its mode.

:mod:`bilingual.cli` parses with :func:`bilingual.flags.build_parser` and hands
:func:`targets_from` and :func:`settings_from` to :func:`bilingual.build_corpus`; nothing here
runs a build.
"""

from __future__ import annotations

import argparse

from .routes import Pivot, Routes, TargetSpec
from .settings import Settings
from .translate.base import DEFAULT_MODELS

__all__ = [
    "PIVOT_VIA",
    "check_mode",
    "lines_model",
    "settings_from",
    "targets_from",
]

# The language --pivot translates through: every sentence is translated into it anyway.
PIVOT_VIA = "en"


def targets_from(args: argparse.Namespace) -> dict[str, TargetSpec]:
    """Target language -> what translates it, from ``--to``, ``--model``, ``--pivot`` and
    ``--route``.

    Raises:
        ValueError: flags that contradict each other or name no model.
    """
    explicit = _pairs("--model", args.model)
    return _targets(_models(args.to, explicit, args.no_mt), explicit, args)


def check_mode(args: argparse.Namespace) -> None:
    """Check that the flags make one mode: a corpus build (INPUT and ``-o``) or ``--lines``.

    Raises:
        ValueError: INPUT with ``--lines``, or a corpus build without INPUT or ``-o``.
    """
    if args.lines is not None:
        if args.inputs:
            raise ValueError("--lines reads its own FILE: give no INPUT")
        if args.ray is not None or args.no_mt or args.resume:
            raise ValueError(
                "--lines runs in this process and translates: no --ray, --no-mt or --resume"
            )
        if args.score and (args.nbest > 1 or args.min_score is not None):
            raise ValueError("--nbest and --min-score choose translations: not with --score")
    elif args.score:
        raise ValueError("--score scores the pairs of --lines FILE: add --lines")
    elif not args.inputs or args.output is None:
        raise ValueError("the arguments INPUT and -o/--output are required (or --lines)")


def lines_model(args: argparse.Namespace) -> str:
    """The one model ``--lines`` runs: the ``--model`` (or default) of the one ``--to`` target.

    Raises:
        ValueError: not exactly one target, or a target that is not a model.
    """
    targets = [t.strip() for t in args.to.split(",") if t.strip()]
    if len(targets) != 1 or args.pivot:
        raise ValueError(
            f"--lines translates into one language with one model: pass --to LANG, not {args.to!r}"
        )
    return _models(args.to, _pairs("--model", args.model), no_mt=False)[targets[0]]


def settings_from(args: argparse.Namespace) -> Settings:
    """The build's :class:`~bilingual.settings.Settings`, from the parsed flags."""
    return Settings(
        device=args.device,
        precision=args.precision,
        beams=args.beams,
        nbest=args.nbest,
        threads=args.threads,
        workers=args.workers,
        window=args.window,
        resume=args.resume,
        cache=not args.no_cache,
        cache_path=args.cache,
        min_score=args.min_score,
        engine="local" if args.ray is None else "ray",
        ray_address=args.ray or None,
        actors=args.actors or Settings().actors,
        gpus_per_actor=args.gpus_per_actor or Settings().gpus_per_actor,
        report=not args.no_report,
        dedupe=args.dedupe,
        exclude=tuple(args.exclude),
        parquet=args.parquet,
    )


def _models(to: str, chosen: dict[str, str], no_mt: bool) -> dict[str, str]:
    """Target language -> model, from ``--to`` and ``--model LANG=ID`` flags."""
    targets = [t.strip() for t in to.split(",") if t.strip()]
    if no_mt:
        return {}
    unknown = [t for t in targets if t not in chosen and t not in DEFAULT_MODELS]
    if unknown:
        raise ValueError(f"no default model for {', '.join(unknown)}; pass --model LANG=ID_OR_PATH")
    return {t: chosen.get(t, DEFAULT_MODELS.get(t, "")) for t in targets}


def _pairs(flag: str, items: list[str]) -> dict[str, str]:
    """``LANG=VALUE`` flags as a mapping."""
    out: dict[str, str] = {}
    for item in items:
        lang, sep, value = item.partition("=")
        if not sep or not lang.strip() or not value.strip():
            raise ValueError(f"{flag} takes LANG=VALUE, not {item!r}")
        out[lang.strip()] = value.strip()
    return out


def _targets(
    models: dict[str, str], explicit: dict[str, str], args: argparse.Namespace
) -> dict[str, TargetSpec]:
    """The target specs: a model per target, a pivot through English (``--pivot``), or both,
    with the route ``--route`` picks."""
    if args.no_mt:
        return {}
    pivots, routes = _pairs("--pivot", args.pivot), _pairs("--route", args.route)
    targets: dict[str, TargetSpec] = dict(models)
    for lang, model in pivots.items():
        if lang == PIVOT_VIA:
            raise ValueError(f"--pivot {lang}=…: {lang} is the language pivots go through")
        if PIVOT_VIA not in models:
            raise ValueError(f"--pivot goes through {PIVOT_VIA}: add it to --to")
        pivot = Pivot(PIVOT_VIA, model)
        use = routes.pop(lang, "direct")
        if lang not in explicit:
            targets[lang] = pivot
        elif use in ("direct", "pivot"):
            targets[lang] = Routes(explicit[lang], pivot, "direct" if use == "direct" else "pivot")
        else:
            raise ValueError(f"--route {lang}= takes direct or pivot, not {use!r}")
    if routes:
        raise ValueError(f"--route needs both --model and --pivot for {', '.join(routes)}")
    return targets
