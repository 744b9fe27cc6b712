"""The whole-article stage: read the Vietnamese originals, match each page with the one it
translates, and link the sentences of each matched pair.

It runs once every page is done (:func:`~bilingual.build_corpus` gives it the saved pages, in
input order), in the process that writes the corpus: matching needs every page and every
original, and the links are computed from what the saved pages hold (their machine translations
included), so a resumed run and a Ray run give the same links as a local uninterrupted one.
Nothing here loads a model: the word table and the fitted link and matching models are data.

An original that cannot be read is a failure (named, the others go on); one that is empty or not
Vietnamese, or that no page matched, is listed with the reason in ``run.json``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .align.article import ArticleAligner
from .align.documents import DocumentMatch, match_documents
from .align.lexicon import Lexicon, shipped_lexicon
from .document import ArticleAlignment, Document
from .errors import EmptyInputError, InputError
from .original import original_from_text
from .pipeline import expand_inputs
from .read import read_text

__all__ = ["Pairing"]


@dataclass
class Pairing:
    """The originals of a run and which page each serves.

    Args:
        originals: the originals, read (see :meth:`read`).
        lexicon: the word table of matching and links; ``None``: the shipped one.
        target: the language of the pages' machine translations compared with the originals.

    Example:
        >>> pairing = Pairing.read(["originals/"])
        >>> pairing.match(pages)
        >>> pairing.article(0, pages[0]).links[:1]
        [ArticleLink(fr=(1,), vi=(0,), score=0.99)]
    """

    originals: list[Document]
    lexicon: Lexicon | None = None
    target: str = "vi"
    matches: list[DocumentMatch] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)
    links: Counter[str] = field(default_factory=Counter)

    @classmethod
    def read(cls, inputs: Iterable[str], target: str = "vi") -> Pairing:
        """Read the originals (files, directories of ``*.txt``).  One that cannot be read is a
        failure (:attr:`failures`); one read empty, or found not Vietnamese, keeps its
        ``error`` and is matched with nothing.

        Raises:
            InputError: a directory cannot be listed.
        """
        originals, failures = [], []
        for path in expand_inputs(inputs):
            try:
                text = read_text(path)
            except EmptyInputError as e:
                originals.append(Document(path, error=str(e)))
            except InputError as e:
                failures.append({"doc": path, "error": str(e)})
            else:
                originals.append(original_from_text(path, text.text, text.encoding))
        return cls(originals, target=target, failures=failures)

    def match(self, pages: Iterable[Document]) -> None:
        """Match the pages (in input order, read once) with the originals."""
        self.matches = match_documents(pages, self.originals, self._lexicon, self.target)

    def article(self, page_number: int, page: Document) -> ArticleAlignment | None:
        """The page's original and the links of their sentences (``None``: no original)."""
        match = self.matches[page_number] if page_number < len(self.matches) else None
        if match is None or match.original is None:
            return None
        original = self.originals[match.original]
        links = self._aligner.align(page, original)
        self.links.update(link.link for link in links)
        return ArticleAlignment(original, match.score, links)

    def record(self, pages: Sequence[str]) -> dict[str, Any]:
        """What ``run.json`` says of the originals: how many were read and matched, and for
        each page and original left without a partner, why."""
        served = {m.original for m in self.matches if m.original is not None}
        unmatched = [
            {"doc": d.path, "why": d.error or "no page matched it"}
            for k, d in enumerate(self.originals)
            if k not in served
        ]
        return {
            "originals": len(self.originals) + len(self.failures),
            "matched_pages": sum(1 for m in self.matches if m.original is not None),
            "unmatched_pages": [
                {"doc": pages[m.page], "why": m.why, "best_score": m.score}
                for m in self.matches
                if m.original is None
            ],
            "unmatched_originals": unmatched,
            # Every link the programme made, by shape ("1-0": a French sentence the original
            # does not hold; "0-1": one of the original's the page left out).
            "links": dict(sorted(self.links.items())),
        }

    @property
    def _lexicon(self) -> Lexicon:
        if self.lexicon is None:
            self.lexicon = shipped_lexicon()
        return self.lexicon

    @property
    def _aligner(self) -> ArticleAligner:
        aligner = self.__dict__.get("_article_aligner")
        if aligner is None:
            aligner = ArticleAligner(self._lexicon, self.target)
            self.__dict__["_article_aligner"] = aligner
        return aligner
