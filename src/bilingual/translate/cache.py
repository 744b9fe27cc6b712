"""A persistent translation cache (SQLite), so no sentence is translated twice.

Site chrome, recurring phrases and reruns over the same pages repeat sentences; the cache keys each
translation by the model (name and revision), the precision, the generation settings and the
text.  Only translators that say who they are (a ``fingerprint``, as
:class:`~bilingual.translate.marian.Translator` does) are cached: an anonymous object could change
its output without the key changing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import OutputError
from . import SupportsTranslate, accepts

__all__ = ["CachedTranslator", "TranslationCache", "default_cache_path"]

_LOOKUP_CHUNK = 500  # SQLite's default limit on bound parameters is 999


def default_cache_path() -> Path:
    """``$XDG_CACHE_HOME/bilingual/translations.sqlite`` (``~/.cache`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bilingual" / "translations.sqlite"


class TranslationCache:
    """A key -> translation store in one SQLite file, safe to share between runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, text TEXT NOT NULL)"
            )
        except sqlite3.Error as e:
            raise OutputError(
                f"{path}: cannot open the translation cache ({e}); use --no-cache"
            ) from e

    def get(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(keys, _LOOKUP_CHUNK):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, text FROM translations WHERE key IN ({marks})"
            found.update(self._db.execute(query, chunk).fetchall())
        return found

    def put(self, items: dict[str, str]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?)", items.items())

    def close(self) -> None:
        self._db.close()


class CachedTranslator:
    """A translator whose results are looked up in, and stored to, a :class:`TranslationCache`.

    Attributes:
        hits: texts answered from the cache so far.
        misses: texts the inner translator had to translate.
    """

    def __init__(self, inner: SupportsTranslate, cache: TranslationCache, fingerprint: str) -> None:
        self.inner = inner
        self.cache = cache
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0

    def translate(
        self, sentences: list[str], progress: Callable[[int], None] | None = None, **options: Any
    ) -> list[str]:
        settings = repr(sorted(options.items()))
        keys = [self._key(settings, s) for s in sentences]
        found = self.cache.get(list(dict.fromkeys(keys)))
        missing = list(
            dict.fromkeys(s for s, k in zip(sentences, keys, strict=True) if k not in found)
        )
        hits = sum(1 for k in keys if k in found)
        self.hits += hits
        if progress is not None and hits:
            progress(hits)
        if missing:
            self.misses += len(missing)
            if progress is not None and accepts(self.inner.translate, "progress"):
                options = {**options, "progress": progress}
            translated = (
                self.inner.translate(missing, **options)
                if options
                else self.inner.translate(missing)
            )
            new = {self._key(settings, s): t for s, t in zip(missing, translated, strict=True)}
            self.cache.put(new)
            found.update(new)
        return [found[k] for k in keys]

    def fit(self, sentence: str) -> list[str]:
        fit = getattr(self.inner, "fit", None)
        return list(fit(sentence)) if callable(fit) else [sentence]

    def _key(self, settings: str, text: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}\0{settings}\0{text}".encode()).hexdigest()


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
