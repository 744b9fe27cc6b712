"""Evidence that a French text translates a Vietnamese one, each in [0, 1] or ``None``.

``None`` means the signal has nothing to say (neither text holds a number, say); ``0`` means the
texts disagree, ``1`` that they agree.  All work without machine translation except
:func:`mt_chrf`, which compares a machine translation with the Vietnamese text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from ..patterns import BARE_CREDIT, CREDIT, WORD, fold
from .credits import compare, find_credit
from .lexicon import Lexicon

__all__ = [
    "credit_agreement",
    "credit_missing",
    "fold",
    "length_agreement",
    "lexical_agreement",
    "mt_chrf",
    "name_agreement",
    "name_tokens",
    "number_agreement",
    "numbers",
    "without_credit",
]

MONTHS_FR = {
    "janvier": 1, "janv": 1, "février": 2, "févr": 2, "fév": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "déc": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS_FR, key=len, reverse=True))
# "24 octobre 2023", "1er mai", "22 décembre"
_FR_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH_NAMES})\.?(?:\s+(\d{{4}}))?\b", re.IGNORECASE
)
# "24/10/2023", "22/12", "ngày 22 tháng 12 năm 2023"
_NUM_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?\b")
_VI_DATE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", re.IGNORECASE)
# "25-NQ/TW", "43- KL/TW": a party-document code
_CODE = re.compile(r"\b(\d+)\s*-\s*([A-ZĐ]{1,4})\s*/\s*([A-ZĐ]{1,4})\b")
# 11 000 / 11.000 / 11,000 (thousands) or 3,5 / 3.5 (decimals) or a plain integer
_NUMBER = re.compile(r"\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)?")
# What comes before a sentence's first word: the text's start, or the end of a sentence or a
# colon, then any opening quotes, brackets or dashes.
_SENTENCE_START = re.compile(r"(?:^|[.!?…:])[\s\"“”«»'‘’(\[\-–—]*$")
# Gale–Church parameters for French characters per Vietnamese character, measured on NTREX.
GC_RATIO = 1.08
GC_VARIANCE = 4.6


def numbers(text: str) -> Counter[str]:
    """Language-neutral number tokens: dates as ``d.m[.y]``, codes, then remaining numbers."""
    found: Counter[str] = Counter()
    spans: list[tuple[int, int]] = []
    for pattern, month in ((_FR_DATE, True), (_VI_DATE, False), (_NUM_DATE, False)):
        for m in pattern.finditer(text):
            if _overlaps(m.span(), spans):
                continue
            day, mon, year = m.group(1), m.group(2), m.group(3)
            mon_n = MONTHS_FR[mon.lower()] if month else int(mon)
            if not (1 <= int(day) <= 31 and 1 <= mon_n <= 12):
                continue
            found[f"{int(day)}.{mon_n}" + (f".{int(year)}" if year else "")] += 1
            spans.append(m.span())
    for m in _CODE.finditer(text):
        found["-".join((m.group(1), m.group(2) + "/" + m.group(3)))] += 1
        spans.append(m.span())
    for m in _NUMBER.finditer(text):
        if not _overlaps(m.span(), spans):
            found[_canonical_number(m.group())] += 1
    return found


def number_agreement(vi: str, fr: str) -> float | None:
    """Dice overlap of the two texts' number tokens; ``None`` when neither has any."""
    a, b = numbers(vi), numbers(fr)
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
    Nam`` is ``Vietnam``)."""
    names = _names(vi)
    if not names:
        return None
    french = set(WORD.findall(fold(unicodedata.normalize("NFC", fr))))
    joined = [bool(after) and name + after in french for name, after in names]
    found = [
        name in french or joined[k] or (k > 0 and joined[k - 1] and names[k - 1][1] == name)
        for k, (name, _) in enumerate(names)
    ]
    return sum(found) / len(names)


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
    lv, lf = len(without_credit(vi)), len(without_credit(fr))
    mean = (lv + lf / GC_RATIO) / 2 or 1.0
    delta = (lf - lv * GC_RATIO) / math.sqrt(mean * GC_VARIANCE)
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


def _canonical_number(text: str) -> str:
    if re.fullmatch(r"\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+", text):
        return re.sub(r"\D", "", text)
    return text.replace(",", ".")


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)
