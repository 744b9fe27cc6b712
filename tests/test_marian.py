"""The real engine on a tiny real Marian model."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from bilingual import ModelError, Translator
from bilingual.errors import ConfigError

SENTENCES = [
    "Scène de la réunion matinale du 22 décembre.",
    "Le Comité central pour la mobilisation des masses.",
    "Truong Thi Mai a prononcé un discours.",
    "Selon VNA",
    "Après 4 ans de mise en œuvre de la décision n° 209 du 26 novembre 2019 du Politburo sur la fusion.",
    "Bonjour.",
    "Les comités du Parti et les organes représentatifs à tous les niveaux.",
]


def test_outputs_depend_on_input(tiny_translator: Translator) -> None:
    # Precondition for the order tests below: the model does not say the same for everything.
    assert len(set(tiny_translator.translate(SENTENCES, max_new_tokens=6))) >= 3


def test_batched_greedy_equals_one_at_a_time(tiny_translator: Translator) -> None:
    batched = tiny_translator.translate(SENTENCES, max_new_tokens=8)
    single = [tiny_translator.translate([s], max_new_tokens=8)[0] for s in SENTENCES]
    assert batched == single


def test_order_is_kept_whatever_the_batching(model_dirs: dict[str, Path]) -> None:
    small = Translator(model_dirs["en"], device="cpu", max_tokens=40, max_sentences=2)
    reversed_out = small.translate(SENTENCES[::-1], max_new_tokens=6)
    assert reversed_out[::-1] == small.translate(SENTENCES, max_new_tokens=6)


def test_duplicates_are_translated_once(tiny_translator: Translator) -> None:
    done: list[int] = []
    out = tiny_translator.translate(
        [SENTENCES[0], SENTENCES[1], SENTENCES[0], SENTENCES[0]],
        max_new_tokens=5,
        progress=done.append,
    )
    assert sum(done) == 2
    assert out[0] == out[2] == out[3]


def test_empty_strings_pass_through(tiny_translator: Translator) -> None:
    out = tiny_translator.translate(["", SENTENCES[0], "   "], max_new_tokens=5)
    assert out[0] == "" and out[2] == "" and out[1]


def test_non_empty_source_never_gets_empty_output(tiny_translator: Translator) -> None:
    assert all(tiny_translator.translate(SENTENCES, max_new_tokens=4))


def test_generation_options_are_passed_on(tiny_translator: Translator) -> None:
    ids = tiny_translator.tokenizer
    exact = tiny_translator.translate(SENTENCES[:3], max_new_tokens=7, min_new_tokens=7)
    for text in exact:
        # 7 generated tokens, the last forced to </s>: at most 6 pieces of text
        assert 1 <= len(ids(text, add_special_tokens=False)["input_ids"]) <= 12
    beams = tiny_translator.translate(SENTENCES[:3], max_new_tokens=6, num_beams=3)
    assert len(beams) == 3 and all(beams)


def test_long_sentence_is_translated_in_pieces_not_truncated(tiny_translator: Translator) -> None:
    clause = "le Comité du Parti du ministère des Affaires étrangères a travaillé avec les délégués"
    long = ", ".join([clause] * 40) + "."
    assert tiny_translator._length(long) > 600
    pieces = tiny_translator.fit(long)
    assert len(pieces) >= 2
    assert all(tiny_translator._length(p) <= tiny_translator.max_source_tokens for p in pieces)
    assert "".join(pieces).replace(" ", "") == long.replace(" ", "")  # nothing dropped
    out = tiny_translator.translate([long], max_new_tokens=4)
    assert len(out) == 1 and out[0]


def test_one_enormous_word_is_cut_too(tiny_translator: Translator) -> None:
    word = "anticonstitutionnellement" * 200
    pieces = tiny_translator.fit(word)
    assert "".join(pieces) == word
    assert all(tiny_translator._length(p) <= tiny_translator.max_source_tokens for p in pieces)


def test_int8_runs(model_dirs: dict[str, Path]) -> None:
    int8 = Translator(model_dirs["en"], device="cpu", precision="int8")
    quantized = torch.ao.nn.quantized.dynamic.Linear
    assert any(isinstance(m, quantized) for m in int8.model.modules())
    assert not any(type(m) is torch.nn.Linear for m in int8.model.modules())
    out = int8.translate(SENTENCES, max_new_tokens=5)
    assert len(out) == len(SENTENCES) and all(out)


def test_out_of_memory_halves_the_batch(
    tiny_translator: Translator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A CUDA OOM cannot happen on this machine; simulate one for batches over two sentences.
    real = tiny_translator._generate_batch
    sizes: list[int] = []

    def flaky(ids, *args):  # type: ignore[no-untyped-def]
        sizes.append(len(ids))
        if len(ids) > 2:
            raise torch.OutOfMemoryError("simulated")
        return real(ids, *args)

    expected = tiny_translator.translate(SENTENCES, max_new_tokens=5)
    monkeypatch.setattr(tiny_translator, "_generate_batch", flaky)
    assert tiny_translator.translate(SENTENCES, max_new_tokens=5) == expected
    assert max(sizes) > 2 and sizes[-1] <= 2


def test_int8_is_refused_on_a_gpu_and_fp16_on_cpu(model_dirs: dict[str, Path]) -> None:
    with pytest.raises(ConfigError, match="fp16"):
        Translator(model_dirs["en"], device="cpu", precision="fp16")


def test_broken_model_directory(tmp_path: Path, model_dirs: dict[str, Path]) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in model_dirs["en"].iterdir():
        if f.name != "target.spm":
            (broken / f.name).write_bytes(f.read_bytes())
    with pytest.raises(ModelError, match=r"missing target\.spm"):
        Translator(broken, device="cpu")
    (broken / "target.spm").write_bytes(b"not a sentencepiece model")
    with pytest.raises(ModelError, match="could not be loaded"):
        Translator(broken, device="cpu")


def test_free_memory_is_returned_on_glibc() -> None:
    import platform

    from bilingual.translate.heap import release_free_memory

    blocks = [bytearray(100_000) for _ in range(500)]  # 50 MB below the mmap threshold: heap
    del blocks
    glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert release_free_memory() is glibc


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_parallel_batches_give_the_same_translations(
    model_dirs: dict[str, Path], precision: str
) -> None:
    def translator(workers: int) -> Translator:
        return Translator(
            model_dirs["vi"], device="cpu", precision=precision, workers=workers, max_sentences=2
        )

    serial, parallel = translator(1), translator(2)
    assert parallel.translate(SENTENCES, max_new_tokens=8) == serial.translate(
        SENTENCES, max_new_tokens=8
    )


def test_parallel_batches_run_on_worker_threads_and_restore_torch_threads(
    model_dirs: dict[str, Path],
) -> None:
    import threading

    translator = Translator(model_dirs["en"], device="cpu", workers=2, max_sentences=1)
    seen: list[tuple[str, int]] = []
    generate = translator._generate

    def spy(ids, *args):  # type: ignore[no-untyped-def]
        seen.append((threading.current_thread().name, torch.get_num_threads()))
        return generate(ids, *args)

    translator._generate = spy  # type: ignore[method-assign]
    before = torch.get_num_threads()
    translator.translate(SENTENCES, max_new_tokens=4)
    assert torch.get_num_threads() == before
    assert len(seen) == len(SENTENCES)
    assert all(name.startswith("bilingual-batch") for name, _ in seen)
    if before >= 2:  # the threads are shared out among the workers
        assert {threads for _, threads in seen} == {before // 2}


def test_a_failing_batch_stops_the_others_and_restores_threads(
    model_dirs: dict[str, Path],
) -> None:
    translator = Translator(model_dirs["en"], device="cpu", workers=2, max_sentences=1)
    calls: list[int] = []

    def fail(ids, *args):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise ModelError("boom")

    translator._generate = fail  # type: ignore[method-assign]
    before = torch.get_num_threads()
    many = [f"{s} {k}" for k in range(20) for s in SENTENCES]  # 140 batches of one
    with pytest.raises(ModelError, match="boom"):
        translator.translate(many, max_new_tokens=4)
    assert torch.get_num_threads() == before
    # One batch more than there are workers is ever in flight: the rest were never started.
    assert len(calls) <= 3


@pytest.mark.parametrize(
    ("device", "threads", "workers", "batches", "expected"),
    [
        ("cpu", 2, None, 5, 2),  # the default on two cores: two batches of one thread each
        ("cpu", 1, None, 5, 1),
        ("cpu", 8, None, 5, 2),
        ("cpu", 8, 4, 5, 4),
        ("cpu", 2, 4, 5, 2),  # never more workers than threads
        ("cpu", 2, None, 1, 1),  # nothing to run side by side
        ("cuda", 8, 4, 5, 1),  # a GPU runs one batch at a time
    ],
)
def test_worker_count(
    tiny_translator: Translator,
    monkeypatch: pytest.MonkeyPatch,
    device: str,
    threads: int,
    workers: int | None,
    batches: int,
    expected: int,
) -> None:
    monkeypatch.setattr(tiny_translator, "device", device)
    monkeypatch.setattr(tiny_translator, "workers", workers)
    monkeypatch.setattr(torch, "get_num_threads", lambda: threads)
    assert tiny_translator._workers(batches) == expected


def test_workers_must_be_positive(model_dirs: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="workers"):
        Translator(model_dirs["en"], device="cpu", workers=0)
