"""Atomic output files: written under a temporary name, renamed into place when complete.

An interrupted run therefore leaves every previous output whole: a reader sees the old file or the
new one, never half of one.  Whatever stops a write (a full disk, a signal, an error), the
temporary file is removed; a full disk or quota is a :class:`~bilingual.errors.DiskFullError`
naming the directory, every other failure an :class:`~bilingual.errors.OutputError`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO

from ..errors import NO_SPACE, DiskFullError, OutputError

__all__ = ["AtomicFile", "AtomicPath", "output_error", "write_atomic"]


def output_error(path: Path, error: OSError) -> OutputError:
    """The error to raise for ``error`` while writing ``path``: a :class:`DiskFullError`
    saying where space is needed, or an :class:`OutputError` with the system's reason."""
    if error.errno in NO_SPACE:
        return DiskFullError(
            f"{path.parent}: no space left on the device (or over quota) while writing "
            f"{path.name}; free some space"
        )
    return OutputError(f"{path}: cannot write ({error.strerror or error})")


class AtomicPath:
    """A file that appears at ``path`` only when it is published; until then it is written
    under :attr:`temporary` (by name, as pyarrow's Parquet writer does, or by
    :class:`AtomicFile`).

    Publishing is two steps, so that many files can appear together: :meth:`finish` puts the
    file on disk (where a full disk shows), :meth:`publish` renames it into place (which needs
    no space); :meth:`commit` does both.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as e:
            raise output_error(path, e) from e
        os.close(fd)
        self.temporary = Path(tmp)

    def finish(self) -> None:
        """Put the whole file on disk under the temporary name (its writer is done with it)."""
        try:
            self._sync()
            # mkstemp creates 0600 files; outputs get the permissions a plain open() would give.
            os.chmod(self.temporary, 0o666 & ~_umask())
        except OSError as e:
            self.abort()
            raise output_error(self.path, e) from e

    def publish(self) -> None:
        """Move the finished file into place."""
        try:
            os.replace(self.temporary, self.path)
        except OSError as e:
            self.abort()
            raise output_error(self.path, e) from e

    def commit(self) -> None:
        """Put the file on disk and move it into place."""
        self.finish()
        self.publish()

    def abort(self) -> None:
        """Drop the temporary file; the previous ``path``, if any, is untouched."""
        self.temporary.unlink(missing_ok=True)

    def _sync(self) -> None:
        fd = os.open(self.temporary, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class AtomicFile(AtomicPath):
    """A text file that appears at ``path`` only when :meth:`commit` is called (or
    :meth:`finish` then :meth:`publish`, see :class:`AtomicPath`)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        try:  # closed by finish or abort
            self.file: IO[str] = open(self.temporary, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        except BaseException:
            self.temporary.unlink(missing_ok=True)
            raise

    def write(self, text: str) -> None:
        try:
            self.file.write(text)
        except OSError as e:  # the buffer reached the disk, and the disk was full
            self.abort()
            raise output_error(self.path, e) from e

    def abort(self) -> None:
        if not self.file.closed:
            # The close flushes what is left, maybe into a full disk: dropped anyway.
            with contextlib.suppress(OSError):
                self.file.close()
        super().abort()

    def _sync(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write a whole text file atomically; on any failure or interrupt, no file is left."""
    out = AtomicFile(path)
    try:
        out.write(text)
        out.commit()
    except BaseException:
        out.abort()
        raise
