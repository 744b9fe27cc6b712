"""The ``translate`` command in a subprocess, and the faults the tests put it through.

Used by ``test_faults.py`` and ``test_faults_translation.py``: run the command (optionally with a
full disk injected into the writer), read its corpus files, mount a small tmpfs, interrupt a run
once it has saved some documents, and, running as root, obey file permissions as a user does.
"""

from __future__ import annotations

import ctypes
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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
    """How a run of the command ended: its exit code and what it said on stderr."""

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
    """The corpus files of a run (``run.json`` has times and counts of its own, and
    ``report.html`` shows them)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(outdir.iterdir())
        if p.is_file() and p.name not in ("run.json", "report.html")
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


def skip_unless_permissions_apply() -> None:
    """Skip when running as root without the right to drop the powers that override them."""
    if os.geteuid() != 0:
        return
    probe = subprocess.run(["true"], preexec_fn=without_root_powers, check=False)
    if probe.returncode != 0:
        pytest.skip("running as root without the right to drop capabilities")


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
