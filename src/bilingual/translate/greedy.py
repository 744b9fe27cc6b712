"""Greedy decoding for Marian models without ``generate``'s per-step overhead.

Stock ``generate`` spends a third of a greedy step outside the network on CPU: logits processors
that rewrite the whole vocabulary-wide score matrix, attention masks rebuilt at every step, a
key/value cache grown by concatenation, and torch's argmax over 59k columns.  This decoder runs
the model's own modules (so quantised layers stay quantised) with

* an encoder whose position-wise layers run on the real tokens only, packed, padding left out
  (a quarter of a length-sorted batch's positions can be padding);
* a static self-attention cache, preallocated and written in place;
* the cross-attention keys and values computed once per batch;
* single-query attention as two batched matrix products (``scaled_dot_product_attention``'s
  CPU kernels tile for long queries and cost twice as much here);
* the few processors greedy opus-mt decoding uses applied to single vocabulary columns
  (``min_new_tokens``, single-token ``bad_words_ids``, ``forced_eos_token_id``);
* finished sentences dropped from the batch, so the rest decode at the width they need;
* NumPy's argmax on CPU, several times faster than torch's over a vocabulary-wide row.

In fp32 it gives the same tokens as ``generate(num_beams=1, do_sample=False)``.  With dynamic
int8 quantisation, each linear layer scales its input by the input's range; transformers'
encoder counts the padding rows in that range, this one does not, so here a translation never
depends on how much padding its batch has (they agree on unpadded input).  :func:`supports` says
when a generation config asks for something this decoder does not implement, and the caller then
uses ``generate``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch.nn import functional as F

__all__ = ["GreedyDecoder", "supports"]

# Settings that change greedy search, at the values that leave it alone; any other value means
# "use generate".  (Sampling settings do not apply: the engine never samples.)
_NEUTRAL = {
    "repetition_penalty": 1.0,
    "no_repeat_ngram_size": 0,
    "encoder_no_repeat_ngram_size": 0,
    "length_penalty": 1.0,
    "diversity_penalty": 0.0,
    "exponential_decay_length_penalty": None,
    "suppress_tokens": None,
    "begin_suppress_tokens": None,
    "forced_bos_token_id": None,
    "sequence_bias": None,
    "min_length": 0,
}


def supports(model: Any) -> bool:
    """Whether this decoder reproduces greedy ``generate`` for ``model``'s generation config."""
    config = model.generation_config
    for key, neutral in _NEUTRAL.items():
        value = getattr(config, key, neutral)
        if value is not None and value != neutral:
            return False
    bad = getattr(config, "bad_words_ids", None) or []
    return all(len(ids) == 1 for ids in bad) and type(model).__name__ == "MarianMTModel"


