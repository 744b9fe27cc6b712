"""``pairs.rejected.jsonl``: the Vietnamese texts the aligner left unpaired, as data.

One object per near miss (:class:`~bilingual.document.NearMiss`), as OpusFilter's ``--removed``
writes what a filter dropped: a user sees what the corpus left out, and why, without a script.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import Document, NearMiss
from .atomic import AtomicFile
from .formats import Writer
from .names import REJECTED

__all__ = ["REJECTED_FILE", "JsonlRejected", "near_miss_reason", "rejected_records"]

REJECTED_FILE = f"{REJECTED}.jsonl"


def near_miss_reason(miss: NearMiss) -> str:
    """Why a near miss was not paired: ``no_candidate`` (no French text near it),
    ``below_threshold``, or ``french_taken`` (its best candidate cleared the threshold, but its
    French text went to a better-scored pair)."""
    if miss.score is None or miss.threshold is None:
        return "no_candidate"
    return "below_threshold" if miss.score < miss.threshold else "french_taken"


def rejected_records(document: Document) -> Iterator[dict[str, Any]]:
    """The ``pairs.rejected.jsonl`` objects of one document."""
    for miss in document.near_misses:
        vi = document.segments[miss.vi]
        record: dict[str, Any] = {
            "doc": document.path,
            "vi": vi.text,
            "vi_index": miss.vi,
            "line": vi.paragraph + 1,
            "fr": " ".join(document.segments[i].text for i in miss.fr) if miss.fr else None,
            "fr_indices": list(miss.fr),
            "score": miss.score,
            "threshold": miss.threshold,
            "reason": near_miss_reason(miss),
        }
        if miss.mt_chrf is not None:
            record["mt_chrf"] = round(miss.mt_chrf, 4)
        yield record


class JsonlRejected(Writer):
    """Writes ``pairs.rejected.jsonl``."""

    def __init__(self, outdir: Path) -> None:
        super().__init__([AtomicFile(outdir / REJECTED_FILE)])

    def add(self, document: Document) -> int:
        records = list(rejected_records(document))
        self.files[0].write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        return len(records)
