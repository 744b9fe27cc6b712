"""The translation cache: lookups of any size, counts in one unit, engines behind it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bilingual import ConfigError, Generation, Translation
from bilingual.translate import PlainEngine
from bilingual.translate.cache import LOOKUP_CHUNK, CachedEngine, TranslationCache, cached


class CountingEngine:
    """An engine with an identity that records what it is asked to translate."""

    name = "counting"
    fingerprint: str | None = "counting@1:fp32"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def run(self, sentences, generation, progress=None):  # type: ignore[no-untyped-def]
        self.calls.append(list(sentences))
        if progress is not None:
            progress(len(sentences))
        return [
            Translation(f"{s}/{generation.num_beams}", pieces=len(s) % 3 + 1) for s in sentences
        ]


GREEDY = Generation(num_beams=1)


@pytest.fixture
def cache(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = TranslationCache(tmp_path / "cache.sqlite")
    yield store
    store.close()


def test_lookups_of_more_keys_than_one_statement_takes(cache: TranslationCache) -> None:
    n = 3 * LOOKUP_CHUNK + 7  # over SQLite's 999 bound parameters too
    items = {f"key{i}": Translation(f"text {i}", pieces=1 + i % 2) for i in range(n)}
    cache.store(items)
    keys = [*items, *(f"absent{i}" for i in range(5))]
    found = cache.lookup(keys)
    assert found == items
    assert (cache.hits, cache.misses) == (n, 5)


def test_counts_are_sentence_occurrences(cache: TranslationCache) -> None:
    cache.store({"a": Translation("A")})
    cache.lookup(["a", "a", "b", "b", "b"])
    assert (cache.hits, cache.misses) == (2, 3)


def test_results_survive_reopening(tmp_path: Path) -> None:
    first = TranslationCache(tmp_path / "c.sqlite")
    first.store({"k": Translation("traduction", pieces=3)})
    first.close()
    again = TranslationCache(tmp_path / "c.sqlite")
    assert again.lookup(["k"]) == {"k": Translation("traduction", pieces=3)}
    again.close()


def test_the_inner_engine_translates_only_what_is_missing_once(cache: TranslationCache) -> None:
    inner = CountingEngine()
    engine = CachedEngine(inner, cache)
    done: list[int] = []
    first = engine.run(["a", "b", "a"], GREEDY, done.append)
    assert inner.calls == [["a", "b"]] and sum(done) == 2
    second = engine.run(["b", "c", "a", "c"], GREEDY, done.append)
    assert inner.calls[-1] == ["c"]
    assert [t.text for t in first] == ["a/1", "b/1", "a/1"]
    assert second == [Translation("b/1", 2), Translation("c/1", 2), Translation("a/1", 2),
                      Translation("c/1", 2)]  # fmt: skip
    assert (cache.hits, cache.misses) == (2, 5)
    # Progress: the sentences found in the cache, and the distinct ones the engine translated.
    assert sum(done) == 2 + 2 + 1


def test_settings_and_identity_are_part_of_the_key(cache: TranslationCache) -> None:
    inner = CountingEngine()
    CachedEngine(inner, cache).run(["a"], GREEDY)
    CachedEngine(inner, cache).run(["a"], Generation(num_beams=4))
    CachedEngine(inner, cache).run(["a"], Generation(num_beams=4, num_return_sequences=2))
    CachedEngine(inner, cache).run(["a"], Generation(num_beams=4))  # cached
    other = CountingEngine()
    other.fingerprint = "counting@2:fp32"
    CachedEngine(other, cache).run(["a"], GREEDY)
    assert inner.calls == [["a"], ["a"], ["a"]] and other.calls == [["a"]]


def test_scores_and_alternatives_are_cached_whole(cache: TranslationCache) -> None:
    best = Translation("x", score=-0.25, alternatives=(Translation("y", score=-0.5),))
    cache.store({"k": best})
    assert cache.lookup(["k"]) == {"k": best}


def test_only_engines_with_an_identity_are_cached(cache: TranslationCache) -> None:
    class Plain:
        def translate(self, sentences: list[str]) -> list[str]:
            return sentences

    plain = PlainEngine(Plain())
    assert cached(plain, cache) is plain
    assert cached(CountingEngine(), None).fingerprint == "counting@1:fp32"
    with pytest.raises(ConfigError, match="fingerprint"):
        CachedEngine(plain, cache)


def test_an_unwritable_cache_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError, match="translation cache"):
        TranslationCache(blocker / "cache.sqlite")


@pytest.mark.slow  # a subprocess
def test_a_cache_whose_disk_fills_up_is_reported_once_and_the_engine_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    disk = tmp_path / "small"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (root only)")
    store = TranslationCache(disk / "cache.sqlite")
    try:
        engine = CachedEngine(CountingEngine(), store)
        assert [t.text for t in engine.run(["a"], GREEDY)] == ["a/1"]
        with (disk / "filler").open("wb", buffering=0) as filler, pytest.raises(OSError):
            while True:  # the rest of the disk
                filler.write(b"x" * 4096)
        many = [f"sentence {k} " * 20 for k in range(300)]
        assert [t.text for t in engine.run(many, GREEDY)] == [f"{s}/1" for s in many]
        assert store.failed is not None and "full" in store.failed and store.disk_full
        assert [t.text for t in engine.run(["a", "b"], GREEDY)] == ["a/1", "b/1"]
        assert caplog.text.count("stopped working") == 1 and str(disk) in caplog.text
    finally:
        store.close()
        subprocess.run(["umount", str(disk)], check=True)
