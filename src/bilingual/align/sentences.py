"""What each sentence of an article carries as evidence of its translation, read once.

The article aligner (:mod:`bilingual.align.article`) compares thousands of groups of sentences,
so each sentence is read once into a :class:`Sentence`: its words weighted by how much they say
(inverse document frequency), the words of the other language that the word table says they
translate, its numbers (read in its language: ``tháng 6`` is ``juin``), the names it writes
(folded: ``Phạm Minh Chính`` is ``Pham Minh Chinh``) and its length.  A group of sentences (a
``2-1`` link) is compared by combining its sentences' sets, never by reading the text again.

With machine translation, a French sentence also carries the Vietnamese syllables of its
translation, compared with the original's syllables both ways (recall and precision of the
translation's words): Bleualign's idea, on the translations the pipeline made anyway.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from ..patterns import WORD, fold
from .lexicon import Lexicon, french_words, stem, vietnamese_words
from .numerals import numbers
from .signals import without_credit

__all__ = [
    "Sentence",
    "dice",
    "french_sentence",
    "vietnamese_sentence",
]


@dataclass(frozen=True)
class Sentence:
    """One sentence as the aligner compares it.

    Attributes:
        words: its known words (French stems, or Vietnamese syllables) -> weight (idf).
        explains: the other language's words the table says its words translate.
        mt: for a French sentence with a machine translation, the translation's syllables ->
            weight; for a Vietnamese sentence, its syllables -> weight (known or not); else empty.
        numbers: its number tokens, read in its language.
        names: its capitalised words, folded (not the first word of a sentence).
        length: characters, its credit left out.
        total, mt_total: the sums of ``words``' and ``mt``'s weights.
    """

    words: dict[str, float]
    explains: frozenset[str]
    mt: dict[str, float]
    numbers: Counter[str]
    names: frozenset[str]
    length: int

    @cached_property
    def total(self) -> float:
        return sum(self.words.values())

    @cached_property
    def mt_total(self) -> float:
        return sum(self.mt.values())


def french_sentence(text: str, lexicon: Lexicon, translation: str | None = None) -> Sentence:
    """A French sentence; ``translation``: its machine translation into Vietnamese, if any."""
    reverse, idf = lexicon.reverse, lexicon.idf
    words: dict[str, float] = {}
    explains: set[str] = set()
    for word in {stem(w) for w in french_words(text)}:
        known = reverse.get(word)
        if known:
            words[word] = max(idf[s] for s in known)
            explains |= known
    mt = _syllables(translation, lexicon) if translation else {}
    found = numbers(text, "fr")
    return Sentence(words, frozenset(explains), mt, found, _names(text), _length(text))


def vietnamese_sentence(text: str, lexicon: Lexicon) -> Sentence:
    """A Vietnamese sentence of the original."""
    stems = lexicon.stems
    words = {s: w for s in set(vietnamese_words(text)) if (w := lexicon.idf.get(s))}
    explains = frozenset().union(*(stems[s] for s in words)) if words else frozenset()
    return Sentence(
        words, explains, _syllables(text, lexicon), numbers(text, "vi"), _names(text),
        _length(text),
    )  # fmt: skip


def _syllables(text: str, lexicon: Lexicon) -> dict[str, float]:
    """Every syllable, weighted by idf; one the table never saw (a name, a rare word) says the
    most."""
    top = lexicon.max_idf
    return {s: lexicon.idf.get(s, top) for s in set(vietnamese_words(text))}


def _names(text: str) -> frozenset[str]:
    found = list(WORD.finditer(without_credit(text)))
    return frozenset(
        fold(m.group()) for k, m in enumerate(found) if k > 0 and m.group()[0].isupper()
    )


def _length(text: str) -> int:
    return len(without_credit(text))


def dice(a: Counter[str] | frozenset[str], b: Counter[str] | frozenset[str]) -> float | None:
    """Dice overlap of two bags (or sets); ``None`` when both are empty."""
    if isinstance(a, Counter) and isinstance(b, Counter):
        size = sum(a.values()) + sum(b.values())
        return 2 * sum((a & b).values()) / size if size else None
    size = len(a) + len(b)
    return 2 * len(set(a) & set(b)) / size if size else None
