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

from ..patterns import BARE_CREDIT, CREDIT, MEDIUM, WORD
from .lexicon import Lexicon

__all__ = [
    "credit_agreement",
    "fold",
    "length_agreement",
    "lexical_agreement",
    "mt_chrf",
    "name_agreement",
    "name_tokens",
    "number_agreement",
    "numbers",
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
# News agencies named differently in the two languages.
_AGENCIES = {"ttxvn": "vna", "vna": "vna", "ttx": "vna"}
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


def fold(text: str) -> str:
    """Lower-case and strip diacritics (``Đăng`` -> ``dang``), for comparing names."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_tokens(text: str) -> list[str]:
    """Folded capitalised words that are not the first word of the text (likely names)."""
    words = WORD.findall(CREDIT.sub(lambda m: m.group(1), text))
    return [fold(w) for k, w in enumerate(words) if k > 0 and w[0].isupper()]


def name_agreement(vi: str, fr: str) -> float | None:
    """Share of the Vietnamese text's capitalised words found in the French text, folded."""
    names = name_tokens(vi)
    if not names:
        return None
    french = set(WORD.findall(fold(fr)))
    return sum(1 for n in names if n in french) / len(names)


def credit_agreement(vi: str, fr: str) -> float | None:
    """Whether both texts carry a credit (``Ảnh:`` / ``Photo :``) for the same medium and source.

    1 when they credit the same medium, the same agency (``TTXVN`` is ``VNA``) and the same
    people (``An Đăng`` is ``An Dang``) or none; 0 when one text has no credit, or they credit
    another medium (a graphic's caption is not a photo's) or other people; 0.5 when they differ
    otherwise (an agency on one side only, say)."""
    a = CREDIT.search(vi) or BARE_CREDIT.search(vi)
    b = CREDIT.search(fr) or BARE_CREDIT.search(fr)  # a credit line joined to its caption
    if a is None and b is None:
        return None
    if a is None or b is None or _medium(a.group()) != _medium(b.group()):
        return 0.0
    (agencies_a, people_a), (agencies_b, people_b) = map(_credited, (a["source"], b["source"]))
    if people_a and people_b and people_a != people_b:
        return 0.0
    same_agency = not (agencies_a or agencies_b) or bool(agencies_a & agencies_b)
    return 1.0 if same_agency and people_a == people_b else 0.5


def length_agreement(vi: str, fr: str) -> float:
    """Gale–Church: the two-sided probability of a length difference at least this large."""
    lv, lf = len(vi), len(fr)
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


def _canonical_number(text: str) -> str:
    if re.fullmatch(r"\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+", text):
        return re.sub(r"\D", "", text)
    return text.replace(",", ".")


def _credited(source: str) -> tuple[set[str], set[str]]:
    """A credit's agencies (``TTXVN`` and ``VNA`` as one) and the other words: its people."""
    words = set(WORD.findall(fold(source)))
    return {_AGENCIES[w] for w in words if w in _AGENCIES}, words - set(_AGENCIES)


def _medium(credit: str) -> str | None:
    return next((kind for kind, pattern in MEDIUM.items() if pattern.match(credit.strip())), None)


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)
