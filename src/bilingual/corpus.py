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
from typing import Any

from .config import Config, Settings
from .document import Document, document_from_dict, document_to_dict
from .executors import Executor, LocalExecutor
from .pairing import Pairing
from .pipeline import expand_inputs
from .read import STDIN
from .report import REPORT_FILE, write_report
from .targets import Target, TargetSpec
from .translate.base import Progress
from .write import CorpusWriter, write_atomic
from .write.exclude import Exclusion
from .write.outdir import check_output_dir

__all__ = ["STATE_DIR", "RunRecord", "RunReport", "build_corpus"]

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
    articles: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0


def build_corpus(
    inputs: Iterable[str],
    outdir: str | os.PathLike[str],
    translators: Mapping[str, TargetSpec | Target] | Config | None = None,
    settings: Settings = Settings(),  # noqa: B008 (frozen, so safe to share)
    *,
    originals: Iterable[str | os.PathLike[str]] | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Build a parallel corpus from news pages: what the ``translate`` command does.

    Writes, in ``outdir``, the corpus files (``segments.jsonl``, the caption pairs, the
    Vietnamese texts left unpaired, the machine-translation files, ``corpus.tmx``, ``sources.txt``
    and, with ``settings.originals``, ``article.fr-vi.jsonl``), ``run.json``
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
            or empty: no machine translation.  Or the whole run, already checked: a
            :class:`~bilingual.Config` (its settings then replace ``settings``).
        settings: how to build it (device, precision, beams, cache, resume, where, …).
        originals: the Vietnamese originals the pages translate (files, directories of
            ``*.txt``): each page is matched with its own and their sentences are linked
            (``article.fr-vi.jsonl``); the same as ``settings.originals``, which it replaces.
        progress: called as batches are done with the number of sentences translated (each
            sentence once per target), on every backend.

    Returns:
        The run's report (also written to ``run.json``).

    Raises:
        ConfigError: a run that cannot work (:meth:`~bilingual.Config.of`), said before any
            model loads, or an unavailable device as they load.
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
    # Every check, before any work (a Config was checked as it was made).
    config = translators if isinstance(translators, Config) else Config.of(translators, settings)
    if originals is not None:  # adding originals needs no check
        config = config.replace(originals=tuple(Path(p) for p in originals))
    settings = config.settings
    exclusion = Exclusion.load(settings.exclude)  # what decides the rows, read before any work
    rows = {"dedupe": settings.dedupe, "exclude": exclusion.about()}
    paths = list(expand_inputs(inputs))
    check_output_dir(outdir)  # before models load: a wrong -o is said at once, in its own words
    pairing = Pairing.read(map(str, settings.originals)) if settings.originals else None
    with _executor(config, progress) as executor:  # what it holds ends with the block
        state = _State(outdir / STATE_DIR, executor.provenance.key())
        if not settings.resume:
            state.clear()
        report = RunReport(documents=len(paths))
        todo = [p for p in paths if not state.done(p)]
        report.resumed = len(paths) - len(todo)
        with closing(executor.documents(todo)) as documents:
            for document in documents:
                state.save(document)
    stats = executor.stats
    report.route_comparison = stats.route_comparison
    report.failures = stats.failures  # the models', and the cache's once it is closed
    header = merged(executor.provenance.to_json(), rows)
    writer = CorpusWriter(
        outdir,
        executor.languages,
        header,
        settings.min_score,
        dedupe=settings.dedupe,
        exclusion=exclusion,
        parquet=settings.parquet,
        origins=executor.provenance.origins(executor.languages),
        min_link_score=settings.min_link_score,
    )
    if pairing is not None:  # every page is saved: match them, then link each as it is written
        pairing.match(state.load(path) for path in paths)
        report.failures += pairing.failures
    try:
        for number, path in enumerate(paths):
            document = state.load(path)
            if document.error is not None:
                report.failures.append({"doc": document.path, "error": document.error})
            else:
                if pairing is not None:
                    document.article = pairing.article(number, document)
                writer.add(document)
    except BaseException:
        writer.abort()
        raise
    report.counts = dict(writer.counts)
    report.filtered = dict(writer.filtered)
    report.duplicates, report.excluded = dict(writer.duplicates), dict(writer.excluded)
    report.cache = stats.cache
    if pairing is not None:
        report.articles = pairing.record(paths)
    report.seconds = round(time.perf_counter() - started, 3)
    # An earlier run's page goes first: it would pass for this run's if the new one failed.
    old_page = (outdir / REPORT_FILE).exists()
    (outdir / REPORT_FILE).unlink(missing_ok=True)
    record = RunRecord(header, vars(report), stats.ran_on)
    removed = writer.commit(record.to_dict())
    if removed:
        log.warning("removed %s: left by an earlier run with other settings", ", ".join(removed))
    if settings.report:  # before the state goes: interrupted here, --resume still rebuilds it
        write_report(outdir)
    elif old_page:
        log.warning("removed %s: left by an earlier run", REPORT_FILE)
    state.clear()
    return report


def _executor(config: Config, progress: Progress | None) -> Executor:
    """The executor ``config.settings.executor`` names."""
    if config.settings.executor == "ray":
        from .distributed import RayExecutor  # the ray extra is imported only for Ray runs

        return RayExecutor(config, progress)
    return LocalExecutor(config, progress)


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


@dataclass(frozen=True)
class RunRecord:
    """``run.json``, part by part, in the order written: a key two parts share is an error rather
    than one silently overwriting the other.

    Attributes:
        header: what produced the corpus and decides its rows (the provenance, ``dedupe``,
            ``exclude``), as the TMX header holds it.
        report: the run's report (:class:`RunReport`'s fields).
        ran_on: where it ran (the Ray pool; nothing, locally).
    """

    header: Mapping[str, Any]
    report: Mapping[str, Any]
    ran_on: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The record as ``run.json`` holds it.

        Raises:
            ValueError: two parts with the same key.
        """
        return merged(self.header, self.report, self.ran_on)


def merged(*parts: Mapping[str, Any]) -> dict[str, Any]:
    """The parts' keys together, in order.

    Raises:
        ValueError: a key in two parts (one would overwrite the other).
    """
    record: dict[str, Any] = {}
    for part in parts:
        shared = record.keys() & part.keys()
        if shared:
            raise ValueError(f"run.json would hold {', '.join(sorted(shared))} twice")
        record.update(part)
    return record
