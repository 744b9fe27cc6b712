"""The pipeline: shared batches across documents, streaming windows, long sentences recorded."""

from __future__ import annotations

from pathlib import Path

from bilingual import Pipeline, Translator
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
    documents = list(Pipeline({"en": recorder}).run([str(p) for p in SEEDS]))
    assert len(recorder.calls) == 1  # both documents in one call, batched together
    translated = [s for d in documents for s in d.segments if s.translations]
    assert recorder.calls[0] == [s.text for s in translated]
    assert all(s.translations["en"] == s.text.upper() for s in translated)


def test_windows_bound_what_is_read_ahead(tmp_path: Path) -> None:
    recorder = Recorder()
    paths = [str(p) for p in SEEDS] * 3
    documents = list(Pipeline({"en": recorder}, window=10).run(paths))
    assert [d.path for d in documents] == paths
    assert len(recorder.calls) == len(paths)  # each seed has more than 10 sentences
    assert all(len(call) < 40 for call in recorder.calls)


def test_bad_documents_are_yielded_with_their_error(tmp_path: Path) -> None:
    documents = list(Pipeline().run([str(tmp_path / "missing.txt"), str(SEEDS[0])]))
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
    pipeline = Pipeline(
        {"en": Translator(model_dirs["en"], device="cpu")}, generation={"max_new_tokens": 4}
    )
    (document,) = pipeline.run([str(page)])
    long = max(document.segments, key=lambda s: len(s.text))
    assert long.pieces >= 2
    assert long.translations["en"]
