"""Greedy decoding for Marian models without ``generate``'s per-step overhead.

Stock ``generate`` spends a third of a greedy step outside the network on CPU: logits processors
that rewrite the whole vocabulary-wide score matrix, attention masks rebuilt at every step, a
key/value cache grown by concatenation, and torch's argmax over 59k columns.  This decoder runs
the model's own modules (so quantised layers stay quantised) with

* a static self-attention cache, preallocated and written in place;
* the cross-attention keys and values computed once per batch;
* the few processors greedy opus-mt decoding uses applied to single vocabulary columns
  (``min_new_tokens``, single-token ``bad_words_ids``, ``forced_eos_token_id``);
* finished sentences dropped from the batch, so the rest decode at the width they need;
* NumPy's argmax on CPU, several times faster than torch's over a vocabulary-wide row.

It gives the same tokens as ``generate(num_beams=1, do_sample=False)``; :func:`supports` says
when a generation config asks for something it does not implement, and the caller then uses
``generate``.
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
        encoded = model.model.encoder(
            input_ids=input_ids, attention_mask=attention_mask
        ).last_hidden_state
        cross = [self._cross_kv(layer, encoded) for layer in self.layers]
        memory_mask = attention_mask.bool()[:, None, None, :]
        cache = torch.zeros(
            (len(self.layers), 2, batch, self.heads, max_new, self.head_dim),
            dtype=encoded.dtype,
            device=encoded.device,
        )
        embed = model.model.decoder.embed_tokens
        positions = model.model.decoder.embed_positions.weight[:max_new]
        tokens = torch.full((batch,), self.start, dtype=torch.long, device=encoded.device)
        alive = list(range(batch))
        outputs: list[list[int]] = [[] for _ in range(batch)]
        for step in range(max_new):
            hidden = (embed(tokens) * self.embed_scale + positions[step])[:, None, :]
            last = [step == limits[row] - 1 for row in alive]
            logits = self._step(hidden, cache, cross, memory_mask, step)
            chosen = self._choose(logits, step, last, min_new)
            for k, token in enumerate(chosen):
                if token != self.eos:
                    outputs[alive[k]].append(token)
            keep = [k for k, token in enumerate(chosen) if token != self.eos and not last[k]]
            if not keep:
                break
            tokens = torch.tensor([chosen[k] for k in keep], device=encoded.device)
            if len(keep) < len(alive):  # drop finished sentences from every per-row state
                index = torch.tensor(keep, device=encoded.device)
                alive = [alive[k] for k in keep]
                memory_mask, cache = memory_mask[index], cache[:, :, index]
                cross = [(k[index], v[index]) for k, v in cross]
        return outputs

    def _cross_kv(self, layer: Any, encoded: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        attention = layer.encoder_attn
        return self._heads(attention.k_proj(encoded)), self._heads(attention.v_proj(encoded))

    def _heads(self, states: torch.Tensor) -> torch.Tensor:
        batch, length, _ = states.shape
        return states.view(batch, length, self.heads, self.head_dim).transpose(1, 2)

    def _merge(self, attended: torch.Tensor) -> torch.Tensor:
        return attended.transpose(1, 2).reshape(attended.shape[0], 1, self.heads * self.head_dim)

    def _step(
        self,
        hidden: torch.Tensor,
        cache: torch.Tensor,
        cross: list[tuple[torch.Tensor, torch.Tensor]],
        memory_mask: torch.Tensor,
        step: int,
    ) -> torch.Tensor:
        """One decoding step through every layer; returns the logits of the next token."""
        for i, layer in enumerate(self.layers):
            attention = layer.self_attn
            query = self._heads(attention.q_proj(hidden))
            cache[i, 0, :, :, step] = self._heads(attention.k_proj(hidden))[:, :, 0]
            cache[i, 1, :, :, step] = self._heads(attention.v_proj(hidden))[:, :, 0]
            keys, values = cache[i, 0, :, :, : step + 1], cache[i, 1, :, :, : step + 1]
            attended = F.scaled_dot_product_attention(query, keys, values, scale=attention.scaling)
            hidden = layer.self_attn_layer_norm(hidden + attention.out_proj(self._merge(attended)))
            attention = layer.encoder_attn
            query = self._heads(attention.q_proj(hidden))
            keys, values = cross[i]
            attended = F.scaled_dot_product_attention(
                query, keys, values, attn_mask=memory_mask, scale=attention.scaling
            )
            hidden = layer.encoder_attn_layer_norm(
                hidden + attention.out_proj(self._merge(attended))
            )
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
