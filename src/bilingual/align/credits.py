"""What a photo credit says, and whether two credits (one in each language) can be told apart.

A credit's source (``An Đăng/TTXVN``, ``Minh Duc/Journal du Peuple``, ``Cổng TTĐT Chính phủ``)
is cut into parts at ``/``, ``,``, ``;``, ``|`` and dashes, and each part is read as one of:

* an **agency**: a news agency whose name is not translated, or is by a known rule (``TTXVN``,
  ``VNA`` and ``AVI`` are one agency, the Vietnam News Agency);
* a **person**: two to four capitalised words, each a possible Vietnamese syllable once its
  diacritics are dropped (``An Đăng``, ``An Dang``): the French edition writes a Vietnamese
  name without diacritics but never translates it;
* anything else: a publication, a ministry, a portal (``Báo Nhân Dân``, ``Journal du Peuple``,
  ``Portail du gouvernement``), which the French edition may translate, abbreviate or drop.

Only what can be compared is evidence.  Two credits **disagree** when they name another medium
(a graphic's caption is not a photo's), two different agencies, or a person on each side that
the other side does not name; they **agree** when some part of one is found in the other (a
name, folded, in either direction: ``Nhan Dan`` is part of ``Báo Nhân Dân``); otherwise they
have nothing to say.  A part that may be translated never counts against a pair: ``Báo Nhân
Dân`` reads like a name, but ``Journal du Peuple`` does not, so the two are never "two people".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..patterns import BARE_CREDIT, CREDIT, MEDIUM, WORD, fold

__all__ = ["AGENCIES", "Credit", "compare", "find_credit"]

# Agencies by every name they go by, folded; each maps to one canonical name.
AGENCIES = {
    "ttxvn": "vna", "vna": "vna", "ttx": "vna", "avi": "vna", "afp": "afp", "reuters": "reuters",
    "ap": "ap", "xinhua": "xinhua", "tan hoa xa": "xinhua", "efe": "efe", "ansa": "ansa",
    "kyodo": "kyodo", "yonhap": "yonhap", "tass": "tass", "epa": "epa", "getty": "getty",
}  # fmt: skip
_PARTS = re.compile(r"\s*(?:[/,;|–—]|\s-\s)\s*")
# A Vietnamese syllable without its diacritics: initial consonant, one to three vowels, final.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)


@dataclass(frozen=True)
class Credit:
    """A credit's medium (``photo``, ``video``, ``graphic``; ``None`` for a source credit), its
    agencies (canonical names), its people and its other parts (each as folded words)."""

    medium: str | None
    agencies: frozenset[str]
    people: tuple[tuple[str, ...], ...]
    others: tuple[tuple[str, ...], ...]

    @property
    def names(self) -> tuple[tuple[str, ...], ...]:
        return self.people + self.others


def find_credit(text: str) -> Credit | None:
    """The credit a text carries (in parentheses, or ending it), read; ``None`` without one."""
    text = unicodedata.normalize("NFC", text)
    match = CREDIT.search(text) or BARE_CREDIT.search(text)
    if match is None:
        return None
    medium = next((k for k, p in MEDIUM.items() if p.match(match.group().strip())), None)
    agencies, people, others = set(), [], []
    for part in filter(None, _PARTS.split(match["source"].strip())):
        words = tuple(WORD.findall(fold(part)))
        agency = AGENCIES.get(" ".join(words))
        if agency is not None:
            agencies.add(agency)
        elif words and _is_person(part):
            people.append(words)
        elif words:
            others.append(words)
    return Credit(medium, frozenset(agencies), tuple(people), tuple(others))


def compare(a: Credit, b: Credit) -> float:
    """1 when two credits agree on something and disagree on nothing, 0 when they disagree
    (another medium, other agencies, or a person on each side the other does not name), 0.5
    when they have nothing that can be compared."""
    if a.medium != b.medium:
        return 0.0
    if a.agencies and b.agencies and not a.agencies & b.agencies:
        return 0.0
    lonely_a = [p for p in a.people if not any(_same(p, q) for q in b.names)]
    lonely_b = [p for p in b.people if not any(_same(p, q) for q in a.names)]
    if lonely_a and lonely_b:
        return 0.0
    shared = bool(a.agencies & b.agencies) or any(_same(p, q) for p in a.names for q in b.names)
    return 1.0 if shared else 0.5


def _same(p: tuple[str, ...], q: tuple[str, ...]) -> bool:
    """One name's words are all in the other (``Nhan Dan`` in ``Bao Nhan Dan``)."""
    return set(p) <= set(q) or set(q) <= set(p)


def _is_person(part: str) -> bool:
    words = WORD.findall(part)
    return 2 <= len(words) <= 4 and all(
        w[0].isupper() and (len(w) == 1 or w[1:].islower()) and _SYLLABLE.fullmatch(fold(w))
        for w in words
    )
