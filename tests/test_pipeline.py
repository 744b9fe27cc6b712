"""The pipeline: shared batches across documents, streaming windows, long sentences recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual import ConfigError, ModelError, Pipeline, Settings, Translator
from conftest import SEEDS


class Recorder:
    """A stand-in translator that records each call (the aligner's logic needs no model)."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, sentences: list[str]) -> list[str]:
        self.calls.append(list(sentences))
        return [s.upper() for s in sentences]


def test_documents_share_translation_calls(tmp_path: Path) -> None:
    recorder = Recorder()
    documents = list(Pipeline.of({"en": recorder}).run([str(p) for p in SEEDS]))
    assert len(recorder.calls) == 1  # both documents in one call, batched together
    translated = [s for d in documents for s in d.segments if s.translations]
    assert recorder.calls[0] == [s.text for s in translated]
    assert all(s.translations["en"] == s.text.upper() for s in translated)


def test_windows_bound_what_is_read_ahead(tmp_path: Path) -> None:
    recorder = Recorder()
    paths = [str(p) for p in SEEDS] * 3
    documents = list(Pipeline.of({"en": recorder}, Settings(window=10)).run(paths))
    assert [d.path for d in documents] == paths
    assert len(recorder.calls) == len(paths)  # each seed has more than 10 sentences
    assert all(len(call) < 40 for call in recorder.calls)


def test_bad_documents_are_yielded_with_their_error(tmp_path: Path) -> None:
    documents = list(Pipeline.of().run([str(tmp_path / "missing.txt"), str(SEEDS[0])]))
    assert documents[0].error is not None and "missing.txt" in documents[0].error
    assert documents[1].error is None and documents[1].segments


def test_a_sentence_too_long_for_the_model_is_recorded(
    tmp_path: Path, model_dirs: dict[str, Path]
) -> None:
    clause = "le Comité du Parti du ministère des Affaires étrangères a travaillé avec les délégués"
    page = tmp_path / "long.txt"
    page.write_text(
        "Un titre\n\nBáo ABáo A01/01/2024\n\n" + ", ".join([clause] * 40) + ".\n", "utf-8"
    )
    pipeline = Pipeline.of(
        {"en": Translator(model_dirs["en"], device="cpu")}, Settings(max_new_tokens=4)
    )
    (document,) = pipeline.run([str(page)])
    long = max(document.segments, key=lambda s: len(s.text))
    assert long.pieces >= 2
    assert long.translations["en"]


@pytest.mark.slow  # a subprocess
def test_directories_are_inputs_as_for_the_command(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    for k, seed in enumerate(SEEDS):
        (tmp_path / "in" / ("sub" if k else "") / f"{k}.txt").write_bytes(seed.read_bytes())
    (tmp_path / "in" / "notes.md").write_text("not a page")
    documents = list(Pipeline.of().run([str(tmp_path / "in")]))
    assert [d.path for d in documents] == [
        str(tmp_path / "in" / "0.txt"),
        str(tmp_path / "in" / "sub" / "1.txt"),
    ]
    assert all(d.error is None and d.alignments for d in documents)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"translators": {"en": 42}}, "not a translator"),
        ({"settings": Settings(window=0)}, "window"),
        ({"settings": Settings(max_new_tokens=0)}, "max_new_tokens"),
        ({"settings": Settings(beams=0)}, "beams"),
    ],
)
def test_configuration_mistakes_are_config_errors(arguments: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=message):
        Pipeline.of(**arguments)


def test_a_translator_that_loses_sentences_is_an_error() -> None:
    class Lossy:
        def translate(self, sentences: list[str]) -> list[str]:
            return sentences[1:]

    with pytest.raises(ModelError, match="returned"):
        list(Pipeline.of({"en": Lossy()}).run([str(SEEDS[0])]))


@pytest.mark.slow  # three pages translated
def test_progress_counts_each_sentence_once_per_target(
    tmp_path: Path, model_dirs: dict[str, Path]
) -> None:
    page = SEEDS[0].read_text("utf-8")
    for k in range(3):  # the same sentences thrice: the model translates each distinct one once
        (tmp_path / f"page{k}.txt").write_text(page, "utf-8")
    done: list[int] = []
    models = {lang: Translator(model_dirs[lang], device="cpu") for lang in ("en", "vi")}
    documents = list(
        Pipeline.of(models, Settings(window=10_000), progress=done.append).run([str(tmp_path)])
    )
    sentences = sum(1 for d in documents for s in d.segments if s.translatable)
    assert len({s.text for d in documents for s in d.segments if s.translatable}) < sentences
    assert sum(done) == sentences * 2 and all(n > 0 for n in done)
