"""Faults a long corpus run survives, each driven through the real command in a subprocess.

A full disk (a real, small tmpfs where this process may mount one, else injected through the
writer's ``fsync``), real SIGTERM and SIGINT, a 1 MB line, many pages in flat memory, a broken
translation cache, a truncated model, and output and input paths that cannot work.  Each test
asserts the message, the exit code, that no traceback is printed, and that the files are
byte-identical to an uninterrupted run's (after ``--resume`` where the run stopped partway).

Running as root, permissions do not stop this process: the runs that need a permission to be
refused drop root's powers to ignore them (``CAP_DAC_OVERRIDE``, ``CAP_DAC_READ_SEARCH``).
"""

from __future__ import annotations

import ctypes
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bilingual.corpus import STATE_DIR
from conftest import SEEDS

TRANSLATE = [sys.executable, "-m", "bilingual"]
PAGE_BYTES = 4096  # tmpfs counts whole pages

# The real command, with os.fsync failing as a full disk does on its FAIL_AT-th call: what a
# full disk looks like to the writer where no small filesystem can be mounted.
INJECTED = """
import errno, os, sys
from bilingual.cli import main
calls, real = [0], os.fsync
def fsync(fd):
    calls[0] += 1
    if calls[0] == int(os.environ["FAIL_AT"]):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    real(fd)
os.fsync = fsync
sys.exit(main(sys.argv[1:]))
"""


def translate(
    *args: object, preexec_fn: Callable[[], None] | None = None, fail_at: int | None = None
) -> Result:
    """Run the ``translate`` command; with ``fail_at``, its ``fail_at``-th fsync finds the disk
    full (see ``INJECTED``)."""
    program, env = TRANSLATE, dict(os.environ)
    if fail_at is not None:
        program, env["FAIL_AT"] = [sys.executable, "-c", INJECTED], str(fail_at)
    done = subprocess.run(
        [*program, *map(str, args), "-q"],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=preexec_fn,
        timeout=600,
    )
    return Result(done.returncode, done.stderr)


class Result:
    def __init__(self, code: int, stderr: str) -> None:
        self.code, self.stderr = code, stderr

    def expect(self, code: int, *phrases: str) -> None:
        """The exit code, each phrase on stderr, and never a traceback."""
        assert self.code == code, self.stderr
        assert "Traceback" not in self.stderr, self.stderr
        for phrase in phrases:
            assert phrase in self.stderr, self.stderr


def make_pages(directory: Path, count: int, first: int = 0) -> Path:
    """``count`` distinct pages in the seeds' format."""
    directory.mkdir(exist_ok=True)
    for k in range(first, first + count):
        page = SEEDS[k % len(SEEDS)].read_text("utf-8").replace("Selon VNA", f"Selon VNA ({k})")
        (directory / f"doc{k:04d}.txt").write_text(page, "utf-8")
    return directory


def files(outdir: Path) -> dict[str, bytes]:
    """The corpus files of a run (``run.json`` has times and counts of its own)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(outdir.iterdir())
        if p.is_file() and p.name != "run.json"
    }


def leftovers(outdir: Path) -> list[Path]:
    """Temporary files a write left behind."""
    return [p for p in outdir.rglob("*") if p.name.endswith(".tmp")]


def disk_use(paths: Iterator[Path] | list[Path]) -> int:
    return sum(math.ceil(p.stat().st_size / PAGE_BYTES) * PAGE_BYTES for p in paths)


def without_root_powers() -> None:
    """For a subprocess run as root: obey file permissions as any user does (drop the
    capabilities that override them from the bounding set, which exec then applies)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture(scope="module")
def can_drop_root_powers() -> None:
    if os.geteuid() != 0:
        return
    probe = subprocess.run(["true"], preexec_fn=without_root_powers, check=False)
    if probe.returncode != 0:
        pytest.skip("running as root without the right to drop capabilities")


