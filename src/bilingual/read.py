"""Input files to clean text: encoding detection, NFC, line endings, invisible characters.

No NLP happens here.  Every problem becomes an :class:`~bilingual.errors.InputError` that names
the file, so the pipeline can report it and carry on with the other documents.
"""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import EmptyInputError, InputError

__all__ = ["STDIN", "Text", "clean_text", "decode", "read_text"]

STDIN = "-"
# Zero-width and direction marks that scraped pages carry and that no language here needs.
_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u2060-\u2064\ufeff\u00ad\u180e]")
# C0/C1 controls except tab and newline (which are structure).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LIKELY_ENCODINGS = ("cp1252", "iso8859_15", "cp1258", "mac_roman", "cp850")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Text:
    """Decoded, normalised text of one input and the encoding it was read in."""

    text: str
    encoding: str


def read_text(path: str) -> Text:
    """Read one input (a file path, or ``-`` for standard input) as clean text.

    Args:
        path: the file to read, or ``"-"`` for standard input.

    Returns:
        The NFC-normalised text with ``\\n`` line ends and the encoding it was decoded from.

    Raises:
        InputError: the path is missing, a directory, unreadable, binary or empty.

    Example:
        >>> read_text("seeds/000_9c870309ebbbcf83.txt").encoding
        'utf-8'
    """
    data = sys.stdin.buffer.read() if path == STDIN else _read_bytes(Path(path))
    return decode(data, path)


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        if path.is_symlink():
            raise InputError(f"{path}: a broken symbolic link (or a loop of links), not a file")
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(
            f"{path}: is a directory; pass the directory itself to read its *.txt files"
        )
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or e})") from e


def decode(data: bytes, name: str) -> Text:
    """Decode bytes (a BOM, then UTF-8, then detection) and clean the result.

    Raises:
        InputError: the bytes are empty (or only invisible characters), binary, or in no
            encoding that can be detected.
    """
    text = _decode(data, name)
    if not text.text.strip():
        raise EmptyInputError(f"{name}: the file is empty")
    return text


def _decode(data: bytes, name: str) -> Text:
    if not data.strip():
        raise EmptyInputError(f"{name}: the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Text(clean_text(data.decode(encoding, errors="replace")), encoding)
    if b"\x00" in data[:8192]:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise InputError(f"{name}: binary data (NUL bytes), not a text file")
        return utf16
    try:
        return Text(clean_text(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data, name)


def _bomless_utf16(data: bytes) -> Text | None:
    """UTF-16 without a byte-order mark: Latin text then has a NUL in every other byte."""
    head = data[:8192]
    for encoding, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) >= 0.6 * len(zeros):
            try:
                return Text(clean_text(data.decode(encoding)), encoding)
            except UnicodeDecodeError:
                return None
    return None


def _detect(data: bytes, name: str) -> Text:
    from charset_normalizer import from_bytes

    # French and Vietnamese pages come in few legacy encodings; among all of them a short Latin
    # text is often "detected" as Baltic or Central European.  Try the likely ones first.
    best = from_bytes(data, cp_isolation=list(LIKELY_ENCODINGS)).best() or from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: not text in any encoding that could be detected (binary file?)")
    return Text(clean_text(str(best)), best.encoding)


def clean_text(text: str) -> str:
    """NFC-normalise, unify line ends and drop invisible and control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    return unicodedata.normalize("NFC", text)
