"""Caption alignment on the seeds and on constructed pages."""

from __future__ import annotations

import pytest

from bilingual.align import Aligner
from bilingual.align.aligner import pairable
from bilingual.align.candidates import ABOVE, BELOW, candidates, credit_side
from bilingual.align.model import WITH_MT, WITHOUT_MT, Model, load_models, save_models
from bilingual.document import document_to_dict
from bilingual.errors import ModelError
from bilingual.pipeline import from_text, prepare
from conftest import SEEDS

ALIGNER = Aligner()


def test_seeds_pair_exactly_their_captions_without_mt() -> None:
    found = {}
    for seed in SEEDS:
        document = prepare(str(seed))
        alignments = ALIGNER.predict(document)
        assert all(a.score >= WITHOUT_MT.threshold for a in alignments), alignments
        found[seed.name] = [
            (document.segments[a.vi].text, " ".join(document.segments[i].text for i in a.fr))
            for a in alignments
        ]
    assert found == {
        "000_9c870309ebbbcf83.txt": [
            ("Quang cảnh phiên họp sáng 22/12. (Ảnh: An Đăng/TTXVN)",
             "Scène de la réunion matinale du 22 décembre. (Photo\u00a0: An Dang/VNA)"),
        ],
        "002_fd3d9a2bb7b8b9a8.txt": [
            ("Đoàn công tác của Ban Dân vận Trung ương làm việc với Ban Cán sự đảng  Bộ Ngoại giao về "
             "tổng kết thực hiện Nghị quyết 25-NQ/TW và Kết luận 43- KL/TW, ngày 24/10/2023.",
             "La délégation de travail du Comité central pour la mobilisation des masses a travaillé "
             "avec le Comité du Parti du ministère des Affaires étrangères pour résumer la mise en "
             "œuvre de la résolution 25-NQ/TW et de la conclusion 43-KL/TW, datées du 24 octobre 2023."),
        ],
    }  # fmt: skip


def test_candidates_are_runs_of_one_to_three_in_one_paragraph() -> None:
    document = prepare(str(SEEDS[0]))
    vi = next(s for s in document.segments if s.lang == "vi" and s.role == "caption")
    for cand in candidates(document.segments, vi):
        assert 1 <= len(cand.fr) <= 3
        assert len({s.paragraph for s in cand.fr}) == 1
        assert [s.index for s in cand.fr] == list(
            range(cand.fr[0].index, cand.fr[0].index + len(cand.fr))
        )
        assert all(s.lang == "fr" for s in cand.fr)


def test_prediction_leaves_the_document_alone_and_annotation_marks_both_sides() -> None:
    document = prepare(str(SEEDS[0]))
    before = document_to_dict(document)
    predicted = ALIGNER.predict(document)
    assert document_to_dict(document) == before
    ALIGNER.annotate(document)
    assert document.alignments == predicted
    (a,) = predicted
    assert document.segments[a.vi].aligned_with == a.fr
    assert all(document.segments[i].aligned_with == (a.vi,) for i in a.fr)
    assert 0.5 <= a.score <= 1.0


