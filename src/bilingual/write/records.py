"""The JSON objects of the output files, built in one place: ``segments.jsonl``,
``pairs.fr-vi.jsonl`` (and the Parquet corpus's pairs) and ``pairs.rejected.jsonl``.

Each builder takes a :class:`~bilingual.document.Document` and gives its records in order, the
output contract's keys first; scores are rounded here, as written
(:func:`~bilingual.document.rounded`), never in the documents.  The writers (``formats.py``,
``parquet.py``, ``rejected.py``) only serialize what these give.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..document import Document, NearMiss, Segment, rounded
from .origin import HUMAN

__all__ = [
    "near_miss_reason",
    "pair_records",
    "rejected_records",
    "segment_record",
    "segment_records",
]


def segment_record(doc: str, segment: Segment) -> dict[str, Any]:
    """The ``segments.jsonl`` object for one segment (the output contract's keys come first)."""
    record: dict[str, Any] = {
        "doc": doc,
        "index": segment.index,
        "role": segment.role,
        "lang": segment.lang,
        "text": segment.text,
        "translations": dict(segment.translations),
        "scores": {lang: rounded(score) for lang, score in segment.scores.items()},
        "paragraph": segment.paragraph,
    }
    if segment.alternatives:
        record["alternatives"] = {
            lang: [{**a, "score": rounded(a["score"])} for a in alternatives]
            for lang, alternatives in segment.alternatives.items()
        }
    if segment.aligned_with:
        record["aligned_with"] = list(segment.aligned_with)
    if segment.pieces > 1:
        record["pieces"] = segment.pieces
    return record


def segment_records(document: Document) -> list[dict[str, Any]]:
    """The ``segments.jsonl`` objects of one document, in reading order."""
    return [segment_record(document.path, s) for s in document.segments]


def pair_records(document: Document) -> Iterator[dict[str, Any]]:
    """The ``pairs.fr-vi.jsonl`` objects of one document."""
    for a in document.alignments:
        record: dict[str, Any] = {
            "doc": document.path,
            "vi": document.segments[a.vi].text,
            "fr": " ".join(document.segments[i].text for i in a.fr),
            "score": a.score,
            "vi_index": a.vi,
            "fr_indices": list(a.fr),
        }
        if a.mt_chrf is not None:
            record["mt_chrf"] = rounded(a.mt_chrf)
        if a.model_score is not None:
            record["model_score"] = rounded(a.model_score)
        record["origin"] = HUMAN.kind
        yield record


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
            record["mt_chrf"] = rounded(miss.mt_chrf)
        yield record
