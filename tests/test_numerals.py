"""Number tokens read in each language: the values a translation keeps, whatever their spelling."""

from __future__ import annotations

import unicodedata

import pytest

from bilingual.align.numerals import numbers
from bilingual.align.signals import number_agreement


@pytest.mark.parametrize(
    ("text", "lang", "tokens"),
    [
        # Numerals in words, read as the figures they are.
        ("Hai mươi phần trăm học sinh", "vi", {"20"}),
        ("20 % des élèves", "fr", {"20"}),
        ("20 pour cent des élèves", "fr", {"20"}),
        ("âgée d’une quarantaine d’années", "fr", {"40"}),
        ("Plus d’un millier de morts et des dizaines de milliers de déplacés", "fr",
         {"1000", "10000"}),
        ("Hơn 1,000 người thiệt mạng và hàng chục ngàn người", "vi", {"1000", "10000"}),
        ("des centaines de magasins", "fr", {"100"}),
        ("hàng trăm cửa hàng", "vi", {"100"}),
        ("par quatre maillots", "fr", {"4"}),
        ("quatre-vingt-dix-neuf", "fr", {"99"}),
        ("vingt et un", "fr", {"21"}),
        ("dix-neuf", "fr", {"19"}),
        ("hai mươi mốt", "vi", {"21"}),
        ("mười chín", "vi", {"19"}),
        ("deux millions trois cent mille", "fr", {"2300000"}),
        ("hai triệu ba trăm nghìn", "vi", {"2300000"}),
        # A figure and its multiplier are one number.
        ("1,5 triệu", "vi", {"1500000"}),
        ("1,5 million", "fr", {"1500000"}),
        ("20 nghìn", "vi", {"20000"}),
        ("20 000", "fr", {"20000"}),
        # Months without their day.
        ("Vào tháng 6, Ủy ban", "vi", {"m6"}),
        ("Au mois de juin, la Commission", "fr", {"m6"}),
        ("tháng 12 năm 2023", "vi", {"m12", "2023"}),
        ("en décembre 2023", "fr", {"m12", "2023"}),
        ("tháng Mười Hai", "vi", {"m12"}),
        ("ngày 22 tháng 12", "vi", {"22.12"}),
        ("3 tháng", "vi", {"3"}),  # three months, not March
        # Words that are numbers only sometimes.
        ("un homme", "fr", set()),
        ("tout neuf", "fr", set()),
        ("sept ans", "fr", {"7"}),
        ("le 12 sept. 2020", "fr", {"12.9.2020"}),
        ("năm 2023", "vi", {"2023"}),
        ("mười năm", "vi", {"10"}),  # ten years
        ("hai mươi năm", "vi", {"20"}),
        ("một trăm", "vi", {"100"}),
        ("một số quầy", "vi", set()),
        ("thứ hai", "vi", {"2"}),  # Monday, or second: "lundi" and "deuxième" read 2 too
        ("đầu tư", "vi", set()),  # to invest
        ("không có", "vi", set()),  # not
        ("Ba Lan", "vi", set()),  # Poland
        ("ba người", "vi", {"3"}),
        # Without a language, figures only, as before.
        ("hai người và 3 ngày", None, {"3"}),
    ],
)  # fmt: skip
def test_numbers_in_words(text: str, lang: str | None, tokens: set[str]) -> None:
    assert set(numbers(text, lang)) == tokens


@pytest.mark.parametrize(
    ("vi", "fr", "expected"),
    [
        ("Vào tháng 6, Ủy ban đã công bố", "Au mois de juin, la Commission a publié", 1.0),
        ("Hai mươi phần trăm học sinh", "20 % des élèves", 1.0),
        ("khoảng 40 tuổi", "une quarantaine d’années", 1.0),
        ("bởi 4 cầu thủ", "par quatre maillots", 1.0),
        ("bởi 4 cầu thủ", "par cinq maillots", 0.0),
        ("vào tháng 6", "en juillet", 0.0),
        ("hai người", "sans chiffre", 0.0),
    ],
)
def test_number_agreement_across_spellings(vi: str, fr: str, expected: float) -> None:
    assert number_agreement(vi, fr) == pytest.approx(expected)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_numbers_read_any_unicode_form(form: str) -> None:
    text = unicodedata.normalize(form, "Hai mươi phần trăm, tháng Mười Hai")
    assert set(numbers(text, "vi")) == {"20", "m12"}


@pytest.mark.parametrize(
    ("text", "lang", "tokens"),
    [
        ("la deuxième mi-temps", "fr", {"2"}),
        ("sang hiệp hai", "vi", {"2"}),
        ("lần thứ ba", "vi", {"3"}),
        ("vào Thứ Hai", "vi", {"2"}),  # Monday
        ("lundi dernier", "fr", {"2"}),
        ("thứ năm tuần trước", "vi", {"5"}),  # Thursday
        ("dans les années 30", "fr", {"1930"}),
        ("vào những năm 1930", "vi", {"1930"}),
        ("thập niên 80", "vi", {"1980"}),
        ("un score de 2-1", "fr", {"2", "1"}),  # a score, not the 2nd of January
        ("cinq de six", "fr", {"5", "6"}),  # "de" joins a numeral's parts only before a multiplier
        ("deux et trois", "fr", {"2", "3"}),
        ("soixante et onze", "fr", {"71"}),
        ("En 2019 deux personnes", "fr", {"2019", "2"}),  # a figure and a unit: two numbers
        ("năm 2019 hai người", "vi", {"2019", "2"}),
        ("ngày 2-1-2024", "vi", {"2.1.2024"}),
        ("le 22/12", "fr", {"22.12"}),
    ],
)
def test_ordinals_weekdays_decades_scores(text: str, lang: str, tokens: set[str]) -> None:
    assert set(numbers(text, lang)) == tokens
