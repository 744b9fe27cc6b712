"""The habits a page's editors write captions with, drawn at random: one convention per page.

The seeds' layout (``(Ảnh: An Đăng/TTXVN)`` under the Vietnamese caption, ``(Photo : An
Dang/VNA)`` under the French one) is the most common convention; the others each change one
habit the site was seen to vary, or could: how a credit is spelled (``Photo:``, ``PHOTO :``,
``Ảnh :``, after a dash instead of in brackets), where it sits (on a line of its own), what it
names (a publication, a ministry or a portal, translated, abbreviated or dropped by the French
side; the agency as ``VNA``, ``AVI`` or ``TTXVN``), the quotes (``« »`` or ``" "``), the Unicode
form (NFD) and the place of the tone in ``oa``/``oe``/``uy`` (``hoà`` or ``hòa``), and the
French caption above the Vietnamese one instead of under it.

Calibration holds out whole conventions (fit on the others, measure on it), so a signal that only
works on the conventions seen in fitting shows as a drop in the held-out figures.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

__all__ = ["CONVENTIONS", "Convention", "draw", "move_tones"]

# (Vietnamese name, French translation, how the French edition abbreviates it).
PUBLICATIONS = [
    ("Báo Nhân Dân", "Journal du Peuple", "Nhan Dan"),
    ("Cổng TTĐT Chính phủ", "Portail du gouvernement", "VGP"),
    ("Báo Quân đội nhân dân", "Journal de l'Armée populaire", "QDND"),
    ("Bộ Ngoại giao", "ministère des Affaires étrangères", "MAE"),
    ("Đài Truyền hình Việt Nam", "Télévision du Vietnam", "VTV"),
    ("Báo Thế giới và Việt Nam", "Le Monde et le Vietnam", "TG&VN"),
    ("Sở Du lịch Hà Nội", "Service du tourisme de Hanoï", "Tourisme de Hanoï"),
    ("Tạp chí Cộng sản", "Revue communiste", "TCCS"),
]


@dataclass(frozen=True)
class Convention:
    """How one page writes its captions' credits and text.

    Attributes:
        name: the convention's name, the unit calibration holds out.
        vi_credit, fr_credit: the credit's format, with ``{word}`` (``Ảnh``, ``Photo``) and
            ``{source}``; ``{WORD}`` is the word in capitals, ``{sp}`` a space or a non-breaking
            one.
        credit_line: the French credit always on a line of its own (else now and then).
        publication: ``""`` (none), or what the French side does with the publication the
            Vietnamese credit names: ``translated``, ``abbreviated``, ``dropped``.
        agency: how the French credit names the Vietnam News Agency.
        straight_quotes: French quotes as ``" "`` instead of ``« »``.
        nfd: the whole page decomposed (NFD).
        glide_tones: the Vietnamese tone of ``oa``/``oe``/``uy`` on the first vowel (``hòa``).
        french_first: the French caption above the Vietnamese one.
    """

    name: str
    weight: int = 1
    vi_credit: str = "({word}: {source})"
    fr_credit: str = "({word}{sp}: {source})"
    credit_line: bool = False
    publication: str = ""
    agency: str = "VNA"
    straight_quotes: bool = False
    nfd: bool = False
    glide_tones: bool = False
    french_first: bool = False

    def credits(self, rng: random.Random, word_vi: str, word_fr: str, person: str | None,
                french_person: str | None) -> tuple[str, str]:  # fmt: skip
        """The Vietnamese and French credits of one caption."""
        vi_parts = [person] if person else []
        fr_parts = [french_person] if french_person else []
        if self.publication:
            vi_name, fr_name, short = rng.choice(PUBLICATIONS)
            vi_parts.append(vi_name)
            if self.publication == "translated":
                fr_parts.append(fr_name)
            elif self.publication == "abbreviated":
                fr_parts.append(short)
        else:
            vi_parts.append("TTXVN")
            fr_parts.append(self.agency)
        fr_parts = fr_parts or [self.agency]  # a video's credit, its publication dropped
        sp = rng.choice((" ", "\u00a0"))
        vi = self.vi_credit.format(
            word=word_vi, WORD=word_vi.upper(), source="/".join(vi_parts), sp=sp
        )
        fr = self.fr_credit.format(
            word=word_fr, WORD=word_fr.upper(), source="/".join(fr_parts), sp=sp
        )
        return vi, fr

    def page_text(self, text: str) -> str:
        """The whole page as this convention writes it (quotes, tones, Unicode form)."""
        if self.straight_quotes:
            text = text.replace("« ", '"').replace(" »", '"').replace("«", '"').replace("»", '"')
        if self.glide_tones:
            text = move_tones(text)
        return unicodedata.normalize("NFD", text) if self.nfd else text


CONVENTIONS = [
    Convention("seeds", weight=6),
    Convention("colon_tight", fr_credit="({word}: {source})"),
    Convention("upper_case", vi_credit="({WORD}: {source})", fr_credit="({WORD}{sp}: {source})"),
    Convention("space_before_colon", vi_credit="({word} : {source})"),
    Convention("after_a_dash", vi_credit="- {word}: {source}", fr_credit="- {word}{sp}: {source}"),
    Convention("credit_line", credit_line=True),
    Convention("publication_translated", publication="translated"),
    Convention("publication_abbreviated", publication="abbreviated"),
    Convention("publication_dropped", publication="dropped"),
    Convention("agency_avi", agency="AVI"),
    Convention("agency_ttxvn", agency="TTXVN"),
    Convention("straight_quotes", straight_quotes=True),
    Convention("nfd", nfd=True),
    Convention("glide_tones", glide_tones=True),
    Convention("french_first", french_first=True),
]


def draw(rng: random.Random) -> Convention:
    """A page's convention, the seeds' the most common."""
    return rng.choices(CONVENTIONS, weights=[c.weight for c in CONVENTIONS])[0]


def _glide_pairs() -> dict[str, str]:
    """NFC syllable nuclei with the tone on the second vowel -> the same on the first."""
    out = {}
    for first, second in ("oa", "oe", "uy", "OA", "OE", "UY", "Oa", "Oe", "Uy"):
        for tone in "\u0300\u0301\u0303\u0309\u0323":
            main = unicodedata.normalize("NFC", first + second + tone)
            glide = unicodedata.normalize("NFC", first + tone + second)
            out[main] = glide
    return out


_GLIDE = _glide_pairs()


def move_tones(text: str) -> str:
    """``hoà`` -> ``hòa``: the tone of ``oa``, ``oe`` and ``uy`` moved to the first vowel
    (where a final consonant follows, ``hoàn``, Vietnamese keeps it on the second: left alone)."""
    out = []
    k = 0
    while k < len(text):
        pair = text[k : k + 2]
        after = text[k + 2 : k + 3]
        if pair in _GLIDE and not (after.isalpha() and after.lower() in "cmnptgh"):
            out.append(_GLIDE[pair])
            k += 2
        else:
            out.append(text[k])
            k += 1
    return "".join(out)
