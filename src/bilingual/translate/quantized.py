"""int8 linear layers: which kernels they are packed for, and new layers made of a dynamically
quantised model's own int8 weights.

Kernels: torch packs an int8 layer for one engine's kernels.  On a CPU with AMX, oneDNN's are
three to four times fbgemm's for many rows and slower for a few; :func:`int8_engine` says which
suits a layer, and :class:`TwoKernels` holds a decoder layer packed for both, each call choosing
by its rows.  The two quantise alike and differ by float rounding only.

New layers, two uses: the output layer cut to some of its rows (:mod:`.vocabulary`), and several
projections of the same input stacked into one layer (a decoder layer's query, key and value; every
layer's cross-attention keys and values), one product instead of three or twelve.  Dynamic
quantisation scales a layer's input by the input's own range, the same for layers that read the
same input, and each weight row keeps its int8 values and its scale (a stack of layers with a scale
each is a layer with a scale per row): on fbgemm's kernels each output equals the original
layer's, bit for bit; on oneDNN's, up to float rounding.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import torch

__all__ = [
    "TwoKernels",
    "both_kernels",
    "int8_engine",
    "int8_kernels",
    "is_int8",
    "is_int8_model",
    "quantize_linears",
    "quantized_head",
    "quantized_rows",
    "stacked",
]


def int8_engine(many_rows: bool) -> str:
    """The kernels a layer's int8 weights are packed for.

    oneDNN's where the CPU has AMX (Intel's tile unit, whose int8 products oneDNN uses and fbgemm
    does not) for layers given many rows at a time: the encoder's (a batch's tokens), the
    cross-attention keys and values (the same), and the output layer, over 32,000 columns.
    Measured on 2 cores, one thread: a 64-row product through the output layer in a quarter of
    fbgemm's time, an encoder's feed-forward layer in a third.  A decoding step's own layers
    take one row per hypothesis, and oneDNN's fixed cost per call (60 us more) makes it slower
    for a few: they are packed for torch's default (fbgemm on x86) and, with AMX, for oneDNN
    too, each call choosing (:class:`TwoKernels`).  Every layer on a CPU without AMX keeps
    torch's default.  The two quantise alike (per-tensor uint8 activations,
    int8 weights, int32 sums), so their outputs differ by float rounding only.
    """
    engines = torch.backends.quantized.supported_engines
    amx = getattr(torch.cpu, "_is_amx_tile_supported", None)
    if many_rows and "onednn" in engines and amx is not None and amx():
        return "onednn"
    return str(torch.backends.quantized.engine)


@contextmanager
def int8_kernels(many_rows: bool) -> Iterator[None]:
    """Layers quantised inside this context are packed for :func:`int8_engine`'s kernels, and
    keep them wherever they run; torch's process-wide engine is put back on exit."""
    engine = torch.backends.quantized.engine
    torch.backends.quantized.engine = int8_engine(many_rows)
    try:
        yield
    finally:
        torch.backends.quantized.engine = engine


def quantize_linears(module: Any) -> Any:
    """Dynamic int8 quantisation of ``module``'s linear layers, in place (a copy would hold the
    fp32 and int8 weights at once), packed for the kernels of the enclosing
    :func:`int8_kernels` (torch's default outside one)."""
    import warnings

    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        return quantize_dynamic(  # type: ignore[no-untyped-call]
            module, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
        )


def quantized_head(linear: Any) -> Any:
    """A float output layer quantised whole, as ``quantize_dynamic`` would, packed for many
    rows."""
    with int8_kernels(many_rows=True):
        return quantize_linears(torch.nn.ModuleDict({"head": linear}))["head"]


def is_int8_model(model: Any) -> bool:
    """Whether a ``MarianMTModel``'s decoder layers are dynamically quantised int8."""
    return all(is_int8(layer.fc1) for layer in model.model.decoder.layers)


def is_int8(linear: Any) -> bool:
    """Whether ``linear`` is a dynamically quantised int8 linear layer."""
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    return isinstance(linear, (DynamicLinear, TwoKernels))


# The rows from which oneDNN's kernels (with AMX) beat fbgemm's for a decoder layer's product,
# measured on one thread: 32 rows through a 512 x 2048 layer in 184 us against 230, 16 in 161
# against 152; at 128 rows 393 against 677 (a 512 x 512 layer crosses over at 64 to 128).
MANY_ROWS = 32


