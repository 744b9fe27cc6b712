"""Writing the parallel corpus: every format streams documents into atomic files.

:class:`CorpusWriter` opens one writer per format and file; documents are added as the pipeline
yields them, in input order, and a :class:`~bilingual.write.select.Selector` decides which of
their rows each file gets (test sets kept out, duplicates once); :meth:`CorpusWriter.commit`
moves every file into place at once (and writes ``run.json``), :meth:`CorpusWriter.abort` leaves
the previous outputs untouched.  A full disk while the files are written or finished leaves
every previous file as it was, and no temporary file.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from ..document import Document
from .atomic import AtomicFile, write_atomic
from .dedupe import DEFAULT_DEDUPE
from .exclude import Exclusion
from .formats import (
    JsonlArticle,
    JsonlPairs,
    JsonlSegments,
    MosesWriter,
    SourcesWriter,
    TmxWriter,
    TsvWriter,
    Writer,
    kept,
)
from .names import ARTICLE, MT_FILES, PARQUET, RUN, mt_language
from .origin import Origin
from .parquet import ParquetWriter
from .rejected import JsonlRejected
from .select import Selection, Selector

__all__ = ["AtomicFile", "CorpusWriter", "stale_translation_files", "write_atomic"]


class CorpusWriter:
    """All output files of one run in ``outdir``.

    Args:
        outdir: the output directory (created if needed).
        targets: the languages French was machine-translated into.
        provenance: tool version, model ids and settings, written into the TMX header.
        min_score: keep in the machine-translation files and the TMX only translations scoring
            at least this (``filtered`` counts the others per language).
        dedupe: ``exact``, ``normalized`` or ``none`` (see :mod:`bilingual.write.dedupe`):
            ``duplicates`` counts the rows removed per file.
        exclusion: test-set sentences to keep out (``excluded`` counts the rows per file).
        parquet: write ``corpus.parquet`` too (needs pyarrow); without it, one an earlier run
            left is removed.
        origins: who made each target's machine translations (the run's
            :meth:`~bilingual.loading.Provenance.origins`); ``None``: a model without a name.
        min_link_score: keep in the corpus files only the article links scoring at least this
            (``filtered`` counts the others under ``article.fr-vi``).

    Example:
        >>> with CorpusWriter(Path("out"), ["en", "vi"], {"version": "0.1.0"}) as out:
        ...     for document in pipeline.run(paths):
        ...         out.add(document)
    """

    def __init__(
        self,
        outdir: Path,
        targets: list[str],
        provenance: dict[str, Any],
        min_score: float | None = None,
        *,
        dedupe: str = DEFAULT_DEDUPE,
        exclusion: Exclusion | None = None,
        parquet: bool = False,
        origins: Mapping[str, Origin] | None = None,
        min_link_score: float | None = None,
    ) -> None:
        self.outdir = outdir
        self.targets = list(targets)
        self.min_score = min_score
        self.min_link_score = min_link_score
        self.selector = Selector(self.targets, min_score, dedupe, exclusion, min_link_score)
        self.duplicates, self.excluded = self.selector.duplicates, self.selector.excluded
        self.parquet = parquet
        origins = {lang: (origins or {}).get(lang, Origin("mt")) for lang in self.targets}
        self.counts: Counter[str] = Counter()
        self.filtered: Counter[str] = Counter(
            {lang: 0 for lang in targets} if min_score is not None else {}
        )
        self.writers: dict[str, Writer] = {}
        try:
            self.writers["segments"] = JsonlSegments(outdir)
            self.writers["pairs"] = JsonlPairs(outdir)
            self.writers["pairs.tsv"] = TsvWriter(outdir, "vi", human=True)
            self.writers["pairs.moses"] = MosesWriter(outdir, "vi", human=True)
            self.writers["rejected"] = JsonlRejected(outdir)
            self.writers["article"] = JsonlArticle(outdir)
            self.writers["sources"] = SourcesWriter(outdir)
            for lang in targets:
                tsv = TsvWriter(outdir, lang, origin=origins[lang])
                self.writers[f"mt.{lang}.tsv"] = tsv
                self.writers[f"mt.{lang}.moses"] = MosesWriter(outdir, lang)
            self.writers["tmx"] = TmxWriter(outdir, targets, provenance, origins)
            if parquet:
                self.writers["parquet"] = ParquetWriter(outdir, self.targets, origins)
        except BaseException:
            self.abort()
            raise

    def add(self, document: Document) -> None:
        """Write one document to every format (documents must come in input order: the first
        occurrence of a row is the one kept)."""
        selection = self.selector.select(document)
        for name, writer in self.writers.items():
            if isinstance(writer, JsonlSegments):
                self.counts[name] += writer.add(document, selection.notes)
            else:
                self.counts[name] += writer.add(_view(selection, name))
        if self.min_link_score is not None:
            self.filtered[ARTICLE] = self.selector.filtered_links
        if self.min_score is not None:
            for lang in self.targets:
                translated = sum(1 for s in document.segments if s.translations.get(lang))
                kept_here = sum(1 for s in document.segments if kept(s, lang, self.min_score))
                self.filtered[lang] += translated - kept_here

    def commit(self, run: dict[str, Any] | None = None) -> list[str]:
        """Move every file into place, remove the machine-translation files an earlier run left
        for targets this one does not have, and write ``run.json`` last, when given.

        Returns:
            The names of the files removed.
        """
        run_file: AtomicFile | None = None
        try:  # every file on disk first, where a full disk shows; then all appear together
            for writer in self.writers.values():
                writer.finish()
            if run is not None:
                run_file = AtomicFile(self.outdir / RUN)
                run_file.write(json.dumps(run, ensure_ascii=False, indent=2) + "\n")
                run_file.finish()
        except BaseException:
            self.abort()
            if run_file is not None:
                run_file.abort()
            raise
        for writer in self.writers.values():
            writer.publish()
        stale = stale_translation_files(self.outdir, self.targets)
        if not self.parquet and (self.outdir / PARQUET).exists():
            stale.append(self.outdir / PARQUET)
        for path in stale:
            path.unlink(missing_ok=True)
        if run_file is not None:
            run_file.publish()
        return [p.name for p in stale]

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.abort()

    def __enter__(self) -> CorpusWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def _view(selection: Selection, writer: str) -> Document:
    """The document as the writer named ``writer`` writes it: ``mt.L.*`` writers get the
    translations into ``L`` kept, the others the tu's and pairs kept."""
    if writer.startswith("mt."):
        return selection.mt[writer.split(".")[1]]
    return selection.corpus


def stale_translation_files(outdir: Path, targets: list[str]) -> list[Path]:
    """The machine-translation files in ``outdir`` for languages not in ``targets``: left by an
    earlier run with more targets, they would pass for this run's output."""
    found = []
    for path in sorted(outdir.glob(MT_FILES)):
        lang = mt_language(path.name)
        if lang is not None and lang not in targets:
            found.append(path)
    return found
