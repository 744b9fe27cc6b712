"""A scraped Vietnamese original -> blocks with roles (:func:`parse_original`); reading one
into a document of sentences is :func:`bilingual.pairing.original_from_text`.

An *original* is the Vietnamese article a French page translates, scraped from the Vietnamese
site (vietnamplus.vn) the way the French pages are.  Its template is recognised by structure and
position, not by one page's exact strings:

* the **byline** is the first dated line above the first paragraph: a date with a weekday, a
  time, ``(GMT+7)``, ``Cập nhật:``, and at most a short source name (``Thứ Bảy, 23/12/2023 14:05
  (GMT+7)``, ``23/12/2023 - 14:05``);
* the **title** is the headline-shaped Vietnamese line (five words or more, no final period;
  not a site name, breadcrumb or section) closest above the byline, or else the first after it;
* the **footer** starts at the first comment count or section of other articles (``Bình luận
  (0)``, ``Tin cùng chuyên mục``) after a paragraph; it, what is above the article, and the
  author's name among the chrome that ends the article are chrome;
* in the article, a line carrying a photo credit (``(Ảnh: Dương Giang/TTXVN)``, ``… Ảnh: Ngọc
  Thành``) or holding only one (``Ảnh: TTXVN``, ``Ảnh minh họa``) is a **caption**, and so is a
  short line right above a credit naming a source; links (``Xem thêm: …``), share buttons, tags,
  a signature (``Thu Hằng (TTXVN/Vietnam+)``), a source (``Nguồn: …``, ``Theo TTXVN``), a second
  date, and the headlines listed one under the other below ``Tin liên quan`` (or a bare ``Từ
  khóa:``) are chrome; a short line without a sentence's final punctuation between paragraphs is
  a **heading**; the rest (the bold lead paragraph, the *sapo*, included) is **body**.

Parsing never alters text: blocks are the input's lines, stripped of surrounding whitespace.
"""

from __future__ import annotations

import re

from .document import Role
from .langid import identify_all
from .parse import Block, heading_shaped
from .patterns import (
    BARE_CREDIT,
    CREDIT_LINE,
    FOOTER,
    ILLUSTRATION,
    MEDIA_CREDIT,
    TAGS,
    WORD,
    in_article_chrome,
)

__all__ = ["parse_original"]

_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
# What a dated line holds besides a source name: dates, times, weekdays, labels, separators.
_DATELINE_PARTS = re.compile(
    r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}[:h]\d{2}(?::\d{2})?|\(?GMT\s*[+-]\s*\d{1,2}\)?"
    r"|thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|ngày(?:\s+đăng)?|cập\s+nhật|đăng(?:\s+lúc)?"
    r"|lúc",
    re.IGNORECASE,
)
_SOURCE_NAME_WORDS = 4
_SITE = re.compile(r"vietnam\s*\+|vietnamplus|\w\.vn\b", re.IGNORECASE)
_BREADCRUMB = re.compile(r"\s[>»›|]\s")
_TITLE_WORDS = (5, 60)
# Sections of other articles that open the footer.
_SECTIONS = re.compile(
    r"^(?:tin cùng chuyên mục|tin mới(?: nhất)?|tin khác|tin nổi bật|(?:đọc|xem) nhiều(?: nhất)?"
    r"|có thể bạn quan tâm|bình luận|ý kiến bạn đọc)\s*:?$",
    re.IGNORECASE,
)
# A header over a list of headlines (or of tags) that are not the article's text.
_LIST_HEAD = re.compile(
    r"^(?:tin liên quan|bài liên quan|tin cùng chủ đề|xem thêm|đọc thêm)\s*:?$", re.IGNORECASE
)
# "Nguồn: https://…", "(Nguồn: TTXVN)", "Theo TTXVN": where the article comes from.
_SOURCE = re.compile(r"^\(?(?:nguồn(?:\s*:.*)?|theo\s+[^.!?,:;]{1,60})$", re.IGNORECASE)
_AGENCY = r"(?:TTXVN|VNA|Vietnam\s?\+|VietnamPlus|[A-ZĐ]{2,6})"
_AGENCIES = rf"{_AGENCY}(?:\s*/\s*{_AGENCY})*"
# "Thu Hằng (TTXVN/Vietnam+)", "(TTXVN/Vietnam+)", "Minh Sơn/Vietnam+": an author's signature.
_SIGNATURE = re.compile(
    rf"^(?P<name>(?:[^\W\d_]+\s+){{0,3}}[^\W\d_]+)?\s*(?:\(\s*{_AGENCIES}\s*\)|[/–-]\s*{_AGENCIES})$"
)
_NAME_WORDS = 4
# How a paragraph ends (a headline, a heading or a section name does not end so).
_PARAGRAPH_END = re.compile(r"[.…!;:][\"'”’»)]*$")
_PARAGRAPH_WORDS = 8
# The longest caption, in words, that a credit on the line below it makes one.
_CAPTION_WORDS = 40