# -- a full disk ----------------------------------------------------------------------------


class Tmpfs:
    """A small tmpfs mounted at ``path`` (root only), resizable, unmounted at the end."""

    def __init__(self, path: Path, size: int) -> None:
        path.mkdir()
        self.path = path
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
            text=True,
        )
        if mounted.returncode != 0:
            pytest.skip(
                f"cannot mount a tmpfs here ({mounted.stderr.strip()}): the injected run tests it"
            )

    def resize(self, size: int) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(self.path)], check=True)

    def unmount(self) -> None:
        subprocess.run(["umount", str(self.path)], check=True)


def state_disk_use(pages: Path) -> int:
    """What the saved state of ``pages`` takes on disk (as the run saves it: one JSON each)."""
    from bilingual import Pipeline
    from bilingual.document import document_to_dict

    sizes = [
        len(json.dumps(document_to_dict(d), ensure_ascii=False).encode())
        for d in Pipeline().run([str(pages)])
    ]
    return sum(math.ceil(s / PAGE_BYTES) * PAGE_BYTES for s in sizes)


PAGES = 30


@pytest.fixture(scope="module")
def full_disk_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Thirty pages and the corpus an uninterrupted run makes of them."""
    root = tmp_path_factory.mktemp("full-disk")
    pages = make_pages(root / "pages", PAGES)
    clean = root / "clean"
    translate(pages, "-o", clean, "--no-mt").expect(0)
    return pages, clean


@pytest.mark.parametrize("how", ["tmpfs", "injected"])
@pytest.mark.parametrize("when", ["saving the state", "writing the corpus"])
def test_a_full_disk_stops_with_a_message_and_resume_finishes_it(
    tmp_path: Path, full_disk_pages: tuple[Path, Path], how: str, when: str
) -> None:
    pages, clean = full_disk_pages
    earlier = make_pages(tmp_path / "earlier", 1)
    disk = Tmpfs(tmp_path / "small", 80 * PAGE_BYTES) if how == "tmpfs" else None
    out = (disk.path if disk is not None else tmp_path) / "out"
    try:
        translate(earlier, "-o", out, "--no-mt").expect(0)
        before = files(out)
        if disk is not None:  # room for half the state, or the state and half the corpus
            state, corpus = state_disk_use(pages), disk_use(list(clean.iterdir()))
            room = state // 2 if when == "saving the state" else state + corpus // 2
            disk.resize(disk_use(list(out.iterdir())) + room)
            stopped = translate(pages, "-o", out, "--no-mt")
        else:  # each page's state is one fsync, then each corpus file
            fail_at = 3 if when == "saving the state" else PAGES + 2
            stopped = translate(pages, "-o", out, "--no-mt", fail_at=fail_at)
        where = out / STATE_DIR if when == "saving the state" else out
        stopped.expect(1, f"{where}: no space left on the device", "--resume")
        assert files(out) == before  # earlier outputs intact
        assert leftovers(out) == []
        saved = list((out / STATE_DIR).glob("*.json"))
        assert (len(saved) == PAGES) == (when == "writing the corpus"), len(saved)

        if disk is not None:
            disk.resize(64 * 1024 * 1024)  # space freed
        translate(pages, "-o", out, "--no-mt", "--resume").expect(0)
        assert files(out) == files(clean)
        assert json.loads((out / "run.json").read_text("utf-8"))["resumed"] == len(saved)
        assert not (out / STATE_DIR).exists()
    finally:
        if disk is not None:
            disk.unmount()


# -- signals ---------------------------------------------------------------------------------


def interrupt_after(command: list[str], state: Path, saved: int, signum: int) -> Result:
    """Start ``command``, send it ``signum`` once ``saved`` documents are saved, wait for it."""
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while (
        len(list(state.glob("*.json"))) < saved
        and process.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.005)
    assert process.poll() is None, "the run finished before it could be interrupted"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=300)
    return Result(process.returncode, stderr)


@pytest.fixture(scope="module")
def many_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two hundred pages (a run of several seconds without translation) and their corpus."""
    root = tmp_path_factory.mktemp("signals")
    pages = make_pages(root / "pages", 200)
    clean = root / "clean"
    translate(pages, "-o", clean, "--no-mt").expect(0)
    return pages, clean


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGTERM, 143, "terminated by SIGTERM"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_signal_keeps_what_was_finished_and_resume_finishes_it(
    tmp_path: Path, many_pages: tuple[Path, Path], signum: int, code: int, said: str
) -> None:
    pages, clean = many_pages
    out = tmp_path / "out"
    command = [*TRANSLATE, str(pages), "-o", str(out), "--no-mt", "-q", "--window", "1"]
    stopped = interrupt_after(command, out / STATE_DIR, 3, signum)
    stopped.expect(code, said, f"{out / STATE_DIR}", "--resume")
    saved = list((out / STATE_DIR).glob("*.json"))
    assert 3 <= len(saved) < 200
    assert leftovers(out) == [] and not (out / "segments.jsonl").exists()

    translate(pages, "-o", out, "--no-mt", "--resume").expect(0)
    assert files(out) == files(clean)
    assert json.loads((out / "run.json").read_text("utf-8"))["resumed"] == len(saved)


