"""Each alignment signal on its own, table-driven."""

from __future__ import annotations

import pytest

from bilingual.align.lexicon import shipped_lexicon
from bilingual.align.signals import (
    credit_agreement,
    credit_missing,
    fold,
    length_agreement,
    lexical_agreement,
    mt_chrf,
    name_agreement,
    number_agreement,
    numbers,
)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Quang cảnh phiên họp sáng 22/12.", {"22.12"}),
        ("Scène de la réunion matinale du 22 décembre.", {"22.12"}),
        ("ngày 24/10/2023", {"24.10.2023"}),
        ("datées du 24 octobre 2023", {"24.10.2023"}),
        ("le 1er mai", {"1.5"}),
        ("le 12 janv. 2020", {"12.1.2020"}),
        ("ngày 5 tháng 3 năm 2024", {"5.3.2024"}),
        ("Nghị quyết 25-NQ/TW và Kết luận 43- KL/TW", {"25-NQ/TW", "43-KL/TW"}),
        ("plus de 11 000 membres", {"11000"}),
        ("hơn 11.000 thành viên", {"11000"}),
        ("6,5 %", {"6.5"}),
        ("la période 2021-2026", {"2021", "2026"}),
        ("aucun chiffre", set()),
    ],
)
def test_numbers(text: str, tokens: set[str]) -> None:
    assert set(numbers(text)) == tokens


@pytest.mark.parametrize(
    ("vi", "fr", "expected"),
    [
        ("Quang cảnh phiên họp sáng 22/12.", "Scène de la réunion matinale du 22 décembre.", 1.0),
        ("ngày 24/10/2023", "le 24 octobre 2023", 1.0),
        ("ngày 24/10/2023", "le 25 octobre 2023", 0.0),
        ("Nghị quyết 25-NQ/TW", "la résolution 25-NQ/TW", 1.0),
        ("hơn 600 tổ chức", "près de 600 organisations et 11 000 membres", 2 / 3),
        ("không có số", "sans chiffre", None),
        ("năm 2019", "sans chiffre", 0.0),
    ],
)
def test_number_agreement(vi: str, fr: str, expected: float | None) -> None:
    got = number_agreement(vi, fr)
    assert got is None if expected is None else got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("vi", "fr", "expected"),
    [
        ("Ông An Đăng (Ảnh: TTXVN)", "M. An Dang (Photo : VNA)", 1.0),
        # a credit's names are the credit's signal, not this one
        ("Ảnh: Báo Nhân Dân", "Photo : Journal du Peuple", None),
        # a name the French writes as one word
        ("Thủ đô Hà Nội và Việt Nam", "La capitale Hanoï et le Vietnam", 1.0),
        ("Bộ trưởng Bùi Thanh Sơn phát biểu", "Le ministre Bui Thanh Son prend la parole", 1.0),
        ("Chủ tịch Hồ Chí Minh", "le président Hô Chi Minh", 1.0),
        ("Ông Nguyễn Văn A", "M. Tran Van B", 1 / 3),
        ("không có tên riêng", "aucun nom", None),
        # a sentence's first word is capitalised whatever it is: not a name
        (
            "Ông An Đăng phát biểu. Sau đó, ông rời đi.",
            "M. An Dang a parlé, puis il est parti.",
            1.0,
        ),
        ('Ông An nói: "Tôi đồng ý."', "M. An a dit : « Je suis d’accord. »", 1.0),
        ("Hôm nay. « Quốc hội họp »", "Aujourd’hui. « L’Assemblée se réunit »", None),
        # the French credit's names are not the caption's: Thủ tướng is no Thu Hang
        ("bao gồm cả Thủ tướng Zaev", "raconte M. Adams. (Photo : Thu Hang/VNA)", 0.0),
        # an acronym in French order
        ("gia nhập EU và NATO", "rejoindre l’UE et l’OTAN", 1.0),
        ("ở Lan", "à NAL", 0.0),  # a name is no acronym
    ],
)
def test_name_agreement(vi: str, fr: str, expected: float | None) -> None:
    got = name_agreement(vi, fr)
    assert got is None if expected is None else got == pytest.approx(expected)


def test_fold() -> None:
    assert fold("An Đăng Hồ Chí Minh Scène") == "an dang ho chi minh scene"


