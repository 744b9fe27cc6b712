"""The beam decoder gives exactly generate's hypotheses and sequences_scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from bilingual import Translator
from bilingual.translate.beam import BeamDecoder
from bilingual.translate.decoding import Hypothesis
from bilingual.translate.support import supports
from conftest import SENTENCES
from test_greedy import batch


@pytest.fixture(scope="module")
def eager(model_dirs: dict[str, Path]) -> Translator:
    """A tiny model whose ``</s>`` is likely enough that hypotheses end at different steps.

    Random weights rarely end a sentence; the bias of ``</s>`` is raised until the best
    hypotheses of the batch end at three or more different lengths (generate sees the same
    model).
    """
    translator = Translator(model_dirs["en"], device="cpu")
    ids, mask = batch(translator, SENTENCES)
    decoder = BeamDecoder(translator.model)
    eos = decoder.network.eos
    for boost in range(20, 40):
        translator.model.final_logits_bias[0, eos] = boost / 2
        found = decoder(ids, mask, 12, 0, beams=4)
        if len({len(hypotheses[0].tokens) for hypotheses in found}) >= 3:
            return translator
    raise AssertionError("no bias made hypotheses end at different steps")


def stock(model: Any, ids: torch.Tensor, mask: torch.Tensor, **settings: Any) -> list[Hypothesis]:
    """generate's hypotheses, flat (num_return_sequences per sentence, best first)."""
    with torch.inference_mode():
        out = model.generate(
            input_ids=ids,
            attention_mask=mask,
            do_sample=False,
            output_scores=True,
            return_dict_in_generate=True,
            **settings,
        )
    eos, found = model.generation_config.eos_token_id, []
    for row, score in zip(out.sequences.tolist(), out.sequences_scores.tolist(), strict=True):
        generated = row[1:]  # no start token; then up to </s>, or all (ended by the cap)
        end = generated.index(eos) if eos in generated else len(generated)
        found.append(Hypothesis(tuple(generated[:end]), score))
    return found


def assert_same(ours: list[list[Hypothesis]], theirs: list[Hypothesis]) -> None:
    flat = [hypothesis for hypotheses in ours for hypothesis in hypotheses]
    assert [h.tokens for h in flat] == [h.tokens for h in theirs]
    for mine, reference in zip(flat, theirs, strict=True):
        assert mine.score == pytest.approx(reference.score, abs=1e-4)


# Every beam width meets every length penalty, early stopping cycling through its three values.
GRID = [
    (beams, penalty, stopping, returned)
    for i, (beams, penalty) in enumerate((b, p) for b in (2, 4, 8) for p in (0.6, 1.0, 2.0))
    for stopping in [(True, False, "never")[i % 3]]
    for returned in [1 if i % 2 else min(beams, 3)]
]


@pytest.mark.parametrize(("beams", "penalty", "stopping", "returned"), GRID)
def test_same_hypotheses_as_generate(
    eager: Translator, beams: int, penalty: float, stopping: bool | str, returned: int
) -> None:
    ids, mask = batch(eager, SENTENCES)
    assert not bool(mask.all()), "the batch must hold padding"
    settings = {"length_penalty": penalty, "early_stopping": stopping}
    ours = BeamDecoder(eager.model)(ids, mask, 12, 0, beams=beams, num_return=returned, **settings)
    assert all(len(hypotheses) == returned for hypotheses in ours)
    theirs = stock(
        eager.model, ids, mask, max_new_tokens=12, min_new_tokens=0, num_beams=beams,
        num_return_sequences=returned, **settings,
    )  # fmt: skip
    assert_same(ours, theirs)


@pytest.mark.parametrize(("max_new", "min_new"), [(8, 3), (6, 6), (1, 0)])
def test_length_limits_as_generate(eager: Translator, max_new: int, min_new: int) -> None:
    ids, mask = batch(eager, SENTENCES)
    ours = BeamDecoder(eager.model)(ids, mask, max_new, min_new, beams=4, num_return=2)
    assert all(len(h.tokens) >= min(min_new, max_new - 1) for hs in ours for h in hs)
    theirs = stock(
        eager.model, ids, mask, max_new_tokens=max_new, min_new_tokens=min_new, num_beams=4,
        num_return_sequences=2,
    )  # fmt: skip
    assert_same(ours, theirs)