def parse_original(text: str) -> list[Block]:
    """Give every non-empty line of a scraped Vietnamese original its role.

    Args:
        text: the page's clean text (see :func:`bilingual.read.read_text`).

    Returns:
        The blocks in reading order.

    Example:
        >>> page = (
        ...     "VietnamPlus\\nThời sự\\nThủ tướng chủ trì hội nghị Chính phủ với địa phương\\n"
        ...     "Thứ Bảy, 23/12/2023 14:05 (GMT+7)\\nSáng 23/12, Thủ tướng chủ trì hội nghị tại"
        ...     " Hà Nội.\\nThu Hằng (TTXVN/Vietnam+)\\nBình luận (0)"
        ... )
        >>> [b.role for b in parse_original(page)]
        ['chrome', 'chrome', 'title', 'byline', 'body', 'chrome', 'chrome']
    """
    numbered = [(i, line.strip()) for i, line in enumerate(text.split("\n")) if line.strip()]
    if not numbered:
        return []
    lines = [line for _, line in numbered]
    langs = identify_all(lines)
    first = next(
        (k for k in range(len(lines)) if _paragraph_shaped(lines[k], langs[k])), len(lines)
    )
    byline = next((k for k in range(first) if _dateline(lines[k])), None)
    title = _find_title(lines, langs, byline, first)
    start = max((k for k in (title, byline) if k is not None), default=-1) + 1
    end = _find_footer(lines, langs, start)
    line_nos = [line_no for line_no, _ in numbered]
    roles = _article_roles(lines[start:end], langs[start:end], line_nos[start:end])
    blocks = []
    for k, ((line_no, line), lang) in enumerate(zip(numbered, langs, strict=True)):
        role: Role = "chrome"
        if k == title:
            role = "title"
        elif k == byline:
            role = "byline"
        elif start <= k < end:
            role = roles[k - start]
        blocks.append(Block(role, line, lang, line_no))
    return blocks


def _dateline(line: str) -> bool:
    """A date with what goes with one, and at most a short source name."""
    if not _DATE.search(line) or _PARAGRAPH_END.search(line):
        return False
    return len(WORD.findall(_DATELINE_PARTS.sub(" ", line))) <= _SOURCE_NAME_WORDS


def _paragraph_shaped(line: str, lang: str) -> bool:
    """A Vietnamese paragraph: several words, ending like a sentence."""
    return (
        lang == "vi"
        and len(WORD.findall(line)) >= _PARAGRAPH_WORDS
        and bool(_PARAGRAPH_END.search(line))
        and not _chrome(line)
    )


def _title_shaped(line: str, lang: str) -> bool:
    """A Vietnamese headline: a few words, no final period, none of the site's own lines."""
    low, high = _TITLE_WORDS
    return (
        lang == "vi"
        and low <= len(WORD.findall(line)) <= high
        and not _PARAGRAPH_END.search(line)
        and not (_SITE.search(line) or _BREADCRUMB.search(line))
        and not (_chrome(line) or _credited(line) or _dateline(line))
    )


def _find_title(lines: list[str], langs: list[str], byline: int | None, first: int) -> int | None:
    """The headline closest above the byline, or else the first one before the first paragraph."""
    if byline is not None:
        above = [k for k in range(byline) if _title_shaped(lines[k], langs[k])]
        if above:
            return above[-1]
    after = 0 if byline is None else byline + 1
    return next((k for k in range(after, first) if _title_shaped(lines[k], langs[k])), None)


