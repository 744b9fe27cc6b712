"""Metamorphic tests of the aligner over the page builder's pages: a page rewritten in another
of the site's conventions (``development.conventions``: credits spelled, placed or worded
otherwise, a publication's name translated, abbreviated or dropped, the agency as VNA, AVI or
TTXVN, straight quotes, NFD, the tone on the other vowel, the French caption above the
Vietnamese one) keeps every true pair paired and pairs no false one, without machine translation
and with an oracle translator.  And the reverse: a French text that translates another sentence
does not pass for a caption's translation because it carries the caption's very credit.

The pages come from a few NTREX documents and are aligned with the shipped word table (which
has seen them: these tests check that conventions change nothing, not how well unseen text
aligns; ``benchmarks/bench_align.py`` measures that)."""

from __future__ import annotations

from functools import cache

import pytest

from bilingual.align import Aligner
from bilingual.align.signals import without_credit
from bilingual.pipeline import Pipeline, from_text
from conftest import corpus_lines
from development.conventions import CONVENTIONS, Convention
from development.measures import OracleTranslator, pairs, same_pair
from development.pages import Article, build_pages

ALIGNER = Aligner()
DOCUMENTS = 8  # the first documents of NTREX: some thirty captions, a few seconds for all tests
SEED = 8  # an arrangement whose captions credit a photo, a video and an infographic


@cache
def pages(convention: Convention) -> list[Article]:
    fr, vi = corpus_lines("ntrex128.fra"), corpus_lines("ntrex128.vie")
    ids = corpus_lines("ntrex128.docids")
    keep = set(list(dict.fromkeys(ids))[:DOCUMENTS])
    return build_pages(fr, vi, ids, SEED, set(ids) - keep, convention=convention)


def found(article: Article, oracle: bool) -> set[tuple[str, str]]:
    document = from_text("page", article.text)
    if oracle:
        Pipeline.of({"vi": OracleTranslator(article)}).translate([document])
    ALIGNER.annotate(document)
    return {same_pair(v, f) for v, f in pairs(document)}


def test_the_pages_hold_captions_with_credits_of_every_medium() -> None:
    gold = [f for a in pages(CONVENTIONS[0]) for _, f in a.gold]
    assert len(gold) >= 20
    assert sum(len(a.orphans) for a in pages(CONVENTIONS[0])) >= 2  # false candidates too
    for word in ("Photo", "Vidéo", "Infographie"):
        assert any(word in f for f in gold), word


@pytest.mark.parametrize("oracle", [False, True], ids=["without-mt", "oracle-mt"])
@pytest.mark.parametrize("convention", CONVENTIONS, ids=lambda c: c.name)
def test_every_convention_keeps_the_true_pairs_and_no_false_one(
    convention: Convention, oracle: bool
) -> None:
    articles = pages(convention)
    assert [len(a.gold) for a in articles] == [len(a.gold) for a in pages(CONVENTIONS[0])]
    for article in articles:
        assert found(article, oracle) == {same_pair(v, f) for v, f in article.gold}


@pytest.mark.parametrize(
    "convention",
    CONVENTIONS,
    ids=lambda c: c.name,
)
def test_a_credit_identical_to_the_captions_does_not_make_a_false_pair(
    convention: Convention,
) -> None:
    """On each page, the French of each credited caption replaced by the French of another
    caption (the next credited one, of this page or another), under the first one's very
    credit: the Vietnamese caption is not paired with it."""
    credited = [
        (k, v, f)
        for k, a in enumerate(pages(convention))
        for v, f in a.gold
        if without_credit(f) != f.strip()
    ]
    tried = 0
    for (k, vi, fr), (_, _, other) in zip(credited, credited[1:] + credited[:1], strict=True):
        caption, credit = without_credit(fr), fr[len(without_credit(fr)) :]
        text = pages(convention)[k].text
        # The caption replaced, its credit left where it is (in the line or on the next one).
        for end in (" ", "\n"):
            text = text.replace(f"\n{caption}{end}", f"\n{without_credit(other)}{end}")
        assert text != pages(convention)[k].text
        document = from_text("page", text)
        ALIGNER.annotate(document)
        tried += 1
        false = same_pair(vi, without_credit(other) + credit)
        assert false not in {same_pair(v, f) for v, f in pairs(document)}, false
    assert tried >= 6  # captions with credits
