"""The library's corpus build: the command's files from Python, resume, stale outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilingual import Settings, Translator, build_corpus
from bilingual.corpus import STATE_DIR
from conftest import SEEDS

CORPUS_FILES = [
    "segments.jsonl", "pairs.fr-vi.jsonl", "pairs.fr-vi.tsv", "pairs.fr-vi.fr", "pairs.fr-vi.vi",
    "mt.fr-en.tsv", "mt.fr-en.fr", "mt.fr-en.en", "mt.fr-vi.tsv", "mt.fr-vi.fr", "mt.fr-vi.vi",
    "corpus.tmx", "pairs.rejected.jsonl",
]  # fmt: skip


def run_json(outdir: Path) -> dict:  # type: ignore[type-arg]
    run = json.loads((outdir / "run.json").read_text("utf-8"))
    del run["seconds"]
    return run


@pytest.mark.slow  # a build with models, beside the command's (conftest's seeds_built)
def test_build_corpus_writes_the_same_files_as_the_command(
    tmp_path: Path, model_dirs: dict[str, Path], seeds_built: Path
) -> None:
    models = {lang: str(path) for lang, path in model_dirs.items()}
    command, library = seeds_built, tmp_path / "library"  # the command: --device cpu --no-cache
    report = build_corpus(
        [str(s) for s in SEEDS], library, models, Settings(device="cpu", cache=False)
    )
    assert report.failures == [] and report.documents == len(SEEDS)
    for name in CORPUS_FILES:
        assert (library / name).read_bytes() == (command / name).read_bytes(), name
    assert run_json(library) == run_json(command)
    assert run_json(library)["model_revisions"]["en"].startswith(models["en"] + "@")


class Flaky:
    """A translator that fails on its ``fail_at``-th call, as a crash in the middle of a run."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fail_at = fail_at

    def translate(self, sentences: list[str]) -> list[str]:
        self.calls.append(list(sentences))
        if len(self.calls) == self.fail_at:
            raise RuntimeError("crash")
        return [s[::-1] for s in sentences]


def test_resume_translates_only_what_an_interrupted_run_did_not_finish(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for k in range(6):
        page = SEEDS[k % 2].read_text("utf-8").replace("Selon VNA", f"Selon VNA ({k})")
        (inputs / f"doc{k}.txt").write_text(page, "utf-8")
    original = (
        Path(__file__).parent / "data" / "original_000.txt",
    )  # links made after resuming too
    one_at_a_time = Settings(window=1, cache=False, originals=original)
    clean = tmp_path / "clean"
    build_corpus([str(inputs)], clean, {"en": Flaky()}, one_at_a_time)

    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="crash"):
        build_corpus([str(inputs)], out, {"en": Flaky(fail_at=4)}, one_at_a_time)
    assert len(list((out / STATE_DIR).glob("*.json"))) == 3  # three documents were finished
    assert not (out / "segments.jsonl").exists()

    again = Flaky()
    resume = Settings(window=1, cache=False, resume=True, originals=original)
    report = build_corpus([str(inputs)], out, {"en": again}, resume)
    assert report.resumed == 3 and len(again.calls) == 3
    assert (clean / "article.fr-vi.jsonl").stat().st_size > 0
    files = (
        "segments.jsonl",
        "mt.fr-en.en",
        "corpus.tmx",
        "pairs.fr-vi.jsonl",
        "article.fr-vi.jsonl",
    )
    for name in files:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    assert not (out / STATE_DIR).exists()


def test_resume_never_reuses_documents_of_other_settings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        build_corpus(
            [str(s) for s in SEEDS], out, {"en": Flaky(fail_at=2)}, Settings(window=1, cache=False)
        )
    again = Flaky()
    report = build_corpus(
        [str(s) for s in SEEDS], out, {"en": again}, Settings(window=1, beams=2, resume=True)
    )
    assert report.resumed == 0 and len(again.calls) == 2


@pytest.mark.slow  # two builds with models
def test_a_rerun_with_fewer_targets_removes_the_old_translation_files(
    tmp_path: Path, model_dirs: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    en = Translator(model_dirs["en"], device="cpu")
    both = {"en": en, "vi": Translator(model_dirs["vi"], device="cpu")}
    build_corpus([str(SEEDS[0])], out, both, Settings(cache=False))
    assert (out / "mt.fr-vi.vi").exists()
    (out / "mt.fr-vi.notes").write_text("mine")  # not a file bilingual writes: kept
    build_corpus([str(SEEDS[0])], out, {"en": en}, Settings(cache=False))
    assert sorted(p.name for p in out.glob("mt.fr-*")) == [
        "mt.fr-en.en", "mt.fr-en.fr", "mt.fr-en.tsv", "mt.fr-vi.notes"
    ]  # fmt: skip
    assert "mt.fr-vi.tsv" in caplog.text
    tmx = (out / "corpus.tmx").read_text("utf-8")
    assert 'xml:lang="vi"' not in tmx
