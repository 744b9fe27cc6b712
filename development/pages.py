"""Pages of a Vietnamese news site's French edition, built from parallel documents, with gold answers.

Each document of a line-aligned corpus gives one page: the site's tagline, a title, a byline, body
paragraphs, and around them what such pages carry: photo captions (a Vietnamese line followed by
its French translation, on the next line or after a blank one; one or several sentences; with a
photo, video or infographic credit (``Đồ họa`` or ``Đồ hoạ``: the tone on either vowel), the
French credit sometimes on a line of its own), galleries
of 2-4 captions in a row (sometimes numbered), Vietnamese captions left untranslated ("Ảnh minh
họa" among them), French-only captions, photo lines with only a credit, untranslated Vietnamese
paragraphs, Vietnamese slogans quoted inside French paragraphs, subheadings, in-article links
(``Lire aussi : …``), share buttons, an update time, an author line, tags, the footer and related
headlines.  Some pages have no caption at all.  Each page writes its captions in one convention
drawn at random (:mod:`development.conventions`: credit formats, publication names in both
languages, punctuation, Unicode form, caption positions), the seeds' own the most common.

The gold answers are the caption pairs (Vietnamese text, French text that translates it, credit
included) and every line's role, so a benchmark can check both the pairs and that no body text is
lost and no chrome emitted as body.  Development data only (NTREX, Tatoeba); FLORES pages are
built the same way but only ever reported.  Not part of the installed package: tools and
benchmarks import it from the repository root.
"""

from __future__ import annotations

import random
from collections.abc import Container, Sequence
from dataclasses import dataclass, field

from bilingual.patterns import fold
from development.conventions import Convention, draw
from development.corpora import documents as grouped
from development.furniture import (
    AUTHORS,
    BARE_LINKS,
    LINKS,
    MEDIA,
    NAMES,
    SECTIONS,
    SHARE,
    SLOGANS,
    SOURCES,
    TAGLINE,
    TAGS,
)

__all__ = ["Article", "build_pages"]