SHORT_PAGE = """Vietnam.vn - Nền tảng quảng bá Việt Nam
Le port de Hai Phong accueille un nouveau terminal
Báo Quốc TếBáo Quốc Tế21/12/2023
Le nouveau terminal du port de Hai Phong a été inauguré jeudi matin.
Il pourra recevoir des navires de grande taille toute l'année.
Cảng Hải Phòng đón tàu lớn. (Ảnh: An Đăng/TTXVN)
Le port de Hai Phong accueille de grands navires. (Photo : An Dang/VNA)
Les autorités prévoient de doubler la capacité d'ici à 2030.
Selon VNA {k}
"""


def short_pages(directory: Path, count: int) -> Path:
    """``count`` short distinct pages: a run with a real (tiny) model stays quick."""
    directory.mkdir()
    for k in range(count):
        (directory / f"page{k:02d}.txt").write_text(SHORT_PAGE.format(k=k), "utf-8")
    return directory


def test_sigterm_during_translation_keeps_what_was_finished(
    tmp_path: Path, model_dirs: dict[str, Path]
) -> None:
    pages = short_pages(tmp_path / "pages", 6)
    model = ["--model", f"en={model_dirs['en']}", "--to", "en", "--device", "cpu", "--beams", "1"]
    clean, out = tmp_path / "clean", tmp_path / "out"
    translate(pages, "-o", clean, *model, "--no-cache").expect(0)
    command = [*TRANSLATE, str(pages), "-o", str(out), *model, "--no-cache", "-q", "--window", "1"]
    stopped = interrupt_after(command, out / STATE_DIR, 2, signal.SIGTERM)
    stopped.expect(143, "terminated by SIGTERM", "--resume")
    saved = list((out / STATE_DIR).glob("*.json"))
    assert leftovers(out) == [] and 2 <= len(saved) < 6
    translate(pages, "-o", out, *model, "--no-cache", "--resume").expect(0)
    assert files(out) == files(clean)


# -- cost linear in the input ----------------------------------------------------------------

MEGABYTE = 1_000_000


