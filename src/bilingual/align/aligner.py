"""Caption alignment: pair each embedded Vietnamese text with the French segments that translate it.

Each candidate (:mod:`~bilingual.align.candidates`) is scored from signals that need no machine
translation (numbers and dates across languages, codes, names compared accent-folded,
photo-credit conventions, a Gale–Church length test, position, and how much of the Vietnamese
text the French words explain by a word-translation table, and how likely each text is given the
other by IBM Model 1 both ways, against the other nearby paragraphs)
and, when the French segments were machine-translated into Vietnamese, the chrF of that
translation against the Vietnamese text (Bleualign's idea, on output computed anyway).  A
logistic model (:mod:`~bilingual.align.model`) turns them into a probability; pairs under its
threshold are not emitted, and no French segment is used twice.

Prediction reads a document and returns alignments; annotation writes them onto the document
(spaCy's ``predict`` / ``set_annotations``), so a caller can score a page without changing it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..document import CONTENT_ROLES, Alignment, Document, Segment
from .candidates import ABOVE, BELOW, Candidate, candidates, credit_side, is_credit_line
from .lexicon import Lexicon, shipped_lexicon
from .misses import near_misses
from .model import Evidence, Model, Scored, features, shipped_models
from .signals import lexical_agreement, mt_chrf

__all__ = ["MT_FLOOR", "SIDE_FLOOR", "SIDE_GAP", "Aligner", "Scored", "pairable", "select"]

# chrF under which machine translations are taken to share nothing with the Vietnamese text.
MT_FLOOR = 0.1
# A page whose credits are silent is read from above when more of its captions are translated
# by the French right above them than right below: the best run of one neighbour reaches odds of
# e**SIDE_FLOOR (about 1 in 150) from its words alone (Model.content_logit) and beats the other
# by e**SIDE_GAP.  Chosen on arrangements 40-59 of development.pages, which neither the fit
# (0-39) nor the benchmark (100-139) uses: no page of another convention with a translated
# caption was read from above there, and 19 of 21 such pairs of french-first pages were.
SIDE_FLOOR = -5.0
SIDE_GAP = 1.0


class Aligner:
    """Pairs a document's Vietnamese segments with the French segments that translate them.

    Args:
        lexicon: the word-translation table of the lexical signal; ``None``: the shipped one.
        target: the language of the machine translations compared with the Vietnamese text
            (``Segment.translations[target]``), used when present.
        without_mt: the model for candidates without machine-translation evidence; ``None``:
            the shipped one.
        with_mt: the model for candidates with it; ``None``: the shipped one.

    Example:
        >>> aligner = Aligner()
        >>> [(a.vi, a.fr) for a in aligner.predict(document)]
        [(12, (13, 14))]
        >>> aligner.annotate(document)  # sets document.alignments and aligned_with
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        target: str = "vi",
        *,
        without_mt: Model | None = None,
        with_mt: Model | None = None,
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else shipped_lexicon()
        self.target = target
        if without_mt is None or with_mt is None:
            shipped = shipped_models()
            without_mt = shipped[0] if without_mt is None else without_mt
            with_mt = shipped[1] if with_mt is None else with_mt
        self.without_mt = without_mt
        self.with_mt = with_mt

    def annotate(self, document: Document) -> None:
        """Set ``document.alignments``, the ``aligned_with`` of every paired segment, and
        ``document.near_misses`` (each Vietnamese segment left unpaired, with its best
        candidate)."""
        scored = self.score(document)
        document.alignments = select(scored)
        considered = (s for s in document.segments if pairable(s))
        document.near_misses = near_misses(considered, scored, document.alignments)
        for a in document.alignments:
            document.segments[a.vi].aligned_with = a.fr
            for i in a.fr:
                document.segments[i].aligned_with = (a.vi,)

    def predict(self, document: Document) -> list[Alignment]:
        """The document's alignments in document order; the document is not changed."""
        return select(self.score(document))

    def score(self, document: Document) -> list[Scored]:
        """Every candidate of every Vietnamese article segment, in document order, scored.

        A line holding only a credit is not a caption to pair, whatever its language.  Near is
        counted from the side where the page puts its translations (:meth:`side`)."""
        side, scored = self._read_side(document)
        if scored is None:
            captions = [s for s in document.segments if pairable(s)]
            scored = self._score(document.segments, captions, side)
        return scored

    def side(self, document: Document) -> int:
        """Where the page puts its captions' translations (:data:`~.candidates.BELOW` or
        :data:`~.candidates.ABOVE`): as its credits say (:func:`~.candidates.credit_side`);
        where they are silent, as its captions' words say, each caption with French on both
        sides voting for the side whose nearest French run translates it by
        :data:`SIDE_FLOOR` and :data:`SIDE_GAP` (position left out:
        :meth:`~.model.Model.content_logit`); else below, the site's layout."""
        return self._read_side(document)[0]

    def _read_side(self, document: Document) -> tuple[int, list[Scored] | None]:
        """The page's side (:meth:`side`), and its candidates scored from that side when
        reading it took scoring them (else ``None``)."""
        captions = [s for s in document.segments if pairable(s)]
        side = credit_side(document.segments, captions)
        if side is not None:
            return side, None
        below = self._score(document.segments, captions, BELOW)
        return (BELOW, below) if self._words_side(below) == BELOW else (ABOVE, None)

    def _words_side(self, scored: Sequence[Scored]) -> int:
        best: dict[tuple[int, int], float] = {}
        for s in scored:
            cand = s.candidate
            # The page's title is no caption's translation, whatever its words share with one.
            if abs(cand.distance) == 1 and all(seg.role != "title" for seg in cand.fr):
                key = (cand.vi.index, cand.distance)
                logit = self._model(s.evidence).content_logit(s.features)
                best[key] = max(best.get(key, -math.inf), logit)
        votes = 0
        # A caption with a French neighbour on one side only compares nothing: no vote (the
        # last text of an article, say, has none below it).
        for vi in {k[0] for k in best if (k[0], -k[1]) in best}:
            above, below = best[vi, -1], best[vi, 1]
            if above > SIDE_FLOOR and above > below + SIDE_GAP:
                votes -= 1
            elif below > SIDE_FLOOR and below > above + SIDE_GAP:
                votes += 1
        return ABOVE if votes < 0 else BELOW

    def _score(
        self, segments: Sequence[Segment], captions: Sequence[Segment], side: int
    ) -> list[Scored]:
        out = []
        for vi in captions:
            cands = candidates(segments, vi, side)
            for cand, evidence in zip(cands, self.evidence(cands), strict=True):
                model = self._model(evidence)
                values = features(cand, evidence)
                out.append(
                    Scored(cand, evidence, values, model.probability(values), model.threshold)
                )
        return out

    def _model(self, evidence: Evidence) -> Model:
        """The model that scores a candidate with this evidence: with or without MT."""
        return self.without_mt if evidence.chrf_margin is None else self.with_mt

    def evidence(self, cands: Sequence[Candidate]) -> list[Evidence]:
        """Each candidate's chrF and lexical agreement, computed once, and their margins over
        the other nearby paragraphs.

        The margin, not the raw value, separates a caption's translation from the article's
        other sentences on the same subject (an untranslated caption followed by a body
        paragraph).  A model that translates badly makes every candidate look alike, and then
        the MT signal stays neutral instead of vetoing true pairs; the chrF margin is ``None``
        where the French was not translated, or where no candidate's translation reaches
        :data:`MT_FLOOR` (a broken or untrained model), so the model without MT decides.
        """
        chrfs = [self._chrf(c) for c in cands]
        if max((c for c in chrfs if c is not None), default=0.0) < MT_FLOOR:
            chrf_margins: list[float | None] = [None] * len(cands)
        else:
            chrf_margins = _margins(cands, chrfs)
        lexical = [lexical_agreement(c.vi.text, c.fr_text, self.lexicon) for c in cands]
        lexical_margins = _margins(cands, lexical)
        coverage = [self.lexicon.coverage(c.vi.text, c.fr_text) for c in cands]
        likelihood = [self.lexicon.likelihood(c.vi.text, c.fr_text) for c in cands]
        likelihood_margins = _margins(cands, likelihood)
        french = [self.lexicon.french_likelihood(c.vi.text, c.fr_text) for c in cands]
        french_margins = _margins(cands, french)
        return [
            Evidence(
                chrf=chrfs[k],
                chrf_margin=chrf_margins[k],
                lexicon=lexical[k] or 0.0,
                lexicon_margin=lexical_margins[k] or 0.0,
                coverage=coverage[k] or 0.0,
                likelihood=likelihood[k] or 0.0,
                likelihood_margin=likelihood_margins[k] or 0.0,
                french_likelihood=french[k] or 0.0,
                french_likelihood_margin=french_margins[k] or 0.0,
            )
            for k in range(len(cands))
        ]

    def _chrf(self, cand: Candidate) -> float | None:
        translations = [s.translations.get(self.target) for s in cand.fr]
        if not all(translations):
            return None
        return mt_chrf(" ".join(t for t in translations if t), cand.vi.text)