def test_untranslated_vietnamese_stays_unpaired(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "page.txt"
    page.write_text(
        "Vietnam.vn - Nền tảng quảng bá Việt Nam\n\nUn titre sur le festival\n\n"
        "Báo ABáo A05/03/2024\n\n"
        "Le festival s'est ouvert le 5 mars à Hanoï avec plus de 200 exposants venus de 30 provinces, "
        "et il durera jusqu'au 8 mars selon les organisateurs de l'événement.\n\n"
        "Toàn cảnh lễ hội năm nay.\n\n"
        "Le festival propose des ateliers de cuisine, des concerts de musique traditionnelle, des "
        "démonstrations d'artisans venus de tout le pays et une exposition sur la gastronomie.\n\n"
        "Source\n",
        encoding="utf-8",
    )
    document = prepare(str(page))
    assert [s.role for s in document.segments if s.lang == "vi"] == ["chrome", "byline", "caption"]
    assert ALIGNER.predict(document) == []


class Gibberish:
    """A model that translates nothing: its output shares no character n-grams with Vietnamese."""

    def translate(self, sentences: list[str]) -> list[str]:
        return ["zzz qqq xxx" for _ in sentences]


def test_a_useless_translator_leaves_the_decision_to_the_mt_free_model() -> None:
    from bilingual import Pipeline

    plain = [[(a.vi, a.fr) for a in ALIGNER.predict(prepare(str(seed)))] for seed in SEEDS]
    with_mt = [
        [(a.vi, a.fr) for a in d.alignments]
        for d in Pipeline.of({"vi": Gibberish()}).run(map(str, SEEDS))
    ]
    assert with_mt == plain and all(plain)


_BODY = (
    "Le festival s'est ouvert le 5 mars à Hanoï avec plus de 200 exposants venus de 30 provinces, "
    "et il durera jusqu'au 8 mars selon les organisateurs de l'événement."
)


@pytest.mark.parametrize(
    ("french", "paired"),
    [
        ("De fortes pluies provoquent des crues soudaines en Europe.", True),
        ("Le président a rencontré les journalistes du pays.", False),
    ],
)
def test_without_mt_a_caption_shaped_line_is_paired_only_if_its_words_translate(
    french: str, paired: bool
) -> None:
    # Same position, role and length: only the word-translation table tells the two apart.
    page = (
        "Vietnam.vn - Nền tảng quảng bá Việt Nam\n\nUn titre sur les inondations\n\n"
        f"Báo ABáo A05/03/2024\n\n{_BODY}\n\nMưa lớn gây lũ quét ở châu Âu.\n{french}\n\n"
        f"{_BODY.replace('festival', 'salon')}\n\nSource\n"
    )
    document = from_text("page", page)
    assert [s.role for s in document.segments][4:6] == ["caption", "caption"]
    assert [(a.vi, a.fr) for a in ALIGNER.predict(document)] == ([(4, (5,))] if paired else [])


# Caption pairs the shipped word table knows, and a body paragraph around them.
RAIN = (
    "Mưa lớn gây lũ quét ở châu Âu.",
    "De fortes pluies provoquent des crues soudaines en Europe.",
)
AID = (
    "Sáu triệu người cần hỗ trợ nhân đạo.",
    "Six millions de personnes ont besoin d'une aide humanitaire.",
)
VIEW = ("Toàn cảnh lễ hội năm nay.", "Vue d'ensemble du festival de cette année.")
MEETING = ("Quang cảnh phiên họp sáng 22/12.", "Scène de la réunion matinale du 22 décembre.")


def _page(*lines: str) -> str:
    head = "Vietnam.vn - Nền tảng quảng bá Việt Nam\n\nUn titre sur les inondations\n\nBáo ABáo A05/03/2024"
    tail = "Selon VNA\n\nSource\n\nComment (0)"
    return "\n\n".join([head, _BODY, *lines, _BODY.replace("festival", "salon"), tail]) + "\n"


def _pairs(text: str) -> list[tuple[str, str]]:
    document = from_text("page", text)
    return [
        (document.segments[a.vi].text, " ".join(document.segments[i].text for i in a.fr))
        for a in ALIGNER.predict(document)
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            [f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)\n{RAIN[1]}\nPhoto\u00a0: An Dang/VNA"],
            [(f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)", f"{RAIN[1]} Photo\u00a0: An Dang/VNA")],
            id="french-credit-on-its-own-line",
        ),
        pytest.param(
            [f"{AID[0]} {RAIN[0]} (Ảnh: TTXVN)", f"{AID[1]} {RAIN[1]}", "(Photo : VNA)"],
            [(f"{AID[0]} {RAIN[0]} (Ảnh: TTXVN)", f"{AID[1]} {RAIN[1]} (Photo : VNA)")],
            id="two-sentences-and-a-credit-line",
        ),
        pytest.param(
            [f"{v}\n{f}" for v, f in (RAIN, AID, VIEW, MEETING)],
            [RAIN, AID, VIEW, MEETING],
            id="gallery-of-four",
        ),
        pytest.param(
            [f"Ảnh {n}: {v}\nPhoto {n} : {f}" for n, (v, f) in enumerate((AID, VIEW), 1)],
            [(f"Ảnh {n}: {v}", f"Photo {n} : {f}") for n, (v, f) in enumerate((AID, VIEW), 1)],
            id="numbered-gallery",
        ),
        pytest.param(  # issue #20: a publication's name translated is no evidence either way
            [
                f"{RAIN[0]} (Ảnh: Minh Đức/Báo Nhân Dân)",
                f"{RAIN[1]} (Photo : Minh Duc/Journal du Peuple)",
            ],
            [
                (
                    f"{RAIN[0]} (Ảnh: Minh Đức/Báo Nhân Dân)",
                    f"{RAIN[1]} (Photo : Minh Duc/Journal du Peuple)",
                )
            ],
            id="publication-translated",
        ),
        pytest.param(
            [f"{AID[0]} (Ảnh: Cổng TTĐT Chính phủ)", f"{AID[1]} (Photo : Portail du gouvernement)"],
            [
                (
                    f"{AID[0]} (Ảnh: Cổng TTĐT Chính phủ)",
                    f"{AID[1]} (Photo : Portail du gouvernement)",
                )
            ],
            id="portal-translated",
        ),
        pytest.param(
            [f"{VIEW[0]} (Video: TTXVN)", f"{VIEW[1]} (Vidéo : VNA)"],
            [(f"{VIEW[0]} (Video: TTXVN)", f"{VIEW[1]} (Vidéo : VNA)")],
            id="video-credit",
        ),
        pytest.param(
            [f"{AID[0]} (Đồ họa: TTXVN)", f"{AID[1]} (Infographie : VNA)"],
            [(f"{AID[0]} (Đồ họa: TTXVN)", f"{AID[1]} (Infographie : VNA)")],
            id="infographic-credit",
        ),
        pytest.param(  # the tone of "oa" on its second vowel: the same credit
            [f"{AID[0]} (Đồ hoạ: TTXVN)", f"{AID[1]} (Infographie : VNA)"],
            [(f"{AID[0]} (Đồ hoạ: TTXVN)", f"{AID[1]} (Infographie : VNA)")],
            id="infographic-credit-other-tone-placement",
        ),
        pytest.param(
            [
                "Người dân địa phương cho biết lễ hội năm nay thu hút nhiều du khách hơn mọi năm. "
                "Các gian hàng ẩm thực luôn đông khách từ sáng đến tối.",
                "Le festival propose des concerts de musique traditionnelle.",
            ],
            [],
            id="untranslated-vietnamese-paragraph",
        ),
        pytest.param(
            ["Les habitants ont repris le slogan « Lá lành đùm lá rách » pendant la fête."],
            [],
            id="slogan-quoted-in-french",
        ),
        pytest.param(
            [
                f"{AID[0]} (Đồ họa: TTXVN)",
                f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)",
                f"{RAIN[1]} (Photo : An Dang/VNA)",
            ],
            [(f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)", f"{RAIN[1]} (Photo : An Dang/VNA)")],
            id="untranslated-infographic-caption-before-a-photo-s",
        ),
        pytest.param(  # the page's credits say its translations are above the captions
            [f"{RAIN[1]} (Photo : An Dang/VNA)", f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)"],
            [(f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)", f"{RAIN[1]} (Photo : An Dang/VNA)")],
            id="french-caption-above-the-vietnamese",
        ),
        pytest.param(  # a French-first gallery: the last caption's credit tells the side
            [
                f"{AID[1]} (Photo : VNA)",
                f"{AID[0]} (Ảnh: TTXVN)",
                f"{RAIN[1]} (Photo : An Dang/VNA)",
                f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)",
            ],
            [
                (f"{AID[0]} (Ảnh: TTXVN)", f"{AID[1]} (Photo : VNA)"),
                (f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)", f"{RAIN[1]} (Photo : An Dang/VNA)"),
            ],
            id="gallery-french-first",
        ),
        pytest.param(["(Photo : VNA)", "Ảnh minh họa"], [], id="photo-lines-with-only-a-credit"),
        pytest.param(
            ["Ảnh minh hoạ: TTXVN", RAIN[1]], [], id="a-stock-picture-s-label-is-not-a-caption"
        ),
        pytest.param([], [], id="no-caption"),
    ],
)
def test_layouts_pair_exactly_their_captions(
    lines: list[str], expected: list[tuple[str, str]]
) -> None:
    assert _pairs(_page(*lines)) == expected


