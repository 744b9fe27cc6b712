"""Test sets kept out of the corpus: sentences no corpus row may contain (OpusFilter's ``overlap``,
mtdata's ``drop_tests``).

A user who evaluates on FLORES or NTREX passes its files (plain text, one sentence per line, in
any language of the corpus); every machine-translated segment and caption pair whose French or
target side matches one of their lines, after :func:`~bilingual.write.dedupe.normalize`, is
left out of the corpus files.  Only a hash of each line is kept.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from typing import Any

from ..errors import ConfigError, InputError
from ..read import read_text
from .dedupe import normalize

__all__ = ["Exclusion"]


class Exclusion:
    """The normalised sentences of the test sets to keep out.

    Args:
        lines: the sentences (empty ones, and ones with nothing but punctuation, match nothing).
        files: what they were read from, for provenance (see :meth:`about`).

    Example:
        >>> keep_out = Exclusion(["Le chat dort."])
        >>> keep_out.matches("le chat  dort"), keep_out.matches("Le chien dort.")
        (True, False)
    """

    def __init__(
        self, lines: Iterable[str] = (), files: list[dict[str, Any]] | None = None
    ) -> None:
        self._keys = {_key(n) for n in (normalize(line) for line in lines) if n}
        self.files = files or []

    @classmethod
    def load(cls, paths: Iterable[str | os.PathLike[str]]) -> Exclusion:
        """The sentences of the files at ``paths`` (any encoding, one sentence per line).

        Raises:
            ConfigError: a file that is missing, unreadable, binary or empty (named).
        """
        lines: list[str] = []
        files: list[dict[str, Any]] = []
        for path in paths:
            try:
                text = read_text(os.fspath(path)).text
            except InputError as e:
                raise ConfigError(f"--exclude: {e}") from e
            found = text.splitlines()
            lines.extend(found)
            digest = hashlib.sha256(text.encode()).hexdigest()
            files.append({"file": os.fspath(path), "lines": len(found), "sha256": digest})
        return cls(lines, files)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def matches(self, text: str) -> bool:
        """Whether ``text`` is, normalised, one of the sentences kept out."""
        return bool(self._keys) and _key(normalize(text)) in self._keys

    def about(self) -> list[dict[str, Any]]:
        """Each file read: its path, its number of lines and the SHA-256 of its text."""
        return [dict(f) for f in self.files]


def _key(normalized: str) -> bytes:
    return hashlib.blake2b(normalized.encode(), digest_size=8).digest()
