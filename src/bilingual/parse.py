"""Text of a scraped page -> blocks with roles: title, byline, body, caption, chrome.

The site's template is recognised by structure and position, not by the seeds' exact strings:

* the **byline** is a short line ending in a date, usually the source name written twice
  (``Báo Quốc TếBáo Quốc Tế21/12/2023``);
* the **title** is the French line just before the byline (or the first French line);
  everything above it (the site's tagline) is chrome;
* the **footer** starts at the first ``Source``/``Source : URL``/``Comment (N)`` line after the
  article; it and everything after it (related headlines, section names) is chrome, and so are a
  short attribution (``Selon VNA``), an author line (``Thu Hằng``, ``Par Nguyen Van Hung``) and a
  tag list (``Mots-clés : …``) just above it;
* inside the article, a Vietnamese line is a **caption**, and so is the French line right after
  it when its length and its final punctuation fit a translation of it, and any line carrying a
  photo credit (``(Photo : …/VNA)``) or holding only one (``Photo : An Dang/VNA``); share buttons
  (``ZaloFacebookTwitter…``, ``Partager``), links to other articles (``Lire aussi : …``,
  ``Xem thêm: …``, ``Pour en savoir plus``), tag lists, an update time and a stray language label
  at the start of a paragraph (``Français Le Secrétariat…``) are chrome; a short French line
  without a sentence's final punctuation between paragraphs is a **heading**; the rest is
  **body**.

Parsing never alters text: blocks are the input's lines (or a label cut from a line's start),
stripped of surrounding whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Role
from .langid import identify_all
from .patterns import CREDIT_LINE, FOOTER, MEDIA_CREDIT, TAGS, in_article_chrome

__all__ = ["Block", "could_translate", "heading_shaped", "parse_page"]

_DATE = r"\d{1,2}/\d{1,2}/\d{2,4}"
_BYLINE_DOUBLED = re.compile(rf"^(?P<source>\S.{{0,60}}?)(?P=source)\s*{_DATE}$")
_BYLINE_SHORT = re.compile(rf"^\D{{0,60}}?\s*{_DATE}$")
_ATTRIBUTION = re.compile(
    r"^(?:selon|d['’]après|source|par|theo)\s+\S+(?:\s+\S+){0,3}$", re.IGNORECASE
)
_LABEL = re.compile(
    r"^(?:Français|Française|Anglais|English|Vietnamien|Tiếng Việt|Tiếng Anh|Tiếng Pháp)"
    r"(?=\s+[A-ZÀ-ÞĐ])",
)
# An author's signature: two to four capitalised words, maybe "Par" before, an agency after.
_AUTHOR = re.compile(
    r"^(?:par\s+)?(?:[A-ZÀ-ÞĐ][^\W\d_]*\s+){1,3}[A-ZÀ-ÞĐ][^\W\d_]*(?:\s*(?:/|\()\s*[A-Z]{2,6}\)?)?$"
)
# A subheading: a short French line with no sentence-final punctuation (a question may be one).
_HEADING_WORDS = 16
_HEADING_END = re.compile(r"[.!…:;,»”\"')]$")
# A French caption is at most this much longer than the Vietnamese caption it translates.
_CAPTION_RATIO, _CAPTION_SLACK = 3.0, 60
_TERMINAL = re.compile(r"[.!?…:;»”\"')]$")


@dataclass(frozen=True)
class Block:
    """One line of the page (or the part of it left after a language label), with its role.

    Attributes:
        role: the line's role on the page.
        text: the line's text, stripped.
        lang: the line's language (``fr``, ``vi``, ``en``, ``other``).
        line: the index of the line in the input, from 0.
    """

    role: Role
    text: str
    lang: str
    line: int


def parse_page(text: str) -> list[Block]:
    """Give every non-empty line of a page its role.

    Args:
        text: the page's clean text (see :func:`bilingual.read.read_text`).

    Returns:
        The blocks in reading order.

    Example:
        >>> page = "Site - Trang chủ\\n\\nUn titre\\n\\nBáo ABáo A21/12/2023\\n\\nUn texte."
        >>> [b.role for b in parse_page(page)]
        ['chrome', 'title', 'byline', 'body']
    """
    numbered = [(i, line.strip()) for i, line in enumerate(text.split("\n")) if line.strip()]
    if not numbered:
        return []
    lines = [line for _, line in numbered]
    langs = identify_all(lines)
    byline = _find_byline(lines)
    title = _find_title(lines, langs, byline)
    start = (byline if byline is not None else title if title is not None else -1) + 1
    footer = _find_footer(lines, start)
    roles = _article_roles(lines, langs, start, footer)
    blocks: list[Block] = []
    for k, ((line_no, line), lang) in enumerate(zip(numbered, langs, strict=True)):
        role: Role = "chrome"
        if k == title:
            role = "title"
        elif k == byline:
            role = "byline"
        elif start <= k < footer:
            role = roles[k - start]
        blocks.extend(_cut_label(Block(role, line, lang, line_no)))
    return blocks


def _find_byline(lines: list[str]) -> int | None:
    """The first line that is a source name (twice) and a date, within the page's head."""
    head = lines[:8]
    for pattern in (_BYLINE_DOUBLED, _BYLINE_SHORT):
        for k, line in enumerate(head):
            if pattern.match(line):
                return k
    return None


