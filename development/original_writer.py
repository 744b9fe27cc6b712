"""An article plan written as the French edition's page and as the scraped Vietnamese original.

The page follows the seeds (``seeds/*.txt``, :mod:`development.pages`); the original follows a
scraped article of vietnamplus.vn (:mod:`development.original_site`).  Only the chrome is drawn
here, from the random stream given: the article is the plan's.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from bilingual.patterns import fold
from development.article_plan import Block
from development.furniture import AUTHORS, SECTIONS, SOURCES, TAGLINE
from development.original_site import (
    END_BLOCKS,
    FOLLOW,
    RELATED_FR,
    RELATED_VI,
    SECTIONS_VI,
    SHARE_VI,
    SIGNATURES,
    SITE,
    TAG_WORDS,
    WEEKDAYS,
)

__all__ = ["write_original", "write_page"]


class _Text:
    """Lines, a blank line between blocks unless ``tight``."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, line: str, tight: bool = False) -> None:
        if line:
            self.parts.append(("\n" if tight else "\n\n") + line if self.parts else line)

    def done(self) -> str:
        return "".join(self.parts) + "\n"


def write_page(plan: Sequence[Block], rng: random.Random, titles: list[tuple[str, str]]) -> str:
    """The French edition's page: tagline, title, byline, the article, then chrome."""
    out, source = _Text(), rng.choice(SOURCES)
    out.add(TAGLINE)
    out.add(" ".join(u.fr for u in plan[0].units))
    out.add(f"{source}{source}{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2023")
    if rng.random() < 0.2:
        out.add(f"Mis à jour : {rng.randint(1, 28):02d}/12/2023 {rng.randint(0, 23):02d}:15")
    for block in plan[1:]:
        shown = [u for u in block.units if u.page]
        if block.kind == "caption":
            for u in shown:
                vi_credit, fr_credit = u.credit or ("", "")
                out.add(f"{u.vi} {vi_credit}".strip())
                out.add(f"{u.fr} {fr_credit}".strip(), tight=rng.random() < 0.5)
        elif block.kind == "related":
            for u in shown:
                out.add(f"{rng.choice(RELATED_FR)} {_headline(u.fr)}")
        else:
            out.add(" ".join(u.fr for u in shown))
    if rng.random() < 0.3:
        out.add(rng.choice(AUTHORS))
    out.add("Selon VNA")
    if rng.random() < 0.5:
        slug = "-".join(fold(" ".join(u.vi for u in plan[0].units)).lower().split()[:12])
        out.add(f"Source : https://www.vietnamplus.vn/{slug}-post{rng.randint(10**5, 10**6)}.vnp")
    for line in ["Source", "Comment (0)", "No data"]:
        out.add(line)
    own = plan[0].units[0].fr
    heads = [_headline(f) for f, _ in titles if f != own]
    for line in rng.sample(heads, min(4, len(heads))) + rng.sample(SECTIONS, 3):
        out.add(line, tight=True)
    return out.done()


def write_original(plan: Sequence[Block], rng: random.Random, titles: list[tuple[str, str]]) -> str:
    """The Vietnamese original as scraped: site chrome, title, dated byline, lead, body with
    captions and credits, signature, tags, share words, comments, related headlines."""
    out, section = _Text(), rng.choice(SECTIONS_VI)
    out.add(rng.choice(SITE))
    out.add(rng.choice([f"Trang chủ » {section}", f"Trang chủ / {section}", section]))
    out.add(" ".join(u.vi for u in plan[0].units))
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    out.add(f"{rng.choice(WEEKDAYS)}, {day:02d}/{month:02d}/2023 "
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} (GMT+7)")  # fmt: skip
    if rng.random() < 0.5:
        out.add(rng.choice(SHARE_VI), tight=True)
    for block in plan[1:]:
        shown = [u for u in block.units if u.original]
        if block.kind == "caption":
            for u in shown:
                out.add(f"{u.vi} {(u.credit or ('', ''))[0]}".strip())
        elif block.kind == "related":
            out.add(RELATED_VI)
            for u in shown:
                out.add(_headline(u.vi), tight=True)
        else:
            out.add(" ".join(u.vi for u in shown))
    out.add(rng.choice(SIGNATURES))
    out.add("Từ khóa: " + ", ".join(rng.sample(TAG_WORDS, rng.randint(2, 4))))
    out.add(rng.choice(SHARE_VI))
    out.add("Bình luận (0)")
    own = plan[0].units[0].vi
    heads = [_headline(v) for _, v in titles if v != own]
    for label in [RELATED_VI, rng.choice(END_BLOCKS)][rng.randrange(2) :]:
        out.add(label)
        for line in rng.sample(heads, min(rng.randint(2, 4), len(heads))):
            out.add(line, tight=True)
    if rng.random() < 0.3:
        out.add(FOLLOW)
    return out.done()


def _headline(text: str) -> str:
    return text.strip().rstrip(".!?…").strip()
