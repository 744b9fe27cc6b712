"""Document matching: for each French page, the Vietnamese original it was translated from.

Each original is indexed by its words (Vietnamese syllables, names folded, numbers), weighted by
tf-idf over the originals.  A page is looked up by what it says in Vietnamese: its machine
translation when the pipeline made one, else its words translated by the word table (each French
word stands for the syllables it translates).  The index is inverted and a page is looked up by
its most telling words only (names, numbers, rare words), so ten thousand pages against ten
thousand originals cost a few thousand postings each, not a hundred million comparisons; the few
originals it reaches are then compared in full (cosine), and each candidate is scored by a
fitted logistic model (``data/document_model.json``, ``python -m tools.fit_article``) from its
cosine, its margin over the page's next candidate, and the names and numbers the two share: a
calibrated probability that it is the page's original.

Matches are taken best first: a page gets at most one original, and an original serves one page
unless the pages are copies of each other (the same French words in the same order, as a site
republishes an article under other chrome).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..document import Document
from ..errors import ModelError
from ..patterns import WORD, fold
from .lexicon import Lexicon, french_words, shipped_lexicon, stem, vietnamese_words
from .model import Model
from .numerals import numbers
from .sentences import dice

__all__ = [
    "DOCUMENT_FEATURES",
    "MODEL_FILE",
    "DocumentMatch",
    "OriginalIndex",
    "match_documents",
    "page_candidates",
    "page_terms",
    "save_document_model",
    "shipped_document_model",
]

MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "document_model.json"
DOCUMENT_FEATURES = ("cosine", "margin", "names", "numbers")
CONTENT = frozenset({"title", "heading", "body", "caption"})
# A page is looked up by its this many most telling words, each in at most this share of the
# originals (and at least _POSTINGS of them); its best _CANDIDATES are compared in full.
_QUERY_TERMS, _SHARE, _POSTINGS, _CANDIDATES = 48, 0.02, 20, 8


@dataclass(frozen=True)
class DocumentMatch:
    """A page and its original.

    Attributes:
        page: the page's position among the pages.
        original: the original's position among the originals; ``None``: matched with nothing.
        score: the calibrated probability that ``original`` is the page's (without a match,
            that of the best candidate it had, 0 without any).
        why: why a page was matched with nothing.
    """

    page: int
    original: int | None
    score: float
    why: str = ""


class OriginalIndex:
    """The originals' words, inverted, for looking pages up."""

    def __init__(self, originals: Sequence[Document]) -> None:
        self.vectors = [_unit(_tf(_original_terms(d))) for d in originals]
        df = Counter(t for v in self.vectors for t in v)
        n = len(originals)
        self.idf = {t: math.log((n + 1) / (c + 1)) + 1 for t, c in df.items()}
        self.vectors = [_unit({t: w * self.idf[t] for t, w in v.items()}) for v in self.vectors]
        self.names = [_names(d, "vi") for d in originals]
        self.numbers = [_numbers(d, "vi") for d in originals]
        self.postings: dict[str, list[tuple[int, float]]] = {}
        limit = max(_POSTINGS, int(_SHARE * n))
        for k, v in enumerate(self.vectors):
            for t, w in v.items():
                if df[t] <= limit:
                    self.postings.setdefault(t, []).append((k, w))

    def candidates(self, terms: Mapping[str, float]) -> list[tuple[int, float]]:
        """The originals the page's most telling words reach, best first, with their cosine."""
        query = _unit({t: w * self.idf[t] for t, w in _tf(terms).items() if t in self.idf})
        telling = sorted((t for t in query if t in self.postings), key=lambda t: -query[t])
        reached: dict[int, float] = {}
        for t in telling[:_QUERY_TERMS]:
            for k, w in self.postings[t]:
                reached[k] = reached.get(k, 0.0) + query[t] * w
        best = sorted(reached, key=lambda k: (-reached[k], k))[:_CANDIDATES]
        scored = [(k, sum(query[t] * self.vectors[k].get(t, 0.0) for t in query)) for k in best]
        return sorted(scored, key=lambda kv: (-kv[1], kv[0]))


def match_documents(
    pages: Iterable[Document],
    originals: Sequence[Document],
    lexicon: Lexicon | None = None,
    target: str = "vi",
    model: Model | None = None,
) -> list[DocumentMatch]:
    """Each page's original (or nothing), in the pages' order.  The pages are read once, one at
    a time (a page's words are not kept).  Pages and originals with an ``error`` take no part:
    they are matched with nothing."""
    lexicon = lexicon if lexicon is not None else shipped_lexicon()
    model = model if model is not None else shipped_document_model()
    usable = [k for k, d in enumerate(originals) if d.error is None and d.segments]
    index = OriginalIndex([originals[k] for k in usable])
    scored: list[tuple[float, int, int]] = []  # (probability, page, original)
    best_seen: dict[int, float] = {}
    copies: list[str] = []  # each page's French, hashed: pages that are copies share it
    failed: set[int] = set()
    for p, page in enumerate(pages):
        copies.append(_copy_key(page))
        if page.error is not None:
            failed.add(p)
            continue
        for k, values in page_candidates(page, index, lexicon, target):
            probability = model.probability(values)
            best_seen[p] = max(best_seen.get(p, 0.0), probability)
            if probability >= model.threshold:
                scored.append((probability, p, usable[k]))
    taken: dict[int, int] = {}  # original -> the first page it serves
    matched: dict[int, DocumentMatch] = {}
    for probability, p, k in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if p in matched or (k in taken and copies[taken[k]] != copies[p]):
            continue
        taken.setdefault(k, p)
        matched[p] = DocumentMatch(p, k, round(probability, 4))
    out = []
    for p in range(len(copies)):
        if p in matched:
            out.append(matched[p])
        elif p in failed:
            out.append(DocumentMatch(p, None, 0.0, "the page could not be read"))
        else:
            best = round(best_seen.get(p, 0.0), 4)
            why = (f"no original scored {model.threshold:.2f} or more (best {best:.2f})"
                   if p in best_seen else "no original shares its telling words")  # fmt: skip
            out.append(DocumentMatch(p, None, best, why))
    return out