class GreedyDecoder:
    """Greedy search over a ``MarianMTModel``'s own (possibly quantised) modules."""

    def __init__(self, model: Any) -> None:
        self.model = model
        generation = model.generation_config
        start = generation.decoder_start_token_id
        self.start = int(start if start is not None else model.config.decoder_start_token_id)
        eos = generation.eos_token_id
        self.eos = int(eos if eos is not None else model.config.eos_token_id)
        forced = getattr(generation, "forced_eos_token_id", None)
        self.forced_eos = None if forced is None else int(forced)
        self.banned = [ids[0] for ids in (getattr(generation, "bad_words_ids", None) or [])]
        self.layers = list(model.model.decoder.layers)
        self.embed_scale = math.sqrt(model.config.d_model) if model.config.scale_embedding else 1.0
        self.heads = model.config.decoder_attention_heads
        self.encoder_heads = model.config.encoder_attention_heads
        self.head_dim = model.config.d_model // self.heads

    @torch.inference_mode()
    def __call__(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        max_new: int | list[int],
        min_new: int,
    ) -> list[list[int]]:
        """Token ids generated for each sentence of the batch (the final ``</s>`` excluded).

        ``max_new`` may be one limit per sentence: each then ends exactly as it would in a batch
        of its own, so a translation never depends on the sentences batched with it.
        """
        model, batch = self.model, input_ids.shape[0]
        limits = max_new if isinstance(max_new, list) else [max_new] * batch
        max_new = max(limits)
        encoded = self._encode(input_ids, attention_mask)
        cross = [self._cross_kv(layer, encoded) for layer in self.layers]
        dtype, device = encoded.states.dtype, input_ids.device
        # Padding positions of the source get -inf before the softmax (broadcast over heads).
        memory_bias = torch.zeros(attention_mask.shape, dtype=dtype, device=device)
        memory_bias = memory_bias.masked_fill_(attention_mask == 0, -math.inf)[:, None, None, :]
        # The self-attention cache, written one step at a time (never read beyond the step).
        shape = (len(self.layers), batch, self.heads, max_new, self.head_dim)
        keys = torch.empty(shape, dtype=dtype, device=device)
        values = torch.empty(shape, dtype=dtype, device=device)
        embed = model.model.decoder.embed_tokens
        positions = model.model.decoder.embed_positions.weight[:max_new]
        tokens = torch.full((batch,), self.start, dtype=torch.long, device=device)
        alive = list(range(batch))
        outputs: list[list[int]] = [[] for _ in range(batch)]
        for step in range(max_new):
            hidden = (embed(tokens) * self.embed_scale + positions[step])[:, None, :]
            last = [step == limits[row] - 1 for row in alive]
            logits = self._step(hidden, keys, values, cross, memory_bias, step)
            chosen = self._choose(logits, step, last, min_new)
            for k, token in enumerate(chosen):
                if token != self.eos:
                    outputs[alive[k]].append(token)
            keep = [k for k, token in enumerate(chosen) if token != self.eos and not last[k]]
            if not keep:
                break
            tokens = torch.tensor([chosen[k] for k in keep], device=device)
            if len(keep) < len(alive):  # drop finished sentences from every per-row state
                index = torch.tensor(keep, device=device)
                alive = [alive[k] for k in keep]
                memory_bias, keys, values = memory_bias[index], keys[:, index], values[:, index]
                cross = [(k[index], v[index]) for k, v in cross]
        return outputs

    def _encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> _Packed:
        """The encoder's output for the batch's real tokens only.

        Padding can be a quarter of a batch's positions; every position-wise layer (the linear
        layers, which are most of the encoder's time, and the layer norms) runs on the real
        tokens packed into rows, and only self-attention sees the padded layout.
        """
        encoder = self.model.model.encoder
        batch, length = input_ids.shape
        real = attention_mask.reshape(-1).nonzero().squeeze(1)
        hidden = encoder.embed_tokens(input_ids.reshape(-1)[real]) * self.embed_scale  # shared
        hidden = hidden + encoder.embed_positions.weight[real % length]
        packed = _Packed(real, batch, length, hidden)
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

    def _cross_kv(self, layer: Any, encoded: _Packed) -> tuple[torch.Tensor, torch.Tensor]:
        """The layer's cross-attention keys and values (batch, heads, source, head_dim), zero
        at padding positions."""
        attention = layer.encoder_attn
        keys = encoded.heads(attention.k_proj(encoded.states), self.heads, slot=0)
        values = encoded.heads(attention.v_proj(encoded.states), self.heads, slot=1)
        contiguous = torch.contiguous_format  # copies out of the scratch space, kept per batch
        return keys.clone(memory_format=contiguous), values.clone(memory_format=contiguous)

    def _attend(
        self,
        attention: Any,
        hidden: torch.Tensor,
        keys: torch.Tensor,
        values: torch.Tensor,
        bias: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """``attention``'s output for one query position: softmax(q k^T / sqrt(d) + bias) v,
        with the heads as a batch dimension of plain matrix products (for a single query these
        beat ``scaled_dot_product_attention``, whose kernels tile for long queries)."""
        batch = hidden.shape[0]
        query = attention.q_proj(hidden).view(batch, self.heads, 1, self.head_dim)
        scores = torch.matmul(query, keys.transpose(-1, -2)).mul_(attention.scaling)
        if bias is not None:
            scores.add_(bias)
        attended = torch.matmul(scores.softmax(dim=-1), values)
        out: torch.Tensor = attention.out_proj(attended.view(batch, 1, self.heads * self.head_dim))
        return out

    def _step(
        self,
        hidden: torch.Tensor,
        keys: torch.Tensor,
        values: torch.Tensor,
        cross: list[tuple[torch.Tensor, torch.Tensor]],
        memory_bias: torch.Tensor,
        step: int,
    ) -> torch.Tensor:
        """One decoding step through every layer; returns the logits of the next token."""
        batch = hidden.shape[0]
        split = (batch, self.heads, self.head_dim)
        for i, layer in enumerate(self.layers):
            attention = layer.self_attn
            keys[i, :, :, step] = attention.k_proj(hidden).view(split)
            values[i, :, :, step] = attention.v_proj(hidden).view(split)
            attended = self._attend(
                attention, hidden, keys[i, :, :, : step + 1], values[i, :, :, : step + 1]
            )
            hidden = layer.self_attn_layer_norm(hidden + attended)
            attended = self._attend(layer.encoder_attn, hidden, *cross[i], memory_bias)
            hidden = layer.encoder_attn_layer_norm(hidden + attended)
            hidden = layer.final_layer_norm(
                hidden + layer.fc2(layer.activation_fn(layer.fc1(hidden)))
            )
        logits: torch.Tensor = self.model.lm_head(hidden[:, 0])
        return logits.add_(self.model.final_logits_bias)

    def _choose(self, logits: torch.Tensor, step: int, last: list[bool], min_new: int) -> list[int]:
        """The greedy tokens, after the processors greedy opus-mt generation applies, in
        ``generate``'s order: banned tokens, minimum length, then the forced final ``</s>`` on
        each row's last step."""
        for token in self.banned:
            logits[:, token] = -math.inf
        if step < min_new:
            logits[:, self.eos] = -math.inf
        if logits.device.type == "cpu" and logits.dtype == torch.float32:
            # NumPy's argmax is several times faster than torch's on CPU rows this wide; both
            # return the first maximum, as generate does.
            chosen = [int(i) for i in logits.numpy().argmax(axis=-1)]
        else:
            chosen = [int(i) for i in logits.argmax(dim=-1).tolist()]
        if self.forced_eos is None:
            return chosen
        return [self.forced_eos if end else token for token, end in zip(chosen, last, strict=True)]


class _Packed:
    """A batch's real tokens as rows (padding left out), and the way back to the padded layout.

    Attributes:
        real: the flat (sentence * length + position) index of each real token.
        states: the encoder's output, one row per real token.
    """

    def __init__(self, real: torch.Tensor, batch: int, length: int, like: torch.Tensor) -> None:
        self.real, self.batch, self.length = real, batch, length
        self.states = like
        # Padded layouts for up to three projections at once (query, key, value); only the
        # rows of real tokens are ever written, so padding stays zero.
        self._padded = like.new_zeros((3, batch * length, like.shape[1]))

    def heads(self, rows: torch.Tensor, heads: int, slot: int = 0) -> torch.Tensor:
        """Rows (tokens x width) in the padded layout (batch, heads, length, width / heads),
        zero at padding positions: a view of scratch space ``slot``, valid until it is
        next used."""
        padded = self._padded[slot].index_copy_(0, self.real, rows)
        split = (self.batch, self.length, heads, rows.shape[1] // heads)
        return padded.view(split).transpose(1, 2)

    def unheads(self, attended: torch.Tensor) -> torch.Tensor:
        """The inverse of :meth:`heads`: (batch, heads, length, head width) to token rows."""
        batch, heads, length, width = attended.shape
        flat = attended.transpose(1, 2).reshape(batch * length, heads * width)
        return flat.index_select(0, self.real)
