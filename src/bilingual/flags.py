"""The ``translate`` command's flags: the parser, and the run they describe.

:mod:`bilingual.cli` parses with :func:`build_parser` and turns the flags into a checked
:class:`~bilingual.Config` with :func:`config_from` (a corpus build, or ``--lines``' one model).
Nothing here loads or runs anything.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .config import DEFAULT_WINDOW, Config, Settings
from .loading import VERSION
from .read import STDIN
from .targets import Pivot, Routes, TargetSpec
from .translate.base import DEFAULT_MODELS
from .translate.devices import DEFAULT_DEVICE, DEFAULT_PRECISION, DEVICES, PRECISIONS
from .write.dedupe import DEDUPE_MODES, DEFAULT_DEDUPE

__all__ = ["PIVOT_VIA", "build_parser", "config_from"]

# The language --pivot translates through: every sentence is translated into it anyway.
PIVOT_VIA = "en"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="translate",
        description="Translate French news pages into English and Vietnamese and align their "
        "embedded Vietnamese captions, writing a parallel corpus.",
    )
    parser.add_argument(
        "inputs", nargs="*", metavar="INPUT", help="files, directories of *.txt, or - for stdin"
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="OUTDIR",
        help="output directory (required); with --lines, the output file (default: stdout)",
    )  # fmt: skip
    parser.add_argument(
        "--lines", nargs="?", const=STDIN, default=None, metavar="FILE",
        help="translate the plain sentences of FILE (default: - for stdin), one a line, into "
        "one --to language, writing one translation a line (no INPUT)",
    )  # fmt: skip
    parser.add_argument(
        "--score", action="store_true",
        help="with --lines: read source<TAB>target lines and write each pair's model score "
        "(per_token<TAB>total<TAB>tokens)",
    )  # fmt: skip
    parser.add_argument(
        "--to", default=",".join(DEFAULT_MODELS), help="target languages (default: %(default)s)"
    )
    parser.add_argument(
        "--model", action="append", default=[], metavar="LANG=ID_OR_PATH",
        help="model for a target: a hub id or an opus-mt directory (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--pivot", action="append", default=[], metavar="LANG=ID_OR_PATH",
        help="translate LANG from the English translations with this en->LANG model "
        "(repeatable); with --model LANG too, both routes are compared on the captions",
    )  # fmt: skip
    parser.add_argument(
        "--route", action="append", default=[], metavar="LANG=direct|pivot",
        help="with both --model and --pivot for LANG, the route to use (default: direct)",
    )  # fmt: skip
    parser.add_argument(
        "--min-score", type=float, default=None, metavar="S",
        help="keep in the mt.* files and the TMX only translations scoring at least S "
        "(a log-probability per token, e.g. -1.0); segments.jsonl keeps all",
    )  # fmt: skip
    parser.add_argument(
        "--originals", action="append", default=[], type=Path, metavar="PATH",
        help="the Vietnamese originals the pages translate (a file or a directory of *.txt; "
        "repeatable): each page is matched with its own and their sentences are linked "
        "(article.fr-vi.jsonl)",
    )  # fmt: skip
    parser.add_argument(
        "--min-link-score", type=float, default=None, metavar="P",
        help="with --originals, keep in the corpus files only the article links scoring at "
        "least P (a calibrated probability, 0 to 1)",
    )  # fmt: skip
    parser.add_argument(
        "--dedupe", default=DEFAULT_DEDUPE, choices=DEDUPE_MODES,
        help="write each row of the corpus files once: exact duplicates (default), also "
        "near-duplicates (normalized: case, punctuation, spacing, accents folded), or none",
    )  # fmt: skip
    parser.add_argument(
        "--exclude", action="extend", nargs="+", default=[], type=Path, metavar="FILE",
        help="test sets to keep out (one sentence per line, any language of the corpus): rows "
        "whose French or target side matches a line, normalized, are not written; "
        "put it after the inputs",
    )  # fmt: skip
    parser.add_argument(
        "--parquet", action="store_true",
        help="also write corpus.parquet (pip install 'bilingual[parquet]')",
    )  # fmt: skip
    parser.add_argument(
        "--device", default=DEFAULT_DEVICE, choices=DEVICES, help="default: %(default)s"
    )
    parser.add_argument(
        "--precision", default=DEFAULT_PRECISION, choices=PRECISIONS, help="default: %(default)s"
    )
    parser.add_argument(
        "--beams",
        type=_positive,
        default=None,
        help="beam width (default: each model's own, 4 for opus-mt); 1 is greedy, the fastest",
    )
    parser.add_argument(
        "--nbest",
        type=_positive,
        default=1,
        metavar="N",
        help="keep the N best translations of each sentence (alternatives in segments.jsonl)",
    )
    parser.add_argument(
        "--threads", type=_positive, default=None, help="CPU threads per model (default: all cores)"
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help="batches translated side by side on CPU, sharing the threads "
        "(default: 2 when there are 2 threads or more)",
    )
    parser.add_argument("--window", type=_positive, default=DEFAULT_WINDOW, help=argparse.SUPPRESS)
    parser.add_argument("--no-mt", action="store_true", help="skip translation; needs no model")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted run without redoing its documents",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not use the translation cache")
    parser.add_argument(
        "--cache", type=Path, default=None, metavar="FILE",
        help="translation cache (default: ~/.cache/bilingual/translations.sqlite)",
    )  # fmt: skip
    parser.add_argument(
        "--ray", nargs="?", const="", default=None, metavar="ADDRESS",
        help="run on a Ray cluster (pip install 'bilingual[ray]'): the one at ADDRESS, else at "
        "RAY_ADDRESS, else a new local one; write --ray=ADDRESS before the inputs",
    )  # fmt: skip
    parser.add_argument(
        "--actors", type=_positive, default=None,
        help="with --ray: translation actors, each with its own copy of the models "
        "(default: 1)",
    )  # fmt: skip
    parser.add_argument(
        "--gpus-per-actor", type=_gpus, default=None, metavar="G",
        help="with --ray: GPUs each translation actor takes (default: 0, CPU actors of "
        "--threads threads, 1 by default)",
    )  # fmt: skip
    parser.add_argument(
        "--no-report", action="store_true", help="do not write report.html (a page of the corpus)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--version", action="version", version=f"bilingual {VERSION}")
    return parser


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def _gpus(text: str) -> float:
    """An argparse type: a GPU count, 0 or more (a fraction shares a GPU between actors)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number of GPUs, 0 or more, not {text!r}")
    return value


