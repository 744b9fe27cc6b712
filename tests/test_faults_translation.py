"""Faults of the translation side, through the real command: a corrupted, truncated,
read-only, full or locked translation cache (a warning, and the run goes on without it; a full
disk is also counted a failure, exit 1), two runs sharing one cache, and a model whose weights
file is truncated (named; the other target goes on). Each compares the corpus with a run's that
met no fault.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from harness import (
    PAGE_BYTES,
    TRANSLATE,
    Result,
    Tmpfs,
    files,
    short_pages,
    skip_unless_permissions_apply,
    translate,
    without_root_powers,
)

pytestmark = pytest.mark.slow  # each test runs the command in a subprocess, some kill it

# -- the translation cache -------------------------------------------------------------------


@pytest.fixture(scope="module")
def cache_run(
    tmp_path_factory: pytest.TempPathFactory, model_dirs: dict[str, Path]
) -> tuple[Path, list[str], Path]:
    """Short pages, the flags of a run with a real tiny model, and its corpus without a cache."""
    root = tmp_path_factory.mktemp("cache")
    pages = short_pages(root / "pages", 2)
    model = ["--model", f"en={model_dirs['en']}", "--to", "en", "--device", "cpu", "--beams", "1"]
    clean = root / "clean"
    translate(pages, "-o", clean, *model, "--no-cache").expect(0)
    return pages, model, clean


def corrupted(cache: Path) -> None:
    cache.write_bytes(b"not a database, a file overwritten by something else\n" * 100)


def truncated(cache: Path) -> None:
    from bilingual.translate.base import Translation
    from bilingual.translate.cache import TranslationCache

    store = TranslationCache(cache)
    store.store({f"key {k}": Translation(f"translation {k} " * 20) for k in range(2000)})
    store.close()
    os.truncate(cache, cache.stat().st_size // 2)


def read_only(cache: Path) -> None:
    from bilingual.translate.cache import TranslationCache

    TranslationCache(cache).close()
    cache.chmod(0o444)
    cache.parent.chmod(0o555)  # obeyed: the run drops root's powers


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (corrupted, "file is not a database"),
        (truncated, "the translation cache"),
        (read_only, "the translation cache"),
    ],
)
def test_a_broken_cache_is_a_warning_and_the_run_goes_on(
    tmp_path: Path,
    cache_run: tuple[Path, list[str], Path],
    damage: Callable[[Path], None],
    said: str,
) -> None:
    skip_unless_permissions_apply()
    pages, model, clean = cache_run
    (tmp_path / "cache").mkdir()
    cache = tmp_path / "cache" / "translations.sqlite"
    damage(cache)
    out = tmp_path / "out"
    try:
        result = translate(
            pages, "-o", out, *model, "--cache", cache, preexec_fn=without_root_powers
        )
    finally:
        cache.parent.chmod(0o755)
    result.expect(0, str(cache), said, "going on without it")
    assert files(out) == files(clean)


def test_a_cache_on_a_full_disk_is_reported_and_the_run_goes_on(
    tmp_path: Path, cache_run: tuple[Path, list[str], Path]
) -> None:
    pages, model, clean = cache_run
    disk = Tmpfs(tmp_path / "small", 64 * PAGE_BYTES)
    try:
        with (disk.path / "filler").open("wb", buffering=0) as filler, pytest.raises(OSError):
            while True:  # the whole disk
                filler.write(b"x" * PAGE_BYTES)
        cache = disk.path / "translations.sqlite"
        result = translate(pages, "-o", tmp_path / "out", *model, "--cache", cache)
    finally:
        disk.unmount()
    # The corpus is whole, but the disk needs space: said at the end, and exit 1.
    result.expect(1, str(cache), "going on without it", "translations were not cached")
    assert files(tmp_path / "out") == files(clean)


def test_a_locked_cache_is_a_warning_and_the_run_goes_on(
    tmp_path: Path, cache_run: tuple[Path, list[str], Path]
) -> None:
    pages, model, clean = cache_run
    cache = tmp_path / "translations.sqlite"
    holder = sqlite3.connect(cache, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    holder.execute("BEGIN EXCLUSIVE")  # another process writing, for longer than SQLite waits
    holder.execute("INSERT INTO results VALUES ('k', 'v')")
    try:
        result = translate(pages, "-o", tmp_path / "out", *model, "--cache", cache)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    result.expect(0, str(cache), "database is locked", "going on without it")
    assert files(tmp_path / "out") == files(clean)


def test_two_runs_share_one_cache_at_the_same_time(
    tmp_path: Path, cache_run: tuple[Path, list[str], Path]
) -> None:
    pages, model, clean = cache_run
    cache = tmp_path / "translations.sqlite"
    runs = [
        subprocess.Popen(
            [
                *TRANSLATE,
                str(pages),
                "-o",
                str(tmp_path / f"out{k}"),
                *model,
                "--cache",
                str(cache),
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(2)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        Result(run.returncode, stderr).expect(0)
    assert files(tmp_path / "out0") == files(tmp_path / "out1") == files(clean)
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT count(*) FROM results").fetchone()[0] > 0


# -- a broken model --------------------------------------------------------------------------


def test_a_truncated_weights_file_is_named_and_the_other_target_goes_on(
    tmp_path: Path, model_dirs: dict[str, Path], cache_run: tuple[Path, list[str], Path]
) -> None:
    pages, model, clean = cache_run
    broken = tmp_path / "opus-mt-fr-vi"
    broken.mkdir()
    for f in model_dirs["vi"].iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    weights = broken / "model.safetensors"
    os.truncate(weights, weights.stat().st_size // 2)
    out = tmp_path / "out"
    result = translate(pages, "-o", out, *model, "--to", "en,vi", "--model", f"vi={broken}")
    result.expect(1, f"{weights}: the weights of model", "could not be loaded")
    assert not list(out.glob("mt.fr-vi.*"))
    written, expected = files(out), files(clean)
    for name in ("segments.jsonl", "mt.fr-en.tsv", "mt.fr-en.fr", "mt.fr-en.en"):
        assert written[name] == expected[name], name
