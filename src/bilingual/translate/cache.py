"""A persistent translation cache (SQLite), so no sentence is translated twice.

Site chrome, recurring phrases and reruns over the same pages repeat sentences; the cache keys each
translation by the engine's fingerprint (model, revision, precision), the generation settings and
the text.  Only engines that say who they are (a ``fingerprint``, as
:class:`~bilingual.Translator` does) are cached: an anonymous object could change its output
without the key changing.

The cache only saves time, so it never fails a run: a file that cannot be opened (corrupted,
truncated, on a read-only location, locked by another process) is reported by the caller, which
runs without it (:func:`bilingual.backends`), and one that fails later is reported once and then
treated as empty, the run going on without it.  A cache whose disk (or quota) is full is
reported the same way, and the run also counts it among its failures (exit status 1: the corpus
is complete, but the disk needs space).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..errors import NO_SPACE, ConfigError, DiskFullError, OutputError
from .base import Engine, Generation, PairTooLong, Progress, Score, Scorer, Translation

Cached = TypeVar("Cached", Translation, Score)
Item = TypeVar("Item")
SQLITE_FULL = 13  # SQLite's result code for a full disk (sqlite3.SQLITE_FULL from Python 3.11)

__all__ = [
    "CachedEngine",
    "CachedScorer",
    "TranslationCache",
    "cached",
    "cached_scorer",
    "default_cache_path",
    "disk_full_failure",
    "open_cache",
]

log = logging.getLogger("bilingual")

# SQLite's default limit on bound parameters is 999 (32,766 since 3.32): stay under both.
LOOKUP_CHUNK = 500


def default_cache_path() -> Path:
    """``$XDG_CACHE_HOME/bilingual/translations.sqlite`` (``~/.cache`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bilingual" / "translations.sqlite"


def open_cache(
    path: Path | None = None, failures: list[dict[str, str]] | None = None
) -> TranslationCache | None:
    """The translation cache at ``path`` (:func:`default_cache_path` when ``None``), or
    ``None``, with a warning, where it cannot be opened: the cache only saves time, so a broken
    one never stops a run.  On a full disk, :func:`disk_full_failure` is also added to
    ``failures`` when given (a corpus build counts it)."""
    path = path or default_cache_path()
    try:
        return TranslationCache(path)
    except OutputError as e:
        log.warning("%s; going on without it (--no-cache skips it)", e)
        if isinstance(e, DiskFullError) and failures is not None:
            failures.append(disk_full_failure(path))
        return None


def disk_full_failure(path: Path) -> dict[str, str]:
    """The failure a cache on a full disk adds to a run: the corpus is whole, the disk is not."""
    return {
        "cache": str(path),
        "error": f"{path}: no space left on the device (or over quota): translations were not "
        "cached; the corpus is complete",
    }


class TranslationCache:
    """A key -> translation store in one SQLite file, safe to share between runs.

    Attributes:
        hits: sentences (every occurrence) answered from the cache since it was opened.
        misses: sentences (every occurrence) that were not in it.
        failed: why the cache stopped being used during the run (``None`` while it works).

    Raises:
        OutputError: the file cannot be opened as a cache (the message names it).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.hits = 0
        self.misses = 0
        self.failed: str | None = None
        self.disk_full = False  # why it failed: the disk or the quota is full
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self._db.execute("SELECT count(*) FROM results WHERE key = ''").fetchone()
        except (sqlite3.Error, OSError) as e:
            kind = DiskFullError if disk_full(e) else OutputError
            raise kind(f"{path}: cannot open the translation cache ({e})") from e

    def lookup(self, keys: Sequence[str]) -> dict[str, Translation]:
        """The cached translations among ``keys``; counts each key (repeats too) as a hit or a
        miss."""
        return self._lookup(keys, Translation.from_dict)

    def lookup_scores(self, keys: Sequence[str]) -> dict[str, Score]:
        """The cached scores among ``keys`` (see :meth:`lookup`)."""
        return self._lookup(keys, Score.from_dict)

    def store(self, items: Mapping[str, Translation | Score]) -> None:
        """Save translations or scores; a cache that can no longer be written is reported once
        and the run goes on without it."""
        if self.failed:
            return
        rows = [(k, json.dumps(t.to_dict(), ensure_ascii=False)) for k, t in items.items()]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", rows)
        except sqlite3.Error as e:  # full disk, locked too long, read-only, damaged
            self._fail(e)

    def _lookup(self, keys: Sequence[str], parse: Callable[[Any], Cached]) -> dict[str, Cached]:
        found: dict[str, Cached] = {}
        try:
            distinct = [] if self.failed else list(dict.fromkeys(keys))
            for chunk in _chunks(distinct, LOOKUP_CHUNK):
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, value FROM results WHERE key IN ({marks})"
                for key, value in self._db.execute(query, chunk).fetchall():
                    found[key] = parse(json.loads(value))
        except (sqlite3.Error, ValueError, KeyError, TypeError) as e:  # a damaged file or row
            self._fail(e)
            found = {}
        hits = sum(1 for k in keys if k in found)
        self.hits += hits
        self.misses += len(keys) - hits
        return found

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # every store was committed or reported
            self._db.close()

    def _fail(self, error: Exception) -> None:
        self.failed = str(error)
        self.disk_full = disk_full(error)
        log.warning(
            "%s: the translation cache stopped working (%s); going on without it "
            "(translations are not saved there; --no-cache runs without it from the start)",
            self.path,
            error,
        )


class CachedEngine:
    """An :class:`~bilingual.translate.Engine` whose results are looked up in, and stored to, a
    :class:`TranslationCache`; the inner engine translates only what the cache lacks."""

    def __init__(self, inner: Engine, cache: TranslationCache) -> None:
        if inner.fingerprint is None:
            raise ConfigError(f"{inner.name} has no fingerprint: its output cannot be cached")
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.fingerprint: str | None = inner.fingerprint

    def run(
        self, sentences: list[str], generation: Generation, progress: Progress | None = None
    ) -> list[Translation]:
        settings = generation.key()
        keys = [self._key(settings, s) for s in sentences]
        return _serve(
            keys,
            sentences,
            self.cache.lookup(keys),
            lambda missing: self.inner.run(missing, generation, progress),
            self.cache,
            progress,
        )

    def _key(self, settings: str, text: str) -> str:
        key = f"{self.fingerprint}\0{settings}\0{text}"
        return hashlib.sha256(key.encode()).hexdigest()


class CachedScorer:
    """A :class:`~bilingual.translate.base.Scorer` whose scores are looked up in, and stored
    to, a :class:`TranslationCache`, keyed apart from translations (model, ``score``, pair)."""

    def __init__(self, inner: Scorer, cache: TranslationCache) -> None:
        if inner.fingerprint is None:
            raise ConfigError(f"{inner.name} has no fingerprint: its scores cannot be cached")
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.fingerprint: str | None = inner.fingerprint

    def score(
        self, sources: list[str], targets: list[str], progress: Progress | None = None
    ) -> list[Score]:
        if len(sources) != len(targets):
            raise ConfigError(f"{len(sources)} sources but {len(targets)} targets to score")
        pairs = list(zip(sources, targets, strict=True))
        keys = [self._key(s, t) for s, t in pairs]

        def score(missing: list[tuple[str, str]]) -> list[Score]:
            try:
                return self.inner.score([s for s, _ in missing], [t for _, t in missing], progress)
            except PairTooLong as e:  # its index counts the pairs the cache lacked: count all
                index = pairs.index(missing[e.index])
                message = str(e).replace(f"pair {e.index}", f"pair {index}", 1)
                raise PairTooLong(message, index) from e

        return _serve(keys, pairs, self.cache.lookup_scores(keys), score, self.cache, progress)

    def _key(self, source: str, target: str) -> str:
        key = f"{self.fingerprint}\0score\0{source}\0{target}"
        return hashlib.sha256(key.encode()).hexdigest()


def cached_scorer(scorer: Scorer, cache: TranslationCache | None) -> Scorer:
    """``scorer`` behind ``cache``, when there is one and the scorer's output has an identity."""
    if cache is None or scorer.fingerprint is None:
        return scorer
    return CachedScorer(scorer, cache)


def cached(engine: Engine, cache: TranslationCache | None) -> Engine:
    """``engine`` behind ``cache``, when there is one and the engine's output has an identity."""
    if cache is None or engine.fingerprint is None:
        return engine
    return CachedEngine(engine, cache)


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _serve(
    keys: list[str],
    items: Sequence[Item],
    found: dict[str, Cached],
    compute: Callable[[list[Item]], list[Cached]],
    cache: TranslationCache,
    progress: Progress | None,
) -> list[Cached]:
    """The results of ``items`` (keyed ``keys``, in order): those the cache had (``found``),
    and the others computed once each and stored."""
    missing = {k: item for k, item in zip(keys, items, strict=True) if k not in found}
    if progress is not None and found:
        progress(sum(1 for k in keys if k in found))
    if missing:
        new = dict(zip(missing, compute(list(missing.values())), strict=True))
        cache.store(new)
        found.update(new)
    return [found[k] for k in keys]


def disk_full(error: BaseException) -> bool:
    """Whether ``error`` says the disk or the quota is full (an ``OSError`` or SQLite's own)."""
    if isinstance(error, OSError):
        return error.errno in NO_SPACE
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    return code == SQLITE_FULL if code is not None else "disk is full" in str(error)
