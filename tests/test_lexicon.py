"""The word-translation table: trained by IBM Model 1, saved, loaded, and swapped for evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.align import Aligner
from bilingual.align.candidates import Candidate
from bilingual.align.lexicon import Lexicon, shipped_lexicon, stem, vietnamese_words
from bilingual.document import Segment
from bilingual.patterns import same_tones

# A toy bitext in which each Vietnamese syllable has one obvious French counterpart.
BITEXT = [
    ("le chat noir", "con mèo đen"),
    ("le chien noir", "con chó đen"),
    ("le chat blanc", "con mèo trắng"),
    ("le chien blanc", "con chó trắng"),
    ("un oiseau blanc", "một con chim trắng"),
    ("un oiseau noir", "một con chim đen"),
]


@pytest.fixture(scope="module")
def toy() -> Lexicon:
    return Lexicon.train(BITEXT, iterations=10)


@pytest.mark.parametrize(
    ("syllable", "french"), [("mèo", "chat"), ("chó", "chien"), ("đen", "noir"), ("chim", "oiseau")]
)
def test_training_finds_each_syllables_translation(
    toy: Lexicon, syllable: str, french: str
) -> None:
    assert stem(french) in toy.table[syllable]  # the table holds stems: "oisea" for "oiseau"


def test_a_syllable_in_every_sentence_carries_no_weight(toy: Lexicon) -> None:
    assert "con" not in toy.idf  # like "của" in news: explained by anything, evidence of nothing
    assert toy.idf["mèo"] > toy.idf["đen"] > 0  # rarer syllables weigh more


def test_agreement_is_the_idf_weighted_share_explained(toy: Lexicon) -> None:
    assert toy.agreement("con mèo đen", "le chat noir") == pytest.approx(1.0)
    assert toy.agreement("con mèo đen", "le chien blanc") == 0.0
    half = toy.agreement("con mèo đen", "le chat blanc")  # mèo explained, đen not
    assert half == pytest.approx(toy.idf["mèo"] / (toy.idf["mèo"] + toy.idf["đen"]))
    assert toy.agreement("Hà Nội", "le chat") is None  # no known syllable: no evidence


def test_the_likelihood_ratio_is_positive_for_a_translation_and_negative_for_other_words(
    toy: Lexicon,
) -> None:
    translation = toy.likelihood("con mèo đen", "le chat noir")
    other = toy.likelihood("con mèo đen", "le chien blanc")
    half = toy.likelihood("con mèo đen", "le chat blanc")
    assert translation is not None and other is not None and half is not None
    assert translation > 0 > other  # likelier than text on its own / less likely
    assert translation > half > other  # a syllable left unexplained costs
    assert toy.likelihood("Hà Nội", "le chat") is None  # no known syllable: no evidence


def test_the_french_likelihood_asks_whether_the_vietnamese_explains_the_french(
    toy: Lexicon,
) -> None:
    assert toy.french is not None  # trained both ways
    translation = toy.french_likelihood("con mèo đen", "le chat noir")
    other = toy.french_likelihood("con mèo đen", "le chien blanc")
    assert translation is not None and other is not None
    assert translation > 0 > other
    # French that holds the caption's words and more: the caption is well explained by it,
    # but most of it is not explained by the caption
    longer = "le chat noir un oiseau blanc"
    assert toy.likelihood("con mèo đen", longer) > 0  # type: ignore[operator]
    assert toy.french_likelihood("con mèo đen", longer) < translation  # type: ignore[operator]
    table_without_it = Lexicon(toy.idf, toy.table, toy.probabilities, toy.frequency)
    assert table_without_it.french_likelihood("con mèo đen", "le chat noir") is None


def test_save_and_load_round_trip(toy: Lexicon, tmp_path: Path) -> None:
    path = tmp_path / "lexicon.json"
    toy.save(path, "toy")
    assert Lexicon.load(path) == toy


def test_an_aligner_reads_the_table_it_is_given_and_the_default_is_the_shipped_one(
    toy: Lexicon,
) -> None:
    shipped = shipped_lexicon()
    assert shipped is not toy
    assert Aligner().lexicon is shipped
    vi = Segment(0, "caption", "con mèo đen", "vi", paragraph=0)
    fr = Segment(1, "caption", "le chien blanc", "fr", paragraph=1)
    (evidence,) = Aligner(lexicon=toy).evidence([Candidate(vi, (fr,), 1, True)])
    assert evidence.lexicon == 0.0  # the shipped table explains a fifth of it
    assert Aligner().lexicon is shipped  # no table leaks from one aligner to another


def test_the_shipped_table_covers_common_news_syllables() -> None:
    shipped = shipped_lexicon()
    for syllable, french in [("triệu", "millions"), ("mưa", "pluie"), ("tổng", "président")]:
        assert syllable in shipped.idf
        assert stem(french) in shipped.table[syllable], (syllable, sorted(shipped.table[syllable]))


@pytest.mark.parametrize(
    ("french", "explained"),
    [("elle a été observée", 1.0), ("ils observent", 1.0), ("elle a été vue", 0.0)],
)
def test_a_french_word_explains_a_syllable_in_any_form_sharing_its_stem(
    french: str, explained: float
) -> None:
    lexicon = Lexicon({"sát": 1.0}, {"sát": frozenset({"observer"})})
    assert lexicon.agreement("quan sát", french) == pytest.approx(explained)


def test_coverage_is_the_share_of_the_french_that_the_vietnamese_explains(toy: Lexicon) -> None:
    assert toy.coverage("con mèo đen", "le chat noir") == pytest.approx(1.0)
    assert toy.coverage("con mèo", "le chat noir") == pytest.approx(0.5, abs=0.2)
    assert toy.coverage("con mèo đen", "le chien blanc") == 0.0
    assert toy.coverage("con mèo đen", "Hanoï") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hòa bình", "hoà bình"),
        ("Đồ họa", "Đồ hoạ"),
        ("thủy điện", "thuỷ điện"),
        ("khỏe mạnh", "khoẻ mạnh"),
        # the tone already on the main vowel, or no glide: nothing moves
        ("hoàn thành của mùa quý người thuở", "hoàn thành của mùa quý người thuở"),
    ],
)
def test_the_tone_of_a_glide_syllable_has_one_place(text: str, expected: str) -> None:
    assert same_tones(text) == expected
    assert same_tones(expected) == expected


def test_both_tone_placements_are_one_syllable_to_the_table() -> None:
    lexicon = Lexicon.train([("la paix", "hòa bình"), ("la paix", "hoà bình"), ("le chat", "mèo")])
    assert vietnamese_words("Hòa bình") == vietnamese_words("hoà bình") == ["hoà", "bình"]
    assert "hòa" not in lexicon.idf  # one entry, trained on both spellings
    assert lexicon.agreement("hòa bình", "la paix") == lexicon.agreement("hoà bình", "la paix")
