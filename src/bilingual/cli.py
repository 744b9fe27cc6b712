"""The ``translate`` command: parse flags, call the library, map errors to messages and exit codes.

Exit codes: 0 all documents processed; 1 some documents failed (each named on stderr, the others
written); 2 the run could not start (bad flags, a model that cannot be loaded, an unwritable
output directory).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .errors import BilingualError
from .pipeline import DEFAULT_WINDOW, Pipeline, load_translators
from .translate import DEFAULT_MODELS
from .translate.devices import DEVICES, PRECISIONS

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="translate",
        description="Translate French news pages into English and Vietnamese and align their "
        "embedded Vietnamese captions, writing a parallel corpus.",
    )
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="files, directories of *.txt, or - for stdin"
    )
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUTDIR", help="output directory"
    )
    parser.add_argument(
        "--to", default=",".join(DEFAULT_MODELS), help="target languages (default: %(default)s)"
    )
    parser.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="LANG=ID_OR_PATH",
        help="model for a target: a hub id or an opus-mt directory (repeatable)",
    )
    parser.add_argument("--device", default="auto", choices=DEVICES, help="default: %(default)s")
    parser.add_argument(
        "--precision", default="fp32", choices=PRECISIONS, help="default: %(default)s"
    )
    parser.add_argument("--beams", type=int, default=1, help="beam width; 1 is greedy (default)")
    parser.add_argument(
        "--threads", type=int, default=None, help="CPU threads for torch (default: all cores)"
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help="batches translated side by side on CPU, sharing the threads "
        "(default: 2 when there are 2 threads or more)",
    )
    parser.add_argument("--window", type=int, default=DEFAULT_WINDOW, help=argparse.SUPPRESS)
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
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--version", action="version", version=f"bilingual {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``translate`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        models = _models(args.to, args.model, args.no_mt)
    except ValueError as e:
        parser.error(str(e))
    try:
        return _run(args, models)
    except BilingualError as e:
        print(f"translate: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("translate: interrupted; previous outputs are untouched", file=sys.stderr)
        return 130


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def _models(to: str, overrides: list[str], no_mt: bool) -> dict[str, str]:
    """Target language -> model, from ``--to`` and ``--model LANG=ID`` flags."""
    targets = [t.strip() for t in to.split(",") if t.strip()]
    chosen: dict[str, str] = {}
    for item in overrides:
        lang, sep, model = item.partition("=")
        if not sep or not lang or not model:
            raise ValueError(f"--model takes LANG=ID_OR_PATH, not {item!r}")
        chosen[lang.strip()] = model.strip()
    if no_mt:
        return {}
    unknown = [t for t in targets if t not in chosen and t not in DEFAULT_MODELS]
    if unknown:
        raise ValueError(f"no default model for {', '.join(unknown)}; pass --model LANG=ID_OR_PATH")
    return {t: chosen.get(t, DEFAULT_MODELS.get(t, "")) for t in targets}


def _run(args: argparse.Namespace, models: dict[str, str]) -> int:
    from .corpus import build_corpus
    from .translate.cache import TranslationCache, default_cache_path

    if args.threads is not None:
        import torch

        torch.set_num_threads(args.threads)
    bar = _progress_bar(args.quiet or not sys.stderr.isatty())
    cache = (
        None
        if args.no_cache or not models
        else TranslationCache(args.cache or default_cache_path())
    )
    translators, model_failures = load_translators(
        models, args.device, args.precision, args.workers
    )
    for lang, reason in model_failures.items():
        print(f"translate: no {lang} translation: {reason}", file=sys.stderr)
    try:
        pipeline = Pipeline(
            translators,
            window=args.window,
            generation={"num_beams": args.beams} if args.beams != 1 else None,
            progress=bar.update if bar is not None else None,
            cache=cache,
        )
        provenance = _provenance(args, pipeline, models)
        known = [{"model": models[lang], "error": why} for lang, why in model_failures.items()]
        report = build_corpus(
            args.inputs, args.output, pipeline, provenance, resume=args.resume, failures=known
        )
    finally:
        if bar is not None:
            bar.close()
        if cache is not None:
            cache.close()
    for failure in report.failures:
        if "doc" in failure:
            print(f"translate: {failure['error']}", file=sys.stderr)
    if not args.quiet:
        done = report.documents - sum(1 for f in report.failures if "doc" in f)
        print(
            f"translate: {done}/{report.documents} documents, {report.counts.get('segments', 0)} "
            f"segments, {report.counts.get('pairs', 0)} caption pairs -> {args.output}",
            file=sys.stderr,
        )
    return EXIT_FAILURES if report.failures else EXIT_OK


def _progress_bar(disabled: bool) -> Any:
    if disabled:
        return None
    from tqdm import tqdm

    return tqdm(desc="translating", unit=" sentences", dynamic_ncols=True)


def _provenance(
    args: argparse.Namespace, pipeline: Pipeline, models: dict[str, str]
) -> dict[str, Any]:
    """Settings, model ids with their revisions, and library versions, for the TMX and run.json."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for package in ("bilingual", "torch", "transformers", "sentencepiece", "nltk"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    revisions = {
        lang: getattr(getattr(t, "inner", t), "fingerprint", models[lang])
        for lang, t in pipeline.translators.items()
    }
    return {
        "version": __version__,
        "models": models,
        "model_revisions": revisions,
        "device": args.device,
        "precision": args.precision,
        "beams": args.beams,
        "mt": bool(models),
        "versions": versions,
    }


if __name__ == "__main__":
    sys.exit(main())