@dataclass
class Article:
    """A built page and its gold answers.

    Attributes:
        text: the page.
        gold: (Vietnamese caption, French text that translates it) for every translated caption.
        orphans: Vietnamese captions the page leaves untranslated.
        translations: French line -> its reference Vietnamese, for an oracle translator.
        roles: (line, role) for every non-empty line, in order; untranslated Vietnamese
            paragraphs are ``body``.
        layouts: the kinds of element the page holds (``gallery``, ``credit_line``, …).
        convention: the name of the convention its captions are written in
            (:mod:`development.conventions`).
    """

    text: str = ""
    gold: list[tuple[str, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    translations: dict[str, str] = field(default_factory=dict)
    roles: list[tuple[str, str]] = field(default_factory=list)
    layouts: set[str] = field(default_factory=set)
    convention: str = "seeds"


class _Page:
    """Accumulates a page's lines, their roles and the gold pairs."""

    def __init__(self, rng: random.Random, convention: Convention) -> None:
        self.rng = rng
        self.convention = convention
        # The convention's own draws come from a stream of their own, so a page built in another
        # convention (``build_pages(..., convention=...)``) is the same page otherwise.
        self.habits = random.Random(rng.random())
        self.article = Article(convention=convention.name)
        self.text: list[str] = []

    def add(self, line: str, role: str, tight: bool = False) -> None:
        """A line; ``tight``: right under the previous one, no blank line between."""
        self.text.append(("\n" if tight else "\n\n") + line if self.text else line)
        self.article.roles.append((line, role))

    def done(self) -> Article:
        """The page, its text and gold answers written as its convention writes them."""
        a, write = self.article, self.convention.page_text
        return Article(
            write("".join(self.text) + "\n"),
            [(write(v), write(f)) for v, f in a.gold],
            [write(v) for v in a.orphans],
            {write(f): write(v) for f, v in a.translations.items()},
            [(write(line), role) for line, role in a.roles],
            a.layouts,
            a.convention,
        )


def build_pages(
    fr: Sequence[str],
    vi: Sequence[str],
    docids: Sequence[str] | None,
    seed: int = 0,
    exclude: Container[str] = (),
    convention: Convention | None = None,
) -> list[Article]:
    """One page per document of line-aligned French/Vietnamese text, with its gold answers.

    ``docids=None`` cuts the lines into documents of 12; documents in ``exclude`` are left out.
    Each page's convention is drawn at random, or is ``convention`` for all: the pages are then
    the same as with another one, but for what the convention changes.
    """
    rng = random.Random(seed)
    documents = grouped(fr, vi, docids, exclude)
    headlines = [_headline(fr[lines[0]]) for lines in documents.values()]
    headlines = [h for h in headlines if 2 <= len(h.split()) <= 14] or ["Actualités du jour"]
    return [
        _page(fr, vi, lines, rng, headlines, convention)
        for lines in documents.values()
        if len(lines) >= 4
    ]


def _page(
    fr: Sequence[str],
    vi: Sequence[str],
    lines: list[int],
    rng: random.Random,
    headlines: list[str],
    convention: Convention | None,
) -> Article:
    drawn = draw(rng)
    page = _Page(rng, convention or drawn)
    page.article.translations.update({fr[i]: vi[i] for i in lines})
    source = rng.choice(SOURCES)
    page.add(TAGLINE, "chrome")
    page.add(fr[lines[0]], "title")
    page.add(f"{source}{source}{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2023", "byline")
    if rng.random() < 0.2:
        page.add(
            f"Mis à jour : {rng.randint(1, 28):02d}/12/2023 {rng.randint(0, 23):02d}:15", "chrome"
        )
        page.article.layouts.add("update_time")
    captions = rng.random() > 0.15  # some pages have no caption at all
    if not captions:
        page.article.layouts.add("no_caption")
    k = 1
    if captions and rng.random() < 0.3:
        _lead_photo(page, fr[lines[1]])
        k = 2  # that line is the photo's, nowhere else on the page
    while k < len(lines):
        take = min(len(lines) - k, rng.choice((1, 1, 2, 3)))
        chunk = lines[k : k + take]
        k += take
        roll = rng.random()
        if captions and roll < 0.12 and len(chunk) >= 2:
            _gallery(page, fr, vi, chunk)
        elif captions and roll < 0.35:
            _caption(page, fr, vi, chunk[: rng.choice((1, 1, 1, 2))])
        elif roll < 0.42:
            _untranslated(page, vi, chunk)
        else:
            _body(page, fr, vi, chunk)
        _between(page, headlines, captions, last=k >= len(lines))
    _end(page, headlines)
    return page.done()


def _body(page: _Page, fr: Sequence[str], vi: Sequence[str], chunk: list[int]) -> None:
    """A French paragraph, now and then quoting a Vietnamese slogan."""
    text = " ".join(fr[i] for i in chunk)
    if page.rng.random() < 0.12 and text.endswith("."):
        slogan = page.rng.choice(SLOGANS)
        text = f"{text[:-1]}, selon la formule « {slogan} »."
        page.article.translations[text] = " ".join(vi[i] for i in chunk)
        page.article.layouts.add("slogan")
    page.add(text, "body")


def _between(page: _Page, headlines: list[str], captions: bool, last: bool) -> None:
    """What a page puts between paragraphs now and then (after the last one: no subheading, which
    always has a section under it)."""
    rng, roll = page.rng, page.rng.random()
    if roll < 0.08:
        heading = rng.choice(headlines)  # drawn either way: the other pages stay as they were
        if not last:
            page.add(heading, "heading")
            page.article.layouts.add("heading")
    elif roll < 0.14:
        link = (
            rng.choice(BARE_LINKS)
            if rng.random() < 0.2
            else f"{rng.choice(LINKS)} {rng.choice(headlines)}"
        )
        page.add(link, "chrome")
        page.article.layouts.add("link")
    elif roll < 0.17 and captions and page.article.roles[-1][1] == "body":
        _credit_only(page)  # not under a caption: there it would be the caption's credit
    elif roll < 0.19:
        page.add(rng.choice(SHARE), "chrome", tight=rng.random() < 0.5)
        page.article.layouts.add("share")


def _credit_only(page: _Page) -> None:
    """A photo line with nothing but a credit (the picture's caption is missing)."""
    name = _french_name(page.rng.choice(NAMES))
    line = page.rng.choice(
        [f"(Photo : {name}/VNA)", f"Photo : {name}/VNA", "(Photo d'illustration)", "(Photo : VNA)",
         "Ảnh minh họa", "Ảnh minh hoạ: TTXVN", "(Ảnh: TTXVN)"]
    )  # fmt: skip
    page.add(line, "caption")
    page.article.layouts.add("credit_only")


def _lead_photo(page: _Page, french: str) -> None:
    """The seeds' opening photo: a French caption with its credit, then the share buttons."""
    name = _french_name(page.rng.choice(NAMES))
    page.add(f"{french} (Photo : {name}/VNA)", "caption")
    page.add(SHARE[0], "chrome", tight=True)
    page.article.layouts.add("lead_photo")


def _untranslated(page: _Page, vi: Sequence[str], chunk: list[int]) -> None:
    """A Vietnamese paragraph the French edition did not translate: never paired."""
    page.add(" ".join(vi[i] for i in chunk), "body")
    page.article.layouts.add("untranslated_paragraph")


def _gallery(page: _Page, fr: Sequence[str], vi: Sequence[str], chunk: list[int]) -> None:
    """2-4 captions in a row, sometimes numbered."""
    numbered = page.rng.random() < 0.4
    for n, i in enumerate(chunk[:4], 1):
        _caption(page, fr, vi, [i], number=n if numbered else None, allow_orphan=False)
    page.article.layouts.add("gallery")


def _caption(
    page: _Page,
    fr: Sequence[str],
    vi: Sequence[str],
    chunk: list[int],
    number: int | None = None,
    allow_orphan: bool = True,
) -> None:
    """A photo (video, infographic) caption: usually a pair; an orphan or French-only now and
    then; its French credit inline or on a line of its own."""
    rng, article = page.rng, page.article
    vi_text, fr_text = " ".join(vi[i] for i in chunk), " ".join(fr[i] for i in chunk)
    if len(chunk) > 1:
        article.layouts.add("multi_sentence")
    if number is not None:
        vi_text, fr_text = f"Ảnh {number}: {vi_text}", f"Photo {number} : {fr_text}"
        article.translations[fr_text] = vi_text
    credit_fr = ""
    if rng.random() < 0.45:
        word_vi, word_fr, person = MEDIA[rng.choice((0, 0, 0, 1, 2))]
        if word_vi == "Đồ họa" and rng.random() < 0.5:
            word_vi = "Đồ hoạ"  # the tone on the other vowel, as often written
        name = rng.choice(NAMES) if person else None
        credit_vi, credit_fr = page.convention.credits(
            page.habits, word_vi, word_fr, name, name and _french_name(name)
        )
        vi_text += f" {credit_vi}"
        article.layouts.add(
            {"Photo": "photo_credit", "Vidéo": "video", "Infographie": "infographic"}[word_fr]
        )
    kind = rng.random()
    if allow_orphan and kind < 0.15:
        page.add(vi_text, "caption")
        article.orphans.append(vi_text)
        article.layouts.add("orphan")
        return
    if allow_orphan and kind < 0.25:
        page.add(f"{fr_text} {credit_fr}".strip(), "caption")
        article.layouts.add("french_only")
        return
    tight = rng.random() < 0.5
    vi_tight = number is not None and rng.random() < 0.5
    credit_line = rng.random() < 0.35
    bare = rng.random() < 0.3
    french_first = page.convention.french_first
    if not french_first:
        page.add(vi_text, "caption", tight=vi_tight)
    if credit_fr and (credit_line or page.convention.credit_line):
        page.add(fr_text, "caption", tight=tight)
        line = credit_fr.removeprefix("- ")  # a line of its own: no dash before it
        page.add(line.strip("()") if bare else line, "caption", tight=True)
        article.gold.append((vi_text, f"{fr_text} {page.article.roles[-1][0]}"))
        article.layouts.add("credit_line")
    else:
        page.add(f"{fr_text} {credit_fr}".strip(), "caption", tight=tight)
        article.gold.append((vi_text, f"{fr_text} {credit_fr}".strip()))
    if french_first:
        page.add(vi_text, "caption", tight=tight)
    article.layouts.add("caption")


def _end(page: _Page, headlines: list[str]) -> None:
    """Author, tags, attribution, footer and related headlines: all chrome."""
    rng = page.rng
    if rng.random() < 0.3:
        page.add(rng.choice(AUTHORS), "chrome")
        page.article.layouts.add("author")
    if rng.random() < 0.3:
        a, b = rng.sample(["Hanoï", "tourisme", "économie", "diplomatie", "culture"], 2)
        page.add(rng.choice(TAGS).format(a=a, b=b), "chrome")
        page.article.layouts.add("tags")
    for line in ["Selon VNA", "Source", "Comment (0)", "No data"]:
        page.add(line, "chrome")
    for line in rng.sample(headlines, min(4, len(headlines))) + rng.sample(SECTIONS, 3):
        page.add(line, "chrome")


def _headline(line: str) -> str:
    """A corpus line as a headline: no final full stop."""
    return line.strip().rstrip(".!?…").strip()


def _french_name(name: str) -> str:
    """How the French edition writes a Vietnamese name: without diacritics."""
    return " ".join(w.capitalize() for w in fold(name).split())
