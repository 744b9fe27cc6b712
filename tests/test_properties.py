"""Property tests: parsing and splitting never raise and never lose or alter a character."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilingual.parse import parse_page
from bilingual.read import clean_text
from bilingual.split import split_sentences, to_segments

# Text built from the pieces that make pages hard: French and Vietnamese letters, sentence
# punctuation, guillemets, credits, dates, abbreviations, odd spaces and line breaks.
PIECES = st.sampled_from(
    ["M.", "Mme", "etc.", "O.N.U.", "J.-C.", "...", "…", "?", "!", "«", "»", "(Photo : A/VNA)",
     "(Ảnh: B/TTXVN)", "22/12/2023", "Source", "Comment (0)", "Français", "n°", "3.5", "14 h 30",
     "Quang cảnh", "Scène", "le", "Le", ".", ",", ";", ":", "\n", "\n\n", " ", "\u00a0", "\t", "'", '"']
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map(" ".join),
)


def non_space(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_parse_and_split_keep_every_character(text: str) -> None:
    segments = to_segments(parse_page(text))
    assert non_space("".join(s.text for s in segments)) == non_space(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_split_keeps_every_character(text: str) -> None:
    assert non_space("".join(split_sentences(text))) == non_space(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_decoding_arbitrary_bytes_never_raises_anything_but_input_error(data: bytes) -> None:
    from bilingual.errors import InputError
    from bilingual.read import decode

    try:
        text = decode(data, "fuzz.txt")
    except InputError as e:
        assert "fuzz.txt" in str(e)
    else:
        assert text.text.strip()


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs")), min_size=1, max_size=200
    )
)
def test_reading_utf8_keeps_every_visible_character(text: str) -> None:
    import unicodedata

    from bilingual.errors import InputError
    from bilingual.read import decode

    try:
        decoded = decode(text.encode("utf-8"), "fuzz.txt").text
    except InputError:
        assert not text.strip()
        return
    assert non_space(decoded) == non_space(unicodedata.normalize("NFC", text))
