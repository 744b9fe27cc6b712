"""The ``translate`` command's flags: the parser and the checks of each flag's own value.

:mod:`bilingual.cli` parses with :func:`build_parser`; what the parsed flags make (targets,
settings, the mode) is :mod:`bilingual.options`.  Nothing here runs a build.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .pipeline import DEFAULT_WINDOW
from .provenance import VERSION
from .read import STDIN
from .settings import Settings
from .translate.base import DEFAULT_MODELS
from .translate.devices import DEFAULT_DEVICE, DEFAULT_PRECISION, DEVICES, PRECISIONS
from .write.dedupe import DEDUPE_MODES, DEFAULT_DEDUPE

__all__ = ["build_parser"]


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
        "--model",
        action="append",
        default=[],
        metavar="LANG=ID_OR_PATH",
        help="model for a target: a hub id or an opus-mt directory (repeatable)",
    )
    parser.add_argument(
        "--pivot",
        action="append",
        default=[],
        metavar="LANG=ID_OR_PATH",
        help="translate LANG from the English translations with this en->LANG model "
        "(repeatable); with --model LANG too, both routes are compared on the captions",
    )
    parser.add_argument(
        "--route",
        action="append",
        default=[],
        metavar="LANG=direct|pivot",
        help="with both --model and --pivot for LANG, the route to use (default: direct)",
    )
    parser.add_argument(
        "--min-score",
        type=float,
        default=None,
        metavar="S",
        help="keep in the mt.* files and the TMX only translations scoring at least S "
        "(a log-probability per token, e.g. -1.0); segments.jsonl keeps all",
    )
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
        f"(default: {Settings().actors})",
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