@pytest.mark.parametrize("spaced", [True, False], ids=["words", "no spaces"])
def test_a_one_megabyte_line_takes_seconds(tmp_path: Path, spaced: bool) -> None:
    text = " ".join(" ".join(SEEDS[0].read_text("utf-8").split()) for _ in range(2))
    text = text if spaced else text.replace(" ", "")
    page = tmp_path / "one-line.txt"
    page.write_text((text * (MEGABYTE // len(text) + 1))[:MEGABYTE] + "\n", "utf-8")
    started = time.monotonic()
    translate(page, "-o", tmp_path / "out", "--no-mt").expect(0)
    # Before the sample was bounded, a line without spaces this long never finished (200,000
    # characters took minutes); the run itself takes about a second.
    assert time.monotonic() - started < 60
    segments = (tmp_path / "out" / "segments.jsonl").read_text("utf-8").splitlines()
    assert sum(len(json.loads(line)["text"]) for line in segments) >= 0.9 * MEGABYTE


PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_memory_kb(command: list[str]) -> int:
    """The peak resident memory of ``command``, measured by a parent of its own."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *command], capture_output=True, text=True, check=True
    )
    return int(done.stdout.split()[-1])


def test_memory_stays_flat_as_pages_grow(tmp_path: Path) -> None:
    # Tiny pages, to keep CI short: 200 and 2,000 (10,000 measured by hand: see the README).
    peaks = []
    for count in (200, 2000):
        pages = tmp_path / f"pages{count}"
        pages.mkdir()
        for k in range(count):
            (pages / f"{k:05d}.txt").write_text(
                f"Titre {k}\nBáo ABáo A21/12/2023\nLe texte numéro {k} de la page.\n", "utf-8"
            )
        command = [*TRANSLATE, str(pages), "-o", str(tmp_path / f"out{count}"), "--no-mt", "-q"]
        peaks.append(peak_memory_kb(command))
    assert peaks[1] <= 1.1 * peaks[0], peaks


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
    can_drop_root_powers: None,
    damage: Callable[[Path], None],
    said: str,
) -> None:
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


def test_a_cache_on_a_full_disk_is_a_warning_and_the_run_goes_on(
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
    result.expect(0, str(cache), "the translation cache", "going on without it")
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


# -- paths that cannot work ------------------------------------------------------------------


def test_an_output_path_that_is_a_file(tmp_path: Path) -> None:
    existing = tmp_path / "existing_file"
    existing.write_text("mine\n")
    result = translate(SEEDS[0], "-o", existing, "--no-mt")
    result.expect(2, f"{existing}: is a file, not a directory")
    assert STATE_DIR not in result.stderr
    assert existing.read_text() == "mine\n"


def test_an_output_directory_that_cannot_be_written(
    tmp_path: Path, can_drop_root_powers: None
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        result = translate(SEEDS[0], "-o", locked, "--no-mt", preexec_fn=without_root_powers)
    finally:
        locked.chmod(0o755)
    result.expect(2, f"{locked}: files cannot be written", "Permission denied")
    assert list(locked.iterdir()) == []


def test_an_output_path_that_is_a_link_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    translate(SEEDS[0], "-o", loop, "--no-mt").expect(2, f"{loop}: the output directory is a ")


def test_an_input_directory_that_cannot_be_listed(
    tmp_path: Path, can_drop_root_powers: None
) -> None:
    pages = make_pages(tmp_path / "pages", 2)
    hidden = pages / "more"
    hidden.mkdir(mode=0o000)
    out = tmp_path / "out"
    try:
        result = translate(pages, "-o", out, "--no-mt", preexec_fn=without_root_powers)
    finally:
        hidden.chmod(0o755)
    result.expect(2, f"{hidden}: the directory cannot be listed", "Permission denied")
    assert not out.exists()  # nothing started


def test_link_loops_among_the_inputs(tmp_path: Path) -> None:
    pages = make_pages(tmp_path / "pages", 2)
    clean = tmp_path / "clean"
    translate(pages, "-o", clean, "--no-mt").expect(0)
    (pages / "again").symlink_to(pages)  # a loop through a directory link: not followed
    looped = tmp_path / "looped.txt"
    looped.symlink_to(looped)
    out = tmp_path / "out"
    result = translate(pages, looped, "-o", out, "--no-mt")
    result.expect(1, f"{looped}: a broken symbolic link (or a loop of links)")
    assert files(out) == files(clean)
