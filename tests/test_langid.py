"""Language identification per segment and with context."""

from __future__ import annotations

import time

import pytest

from bilingual.langid import LANGS, SAMPLE_CHARS, identify, identify_all
from conftest import corpus_lines


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Scène de la réunion matinale du 22 décembre.", "fr"),
        ("Quang cảnh phiên họp sáng 22/12. (Ảnh: An Đăng/TTXVN)", "vi"),
        ("Việt NamViệt Nam23/12/2023", "vi"),
        ("No videos available for this section today.", "en"),
        ("22/12/2023", "other"),
        ("Москва принимает делегацию из Вьетнама.", "other"),
        ("Le président Nguyễn Phú Trọng a reçu la délégation française au palais.", "fr"),
        ("https://www.vietnamplus.vn/tiep-tuc-day-manh", "other"),
    ],
)
def test_identify(text: str, lang: str) -> None:
    assert identify(text) == lang


def test_short_lines_take_their_context() -> None:
    lines = [
        "Le secrétaire du Parti a affirmé que les résultats constituent une base importante.",
        "Selon VNA",
        "Source",
        "Comment (0)",
        "No data",
        "Trois îles de la région centrale sont comparées aux Maldives et attirent les touristes.",
    ]
    assert identify_all(lines) == ["fr"] * 6


def test_ntrex_accuracy() -> None:
    lines, gold = [], []
    for lang, name in (("fr", "ntrex128.fra"), ("vi", "ntrex128.vie"), ("en", "ntrex128.eng")):
        found = [line for line in corpus_lines(name) if line.strip()]
        lines += found
        gold += [lang] * len(found)
    correct = sum(identify(line) == g for line, g in zip(lines, gold, strict=True))
    assert correct / len(lines) >= 0.995


def test_a_long_line_is_identified_by_its_start_in_linear_time() -> None:
    french = "Le comité a adopté la résolution sur la coopération régionale. " * 50
    vietnamese = "Ủy ban đã thông qua nghị quyết về hợp tác khu vực. " * 2000
    assert len(french) < SAMPLE_CHARS
    assert identify(french + vietnamese) == "fr"  # the start decides
    assert identify(french) == "fr" and identify(vietnamese) == "vi"
    started = time.perf_counter()
    assert identify("x" * 1_000_000) in LANGS  # no spaces: quadratic before, minutes
    assert identify(("https://www.example.com/" + "a" * 50_000) * 20) in (*LANGS, "other")
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Contact : redaction@vietnam.vn pour toute question sur cet article.", "fr"),
        ("(bao@vnanet.vn) Ủy ban đã thông qua nghị quyết.", "vi"),
    ],
)
def test_addresses_are_not_words(text: str, lang: str) -> None:
    assert identify(text) == lang
