"""What Ray Data runs on the cluster: one row per document, through the pipeline's first step
(prepare), then its others.

A row is ``{"path": …, "document": …}`` with the document as JSON (:func:`document_to_dict`): a
page travels whole from stage to stage, and Arrow never has to infer a schema for nested,
optional fields.  These functions run in Ray's worker processes, which import this module; they
import no Ray themselves.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping
from typing import Any

from ..config import Config
from ..document import Document, document_from_dict, document_to_dict
from ..errors import ModelError
from ..loading import load_run
from ..pipeline import Pipeline
from ..targets import Tally

__all__ = ["TALLY", "ModelSteps", "decode", "encode", "prepare_row", "process_row", "tally_of"]

Row = dict[str, Any]
TALLY = "tally"  # the column of the route comparison's tally


def encode(document: Document) -> Row:
    """A document as a row."""
    text = json.dumps(document_to_dict(document), ensure_ascii=False)
    return {"path": document.path, "document": text}


def decode(text: str) -> Document:
    """The document a row's ``document`` column holds."""
    return document_from_dict(json.loads(text))


def prepare_row(row: Row) -> Row:
    """The pipeline's first step, prepare (read, parse, split), on one input (a task); a bad
    input becomes a document with ``error``."""
    document = Document(row["path"])
    Pipeline.prepare([document])
    return encode(document)


class ModelSteps:
    """A translation actor: loads the run once (:func:`~bilingual.load_run`, without a cache),
    then runs the pipeline's steps after prepare (translate, align, score the pairs, compare
    routes) on batches of documents, where the models are (the caption pairs' ``model_score``
    and the route comparison need them).

    The French sentences of all the documents of a batch go to each target's engine in one call,
    so batches are shared across documents as in a local run.  The route comparison's tally of a
    batch travels on its first row (``tally``); the driver adds them up.

    Raises:
        ModelError: a model did not load here although the driver found it.
    """

    def __init__(self, config: Config) -> None:
        run = load_run(config, cache=False)  # actors share no translation cache
        if run.failures:
            error = run.failures[0]["error"]
            raise ModelError(f"a translation actor could not load a model: {error}")
        self.pipeline = Pipeline(run)

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[str]]:
        documents = [decode(text) for text in batch["document"]]
        self.pipeline.process(documents, self.pipeline.steps()[1:])
        rows = [encode(d) for d in documents]
        tally = json.dumps(dataclasses.asdict(self.pipeline.comparison.tally.take()))
        return {
            "path": [r["path"] for r in rows],
            "document": [r["document"] for r in rows],
            TALLY: [tally] + [""] * (len(rows) - 1),
        }


def process_row(row: Row) -> Row:
    """The pipeline's steps after prepare on one document (a task, in a run without
    translation: they only align)."""
    document = decode(row["document"])
    pipeline = _pipeline()
    pipeline.process([document], pipeline.steps()[1:])
    return encode(document)


def tally_of(row: Row) -> Tally | None:
    """The route comparison's tally a row carries, if any."""
    text = row.get(TALLY)
    return Tally(**json.loads(text)) if text else None


@functools.cache
def _pipeline() -> Pipeline:
    """One pipeline without translation per worker process (its aligner holds the word table)."""
    return Pipeline(load_run(Config({})))
