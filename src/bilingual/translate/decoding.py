"""The network side of decoding, shared by the greedy and the beam decoder.

Stock ``generate`` spends a third of a decoding step outside the network on CPU: logits
processors that rewrite the whole vocabulary-wide score matrix, attention masks rebuilt at every
step, a key/value cache grown by concatenation.  :class:`Network` runs a ``MarianMTModel``'s own
modules (so quantised layers stay quantised) with

* an encoder whose position-wise layers run on the real tokens only, packed, padding left out
  (a quarter of a length-sorted batch's positions can be padding);
* the cross-attention keys and values computed once per batch, one copy per sentence: the
  hypotheses of a sentence (its beams) query them together, as one matrix product;
* a static self-attention cache, preallocated and written in place;
* single-query attention as two batched matrix products (``scaled_dot_product_attention``'s
  CPU kernels tile for long queries and cost twice as much here).

With dynamic int8 quantisation, each linear layer scales its input by the input's range;
transformers' encoder counts the padding rows in that range, this one does not, so here a
translation never depends on how much padding its batch has (they agree on unpadded input).
``support.supports`` says when a generation config asks for something the decoders do not
implement, and the caller then uses ``generate``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch.nn import functional as F

from .packed import Packed
from .quantized import is_int8, stacked
from .vocabulary import OutputLayer

__all__ = ["Hypothesis", "Memory", "Network", "gather_beams", "reorder_cache"]


@dataclass(frozen=True)
class Hypothesis:
    """One translation of a sentence.

    Attributes:
        tokens: the generated token ids, without the start token and the final ``</s>``.
        score: the decoder's score of the hypothesis (see each decoder), higher is better.
    """

    tokens: tuple[int, ...]
    score: float


@dataclass
class Memory:
    """What every decoding step reads of the source: each layer's cross-attention keys, already
    transposed for the product with the queries (sentences, heads, head_dim, source), and values
    (sentences, heads, source, head_dim), and the padding bias (sentences, 1, 1, source),
    ``-inf`` at padding positions."""

    cross: list[tuple[torch.Tensor, torch.Tensor]]
    bias: torch.Tensor

    def select(self, index: torch.Tensor) -> Memory:
        """The memory of the sentences at ``index`` (those still decoding)."""
        return Memory([(k[index], v[index]) for k, v in self.cross], self.bias[index])


class Network:
    """A ``MarianMTModel``'s (possibly quantised) modules, run one decoding step at a time;
    its logits are over ``output``'s columns (see :mod:`~bilingual.translate.vocabulary`)."""

    def __init__(self, model: Any, columns: Sequence[int] | None = None, fuse: bool = True) -> None:
        """``columns``: the output layer's (see :class:`OutputLayer`); ``fuse``: stack an int8
        model's projections of one input into one layer for step-by-step decoding."""
        self.model = model
        generation = model.generation_config
        start = generation.decoder_start_token_id
        self.start = int(start if start is not None else model.config.decoder_start_token_id)
        eos = generation.eos_token_id
        eos = eos if eos is not None else model.config.eos_token_id
        self.eos = int(eos[0] if isinstance(eos, list) else eos)
        forced = getattr(generation, "forced_eos_token_id", None)
        self.forced_eos = None if forced is None else int(forced)
        # generate never bans </s> through bad_words_ids (its processor drops such entries).
        bad = getattr(generation, "bad_words_ids", None) or []
        self.output = OutputLayer(model, columns)
        # The processors' columns: a banned token the output layer leaves out needs no ban.
        banned = (self.output.column(ids[0]) for ids in bad if ids[0] != self.eos)
        self.banned = [column for column in banned if column is not None]
        self.eos_column = self.output.column(self.eos)
        self.forced_eos_column = None if forced is None else self.output.column(int(forced))
        self.layers = list(model.model.decoder.layers)
        self.embed_scale = math.sqrt(model.config.d_model) if model.config.scale_embedding else 1.0
        self.heads = model.config.decoder_attention_heads
        self.encoder_heads = model.config.encoder_attention_heads
        self.head_dim = model.config.d_model // self.heads
        self.vocabulary = self.output.width
        # int8: each layer's query, key and value one product, every layer's cross-attention
        # keys and values one more (exact, see quantized.py); other precisions stay generate's.
        self.fused: list[Any] | None = None
        self.cross: Any = None
        if fuse and all(is_int8(layer.self_attn.q_proj) for layer in self.layers):
            self.fused = [stacked(_projections(layer.self_attn)) for layer in self.layers]
            self.cross = stacked(self._cross_projections())

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> Memory:
        """The batch's cross-attention memory (the encoder run once)."""
        encoded = self.encoder_states(input_ids, attention_mask)
        bias = encoded.states.new_zeros(attention_mask.shape)
        bias = bias.masked_fill_(attention_mask == 0, -math.inf)[:, None, None, :]
        if self.cross is None:
            projected = [projection(encoded.states) for projection in self._cross_projections()]
        else:
            projected = list(self.cross(encoded.states).split(self.heads * self.head_dim, -1))
        pairs = zip(projected[::2], projected[1::2], strict=True)
        return Memory([self._cross_kv(encoded, k, v) for k, v in pairs], bias)

    def _cross_projections(self) -> list[Any]:
        """Every layer's cross-attention key and value projections, in layer order."""
        return [p for layer in self.layers for p in _projections(layer.encoder_attn)[1:]]

    def cache(self, rows: int, length: int, like: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """An empty self-attention cache, keys and values (layers, rows, heads, length,
        head_dim), in ``like``'s dtype and device."""
        shape = (len(self.layers), rows, self.heads, length, self.head_dim)
        return like.new_empty(shape), like.new_empty(shape)

    def decode(
        self,
        tokens: torch.Tensor,
        step: int,
        keys: torch.Tensor,
        values: torch.Tensor,
        memory: Memory,
    ) -> torch.Tensor:
        """The decoder's output (rows, d_model) after ``tokens`` (rows,) at position ``step``,
        given each row's cache for the steps before (written here for this one).

        The rows are the memory's sentences in order, each repeated the same number of times
        (its hypotheses); every repetition attends to its sentence's one copy of the memory.
        """
        decoder = self.model.model.decoder
        position = decoder.embed_positions.weight[step]
        hidden = (decoder.embed_tokens(tokens) * self.embed_scale + position)[:, None, :]
        rows = hidden.shape[0]
        split = (rows, self.heads, self.head_dim)
        width = self.heads * self.head_dim
        for i, layer in enumerate(self.layers):
            attention = layer.self_attn
            if self.fused is not None:
                query, key, value = self.fused[i](hidden).split(width, dim=-1)
            else:
                query, key, value = None, attention.k_proj(hidden), attention.v_proj(hidden)
            keys[i, :rows, :, step] = key.view(split)
            values[i, :rows, :, step] = value.view(split)
            past = (
                keys[i, :rows, :, : step + 1].transpose(-1, -2),
                values[i, :rows, :, : step + 1],
            )
            attended = self._attend(attention, hidden, *past, query=query)
            hidden = layer.self_attn_layer_norm(hidden + attended)
            attended = self._attend(layer.encoder_attn, hidden, *memory.cross[i], memory.bias)
            hidden = layer.encoder_attn_layer_norm(hidden + attended)
            hidden = layer.final_layer_norm(
                hidden + layer.fc2(layer.activation_fn(layer.fc1(hidden)))
            )
        out: torch.Tensor = hidden[:, 0]
        return out

    def head(self, hidden: torch.Tensor, out: torch.Tensor | None = None) -> torch.Tensor:
        """The next-token logits (rows, vocabulary: the output layer's columns) of decoder
        outputs, in ``out`` if given (in fp32 then, whatever the model's dtype)."""
        return self.output(hidden, out)

    def suppress(self, scores: torch.Tensor, step: int, min_new: int) -> None:
        """Apply, in place and in ``generate``'s order, the processors that remove single
        vocabulary columns: banned tokens, then ``</s>`` before ``min_new`` tokens."""
        for column in self.banned:
            scores[:, column] = -math.inf
        if step < min_new:
            scores[:, self.eos_column] = -math.inf

    def encoder_states(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> Packed:
        """The encoder's output for the batch's real tokens only.

        Every position-wise layer (the linear layers, which are most of the encoder's time, and
        the layer norms) runs on the real tokens packed into rows, and only self-attention sees
        the padded layout.
        """
        encoder = self.model.model.encoder
        batch, length = input_ids.shape
        real = attention_mask.reshape(-1).nonzero().squeeze(1)
        hidden = encoder.embed_tokens(input_ids.reshape(-1)[real]) * self.embed_scale  # shared
        hidden = hidden + encoder.embed_positions.weight[real % length]
        packed = Packed(real, batch, length, hidden)
        key_mask = attention_mask.bool()[:, None, None, :]
        for layer in encoder.layers:
            attention = layer.self_attn
            query, keys, values = (
                packed.heads(projection(hidden), self.encoder_heads, slot)
                for slot, projection in enumerate(
                    (attention.q_proj, attention.k_proj, attention.v_proj)
                )
            )
            attended = F.scaled_dot_product_attention(
                query, keys, values, attn_mask=key_mask, scale=attention.scaling
            )
            hidden = layer.self_attn_layer_norm(
                hidden + attention.out_proj(packed.unheads(attended))
            )
            hidden = layer.final_layer_norm(
                hidden + layer.fc2(layer.activation_fn(layer.fc1(hidden)))
            )
            if hidden.dtype == torch.float16 and not torch.isfinite(hidden).all():
                bound = torch.finfo(hidden.dtype).max - 1000  # as transformers' encoder does
                hidden = hidden.clamp(min=-bound, max=bound)
        packed.states = hidden
        return packed

    def _cross_kv(
        self, encoded: Packed, keys: torch.Tensor, values: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """A layer's cross-attention keys (batch, heads, head_dim, source) and values (batch,
        heads, source, head_dim) from projected token rows, zero at padding positions.

        The keys are kept transposed: each step's product with the queries then reads them in
        order (with 4 beams, the cross-attention in 0.72 of the time)."""
        keys = encoded.heads(keys, self.heads, slot=0).transpose(-1, -2)
        values = encoded.heads(values, self.heads, slot=1)
        contiguous = torch.contiguous_format  # copies out of the scratch space, kept per batch
        return keys.clone(memory_format=contiguous), values.clone(memory_format=contiguous)

    def _attend(
        self,
        attention: Any,
        hidden: torch.Tensor,
        keys: torch.Tensor,
        values: torch.Tensor,
        bias: torch.Tensor | None = None,
        query: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """``attention``'s output for one query position per row: softmax(q k^T / sqrt(d) +
        bias) v, with the heads as a batch dimension of plain matrix products (for a single
        query these beat ``scaled_dot_product_attention``, whose kernels tile for long queries).

        ``keys`` (transposed: ..., head_dim, length) and ``values`` have one entry per row
        (self-attention) or per sentence (cross-attention): then the rows of a sentence are its
        consecutive ``group`` queries.  ``query``: the rows' query projection, when already
        made.
        """
        rows, sources = hidden.shape[0], keys.shape[0]
        group = rows // sources
        query = attention.q_proj(hidden) if query is None else query
        query = query.reshape(sources, group, self.heads, self.head_dim)
        query = query.transpose(1, 2)  # (sources, heads, group, head_dim)
        scores = torch.matmul(query, keys).mul_(attention.scaling)
        if bias is not None:
            scores.add_(bias)
        attended = torch.matmul(scores.softmax(dim=-1), values).transpose(1, 2)
        out: torch.Tensor = attention.out_proj(attended.reshape(rows, 1, -1))
        return out


def _projections(attention: Any) -> list[Any]:
    """An attention module's query, key and value projections."""
    return [attention.q_proj, attention.k_proj, attention.v_proj]


def gather_beams(tensor: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """``tensor``'s entries (sentences, k, ...) at ``index`` (sentences, beams) along k."""
    while index.dim() < tensor.dim():
        index = index.unsqueeze(-1)
    return torch.take_along_dim(tensor, index, dim=1)


def reorder_cache(
    keys: torch.Tensor, values: torch.Tensor, sources: torch.Tensor, length: int
) -> None:
    """Rewrite the self-attention cache in place so that row ``i`` holds what row
    ``sources[i]`` held, for the first ``length`` steps.

    Two beams in three continue their own row (measured with opus-mt-shaped models): only
    the others are copied, through a copy of their sources (which may be overwritten).
    """
    targets = torch.arange(sources.shape[0], device=sources.device)
    moved = (sources != targets).nonzero().squeeze(1)
    if moved.shape[0] == 0:
        return
    for cache in (keys, values):
        for layer in cache:
            steps = layer[:, :, :length]
            steps.index_copy_(0, moved, steps.index_select(0, sources[moved]))
