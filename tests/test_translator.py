"""The Translator: the real engine on a tiny real Marian model."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import torch

from bilingual import ModelError, Translator
from bilingual.errors import ConfigError
from bilingual.translate import Generation
from conftest import SENTENCES


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
        # 7 generated tokens, the last forced to </s>: six target pieces, which the source
        # tokenizer (another vocabulary) may cut finer, but not beyond twice as many
        assert 1 <= len(ids(text, add_special_tokens=False)["input_ids"]) <= 12
    beams = tiny_translator.translate(SENTENCES[:3], max_new_tokens=6, num_beams=3)
    assert len(beams) == 3 and all(beams)


def test_long_sentence_is_translated_in_pieces_not_truncated(tiny_translator: Translator) -> None:
    clause = "le Comité du Parti du ministère des Affaires étrangères a travaillé avec les délégués"
    long = ", ".join([clause] * 40) + "."
    assert tiny_translator.length(long) > 600
    pieces = tiny_translator.fit(long)
    assert len(pieces) >= 2
    assert all(tiny_translator.length(p) <= tiny_translator.max_source_tokens for p in pieces)
    assert "".join(pieces).replace(" ", "") == long.replace(" ", "")  # nothing dropped
    out = tiny_translator.translate([long], max_new_tokens=4)
    assert len(out) == 1 and out[0]
    (result,) = tiny_translator.run([long], Generation(max_new_tokens=4))
    assert result.pieces == len(pieces) and result.text == out[0]


def test_one_enormous_word_is_cut_too(tiny_translator: Translator) -> None:
    word = "anticonstitutionnellement" * 200
    pieces = tiny_translator.fit(word)
    assert "".join(pieces) == word
    assert all(tiny_translator.length(p) <= tiny_translator.max_source_tokens for p in pieces)


def test_int8_runs(model_dirs: dict[str, Path]) -> None:
    int8 = Translator(model_dirs["en"], device="cpu", precision="int8")
    quantized = torch.ao.nn.quantized.dynamic.Linear
    assert any(isinstance(m, quantized) for m in int8.model.modules())
    assert not any(type(m) is torch.nn.Linear for m in int8.model.modules())
    out = int8.translate(SENTENCES, max_new_tokens=5)
    assert len(out) == len(SENTENCES) and all(out)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads Linux's memory map")
def test_a_quantised_model_does_not_keep_its_weights_file_mapped(
    tmp_path: Path, model_dirs: dict[str, Path]
) -> None:
    # The fp32 weights would stay resident beside the int8 ones for as long as it is mapped.
    for f in model_dirs["en"].iterdir():  # a file of its own: no other model maps it
        (tmp_path / f.name).write_bytes(f.read_bytes())
    weights = str((tmp_path / "model.safetensors").resolve())

    def mapped() -> bool:
        return weights in Path("/proc/self/maps").read_text()

    fp32 = Translator(tmp_path, device="cpu")
    assert mapped()  # fp32 uses the weights where they load: the check can see a mapping
    del fp32
    gc.collect()
    int8 = Translator(tmp_path, device="cpu", precision="int8")
    assert not mapped()
    assert int8.translate(SENTENCES[:2], max_new_tokens=3)[0]


def test_fp16_is_refused_on_cpu(model_dirs: dict[str, Path]) -> None:
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


def test_the_callers_torch_threads_are_never_changed(model_dirs: dict[str, Path]) -> None:
    before = torch.get_num_threads()
    one = Translator(model_dirs["en"], device="cpu", threads=1, max_sentences=2)
    assert torch.get_num_threads() == before
    one.translate(SENTENCES, max_new_tokens=4)
    assert torch.get_num_threads() == before


@pytest.mark.slow  # translates for seconds with the tiny models
def test_two_translators_in_one_process_do_not_interfere(model_dirs: dict[str, Path]) -> None:
    import threading

    one = Translator(model_dirs["en"], device="cpu", threads=1, workers=1, max_sentences=2)
    two = Translator(model_dirs["vi"], device="cpu", threads=2, workers=1, max_sentences=2)
    expected = {"en": one.translate(SENTENCES, max_new_tokens=6)}
    expected["vi"] = two.translate(SENTENCES, max_new_tokens=6)
    got: dict[str, list[list[str]]] = {"en": [], "vi": []}

    def work(lang: str, translator: Translator) -> None:
        for _ in range(3):
            got[lang].append(translator.translate(SENTENCES, max_new_tokens=6))

    threads = [threading.Thread(target=work, args=item) for item in (("en", one), ("vi", two))]
    before = torch.get_num_threads()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == {lang: [expected[lang]] * 3 for lang in expected}
    assert torch.get_num_threads() == before


def test_threads_and_workers_must_be_positive(model_dirs: dict[str, Path]) -> None:
    for option in ("workers", "threads"):
        with pytest.raises(ConfigError, match=option):
            Translator(model_dirs["en"], device="cpu", **{option: 0})


def test_the_default_is_the_models_own_beam_search(tiny_translator: Translator) -> None:
    assert tiny_translator.default_beams == 4  # opus-mt's generation config, as the test models'
    default = tiny_translator.translate(SENTENCES, max_new_tokens=8)
    assert default == tiny_translator.translate(SENTENCES, max_new_tokens=8, num_beams=4)
    greedy = tiny_translator.translate(SENTENCES, max_new_tokens=8, num_beams=1)
    assert greedy != default  # the tiny model's beams find other translations


def test_scores_and_alternatives(tiny_translator: Translator) -> None:
    found = tiny_translator.translate(
        SENTENCES, max_new_tokens=8, num_beams=4, num_return_sequences=3, return_scores=True
    )
    texts = tiny_translator.translate(SENTENCES, max_new_tokens=8, num_beams=4)
    assert [t.text for t in found] == texts  # n-best does not change the best
    for translation in found:
        assert translation.score is not None and translation.score <= 0
        assert len(translation.alternatives) == 2
        scores = [translation.score] + [a.score for a in translation.alternatives]
        assert scores == sorted(scores, reverse=True)  # best first
    greedy = tiny_translator.translate(SENTENCES[:2], num_beams=1, return_scores=True)
    assert all(t.score is not None and t.score <= 0 and not t.alternatives for t in greedy)


def test_more_alternatives_than_beams_is_a_config_error(tiny_translator: Translator) -> None:
    with pytest.raises(ConfigError, match="num_return_sequences"):
        tiny_translator.translate(SENTENCES, num_beams=2, num_return_sequences=3)
    with pytest.raises(ConfigError, match="4 beams"):
        tiny_translator.translate(SENTENCES, num_return_sequences=5)
