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

The chrome a site sets **inside** an article (:func:`in_article_chrome`) is the same for the
French pages and the Vietnamese originals: links to other articles (``Lire aussi : …``, ``Xem
thêm: …``), share buttons, tag lists, the update time; :data:`FOOTER` is the first line of a
page's footer (a source, the comment count).

A **word** is a run of letters in any script: no digits, no underscores.

Vietnamese writes the tone of ``oa``, ``oe`` and ``uy`` on either vowel (``đồ họa`` and ``đồ
hoạ``): :func:`same_tones` reads both as one, and :func:`either_tone` matches both.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "BARE_CREDIT",
    "CREDIT",
    "CREDIT_LINE",
    "FOOTER",
    "ILLUSTRATION",
    "LINK",
    "MEDIA_CREDIT",
    "MEDIA_CREDIT_WORDS",
    "MEDIUM",
    "SHARE",
    "SOURCE_CREDIT_WORDS",
    "TAGS",
    "UPDATED",
    "VIETNAMESE_CREDIT",
    "WORD",
    "either_tone",
    "fold",
    "in_article_chrome",
    "same_tones",
]

# The five tone marks, decomposed; the vowel marks (circumflex, breve, horn) are not among them.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# A tone on the first vowel of "oa", "oe" or "uy", where the glide is the first vowel; and on
# the second, where :func:`same_tones` puts it.
_TONE_ON_GLIDE = re.compile(f"([oO])([{_TONES}])([aAeE])|([uU])([{_TONES}])([yY])")
_TONE_ON_MAIN = re.compile(f"([oO])([aAeE])([{_TONES}])|([uU])([yY])([{_TONES}])")


def same_tones(text: str) -> str:
    """Vietnamese writes the tone of ``oa``, ``oe`` and ``uy`` on either vowel (``hòa`` and
    ``hoà``, ``thủy`` and ``thuỷ``), both spellings common on one site, even in one corpus: this
    moves it to the second vowel, where it sits in every other syllable with a glide (``hoàn``),
    so the two spellings are one word."""
    return text if text.isascii() else _move_tone(text, _TONE_ON_GLIDE)


def either_tone(word: str) -> str:
    """A regular expression for ``word`` in both tone spellings (``(?:hoạ|họa)``)."""
    second = same_tones(word)
    spellings = dict.fromkeys((second, _move_tone(second, _TONE_ON_MAIN)))
    return "(?:" + "|".join(map(re.escape, spellings)) + ")"


def _move_tone(text: str, misplaced: re.Pattern[str]) -> str:
    """``text`` with the tone of each ``misplaced`` match moved to the match's other vowel."""
    moved = misplaced.sub(
        lambda m: m[1] + m[3] + m[2] if m[1] else m[4] + m[6] + m[5],
        unicodedata.normalize("NFD", text),
    )
    return unicodedata.normalize("NFC", moved)


