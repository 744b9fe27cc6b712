"""What the aligner's benchmark and calibration measure with: cross-fitted word tables, an oracle
translator, pair scores, role checks and a reliability table.  Not part of the installed package.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bilingual.align.lexicon import Lexicon
from bilingual.document import CONTENT_ROLES, Document
from development.evaluation import Scores
from development.pages import Article

__all__ = [
    "OracleTranslator",
    "RoleErrors",
    "cross_fitted_lexicons",
    "pair_scores",
    "pairs",
    "reliability",
    "role_errors",
    "same_pair",
    "wilson",
]


def cross_fitted_lexicons(
    fr: Sequence[str],
    vi: Sequence[str],
    docids: Sequence[str],
    extra: Sequence[tuple[str, str]] = (),
    folds: int = 5,
) -> list[tuple[set[str], Lexicon]]:
    """For each fold of the documents (every ``folds``-th in corpus order), its documents and a
    word-translation table trained on all the others plus ``extra`` (French, Vietnamese) pairs.

    Calibrating or measuring the aligner on a fold with its table keeps the lexical signal
    honest: the table never saw those sentences, as the shipped one never saw the user's.  Five
    folds, so each table is trained on four fifths of the documents: nearly the shipped table's
    coverage (with two, each knew half the words and the lexical signal was weaker than it is
    at run time)."""
    order = list(dict.fromkeys(docids))
    out = []
    for k in range(folds):
        fold = set(order[k::folds])
        pairs = [(f, v) for f, v, d in zip(fr, vi, docids, strict=True) if d not in fold]
        pairs = [(f, v) for f, v in [*pairs, *extra] if f.strip() and v.strip()]
        out.append((fold, Lexicon.train(pairs)))
    return out


class OracleTranslator:
    """fr->vi 'translation' from the reference, degraded: a stand-in for a good MT model."""

    def __init__(self, article: Article, seed: int = 0, noise: float = 0.3) -> None:
        # NFC, as the reader gives the page (a page written in NFD is read as NFC).
        self.references = {
            unicodedata.normalize("NFC", f): unicodedata.normalize("NFC", v)
            for f, v in article.translations.items()
        }
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
    """Score predicted (vi, fr) pairs per article; texts are compared as :func:`same_pair`
    reads them."""

    def norm(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        return {same_pair(v, f) for v, f in pairs}

    correct = n_pred = n_gold = 0
    for got, want in zip(predicted, gold, strict=True):
        got_n, want_n = norm(got), norm(want)
        correct += len(got_n & want_n)
        n_pred += len(got_n)
        n_gold += len(want_n)
    return Scores(correct, n_pred, n_gold)


def same_pair(vi: str, fr: str) -> tuple[str, str]:
    """A pair as compared with the gold ones: NFC (the reader normalises the page), whitespace
    folded."""
    return (
        " ".join(unicodedata.normalize("NFC", vi).split()),
        " ".join(unicodedata.normalize("NFC", fr).split()),
    )


def pairs(document: Document) -> set[tuple[str, str]]:
    """The document's alignments as (Vietnamese text, French text) pairs."""
    return {
        (document.segments[a.vi].text, " ".join(document.segments[i].text for i in a.fr))
        for a in document.alignments
    }


@dataclass(frozen=True)
class RoleErrors:
    """Lines of article text the parser dropped, and chrome it kept as article text."""

    body_lines: int
    body_lost: list[str]
    chrome_lines: int
    chrome_as_body: list[str]


def role_errors(documents: Sequence[Document], articles: Sequence[Article]) -> RoleErrors:
    """Check each page's parsed roles against its gold ones, line by line.

    Body text is lost when a gold body or heading line has no block in an article role (it would
    be neither translated nor written as text); chrome is emitted as body when a gold chrome line
    has a block with the role ``body`` or ``heading``.
    """
    body = chrome = 0
    lost: list[str] = []
    leaked: list[str] = []
    for document, article in zip(documents, articles, strict=True):
        by_line: dict[int, set[str]] = {}
        for s in document.segments:
            by_line.setdefault(s.paragraph, set()).add(s.role)
        lines = [ln for ln in article.text.split("\n")]
        numbered = [(k, ln.strip()) for k, ln in enumerate(lines) if ln.strip()]
        for (k, line), (gold_line, role) in zip(numbered, article.roles, strict=True):
            assert line == gold_line.strip(), (line, gold_line)
            got = by_line.get(k, set())
            if role in ("body", "heading"):
                body += 1
                if not got & CONTENT_ROLES:
                    lost.append(line)
            elif role == "chrome":
                chrome += 1
                if got & {"body", "heading"}:
                    leaked.append(line)
    return RoleErrors(body, lost, chrome, leaked)


def reliability(
    scored: Iterable[tuple[float, bool]],
    edges: Sequence[float] = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99),
) -> list[tuple[str, int, float, float]]:
    """Pairs binned by score: (bin, pairs, mean score, share correct) for each non-empty bin."""
    bins: dict[int, list[tuple[float, bool]]] = {}
    for score, correct in scored:
        k = max(i for i, e in enumerate(edges) if score >= e)
        bins.setdefault(k, []).append((score, correct))
    out = []
    for k in sorted(bins):
        items = bins[k]
        upper = edges[k + 1] if k + 1 < len(edges) else 1.0
        out.append((f"[{edges[k]:.2f}, {upper:.2f}{']' if upper == 1.0 else ')'}", len(items),
                    sum(s for s, _ in items) / len(items), sum(c for _, c in items) / len(items)))  # fmt: skip
    return out


def wilson(share: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a share observed on ``n`` trials (95% for ``z`` 1.96)."""
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half
