"""The article benchmark's data, metric and Gale-Church peer (issue #34)."""

from __future__ import annotations

import unicodedata

import pytest

from benchmarks.peers_article import beads_to_links, gale_church
from development.article_eval import link_scores, match_scores, normalised
from development.corpora import CORPORA
from development.originals import CONVENTIONS, HELD_OUT, Bitext, build_bitexts, fitting, scraped

needs_corpora = pytest.mark.skipif(
    not (CORPORA / "ntrex128.fra").exists(), reason="reference corpora absent"
)


@pytest.fixture(scope="module")
def ntrex() -> tuple[list[str], list[str], list[str]]:
    from development.corpora import corpus

    lines = [corpus(f"ntrex128.{x}") for x in ("fra", "vie", "docids")]
    keep = set(list(dict.fromkeys(lines[2]))[:12])  # twelve documents: fast
    rows = [(f, v, d) for f, v, d in zip(*lines, strict=True) if d in keep]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@needs_corpora
@pytest.mark.parametrize("convention", [None, *CONVENTIONS])
def test_gold_links_are_in_both_texts(ntrex, convention: str | None) -> None:
    for b in build_bitexts(*ntrex, seed=3, convention=convention):
        assert b.gold_links
        page, original = _folded(b.page), _folded(b.original)
        for fr, vi in b.gold_links:
            assert fr and vi
            assert _folded(fr) in page, fr
            assert _folded(vi) in original, vi
        assert all(_folded(s) in page for s in b.page_sentences)
        assert all(_folded(s) in original for s in b.original_sentences)


@needs_corpora
def test_builder_is_deterministic_and_forcing_changes_only_the_convention(ntrex) -> None:
    first, again = build_bitexts(*ntrex, seed=5), build_bitexts(*ntrex, seed=5)
    assert [(b.page, b.original, b.gold_links) for b in first] == [
        (b.page, b.original, b.gold_links) for b in again
    ]
    assert [b.page for b in build_bitexts(*ntrex, seed=6)] != [b.page for b in first]
    faithful = build_bitexts(*ntrex, seed=5, convention="faithful")
    for b, f in zip(first, faithful, strict=True):
        assert (b.page_name, b.document) == (f.page_name, f.document)
        if b.convention == "faithful":
            assert (b.page, b.original) == (f.page, f.original)


@needs_corpora
@pytest.mark.parametrize("name", list(CONVENTIONS))
def test_each_convention_has_its_effect(ntrex, name: str) -> None:
    faithful = build_bitexts(*ntrex, seed=7, convention="faithful")
    built = build_bitexts(*ntrex, seed=7, convention=name)
    fr, vi = _count(built, "page_sentences"), _count(built, "original_sentences")
    n_fr, n_vi = _count(faithful, "page_sentences"), _count(faithful, "original_sentences")
    shapes = {
        (len(_sentences_in(f, b.page_sentences)), len(_sentences_in(v, b.original_sentences)))
        for b in built
        for f, v in b.gold_links
    }
    assert name == "faithful" or any(b.effects for b in built)
    expected = {
        "faithful": fr == n_fr and vi == n_vi and all(not b.effects for b in built),
        "merge": (1, 2) in shapes and fr < n_fr and vi == n_vi,
        "split": (2, 1) in shapes and vi < n_vi and fr == n_fr,
        "drop_fr": fr < n_fr and vi == n_vi,
        "drop_paragraph_fr": fr < n_fr and vi == n_vi,
        "no_lead": fr < n_fr and vi == n_vi,
        "add_fr": vi < n_vi and fr == n_fr,
        "drop_paragraph_vi": vi < n_vi and fr == n_fr,
        "one_side_captions": fr < n_fr and vi < n_vi,
        "related_blocks": fr == n_fr
        and any("Tin liên quan" in b.original.split("Bình luận")[0] for b in built)
        and any("Lire aussi" in b.page or "oir aussi" in b.page for b in built),
    }[name]
    assert expected, name


def _count(bitexts: list[Bitext], side: str) -> int:
    return sum(len(getattr(b, side)) for b in bitexts)