def test_nbest_is_ordered_and_distinct(eager: Translator) -> None:
    ids, mask = batch(eager, SENTENCES)
    ours = BeamDecoder(eager.model)(ids, mask, 12, 0, beams=8, num_return=8)
    for hypotheses in ours:
        scores = [h.score for h in hypotheses]
        assert scores == sorted(scores, reverse=True)
        assert len({h.tokens for h in hypotheses}) == 8
    assert len({len(h.tokens) for hs in ours for h in hs}) > 3, "hypotheses end at many steps"


def test_each_sentence_decodes_as_alone_with_its_own_cap(eager: Translator) -> None:
    ids, mask = batch(eager, SENTENCES)
    caps = [3, 12, 7, 5, 12, 2, 9]
    ours = BeamDecoder(eager.model)(ids, mask, caps, 1, beams=4, num_return=2)
    for k, cap in enumerate(caps):
        alone = mask[k].bool()
        theirs = stock(
            eager.model, ids[k : k + 1, alone], mask[k : k + 1, alone], max_new_tokens=cap,
            min_new_tokens=1, num_beams=4, num_return_sequences=2,
        )  # fmt: skip
        assert_same([ours[k]], theirs)


def test_without_forced_end_and_with_a_banned_token(eager: Translator) -> None:
    # Hypotheses cut by the cap keep their last token when no </s> is forced there.
    ids, mask = batch(eager, SENTENCES)
    generation = eager.model.generation_config
    common = BeamDecoder(eager.model)(ids, mask, 10, 0, beams=4)[0][0].tokens[0]
    saved = generation.forced_eos_token_id, generation.bad_words_ids
    try:
        generation.forced_eos_token_id = None
        generation.bad_words_ids = [*saved[1], [common]]
        ours = BeamDecoder(eager.model)(ids, mask, 10, 0, beams=4, num_return=2)
        assert all(common not in h.tokens for hs in ours for h in hs)
        assert any(len(h.tokens) == 10 for hs in ours for h in hs)
        theirs = stock(
            eager.model, ids, mask, max_new_tokens=10, num_beams=4, num_return_sequences=2
        )
    finally:
        generation.forced_eos_token_id, generation.bad_words_ids = saved
    assert_same(ours, theirs)


def test_settings_default_to_the_generation_config(eager: Translator) -> None:
    ids, mask = batch(eager, SENTENCES[:3])
    assert eager.model.generation_config.num_beams == 4  # as opus-mt's generation config
    ours = BeamDecoder(eager.model)(ids, mask, 9, 0)
    assert_same(ours, stock(eager.model, ids, mask, max_new_tokens=9))


@pytest.mark.slow  # int8 against generate, sentence by sentence
def test_int8_as_generate_one_sentence_at_a_time(model_dirs: dict[str, Path]) -> None:
    # Unpadded input: dynamic quantisation sees the same rows here and in generate.
    translator = Translator(model_dirs["vi"], device="cpu", precision="int8")
    decoder = BeamDecoder(translator.model)
    for sentence in SENTENCES[:4]:
        ids, mask = batch(translator, [sentence])
        ours = decoder(ids, mask, 10, 1, beams=4, num_return=2)
        theirs = stock(
            translator.model, ids, mask, max_new_tokens=10, min_new_tokens=1, num_beams=4,
            num_return_sequences=2,
        )  # fmt: skip
        assert_same(ours, theirs)


@pytest.mark.parametrize(("dtype", "agreeing"), [(torch.float16, 7), (torch.bfloat16, 5)])
def test_half_precision_as_on_a_gpu(
    model_dirs: dict[str, Path], dtype: torch.dtype, agreeing: int
) -> None:
    # GPU precisions run on the CPU here.  bf16 keeps 8 bits of mantissa: the attention's
    # rounding differs from generate's, and near-ties between beams go either way, so only
    # most hypotheses are generate's, all of them about as good.
    translator = Translator(model_dirs["vi"], device="cpu", precision="fp32")
    model = translator.model.to(dtype)
    ids, mask = batch(translator, SENTENCES)
    ours = [h[0] for h in BeamDecoder(model)(ids, mask, 8, 1, beams=4)]
    assert all(hypothesis.tokens for hypothesis in ours)
    theirs = stock(model, ids, mask, max_new_tokens=8, min_new_tokens=1, num_beams=4)
    assert sum(a.tokens == b.tokens for a, b in zip(ours, theirs, strict=True)) >= agreeing
    for mine, reference in zip(ours, theirs, strict=True):
        assert mine.score == pytest.approx(reference.score, abs=0.05)


