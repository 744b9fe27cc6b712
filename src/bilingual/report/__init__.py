"""``report.html``: a page to look at a built corpus before trusting it.

:func:`write_report` reads an output directory's files back (:mod:`~.collect`), renders one
self-contained page (:mod:`~.page`: inline style, script and SVG charts, nothing fetched) and
writes it atomically.  On a big corpus the page stays under :data:`MAX_BYTES`: it shows the
summaries, the lowest-scored pairs and a sample of the rest, and says how many it leaves out.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..write.atomic import write_atomic
from .collect import collect
from .page import render

__all__ = ["MAX_BYTES", "REPORT_FILE", "write_report"]

REPORT_FILE = "report.html"
MAX_BYTES = 5_000_000


def write_report(outdir: str | os.PathLike[str]) -> Path:
    """Build ``report.html`` in an output directory of ``translate``, from its files.

    The page shows the run (documents, segments per role, caption pairs, machine translations
    per language, what ``--min-score`` filtered, failures and why, models, routes, settings,
    time), the caption pairs side by side (sortable, with a low-score filter), the near misses
    of ``pairs.rejected.jsonl``, and histograms of the pair and translation scores.

    Args:
        outdir: a directory ``translate`` (or :func:`~bilingual.build_corpus`) wrote.

    Returns:
        The page's path.

    Raises:
        InputError: a file of the directory is missing or is not what ``translate`` writes.
        OutputError: the page cannot be written.

    Example:
        >>> bilingual.write_report("out")
        PosixPath('out/report.html')
    """
    outdir = Path(outdir)
    summary = collect(outdir)
    page = render(summary)
    while len(page.encode()) > MAX_BYTES and summary.pairs.worst + summary.pairs.sample > 1:
        summary.pairs.shrink()
        if summary.misses is not None:
            summary.misses.shrink()
        page = render(summary)
    path = outdir / REPORT_FILE
    write_atomic(path, page)
    return path