def page_candidates(
    page: Document, index: OriginalIndex, lexicon: Lexicon, target: str = "vi"
) -> list[tuple[int, dict[str, float]]]:
    """The originals (positions in the index) the page reaches, best first, with the features
    the matching model scores."""
    found = index.candidates(page_terms(page, lexicon, target))
    names, nums = _names(page, "fr"), _numbers(page, "fr")
    out = []
    for rank, (k, cosine) in enumerate(found):
        runner_up = max((c for r, (_, c) in enumerate(found) if r != rank), default=0.0)
        values = document_features(cosine, runner_up, names, nums, index.names[k],
                                   index.numbers[k])  # fmt: skip
        out.append((k, values))
    return out


def _copy_key(page: Document) -> str:
    """The page's French words, hashed: two pages are copies when they hold the same words in
    the same order (the same article republished, whatever the chrome around it)."""
    words = " ".join(w for text in _content(page, "fr") for w in french_words(text))
    return hashlib.sha1(words.encode()).hexdigest()


def document_features(
    cosine: float, runner_up: float, names: frozenset[str], nums: Counter[str],
    original_names: frozenset[str], original_numbers: Counter[str],
) -> dict[str, float]:  # fmt: skip
    """A candidate's features: its cosine, its margin over the page's next candidate, and the
    names and numbers the two share (Dice, 0 when neither has any)."""
    return {
        "cosine": cosine,
        "margin": cosine - runner_up,
        "names": dice(names, original_names) or 0.0,
        "numbers": dice(nums, original_numbers) or 0.0,
    }


def page_terms(page: Document, lexicon: Lexicon, target: str = "vi") -> dict[str, float]:
    """What a page says in Vietnamese: its machine translation, or its words translated by
    the table (a word counts for each syllable it translates, shared among them)."""
    french = [s for s in page.segments if s.lang == "fr" and s.role in CONTENT]
    terms: dict[str, float] = {}
    if french and all(s.translations.get(target) for s in french):
        for s in french:
            for syllable in vietnamese_words(s.translations[target]):
                terms[syllable] = terms.get(syllable, 0.0) + 1
    else:
        reverse = lexicon.reverse
        for s in french:
            for word in french_words(s.text):
                known = reverse.get(stem(word))
                for syllable in known or ():
                    terms[syllable] = terms.get(syllable, 0.0) + 1 / len(known or ())
    terms.update({f"@{n}": 1 for n in _names(page, "fr")})
    terms.update({f"#{n}": c for n, c in _numbers(page, "fr").items()})
    return terms


def _original_terms(original: Document) -> Counter[str]:
    terms: Counter[str] = Counter()
    for s in original.segments:
        if s.role in CONTENT:
            terms.update(vietnamese_words(s.text))
    terms.update({f"@{n}": 1 for n in _names(original, "vi")})
    terms.update({f"#{n}": c for n, c in _numbers(original, "vi").items()})
    return terms


def _content(document: Document, lang: str) -> list[str]:
    """The article's texts: a page's French ones (``fr``), or every one of an original
    (``vi``), whatever language a line of it was identified in (a quote, a name)."""
    return [
        s.text for s in document.segments
        if s.role in CONTENT and (s.lang == lang or lang == "vi")
    ]  # fmt: skip


def _names(document: Document, lang: str) -> frozenset[str]:
    found = set()
    for text in _content(document, lang):
        words = WORD.findall(text)
        found |= {fold(w) for w in words[1:] if w[0].isupper() and len(w) > 1}
    return frozenset(found)


def _numbers(document: Document, lang: str) -> Counter[str]:
    total: Counter[str] = Counter()
    for text in _content(document, lang):
        total.update(numbers(text, lang))
    return total


def _tf(terms: Mapping[str, float]) -> dict[str, float]:
    return {t: 1 + math.log(c) if c >= 1 else c for t, c in terms.items() if c > 0}


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def save_document_model(path: Path, model: Model, about: str) -> None:
    """Write the matching model atomically, as :func:`shipped_document_model` reads it."""
    from ..write.atomic import write_atomic

    data = {"about": about, "features": list(DOCUMENT_FEATURES), **model.as_json()}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


@cache
def shipped_document_model(path: Path = MODEL_FILE) -> Model:
    """The shipped matching model, read once when first used.

    Raises:
        ModelError: the file is missing or not such a file.
    """
    try:
        return Model.from_json(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ModelError(f"{path}: not a document model file ({e!r}); refit it with "
                         "`python -m tools.fit_article`") from e  # fmt: skip
