"""French pages and the Vietnamese originals they translate, built from parallel documents, with
gold sentence links: the data of the article-alignment benchmark (issue #34).

Each document of a line-aligned corpus becomes an *article plan*: a title, a lead paragraph,
body paragraphs, now and then a subheading (a short line of the document, its final stop
dropped) and photo captions (a line of the document with a photographer's credit).  Every unit
of the plan is a corpus line on both sides, so its translation is known.  The plan is written
twice: as the French edition's page, in the seeds' layout (:mod:`development.pages`: tagline,
title, byline, paragraphs, each caption as its Vietnamese line and the French translation under
it, ``Selon VNA``, ``Comment (0)``, related headlines), and as the Vietnamese original scraped
from vietnamplus.vn (:mod:`development.original_site`: site name, breadcrumb, section, a dated
byline, the title, the lead, body, captions with their ``(Ảnh: …/TTXVN)`` credit, the author's
signature, tags, share words, ``Bình luận (0)``, ``Tin liên quan`` headlines).

Each page draws one **convention** (:data:`CONVENTIONS`), what translators and scrapers do that
makes the alignment other than one line to one line: merge two Vietnamese sentences into one
French sentence, split one into two, leave a sentence or a whole paragraph out on either side,
drop the lead, keep a caption on one side only, put related-article blocks inside the body.  The
conventions in :data:`HELD_OUT` are for measuring only: an aligner fitted on the others
(:func:`fitting`) is scored on them.  A convention's changes come from a random stream of their
own, so ``build_bitexts(..., convention=name)`` gives the same pages but for what it changes.

Gold links are strict: a link is (French text, Vietnamese text), each side the exact sentences
it joins, separated by one space.  A corpus line is one unit: where a line holds two sentences
(about 3% of NTREX lines), the gold link joins them.  A **caption link** pairs the French
caption with the original's caption, *both without their credits* (the parser keeps a French
credit as a segment of its own; :func:`development.article_eval.link_scores` drops a trailing
credit from both texts before comparing, so a link with or without credits counts the same).

Development data only (NTREX); FLORES bitexts (no document ids: documents of 12 lines) are
reported, never tuned on.  Not part of the installed package.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from development.article_plan import APPLY, CONVENTIONS, HELD_OUT, Block, Unit
from development.corpora import documents as grouped
from development.original_site import PHOTOGRAPHERS
from development.original_writer import write_original, write_page

__all__ = ["CONVENTIONS", "HELD_OUT", "Bitext", "Scraped", "build_bitexts", "fitting", "scraped"]


@dataclass
class Bitext:
    """A French page, the Vietnamese original it translates, and the gold answers.

    Attributes:
        page_name, page: the French page's name and text (seeds' layout).
        original_name, original: the Vietnamese original's name and text (vietnamplus.vn).
        gold_links: (French text, Vietnamese text) of every link, in reading order.
        convention: the convention the page was built in (:data:`CONVENTIONS`).
        translations: French text -> its reference Vietnamese, for an oracle translator
            (as ``development.pages.Article.translations``).
        page_sentences, original_sentences: the content sentences of each side in reading order
            (title, lead, headings, body, captions without credit), as the gold cuts them:
            sentence lists for aligners run apart from bilingual's parsing.
        page_copy: the same page scraped again at another address (other chrome): the
            duplicate pages of document matching.
        effects: what the convention changed on this page (empty when it found nothing to
            change, or for ``faithful``).
        document: the corpus document it was built from.
    """

    page_name: str
    page: str
    original_name: str
    original: str
    gold_links: list[tuple[str, str]]
    convention: str
    translations: dict[str, str] = field(default_factory=dict)
    page_sentences: list[str] = field(default_factory=list)
    original_sentences: list[str] = field(default_factory=list)
    page_copy: str = ""
    effects: list[str] = field(default_factory=list)
    document: str = ""


def build_bitexts(
    fr: Sequence[str],
    vi: Sequence[str],
    docids: Sequence[str] | None,
    seed: int = 0,
    exclude: Collection[str] = (),
    convention: str | None = None,
) -> list[Bitext]:
    """One bitext per document (at least 4 non-empty lines) of line-aligned French/Vietnamese.

    ``docids=None`` cuts the lines into documents of 12; documents in ``exclude`` are left out.
    Each page draws its convention, or is built in ``convention``: the pages are then the same
    as in any other, but for what the convention changes.

    Example:
        >>> fr, vi = corpus("ntrex128.fra"), corpus("ntrex128.vie")
        >>> bitexts = build_bitexts(fr, vi, corpus("ntrex128.docids"), seed=100)
        >>> train = fitting(bitexts)  # the pages an aligner may be fitted on
    """
    if convention is not None and convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}: one of {', '.join(CONVENTIONS)}")
    rng = random.Random(seed)
    documents = grouped(fr, vi, docids, exclude)
    titles = [(fr[d[0]].strip(), vi[d[0]].strip()) for d in documents.values()]
    out = []
    for doc, lines in documents.items():
        if len(lines) >= 4:
            units = _as_written([Unit((fr[i].strip(),), (vi[i].strip(),)) for i in lines])
            out.append(_bitext(doc, units, rng, titles, convention))
    return out


# How a sentence (or a subheading's last word) ends.
_ENDS = re.compile(r"[.!?…:;»”\"')\]]$")
_SUBHEADING_WORDS = 16


def _ends(text: str) -> bool:
    return bool(_ENDS.search(text))


def _subheading(unit: Unit) -> bool:
    """A short line that ends no sentence on either side: a subheading, which a page writes on
    a line of its own (NTREX keeps the articles' subheadings as lines)."""
    return not _ends(unit.fr) and not _ends(unit.vi) and len(unit.fr.split()) <= _SUBHEADING_WORDS


def _as_written(units: list[Unit]) -> list[Unit]:
    """The corpus lines as units a page can show: a line that ends no sentence and is no
    subheading is the first part of a sentence the corpus broke across lines, joined with the
    next line on both sides (in a paragraph no reader, and no aligner, could tell where the
    corpus broke it)."""
    out: list[Unit] = []
    for unit in units:
        previous = out[-1] if out else None
        if (
            previous is not None
            and len(out) > 1
            and not _subheading(previous)
            and not (_ends(previous.fr) and _ends(previous.vi))
        ):
            out[-1] = Unit((f"{previous.fr} {unit.fr}",), (f"{previous.vi} {unit.vi}",))
        else:
            out.append(unit)
    return out


def fitting(bitexts: Iterable[Bitext], without: Collection[str] = HELD_OUT) -> list[Bitext]:
    """The bitexts whose convention is not in ``without``: what an aligner may be fitted on."""
    return [b for b in bitexts if b.convention not in without]


def _bitext(
    doc: str,
    units: list[Unit],
    rng: random.Random,
    titles: list[tuple[str, str]],
    forced: str | None,
) -> Bitext:
    drawn = rng.choices(list(CONVENTIONS), weights=list(CONVENTIONS.values()))[0]
    habits = random.Random(rng.random())  # the convention's own stream
    plan = _plan(units, rng)
    name = forced or drawn
    effects = APPLY[name](plan, habits, titles)
    chrome = random.Random(rng.random())
    page = write_page(plan, random.Random(chrome.random()), titles)
    copy = write_page(plan, random.Random(chrome.random()), titles)
    original = write_original(plan, random.Random(chrome.random()), titles)
    linked = [u for b in plan if b.kind != "related" for u in b.units if u.page and u.original]
    translations = {f: v for b in plan for u in b.units for f, v in u.references()}
    return Bitext(
        f"page_{rng.getrandbits(48):012x}",
        page,
        f"vnplus_{rng.getrandbits(48):012x}",
        original,
        [(u.fr, u.vi) for u in linked],
        name,
        translations,
        [s for b in plan if b.kind != "related" for u in b.units if u.page for s in u.fr_parts],
        [s for b in plan if b.kind != "related" for u in b.units if u.original for s in u.vi_parts],
        copy,
        effects,
        doc,
    )


def _plan(units: list[Unit], rng: random.Random) -> list[Block]:
    """Title, lead (one or two lines), then paragraphs of 1-3 lines, a short line now and then as
    a subheading, a line now and then as a photo caption."""
    plan = [Block("title", [units[0]])]
    k = 1
    while k < len(units) - 1 and _subheading(units[k]):  # a subheading before the lead
        plan.append(Block("heading", [units[k]]))
        k += 1
    lead = 2 if len(units) > k + 5 and rng.random() < 0.5 else 1
    lead = next((t for t in range(1, lead) if _subheading(units[k + t])), lead)
    plan.append(Block("lead", units[k : k + lead]))
    k += lead
    while k < len(units):
        roll, unit = rng.random(), units[k]
        words = len(unit.fr.split())
        if _subheading(unit) and k < len(units) - 1:
            plan.append(Block("heading", [unit]))
            k += 1
        elif roll < 0.1 and 3 <= words <= 12 and k < len(units) - 1 and len(unit.fr_parts) == 1:
            plan.append(Block("heading", [unit.headed()]))
            k += 1
        elif roll < 0.22:
            plan.append(Block("caption", [unit.captioned(_photographer(rng))]))
            k += 1
        else:
            take = min(len(units) - k, rng.choice((1, 2, 2, 3)))
            # A subheading is no part of a paragraph: the paragraph ends before it.
            take = next((t for t in range(1, take) if _subheading(units[k + t])), take)
            plan.append(Block("body", units[k : k + take]))
            k += take
    return plan


def _photographer(rng: random.Random) -> tuple[str, str] | None:
    return rng.choice(PHOTOGRAPHERS) if rng.random() < 0.8 else None


@dataclass
class Scraped:
    """What a user scraped: French pages and Vietnamese originals, and which original each page
    translates (``None``: its original was not scraped).

    Attributes:
        pages, originals: (name, text), in a shuffled order.
        gold: page name -> original name or ``None``.
    """

    pages: list[tuple[str, str]]
    originals: list[tuple[str, str]]
    gold: dict[str, str | None]


def scraped(
    bitexts: Sequence[Bitext],
    seed: int = 0,
    missing: float = 0.1,
    untranslated: float = 0.1,
    copies: float = 0.05,
) -> Scraped:
    """Document matching's data: the bitexts' pages and originals, with a share of the originals
    ``missing`` (their pages match nothing), a share of the pages never translated (their
    originals match nothing) and a share of the pages scraped twice (``Bitext.page_copy``, under
    another name: both copies match the one original)."""
    rng = random.Random(seed)
    pages: list[tuple[str, str]] = []
    originals: list[tuple[str, str]] = []
    gold: dict[str, str | None] = {}
    for b in bitexts:
        roll = rng.random()
        if roll >= untranslated:  # else: an original no French page translates
            has_original = roll >= untranslated + missing
            pages.append((b.page_name, b.page))
            gold[b.page_name] = b.original_name if has_original else None
            if rng.random() < copies:
                copy = f"{b.page_name}_copy"
                pages.append((copy, b.page_copy))
                gold[copy] = gold[b.page_name]
        if roll < untranslated or roll >= untranslated + missing:
            originals.append((b.original_name, b.original))
    rng.shuffle(pages)
    rng.shuffle(originals)
    return Scraped(pages, originals, gold)
