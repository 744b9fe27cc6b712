"""The fast greedy decoder gives exactly the tokens of transformers' generate."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from bilingual import Translator
from bilingual.translate.decoding import Hypothesis
from bilingual.translate.greedy import GreedyDecoder
from bilingual.translate.support import supports
from conftest import SENTENCES


def batch(translator: Translator, sentences: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    encoded = [translator.tokenizer(s)["input_ids"] for s in sentences]
    pad = translator.tokenizer.pad_token_id
    width = max(len(e) for e in encoded)
    ids = torch.tensor([e + [pad] * (width - len(e)) for e in encoded])
    return ids, (ids != pad).long()


def tokens(found: list[list[Hypothesis]]) -> list[list[int]]:
    """The token ids of each sentence's one greedy hypothesis."""
    assert all(len(hypotheses) == 1 for hypotheses in found)
    return [list(hypotheses[0].tokens) for hypotheses in found]


def stock(
    translator: Translator, ids: torch.Tensor, mask: torch.Tensor, max_new: int, min_new: int
) -> list[list[int]]:
    with torch.inference_mode():
        out = translator.model.generate(
            input_ids=ids,
            attention_mask=mask,
            max_new_tokens=max_new,
            min_new_tokens=min_new,
            num_beams=1,
            do_sample=False,
        )
    special = {translator.tokenizer.pad_token_id, translator.model.generation_config.eos_token_id}
    return [[t for t in row.tolist()[1:] if t not in special] for row in out]


@pytest.mark.parametrize(("max_new", "min_new"), [(12, 0), (12, 1), (20, 5), (8, 8), (1, 0)])
def test_same_tokens_as_generate(model_dirs: dict[str, Path], max_new: int, min_new: int) -> None:
    translator = Translator(model_dirs["vi"], device="cpu", precision="fp32")
    assert translator.greedy is not None
    ids, mask = batch(translator, SENTENCES)
    assert tokens(translator.greedy(ids, mask, max_new, min_new)) == stock(
        translator, ids, mask, max_new, min_new
    )


@pytest.mark.slow  # int8 against generate
@pytest.mark.parametrize(("max_new", "min_new"), [(12, 0), (8, 8)])
def test_same_tokens_as_generate_int8(
    model_dirs: dict[str, Path], max_new: int, min_new: int
) -> None:
    # Dynamic int8 quantisation scales each layer's input by its range, and generate's encoder
    # counts padding rows in that range while bilingual's packed encoder leaves them out: the
    # two agree on unpadded input, one sentence at a time.
    translator = Translator(model_dirs["vi"], device="cpu", precision="int8")
    for sentence in SENTENCES:
        ids, mask = batch(translator, [sentence])
        ours = tokens(translator.greedy(ids, mask, max_new, min_new))  # type: ignore[misc]
        assert ours == stock(translator, ids, mask, max_new, min_new)


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_padding_never_changes_the_output(model_dirs: dict[str, Path], precision: str) -> None:
    translator = Translator(model_dirs["vi"], device="cpu", precision=precision)
    ids, mask = batch(translator, SENTENCES)
    pad = translator.tokenizer.pad_token_id
    wider = torch.cat([ids, torch.full((len(SENTENCES), 7), pad)], dim=1)
    ours = translator.greedy(ids, mask, 12, 0)  # type: ignore[misc]
    assert translator.greedy(wider, (wider != pad).long(), 12, 0) == ours  # type: ignore[misc]
    assert all(h[0].tokens for h in ours), "tokens and scores, not empty ones, are compared"


def test_packed_encoder_matches_transformers(model_dirs: dict[str, Path]) -> None:
    translator = Translator(model_dirs["vi"], device="cpu", precision="fp32")
    decoder = translator.greedy
    assert decoder is not None
    ids, mask = batch(translator, SENTENCES)
    assert not bool(mask.all()), "the batch must hold padding"
    with torch.inference_mode():
        packed = decoder.network.encoder_states(ids, mask)
        reference = translator.model.model.encoder(input_ids=ids, attention_mask=mask)
    expected = reference.last_hidden_state[mask.bool()]
    assert packed.states.shape == expected.shape
    torch.testing.assert_close(packed.states, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.slow  # decodes until every sentence ends
def test_finished_sentences_leave_the_batch(model_dirs: dict[str, Path]) -> None:
    # Random weights rarely end a sentence; raising </s>'s bias until some sentences stop early
    # and others go on exercises the shrinking batch (generate sees the same bias).
    translator = Translator(model_dirs["en"], device="cpu")
    ids, mask = batch(translator, SENTENCES)
    eos = translator.greedy.network.eos  # type: ignore[union-attr]
    for boost in range(0, 60):
        translator.model.final_logits_bias[0, eos] = boost / 2
        ours = tokens(translator.greedy(ids, mask, 30, 0))  # type: ignore[misc]
        if len({len(o) for o in ours}) > 1:
            break
    assert len({len(o) for o in ours}) > 1, "no bias made sentences end at different steps"
    assert ours == stock(translator, ids, mask, 30, 0)


def test_banned_tokens_are_never_generated(model_dirs: dict[str, Path]) -> None:
    translator = Translator(model_dirs["en"], device="cpu")
    ids, mask = batch(translator, SENTENCES)
    before = tokens(translator.greedy(ids, mask, 10, 0))  # type: ignore[misc]
    common = max((t for row in before for t in row), key=lambda t: sum(r.count(t) for r in before))
    translator.model.generation_config.bad_words_ids = [[common]]
    decoder = GreedyDecoder(translator.model)
    ours = tokens(decoder(ids, mask, 10, 0))
    assert all(common not in row for row in ours)
    assert ours == stock(translator, ids, mask, 10, 0)


def test_unsupported_settings_fall_back_to_generate(model_dirs: dict[str, Path]) -> None:
    translator = Translator(model_dirs["en"], device="cpu")
    assert supports(translator.model)
    translator.model.generation_config.repetition_penalty = 1.3
    assert not supports(translator.model)
    translator.model.generation_config.repetition_penalty = 1.0
    translator.model.generation_config.bad_words_ids = [[5, 6]]
    assert not supports(translator.model)


@pytest.mark.slow  # translates for seconds with the tiny models
def test_default_caps_make_translations_independent_of_the_batch(
    model_dirs: dict[str, Path],
) -> None:
    # Random weights never stop on their own: every sentence runs to its length cap, which must
    # be its own, not its longest batch-mate's.
    translator = Translator(model_dirs["vi"], device="cpu")
    alone = [translator.translate([s])[0] for s in SENTENCES]
    assert translator.translate(SENTENCES) == alone
    assert len({len(t.split()) for t in alone}) > 1


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_decoding_as_on_a_gpu(
    model_dirs: dict[str, Path], dtype: torch.dtype
) -> None:
    # fp16 and bf16 are GPU precisions; the same modules in the same dtype run on the CPU here,
    # which exercises the decoder's dtype handling (the -inf padding bias, the fp16 clamp).
    translator = Translator(model_dirs["vi"], device="cpu", precision="fp32")
    model = translator.model.to(dtype)
    decoder = GreedyDecoder(model)
    ids, mask = batch(translator, SENTENCES)
    with torch.inference_mode():
        packed = decoder.network.encoder_states(ids, mask)
        reference = model.model.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
    assert packed.states.dtype == dtype
    torch.testing.assert_close(packed.states, reference[mask.bool()], rtol=0.05, atol=0.05)
    out = tokens(decoder(ids, mask, 8, 0))
    assert all(out), "every sentence gets tokens"
    assert out == stock(translator, ids, mask, 8, 0)
