"""Language identification per segment: ``fr``, ``vi``, ``en`` or ``other``.

Vietnamese is recognised first by its own letters (``đ ơ ư ă`` and the stacked tone marks), which no
French or English text uses in quantity; French and English are told apart by Lingua restricted to
the three languages that matter here (offline models, ~0.2 ms a line).  Text with no letters, or
mostly non-Latin letters, is ``other``.  Short lines ("Source", "Selon VNA") carry too little
signal, so :func:`identify_all` gives them the language of their confident neighbours.  A line
longer than :data:`SAMPLE_CHARS` (a page scraped without line breaks) is identified by its first
:data:`SAMPLE_CHARS` characters: the cost stays linear in the input, and every shorter line, which
is every paragraph of a normal page, is identified whole.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from .patterns import WORD

__all__ = ["LANGS", "SAMPLE_CHARS", "identify", "identify_all"]

LANGS = ("fr", "vi", "en")
_VI_LETTERS = frozenset("đơưăạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỷỹỵĩũ")
# An address starts where a run of non-spaces starts: matching from inside the run too would try
# every position of a long run of non-spaces again (quadratic), for the same matches.
_URL = re.compile(r"\b(?:https?://|www\.)\S+|(?<!\S)\S+@\S+\.\w+")
# The most of one text that is read to identify its language; the longest NTREX and seed lines
# are under 1,000 characters.
SAMPLE_CHARS = 4096
# From this share of words with Vietnamese letters on, a text is Vietnamese without asking Lingua;
# below it, a few such words may be a Vietnamese name quoted in French, and Lingua decides.
_VI_SHARE = 0.4
# Lingua's relative confidence under which a line is decided by its context.
_MIN_CONFIDENCE = 0.75
_SHORT_WORDS = 3
_CONTEXT = 2


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.FRENCH, Language.ENGLISH, Language.VIETNAMESE
    ).build()


def _guess(text: str) -> tuple[str, float]:
    """The language of ``text`` and a confidence in [0, 1] that it stands on its own."""
    text = _URL.sub(" ", _sample(text))
    words = WORD.findall(text)
    if not words:
        return "other", 1.0
    letters = "".join(words)
    latin = sum(
        1
        for ch in letters
        if ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"
    )
    if latin < 0.5 * len(letters):
        return "other", 1.0
    vi_words = sum(1 for w in words if any(ch in _VI_LETTERS for ch in w.lower()))
    if vi_words >= max(1.0, _VI_SHARE * len(words)):
        return "vi", 1.0
    values = _detector().compute_language_confidence_values(text)
    best = values[0]
    lang = best.language.iso_code_639_1.name.lower()
    confidence = best.value if len(words) >= _SHORT_WORDS else min(best.value, 0.5)
    return lang, confidence


def _sample(text: str) -> str:
    """The start of ``text``, at most :data:`SAMPLE_CHARS` characters, cut after a space when
    there is one in its second half (so no word is cut)."""
    if len(text) <= SAMPLE_CHARS:
        return text
    head = text[:SAMPLE_CHARS]
    space = head.rfind(" ")
    return head[:space] if space > SAMPLE_CHARS // 2 else head


def identify(text: str) -> str:
    """The language of one text on its own: ``fr``, ``vi``, ``en`` or ``other``.

    Example:
        >>> identify("Scène de la réunion matinale du 22 décembre.")
        'fr'
    """
    return _guess(text)[0]


def identify_all(texts: list[str]) -> list[str]:
    """The language of each text, deciding short or uncertain ones from their neighbours.

    A text whose own evidence is weak keeps its own best guess if one of the confident texts
    around it (up to two on each side) is in that language; otherwise it takes their most common
    language, ties going to the language most common in the whole list.  With no confident text
    at all, its own best guess stands.
    """
    guesses = [_guess(t) for t in texts]
    confident = [i for i, (_, c) in enumerate(guesses) if c >= _MIN_CONFIDENCE]
    overall = Counter(guesses[i][0] for i in confident)
    langs = []
    for i, (lang, conf) in enumerate(guesses):
        if conf >= _MIN_CONFIDENCE or not confident or lang == "other":
            langs.append(lang)
            continue
        before = [j for j in confident if j < i][-_CONTEXT:]
        after = [j for j in confident if j > i][:_CONTEXT]
        votes = Counter(guesses[j][0] for j in before + after)
        if votes[lang]:  # its own guess, confirmed by a neighbour
            langs.append(lang)
        else:
            langs.append(max(votes, key=lambda la: (votes[la], overall[la])))
    return langs
