"""The JSON objects of the output files, built in one place: ``segments.jsonl``,
``pairs.fr-vi.jsonl`` (and the Parquet corpus's pairs) and ``pairs.rejected.jsonl``.

Each builder takes a :class:`~bilingual.document.Document` and gives its records in order, the
output contract's keys first; scores are rounded here, as written
(:func:`~bilingual.document.rounded`), never in the documents.  The writers (``formats.py``,
``parquet.py``, ``rejected.py``) only serialize what these give, and every text they write goes
through :func:`row_text`, so a row has one text in every format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..document import Document, NearMiss, Segment, rounded
from .origin import ARTICLE, HUMAN

__all__ = [
    "article_records",
    "near_miss_reason",
    "pair_records",
    "rejected_records",
    "row_text",
    "segment_record",
    "segment_records",
]

# What some format cannot hold: a tab or a line break (whatever ``str.splitlines`` breaks a line
# at) would cut a TSV row or a Moses line, and a JSON Lines record for a reader that splits lines
# so; each becomes a space.  The characters XML 1.0 cannot hold (the TMX) are dropped.
_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]")
_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1b\x1f\ufffe\uffff]")


def row_text(text: str) -> str:
    r"""A text as every output file writes it (``segments.jsonl``, the pair files, TSV, Moses,
    TMX, Parquet): the one home of the rule, so that a row has one text in every format.

    The text is kept as read (NFC) or as the model gave it: no-break spaces (U+00A0, and U+202F,
    the narrow one French typography puts before ``; ? !`` and inside guillemets), runs of
    spaces, every other character.  The segment's text is the source of truth, and folding
    spaces is a tokeniser's business (Moses' normaliser and tokeniser, which opus-mt's runs, do
    it).  Folded in the TSV and Moses files only, as they once were, a row had two texts, and
    ``--dedupe exact`` could write two rows that the TSV showed the same.  What a format cannot
    hold changes in every format alike: a tab or a line break becomes a space, and a character
    XML cannot hold is dropped.

    Example:
        >>> row_text("(Photo\u00a0: An Dang/VNA)\tTTXVN")
        '(Photo\xa0: An Dang/VNA) TTXVN'
    """
    return _XML_INVALID.sub("", _BREAKS.sub(" ", text))


def segment_record(doc: str, segment: Segment) -> dict[str, Any]:
    """The ``segments.jsonl`` object for one segment (the output contract's keys come first)."""
    record: dict[str, Any] = {
        "doc": doc,
        "index": segment.index,
        "role": segment.role,
        "lang": segment.lang,
        "text": row_text(segment.text),
        "translations": {lang: row_text(t) for lang, t in segment.translations.items()},
        "scores": {lang: rounded(score) for lang, score in segment.scores.items()},
        "paragraph": segment.paragraph,
    }
    if segment.alternatives:
        record["alternatives"] = {
            lang: [
                {**a, "text": row_text(a["text"]), "score": rounded(a["score"])}
                for a in alternatives
            ]
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
            "vi": row_text(document.segments[a.vi].text),
            "fr": row_text(" ".join(document.segments[i].text for i in a.fr)),
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


def article_records(document: Document) -> Iterator[dict[str, Any]]:
    """The ``article.fr-vi.jsonl`` objects of one page: each link of its sentences with its
    original's, both sides non-empty (a sentence left out is counted in ``run.json``, not
    written)."""
    article = document.article
    if article is None:
        return
    original = article.original
    for link in article.links:
        if link.fr and link.vi:
            yield {
                "fr_doc": document.path,
                "vi_doc": original.path,
                "fr": row_text(" ".join(document.segments[i].text for i in link.fr)),
                "vi": row_text(" ".join(original.segments[j].text for j in link.vi)),
                "fr_indices": list(link.fr),
                "vi_indices": list(link.vi),
                "score": link.score,
                "link": link.link,
                "match_score": article.score,
                "origin": ARTICLE.kind,
            }


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
            "vi": row_text(vi.text),
            "vi_index": miss.vi,
            "line": vi.paragraph + 1,
            "fr": row_text(" ".join(document.segments[i].text for i in miss.fr))
            if miss.fr
            else None,
            "fr_indices": list(miss.fr),
            "score": miss.score,
            "threshold": miss.threshold,
            "reason": near_miss_reason(miss),
        }
        if miss.mt_chrf is not None:
            record["mt_chrf"] = rounded(miss.mt_chrf)
        yield record
