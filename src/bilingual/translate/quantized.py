"""New int8 linear layers made of a dynamically quantised model's own int8 weights.

Two uses, both exact: the output layer cut to some of its rows (:mod:`.vocabulary`), and several
projections of the same input stacked into one layer (a decoder layer's query, key and value; every
layer's cross-attention keys and values), one product instead of three or twelve.  Dynamic
quantisation scales a layer's input by the input's own range, the same for layers that read the
same input, and each weight row keeps its int8 values and its scale (a stack of layers with a scale
each is a layer with a scale per row): each output equals the original layer's, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

__all__ = ["is_int8", "quantized_rows", "stacked"]


def is_int8(linear: Any) -> bool:
    """Whether ``linear`` is a dynamically quantised int8 linear layer."""
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    return isinstance(linear, DynamicLinear)


def quantized_rows(linear: Any, index: torch.Tensor) -> Any:
    """``linear`` with only the output rows at ``index``."""
    if not is_int8(linear):
        raise ValueError("the output layer is cut to target pieces only in int8")
    ints, scales, zeros = _rows_of(linear)
    bias = linear.bias()
    return _layer(ints[index], scales[index], zeros[index], None if bias is None else bias[index])


def stacked(linears: Sequence[Any]) -> Any:
    """One int8 layer whose output is the ``linears``' outputs side by side (same input)."""
    if not linears or not all(is_int8(linear) for linear in linears):
        raise ValueError("only int8 layers are stacked")
    parts = [_rows_of(linear) for linear in linears]
    biases = [linear.bias() for linear in linears]
    if any(b is None for b in biases) and not all(b is None for b in biases):
        raise ValueError("layers with and without a bias are not stacked")
    bias = None if biases[0] is None else torch.cat(biases)
    ints, scales, zeros = (torch.cat(column) for column in zip(*parts, strict=True))
    return _layer(ints, scales, zeros, bias)


def _rows_of(linear: Any) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A quantised layer's int8 weight rows, and each row's scale and zero point."""
    weight = linear.weight()
    rows = weight.shape[0]
    if weight.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric):
        return (
            weight.int_repr(),
            weight.q_per_channel_scales().double(),
            weight.q_per_channel_zero_points().long(),
        )
    scales = torch.full((rows,), weight.q_scale(), dtype=torch.double)
    return weight.int_repr(), scales, torch.full((rows,), weight.q_zero_point(), dtype=torch.long)


def _layer(
    ints: torch.Tensor, scales: torch.Tensor, zeros: torch.Tensor, bias: torch.Tensor | None
) -> Any:
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    weight = torch._make_per_channel_quantized_tensor(ints.contiguous(), scales, zeros, 0)
    rows, columns = int(ints.shape[0]), int(ints.shape[1])
    layer = DynamicLinear(columns, rows, bias_=bias is not None)  # type: ignore[no-untyped-call]
    layer.set_weight_bias(weight, None if bias is None else bias.contiguous())
    return layer