def _find_footer(lines: list[str], langs: list[str], start: int) -> int:
    """Where the footer begins: its first line after a paragraph (a comment count next to the
    byline is a line of chrome, not the end of the article)."""
    seen_paragraph = False
    for k in range(start, len(lines)):
        if seen_paragraph and (FOOTER.match(lines[k]) or _SECTIONS.match(lines[k])):
            return k
        seen_paragraph = seen_paragraph or _paragraph_shaped(lines[k], langs[k])
    return len(lines)


def _article_roles(lines: list[str], langs: list[str], line_nos: list[int]) -> list[Role]:
    """Roles of the article's lines (those between the title or byline and the footer), each
    at its line number in the input.

    A list under ``Tin liên quan`` holds the lines that do not end like a paragraph; the first
    line that ends like one, or carries a credit, is the article's again.  A list written tight
    (its first item right under its head) also ends at a blank line; one whose items stand
    between blank lines (scrapers write every block so) does not, and a subheading right under
    it is taken for a headline: the cost of keeping headlines out of the article.
    """
    roles: list[Role] = []
    listing, tight = False, False  # inside a list; written without blank lines
    for k, (line, lang) in enumerate(zip(lines, langs, strict=True)):
        gap = k > 0 and line_nos[k] > line_nos[k - 1] + 1
        if listing and roles[-1] == "chrome" and _opens_list(lines[k - 1]):
            tight = not gap  # the first item: how the list is written
        elif listing and tight and gap:
            listing = False
        if listing and (_PARAGRAPH_END.search(line) or _credited(line)):
            listing = False
        if listing:
            roles.append("chrome")
        elif _chrome(line):
            roles.append("chrome")
            listing = _opens_list(line)
        elif _credited(line):
            roles.append("caption")
        elif lang == "vi" and k + 1 < len(lines) and heading_shaped(line):
            roles.append("heading")
        else:
            roles.append("body")
    _caption_above_credits(lines, roles)
    _sign_off(lines, roles)
    return roles


def _caption_above_credits(lines: list[str], roles: list[Role]) -> None:
    """Make a caption of the short line above a line holding only a credit naming a source
    (``Ảnh: TTXVN``); a stock picture's label (``Ảnh minh họa``) usually goes without one."""
    for k in range(1, len(lines)):
        credit = CREDIT_LINE.match(lines[k]) and not ILLUSTRATION.match(lines[k])
        short = len(WORD.findall(lines[k - 1])) <= _CAPTION_WORDS
        if credit and short and roles[k - 1] in ("body", "heading"):
            roles[k - 1] = "caption"


def _sign_off(lines: list[str], roles: list[Role]) -> None:
    """Make chrome of the author's name among the chrome that ends the article (``Thu Hằng``
    above the tags)."""
    k = len(lines) - 1
    while k >= 0 and (roles[k] == "chrome" or _name(lines[k])):
        roles[k] = "chrome"
        k -= 1


def _chrome(line: str) -> bool:
    """The site's lines that sit in or around an article: links, share buttons, tags, the
    comment count, sections, a source, a signature, a date."""
    return (
        in_article_chrome(line)
        or any(p.match(line) for p in (FOOTER, _SECTIONS, _LIST_HEAD, _SOURCE))
        or _signature(line)
        or _dateline(line)
    )


def _opens_list(line: str) -> bool:
    """``Tin liên quan`` (headlines follow) or a bare ``Từ khóa:`` (tags follow)."""
    tags = TAGS.match(line)
    return bool(_LIST_HEAD.match(line) or (tags and not line[tags.end() :].strip()))


def _credited(line: str) -> bool:
    """A line carrying a photo credit, or holding only one: a caption."""
    return bool(MEDIA_CREDIT.search(line) or CREDIT_LINE.match(line) or BARE_CREDIT.search(line))


def _signature(line: str) -> bool:
    """An author's name and agency, or the agency alone: ``Thu Hằng (TTXVN/Vietnam+)``."""
    match = _SIGNATURE.match(line)
    return match is not None and (match["name"] is None or _name(match["name"]))


def _name(line: str) -> bool:
    """A person's name alone (``Thu Hằng``): one to four capitalised words."""
    words = line.split()
    return 0 < len(words) <= _NAME_WORDS and all(w.isalpha() and w[0].isupper() for w in words)