def _sentences_in(text: str, sentences: list[str]) -> list[str]:
    return [s for s in sentences if s in text]


@needs_corpora
def test_fitting_pages_leave_held_out_conventions_out(ntrex) -> None:
    built = build_bitexts(*ntrex, seed=1)
    assert all(b.convention not in HELD_OUT for b in fitting(built))
    assert {b.convention for b in fitting(built, without={"merge"})} <= set(CONVENTIONS) - {"merge"}


@needs_corpora
def test_scraped_collection_gold(ntrex) -> None:
    built = build_bitexts(*ntrex, seed=2)
    data = scraped(built, seed=0, missing=0.3, untranslated=0.3, copies=0.5)
    originals = {n for n, _ in data.originals}
    assert set(data.gold) == {n for n, _ in data.pages}
    assert all(o is None or o in originals for o in data.gold.values())
    assert None in data.gold.values()
    assert any(n.endswith("_copy") for n in data.gold)
    assert len(originals) > sum(o is not None for o in set(data.gold.values()))


@pytest.mark.parametrize(
    ("system", "gold", "expected"),
    [
        ([("A. B.", "X.")], [("A. B.", "X.")], (1, 1, 1)),
        ([("A.", "X."), ("B.", "X.")], [("A. B.", "X.")], (0, 2, 1)),  # too fine: wrong
        (
            [("A.  B. (Photo : An Dang/VNA)", "X. (Ảnh: An Đăng/TTXVN)")],
            [("A. B.", "X.")],
            (1, 1, 1),
        ),
        ([("A.", "X."), ("A.", "X.")], [("A.", "X."), ("B.", "Y.")], (1, 1, 2)),
        ([], [("A.", "X.")], (0, 0, 1)),
    ],
)
def test_link_scores(system, gold, expected) -> None:
    s = link_scores([system], [gold])
    assert (s.correct, s.predicted, s.gold) == expected


def test_normalised_keeps_a_credit_alone_and_folds_unicode() -> None:
    assert normalised("(Photo : VNA)") == "(Photo : VNA)"
    assert normalised(unicodedata.normalize("NFD", "Hà  Nội")) == "Hà Nội"


def test_match_scores() -> None:
    gold = {"p1": "o1", "p2": "o2", "p3": None, "p1_copy": "o1"}
    s = match_scores({"p1": "o1", "p2": "o3", "p3": "o2", "p1_copy": "o1"}, gold)
    assert (s.correct, s.predicted, s.gold) == (2, 4, 3)
    with pytest.raises(ValueError, match="not in the gold"):
        match_scores({"p9": None}, gold)


def test_gale_church_groups_beads_into_links() -> None:
    fr = ["Un court.", "Une phrase bien plus longue que la première, avec des mots.", "Fin."]
    vi = ["Ngắn.", "Một câu dài hơn nhiều so với câu đầu tiên, có nhiều từ.", "Hết."]
    assert gale_church(fr, vi) == list(zip(fr, vi, strict=True))
    merged = ["Un court. Une phrase bien plus longue que la première, avec des mots."]
    assert gale_church([*merged, "Fin."], vi)[0] == (merged[0], f"{vi[0]} {vi[1]}")
    assert beads_to_links(fr, vi, [([0], []), ([1, 2], [2, 1])]) == [
        (f"{fr[1]} {fr[2]}", f"{vi[1]} {vi[2]}")
    ]


def test_links_at_the_gold_grain_count_a_finer_split_right_and_a_crossing_link_wrong() -> None:
    from development.article_eval import grain_scores

    gold = [[("A. B.", "a. b."), ("C.", "c.")]]
    finer = [[("A.", "a."), ("B.", "b."), ("C.", "c.")]]
    assert link_scores(finer, gold).f1 < 0.5
    assert (grain_scores(finer, gold).precision, grain_scores(finer, gold).recall) == (1.0, 1.0)
    crossing = [[("A.", "a."), ("B. C.", "b. c.")]]
    scores = grain_scores(crossing, gold)
    assert scores.precision == 0.5 and scores.recall == 0.0
