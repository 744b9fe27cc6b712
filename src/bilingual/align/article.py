"""Sentence alignment of a French page with the Vietnamese original it translates.

A dynamic programme over the two articles' sentences, in order, with ``1-1``, ``1-2``, ``2-1``,
``1-3`` and ``3-1`` links and sentences left out on either side (``1-0``, ``0-1``), as Gale and
Church, Bleualign and hunalign do; here each link is scored by the evidence the caption aligner
has, read once per sentence (:mod:`bilingual.align.sentences`): how much of each side the other
explains by the word table, and by the machine translation when the pipeline made one, lengths,
numbers and names.  A fitted logistic model (``data/article_model.json``,
``python -m tools.fit_article``) turns them into log-odds; the programme maximises their sum,
each sentence left out counting the model's ``skip``; each link's score is the model's
calibrated probability that it is right.

Titles, headings and body sentences are aligned with each other; the original's photo captions
with the page's French captions, never with body text (two programmes).

Long articles are aligned in a band around anchors (:mod:`bilingual.align.band`): time and
memory grow with the article's length, not with the product of the two lengths.  The features
of a link are in :mod:`bilingual.align.links`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..document import ArticleLink, Document, Segment
from .article_model import LinkModel, shipped_link_models
from .band import best_path, rows
from .candidates import is_credit_line
from .lexicon import Lexicon, shipped_lexicon
from .links import Links
from .sentences import french_sentence, vietnamese_sentence

__all__ = ["BODY_ROLES", "ArticleAligner"]

BODY_ROLES = frozenset({"title", "heading", "body"})


class ArticleAligner:
    """Links a page's French sentences with its original's Vietnamese sentences.

    Args:
        lexicon: the word table; ``None``: the shipped one.
        target: the language of the machine translations compared with the original
            (``Segment.translations[target]``), used when every French sentence has one.
        without_mt, with_mt: the link models; ``None``: the shipped ones.

    Example:
        >>> links = ArticleAligner().align(page, original)
        >>> [(link.fr, link.vi, link.link) for link in links][:2]
        [((0,), (0,), '1-1'), ((3, 4), (2,), '2-1')]
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        target: str = "vi",
        *,
        without_mt: LinkModel | None = None,
        with_mt: LinkModel | None = None,
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else shipped_lexicon()
        self.target = target
        self.without_mt = without_mt or shipped_link_models()[0]
        self.with_mt = with_mt or shipped_link_models()[1]

    def align(self, page: Document, original: Document) -> list[ArticleLink]:
        """Every link of the two articles, sentences left out included (``1-0``, ``0-1``,
        score 0), in the page's order."""
        links = self.align_streams(_body(page, "fr"), _body(original, None))
        links += self.align_streams(_captions(page, "fr"), _captions(original, None))
        return sorted(links, key=_order)

    def align_streams(self, fr: Sequence[Segment], vi: Sequence[Segment]) -> list[ArticleLink]:
        """Links between two sequences of segments, each in reading order."""
        with_mt = bool(fr) and all(s.translations.get(self.target) for s in fr)
        model = self.with_mt if with_mt else self.without_mt
        french = [
            french_sentence(
                s.text, self.lexicon, s.translations.get(self.target) if with_mt else None
            )
            for s in fr
        ]
        vietnamese = [vietnamese_sentence(s.text, self.lexicon) for s in vi]
        pairs = Links(french, vietnamese, [s.role for s in fr], [s.role for s in vi], with_mt)
        band = rows(french, vietnamese)

        def score(i0: int, i1: int, j0: int, j1: int) -> float:
            if i0 == i1 or j0 == j1:
                return model.skip * (i1 - i0 + j1 - j0)
            return model.model.logit(pairs.features(range(i0, i1), range(j0, j1)))

        path = best_path(len(fr), len(vi), band, score)
        links = []
        for i0, i1, j0, j1 in path:
            probability = 0.0
            if i0 < i1 and j0 < j1:
                probability = model.model.probability(pairs.features(range(i0, i1), range(j0, j1)))
            links.append(
                ArticleLink(
                    tuple(s.index for s in fr[i0:i1]),
                    tuple(s.index for s in vi[j0:j1]),
                    round(probability, 4),
                )
            )
        return links


def _body(document: Document, lang: str | None) -> list[Segment]:
    return [
        s for s in document.segments
        if s.role in BODY_ROLES and (lang is None or s.lang == lang) and s.text.strip()
    ]  # fmt: skip


def _captions(document: Document, lang: str | None) -> list[Segment]:
    return [
        s for s in document.segments
        if s.role == "caption" and (lang is None or s.lang == lang) and not is_credit_line(s)
    ]  # fmt: skip


def _order(link: ArticleLink) -> tuple[int, int]:
    return (link.fr[0] if link.fr else -1, link.vi[0] if link.vi else -1)