def _find_title(lines: list[str], langs: list[str], byline: int | None) -> int | None:
    """The French line closest above the byline, or without a byline the first French line."""
    if byline is not None:
        above = [k for k in range(byline) if langs[k] == "fr"]
        return above[-1] if above else None
    first = next((k for k, lang in enumerate(langs) if lang == "fr"), None)
    if first is not None and len(lines[first].split()) <= 30 and len(lines) > 1:
        return first
    return None


def _find_footer(lines: list[str], start: int) -> int:
    """Where the page's footer begins, including a short attribution line just above it."""
    footer = next((k for k in range(start, len(lines)) if FOOTER.match(lines[k])), len(lines))
    while footer > start and _signs_off(lines[footer - 1]):
        footer -= 1
    return footer


def _signs_off(line: str) -> bool:
    """Whether ``line`` is what ends an article above its footer: attribution, author, tags."""
    if TAGS.match(line):
        return True
    return bool(_ATTRIBUTION.match(line) or _AUTHOR.match(line)) and not _TERMINAL.search(line)


def _article_roles(lines: list[str], langs: list[str], start: int, end: int) -> list[Role]:
    """Roles of the article's lines ``start:end``."""
    roles: list[Role] = []
    for k in range(start, end):
        line, lang = lines[k], langs[k]
        if in_article_chrome(line):
            role: Role = "chrome"
        elif (
            lang == "vi"
            or MEDIA_CREDIT.search(line)
            or CREDIT_LINE.match(line)
            or (
                k > start
                and roles[-1] == "caption"
                and could_translate(lines[k - 1], langs[k - 1], line)
            )
        ):
            role = "caption"
        elif lang == "fr" and k + 1 < end and heading_shaped(line):
            role = "heading"
        else:
            role = "body"
        roles.append(role)
    return roles


def heading_shaped(line: str) -> bool:
    """Whether ``line`` is shaped like a subheading (in French or Vietnamese): a short line that
    starts like a title and does not end like a sentence."""
    return (
        len(line.split()) <= _HEADING_WORDS and line[:1].isupper() and not _HEADING_END.search(line)
    )


def could_translate(previous: str, previous_lang: str, line: str) -> bool:
    """Whether ``line`` can be the French translation of the Vietnamese caption before it: a
    caption's translation is of comparable length, a body paragraph after an untranslated caption
    usually is not; and it ends like its original (a caption that ends a sentence is not
    translated by a subheading).  A line holding only a credit (``Ảnh minh họa: TTXVN``) has no
    text to translate."""
    if previous_lang != "vi" or CREDIT_LINE.match(previous):
        return False
    if len(line) > _CAPTION_RATIO * len(previous) + _CAPTION_SLACK:
        return False
    return not _TERMINAL.search(previous) or bool(_TERMINAL.search(line))


def _cut_label(block: Block) -> list[Block]:
    """Split a stray language label (``Français``) off the start of an article paragraph."""
    match = _LABEL.match(block.text)
    if block.role not in ("body", "caption") or match is None:
        return [block]
    rest = block.text[match.end() :].lstrip()
    label = Block("chrome", match.group(), block.lang, block.line)
    return [label, Block(block.role, rest, block.lang, block.line)]
