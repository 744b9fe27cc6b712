"""Measuring the splitter and the aligner against line-aligned corpora.

Corpora such as NTREX give one sentence (occasionally two) per line.  Joining consecutive lines of
one document into a paragraph makes every line end a gold sentence boundary; a splitter is then
scored on the boundaries it finds.  A line that does not end a sentence (a headline, a line the
corpus cut mid-sentence) can only close a paragraph, so no boundary is expected after it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lexicon import Lexicon

__all__ = [
    "Article",
    "BoundaryScores",
    "Scores",
    "boundary_scores",
    "build_articles",
    "build_paragraphs",
    "cross_fitted_lexicons",
    "pair_scores",
]

_ENDS_SENTENCE = re.compile(r"[.?!…][\s»”\"’)]*$")


@dataclass(frozen=True)
class Scores:
    """Counts of correct, predicted and gold items, and the precision and recall they give."""

    correct: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class BoundaryScores(Scores):
    """Sentence boundaries a splitter found among the gold ones (line ends inside paragraphs).

    ``precision`` is a lower bound: a split inside a corpus line counts as wrong, though a line
    may hold two sentences.
    """

    sentences: int = 0  # sentences the splitter returned

    @property
    def found(self) -> int:
        return self.correct


def build_paragraphs(
    lines: Sequence[str], docids: Sequence[str] | None = None, seed: int = 0
) -> list[list[str]]:
    """Paragraphs of 2–6 consecutive lines of one document (every line but the last ends a
    sentence).  ``docids`` keeps paragraphs inside documents; ``None`` treats lines as one."""
    rng = random.Random(seed)
    paragraphs, i = [], 0
    while i < len(lines):
        want, block = rng.randint(2, 6), [lines[i].strip()]
        i += 1
        while (
            i < len(lines)
            and len(block) < want
            and (docids is None or docids[i] == docids[i - 1])
            and _ENDS_SENTENCE.search(block[-1])
            and lines[i].strip()
        ):
            block.append(lines[i].strip())
            i += 1
        if len(block) >= 2 and all(block):
            paragraphs.append(block)
    return paragraphs


def boundary_scores(
    split: Callable[[str], list[str]], paragraphs: list[list[str]]
) -> BoundaryScores:
    """Score ``split`` on paragraphs whose line ends are the gold boundaries."""
    found = gold = predicted = sentences = 0
    for block in paragraphs:
        text = " ".join(block)
        ends, pos = set(), 0
        for line in block[:-1]:
            pos += len(line)
            ends.add(pos)
            pos += 1
        got, start = set(), 0
        parts = split(text)
        for sentence in parts:
            sentence = sentence.strip()
            if not sentence:
                continue
            start = text.find(sentence, start)
            if start < 0:  # a splitter that altered the text: no boundary can be credited
                break
            start += len(sentence)
            got.add(start)
        got.discard(len(text))
        gold += len(ends)
        found += len(ends & got)
        predicted += len(got)
        sentences += len(parts)
    return BoundaryScores(found, predicted, gold, sentences)


# --- Caption alignment ---------------------------------------------------------------------

_TAGLINE = "Vietnam.vn - Nền tảng quảng bá Việt Nam"
_SOURCES = ["Báo Quốc Tế", "Việt Nam", "Nhân Dân", "Báo Tin tức"]
_SECTIONS = ["Patrimoine", "Chiffre", "Entreprise", "Système politique", "Locale", "Produit"]
_CREDIT_NAMES = ["An Đăng", "Lâm Khánh", "Văn Điệp", "Thống Nhất", "Phạm Kiên"]


@dataclass(frozen=True)
class Article:
    """A page in the seeds' format built from a parallel document, with its gold caption pairs.

    Attributes:
        text: the page.
        gold: (Vietnamese caption, French text that translates it) for every translated caption.
        orphans: Vietnamese captions the page leaves untranslated.
        translations: French line -> its reference Vietnamese line, for an oracle translator.
    """

    text: str
    gold: list[tuple[str, str]]
    orphans: list[str]
    translations: dict[str, str]


def cross_fitted_lexicons(
    fr: Sequence[str],
    vi: Sequence[str],
    docids: Sequence[str],
    extra: Sequence[tuple[str, str]] = (),
    folds: int = 2,
) -> list[tuple[set[str], Lexicon]]:
    """For each fold of the documents (every ``folds``-th in corpus order), its documents and a
    word-translation table trained on all the others plus ``extra`` (French, Vietnamese) pairs.

    Calibrating or measuring the aligner on a fold with its table keeps the lexical signal
    honest: the table never saw those sentences, as the shipped one never saw the user's."""
    from .lexicon import Lexicon

    order = list(dict.fromkeys(docids))
    out = []
    for k in range(folds):
        fold = set(order[k::folds])
        pairs = [(f, v) for f, v, d in zip(fr, vi, docids, strict=True) if d not in fold]
        pairs = [(f, v) for f, v in [*pairs, *extra] if f.strip() and v.strip()]
        out.append((fold, Lexicon.train(pairs)))
    return out


