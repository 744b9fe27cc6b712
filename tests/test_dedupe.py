"""Corpus rows written once (exact and normalized duplicates), and test sets kept out."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bilingual import ConfigError, Settings, build_corpus
from bilingual.cli import main
from bilingual.document import Alignment, Document, NearMiss, Segment
from bilingual.write import CorpusWriter
from bilingual.write.dedupe import Seen, normalize
from bilingual.write.exclude import Exclusion
from bilingual.write.names import REJECTED_JSONL
from conftest import SEEDS

# A sentence the pages repeat in three spellings that only normalisation tells are one.
VARIANTS = [
    "Le Parti dirige la nation.",
    "le parti dirige la nation",
    "LE PARTI DIRIGE LA NATION !",
]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Le Parti dirige la nation.", "le parti  dirige la nation", True),
        ("L’Œuvre de l'État", "l'oeuvre de l etat", True),
        ("Đảng lãnh đạo.", "dang lanh dao", True),
        ("« Bonjour » , dit-il…", "bonjour dit il", True),
        ("Le 22 décembre.", "Le 23 décembre.", False),
        ("Le Parti dirige.", "Le Parti dirigeait.", False),
    ],
)
def test_normalize_folds_case_punctuation_spacing_and_accents(a: str, b: str, same: bool) -> None:
    assert (normalize(a) == normalize(b)) is same


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("exact", [None, 0, None, None]), ("normalized", [None, 0, 0, 0]), ("none", [None] * 4)],
)
def test_seen_gives_each_rows_first_occurrence(mode: str, expected: list[int | None]) -> None:
    seen = Seen(mode, files=2)
    rows = [VARIANTS[0], VARIANTS[0], VARIANTS[1], VARIANTS[2]]
    assert [seen.first(seen.key((text,)), where) for where, text in enumerate(rows)] == expected
    # A second file sharing the table has its own rows: the same answers (a duplicate's first
    # occurrence is where any file first had it).
    assert [
        seen.first(seen.key((text,)), 10 + k, file=1) for k, text in enumerate(rows)
    ] == expected
    assert seen.first(seen.key((VARIANTS[0],)), 20, file=1) == expected[1]


def pages(directory: Path, count: int = 3) -> Path:
    """``count`` pages that repeat the seed's article, each with the repeated sentence in its own
    spelling and one sentence of its own."""
    directory.mkdir()
    seed = SEEDS[0].read_text("utf-8")
    anchor = "Dans l'après-midi du 22 décembre"
    assert anchor in seed
    for k in range(count):
        extra = f"{VARIANTS[k % len(VARIANTS)]}\n\nLa réunion numéro {k} a eu lieu à Hanoï.\n\n"
        (directory / f"page{k}.txt").write_text(seed.replace(anchor, extra + anchor), "utf-8")
    return directory


def build(inputs: Path, out: Path, models: dict[str, Path], *extra: str) -> dict[str, Any]:
    args = [str(inputs), "-o", str(out), "--device", "cpu", "-q", "--no-cache"]
    args += ["--model", f"en={models['en']}", "--model", f"vi={models['vi']}", *extra]
    assert main(args) == 0
    return json.loads((out / "run.json").read_text("utf-8"))


def rows(out: Path, name: str) -> list[list[str]]:
    return [line.split("\t") for line in (out / name).read_text("utf-8").splitlines()[1:]]


def tmx_units(out: Path) -> list[tuple[str, str]]:
    from translate.storage import tmx

    store = tmx.tmxfile.parsefile(str(out / "corpus.tmx"))
    return [(unit.getid(), unit.source) for unit in store.units]


def first_occurrences(all_rows: list[list[str]], key: Any) -> list[list[str]]:
    """The rows whose key no earlier row had: what deduplication must leave, computed from the
    rows an undeduplicated run wrote."""
    seen: set[Any] = set()
    kept = []
    for row in all_rows:
        if key(row) not in seen:
            seen.add(key(row))
            kept.append(row)
    return kept


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory, model_dirs: dict[str, Path]) -> Path:
    """The pages built with every row written (``--dedupe none``): the reference."""
    root = tmp_path_factory.mktemp("dedupe")
    out = root / "none"
    build(pages(root / "in"), out, model_dirs, "--dedupe", "none")
    return out


@pytest.mark.slow  # builds with models
@pytest.mark.parametrize("mode", ["exact", "normalized"])
def test_each_duplicate_is_written_once_and_counted(
    mode: str, everything: Path, model_dirs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / mode
    run = build(everything.parent / "in", out, model_dirs, "--dedupe", mode)
    fold = (lambda text: text) if mode == "exact" else normalize
    for name, file in [("mt.fr-en", "mt.fr-en.tsv"), ("mt.fr-vi", "mt.fr-vi.tsv")]:
        all_rows = rows(everything, file)
        expected = first_occurrences(all_rows, lambda row: fold(row[2]))
        assert rows(out, file) == expected
        assert run["duplicates"][name] == len(all_rows) - len(expected) > 0
        french = (out / f"{name}.fr").read_text("utf-8").splitlines()
        assert french == [row[2] for row in expected]
    units = tmx_units(out)
    assert units == first_occurrences(tmx_units(everything), lambda unit: fold(unit[1]))
    assert run["duplicates"]["corpus.tmx"] == len(tmx_units(everything)) - len(units)
    # The three spellings of the repeated sentence: three rows exactly, one normalized.
    written = [row[2] for row in rows(out, "mt.fr-en.tsv")]
    assert sum(text in VARIANTS for text in written) == (3 if mode == "exact" else 1)
    pairs = rows(out, "pairs.fr-vi.tsv")
    assert pairs == first_occurrences(rows(everything, "pairs.fr-vi.tsv"), lambda r: (r[2], r[3]))
    assert len(pairs) == 1 and run["duplicates"]["pairs.fr-vi"] == 2
    assert run["dedupe"] == mode and run["counts"]["tmx"] == len(units)


@pytest.mark.slow  # a build with models
def test_segments_keep_every_segment_and_point_at_the_first(
    everything: Path, model_dirs: dict[str, Path], tmp_path: Path
) -> None:
    build(everything.parent / "in", tmp_path, model_dirs, "--dedupe", "normalized")
    records = [json.loads(line) for line in (tmp_path / "segments.jsonl").read_text().splitlines()]
    reference = (everything / "segments.jsonl").read_text().splitlines()
    assert len(records) == len(reference)  # every segment, duplicates included
    assert all("duplicate_of" not in json.loads(line) for line in reference)
    position = {(r["doc"], r["index"]): k for k, r in enumerate(records)}
    pointed = [r for r in records if "duplicate_of" in r]
    assert len(pointed) > 3
    for record in pointed:
        target = records[position[record["duplicate_of"]["doc"], record["duplicate_of"]["index"]]]
        assert position[target["doc"], target["index"]] < position[record["doc"], record["index"]]
        assert normalize(target["text"]) == normalize(record["text"])
        assert "duplicate_of" not in target
    assert {r["doc"] for r in pointed} == {
        str(everything.parent / "in" / f"page{k}.txt") for k in (1, 2)
    }


@pytest.mark.slow  # builds with models
def test_exclude_removes_exactly_the_listed_sentences(
    everything: Path, model_dirs: dict[str, Path], tmp_path: Path
) -> None:
    french = [row[2] for row in rows(everything, "mt.fr-en.tsv")]
    human_vi = rows(everything, "pairs.fr-vi.tsv")[0][3]
    title = french[0]  # the seed's, on every page
    listed = [VARIANTS[2].lower(), title.upper(), human_vi, "Une phrase absente du corpus."]
    test_set = tmp_path / "test.txt"
    test_set.write_text("\n".join(listed) + "\n\n", "utf-8")
    out = tmp_path / "out"
    run = build(
        everything.parent / "in", out, model_dirs, "--dedupe", "none", "--exclude", str(test_set)
    )
    keys = {normalize(line) for line in listed}
    for name in ("mt.fr-en", "mt.fr-vi"):
        all_rows = rows(everything, f"{name}.tsv")
        expected = [
            r for r in all_rows if normalize(r[2]) not in keys and normalize(r[3]) not in keys
        ]
        assert rows(out, f"{name}.tsv") == expected
        assert run["excluded"][name] == len(all_rows) - len(expected) >= 6  # 3 variants, 3 titles
    assert rows(out, "pairs.fr-vi.tsv") == [] and run["excluded"]["pairs.fr-vi"] == 3
    assert [(f["file"], f["lines"]) for f in run["exclude"]] == [(str(test_set), 5)]
    excluded = [json.loads(line) for line in (out / "segments.jsonl").read_text().splitlines()]
    assert sum(1 for r in excluded if r.get("excluded")) == run["excluded"]["corpus.tmx"] + 3


def sample(k: int) -> Document:
    """A page whose second segment's machine translation is a test-set sentence."""
    segments = [
        Segment(0, "body", f"Phrase {k}.", "fr", 0, {"en": f"Sentence {k}.", "vi": f"Câu {k}."}),
        Segment(1, "body", f"Autre {k}.", "fr", 1, {"en": "The cat sleeps.", "vi": f"Khác {k}."}),
        Segment(2, "caption", "Con mèo ngủ.", "vi", 2),
        Segment(3, "caption", "Le chat dort.", "fr", 3, {"en": f"Cat {k}.", "vi": f"Mèo {k}."}),
    ]
    return Document(f"p{k}.txt", segments, [Alignment(2, (3,), 0.9)])


