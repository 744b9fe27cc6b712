"""int8 decodes over the target pieces only: the same tokens as the whole output layer with every
other piece masked before the normaliser; fp32 keeps the whole vocabulary (exactly generate)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch

from bilingual import Translator
from bilingual.translate.beam import BeamDecoder
from bilingual.translate.greedy import GreedyDecoder
from bilingual.translate.marian import load_model
from bilingual.translate.vocabulary import OutputLayer, target_columns
from conftest import SENTENCES, seed_texts
from development.tiny_models import build_marian

VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


@pytest.fixture(scope="module")
def split_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model whose tokenizers are trained apart (French source, Vietnamese target), so
    its vocabulary is split as opus-mt's is."""
    lines = [line for text in seed_texts() for line in text.splitlines() if line.strip()]
    vietnamese = [line for line in lines if VIETNAMESE & set(line.lower())]
    french = [line for line in lines if line not in vietnamese] + SENTENCES
    return build_marian(
        tmp_path_factory.mktemp("split") / "opus-mt-fr-vi", french, target_texts=vietnamese
    )


def columns_of(directory: Path) -> tuple[list[int], int]:
    loaded = load_model(directory, "cpu", "fp32")
    size = int(loaded.model.final_logits_bias.shape[-1])
    columns = target_columns(loaded.tokenizer, size)
    assert columns is not None
    return columns, size


def test_target_columns_are_the_target_pieces(split_model: Path) -> None:
    columns, size = columns_of(split_model)
    vocab = json.loads((split_model / "vocab.json").read_text("utf-8"))
    assert len(vocab) == size and 0.2 < len(columns) / size < 0.8  # split, not nearly all
    assert vocab["</s>"] in columns and vocab["<pad>"] not in columns
    loaded = load_model(split_model, "cpu", "fp32")
    pieces = loaded.tokenizer.spm_target
    target = {vocab[pieces.id_to_piece(i)] for i in range(pieces.get_piece_size())}
    assert set(columns) - target <= {vocab["<unk>"], vocab["</s>"]}


def test_shared_tokenizers_keep_the_whole_vocabulary(model_dirs: dict[str, Path]) -> None:
    loaded = load_model(model_dirs["vi"], "cpu", "int8")
    size = int(loaded.model.final_logits_bias.shape[-1])
    assert target_columns(loaded.tokenizer, size) is None
    assert loaded.decoders is not None and loaded.decoders.greedy.network.output.ids is None


def test_fp32_is_not_cut(split_model: Path) -> None:
    loaded = load_model(split_model, "cpu", "fp32")
    assert loaded.decoders is not None and loaded.decoders.greedy.network.output.ids is None


def masked_reference(directory: Path, columns: list[int]) -> object:
    """The int8 model with the whole output layer, every non-target piece's logit -inf."""
    loaded = load_model(directory, "cpu", "int8")
    mask = torch.full_like(loaded.model.final_logits_bias, -math.inf)
    mask[:, columns] = 0
    loaded.model.final_logits_bias.add_(mask)
    return loaded.model


def encoded(directory: Path) -> tuple[torch.Tensor, torch.Tensor]:
    tokenizer = load_model(directory, "cpu", "fp32").tokenizer
    rows = [tokenizer(s)["input_ids"] for s in SENTENCES]
    pad = tokenizer.pad_token_id
    width = max(len(r) for r in rows)
    ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
    return ids, (ids != pad).long()


@pytest.mark.slow  # two int8 models decoded
@pytest.mark.parametrize("beams", [1, 4])
def test_cut_layer_equals_masked_whole_layer(split_model: Path, beams: int) -> None:
    columns, _ = columns_of(split_model)
    cut = load_model(split_model, "cpu", "int8")
    assert cut.decoders is not None
    assert cut.decoders.greedy.network.output.width == len(columns)
    reference = masked_reference(split_model, columns)
    ids, mask = encoded(split_model)
    caps = [12] * ids.shape[0]
    if beams == 1:
        found, expected = (
            cut.decoders.greedy(ids, mask, caps, 1),
            GreedyDecoder(reference)(ids, mask, caps, 1),
        )
    else:
        found = cut.decoders.beam(ids, mask, caps, 1, beams=4, num_return=2)
        expected = BeamDecoder(reference)(ids, mask, caps, 1, beams=4, num_return=2)
    allowed = set(columns)
    for ours, theirs in zip(found, expected, strict=True):
        assert [h.tokens for h in ours] == [h.tokens for h in theirs]
        assert [h.score for h in ours] == pytest.approx([h.score for h in theirs], abs=1e-5)
        assert all(set(h.tokens) <= allowed for h in ours)


def test_translator_int8_on_a_split_model(split_model: Path) -> None:
    """The whole path: texts in, texts out, greedy and beam, the same on a second call.  (int8
    scales each decoder step's input by the batch's range, so batch-mates may matter.)"""
    translator = Translator(split_model, device="cpu", precision="int8")
    for beams in (1, 4):
        first = translator.translate(SENTENCES, max_new_tokens=10, num_beams=beams)
        assert first == translator.translate(SENTENCES, max_new_tokens=10, num_beams=beams)
        assert len(first) == len(SENTENCES) and all(t.strip() for t in first)


def test_cut_rejects_a_float_layer(split_model: Path) -> None:
    loaded = load_model(split_model, "cpu", "fp32")
    with pytest.raises(ValueError, match="int8"):
        OutputLayer(loaded.model, [0, 1, 2])


def test_int8_read_layer_by_layer_is_int8_read_whole(split_model: Path, tmp_path: Path) -> None:
    """int8 reads a safetensors file one layer at a time (its fp32 weights never all in
    memory); from a pickled file it reads them whole: the same model, the same output."""
    import shutil

    from safetensors.torch import load_file

    pickled = tmp_path / "pickled"
    shutil.copytree(split_model, pickled)
    weights = load_file(pickled / "model.safetensors")
    torch.save(weights, pickled / "pytorch_model.bin")
    (pickled / "model.safetensors").unlink()
    ids, mask = encoded(split_model)
    caps = [12] * ids.shape[0]
    found = []
    for directory in (split_model, pickled):
        loaded = load_model(directory, "cpu", "int8")
        assert loaded.decoders is not None
        found.append(loaded.decoders.beam(ids, mask, caps, 1, beams=4, num_return=2))
        model = loaded.model
        assert model.lm_head.weight is model.model.shared.weight  # still tied, not copied
        assert model.model.encoder.embed_tokens.weight is model.model.shared.weight
    assert found[0] == found[1]