def build_articles(
    fr: Sequence[str],
    vi: Sequence[str],
    docids: Sequence[str] | None,
    seed: int = 0,
    exclude: Container[str] = (),
) -> list[Article]:
    """Articles in the site's format from line-aligned French/Vietnamese documents.

    Each document gives one page: a Vietnamese tagline, its first line as the title, a doubled
    byline, body paragraphs of 1–3 French lines, and about one line in four turned into a photo
    caption: the Vietnamese line followed by the French one (sometimes two lines, so the French
    side splits into several sentences; sometimes with the agency's photo credit on both sides).
    One caption in five is an orphan (Vietnamese only); one in six is French only.  The footer
    has an attribution, ``Source``, ``Comment (0)`` and related headlines from other documents.
    ``docids=None`` cuts the lines into documents of 12; documents in ``exclude`` are left out.
    """
    rng = random.Random(seed)
    ids = list(docids) if docids is not None else [str(i // 12) for i in range(len(fr))]
    documents: dict[str, list[int]] = {}
    for i, doc in enumerate(ids):
        if fr[i].strip() and vi[i].strip() and doc not in exclude:
            documents.setdefault(doc, []).append(i)
    headlines = [fr[lines[0]] for lines in documents.values()]
    return [
        _article(fr, vi, lines, rng, headlines) for lines in documents.values() if len(lines) >= 4
    ]


def _article(
    fr: Sequence[str], vi: Sequence[str], lines: list[int], rng: random.Random, headlines: list[str]
) -> Article:
    source = rng.choice(_SOURCES)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    parts = [_TAGLINE, fr[lines[0]], f"{source}{source}{day:02d}/{month:02d}/2023"]
    gold: list[tuple[str, str]] = []
    orphans: list[str] = []
    k = 1
    while k < len(lines):
        take = min(len(lines) - k, rng.choice((1, 1, 2, 3)))
        chunk = lines[k : k + take]
        k += take
        if rng.random() < 0.25:
            parts.append(_caption(fr, vi, chunk[: rng.choice((1, 1, 1, 2))], rng, gold, orphans))
        else:
            parts.append(" ".join(fr[i] for i in chunk))
    parts += ["Selon VNA", "Source", "Comment (0)", "No data"]
    parts += rng.sample(headlines, min(4, len(headlines))) + rng.sample(_SECTIONS, 3)
    translations = {fr[i]: vi[i] for i in lines}
    return Article("\n\n".join(parts) + "\n", gold, orphans, translations)


def _caption(
    fr: Sequence[str],
    vi: Sequence[str],
    chunk: list[int],
    rng: random.Random,
    gold: list[tuple[str, str]],
    orphans: list[str],
) -> str:
    vi_text, fr_text = " ".join(vi[i] for i in chunk), " ".join(fr[i] for i in chunk)
    if rng.random() < 0.3:
        name = rng.choice(_CREDIT_NAMES)
        vi_text += f" (Ảnh: {name}/TTXVN)"
        fr_text += f" (Photo : {_fold_name(name)}/VNA)"
    kind = rng.random()
    if kind < 0.2:
        orphans.append(vi_text)
        return vi_text
    if kind < 0.35:
        return fr_text
    gold.append((vi_text, fr_text))
    return f"{vi_text}\n\n{fr_text}" if rng.random() < 0.5 else f"{vi_text}\n{fr_text}"


def _fold_name(name: str) -> str:
    from .signals import fold

    return " ".join(w.capitalize() for w in fold(name).split())


def pair_scores(
    predicted: Sequence[set[tuple[str, str]]], gold: Sequence[list[tuple[str, str]]]
) -> Scores:
    """Score predicted (vi, fr) pairs per article; texts are compared with whitespace folded."""

    def norm(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        return {(" ".join(v.split()), " ".join(f.split())) for v, f in pairs}

    correct = n_pred = n_gold = 0
    for got, want in zip(predicted, gold, strict=True):
        got_n, want_n = norm(got), norm(want)
        correct += len(got_n & want_n)
        n_pred += len(got_n)
        n_gold += len(want_n)
    return Scores(correct, n_pred, n_gold)
