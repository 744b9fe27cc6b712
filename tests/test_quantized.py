"""int8 layers stacked or cut from a quantised model's own weights give its outputs bit for bit,
and the decoders' stacked projections change no token and no score."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from bilingual.translate.beam import BeamDecoder
from bilingual.translate.greedy import GreedyDecoder
from bilingual.translate.marian import load_model
from bilingual.translate.quantized import (
    MANY_ROWS,
    int8_engine,
    int8_kernels,
    quantized_rows,
    stacked,
)
from conftest import SENTENCES


def int8_layers(count: int, bias: bool = True, many_rows: bool = False) -> list[torch.nn.Module]:
    """``count`` int8 layers, packed for the kernels of layers given many rows or few."""
    from torch.ao.quantization import quantize_dynamic

    torch.manual_seed(count)
    # Different spreads, so each layer gets its own weight scale.
    layers = [torch.nn.Linear(48, 32, bias=bias) for _ in range(count)]
    for k, layer in enumerate(layers):
        layer.weight.data.mul_(k + 1)
    with int8_kernels(many_rows):
        model = quantize_dynamic(torch.nn.Sequential(*layers), {torch.nn.Linear}, dtype=torch.qint8)
    return list(model)


@pytest.mark.parametrize("rows", [1, 5, 64])
def test_stacked_equals_each_layer(rows: int) -> None:
    layers = int8_layers(3)
    assert len({layer.weight().q_scale() for layer in layers}) == 3
    x = torch.randn(rows, 1, 48) * 3
    expected = torch.cat([layer(x) for layer in layers], dim=-1)
    if rows >= MANY_ROWS and int8_engine(many_rows=True) != int8_engine(many_rows=False):
        # oneDNN's kernels for many rows (a CPU with AMX): the same int8 products, its own
        # float rounding.
        assert torch.allclose(stacked(layers)(x), expected, rtol=1e-6, atol=1e-6)
    else:
        assert torch.equal(stacked(layers)(x), expected)
    assert stacked(int8_layers(2, bias=False))(x).shape[-1] == 64


def test_the_kernels_for_many_rows_differ_by_rounding_only() -> None:
    """Where the CPU has AMX, layers given many rows are packed for oneDNN's kernels, the others
    for fbgemm's: the same quantisation, so the same outputs up to float rounding."""
    (few,), (many,) = int8_layers(1), int8_layers(1, many_rows=True)
    x = torch.randn(64, 48) * 3
    assert torch.allclose(few(x), many(x), rtol=1e-5, atol=1e-5)


def assert_cut_from(cut: torch.nn.Module, whole: torch.nn.Module, index: torch.Tensor) -> None:
    """``cut`` holds ``whole``'s int8 rows at ``index`` with their scale, and gives their
    outputs: bit for bit on fbgemm's kernels, up to float rounding on oneDNN's (where the CPU
    has AMX: its epilogue's order depends on the layer's width)."""
    weight, rows = whole.weight(), cut.weight()  # type: ignore[operator]
    assert torch.equal(rows.int_repr(), weight.int_repr()[index])
    assert rows.q_per_channel_scales().unique().tolist() == [weight.q_scale()]
    x = torch.randn(9, whole.in_features) * 3  # type: ignore[operator]
    expected = whole(x)[:, index]
    if int8_engine(many_rows=True) == "onednn":
        assert torch.allclose(cut(x), expected, rtol=1e-6, atol=1e-6)
    else:
        assert torch.equal(cut(x), expected)


def test_rows_equal_the_whole_layer() -> None:
    (layer,) = int8_layers(1, many_rows=True)  # an output layer
    index = torch.tensor([0, 3, 4, 31])
    assert_cut_from(quantized_rows(layer, index), layer, index)


def test_float_rows_are_quantised_as_the_whole_layer_would_be() -> None:
    """A float output layer's rows, quantised without the whole int8 layer ever being made
    (and in chunks), are the whole layer's, quantised then cut."""
    torch.manual_seed(0)
    layer = torch.nn.Linear(48, 5000, bias=False)
    layer.weight.data[4321, 7] = 9.0  # the whole layer's range: outside the kept rows
    with int8_kernels(many_rows=True):
        (whole,) = quantize_dynamic_layers(torch.nn.Sequential(layer))
    index = torch.tensor([0, 3, 2047, 2048, 2049, 4999])
    assert_cut_from(quantized_rows(layer, index), whole, index)


def quantize_dynamic_layers(model: torch.nn.Module) -> list[torch.nn.Module]:
    from torch.ao.quantization import quantize_dynamic

    return list(quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8))


def test_float_layers_are_not_stacked() -> None:
    with pytest.raises(ValueError, match="int8"):
        stacked([torch.nn.Linear(4, 4)])


@pytest.mark.slow  # int8 decoding, twice
@pytest.mark.parametrize("beams", [1, 4])
def test_stacked_projections_change_nothing(model_dirs: dict[str, Path], beams: int) -> None:
    loaded = load_model(model_dirs["vi"], "cpu", "int8")
    tokenizer = loaded.tokenizer
    rows = [tokenizer(s)["input_ids"] for s in SENTENCES]
    pad = tokenizer.pad_token_id
    width = max(len(r) for r in rows)
    ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
    mask = (ids != pad).long()
    caps = [14] * len(rows)
    decoder = (GreedyDecoder if beams == 1 else BeamDecoder)(loaded.model)
    assert decoder.network.fused is not None and decoder.network.cross is not None
    options = {} if beams == 1 else {"beams": 4, "num_return": 2}
    fused = decoder(ids, mask, caps, 1, **options)
    decoder.network.fused = decoder.network.cross = None  # each projection on its own
    separate = decoder(ids, mask, caps, 1, **options)
    if int8_engine(many_rows=True) == int8_engine(many_rows=False):
        assert fused == separate  # fbgemm's kernels throughout: bit for bit
    else:  # oneDNN's for the stacked keys and values of a batch's tokens: float rounding
        for ours, theirs in zip(fused, separate, strict=True):
            assert [h.tokens for h in ours] == [h.tokens for h in theirs]
            assert [h.score for h in ours] == pytest.approx([h.score for h in theirs], abs=1e-6)
