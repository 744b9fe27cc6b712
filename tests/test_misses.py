"""Near misses: every Vietnamese text the aligner leaves unpaired, with its best candidate, on the
seeds and on the benchmark's built pages (against their gold), through the files and the state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilingual import Aligner, NearMiss, Settings, build_corpus
from bilingual.align.aligner import pairable
from bilingual.document import document_from_dict, document_to_dict
from bilingual.pipeline import from_text, prepare
from bilingual.read import clean_text
from bilingual.write.names import REJECTED_JSONL
from bilingual.write.records import near_miss_reason
from conftest import ROOT, SEEDS, corpus_lines

ALIGNER = Aligner()


def built_pages(count: int, monkeypatch: pytest.MonkeyPatch) -> list:  # type: ignore[type-arg]
    """Pages of the benchmark's page builder from NTREX, with their gold answers."""
    fr, vi = corpus_lines("ntrex128.fra"), corpus_lines("ntrex128.vie")
    ids = corpus_lines("ntrex128.docids")
    monkeypatch.syspath_prepend(str(ROOT))
    from development.pages import build_pages

    pages: list = []  # type: ignore[type-arg]
    seed = 0
    while len(pages) < count:
        pages += build_pages(fr, vi, ids, seed)
        seed += 1
    return pages[:count]


def jsonl(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def norm(text: str) -> str:
    return " ".join(clean_text(text).split())


def test_the_seeds_leave_no_vietnamese_caption_unpaired(tmp_path: Path) -> None:
    build_corpus([str(s) for s in SEEDS], tmp_path, None, Settings(report=False))
    assert (tmp_path / REJECTED_JSONL).read_text("utf-8") == ""
    paired = {(r["doc"], r["vi_index"]) for r in jsonl(tmp_path / "pairs.fr-vi.jsonl")}
    considered = {(str(s), g.index) for s in SEEDS for g in prepare(str(s)).segments if pairable(g)}
    assert paired == considered and len(paired) == 2


def test_an_untranslated_caption_is_a_near_miss_with_its_best_candidate() -> None:
    lines = SEEDS[0].read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("Scène de la réunion"))
    del lines[at]  # the caption's French translation: the caption is left an orphan
    document = from_text("orphan.txt", "\n".join(lines))
    ALIGNER.annotate(document)
    (miss,) = document.near_misses
    assert document.segments[miss.vi].text.startswith("Quang cảnh phiên họp")
    scored = [s for s in ALIGNER.score(document) if s.candidate.vi.index == miss.vi]
    best = max(scored, key=lambda s: s.probability)
    assert miss.fr == tuple(sorted(s.index for s in best.candidate.fr))
    assert miss.score == round(best.probability, 4) and miss.threshold == best.threshold
    assert miss.score < miss.threshold and near_miss_reason(miss) == "below_threshold"


def test_a_caption_with_no_french_near_it_has_no_candidate() -> None:
    document = from_text("alone.txt", "Quang cảnh phiên họp sáng 22/12 tại Hà Nội.\n")
    document.segments[0].role = "caption"
    ALIGNER.annotate(document)
    assert document.near_misses == [NearMiss(0)]
    assert near_miss_reason(document.near_misses[0]) == "no_candidate"


def test_near_misses_survive_the_saved_state() -> None:
    document = from_text("orphan.txt", SEEDS[0].read_text("utf-8"))
    document.near_misses = [NearMiss(13, (14, 15), 0.41, 0.625, 0.2), NearMiss(20)]
    data = json.loads(json.dumps(document_to_dict(document)))
    assert document_from_dict(data) == document
    del data["near_misses"]  # a state file saved before near misses existed
    assert document_from_dict(data).near_misses == []


@pytest.mark.slow  # a build of built pages
def test_rejected_pairs_list_every_unpaired_vietnamese_caption_of_built_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = built_pages(150, monkeypatch)
    inputs = tmp_path / "pages"
    inputs.mkdir()
    for k, page in enumerate(pages):
        (inputs / f"page{k:03d}.txt").write_text(page.text, "utf-8")
    out = tmp_path / "out"
    # Every pair written, repeats too: the pages share captions, and dedupe would drop them.
    build_corpus([str(inputs)], out, None, Settings(report=False, dedupe="none"))
    pairs, rejected = jsonl(out / "pairs.fr-vi.jsonl"), jsonl(out / REJECTED_JSONL)
    for k, page in enumerate(pages):
        doc = str(inputs / f"page{k:03d}.txt")
        document = prepare(doc)
        considered = {s.index for s in document.segments if pairable(s)}
        paired = {r["vi_index"] for r in pairs if r["doc"] == doc}
        missed = {r["vi_index"] for r in rejected if r["doc"] == doc}
        assert not paired & missed and paired | missed == considered, doc
        texts = {norm(document.segments[i].text): i for i in considered}
        for caption in [vi for vi, _ in page.gold] + page.orphans:  # every gold caption is one
            assert norm(caption) in texts, (doc, caption)
        for orphan in page.orphans:  # an untranslated caption is left out (or wrongly paired)
            assert texts[norm(orphan)] in missed | paired
    orphans = {norm(o) for p in pages for o in p.orphans}
    listed, kept = {norm(r["vi"]) for r in rejected}, {norm(r["vi"]) for r in pairs}
    # Each untranslated caption is listed, but the few the aligner wrongly paired (about 6%).
    assert len(orphans) >= 40 and orphans <= listed | kept
    assert len(orphans & listed) >= 0.9 * len(orphans)
    for r in rejected:
        reason = {"below_threshold", "french_taken", "no_candidate"}
        assert r["reason"] in reason and r["line"] >= 1
        if r["score"] is not None:
            below = r["score"] < r["threshold"]
            assert below == (r["reason"] == "below_threshold") and r["fr"] and r["fr_indices"]
