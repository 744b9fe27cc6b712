"""What Ray Data runs on the cluster: one row per document, through read, translate and align.

A row is ``{"path": …, "document": …}`` with the document as JSON (:func:`document_to_dict`): a
page travels whole from stage to stage, and Arrow never has to infer a schema for nested,
optional fields.  These functions run in Ray's worker processes, which import this module; they
import no Ray themselves.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from ..align import Aligner
from ..backends import load_translators, pipeline_for
from ..document import Document, document_from_dict, document_to_dict
from ..errors import ModelError
from ..pipeline import prepare
from ..routes import TargetSpec
from ..settings import Settings

__all__ = ["Translate", "align_row", "decode", "encode", "prepare_row"]

Row = dict[str, Any]


def encode(document: Document) -> Row:
    """A document as a row."""
    text = json.dumps(document_to_dict(document), ensure_ascii=False)
    return {"path": document.path, "document": text}


def decode(text: str) -> Document:
    """The document a row's ``document`` column holds."""
    return document_from_dict(json.loads(text))


def prepare_row(row: Row) -> Row:
    """Read, parse and split one input (a task); a bad input becomes a document with ``error``."""
    return encode(prepare(row["path"]))


class Translate:
    """A translation actor: loads each model once, then translates batches of documents and
    aligns them (the caption pairs' ``model_score`` needs the fr->vi model).

    The French sentences of all the documents of a batch go to each target's engine in one call,
    so batches are shared across documents as in a local run.

    Args:
        translators: target language -> model id, directory, or a picklable translator object.
        settings: device, precision, threads and workers of the models, and the beam width.

    Raises:
        ModelError: a model did not load here although it loaded when the run was planned.
    """

    def __init__(self, translators: Mapping[str, TargetSpec], settings: Settings) -> None:
        engines, failures, _ = load_translators(translators, settings)
        if failures:
            raise ModelError(f"a translation actor could not load a model: {failures[0]['error']}")
        self.pipeline = pipeline_for(engines, settings)

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[str]]:
        documents = [decode(text) for text in batch["document"]]
        live = [d for d in documents if d.error is None]
        self.pipeline.translate(live)
        # Aligned here, where the models are, so that each pair gets its model_score as locally.
        for document in live:
            self.pipeline.aligner.annotate(document)
        self.pipeline.score_pairs(live)
        rows = [encode(d) for d in documents]
        return {"path": [r["path"] for r in rows], "document": [r["document"] for r in rows]}


def align_row(row: Row) -> Row:
    """Pair a document's Vietnamese captions with their French text (a task, in a run without
    translation)."""
    document = decode(row["document"])
    if document.error is None:
        _aligner().annotate(document)
    return encode(document)


@functools.cache
def _aligner() -> Aligner:
    """One aligner per worker process (it holds the word table)."""
    return Aligner()