def test_translator_decodes_beams_without_generate(
    eager: Translator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentences = SENTENCES[:4]
    ids, mask = batch(eager, sentences)
    caps = [int(length * 2.0) + 10 for length in mask.sum(dim=1).tolist()]  # Translator's
    expected = BeamDecoder(eager.model)(ids, mask, caps, 1, beams=3)
    text = [eager.tokenizer.decode(h[0].tokens, skip_special_tokens=True) for h in expected]
    monkeypatch.setattr(eager.model, "generate", None)  # any call would fail
    assert eager.translate(sentences, num_beams=3) == [t.strip() for t in text]


def test_greedy_score_is_the_mean_log_probability(eager: Translator) -> None:
    ids, mask = batch(eager, SENTENCES)
    found = eager.greedy(ids, mask, 10, 2)  # type: ignore[misc]
    with torch.inference_mode():
        out = eager.model.generate(
            input_ids=ids, attention_mask=mask, max_new_tokens=10, min_new_tokens=2,
            num_beams=1, do_sample=False, output_logits=True, return_dict_in_generate=True,
        )  # fmt: skip
    log_probs = torch.stack(out.logits, dim=1).log_softmax(dim=-1)  # raw logits, per step
    eos = eager.model.generation_config.eos_token_id
    for k, hypotheses in enumerate(found):
        generated = out.sequences[k, 1 : 2 + len(hypotheses[0].tokens)].tolist()
        assert list(hypotheses[0].tokens) == generated[: len(hypotheses[0].tokens)]
        assert len(generated) == 10 or generated[-1] == eos
        picked = [float(log_probs[k, step, token]) for step, token in enumerate(generated)]
        if len(generated) == 10 and generated[-1] == eos:
            picked[-1] = 0.0  # forced at the cap, after the log-softmax
        assert hypotheses[0].score == pytest.approx(sum(picked) / len(picked), abs=1e-4)
    assert len({len(h[0].tokens) for h in found}) > 1, "sentences end at different steps"


def test_unsupported_settings_fall_back_to_generate(eager: Translator) -> None:
    generation = eager.model.generation_config
    assert supports(eager.model)
    for key, value in (("renormalize_logits", True), ("no_repeat_ngram_size", 3)):
        saved = getattr(generation, key)
        setattr(generation, key, value)
        assert not supports(eager.model)
        setattr(generation, key, saved)
    generation.length_penalty, generation.early_stopping = 0.6, "never"
    assert supports(eager.model), "the beam decoder implements both"
    generation.length_penalty = generation.early_stopping = None


@pytest.mark.parametrize(("beams", "returned"), [(1, 1), (4, 5), (4, 0)])
def test_impossible_settings_are_refused(eager: Translator, beams: int, returned: int) -> None:
    ids, mask = batch(eager, SENTENCES[:2])
    with pytest.raises(ValueError, match=r"beams|num_return"):
        BeamDecoder(eager.model)(ids, mask, 5, 0, beams=beams, num_return=returned)


@pytest.mark.slow  # a base-shaped model on NTREX
def test_base_shaped_model_on_ntrex_equals_generate(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The acceptance check on an opus-mt-base-shaped model (random weights, a SentencePiece
    trained on NTREX): 20 NTREX sentences, 4 beams in fp32, tokens and scores as generate's."""
    from conftest import corpus_lines
    from development.tiny_models import BASE_SHAPE, build_marian

    french = [line for line in corpus_lines("ntrex128.fra") if line.strip()]
    text = french + corpus_lines("ntrex128.vie")
    directory = tmp_path_factory.mktemp("base") / "opus-mt-base-random"
    build_marian(directory, text, vocab_size=8000, padded_vocab=59514, shape=BASE_SHAPE, seed=0)
    translator = Translator(directory, device="cpu")
    ids, mask = batch(translator, french[:20])
    caps = [12] * len(french[:20])
    ours = BeamDecoder(translator.model)(ids, mask, caps, 1, beams=4, num_return=1)
    theirs = stock(translator.model, ids, mask, num_beams=4, max_new_tokens=12, min_new_tokens=1)
    assert_same(ours, theirs)
