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

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .align.article import ArticleAligner
from .align.documents import DocumentMatch, match_documents
from .align.lexicon import Lexicon, shipped_lexicon
from .document import CONTENT_ROLES, ArticleAlignment, Document
from .errors import EmptyInputError, InputError
from .original import parse_original
from .parse import Block
from .pipeline import expand_inputs
from .read import read_text
from .split import to_segments

__all__ = ["VIETNAMESE_SHARE", "Pairing", "original_from_text", "prepare_original"]

# The least share of an original's article text (in characters) that must be Vietnamese.
VIETNAMESE_SHARE = 0.5
_LANGUAGE_NAMES = {"fr": "French", "en": "English", "vi": "Vietnamese"}


@dataclass
class Pairing:
    """The originals of a run and which page each serves.

    Args:
        originals: the originals, read (see :meth:`read`).
        lexicon: the word table of matching and links; ``None``: the shipped one.
        target: the language of the pages' machine translations compared with the originals.
        aligner: what links a matched pair's sentences; ``None``: an
            :class:`~bilingual.align.article.ArticleAligner` with ``lexicon``.

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
    aligner: ArticleAligner | None = None

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
        if self.aligner is None:
            self.aligner = ArticleAligner(self._lexicon, self.target)
        return self.aligner


def original_from_text(name: str, text: str, encoding: str = "utf-8") -> Document:
    """Parse and split an original's text into a document named ``name``.

    The text is NFC-normalised first, as the reader does.  Vietnamese title, heading, body and
    caption lines are split into sentences (a trailing photo credit is a segment of its own);
    chrome and the byline stay whole.  A problem is recorded on the document, never raised: an
    empty page, or one whose article text is mostly not Vietnamese (a French page passed as an
    original).

    Example:
        >>> doc = original_from_text("a.txt", "Thủ tướng chủ trì hội nghị Chính phủ\\n"
        ...     "Thứ Bảy, 23/12/2023 14:05 (GMT+7)\\nHội nghị bắt đầu lúc 8 giờ. Thủ tướng phát"
        ...     " biểu khai mạc.")
        >>> [(s.role, s.text) for s in doc.segments][2:]
        [('body', 'Hội nghị bắt đầu lúc 8 giờ.'), ('body', 'Thủ tướng phát biểu khai mạc.')]
    """
    blocks = parse_original(unicodedata.normalize("NFC", text))
    if not blocks:
        return Document(name, encoding=encoding, error=f"{name}: no text")
    reason = _not_vietnamese(blocks)
    if reason is not None:
        return Document(name, encoding=encoding, error=f"{name}: not Vietnamese ({reason})")
    return Document(name, to_segments(blocks, lang="vi"), encoding=encoding)


def prepare_original(path: str) -> Document:
    """Read, parse and split one original (a file, or ``-`` for standard input), in any
    encoding; a problem is recorded on the document, not raised.

    Example:
        >>> prepare_original("no/such/original.txt").error
        'no/such/original.txt: no such file'
    """
    try:
        text = read_text(path)
    except InputError as e:
        return Document(path, error=str(e))
    return original_from_text(path, text.text, text.encoding)


def _not_vietnamese(blocks: list[Block]) -> str | None:
    """Why the page is not a Vietnamese original, or ``None`` when it is: the share of its
    article text (of all its text, when it has no article) in each language, by characters."""
    article = [b for b in blocks if b.role in CONTENT_ROLES] or blocks
    sizes = Counter[str]()
    for block in article:
        sizes[block.lang] += len(block.text)
    total = sum(sizes.values())
    if sizes["vi"] >= VIETNAMESE_SHARE * total:
        return None
    lang, size = max(((la, n) for la, n in sizes.items() if la != "vi"), key=lambda x: x[1])
    language = _LANGUAGE_NAMES.get(lang, "in no language recognised")
    return (
        f"only {sizes['vi'] / total:.0%} of its article text is Vietnamese and {size / total:.0%}"
        f" {language}, of {total:,} characters; an original is the Vietnamese article a French "
        "page translates"
    )
