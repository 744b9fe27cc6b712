"""What a report shows, read back from an output directory's files, in bounded memory.

The files are streamed once each: ``run.json`` (the run), ``pairs.fr-vi.jsonl`` (the caption
pairs), ``pairs.rejected.jsonl`` (the near misses), ``article.fr-vi.jsonl`` (the links of whole
articles, when the run had originals) and ``segments.jsonl`` (roles, machine translations and
their scores, and the input line of each shown row).  Rows are kept in a
:class:`Sample`: the most telling ones and a seeded sample of the rest, never all of them.
"""

from __future__ import annotations

import heapq
import json
import math
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..write.names import ARTICLE_JSONL, PAIRS_JSONL, REJECTED_JSONL, RUN, SEGMENTS

__all__ = ["PAIR_FIELDS", "Articles", "Histogram", "Sample", "Summary", "collect"]

# The fields every pair record has; any other (a model score, an origin, …) gets its own column.
PAIR_FIELDS = frozenset({"doc", "vi", "fr", "score", "vi_index", "fr_indices", "mt_chrf"})
# Rows a page shows at most: the most telling ones, and a sample of the rest.
WORST, SAMPLE = 400, 800


@dataclass
class Histogram:
    """Counts of values in ``bins`` equal bins from ``lo`` to ``hi``; values outside fall in the
    end bins (``clamped`` counts them)."""

    lo: float
    hi: float
    bins: int
    counts: list[int] = field(default_factory=list)
    clamped: int = 0

    def __post_init__(self) -> None:
        self.counts = self.counts or [0] * self.bins

    def add(self, value: float) -> None:
        k = int((value - self.lo) / (self.hi - self.lo) * self.bins)
        if not 0 <= k < self.bins and value != self.hi:
            self.clamped += 1
        self.counts[min(max(k, 0), self.bins - 1)] += 1

    @property
    def total(self) -> int:
        return sum(self.counts)


class Sample:
    """The ``worst`` records with the lowest ``key`` and a seeded sample of ``sample`` others,
    from a stream of any length, in bounded memory.

    Args:
        worst: how many of the lowest-keyed records to keep.
        sample: how many others to keep, drawn uniformly (a fixed seed: the same page each time).
        key: what "worst" means; records keyed ``None`` are never among the worst.
    """

    def __init__(self, worst: int, sample: int, key: Callable[[dict[str, Any]], float | None]):
        self.worst, self.sample, self.key = worst, sample, key
        self.total = 0
        self._worst: list[tuple[float, int, dict[str, Any]]] = []  # max-heap by key (negated)
        self._sample: list[tuple[float, int, dict[str, Any]]] = []  # max-heap by priority
        self._random = random.Random(0)

    def add(self, record: dict[str, Any]) -> None:
        n = self.total
        self.total += 1
        key = self.key(record)
        if key is not None:
            heapq.heappush(self._worst, (-key, n, record))
            if len(self._worst) > self.worst:
                heapq.heappop(self._worst)
        heapq.heappush(self._sample, (-self._random.random(), n, record))
        if len(self._sample) > self.sample:
            heapq.heappop(self._sample)

    def shrink(self) -> None:
        """Keep half as many of each (a page over its size bound is built again smaller)."""
        self.worst, self.sample = self.worst // 2, self.sample // 2
        for heap, size in ((self._worst, self.worst), (self._sample, self.sample)):
            while len(heap) > size:
                heapq.heappop(heap)

    def rows(self) -> list[dict[str, Any]]:
        """The kept records, each once, in stream order."""
        kept = {n: r for _, n, r in [*self._worst, *self._sample]}
        return [kept[n] for n in sorted(kept)]

    @property
    def left_out(self) -> int:
        return self.total - len(self.rows())


@dataclass
class Articles:
    """Per matched pair of documents, its match score, its links and their summed score; the
    weakest links and a sample of the rest."""

    documents: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    links: Sample = field(default_factory=lambda: Sample(WORST, SAMPLE, _score))


def _articles(outdir: Path) -> Articles | None:
    """The article section's data, or ``None`` when the run had no originals."""
    path = outdir / ARTICLE_JSONL
    if not path.exists():
        return None
    found = Articles()
    for record in _jsonl(path):
        found.links.add(record)
        key = (str(record.get("fr_doc")), str(record.get("vi_doc")))
        entry = found.documents.setdefault(key, [float(record.get("match_score") or 0), 0, 0])
        entry[1] += 1
        entry[2] += float(record.get("score") or 0)
    return found


