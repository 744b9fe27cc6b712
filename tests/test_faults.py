"""Faults a long corpus run survives, each driven through the real command in a subprocess.

A full disk (a real, small tmpfs where this process may mount one, and injected through the
writer's ``fsync``), real SIGTERM and SIGINT, a 1 MB line, many pages in flat memory, and output
and input paths that cannot work (the translation cache and models: ``test_faults_translation.py``).
Each test asserts the message, the exit code, that no traceback is printed, and that the files
are byte-identical to an uninterrupted run's (after ``--resume`` where the run stopped partway).

Running as root, permissions do not stop this process: the runs that need a permission to be
refused drop root's powers to ignore them (``CAP_DAC_OVERRIDE``, ``CAP_DAC_READ_SEARCH``).
"""

from __future__ import annotations

import json
import math
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bilingual.corpus import STATE_DIR
from conftest import SEEDS
from harness import (
    PAGE_BYTES,
    TRANSLATE,
    Tmpfs,
    disk_use,
    files,
    interrupt_after,
    leftovers,
    make_pages,
    short_pages,
    skip_unless_permissions_apply,
    translate,
    without_root_powers,
)

pytestmark = pytest.mark.slow  # each test runs the command in a subprocess, some kill it

# -- a full disk ----------------------------------------------------------------------------


def state_disk_use(pages: Path) -> int:
    """What the saved state of ``pages`` takes on disk (as the run saves it: one JSON each)."""
    from bilingual import Pipeline
    from bilingual.document import document_to_dict

    sizes = [
        len(json.dumps(document_to_dict(d), ensure_ascii=False).encode())
        for d in Pipeline.of().run([str(pages)])
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
    [
        (signal.SIGTERM, 143, "terminated by SIGTERM"),
        (signal.SIGINT, 130, "interrupted"),
        (signal.SIGHUP, 129, "terminated by SIGHUP"),
    ],
    ids=["SIGTERM", "SIGINT", "SIGHUP"],
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


@pytest.mark.parametrize("spaced", [True, False], ids=["words", "one word"])
def test_a_one_megabyte_line_takes_seconds(tmp_path: Path, spaced: bool) -> None:
    words = SEEDS[0].read_text("utf-8").split()
    text = " ".join(words) + " " if spaced else "".join(w for w in words if w.isalpha())
    page = tmp_path / "one-line.txt"
    page.write_text((text * (MEGABYTE // len(text) + 1))[:MEGABYTE] + "\n", "utf-8")
    started = time.monotonic()
    translate(page, "-o", tmp_path / "out", "--no-mt").expect(0)
    # Before the sample was bounded, one word this long took over ten minutes (the cost grew
    # with the square of the line); the run itself now takes about a second.
    assert time.monotonic() - started < 30
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


# -- paths that cannot work ------------------------------------------------------------------


def test_an_output_path_that_is_a_file(tmp_path: Path) -> None:
    existing = tmp_path / "existing_file"
    existing.write_text("mine\n")
    result = translate(SEEDS[0], "-o", existing, "--no-mt")
    result.expect(2, f"{existing}: is a file, not a directory")
    assert STATE_DIR not in result.stderr
    assert existing.read_text() == "mine\n"


def test_an_output_directory_that_cannot_be_written(tmp_path: Path) -> None:
    skip_unless_permissions_apply()
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


def test_an_input_directory_that_cannot_be_listed(tmp_path: Path) -> None:
    skip_unless_permissions_apply()
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
