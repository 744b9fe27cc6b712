"""A whole run: documents through the pipeline into the corpus files, resumable after a crash.

Each finished document is saved to ``OUTDIR/.bilingual-state/`` (one JSON file, written
atomically) before the next is read; the corpus files are then assembled from those files in input
order, and the state is removed.  After an interruption (even ``kill -9``), ``resume=True`` skips
the documents already saved, so a resumed run ends with the same corpus files as an uninterrupted
one: both are assembled from the same saved documents.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from .backends import backend_for
from .document import Document, document_from_dict, document_to_dict
from .pipeline import expand_inputs
from .read import STDIN
from .report import REPORT_FILE, write_report
from .routes import TargetSpec
from .run import RunRecord, merged
from .settings import Settings
from .translate.base import Progress
from .write import CorpusWriter, write_atomic
from .write.dedupe import check_dedupe
from .write.exclude import Exclusion
from .write.outdir import check_output_dir
from .write.parquet import import_pyarrow

__all__ = ["STATE_DIR", "RunReport", "Settings", "build_corpus"]

STATE_DIR = ".bilingual-state"
log = logging.getLogger("bilingual")


@dataclass
class RunReport:
    """What a run did: documents, failures, records written, cache use and time."""

    documents: int = 0
    resumed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)
    filtered: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    route_comparison: dict[str, dict[str, object]] = field(default_factory=dict)
    seconds: float = 0.0


def build_corpus(
    inputs: Iterable[str],
    outdir: str | os.PathLike[str],
    translators: Mapping[str, TargetSpec] | None = None,
    settings: Settings = Settings(),  # noqa: B008 (frozen, so safe to share)
    *,
    progress: Progress | None = None,
) -> RunReport:
    """Build a parallel corpus from news pages: what the ``translate`` command does.

    Writes, in ``outdir``, the corpus files (``segments.jsonl``, the caption pairs, the
    Vietnamese texts left unpaired, the machine-translation files, ``corpus.tmx``), ``run.json``
    (provenance, counts, failures) and, unless ``settings.report`` is false, ``report.html``.
    Nothing is lost: a document that cannot be read is reported and the others are written; a
    model that cannot be loaded is reported and the other targets are translated; every file is
    written atomically; each finished document is saved in ``outdir/.bilingual-state`` until the
    run completes, so ``settings.resume`` finishes an interrupted run without redoing it.

    Args:
        inputs: files, directories (their ``*.txt``, recursively) or ``-`` for standard input.
        outdir: the output directory (created if needed).
        translators: target language -> a model id or opus-mt directory, a
            :class:`~bilingual.Translator`, any object with ``translate(list[str]) ->
            list[str]``, a :class:`~bilingual.Pivot` or :class:`~bilingual.Routes`.  ``None``
            or empty: no machine translation.
        settings: how to build it (device, precision, beams, cache, resume, where, …).
        progress: called as batches are done with the number of sentences translated (each
            sentence once per target), on every backend.

    Returns:
        The run's report (also written to ``run.json``).

    Raises:
        ConfigError: settings that cannot work (an unavailable device, int8 on a GPU, …).
        OutputError: the output directory cannot be written (a file, a link loop, read-only).
        DiskFullError: the disk or quota filled up; the documents finished are kept for
            ``resume``.
        InputError: an input directory cannot be listed.

    Example:
        >>> report = build_corpus(["seeds"], "out", {"en": "Helsinki-NLP/opus-mt-fr-en"})
        >>> report.counts["segments"], report.failures
        (93, [])
    """
    started = time.perf_counter()
    outdir = Path(outdir)
    # What decides the corpus rows is checked before any work: a bad flag fails in a second.
    exclusion = Exclusion.load(settings.exclude)
    rows = {"dedupe": check_dedupe(settings.dedupe), "exclude": exclusion.about()}
    if settings.parquet:
        import_pyarrow()
    paths = list(expand_inputs(inputs))
    check_output_dir(outdir)  # before models load: a wrong -o is said at once, in its own words
    with backend_for(translators or {}, settings, progress) as backend:  # what it holds ends
        state = _State(outdir / STATE_DIR, json.dumps(backend.record, sort_keys=True))
        if not settings.resume:
            state.clear()
        report = RunReport(documents=len(paths))
        todo = [p for p in paths if not state.done(p)]
        report.resumed = len(paths) - len(todo)
        with closing(backend.documents(todo)) as documents:
            for document in documents:
                state.save(document)
    finished = backend.result()
    report.route_comparison = finished.route_comparison
    report.failures = finished.failures  # the models', and the cache's once it is closed
    writer = CorpusWriter(
        outdir,
        backend.targets,
        merged(backend.record, rows),
        settings.min_score,
        dedupe=settings.dedupe,
        exclusion=exclusion,
        parquet=settings.parquet,
    )
    try:
        for path in paths:
            document = state.load(path)
            if document.error is not None:
                report.failures.append({"doc": document.path, "error": document.error})
            else:
                writer.add(document)
    except BaseException:
        writer.abort()
        raise
    report.counts = dict(writer.counts)
    report.filtered = dict(writer.filtered)
    report.duplicates, report.excluded = dict(writer.duplicates), dict(writer.excluded)
    report.cache = finished.cache
    report.seconds = round(time.perf_counter() - started, 3)
    # An earlier run's page goes first: it would pass for this run's if the new one failed.
    old_page = (outdir / REPORT_FILE).exists()
    (outdir / REPORT_FILE).unlink(missing_ok=True)
    record = RunRecord(backend.record, rows, vars(report), backend.ran_on)
    removed = writer.commit(record.to_dict())
    if removed:
        log.warning("removed %s: left by an earlier run with other settings", ", ".join(removed))
    if settings.report:  # before the state goes: interrupted here, --resume still rebuilds it
        write_report(outdir)
    elif old_page:
        log.warning("removed %s: left by an earlier run", REPORT_FILE)
    state.clear()
    return report


class _State:
    """Finished documents of the current run, one JSON file each, keyed by input and settings."""

    def __init__(self, directory: Path, settings: str) -> None:
        self.directory = directory
        self.settings = settings
        self._memory: dict[str, Document] = {}  # standard input cannot be read twice

    def _file(self, path: str) -> Path:
        stat = Path(path).stat() if path != STDIN and Path(path).is_file() else None
        identity = f"{path}\0{stat and (stat.st_size, stat.st_mtime_ns)}\0{self.settings}"
        return self.directory / f"{hashlib.sha256(identity.encode()).hexdigest()}.json"

    def done(self, path: str) -> bool:
        """Saved without error by an earlier, interrupted run of the same settings."""
        if path == STDIN:
            return False
        saved = self._file(path)
        return (
            saved.exists()
            and document_from_dict(json.loads(saved.read_text("utf-8"))).error is None
        )

    def save(self, document: Document) -> None:
        if document.path == STDIN:
            self._memory[STDIN] = document
            return
        text = json.dumps(document_to_dict(document), ensure_ascii=False)
        write_atomic(self._file(document.path), text)

    def load(self, path: str) -> Document:
        if path == STDIN:
            return self._memory[STDIN]
        return document_from_dict(json.loads(self._file(path).read_text("utf-8")))

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
