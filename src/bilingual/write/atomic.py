"""Atomic output files: written under a temporary name, renamed into place when complete.

An interrupted run therefore leaves every previous output whole: a reader sees the old file or the
new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO

from ..errors import OutputError

__all__ = ["AtomicFile", "AtomicPath", "write_atomic"]


class AtomicFile:
    """A text file that appears at ``path`` only when :meth:`commit` is called."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as e:
            raise OutputError(f"{path}: cannot write ({e.strerror or e})") from e
        self._tmp = Path(tmp)
        self.file: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self.file.write(text)

    def commit(self) -> None:
        """Flush to disk and move the file into place."""
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            _place(self._tmp, self.path)
        except OSError as e:
            self.abort()
            raise OutputError(f"{self.path}: cannot write ({e.strerror or e})") from e

    def abort(self) -> None:
        """Drop the temporary file; the previous ``path``, if any, is untouched."""
        if not self.file.closed:
            self.file.close()
        self._tmp.unlink(missing_ok=True)


class AtomicPath:
    """A file that another library writes by name (pyarrow's Parquet writer), under
    :attr:`temporary`, and that appears at ``path`` only when :meth:`commit` is called."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as e:
            raise OutputError(f"{path}: cannot write ({e.strerror or e})") from e
        os.close(fd)
        self.temporary = Path(tmp)

    def commit(self) -> None:
        """Move the written file into place (its writer must have closed it)."""
        try:
            fd = os.open(self.temporary, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            _place(self.temporary, self.path)
        except OSError as e:
            self.abort()
            raise OutputError(f"{self.path}: cannot write ({e.strerror or e})") from e

    def abort(self) -> None:
        """Drop the temporary file; the previous ``path``, if any, is untouched."""
        self.temporary.unlink(missing_ok=True)


def _place(tmp: Path, path: Path) -> None:
    # mkstemp creates 0600 files; outputs get the permissions a plain open() would give.
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write a whole text file atomically."""
    out = AtomicFile(path)
    out.write(text)
    out.commit()
