"""Reading inputs: encodings, normalisation, and clear errors."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bilingual import InputError, read_text

TEXT = "Scène de la réunion matinale du 22 décembre.\nQuang cảnh phiên họp sáng 22/12.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (
            ("Scène de la réunion. Le Comité a déclaré à l'étranger : « Très bien ».\n" * 5).encode(
                "cp1252"
            ),
            None,
        ),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-no-bom", "cp1252"],
)
def test_encodings_are_detected(tmp_path: Path, data: bytes, encoding: str | None) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    text = read_text(str(path))
    assert text.text.startswith("Scène de la réunion")
    if encoding is not None:
        assert text.encoding == encoding
        assert text.text == TEXT


def test_nfc_crlf_and_invisible_characters(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Scène\u200b de la réunion\r\nĐăng\x07\r")
    path = tmp_path / "doc.txt"
    path.write_bytes(decomposed.encode("utf-8"))
    assert read_text(str(path)).text == "Scène de la réunion\nĐăng\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_bytes(b" \n\n "), "empty"),
        (
            lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
            "binary",
        ),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: None, "no such file"),
    ],
    ids=["empty", "blank", "binary", "directory", "missing"],
)
def test_bad_inputs_name_the_file_and_the_problem(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.txt"
    make(path)
    with pytest.raises(InputError, match=message) as e:
        read_text(str(path))
    assert str(path) in str(e.value)