@pytest.mark.parametrize(
    ("vi", "fr", "expected"),
    [
        ("Sáng 22/12. (Ảnh: An Đăng/TTXVN)", "Le 22 décembre. (Photo : An Dang/VNA)", 1.0),
        # two agencies: two sources
        ("Sáng 22/12. (Ảnh: TTXVN)", "Le 22 décembre. (Photo : Reuters)", 0.0),
        # one text credits nothing: credit_missing says so, this has nothing to compare
        ("Sáng 22/12. (Ảnh: An Đăng/TTXVN)", "Le 22 décembre.", None),
        ("Sáng 22/12.", "Le 22 décembre.", None),
        ("Sáng 22/12. (Ảnh: An Đăng/TTXVN)", "Le 22 décembre. Photo : An Dang/VNA", 1.0),
        ("Cảnh quay. (Video: TTXVN)", "Une scène. Vidéo : VNA", 1.0),
        ("Sáng 22/12. (Ảnh: TTXVN)", "Le titre de la photo : un soir à Hanoï", None),
        # another medium or other people: the credit of another picture
        ("Số liệu. (Đồ họa: TTXVN)", "Les chiffres. (Photo : Minh Duc/VNA)", 0.0),
        ("Số liệu. (Đồ họa: TTXVN)", "Les chiffres. (Infographie : VNA)", 1.0),
        ("Số liệu. (Đồ hoạ: TTXVN)", "Les chiffres. (Infographie : VNA)", 1.0),
        ("Sáng 22/12. (Ảnh: An Đăng/TTXVN)", "Le 22 décembre. (Photo : Minh Duc/VNA)", 0.0),
        ("Sáng 22/12. (Ảnh: An Đăng/TTXVN)", "Le 22 décembre. (Photo : Minh Duc)", 0.0),
        # the photographer dropped on one side: nothing against, the agency for
        ("Sáng 22/12. (Ảnh: An Đăng/TTXVN)", "Le 22 décembre. (Photo : VNA)", 1.0),
        # a publication's name translated, abbreviated or dropped on one side: no evidence
        (
            "Sáng. (Ảnh: Minh Đức/Báo Nhân Dân)",
            "Le matin. (Photo : Minh Duc/Journal du Peuple)",
            1.0,
        ),
        ("Sáng. (Ảnh: Minh Đức/Báo Nhân Dân)", "Le matin. (Photo : Minh Duc/Nhan Dan)", 1.0),
        ("Sáng. (Ảnh: Minh Đức/Báo Nhân Dân)", "Le matin. (Photo : Minh Duc/ND)", 1.0),
        ("Sáng. (Ảnh: Minh Đức/Báo Nhân Dân)", "Le matin. (Photo : Minh Duc)", 1.0),
        ("Sáng. (Ảnh: Cổng TTĐT Chính phủ)", "Le matin. (Photo : Portail du gouvernement)", 0.5),
        (
            "Sáng. (Ảnh: Bộ Ngoại giao)",
            "Le matin. (Photo : ministère des Affaires étrangères)",
            0.5,
        ),
        ("Sáng. (Ảnh: Báo Nhân Dân)", "Le matin. (Photo : Journal du Peuple/VNA)", 0.5),
        # the site's spellings of one credit
        ("Sáng. (Ảnh: An Đăng/TTXVN)", "Le matin. (PHOTO: An Dang/AVI)", 1.0),
        ("Sáng. (Ảnh : An Đăng/TTXVN)", "Le matin. (Photo\u00a0: An Dang/VNA)", 1.0),
        ("Sáng. - Ảnh: An Đăng/TTXVN", "Le matin. – Photo : An Dang/VNA", 1.0),
        (
            "Sáng. (Ảnh: An Đăng/TTXVN)".replace("Đăng", "Đa\u0306\u0300ng"),
            "Le matin. (Photo : An Dang/VNA)",
            1.0,
        ),
    ],
)
def test_credit_agreement(vi: str, fr: str, expected: float | None) -> None:
    assert credit_agreement(vi, fr) == expected


@pytest.mark.parametrize(
    ("vi", "fr", "expected"),
    [
        ("Sáng 22/12. (Ảnh: An Đăng/TTXVN)", "Le 22 décembre.", 1.0),
        ("Sáng 22/12.", "Le 22 décembre. (Photo : VNA)", 1.0),
        ("Sáng 22/12. (Ảnh: An Đăng/TTXVN)", "Le 22 décembre. (Photo : Portail)", 0.0),
        ("Sáng 22/12.", "Le 22 décembre.", 0.0),
    ],
)
def test_credit_missing(vi: str, fr: str, expected: float) -> None:
    assert credit_missing(vi, fr) == expected


def test_length_agreement_prefers_comparable_lengths() -> None:
    vi = "Quang cảnh phiên họp sáng 22/12."
    assert length_agreement(vi, "Scène de la réunion matinale du 22 décembre.") > 0.3
    assert length_agreement(vi, "Scène. " * 40) < 0.01
    assert 0.0 <= length_agreement("", "") <= 1.0


def test_mt_chrf_orders_candidates() -> None:
    reference = "Quang cảnh phiên họp sáng 22/12."
    assert mt_chrf("Quang cảnh phiên họp sáng ngày 22/12.", reference) > mt_chrf(
        "Toàn cảnh lễ hội.", reference
    )
    assert mt_chrf(reference, reference) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("vi", "translation", "unrelated"),
    [
        (
            "Sáu triệu người cần hỗ trợ nhân đạo.",
            "Six millions de personnes ont besoin d'une aide humanitaire.",
            "Le festival propose des concerts de musique traditionnelle.",
        ),
        (
            "Mưa lớn gây lũ quét ở châu Âu.",
            "De fortes pluies provoquent des crues soudaines en Europe.",
            "Le président a rencontré les journalistes hier.",
        ),
        (
            "Toàn cảnh lễ hội năm nay.",
            "Vue d'ensemble du festival de cette année.",
            "Le ministre a pris la parole.",
        ),
    ],
)
def test_lexical_agreement_tells_a_translation_from_a_sentence_on_another_subject(
    vi: str, translation: str, unrelated: str
) -> None:
    lexicon = shipped_lexicon()
    good = lexical_agreement(vi, translation, lexicon)
    bad = lexical_agreement(vi, unrelated, lexicon)
    assert good is not None and bad is not None
    assert good >= 0.25 and bad <= 0.05


@pytest.mark.parametrize("vi", ["", "123 456", "Zyxw Qvbn"])
def test_lexical_agreement_has_nothing_to_say_without_known_syllables(vi: str) -> None:
    assert lexical_agreement(vi, "Six millions de personnes.", shipped_lexicon()) is None
