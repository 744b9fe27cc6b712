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
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import Document, document_from_dict, document_to_dict
from .pipeline import Pipeline, expand_inputs
from .read import STDIN
from .write import CorpusWriter, write_atomic

__all__ = ["STATE_DIR", "RunReport", "build_corpus"]

STATE_DIR = ".bilingual-state"


@dataclass
class RunReport:
    """What a run did: documents, failures, records written, cache use and time."""

    documents: int = 0
    resumed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def build_corpus(
    inputs: Iterable[str],
    outdir: Path,
    pipeline: Pipeline,
    provenance: dict[str, Any],
    *,
    resume: bool = False,
    failures: Sequence[dict[str, str]] = (),
) -> RunReport:
    """Run ``pipeline`` over ``inputs`` and write the corpus files and ``run.json`` in ``outdir``.

    Args:
        inputs: files, directories (their ``*.txt``) or ``-`` for standard input.
        outdir: the output directory.
        pipeline: the configured pipeline.
        provenance: settings and model ids, for the TMX header and ``run.json``.
        resume: reuse the documents an interrupted run already finished (same settings only).
        failures: problems found before the run (a model that did not load), for ``run.json``.

    Returns:
        The run's report (also written to ``run.json``).

    Example:
        >>> report = build_corpus(["seeds"], Path("out"), Pipeline(), {"version": __version__})
        >>> report.failures
        []
    """
    started = time.perf_counter()
    state = _State(outdir / STATE_DIR, json.dumps(provenance, sort_keys=True))
    if not resume:
        state.clear()
    paths = list(expand_inputs(inputs))
    report = RunReport(documents=len(paths), failures=list(failures))
    todo = [p for p in paths if not state.done(p)]
    report.resumed = len(paths) - len(todo)
    for document in pipeline.run(todo):
        state.save(document)
    writer = CorpusWriter(outdir, list(pipeline.translators), provenance)
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
    report.cache = _cache_counts(pipeline)
    report.seconds = round(time.perf_counter() - started, 3)
    writer.commit({**provenance, **report.__dict__})
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


def _cache_counts(pipeline: Pipeline) -> dict[str, int]:
    hits = sum(getattr(t, "hits", 0) for t in pipeline.translators.values())
    misses = sum(getattr(t, "misses", 0) for t in pipeline.translators.values())
    return {"hits": hits, "misses": misses}