_GRAPHIC_VI = "đồ " + either_tone("hoạ")
# The word a credit starts with, as regular-expression alternatives (French, Vietnamese), by
# the medium it credits.
MEDIA = {
    "photo": ("photos?", "ảnh", "crédits?", "illustration"),
    "video": ("vid[ée]os?", "clip"),
    "graphic": ("infographies?", _GRAPHIC_VI),
}
MEDIA_CREDIT_WORDS = tuple(word for words in MEDIA.values() for word in words)
# The ones only Vietnamese uses: such a credit belongs to a Vietnamese caption.
VIETNAMESE_MEDIA_WORDS = ("ảnh", _GRAPHIC_VI)
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
    rf"ảnh\s+minh\s+{either_tone('hoạ')}|(?:photo|image)\s+d['’]\s?illustration"
    r"|photo\s+illustrative"
)
# "(Photo : VNA)" alone, "Photo : An Dang/VNA" or "Ảnh minh họa: TTXVN": a line holding only a
# media credit.
CREDIT_LINE = re.compile(
    rf"^(?:{MEDIA_CREDIT.pattern}|(?:{_MEDIA_WORD})\s*:\s*[^\s\d()][^().!?]{{0,50}}"
    rf"|\(?(?:{_ILLUSTRATION})\)?(?:\s*:\s*[^().!?]{{0,50}})?)$",
    re.IGNORECASE,
)
# The label alone, at a line's start: "Ảnh minh họa", "(Photo d'illustration)".
ILLUSTRATION = re.compile(rf"^\(?(?:{_ILLUSTRATION})", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+")


def fold(text: str) -> str:
    """Lower-case and strip diacritics (``Đăng`` -> ``dang``), for comparing names across the
    two languages (the French edition writes Vietnamese names without diacritics)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _starts_with(words: tuple[str, ...]) -> re.Pattern[str]:
    # A credit's first word, in parentheses or not.
    return re.compile(rf"^\(?\s*(?:{'|'.join(words)})\b", re.IGNORECASE)


# The medium of a credit, from its first word: "(Vidéo : VNA)" -> ``video``.
MEDIUM = {kind: _starts_with(words) for kind, words in MEDIA.items()}
# "(Ảnh: TTXVN)", "Đồ họa: …": a credit in Vietnamese.
VIETNAMESE_CREDIT = _starts_with(VIETNAMESE_MEDIA_WORDS)


# Lines every news site puts inside an article that are not its text: links to other articles,
# share buttons, tags, the update time.  Both parsers (French pages and Vietnamese originals) read
# the same ones.  A link starts with its phrase and is the phrase alone or the phrase, a colon and
# a headline, so a sentence starting "Pour en savoir plus sur…" is text.
LINK = re.compile(
    r"^(?:[>»►▶→•*-]+\s*)?"
    r"(?:(?:à\s+)?lire\s+(?:aussi|également|la suite|plus|l['’]article(?: complet)?)"
    r"|(?:à\s+)?voir\s+(?:aussi|également|la vidéo|plus|l['’]article)|pour en savoir plus"
    r"|sur le même sujet|dans la même rubrique|consulter aussi"
    r"|(?:articles?|liens?) (?:liés?|connexes)"
    r"|en savoir plus|xem thêm|đọc thêm|đọc tiếp|tin liên quan|xem tiếp|bài liên quan)"
    r"\s*(?:[:：»>…]|\.\.\.|$)",
    re.IGNORECASE,
)
_SHARE_WORD = (
    r"(?:partager(?:\s+sur\s+\w+)?|tweet(?:er)?|imprimer|envoyer|copier le lien|facebook"
    r"|twitter|zalo|linkedin|e-?mail|chia sẻ(?:\s+bài viết)?|in bài(?:\s+viết)?|sao chép link"
    r"|copy link|gửi bài)"
)
SHARE = re.compile(rf"^{_SHARE_WORD}(?:[\s:,|/·-]+{_SHARE_WORD})*\s*:?$", re.IGNORECASE)
TAGS = re.compile(
    rf"^(?:mots[- ]clés|tags?|thẻ|étiquettes?|từ {either_tone('khóa')})\s*:", re.IGNORECASE
)
UPDATED = re.compile(
    r"^(?:mis à jour|mise à jour|publié|cập nhật|đăng)\b.{0,20}\d{1,2}[/:h.]\d{2}", re.IGNORECASE
)
# The first line of a page's footer: a source, the comment count.
FOOTER = re.compile(
    r"^(?:sources?(?:\s*:.*)?|comments?\s*\(\d+\)|commentaires?(?:\s*\(\d+\))?"
    r"|bình luận\s*\(\d+\))$",
    re.IGNORECASE,
)
# Share buttons scraped without spaces: "ZaloFacebookTwitterImprimer".
_GLUED = re.compile(r"[a-zà-ÿ][A-ZÀ-Þ]")


def in_article_chrome(line: str) -> bool:
    """Whether ``line`` is site chrome that sits inside an article: share buttons, a link to
    another article, a tag list, the update time."""
    if len(_GLUED.findall(line)) >= 2 and len(line.split()) <= 6:
        return True
    return any(p.match(line) for p in (LINK, SHARE, TAGS, UPDATED))
