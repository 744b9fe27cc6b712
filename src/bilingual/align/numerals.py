"""Language-neutral number tokens: what a French text and its Vietnamese translation can compare.

A translation keeps its numbers, but not always their spelling: ``20 %`` is ``Hai mươi phần
trăm``, ``40 tuổi`` is ``une quarantaine d'années``, ``tháng 6`` is ``juin``, ``1,5 triệu`` is
``1,5 million``.  :func:`numbers` reads figures, dates, party-document codes, months and numbers
written in words (both languages' numerals, read by one small grammar: no library reads
Vietnamese ones) into the same tokens, so that the aligner's number signal compares values, not
spellings.  A word that is a number only sometimes is read only where it cannot be anything else
(``một``/``un`` is an article, ``năm`` a year, ``neuf`` new, ``không`` not, unless a multiplier
follows them; ``Ba Lan`` is Poland).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from ..patterns import WORD, same_tones

__all__ = ["MONTHS_FR", "numbers"]

MONTHS_FR = {
    "janvier": 1, "janv": 1, "février": 2, "févr": 2, "fév": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "déc": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS_FR, key=len, reverse=True))
# A month on its own is named in full (``sept`` alone is seven).
_FULL_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
# "24 octobre 2023", "1er mai", "22 décembre"
_FR_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH_NAMES})\.?(?:\s+(\d{{4}}))?\b", re.IGNORECASE
)
# "24/10/2023", "22/12", "ngày 22 tháng 12 năm 2023"
# (with dashes only with its year: "2-1" is a score)
_NUM_DATE = re.compile(
    r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b|\b(\d{1,2})-(\d{1,2})-(\d{4})\b"
)
_VI_DATE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", re.IGNORECASE)
# A month without its day: "en juin", "tháng 6", "tháng Mười Hai".
_FR_MONTH = re.compile(rf"\b({_FULL_MONTHS})\b", re.IGNORECASE)
MONTHS_VI = {
    "giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}  # fmt: skip
_VI_MONTH_WORDS = "|".join(sorted(MONTHS_VI, key=len, reverse=True))
_VI_MONTH = re.compile(rf"\btháng\s+(\d{{1,2}}|{_VI_MONTH_WORDS})\b(?!\s*(?:mươi|trăm))", re.I)
# "25-NQ/TW", "43- KL/TW": a party-document code
_CODE = re.compile(r"\b(\d+)\s*-\s*([A-ZĐ]{1,4})\s*/\s*([A-ZĐ]{1,4})\b")
# 11 000 / 11.000 / 11,000 (thousands) or 3,5 / 3.5 (decimals) or a plain integer
_NUMBER = re.compile(r"\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)?")

# Numerals, by the part they play: a unit is added, a multiplier multiplies what came before it.
UNITS = {
    "fr": {
        "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
        "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
        "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
        "quarante": 40, "cinquante": 50, "soixante": 60,
        # About so many: "une quarantaine d'années", "des dizaines de milliers".
        "dizaine": 10, "dizaines": 10, "douzaine": 12, "douzaines": 12, "quinzaine": 15,
        "vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50,
        "soixantaine": 60, "centaine": 100, "centaines": 100,
        # Ordinals, and weekdays as Vietnamese numbers them ("thứ Hai" is Monday).
        "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6,
        "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10,
        "lundi": 2, "mardi": 3, "mercredi": 4, "jeudi": 5, "vendredi": 6, "samedi": 7,
    },
    "vi": {
        "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
        "lăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9, "mười": 10,
    },
}  # fmt: skip
TENS = {"vi": {"mươi", "chục"}, "fr": set()}  # "hai mươi": 2 x 10
MULTIPLIERS = {
    "fr": {"cent": 100, "cents": 100, "mille": 1000, "millier": 1000, "milliers": 1000,
           "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9},
    "vi": {"trăm": 100, "nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9},
}  # fmt: skip
# Words that are numbers only before a multiplier (else an article, a year, "new", "not", ...),
# and words that join a numeral's parts ("vingt et un", "dizaines de milliers", "hai trăm linh").
AMBIGUOUS = {
    "fr": {"un", "une", "neuf", "zéro"},
    "vi": {"không", "một", "mốt", "năm", "lăm", "tư", "chín"},
}
JOINERS = {"fr": {"et", "de", "d"}, "vi": {"linh", "lẻ"}}
# After these a numeral word is surely one, even capitalised or ambiguous: an ordinal or a
# weekday (``thứ Hai``: Monday, or second; ``thứ năm``: Thursday, or fifth).
_SURE_AFTER = {"vi": {"thứ"}, "fr": set()}
# After these a word is a percentage's own (``phần trăm``, ``pour cent``), no number.
_NOT_AFTER = {"vi": {"phần"}, "fr": {"pour"}}
_ROUND = (10, 20, 30, 40, 50, 60)  # "dix-neuf", "vingt-neuf", "mười chín"
# A decade: "les années 30", "thập niên 80", "những năm 1930" (the last a figure anyway).
_DECADE = {
    "fr": re.compile(r"\bannées\s+([2-9]0)\b", re.IGNORECASE),
    "vi": re.compile(r"\b(?:thập niên|thập kỷ|những năm)\s+([2-9]0)\b", re.IGNORECASE),
}


def numbers(text: str, lang: str | None = None) -> Counter[str]:
    """Language-neutral number tokens of ``text``: dates as ``d.m[.y]``, months without a day as
    ``m6``, codes, then the remaining numbers, in figures and, when ``lang`` (``"fr"`` or
    ``"vi"``) is given, in that language's words (``hai mươi`` and ``vingt`` are ``20``; ``1,5
    triệu`` and ``1,5 million`` are ``1500000``)."""
    return Counter(dict(_tokens(text, lang)))


@lru_cache(maxsize=4096)
def _tokens(text: str, lang: str | None) -> tuple[tuple[str, int], ...]:
    # The aligner compares one caption's numbers with each of its candidates'.
    text = unicodedata.normalize("NFC", text)
    found: Counter[str] = Counter()
    spans: list[tuple[int, int]] = []
    for pattern, month in ((_FR_DATE, True), (_VI_DATE, False), (_NUM_DATE, False)):
        for m in pattern.finditer(text):
            if _overlaps(m.span(), spans):
                continue
            groups = m.groups()
            day, mon, year = groups[:3] if groups[0] is not None else groups[3:6]
            mon_n = MONTHS_FR[mon.lower()] if month else int(mon)
            if not (1 <= int(day) <= 31 and 1 <= mon_n <= 12):
                continue
            found[f"{int(day)}.{mon_n}" + (f".{int(year)}" if year else "")] += 1
            spans.append(m.span())
    if lang is not None:
        for m in (_FR_MONTH if lang == "fr" else _VI_MONTH).finditer(text):
            name = m.group(1).lower()
            number = MONTHS_FR.get(name) or MONTHS_VI.get(name) or int(name)
            if 1 <= number <= 12 and not _overlaps(m.span(), spans):
                found[f"m{number}"] += 1
                spans.append(m.span())
        for m in _DECADE[lang].finditer(text):
            found[f"19{m.group(1)}"] += 1
            spans.append(m.span())
    for m in _CODE.finditer(text):
        found["-".join((m.group(1), m.group(2) + "/" + m.group(3)))] += 1
        spans.append(m.span())
    items: list[tuple[int, int, str | float]] = [  # (start, end, a figure's value or a word)
        (m.start(), m.end(), _value(m.group()))
        for m in _NUMBER.finditer(text)
        if not _overlaps(m.span(), spans)
    ]
    if lang is not None:
        items += [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)
                  if not _overlaps(m.span(), spans)]  # fmt: skip
        items.sort()
    for value in _read(text, items, lang):
        found[_canonical(value)] += 1
    return tuple(found.items())


def _read(text: str, items: list[tuple[int, int, str | float]], lang: str | None) -> list[float]:
    """The values of the runs of numerals among ``items`` (figures, and words when ``lang`` is
    given), a run being numerals with only spaces, hyphens or apostrophes between them."""
    out: list[float] = []
    run: list[tuple[str | float, bool, bool]] = []  # (value or word, capitalised, sure)
    end, previous = 0, ""
    for start, stop, item in items:
        if isinstance(item, float):
            part: tuple[str | float, bool, bool] | None = (item, False, True)
        else:
            word = same_tones(item.lower())
            numeral = lang is not None and previous not in _NOT_AFTER[lang] and (
                word in UNITS[lang] or word in TENS[lang] or word in MULTIPLIERS[lang]
                or (bool(run) and word in JOINERS[lang])
            )  # fmt: skip
            sure = lang is not None and previous in _SURE_AFTER[lang]
            part = (word, item[:1].isupper(), sure) if numeral else None
            previous = word
        if run and (
            part is None or text[end:start].strip(" \u00a0-'’") or _apart(run[-1][0], part[0], lang)
        ):
            out += _value_of(run, lang)
            run = []
        if part is not None:
            run.append(part)
        end = stop
    return out + _value_of(run, lang)


def _apart(last: str | float, this: str | float, lang: str | None) -> bool:
    """Whether two numerals side by side are two numbers: two figures (``2021-2026``), or a
    figure and a unit word (``en 2019 deux personnes``); a figure and its multiplier are one
    (``1,5 triệu``)."""
    figures = isinstance(last, float) + isinstance(this, float)
    units = UNITS[lang] if lang is not None else {}
    return figures == 2 or (figures == 1 and (last in units or this in units))


def _value_of(run: list[tuple[str | float, bool, bool]], lang: str | None) -> list[float]:
    """A run's value; nothing when it is no number (a capitalised numeral alone: ``Ba Lan``;
    an ambiguous word with no multiplier after it: ``năm``, ``một``)."""
    if lang is not None:
        for k, (x, _, _) in enumerate(run[:-1]):
            if x in JOINERS[lang] and not _joins(x, run[k + 1][0], lang):  # "cinq de six"
                return _value_of(run[:k], lang) + _value_of(run[k + 1 :], lang)
    figures = [x for x, _, _ in run if isinstance(x, float)]
    if lang is None:
        return figures
    words = [x if isinstance(x, str) else "" for x, _, _ in run]
    kept = [k for k, w in enumerate(words) if not w or run[k][2] or _counts(words, k, lang)]
    while kept and words[kept[-1]] in JOINERS[lang]:
        kept.pop()
    if not kept or (len(run) == 1 and run[0][1] and not run[0][2]):
        return []
    total = current = 0.0
    last = ""
    for k in kept:
        x = run[k][0]
        if isinstance(x, float):
            current += x
        elif x in TENS[lang]:
            current = max(current, 1) * 10
        elif x in MULTIPLIERS[lang]:
            factor = MULTIPLIERS[lang][x]
            if factor == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * factor
                current = 0.0
        elif x.startswith("vingt") and last == "quatre":
            current += 80 - 4  # quatre-vingt(s): 4 x 20
        elif x in UNITS[lang]:
            current += UNITS[lang][x]
        last = str(x)
    return [total + current]


def _joins(joiner: object, after: object, lang: str) -> bool:
    """Whether ``joiner`` joins the parts of one numeral: before a multiplier ("dizaines de
    milliers"), or "et" in "vingt et un", "soixante et onze"."""
    if joiner == "et":
        return after in ("un", "une", "onze")
    return isinstance(after, str) and (after in MULTIPLIERS[lang] or lang == "vi")


def _counts(words: list[str], k: int, lang: str) -> bool:
    """Whether the word ``words[k]`` of a run counts: an ambiguous one only before a multiplier
    (``một trăm``, ``un million``) or as the last part of a compound (``hai mươi mốt``, ``vingt
    et un``, ``dix-neuf``); ``năm`` after a number is years (``mười năm``)."""
    word = words[k]
    if word in JOINERS[lang] or word not in AMBIGUOUS[lang]:
        return True
    after = words[k + 1] if k + 1 < len(words) else ""
    if after in MULTIPLIERS[lang] or after in TENS[lang]:
        return True
    before = words[k - 1] if k else ""
    tens = before in TENS[lang] or before == "et" or UNITS[lang].get(before, 0) in _ROUND
    return tens and word not in ("năm", "không", "zéro")


def _value(figure: str) -> float:
    """A figure's value: ``11 000`` and ``11.000`` are thousands, ``3,5`` a decimal."""
    if re.fullmatch(r"\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+", figure):
        return float(re.sub(r"\D", "", figure))
    return float(figure.replace(",", "."))


def _canonical(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)
