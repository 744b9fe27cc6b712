"""Pages in the site's format built from parallel documents, with their gold caption pairs.

Development data only (NTREX, Tatoeba); FLORES pages are built the same way but only ever
reported.  Used by ``benchmarks/bench_align.py`` and ``tools/fit_align.py``; not part of the
installed package.
"""

from __future__ import annotations

import random
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

from bilingual.align.lexicon import Lexicon
from bilingual.align.signals import fold as fold_text
from bilingual.evaluation import Scores

__all__ = ["Article", "OracleTranslator", "build_articles", "cross_fitted_lexicons", "pair_scores"]

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
    return " ".join(w.capitalize() for w in fold_text(name).split())


class OracleTranslator:
    """fr->vi 'translation' from the reference, degraded: a stand-in for a good MT model."""

    def __init__(self, article: Article, seed: int = 0, noise: float = 0.3) -> None:
        self.references = article.translations
        self.rng = random.Random(seed)
        self.noise = noise

    def translate(self, sentences: list[str]) -> list[str]:
        return [self._degrade(self._reference(s)) for s in sentences]

    def _reference(self, sentence: str) -> str:
        for french, vietnamese in self.references.items():
            if sentence in french:
                return vietnamese
        return sentence  # chrome or credits: no reference, the French comes back unchanged

    def _degrade(self, text: str) -> str:
        words = [w for w in text.split() if self.rng.random() > self.noise / 2]
        for _ in range(int(len(words) * self.noise / 2)):
            i, j = self.rng.randrange(len(words)), self.rng.randrange(len(words))
            words[i], words[j] = words[j], words[i]
        return " ".join(words)


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