@dataclass
class Summary:
    """Everything a report page shows."""

    outdir: Path
    run: dict[str, Any]
    pairs: Sample = field(default_factory=lambda: Sample(WORST, SAMPLE, _score))
    pair_scores: Histogram = field(default_factory=lambda: Histogram(0.0, 1.0, 20))
    extra_fields: dict[str, bool] = field(default_factory=dict)  # name -> numeric, in order
    misses: Sample | None = None  # None: the directory has no pairs.rejected.jsonl
    miss_scores: Histogram = field(default_factory=lambda: Histogram(0.0, 1.0, 20))
    miss_reasons: Counter[str] = field(default_factory=Counter)
    thresholds: set[float] = field(default_factory=set)
    roles: Counter[str] = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)
    translated: Counter[str] = field(default_factory=Counter)  # language -> segments
    mt_scores: dict[str, Histogram] = field(default_factory=dict)
    lines: dict[tuple[str, int], int] = field(default_factory=dict)  # (doc, index) -> line
    articles: Articles | None = None  # None: the run had no originals


def collect(outdir: Path) -> Summary:
    """Read an output directory's files into a :class:`Summary`.

    Raises:
        InputError: a file is missing or is not what ``translate`` writes (names the file).
    """
    summary = Summary(outdir, _run_json(outdir / RUN))
    for record in _jsonl(outdir / PAIRS_JSONL):
        summary.pairs.add(record)
        if (score := _score(record)) is not None:
            summary.pair_scores.add(score)
        for name, value in record.items():
            if name not in PAIR_FIELDS:
                numeric = value is None or _number(value) is not None
                summary.extra_fields[name] = summary.extra_fields.get(name, True) and numeric
    if (outdir / REJECTED_JSONL).exists():
        summary.misses = _misses(summary, outdir / REJECTED_JSONL)
    summary.articles = _articles(outdir)
    _segments(summary, outdir / SEGMENTS)
    return summary


def _misses(summary: Summary, path: Path) -> Sample:
    """The near misses, those closest to being paired first."""
    misses = Sample(WORST, SAMPLE, _closest)
    for record in _jsonl(path):
        misses.add(record)
        summary.miss_reasons[str(record.get("reason", ""))] += 1
        if (value := _score(record)) is not None:
            summary.miss_scores.add(value)
        if (threshold := _number(record.get("threshold"))) is not None:
            summary.thresholds.add(threshold)
    return misses


def _segments(summary: Summary, path: Path) -> None:
    """Roles, translations and their scores, and the line of each shown pair."""
    wanted = {(r.get("doc"), r.get("vi_index")) for r in summary.pairs.rows()}
    for record in _jsonl(path):
        doc, index = str(record.get("doc")), record.get("index")
        summary.documents.add(doc)
        summary.roles[str(record.get("role"))] += 1
        for lang, text in (record.get("translations") or {}).items():
            if text:
                summary.translated[lang] += 1
        for lang, score in (record.get("scores") or {}).items():
            if (value := _number(score)) is not None:
                summary.mt_scores.setdefault(lang, Histogram(-4.0, 0.0, 16)).add(value)
        if (doc, index) in wanted and isinstance(record.get("paragraph"), int):
            summary.lines[(doc, int(str(index)))] = record["paragraph"] + 1


def _run_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as e:
        raise InputError(_missing(path)) from e
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(f"{path}: cannot be read as JSON ({e})") from e
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object, as translate writes")
    return data


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The objects of a JSON Lines file, one a line."""
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    record = json.loads(line)
                except ValueError as e:
                    raise InputError(f"{path}:{number}: not a JSON object ({e})") from e
                if not isinstance(record, dict):
                    raise InputError(f"{path}:{number}: expected a JSON object")
                yield record
    except FileNotFoundError as e:
        raise InputError(_missing(path)) from e
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot be read ({e})") from e


def _missing(path: Path) -> str:
    return f"{path}: not found; is {path.parent} an output directory of translate?"


def _score(record: dict[str, Any]) -> float | None:
    return _number(record.get("score"))


def _closest(record: dict[str, Any]) -> float | None:
    """A near miss's key: the higher its best candidate scored, the closer it came."""
    score = _score(record)
    return None if score is None else -score


def _number(value: Any) -> float | None:
    """A finite JSON number as a float (booleans are not numbers here, and Python's json reads
    ``NaN`` and ``Infinity``, which no chart can place)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None
