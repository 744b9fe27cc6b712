"""When two corpus rows are the same: the normalisation rule, and the rows already written.

A news site repeats itself (standard phrasings, recurring reports, an article published twice), so
the corpus files would repeat its sentences as often.  Like every corpus pipeline of the field
(Bitextor's Bifixer, OpusFilter's ``remove_duplicates``, mtdata's ``drop_dupes``), bilingual writes
each row once: a machine-translated row when its French was already written, a caption pair when
its French and its Vietnamese both were (see :mod:`bilingual.write.select`), in one of three
modes:

* ``exact``: the same texts as written (:func:`~bilingual.write.records.row_text`; the default,
  as OpusFilter and mtdata do it: nothing is removed that a reader could tell apart, and no file
  holds a row twice);
* ``normalized``: the same after :func:`normalize` (Bifixer's aggressive mode): case, punctuation,
  spacing and accents folded;
* ``none``: every row is written.

Only a small hash of each row is kept, so memory grows by a few dozen bytes per distinct row.
"""

from __future__ import annotations

import hashlib
import unicodedata

from ..errors import ConfigError
from .records import row_text

__all__ = ["DEDUPE_MODES", "DEFAULT_DEDUPE", "Seen", "check_dedupe", "normalize"]

DEDUPE_MODES = ("exact", "normalized", "none")
DEFAULT_DEDUPE = "exact"

# Letters Unicode does not decompose into a base letter and an accent, folded by hand: French
# writes "œuvre" and "oeuvre", Vietnamese "đ" is a "d" with a stroke.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "đ": "d", "ð": "d", "ø": "o", "ł": "l"})


def normalize(text: str) -> str:
    """``text`` with case, punctuation, spacing and accents folded: the one rule by which
    near-duplicates are found and test-set sentences matched.

    Punctuation and symbols become spaces, so "l'État" and "l’ État" match; digits are kept, so
    two reports that differ only by a figure do not.  Vietnamese tones are accents too: two
    whole sentences that differ only by tones are rare, and then one is usually a misspelling.

    Example:
        >>> normalize("  L’Œuvre  du Parti, déjà ! ")
        'l oeuvre du parti deja'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LIGATURES)
    spaced = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in letters)
    return " ".join(spaced.split())


def check_dedupe(mode: str) -> str:
    """``mode`` if it is one of :data:`DEDUPE_MODES`.

    Raises:
        ConfigError: any other value.
    """
    if mode not in DEDUPE_MODES:
        raise ConfigError(f"dedupe must be one of {', '.join(DEDUPE_MODES)}, not {mode!r}")
    return mode


class Seen:
    """The rows already written, in ``mode``, to one or more files that share their keys (the
    machine-translation files and the TMX all key a row on its French): one table for all of
    them, a bit per file.

    Args:
        mode: one of :data:`DEDUPE_MODES`.
        files: how many files share the table (numbered from 0).

    Example:
        >>> seen = Seen("normalized")
        >>> seen.first(seen.key(("Bonjour !", "Hello!")), 7)
        >>> seen.first(seen.key(("bonjour", "hello")), 9)
        7
    """

    def __init__(self, mode: str, files: int = 1) -> None:
        self.mode = check_dedupe(mode)
        self.files = files
        self._seen: dict[int, int] = {}  # key -> where it was first seen, and a bit per file

    def key(self, sides: tuple[str, ...]) -> int | None:
        """What identifies a row with these ``sides`` (``None`` with mode ``none``: every row is
        new)."""
        if self.mode == "none":
            return None
        texts = tuple(row_text(s) if self.mode == "exact" else normalize(s) for s in sides)
        # 8 bytes of BLAKE2: among 10^6 distinct rows, the chance of any false match is 3e-8.
        digest = hashlib.blake2b("\0".join(texts).encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big")

    def first(self, key: int | None, where: int, file: int = 0) -> int | None:
        """Where the row ``key`` identifies was first seen (in any of the files), when ``file``
        already has it; ``None`` when it is new to ``file``, which then has it.

        Args:
            key: from :meth:`key`.
            where: where this row is (a number ``>= 0``).
            file: which file is asked about.
        """
        if key is None:
            return None
        bit = 1 << file
        entry = self._seen.get(key)
        if entry is None:
            self._seen[key] = where << self.files | bit
            return None
        if entry & bit:
            return entry >> self.files
        self._seen[key] = entry | bit
        return None
