"""The output directory, checked before a run starts: the user's path in every message.

Without this check, an output path that is a file, a symbolic-link loop or a read-only directory
is found only when the first file is written, and the message names a file of the run's own
(``OUTDIR/.bilingual-state/<hash>.json``) instead of the path the user gave.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ..errors import NO_SPACE, OutputError
from .atomic import output_error

__all__ = ["check_output_dir"]


def check_output_dir(outdir: Path) -> None:
    """Create ``outdir`` if needed and make sure files can be written in it.

    Raises:
        OutputError: ``outdir`` is a file, a symbolic-link loop, or a directory that cannot be
            created or written; the message names ``outdir`` and what to do.
        DiskFullError: there is no room left for a file in it.
    """
    if outdir.is_symlink() and not outdir.exists():
        problem = "a symbolic link to itself (a loop)" if _loops(outdir) else "a broken link"
        raise OutputError(f"{outdir}: the output directory is {problem}; give -o a directory")
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(
            f"{outdir}: is a file, not a directory; -o names the directory the corpus is "
            "written to: choose another path, or move the file away"
        )
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(
            f"{outdir}: the output directory cannot be created ({e.strerror or e}); "
            "choose another -o"
        ) from e
    try:
        with tempfile.TemporaryFile(dir=outdir, prefix=".bilingual-probe."):
            pass
    except OSError as e:
        if e.errno in NO_SPACE:
            raise output_error(outdir / ".bilingual-probe", e) from e
        raise OutputError(
            f"{outdir}: files cannot be written in the output directory ({e.strerror or e}); "
            "choose another -o, or make it writable"
        ) from e


def _loops(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as e:
        return e.errno == errno.ELOOP
    return False