@pytest.mark.parametrize("pair", [RAIN, AID, VIEW, MEETING])
def test_an_obvious_pair_scores_at_least_0_9(pair: tuple[str, str]) -> None:
    document = from_text("page", _page(f"{pair[0]}\n{pair[1]}"))
    (alignment,) = ALIGNER.predict(document)
    assert alignment.score >= 0.9


def test_the_fitted_models_are_data_the_package_loads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "align_model.json"
    save_models(path, WITHOUT_MT, WITH_MT, about="a copy")
    assert load_models(path) == (WITHOUT_MT, WITH_MT)
    assert load_models() == (WITHOUT_MT, WITH_MT)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not json", "not an aligner model file"),
        ('{"without_mt": {}}', "not an aligner model file"),
        (
            '{"without_mt": {"bias": 0, "weights": {"colour": 1}, "threshold": 0.5, "calibration": []},'
            ' "with_mt": {"bias": 0, "weights": {}, "threshold": 0.5, "calibration": []}}',
            "colour",
        ),
    ],
)
def test_a_bad_model_file_is_named_with_its_problem(tmp_path, text: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "align_model.json"
    path.write_text(text, "utf-8")
    with pytest.raises(ModelError, match=problem) as caught:
        load_models(path)
    assert str(path) in str(caught.value)
    assert "tools.fit_align" in str(caught.value)


@pytest.mark.parametrize(
    ("lines", "side"),
    [
        ([f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)", f"{RAIN[1]} (Photo : An Dang/VNA)"], BELOW),
        ([f"{RAIN[1]} (Photo : An Dang/VNA)", f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)"], ABOVE),
        # Nothing to compare (no credit): the credits say nothing.
        ([RAIN[1], RAIN[0]], None),
        # The same credit on both sides of every caption says nothing either.
        ([f"{RAIN[1]} (Photo : VNA)", f"{AID[0]} (Ảnh: TTXVN)", f"{AID[1]} (Photo : VNA)"], None),
        # Another source above is no evidence for above.
        ([f"{RAIN[1]} (Photo : Reuters)", f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)", RAIN[1]], None),
    ],
)
def test_the_credits_say_on_which_side_the_translations_are(
    lines: list[str], side: int | None
) -> None:
    document = from_text("page", _page(*lines))
    captions = [s for s in document.segments if pairable(s)]
    assert credit_side(document.segments, captions) == side


@pytest.mark.parametrize(
    ("lines", "side"),
    [
        # No credit: the captions' words say it.
        ([RAIN[0], RAIN[1], AID[0], AID[1]], BELOW),
        ([RAIN[1], RAIN[0], AID[1], AID[0]], ABOVE),
        ([RAIN[1], RAIN[0]], ABOVE),
        # An untranslated caption under a French text it does not translate: the site's layout.
        ([AID[1], RAIN[0]], BELOW),
        # The credits, where they speak, are not overruled.
        ([f"{RAIN[1]} (Photo : An Dang/VNA)", f"{RAIN[0]} (Ảnh: An Đăng/TTXVN)", AID[1]], ABOVE),
    ],
)
def test_where_credits_are_silent_the_words_say_the_side(lines: list[str], side: int) -> None:
    document = from_text("page", _page(*lines))
    assert Aligner().side(document) == side


def test_a_caption_with_french_on_one_side_only_casts_no_vote() -> None:
    """The last text of an article has no French below it: it compares nothing, so it does not
    say the page reads from above (and a model that weighs nothing, as fitting starts, reads
    every uncredited page in the site's layout)."""
    head = "Vietnam.vn - Nền tảng quảng bá Việt Nam\n\nUn titre sur les inondations\n\nBáo ABáo A05/03/2024"
    text = "\n\n".join([head, _BODY, RAIN[1], RAIN[0], "Selon VNA\n\nSource\n\nComment (0)"]) + "\n"
    document = from_text("page", text)
    neutral = Model(0.0, {})
    assert Aligner(without_mt=neutral, with_mt=neutral).side(document) == BELOW
    assert Aligner().side(document) == BELOW


def test_a_french_first_page_without_credits_is_paired() -> None:
    """The same page with each caption's French moved above it: the same pairs."""
    below = _pairs(_page(RAIN[0], RAIN[1], VIEW[0], VIEW[1], AID[0], AID[1]))
    above = _pairs(_page(RAIN[1], RAIN[0], VIEW[1], VIEW[0], AID[1], AID[0]))
    assert below == above == [RAIN, VIEW, AID]


def test_the_seeds_put_their_translations_below() -> None:
    for seed in SEEDS:
        document = prepare(str(seed))
        assert Aligner().side(document) == BELOW, seed.name