def pairable(segment: Segment) -> bool:
    """Whether the aligner looks for a segment's French translation: Vietnamese article text,
    not a line holding only a credit."""
    return segment.lang == "vi" and segment.role in CONTENT_ROLES and not is_credit_line(segment)


def select(scored: Sequence[Scored]) -> list[Alignment]:
    """The alignments the scored candidates make, in document order.

    Candidates are taken best first; one under its model's threshold, or whose Vietnamese text
    is already paired, or that reuses a French segment, is skipped.
    """
    used: set[int] = set()
    done: set[int] = set()
    alignments = []
    for s in sorted(scored, key=lambda s: -s.probability):
        cand = s.candidate
        fr_ids = {seg.index for seg in cand.fr}
        if s.probability < s.threshold or cand.vi.index in done or fr_ids & used:
            continue
        done.add(cand.vi.index)
        used |= fr_ids
        alignments.append(
            Alignment(
                cand.vi.index, tuple(sorted(fr_ids)), round(s.probability, 4), s.evidence.chrf
            )
        )
    alignments.sort(key=lambda a: a.vi)
    return alignments


def _margins(cands: Sequence[Candidate], values: Sequence[float | None]) -> list[float | None]:
    """A value minus the median over the other paragraphs of their best candidate's value.

    One value per paragraph (its best run), and a candidate is measured against the other
    paragraphs only: its own paragraph's overlapping runs would raise the bar it must clear.
    ``None`` where there is no value or nothing to compare with."""
    best: dict[int, float] = {}
    for cand, value in zip(cands, values, strict=True):
        if value is not None:
            para = cand.fr[0].paragraph
            best[para] = max(best.get(para, value), value)
    margins: list[float | None] = []
    for cand, value in zip(cands, values, strict=True):
        others = sorted(v for p, v in best.items() if p != cand.fr[0].paragraph)
        if value is None or not others:
            margins.append(None)
        else:
            margins.append(value - others[(len(others) - 1) // 2])
    return margins