def test_a_target_side_match_keeps_the_row_out_of_every_file(tmp_path: Path) -> None:
    with CorpusWriter(
        tmp_path, ["en", "vi"], {}, exclusion=Exclusion(["the cat sleeps"])
    ) as writer:
        writer.add(sample(0))
        writer.add(sample(1))
    for name in ("mt.fr-en.fr", "mt.fr-vi.fr"):
        lines = (tmp_path / name).read_text().splitlines()
        assert lines == ["Phrase 0.", "Le chat dort.", "Phrase 1."]  # the caption's French once
    files = ("mt.fr-en", "mt.fr-vi", "corpus.tmx", "pairs.fr-vi")
    assert [writer.excluded[name] for name in files] == [2, 2, 2, 0]
    assert [writer.duplicates[name] for name in files] == [1, 1, 1, 1]
    assert re.findall(r"<seg>([^<]*)</seg>", (tmp_path / "corpus.tmx").read_text())[:3] == [
        "Phrase 0.", "Sentence 0.", "Câu 0.",
    ]  # fmt: skip


def test_a_tu_with_more_translations_kept_is_not_a_duplicate_of_one_with_fewer(
    tmp_path: Path,
) -> None:
    """Near-duplicate French, normalized: the first's Vietnamese is under --min-score, the
    second's is not; the second's tu carries what the first's lacks, so the TMX keeps both (as
    mt.fr-vi keeps the second), and a third like the first is a duplicate."""

    def page(k: int, text: str, vi_score: float) -> Document:
        translations = {"en": "The cat sleeps.", "vi": f"Mèo ngủ {k}."}
        segment = Segment(0, "body", text, "fr", 0, translations, {"en": -0.2, "vi": vi_score})
        return Document(f"p{k}.txt", [segment], [])

    with CorpusWriter(tmp_path, ["en", "vi"], {}, min_score=-1.0, dedupe="normalized") as writer:
        writer.add(page(0, "Le chat dort.", -3.0))
        writer.add(page(1, "le chat dort", -0.5))
        writer.add(page(2, "LE CHAT DORT !", -3.0))
    units = re.findall(r"<tu .*?</tu>", (tmp_path / "corpus.tmx").read_text(), re.S)
    assert [re.findall(r"<seg>([^<]*)</seg>", u) for u in units] == [
        ["Le chat dort.", "The cat sleeps."],
        ["le chat dort", "The cat sleeps.", "Mèo ngủ 1."],
    ]
    assert (tmp_path / "mt.fr-vi.vi").read_text().splitlines() == ["Mèo ngủ 1."]
    assert writer.duplicates["corpus.tmx"] == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "no such file"), (b"", "empty"), (b"\x00\x01\x02" * 50, "binary")],
)
def test_a_bad_test_set_file_is_named_before_any_work(
    tmp_path: Path, content: bytes | None, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    test_set = tmp_path / "flores.txt"
    if content is not None:
        test_set.write_bytes(content)
    out = tmp_path / "out"
    assert main([str(SEEDS[0]), "-o", str(out), "--no-mt", "--exclude", str(test_set)]) == 2
    err = capsys.readouterr().err
    assert str(test_set) in err and problem in err and "Traceback" not in err
    assert not out.exists()


def test_an_unknown_dedupe_mode_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="dedupe must be one of exact, normalized, none"):
        build_corpus([str(SEEDS[0])], tmp_path, None, Settings(dedupe="fuzzy"))
    with pytest.raises(SystemExit) as e:
        main([str(SEEDS[0]), "-o", str(tmp_path), "--no-mt", "--dedupe", "fuzzy"])
    assert e.value.code == 2


def test_near_misses_are_written_once_and_kept_out_like_pairs(tmp_path: Path) -> None:
    """A page published twice lists its unpaired caption once; one matching a test set not at
    all (as its pair would not have been)."""

    def page(k: int, caption: str) -> Document:
        segments = [
            Segment(0, "caption", caption, "vi", 0),
            Segment(1, "body", "Le chat dort.", "fr", 1),
        ]
        return Document(f"p{k}.txt", segments, [], near_misses=[NearMiss(0, (1,), 0.2, 0.6)])

    exclusion = Exclusion(["con cho chay"])
    with CorpusWriter(tmp_path, [], {}, exclusion=exclusion) as writer:
        for k, caption in enumerate(["Con mèo ngủ.", "Con mèo ngủ.", "Con chó chạy."]):
            writer.add(page(k, caption))
    records = [json.loads(line) for line in (tmp_path / REJECTED_JSONL).read_text().splitlines()]
    assert [(r["doc"], r["vi"]) for r in records] == [("p0.txt", "Con mèo ngủ.")]
    assert writer.duplicates["pairs.rejected"] == 1 and writer.excluded["pairs.rejected"] == 1