class TwoKernels(torch.nn.Module):
    """An int8 layer packed twice, for fbgemm's kernels and for oneDNN's, each call taking the
    faster for its rows (:data:`MANY_ROWS`): a decoder layer's rows are its batch's hypotheses,
    a few at the end of a batch, 128 and more in a wide one.  The two differ by float rounding
    only."""

    def __init__(self, few: Any, many: Any) -> None:
        super().__init__()
        self.few, self.many = few, many
        self.in_features, self.out_features = few.in_features, few.out_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.numel() // x.shape[-1]
        out: torch.Tensor = (self.many if rows >= MANY_ROWS else self.few)(x)
        return out

    def weight(self) -> torch.Tensor:
        """The int8 weight (``DynamicLinear``'s accessor)."""
        return self.few.weight()  # type: ignore[no-any-return]

    def bias(self) -> torch.Tensor | None:
        """The bias (``DynamicLinear``'s accessor)."""
        return self.few.bias()  # type: ignore[no-any-return]


def both_kernels(linear: Any) -> Any:
    """``linear`` (int8, packed for few rows) as a :class:`TwoKernels` where many rows have
    other kernels (a CPU with AMX); itself elsewhere."""
    if isinstance(linear, TwoKernels) or int8_engine(True) == int8_engine(False):
        return linear
    ints, scales, zeros = _rows_of(linear)
    return TwoKernels(linear, _layer(ints, scales, zeros, linear.bias(), many_rows=True))


def quantized_rows(linear: Any, index: torch.Tensor) -> Any:
    """``linear`` with only the output rows at ``index`` (an output layer: packed for many
    rows, see :func:`int8_engine`), in int8.  A float ``linear`` is quantised as
    ``quantize_dynamic`` would quantise it whole (one scale, from the whole weight's range),
    without the whole int8 layer ever being made."""
    if is_int8(linear):
        ints, scales, zeros = _rows_of(linear)
        bias = linear.bias()
        ints, scales, zeros = ints[index], scales[index], zeros[index]
    else:
        ints, scales, zeros = _float_rows(linear.weight, index)
        bias = None if linear.bias is None else linear.bias.detach()
    bias = None if bias is None else bias[index]
    return _layer(ints, scales, zeros, bias, many_rows=True)


def stacked(linears: Sequence[Any]) -> Any:
    """One int8 layer whose output is the ``linears``' outputs side by side (same input).

    Packed for fbgemm's kernels (:func:`int8_engine` for few rows), as the decoder's own layers
    are: there a layer with a scale per row computes each row as the layers with one scale
    each do, bit for bit; oneDNN's rounds them differently."""
    if not linears or not all(is_int8(linear) for linear in linears):
        raise ValueError("only int8 layers are stacked")
    parts = [_rows_of(linear) for linear in linears]
    biases = [linear.bias() for linear in linears]
    if any(b is None for b in biases) and not all(b is None for b in biases):
        raise ValueError("layers with and without a bias are not stacked")
    bias = None if biases[0] is None else torch.cat(biases)
    ints, scales, zeros = (torch.cat(column) for column in zip(*parts, strict=True))
    return both_kernels(_layer(ints, scales, zeros, bias, many_rows=False))


def _float_rows(
    weight: torch.Tensor, index: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The rows at ``index`` of ``weight`` quantised with ``quantize_dynamic``'s weight observer
    over the whole of it: their int8 values, and each row's scale and zero point."""
    from torch.ao.quantization import default_dynamic_qconfig

    weight = weight.detach()
    observer = default_dynamic_qconfig.weight()
    observer(weight)
    scale, zero = (float(q) for q in observer.calculate_qparams())
    count = index.shape[0]
    ints = torch.empty((count, weight.shape[1]), dtype=torch.int8, device=weight.device)
    for begin in range(0, count, _CHUNK_ROWS):  # a few MB of float rows at a time
        part = index[begin : begin + _CHUNK_ROWS]
        rows = torch.quantize_per_tensor(weight[part].float(), scale, int(zero), observer.dtype)
        ints[begin : begin + part.shape[0]] = rows.int_repr()
    return (
        ints,
        torch.full((count,), scale, dtype=torch.double),
        torch.full((count,), int(zero), dtype=torch.long),
    )


_CHUNK_ROWS = 2048


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
    ints: torch.Tensor,
    scales: torch.Tensor,
    zeros: torch.Tensor,
    bias: torch.Tensor | None,
    many_rows: bool,
) -> Any:
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    weight = torch._make_per_channel_quantized_tensor(ints.contiguous(), scales, zeros, 0)
    rows, columns = int(ints.shape[0]), int(ints.shape[1])
    with int8_kernels(many_rows):
        layer = DynamicLinear(columns, rows, bias_=bias is not None)  # type: ignore[no-untyped-call]
        layer.set_weight_bias(weight, None if bias is None else bias.contiguous())
    return layer
