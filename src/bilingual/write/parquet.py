"""``corpus.parquet``: the corpus as the field's tools read it (Hugging Face ``datasets``,
datatrove, NeMo Curator, pandas, DuckDB).

One row per machine-translated segment (the rows of ``corpus.tmx``), per caption pair and per
article link (the rows of ``pairs.fr-vi.*``), each document's segments first, then its pairs,
then its links:

* ``translation``: ``{en, fr, vi}`` (the languages of the run, sorted), a ``datasets``
  ``Translation`` feature (said in the schema's ``huggingface`` metadata); a language the row
  has no text for is null;
* ``origin``: ``mt``, ``human`` or ``article``; ``model``, ``route`` and ``scores``: per target
  language, the model exactly, its route and its score of the translation (null for a human
  pair and an article link);
* ``doc``, ``index`` (the segment, or a pair's Vietnamese segment), ``role``, ``fr_indices``;
* ``pair_score``, ``mt_chrf`` and ``model_score``: a caption pair's calibrated probability, the
  chrF of its French side's machine translation against the human Vietnamese, and the fr->vi
  model's score of the human Vietnamese (null for machine rows, and where not computed); an
  article link's ``pair_score`` is its calibrated probability;
* ``vi_doc`` and ``vi_indices``: an article link's original and its sentences (null otherwise).

pyarrow is imported only when this file is written (``pip install 'bilingual[parquet]'``).  Rows
are written in row groups of :data:`ROW_GROUP_ROWS`, so memory stays flat however big the corpus,
into a temporary file renamed into place on commit.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..document import Document, rounded
from ..errors import ConfigError
from .atomic import AtomicPath, output_error
from .formats import Writer
from .names import PARQUET
from .origin import Origin
from .records import article_records, pair_records, row_text

__all__ = ["PARQUET", "ROW_GROUP_ROWS", "ParquetWriter", "import_pyarrow"]

# Rows held in memory before they are written as one row group (a few MB of text).
ROW_GROUP_ROWS = 10_000


def import_pyarrow() -> Any:
    """The ``pyarrow`` module, imported now.

    Raises:
        ConfigError: pyarrow is not installed (the message says how to install it).
    """
    try:
        import pyarrow
        import pyarrow.parquet  # the submodule the writer uses
    except ImportError as e:
        raise ConfigError(
            f"{PARQUET} needs pyarrow, which is not installed: pip install 'bilingual[parquet]'"
        ) from e
    return pyarrow


class ParquetWriter(Writer):
    """Streams documents into ``corpus.parquet``.

    Args:
        outdir: the output directory.
        targets: the machine-translation target languages.
        origins: the origin of each target's translations.
        row_group_rows: rows per row group.

    Raises:
        ConfigError: pyarrow is not installed.
        OutputError: the file cannot be written.
    """

    def __init__(
        self,
        outdir: Path,
        targets: list[str],
        origins: Mapping[str, Origin],
        row_group_rows: int = ROW_GROUP_ROWS,
    ) -> None:
        super().__init__([])
        self.pa = import_pyarrow()
        self.languages = sorted({"fr", "vi", *targets})
        self.targets = [lang for lang in self.languages if lang != "fr"]
        self.origins = dict(origins)
        self.row_group_rows = row_group_rows
        self.schema = _schema(self.pa, self.languages, self.targets)
        self.out = AtomicPath(outdir / PARQUET)
        self.rows: list[dict[str, Any]] = []
        try:
            self.writer = self.pa.parquet.ParquetWriter(str(self.out.temporary), self.schema)
        except BaseException:
            self.out.abort()
            raise

    def add(self, document: Document) -> int:
        rows = [
            *self._machine_rows(document),
            *self._human_rows(document),
            *self._article_rows(document),
        ]
        self.rows.extend(rows)
        if len(self.rows) >= self.row_group_rows:
            try:
                self._flush()
            except OSError as e:  # a full disk shows here too, as for the text files
                self.abort()
                raise output_error(self.out.path, e) from e
        return len(rows)

    def finish(self) -> None:
        """Write the last row group and the footer, and put the file on disk."""
        try:
            self._flush()
            self.writer.close()
        except OSError as e:  # a full disk shows here, as for the text files
            self.out.abort()
            raise output_error(self.out.path, e) from e
        except BaseException:
            self.out.abort()
            raise
        self.out.finish()

    def publish(self) -> None:
        self.out.publish()

    def abort(self) -> None:
        try:
            with contextlib.suppress(Exception):  # on a full disk closing fails too: dropped anyway
                self.writer.close()
        finally:
            self.out.abort()

    def _flush(self) -> None:
        if self.rows:
            table = self.pa.Table.from_pylist(self.rows, schema=self.schema)
            self.writer.write_table(table, row_group_size=max(len(self.rows), 1))
            self.rows = []

    def _machine_rows(self, document: Document) -> Iterator[dict[str, Any]]:
        """The segments with translations (the selection left only the kept ones)."""
        for s in document.segments:
            langs = [lang for lang in self.origins if s.translations.get(lang)]
            if not langs:
                continue
            yield {
                "doc": document.path,
                "index": s.index,
                "role": s.role,
                "origin": "mt",
                "translation": {
                    "fr": row_text(s.text),
                    **{lang: row_text(s.translations[lang]) for lang in langs},
                },
                "model": {lang: self.origins[lang].model for lang in langs},
                "route": {lang: self.origins[lang].route for lang in langs},
                "scores": {lang: rounded(s.scores.get(lang)) for lang in langs},
                "fr_indices": [s.index],
                "pair_score": None,
                "mt_chrf": None,
                "model_score": None,
                "vi_doc": None,
                "vi_indices": None,
            }

    def _human_rows(self, document: Document) -> Iterator[dict[str, Any]]:
        for pair in pair_records(document):
            yield {
                "doc": document.path,
                "index": pair["vi_index"],
                "role": document.segments[pair["vi_index"]].role,
                "origin": "human",
                "translation": {"fr": pair["fr"], "vi": pair["vi"]},
                "model": None,
                "route": None,
                "scores": None,
                "fr_indices": pair["fr_indices"],
                "pair_score": pair["score"],
                "mt_chrf": pair.get("mt_chrf"),
                "model_score": pair.get("model_score"),
                "vi_doc": None,
                "vi_indices": None,
            }

    def _article_rows(self, document: Document) -> Iterator[dict[str, Any]]:
        for link in article_records(document):
            yield {
                "doc": document.path,
                "index": link["fr_indices"][0],
                "role": document.segments[link["fr_indices"][0]].role,
                "origin": "article",
                "translation": {"fr": link["fr"], "vi": link["vi"]},
                "model": None,
                "route": None,
                "scores": None,
                "fr_indices": link["fr_indices"],
                "pair_score": link["score"],
                "mt_chrf": None,
                "model_score": None,
                "vi_doc": link["vi_doc"],
                "vi_indices": link["vi_indices"],
            }


def _schema(pa: Any, languages: list[str], targets: list[str]) -> Any:
    """The file's columns, with the ``datasets`` features that make ``translation`` a
    ``Translation`` (its struct's fields must be the sorted languages, all strings)."""

    def per_target(kind: Any) -> Any:
        return pa.struct([(lang, kind) for lang in targets])

    schema = pa.schema(
        [
            ("doc", pa.string()),
            ("index", pa.int64()),
            ("role", pa.string()),
            ("origin", pa.string()),
            ("translation", pa.struct([(lang, pa.string()) for lang in languages])),
            ("model", per_target(pa.string())),
            ("route", per_target(pa.string())),
            ("scores", per_target(pa.float64())),
            ("fr_indices", pa.list_(pa.int64())),
            ("pair_score", pa.float64()),
            ("mt_chrf", pa.float64()),
            ("model_score", pa.float64()),
            ("vi_doc", pa.string()),
            ("vi_indices", pa.list_(pa.int64())),
        ]
    )
    features = {"translation": {"_type": "Translation", "languages": languages}}
    return schema.with_metadata({"huggingface": json.dumps({"info": {"features": features}})})
