"""The data model every stage reads and extends: a :class:`Document` made of :class:`Segment` s.

A document starts as the lines of one input file.  Parsing gives each line a *role*; splitting turns
French lines into sentence segments; language identification sets ``lang``; translation fills
``translations``; alignment links a Vietnamese caption to the French segments that translate it.
Nothing else carries state between stages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "CONTENT_ROLES",
    "ROLES",
    "SCORE_DECIMALS",
    "Alignment",
    "ArticleAlignment",
    "ArticleLink",
    "Document",
    "NearMiss",
    "Role",
    "Segment",
    "document_from_dict",
    "document_to_dict",
    "french_article",
    "passes_min_score",
    "rounded",
]

Role = Literal["title", "byline", "heading", "body", "caption", "chrome"]
ROLES: tuple[Role, ...] = ("title", "byline", "heading", "body", "caption", "chrome")
# The roles of article content: their French text is translated, and the aligner pairs text
# of these roles only.
CONTENT_ROLES: frozenset[str] = frozenset({"title", "heading", "body", "caption"})
# Decimals of the scores the output files hold: the documents keep them whole (``--min-score``
# compares those), and only what is written is rounded (:func:`rounded`).
SCORE_DECIMALS = 4


def french_article(lang: str, role: str) -> bool:
    """Whether text of ``lang`` in ``role`` is French article text: split into sentences and
    translated (the one definition)."""
    return lang == "fr" and role in CONTENT_ROLES


def rounded(score: float | None) -> float | None:
    """A score as the output files write it (:data:`SCORE_DECIMALS`)."""
    return None if score is None else round(score, SCORE_DECIMALS)


def passes_min_score(score: float | None, min_score: float | None) -> bool:
    """Whether a translation scoring ``score`` passes ``--min-score`` (the one rule, for a
    corpus build and ``--lines`` alike): the score as the model gave it, never :func:`rounded`,
    is compared, so a score of -0.75004 (written -0.75) does not pass -0.75.  A translation
    without a score always passes, and so does every one without a threshold."""
    return min_score is None or score is None or score >= min_score


@dataclass
class Alignment:
    """A Vietnamese segment paired with the French segments that translate it.

    Attributes:
        vi: index of the Vietnamese segment.
        fr: indices of the consecutive French segments (one to three).
        score: calibrated confidence in [0, 1].
        mt_chrf: chrF of the machine translation fr->vi of the French side against the Vietnamese
            text, when machine translation ran; a free, reference-based check of the model.
        model_score: the fr->vi model's log-probability per token of the Vietnamese text given
            the French (forced decoding), when a fr->vi model was loaded; reported, not used by
            the aligner.
    """

    vi: int
    fr: tuple[int, ...]
    score: float
    mt_chrf: float | None = None
    model_score: float | None = None


@dataclass(frozen=True)
class ArticleLink:
    """French sentences of a page linked with the sentences of the Vietnamese original they
    translate (:mod:`bilingual.align.article`).

    Attributes:
        fr: indices of the page's consecutive French segments (none: a Vietnamese sentence the
            page left out).
        vi: indices of the original's consecutive Vietnamese segments (none: a French sentence
            the original does not hold).
        score: calibrated probability that the link is right (``0.0`` for a sentence left
            out).
    """

    fr: tuple[int, ...]
    vi: tuple[int, ...]
    score: float

    @property
    def link(self) -> str:
        """The link's shape, French count first: ``1-1``, ``2-1``, ``1-0``."""
        return f"{len(self.fr)}-{len(self.vi)}"


@dataclass
class NearMiss:
    """A Vietnamese segment the aligner left unpaired, with the candidate that came closest.

    Attributes:
        vi: index of the Vietnamese segment.
        fr: indices of its best candidate's French segments; empty when it had no candidate
            (no French text near it).
        score: that candidate's calibrated probability; ``None`` without a candidate.
        threshold: the score a pair needed; ``None`` without a candidate.
        mt_chrf: the candidate's machine-translation chrF, when its French was translated.
    """

    vi: int
    fr: tuple[int, ...] = ()
    score: float | None = None
    threshold: float | None = None
    mt_chrf: float | None = None


@dataclass
class Segment:
    """One unit of a document: a sentence of article text, a caption, or a line of site chrome.

    Attributes:
        index: position in the document, from 0, in reading order.
        role: ``title``, ``byline``, ``heading`` (subheading), ``body``, ``caption``, ``chrome``.
        text: the segment's text, exactly as in the input (after NFC normalisation).
        lang: ``fr``, ``vi``, ``en`` or ``other``; empty until language identification ran.
        paragraph: index of the input line (paragraph) the segment comes from.
        translations: target language -> machine translation.
        scores: target language -> the model's score of that translation (see
            :class:`~bilingual.Translation`).
        alternatives: target language -> the other hypotheses, best first, each
            ``{"text": …, "score": …}``, when more than one was asked for.
        aligned_with: indices of the segments on the other side of this segment's alignment.
        pieces: how many pieces the engine cut the segment into because it was longer than the
            model's limit (1 when it fitted whole).
    """

    index: int
    role: Role
    text: str
    lang: str = ""
    paragraph: int = 0
    translations: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    alternatives: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    aligned_with: tuple[int, ...] = ()
    pieces: int = 1

    @property
    def translatable(self) -> bool:
        """Whether this segment is French article text that the engine should translate."""
        return french_article(self.lang, self.role) and bool(self.text.strip())


@dataclass
class Document:
    """One input file and everything the pipeline learnt about it.

    Attributes:
        path: the input path as given by the caller (``-`` for standard input).
        segments: the segments in reading order.
        alignments: Vietnamese captions paired with their French translations.
        encoding: the encoding the file was decoded from.
        error: why the document could not be processed, if it could not; then it has no segments.
        near_misses: the Vietnamese segments the aligner considered and left unpaired, each with
            its closest candidate (``pairs.rejected.jsonl``).
        article: the Vietnamese original the page translates and the links of their sentences,
            when originals were given and one matched (set as the corpus files are written).
    """

    path: str
    segments: list[Segment] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)
    encoding: str = "utf-8"
    error: str | None = None
    near_misses: list[NearMiss] = field(default_factory=list)
    article: ArticleAlignment | None = None


@dataclass
class ArticleAlignment:
    """A page's Vietnamese original and the links between their sentences.

    Attributes:
        original: the original, read and split (its ``path`` names it).
        score: the calibrated probability that it is the page's original.
        links: every link, in the page's order, sentences left out included (``1-0``, ``0-1``).
    """

    original: Document
    score: float
    links: list[ArticleLink] = field(default_factory=list)


def document_to_dict(document: Document) -> dict[str, Any]:
    """Everything about a document, as plain JSON-ready data (see :func:`document_from_dict`)."""
    return asdict(document)


def document_from_dict(data: dict[str, Any]) -> Document:
    """The document :func:`document_to_dict` described (JSON turned its tuples into lists)."""
    segments = [
        Segment(**{**s, "aligned_with": tuple(s["aligned_with"])}) for s in data["segments"]
    ]
    alignments = [Alignment(**{**a, "fr": tuple(a["fr"])}) for a in data["alignments"]]
    misses = [NearMiss(**{**m, "fr": tuple(m["fr"])}) for m in data.get("near_misses", ())]
    article = None
    if data.get("article"):
        a = data["article"]
        links = [ArticleLink(tuple(k["fr"]), tuple(k["vi"]), k["score"]) for k in a["links"]]
        article = ArticleAlignment(document_from_dict(a["original"]), a["score"], links)
    return Document(
        data["path"], segments, alignments, data["encoding"], data["error"], misses, article
    )
