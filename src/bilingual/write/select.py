"""Which rows of each document go into the corpus files: test sets kept out, duplicates once.

Documents must come in input order (:func:`~bilingual.build_corpus` assembles the files from
the saved documents in that order), so a resumed run and a Ray run, which finish documents in
another order, keep the same first occurrences as an uninterrupted local one.

A machine-translated row is a duplicate when its French is (a translation is made from the
French: the same French, or near-duplicates that differ in case or punctuation, are one sentence
of the site however the model rendered each); a caption pair, two human texts, when both its
French and its Vietnamese are.  Each file keeps its own first occurrences (``mt.fr-L.*``, the
``tu`` s of ``corpus.tmx``, which are also the machine rows of ``corpus.parquet``, and the caption
pairs), so that a translation the score filter dropped from one file hides nothing in another.
A row is kept out before it is deduplicated, so an excluded row never hides a later one.  The
near misses of ``pairs.rejected.jsonl`` follow the caption pairs' rule (a Vietnamese text and its
best candidate's French), so a page published twice lists its unpaired captions once.

``segments.jsonl`` keeps every segment: a segment whose ``tu`` (or, for a Vietnamese caption,
whose pair) was a duplicate gets ``duplicate_of``, the ``{"doc", "index"}`` of the first
occurrence, and one kept out gets ``excluded: true``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..document import Alignment, ArticleAlignment, ArticleLink, Document, NearMiss, Segment
from .dedupe import DEFAULT_DEDUPE, Seen
from .exclude import Exclusion
from .formats import kept
from .names import ARTICLE, PAIRS, REJECTED, TMX, mt_file

__all__ = ["PAIRS", "REJECTED", "TMX", "Selection", "Selector", "mt_file"]
# run.json counts removed rows under the files' stems (.names).


@dataclass
class Selection:
    """What of one document goes into the corpus files.

    Attributes:
        corpus: the document with only the translations of the ``tu`` s kept and only the caption
            pairs kept (for the TMX, the pair files and Parquet).
        mt: per target, the document with only the translations into it that are kept.
        notes: segment index -> the fields its ``segments.jsonl`` record gains.
    """

    corpus: Document
    mt: dict[str, Document]
    notes: dict[int, dict[str, Any]] = field(default_factory=dict)


class Selector:
    """Decides, document after document in input order, which rows each corpus file gets.

    Args:
        targets: the machine-translation target languages.
        min_score: the score filter of the machine-translation files (rows it drops are not
            rows, so they are neither duplicates nor excluded).
        dedupe: one of :data:`~bilingual.write.dedupe.DEDUPE_MODES`.
        exclusion: test-set sentences to keep out.
        min_link_score: keep only the article links scoring at least this (``filtered_links``
            counts the others).
    """

    def __init__(
        self,
        targets: list[str],
        min_score: float | None = None,
        dedupe: str = DEFAULT_DEDUPE,
        exclusion: Exclusion | None = None,
        min_link_score: float | None = None,
    ) -> None:
        self.targets, self.min_score = list(targets), min_score
        self.min_link_score = min_link_score
        self.filtered_links = 0
        self.exclusion = exclusion or Exclusion()
        files = [*(mt_file(lang) for lang in targets), TMX, PAIRS, REJECTED, ARTICLE]
        # One table for every file keyed on the French (file 0 is the TMX, file k the k-th
        # target's), another for the pairs: memory is a hash per distinct sentence, not per file.
        self.french, self.pairs = Seen(dedupe, 1 + len(targets)), Seen(dedupe)
        self.misses, self.links = Seen(dedupe), Seen(dedupe)
        self.duplicates: Counter[str] = Counter(dict.fromkeys(files, 0))
        self.excluded: Counter[str] = Counter(dict.fromkeys(files, 0) if self.exclusion else {})
        self._docs: list[str] = []  # first occurrences are (document number, index)

    def select(self, document: Document) -> Selection:
        """The rows of ``document`` each file gets; counts what was removed."""
        number = len(self._docs)
        self._docs.append(document.path)
        notes: dict[int, dict[str, Any]] = {}
        out = {s.index for s in document.segments if self._kept_out(s, notes)}
        keys = {s.index: self.french.key((s.text,)) for s in document.segments if s.translations}
        tus = {s.index: self._tu(s, number, out, keys, notes) for s in document.segments}
        pairs = [a for a in document.alignments if self._pair(document, a, number, notes)]
        misses = [m for m in document.near_misses if self._miss(document, m, number)]
        mt = {
            lang: self._mt(document, k + 1, number, out, keys)
            for k, lang in enumerate(self.targets)
        }
        article = document.article
        if article is not None:
            links = [k for k in article.links if self._link(document, article, k, number)]
            article = dataclasses.replace(article, links=links)
        corpus = dataclasses.replace(
            document,
            segments=[_with(s, tus[s.index]) for s in document.segments],
            alignments=pairs,
            near_misses=misses,
            article=article,
        )
        return Selection(corpus, mt, notes)

    def _where(self, number: int, index: int) -> int:
        return number << 32 | index

    def _first(self, where: int) -> dict[str, Any]:
        return {"doc": self._docs[where >> 32], "index": where & 0xFFFFFFFF}

    def _langs(self, s: Segment) -> list[str]:
        """The targets the segment has a row for (before exclusion and deduplication)."""
        return [lang for lang in self.targets if kept(s, lang, self.min_score)]

    def _kept_out(self, s: Segment, notes: dict[int, dict[str, Any]]) -> bool:
        """Whether a translated segment matches a test set: out of every machine-translation
        file, counted in each that would have had it."""
        langs = self._langs(s)
        sides = (s.text, *s.translations.values())
        if not langs or not any(self.exclusion.matches(text) for text in sides):
            return False
        for name in (TMX, *(mt_file(lang) for lang in langs)):
            self.excluded[name] += 1
        notes[s.index] = {"excluded": True}
        return True

    def _tu(
        self,
        s: Segment,
        number: int,
        out: set[int],
        keys: dict[int, int | None],
        notes: dict[int, dict[str, Any]],
    ) -> list[str]:
        """The languages of the segment's ``tu`` (none when it has none, or it is removed)."""
        langs = self._langs(s)
        if not langs or s.index in out:
            return []
        # A tu is its French and the translations the score filter kept: an earlier tu of the
        # same French with fewer of them does not stand for this one (the keys stay the French
        # alone, one entry a sentence, whenever every target is kept).
        key = keys[s.index] if langs == self.targets else self.french.key((s.text, *langs))
        first = self.french.first(key, self._where(number, s.index))
        if first is None:
            return langs
        self.duplicates[TMX] += 1
        notes[s.index] = {"duplicate_of": self._first(first)}
        return []

    def _mt(
        self, document: Document, file: int, number: int, out: set[int], keys: dict[int, int | None]
    ) -> Document:
        """``document`` with only the translations into the ``file`` -th target that its files
        keep."""
        lang = self.targets[file - 1]
        segments = []
        for s in document.segments:
            keep = kept(s, lang, self.min_score) and s.index not in out
            if keep:
                where = self._where(number, s.index)
                if self.french.first(keys[s.index], where, file) is not None:
                    self.duplicates[mt_file(lang)] += 1
                    keep = False
            segments.append(s if keep else _with(s, []))
        return dataclasses.replace(document, segments=segments)

    def _pair(
        self, document: Document, a: Alignment, number: int, notes: dict[int, dict[str, Any]]
    ) -> bool:
        """Whether the caption pair goes into the pair files."""
        french = [document.segments[i].text for i in a.fr]
        vi = document.segments[a.vi].text
        if any(self.exclusion.matches(text) for text in (vi, " ".join(french), *french)):
            self.excluded[PAIRS] += 1
            notes[a.vi] = {"excluded": True}
            return False
        key = self.pairs.key((" ".join(french), vi))
        first = self.pairs.first(key, self._where(number, a.vi))
        if first is None:
            return True
        self.duplicates[PAIRS] += 1
        notes[a.vi] = {"duplicate_of": self._first(first)}
        return False

    def _link(
        self, document: Document, article: ArticleAlignment, link: ArticleLink, number: int
    ) -> bool:
        """Whether an article link goes into the corpus files: a sentence left out is no row
        (kept, unwritten); a link under ``min_link_score`` is filtered, one matching a test set
        excluded, a second occurrence of the same two texts a duplicate."""
        if not (link.fr and link.vi):
            return True
        if self.min_link_score is not None and link.score < self.min_link_score:
            self.filtered_links += 1
            return False
        french = " ".join(document.segments[i].text for i in link.fr)
        vi = " ".join(article.original.segments[j].text for j in link.vi)
        if any(self.exclusion.matches(text) for text in (french, vi)):
            self.excluded[ARTICLE] += 1
            return False
        key = self.links.key((french, vi))
        if self.links.first(key, self._where(number, link.fr[0])) is None:
            return True
        self.duplicates[ARTICLE] += 1
        return False

    def _miss(self, document: Document, miss: NearMiss, number: int) -> bool:
        """Whether the near miss goes into ``pairs.rejected.jsonl``."""
        french = " ".join(document.segments[i].text for i in miss.fr)
        vi = document.segments[miss.vi].text
        if any(self.exclusion.matches(text) for text in (vi, french) if text):
            self.excluded[REJECTED] += 1
            return False
        key = self.misses.key((french, vi))
        if self.misses.first(key, self._where(number, miss.vi)) is None:
            return True
        self.duplicates[REJECTED] += 1
        return False


def _with(s: Segment, langs: list[str]) -> Segment:
    """``s`` with only its translations into ``langs`` (a copy when that removes any)."""
    if set(langs) == set(s.translations):
        return s
    return dataclasses.replace(s, translations={lang: s.translations[lang] for lang in langs})
