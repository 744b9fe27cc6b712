"""Cutting a sentence too long for the model: clause breaks first, nothing dropped."""

from __future__ import annotations

import pytest

from bilingual.translate.clauses import cut_to_fit


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("un deux trois", 3, ["un deux trois"]),  # fits: itself
        ("Un deux. Trois quatre.", 2, ["Un deux.", "Trois quatre."]),  # sentence punctuation
        ("un, deux, trois", 2, ["un, deux,", "trois"]),  # commas when clauses are too long
        ("a; b c d e", 2, ["a;", "b c", "d e"]),  # then any space
    ],
)
def test_cuts_at_the_best_break(text: str, limit: int, expected: list[str]) -> None:
    assert cut_to_fit(text, words, limit) == expected


def test_a_text_without_breaks_is_cut_into_character_runs() -> None:
    word = "anticonstitutionnellement" * 10
    pieces = cut_to_fit(word, len, 40)
    assert "".join(pieces) == word
    assert all(len(p) <= 40 for p in pieces)
