"""Pivot through English, the route comparison, and filtering translations by score."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from bilingual import (
    ConfigError,
    Pipeline,
    Pivot,
    Routes,
    Settings,
    Translation,
    Translator,
    build_corpus,
)
from bilingual.align.signals import mt_chrf
from bilingual.cli import main
from conftest import SEEDS

GREEDY = Settings(beams=1, cache=False, device="cpu")


class Counting:
    """An engine that counts what it is asked to translate (and delegates the work)."""

    fingerprint = None

    def __init__(self, inner: Translator) -> None:
        self.inner, self.name = inner, inner.name
        self.sentences: list[str] = []
        self.calls = 0

    def run(self, sentences, generation, progress=None):  # type: ignore[no-untyped-def]
        self.calls += 1
        self.sentences += sentences
        return self.inner.run(sentences, generation, progress)


@pytest.fixture(scope="module")
def translators(model_dirs: dict[str, Path]) -> dict[str, Translator]:
    # The tiny fr->vi model stands in for an en->vi one: a random model takes any text.
    return {lang: Translator(path, device="cpu") for lang, path in model_dirs.items()}


def records(outdir: Path, name: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in (outdir / name).read_text("utf-8").splitlines()]


@pytest.mark.slow  # a build with two models
def test_the_pivot_translates_the_written_english_with_one_french_pass(
    tmp_path: Path, translators: dict[str, Translator]
) -> None:
    en = Counting(translators["en"])
    targets = {"en": en, "vi": Pivot("en", translators["vi"])}
    report = build_corpus([str(s) for s in SEEDS], tmp_path, targets, GREEDY)
    translated = [r for r in records(tmp_path, "segments.jsonl") if r["translations"]]
    assert translated and report.failures == []
    assert en.calls == 1 and sorted(en.sentences) == sorted(r["text"] for r in translated)
    written_en = [r["translations"]["en"] for r in translated]
    expected = translators["vi"].translate(written_en, num_beams=1)
    assert [r["translations"]["vi"] for r in translated] == expected
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["routes"] == {"en": "direct", "vi": "pivot via en"}
    header = ET.parse(tmp_path / "corpus.tmx").getroot().find("header")
    assert header is not None
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert json.loads(props["x-routes"] or "") == run["routes"]


@pytest.mark.slow  # translates for seconds with the tiny models
def test_both_routes_are_measured_on_the_caption_pairs(
    tmp_path: Path, translators: dict[str, Translator]
) -> None:
    pivot = Pivot("en", translators["en"])  # another model, so the routes differ
    targets = {"en": translators["en"], "vi": Routes(translators["vi"], pivot, use="direct")}
    report = build_corpus([str(s) for s in SEEDS], tmp_path, targets, GREEDY)
    pairs = records(tmp_path, "pairs.fr-vi.jsonl")
    comparison = report.route_comparison["vi"]
    assert comparison["pairs"] == len(pairs) == 2 and comparison["used"] == "direct"
    means = comparison["mean_mt_chrf"]
    assert isinstance(means, dict)
    direct = sum(p["mt_chrf"] for p in pairs) / len(pairs)  # the direct translations, written
    assert means["direct"] == pytest.approx(direct, abs=1e-3)
    segments = {(r["doc"], r["index"]): r for r in records(tmp_path, "segments.jsonl")}
    en_texts = [
        [segments[(p["doc"], i)]["translations"]["en"] for i in p["fr_indices"]] for p in pairs
    ]
    pivoted = [" ".join(translators["en"].translate(texts, num_beams=1)) for texts in en_texts]
    expected = sum(mt_chrf(t, p["vi"]) for t, p in zip(pivoted, pairs, strict=True)) / 2
    assert means["pivot via en"] == pytest.approx(expected, abs=1e-4)
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["route_comparison"] == report.route_comparison


@pytest.mark.slow  # builds with three models
def test_the_command_takes_pivots_and_routes(tmp_path: Path, model_dirs: dict[str, Path]) -> None:
    args = [str(SEEDS[0]), "-o", str(tmp_path), "--device", "cpu", "-q", "--no-cache"]
    args += ["--model", f"en={model_dirs['en']}", "--model", f"vi={model_dirs['vi']}"]
    args += ["--pivot", f"vi={model_dirs['en']}", "--route", "vi=pivot", "--beams", "1"]
    assert main(args) == 0
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["routes"] == {"en": "direct", "vi": "pivot via en"}
    assert run["route_comparison"]["vi"]["used"] == "pivot via en"
    assert set(run["route_comparison"]["vi"]["mean_mt_chrf"]) == {"direct", "pivot via en"}


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--pivot", "vi=x", "--to", "vi"], "add it to --to"),
        (["--route", "vi=pivot"], "--route needs both"),
        (["--pivot", "en=x"], "the language pivots go through"),
    ],
)
def test_pivot_flag_mistakes_are_usage_errors(
    tmp_path: Path, flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as e:
        main([str(SEEDS[0]), "-o", str(tmp_path), *flags])
    assert e.value.code == 2 and message in capsys.readouterr().err


def test_a_pivot_needs_its_language_translated_directly() -> None:
    class Echo:
        def translate(self, sentences: list[str]) -> list[str]:
            return sentences

    with pytest.raises(ConfigError, match="pivots through en"):
        Pipeline.of({"vi": Pivot("en", Echo())})


class Scored:
    """A translator with made-up scores, so a threshold splits its translations."""

    name = "scored"
    fingerprint = None

    def run(self, sentences, generation, progress=None):  # type: ignore[no-untyped-def]
        return [Translation(s.upper(), score=-(len(s) % 7) / 4) for s in sentences]


def test_min_score_filters_exactly_the_translations_under_it(tmp_path: Path) -> None:
    full, filtered = tmp_path / "full", tmp_path / "filtered"
    inputs = [str(s) for s in SEEDS]
    build_corpus(inputs, full, {"en": Scored(), "vi": Scored()}, GREEDY)
    report = build_corpus(
        inputs, filtered, {"en": Scored(), "vi": Scored()}, Settings(cache=False, min_score=-0.75)
    )
    segments = records(filtered, "segments.jsonl")
    assert segments == records(full, "segments.jsonl")  # every translation, with its score
    for lang in ("en", "vi"):
        scored = [r for r in segments if lang in r["translations"]]
        kept = [r for r in scored if r["scores"][lang] >= -0.75]
        assert 0 < len(kept) < len(scored)
        rows = (filtered / f"mt.fr-{lang}.tsv").read_text("utf-8").splitlines()[1:]
        assert [row.split("\t")[1] for row in rows] == [str(r["index"]) for r in kept]
        assert (filtered / f"mt.fr-{lang}.{lang}").read_text("utf-8").splitlines() == [
            r["translations"][lang]
            for r in kept  # as segments.jsonl has them
        ]
        tuvs = (
            ET.parse(filtered / "corpus.tmx")
            .getroot()
            .findall(f"./body/tu/tuv[@{{http://www.w3.org/XML/1998/namespace}}lang='{lang}']")
        )
        assert len(tuvs) == len(kept)
        assert report.filtered[lang] == len(scored) - len(kept)
    for name in ("pairs.fr-vi.jsonl", "pairs.fr-vi.tsv", "pairs.fr-vi.fr", "pairs.fr-vi.vi"):
        assert (filtered / name).read_bytes() == (full / name).read_bytes(), name  # human pairs
    assert json.loads((filtered / "run.json").read_text())["filtered"] == report.filtered


def test_generation_settings_reach_the_pivot(translators: dict[str, Translator]) -> None:
    pipeline = Pipeline.of(
        {"en": translators["en"], "vi": Pivot("en", translators["vi"])},
        Settings(beams=1, max_new_tokens=3),
    )
    (document,) = pipeline.run([str(SEEDS[1])])
    french = [s for s in document.segments if s.translations]
    out = translators["vi"].translate(
        [s.translations["en"] for s in french], num_beams=1, max_new_tokens=3
    )
    assert [s.translations["vi"] for s in french] == out


def test_the_cache_keys_on_the_route(tmp_path: Path, translators: dict[str, Translator]) -> None:
    settings = Settings(cache_path=tmp_path / "cache.sqlite")
    vi = translators["vi"]
    with (
        Pipeline.of({"en": translators["en"], "vi": vi}, settings) as direct,
        Pipeline.of({"en": translators["en"], "vi": Pivot("en", vi)}, settings) as pivot,
    ):
        assert direct.engines["vi"].fingerprint == vi.fingerprint
        assert pivot.engines["vi"].fingerprint == f"{vi.fingerprint}<en"
        assert pivot.engines["en"].fingerprint == translators["en"].fingerprint


@pytest.mark.slow  # translates for seconds with the tiny models
@pytest.mark.parametrize("use", ["direct", "pivot"])
def test_a_direct_model_still_translates_when_its_pivots_source_fails_to_load(
    tmp_path: Path, model_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str], use: str
) -> None:
    broken = tmp_path / "opus-mt-fr-en"  # a model directory without its weights
    broken.mkdir()
    (broken / "config.json").write_bytes((model_dirs["en"] / "config.json").read_bytes())
    common = [*map(str, SEEDS), "--device", "cpu", "-q", "--no-cache", "--beams", "1"]
    alone = tmp_path / "alone"
    assert main([*common, "-o", str(alone), "--to", "vi", "--model", f"vi={model_dirs['vi']}"]) == 0
    out = tmp_path / "out"
    args = [*common, "-o", str(out), "--model", f"en={broken}", "--model", f"vi={model_dirs['vi']}"]
    args += ["--pivot", f"vi={model_dirs['en']}", "--route", f"vi={use}"]
    assert main(args) == 1  # en failed; vi is whole
    err = capsys.readouterr().err
    assert "no en translation" in err and "pivot via en dropped" in err and "Traceback" not in err
    # vi is translated by its direct model, as a run with that model alone translates it.
    assert (out / "mt.fr-vi.tsv").read_text("utf-8") == (alone / "mt.fr-vi.tsv").read_text("utf-8")
    assert not (out / "mt.fr-en.tsv").exists()
    run = json.loads((out / "run.json").read_text())
    assert [f["model"] for f in run["failures"]] == [str(broken)]
    assert run["routes"] == {"vi": "direct"} and run["models"]["vi"] == str(model_dirs["vi"])
    assert "en has no translation" in run["route_notes"]["vi"]
    assert "route_comparison" not in run or run["route_comparison"] == {}


class JustUnder:
    """A translator whose every score is a hair under -0.75: written as -0.75, but under it."""

    name = "just-under"
    fingerprint = None

    def run(self, sentences, generation, progress=None):  # type: ignore[no-untyped-def]
        return [Translation(s.upper(), score=-0.75004) for s in sentences]


def test_min_score_compares_the_unrounded_score(tmp_path: Path) -> None:
    settings = Settings(cache=False, min_score=-0.75, report=False)
    report = build_corpus([str(SEEDS[0])], tmp_path, {"en": JustUnder()}, settings)
    scored = [r for r in records(tmp_path, "segments.jsonl") if "en" in r["translations"]]
    assert scored and all(r["scores"]["en"] == -0.75 for r in scored)  # rounded as written
    assert report.filtered["en"] == len(scored)  # and none kept: -0.75004 < -0.75
    assert (tmp_path / "mt.fr-en.tsv").read_text("utf-8").splitlines()[1:] == []


class Straddling:
    """Scores a hair either side of -0.75, both written -0.75: -0.75004 for a sentence of even
    length (under the threshold), -0.74996 for one of odd length (over it)."""

    name = "straddling"
    fingerprint = None

    def run(self, sentences, generation, progress=None):  # type: ignore[no-untyped-def]
        return [
            Translation(s.upper(), score=-0.75 + (len(s) % 2 * 2 - 1) * 4e-5) for s in sentences
        ]


def test_min_score_decides_alike_in_a_corpus_build_and_in_line_mode(tmp_path: Path) -> None:
    from bilingual.lines import translate_lines

    settings = Settings(cache=False, min_score=-0.75, report=False, dedupe="none")
    build_corpus([str(s) for s in SEEDS], tmp_path, {"en": Straddling()}, settings)
    scored = [r for r in records(tmp_path, "segments.jsonl") if "en" in r["translations"]]
    assert scored and all(r["scores"]["en"] == -0.75 for r in scored)  # one score as written
    over = [(r["doc"], str(r["index"])) for r in scored if len(r["text"]) % 2]
    rows = (tmp_path / "mt.fr-en.tsv").read_text("utf-8").splitlines()[1:]
    assert [tuple(row.split("\t")[:2]) for row in rows] == over  # only those over -0.75
    assert 0 < len(over) < len(scored)
    source, out = tmp_path / "in.fr", tmp_path / "out.en"
    source.write_text("".join(f"{r['text']}\n" for r in scored), encoding="utf-8")
    translate_lines(str(source), Straddling(), out, min_score=-0.75)
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == len(scored)
    kept = [(r["doc"], str(r["index"])) for r, line in zip(scored, lines, strict=True) if line]
    assert kept == over  # the same translations kept
