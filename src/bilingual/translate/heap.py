"""Keeping the process's memory flat over long runs (glibc only).

glibc raises its mmap threshold each time a large block is freed, up to 32 MB; afterwards the
tensors of every batch (activations, logits of 59k columns) come from the heap, where their ever
changing sizes fragment it, and the resident size grows with the corpus (measured: +30% over 2,000
sentences).  A fixed 4 MB threshold sends large tensors to mmap, which returns them to the system
when freed: memory stays flat, at no measurable cost in speed (128 KB, by contrast, is 60% slower).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from functools import lru_cache

__all__ = ["MMAP_THRESHOLD", "fix_mmap_threshold"]

MMAP_THRESHOLD = 4 * 1024 * 1024
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number


@lru_cache(maxsize=1)
def fix_mmap_threshold() -> bool:
    """Set glibc's mmap threshold once per process; ``False`` where it does not apply.

    A threshold the user set (``MALLOC_MMAP_THRESHOLD_``) is left alone.
    """
    if not sys.platform.startswith("linux") or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
