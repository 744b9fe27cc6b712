"""``pairs.rejected.jsonl``: the Vietnamese texts the aligner left unpaired, as data.

One object per near miss (:class:`~bilingual.document.NearMiss`), as OpusFilter's ``--removed``
writes what a filter dropped: a user sees what the corpus left out, and why, without a script.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..document import Document
from .atomic import AtomicFile
from .formats import Writer
from .names import REJECTED_JSONL
from .records import rejected_records

__all__ = ["JsonlRejected"]


class JsonlRejected(Writer):
    """Writes ``pairs.rejected.jsonl``."""

    def __init__(self, outdir: Path) -> None:
        super().__init__([AtomicFile(outdir / REJECTED_JSONL)])

    def add(self, document: Document) -> int:
        records = list(rejected_records(document))
        self.files[0].write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        return len(records)