def config_from(args: argparse.Namespace) -> Config:
    """The run the parsed flags describe, checked (:meth:`~bilingual.Config.of`): a corpus build
    (INPUT and ``-o``), or with ``--lines`` the one model of the one ``--to`` target.

    Raises:
        ValueError: flags that contradict each other or name no model.
        ConfigError: a run that cannot work.
    """
    _check_mode(args)
    explicit = _pairs("--model", args.model)
    if args.lines is not None:
        targets = [t.strip() for t in args.to.split(",") if t.strip()]
        if len(targets) != 1 or args.pivot:
            raise ValueError(
                "--lines translates into one language with one model: pass --to LANG, not "
                f"{args.to!r}"
            )
        translators: dict[str, TargetSpec] = dict(_models(args.to, explicit, no_mt=False))
    else:
        translators = _targets(_models(args.to, explicit, args.no_mt), explicit, args)
    return Config.of(translators, _settings(args))


def _settings(args: argparse.Namespace) -> Settings:
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
        executor="local" if args.ray is None else "ray",
        ray_address=args.ray or None,
        actors=args.actors,
        gpus_per_actor=args.gpus_per_actor,
        report=not args.no_report,
        dedupe=args.dedupe,
        exclude=tuple(args.exclude),
        parquet=args.parquet,
        originals=tuple(args.originals),
        min_link_score=args.min_link_score,
    )


def _check_mode(args: argparse.Namespace) -> None:
    """The flags make one mode: a corpus build (INPUT and ``-o``) or ``--lines``."""
    if args.lines is not None:
        if args.inputs:
            raise ValueError("--lines reads its own FILE: give no INPUT")
        if args.ray is not None or args.no_mt or args.resume:
            raise ValueError(
                "--lines runs in this process and translates: no --ray, --no-mt or --resume"
            )
        if args.score and (args.nbest > 1 or args.min_score is not None):
            raise ValueError("--nbest and --min-score choose translations: not with --score")
        if args.originals:
            raise ValueError("--originals pairs the pages of a corpus build: not with --lines")
    elif args.score:
        raise ValueError("--score scores the pairs of --lines FILE: add --lines")
    elif not args.inputs or args.output is None:
        raise ValueError("the arguments INPUT and -o/--output are required (or --lines)")


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
