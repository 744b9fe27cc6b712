"""Patterns that more than one stage relies on, each defined once.

A photo credit is how the site marks a picture's caption, so the parser (roles), the splitter (a
credit is a segment of its own) and the aligner (both sides of a caption pair carry one) must all
recognise the same ones:

* a **media credit** names who made the picture, video or graphic: ``(Photo : Lam Khanh/VNA)``,
  ``(Ảnh: An Đăng/TTXVN)``, ``(Vidéo : VNA)``, ``(Video: TTXVN)``, ``(Infographie : …)``,
  ``(Đồ họa: TTXVN)`` (or ``Đồ hoạ``: the tone of "oa" sits on either vowel), ``(Photo
  d'illustration)``;
* a **source credit** has the same shape and says where the text or figure comes from:
  ``(Source : VNA)``, ``(Nguồn: TTXVN)``.  It is a credit for the splitter and the aligner, but it
  does not make its line a caption (a body paragraph can end with one).

A media credit names its **medium**: a photo (``Ảnh``, ``Photo``, ``Illustration``), a video
(``Video``, ``Vidéo``, ``Clip``) or a graphic (``Đồ họa``, ``Infographie``); a caption and its
translation credit the same medium.

A **credit line** is a line that holds nothing but a media credit, in parentheses or not
(``Photo : An Dang/VNA``): a photo's credit set under its caption, or a photo without a caption;
the label of a stock picture (``Ảnh minh họa``, ``Photo d'illustration``) is one too.

A **word** is a run of letters in any script: no digits, no underscores.
"""

from __future__ import annotations

import re

__all__ = [
    "BARE_CREDIT",
    "CREDIT",
    "CREDIT_LINE",
    "MEDIA_CREDIT",
    "MEDIA_CREDIT_WORDS",
    "MEDIUM",
    "SOURCE_CREDIT_WORDS",
    "VIETNAMESE_CREDIT",
    "WORD",
]

# The word a credit starts with, as regular-expression alternatives (French, Vietnamese), by
# the medium it credits.
# Vietnamese writes the tone of "oa", "oe" and "uy" on either vowel ("đồ họa" and "đồ hoạ"): both.
MEDIA = {
    "photo": ("photos?", "ảnh", "crédits?", "illustration"),
    "video": ("vid[ée]os?", "clip"),
    "graphic": ("infographies?", "đồ h(?:ọa|oạ)"),
}
MEDIA_CREDIT_WORDS = tuple(word for words in MEDIA.values() for word in words)
# The ones only Vietnamese uses: such a credit belongs to a Vietnamese caption.
VIETNAMESE_MEDIA_WORDS = ("ảnh", "đồ h(?:ọa|oạ)")
_MEDIA_WORD = "|".join(MEDIA_CREDIT_WORDS)
SOURCE_CREDIT_WORDS = ("sources?", "nguồn")


def _credit(words: tuple[str, ...]) -> re.Pattern[str]:
    # "(Photo : Lam Khanh/VNA)": the group ``source`` holds what follows the colon.
    return re.compile(rf"\((?:{'|'.join(words)})\b\s*:?\s*(?P<source>[^()]*)\)", re.IGNORECASE)


CREDIT = _credit(MEDIA_CREDIT_WORDS + SOURCE_CREDIT_WORDS)
MEDIA_CREDIT = _credit(MEDIA_CREDIT_WORDS)
# "Photo : An Dang/VNA" ending a text: a credit without parentheses (a short source starting with
# a capital, no sentence in it).
BARE_CREDIT = re.compile(
    rf"(?:^|(?<=\s))(?:{_MEDIA_WORD})\s*:\s*(?P<source>(?-i:[A-ZÀ-ÞĐ])[^().!?:]{{0,50}})$",
    re.IGNORECASE,
)
# "Ảnh minh họa", "Photo d'illustration": a stock picture's label, which no caption translates.
_ILLUSTRATION = (
    r"ảnh\s+minh\s+h(?:ọa|oạ)|(?:photo|image)\s+d['’]\s?illustration|photo\s+illustrative"
)
# "(Photo : VNA)" alone, "Photo : An Dang/VNA" or "Ảnh minh họa: TTXVN": a line holding only a
# media credit.
CREDIT_LINE = re.compile(
    rf"^(?:{MEDIA_CREDIT.pattern}|(?:{_MEDIA_WORD})\s*:\s*[^\s\d()][^().!?]{{0,50}}"
    rf"|\(?(?:{_ILLUSTRATION})\)?(?:\s*:\s*[^().!?]{{0,50}})?)$",
    re.IGNORECASE,
)
WORD = re.compile(r"[^\W\d_]+")


def _starts_with(words: tuple[str, ...]) -> re.Pattern[str]:
    # A credit's first word, in parentheses or not.
    return re.compile(rf"^\(?\s*(?:{'|'.join(words)})\b", re.IGNORECASE)


# The medium of a credit, from its first word: "(Vidéo : VNA)" -> ``video``.
MEDIUM = {kind: _starts_with(words) for kind, words in MEDIA.items()}
# "(Ảnh: TTXVN)", "Đồ họa: …": a credit in Vietnamese.
VIETNAMESE_CREDIT = _starts_with(VIETNAMESE_MEDIA_WORDS)
