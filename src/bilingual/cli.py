"""The ``translate`` command: parse flags, call the library, map errors to messages and exit codes.

Everything the command does is :func:`bilingual.build_corpus` (or, with ``--lines``,
:func:`bilingual.lines.run_lines`); :mod:`bilingual.flags` turns the flags into a checked
:class:`~bilingual.Config`, and this module its report and errors into messages and exit codes.

Exit codes: 0 every document and every model went through; 1 something failed and the rest was
written (each document that could not be read, and each model that could not be loaded, is named
on stderr; the other documents and targets are in the corpus); 2 the run could not start (bad
flags or settings, an output path that is not a writable directory, an input directory that cannot
be listed); 1 too when the disk fills up (the documents finished are kept: free space and rerun
with --resume); 130 interrupted by Ctrl-C, 143 by SIGTERM (128 + the signal, the documents
finished kept likewise); with ``--lines``, 141 when the reader of standard output closed it
(``| head``), quietly.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import Config
from .corpus import STATE_DIR, RunReport, build_corpus
from .errors import BilingualError, DiskFullError
from .flags import build_parser, config_from
from .interrupt import exit_status, signals_as_interrupts
from .lines import run_lines
from .report import REPORT_FILE

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2  # interrupted: 128 + the signal (interrupt.py)
EXIT_BROKEN_PIPE = 141  # as a command killed by SIGPIPE exits, in a shell


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``translate`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from(args)  # every check, before anything loads
    except BilingualError as e:  # a run that cannot work
        print(f"translate: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as e:  # flags that contradict each other
        parser.error(str(e))
    try:
        with signals_as_interrupts():  # SIGTERM cleans up as Ctrl-C does
            return _run_lines(args, config) if args.lines is not None else _run(args, config)
    except DiskFullError as e:  # the run started: what it finished is kept for --resume
        then = (
            ""
            if args.lines is not None
            else ", then rerun with --resume: what was finished is kept"
        )
        print(f"translate: error: {e}{then}", file=sys.stderr)
        return EXIT_FAILURES
    except BilingualError as e:
        print(f"translate: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as e:
        if args.lines is not None:  # a line run keeps no state: there is nothing to resume
            print(f"translate: {str(e) or 'interrupted'}", file=sys.stderr)
        else:
            print(
                f"translate: {str(e) or 'interrupted'}; previous outputs are untouched, and the "
                f"documents finished are kept in {args.output / STATE_DIR}: rerun with --resume",
                file=sys.stderr,
            )
        return exit_status(e)


def _run(args: argparse.Namespace, config: Config) -> int:
    _show_warnings()
    bar = _progress_bar(args.quiet or not sys.stderr.isatty())
    try:
        report = build_corpus(
            args.inputs, args.output, config, progress=bar.update if bar else None
        )
    finally:
        if bar is not None:
            bar.close()
    _summarise(report, args.output, args.quiet, config.settings.report)
    return EXIT_FAILURES if report.failures else EXIT_OK


def _run_lines(args: argparse.Namespace, config: Config) -> int:
    """``--lines``: translate (or ``--score``) the lines of ``args.lines`` with the one model."""
    _show_warnings()
    bar = _progress_bar(args.quiet or not sys.stderr.isatty(), "scoring" if args.score else None)
    try:
        run_lines(
            args.lines,
            args.output,
            config,
            score=args.score,
            progress=bar.update if bar else None,
        )
    except BrokenPipeError:  # the reader of our output closed it (``| head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    finally:
        if bar is not None:
            bar.close()
    return EXIT_OK


def _summarise(report: RunReport, output: Path, quiet: bool, report_written: bool) -> None:
    """Name each document that failed, and a cache on a full disk (models were named as they
    failed to load)."""
    for failure in report.failures:
        if "doc" in failure or "cache" in failure:
            print(f"translate: {failure['error']}", file=sys.stderr)
    if not quiet:
        done = report.documents - sum(1 for f in report.failures if "doc" in f)
        print(
            f"translate: {done}/{report.documents} documents, {report.counts.get('segments', 0)} "
            f"segments, {report.counts.get('pairs', 0)} caption pairs -> {output}",
            file=sys.stderr,
        )
        if report_written:
            print(f"translate: report: {output / REPORT_FILE}", file=sys.stderr)


def _show_warnings() -> None:
    """The library's warnings (a model that could not be loaded, …) on stderr, as they happen."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("translate: %(message)s"))
    logger = logging.getLogger("bilingual")
    logger.handlers = [handler]
    logger.setLevel(logging.WARNING)
    logger.propagate = False


def _progress_bar(disabled: bool, desc: str | None = None) -> Any:
    if disabled:
        return None
    from tqdm import tqdm

    return tqdm(desc=desc or "translating", unit=" sentences", dynamic_ncols=True)


if __name__ == "__main__":
    sys.exit(main())
