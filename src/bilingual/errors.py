"""The exceptions bilingual raises.

Every error derives from :class:`BilingualError` and from the built-in exception a caller would
naturally catch, so ``except ValueError`` keeps working for bad input.  Messages name the file or
model concerned, what was wrong and how to fix it.
"""

from __future__ import annotations

import errno

__all__ = [
    "NO_SPACE",
    "BilingualError",
    "ConfigError",
    "DiskFullError",
    "EmptyInputError",
    "InputError",
    "ModelError",
    "OutputError",
]


class BilingualError(Exception):
    """Root of every error raised by bilingual."""


class InputError(BilingualError, ValueError):
    """An input document cannot be read or is not text."""


class EmptyInputError(InputError):
    """An input that was read and holds no text (nothing, or only invisible characters)."""


class ModelError(BilingualError, OSError):
    """A translation model cannot be found, loaded or run."""


class OutputError(BilingualError, OSError):
    """An output file cannot be written."""


# The errors of a full disk and of an exhausted quota: the user frees space and resumes.
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


class DiskFullError(OutputError):
    """The disk (or the user's quota) filled up while a file was written: the run stopped
    partway, with what it finished kept, and can be resumed once there is space."""


class ConfigError(BilingualError, ValueError):
    """Settings that cannot work together (an unknown device, int8 on a GPU, …)."""
