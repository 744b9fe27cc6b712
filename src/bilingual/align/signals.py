"""Evidence that a French text translates a Vietnamese one, each in [0, 1] or ``None``.

``None`` means the signal has nothing to say (neither text holds a number, say); ``0`` means the
texts disagree, ``1`` that they agree.  All work without machine translation except
:func:`mt_chrf`, which compares a machine translation with the Vietnamese text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from ..patterns import BARE_CREDIT, CREDIT, WORD, fold
from .credits import compare, find_credit
from .lexicon import Lexicon
from .numerals import numbers

__all__ = [
    "credit_agreement",
    "credit_missing",
    "fold",
    "gale_church",
    "length_agreement",
    "lexical_agreement",
    "mt_chrf",
    "name_agreement",
    "name_tokens",
    "number_agreement",
    "numbers",
    "without_credit",
]

# What comes before a sentence's first word: the text's start, or the end of a sentence or a
# colon, then any opening quotes, brackets or dashes.
_SENTENCE_START = re.compile(r"(?:^|[.!?…:])[\s\"“”«»'‘’(\[\-–—]*$")
# Gale–Church parameters for French characters per Vietnamese character, measured on NTREX.
GC_RATIO = 1.08
GC_VARIANCE = 4.6


def number_agreement(vi: str, fr: str) -> float | None:
    """Dice overlap of the two texts' number tokens, each read in its language (``tháng 6`` is
    ``juin``, ``hai mươi`` is ``vingt``: :func:`~bilingual.align.numerals.numbers`); ``None``
    when neither has any."""
    a, b = numbers(vi, "vi"), numbers(fr, "fr")
    if not a and not b:
        return None
    common = sum((a & b).values())
    return 2 * common / (sum(a.values()) + sum(b.values()))


def name_tokens(text: str) -> list[str]:
    """Folded capitalised words that are not the first word of the text (likely names).

    A credit's words are left out: :func:`credit_agreement` compares them, knowing that a
    publication's name may be translated."""
    return [name for name, _ in _names(text)]


def name_agreement(vi: str, fr: str) -> float | None:
    """Share of the Vietnamese text's capitalised words found in the French text, folded.

    A name the French writes as one word counts as found (``Hà Nội`` is ``Hanoï``, ``Việt
    Nam`` is ``Vietnam``), and so does an acronym the French spells with its letters in
    another order (``NATO`` is ``OTAN``, ``EU`` is ``UE``: the words of the name are the same,
    in French order).  The French text's credit is left out, as the caption's is:
    :func:`credit_agreement` compares credits, and a photographer's name is no name of the
    caption's (``Thủ tướng``, the Prime Minister, is not ``Thu Hang``)."""
    names, own = _caption_names(vi)
    if not names:
        return None
    text = without_credit(unicodedata.normalize("NFC", fr))
    french = set(WORD.findall(fold(text)))
    acronyms = {"".join(sorted(fold(w))) for w in _acronyms(text)}
    joined = [bool(after) and name + after in french for name, after in names]
    found = [
        name in french
        or joined[k]
        or (k > 0 and joined[k - 1] and names[k - 1][1] == name)
        or (name in own and "".join(sorted(name)) in acronyms)
        for k, (name, _) in enumerate(names)
    ]
    return sum(found) / len(names)


@lru_cache(maxsize=4096)
def _caption_names(vi: str) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """The caption's names (:func:`_names`) and its acronyms, folded: the same for every
    candidate the aligner compares the caption with, so read once."""
    acronyms = _acronyms(without_credit(unicodedata.normalize("NFC", vi)))
    return tuple(_names(vi)), frozenset(fold(w) for w in acronyms)


def _acronyms(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if len(w) > 1 and w.isupper()]


def _names(text: str) -> list[tuple[str, str]]:
    """(name, the next word when it is a name too, else "") for each likely name: a capitalised
    word that does not begin a sentence (a caption of two sentences, or a quotation, capitalises
    its next first word whatever it is)."""
    text = without_credit(unicodedata.normalize("NFC", text))
    found = list(WORD.finditer(text))
    words = [m.group() for m in found]
    caps = [
        w[0].isupper() and not _SENTENCE_START.search(text, 0, m.start())
        for w, m in zip(words, found, strict=True)
    ]
    return [
        (fold(w), fold(words[k + 1]) if k + 1 < len(words) and caps[k + 1] else "")
        for k, w in enumerate(words)
        if caps[k]
    ]


def credit_agreement(vi: str, fr: str) -> float | None:
    """Whether the two texts' credits (``Ảnh:`` / ``Photo :``) can be told apart.

    1 when they agree on something (an agency, ``TTXVN`` is ``VNA``; a person, ``An Đăng`` is
    ``An Dang``) and disagree on nothing; 0 when they really disagree: another medium (a
    graphic's caption is not a photo's), other agencies, or a person on each side that the
    other does not name; 0.5 when nothing in them can be compared (a publication's name, which
    the French edition may translate: ``Báo Nhân Dân``, ``Journal du Peuple``).  ``None``
    unless both texts carry a credit: see :func:`credit_missing` and
    :mod:`bilingual.align.credits`."""
    a, b = find_credit(vi), find_credit(fr)
    if a is None or b is None:
        return None
    return compare(a, b)


def credit_missing(vi: str, fr: str) -> float:
    """1 when exactly one of the texts carries a credit (a caption's credit, and a text that
    credits nothing: a sentence of the caption without it, or a body paragraph), else 0."""
    return float((find_credit(vi) is None) != (find_credit(fr) is None))


def length_agreement(vi: str, fr: str) -> float:
    """Gale–Church: the two-sided probability of a length difference at least this large.

    Credits are left out of the lengths: their names are copied, translated, abbreviated or
    dropped, at no ratio of the caption's."""
    return gale_church(len(without_credit(fr)), len(without_credit(vi)))


def gale_church(fr: int, vi: int) -> float:
    """Gale–Church on lengths (characters): the two-sided probability of a difference between
    ``fr`` French and ``vi`` Vietnamese characters at least this large."""
    mean = (vi + fr / GC_RATIO) / 2 or 1.0
    delta = (fr - vi * GC_RATIO) / math.sqrt(mean * GC_VARIANCE)
    return math.erfc(abs(delta) / math.sqrt(2))


def lexical_agreement(vi: str, fr: str, lexicon: Lexicon) -> float | None:
    """How much of the Vietnamese text the French words explain, by ``lexicon``.

    The share of the text's known syllables that a French word translates, each weighted by its
    inverse document frequency (a content syllable says more than ``của``); see
    :class:`bilingual.align.lexicon.Lexicon`.  ``None`` when no syllable is known.  The table is
    an argument, not a global: calibration and benchmarks score each document with a table that
    never saw it.
    """
    return lexicon.agreement(vi, fr)


def mt_chrf(hypothesis: str, reference: str) -> float:
    """chrF (sacrebleu's, 0–1) of a machine translation against the human text."""
    return float(_chrf().sentence_score(hypothesis, [reference]).score) / 100


@lru_cache(maxsize=1)
def _chrf() -> Any:
    from sacrebleu.metrics.chrf import CHRF

    return CHRF()


def without_credit(text: str) -> str:
    """The text without its credit (``Le matin. (Photo : An Dang/VNA)`` -> ``Le matin.``)."""
    return BARE_CREDIT.sub("", CREDIT.sub("", text)).strip()
