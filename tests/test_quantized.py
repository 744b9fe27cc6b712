"""int8 layers stacked or cut from a quantised model's own weights give its outputs bit for bit,
and the decoders' stacked projections change no token and no score."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from bilingual.translate.beam import BeamDecoder
from bilingual.translate.greedy import GreedyDecoder
from bilingual.translate.marian import load_model
from bilingual.translate.quantized import int8_kernels, quantized_rows, stacked
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
        model = quantize_dynamic(
            torch.nn.Sequential(*layers), {torch.nn.Linear}, dtype=torch.qint8
        )
    return list(model)


@pytest.mark.parametrize("rows", [1, 5, 64])
def test_stacked_equals_each_layer(rows: int) -> None:
    layers = int8_layers(3)
    assert len({layer.weight().q_scale() for layer in layers}) == 3
    x = torch.randn(rows, 1, 48) * 3
    expected = torch.cat([layer(x) for layer in layers], dim=-1)
    assert torch.equal(stacked(layers)(x), expected)
    assert stacked(int8_layers(2, bias=False))(x).shape[-1] == 64


def test_the_kernels_for_many_rows_differ_by_rounding_only() -> None:
    """Where the CPU has AMX, layers given many rows are packed for oneDNN's kernels, the others
    for fbgemm's: the same quantisation, so the same outputs up to float rounding."""
    (few,), (many,) = int8_layers(1), int8_layers(1, many_rows=True)
    x = torch.randn(64, 48) * 3
    assert torch.allclose(few(x), many(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("rows", [1, 7, 64])
def test_rows_equal_the_whole_layer(rows: int) -> None:
    (layer,) = int8_layers(1, many_rows=True)  # an output layer
    index = torch.tensor([0, 3, 4, 31])
    x = torch.randn(rows, 48)
    assert torch.equal(quantized_rows(layer, index)(x), layer(x)[:, index])


def test_float_layers_are_refused() -> None:
    with pytest.raises(ValueError, match="int8"):
        stacked([torch.nn.Linear(4, 4)])
    with pytest.raises(ValueError, match="int8"):
        quantized_rows(torch.nn.Linear(4, 4), torch.tensor([0]))


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
    assert fused == separate
