"""Forced decoding: the model's log-probability of given translations, a batch at a time.

:class:`ForcedDecoder` runs a ``MarianMTModel``'s own (possibly quantised) modules over a batch of
(source, target) pairs with teacher forcing: the decoder reads ``<pad> t1 … t(n-1)`` and every
position's log-softmax is read at the next target token, ``</s>`` included.  That is what
transformers computes from ``labels`` (``-loss * n_tokens``), in one pass, with no search.

As in :class:`~bilingual.translate.decoding.Network`'s encoder, every position-wise layer (the
linear layers, the layer norms, the output projection) runs on the real tokens packed into rows,
padding left out; only attention sees the padded layout.  So with dynamic int8 quantisation (whose
activation ranges span the rows a layer is given) a pair's score never depends on how much padding
its batch has (it may on the other pairs' activations, slightly, as a translation's does), and no
padding position is ever projected onto the vocabulary.  The vocabulary-wide
projection runs on at most :data:`HEAD_ROWS` target tokens at a time, so its memory is bounded
whatever the batch.
"""

from __future__ import annotations

from typing import Any

import torch
from torch.nn import functional as F

from .base import Score
from .decoding import Network
from .packed import Packed

__all__ = ["HEAD_ROWS", "ForcedDecoder"]

# Target tokens projected onto the vocabulary at once: 512 x 59,514 fp32 logits are 120 MB.
HEAD_ROWS = 512


class ForcedDecoder:
    """Scores given target token ids against source token ids with a ``MarianMTModel``."""

    def __init__(self, model: Any) -> None:
        # The whole vocabulary, and no stacked projections (it projects whole sequences).
        self.network = Network(model, fuse=False)

    @torch.inference_mode()
    def __call__(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        labels: torch.Tensor,
        labels_mask: torch.Tensor,
    ) -> list[Score]:
        """Each pair's :class:`~bilingual.Score`.

        Args:
            input_ids: source token ids (batch, source length), right-padded.
            attention_mask: 1 at the source's real tokens.
            labels: target token ids (batch, target length), each ending in ``</s>``,
                right-padded (with anything).
            labels_mask: 1 at the target's real tokens.
        """
        network = self.network
        encoded = network.encoder_states(input_ids, attention_mask)
        batch, length = labels.shape
        start = labels.new_full((batch, 1), network.start)
        inputs = torch.cat([start, labels[:, :-1]], dim=1)  # teacher forcing, shifted right
        real = labels_mask.reshape(-1).nonzero().squeeze(1)
        decoder = network.model.model.decoder
        hidden = decoder.embed_tokens(inputs.reshape(-1)[real]) * network.embed_scale
        hidden = hidden + decoder.embed_positions.weight[real % length]
        packed = Packed(real, batch, length, hidden)
        causal = torch.ones((length, length), dtype=torch.bool, device=labels.device).tril_()
        self_mask = causal[None, None] & labels_mask.bool()[:, None, None, :]
        cross_mask = attention_mask.bool()[:, None, None, :]
        for layer in network.layers:
            hidden = layer.self_attn_layer_norm(
                hidden + self._attend(layer.self_attn, packed, hidden, packed, hidden, self_mask)
            )
            attended = self._attend(
                layer.encoder_attn, packed, hidden, encoded, encoded.states, cross_mask
            )
            hidden = layer.encoder_attn_layer_norm(hidden + attended)
            hidden = layer.final_layer_norm(
                hidden + layer.fc2(layer.activation_fn(layer.fc1(hidden)))
            )
        picked = self._log_probs(hidden, labels.reshape(-1)[real])
        totals = torch.zeros(batch, dtype=torch.float64, device=labels.device)
        totals.index_add_(0, torch.div(real, length, rounding_mode="floor"), picked.double())
        counts = labels_mask.sum(dim=1).tolist()
        return [Score(t, int(n)) for t, n in zip(totals.tolist(), counts, strict=True)]

    def _attend(
        self,
        attention: Any,
        queries: Packed,
        query_rows: torch.Tensor,
        keys: Packed,
        key_rows: torch.Tensor,
        mask: torch.Tensor,
    ) -> torch.Tensor:
        """``attention`` of the packed query rows over the packed key rows (self-attention when
        they are the same), under ``mask`` (batch, 1, queries or 1, keys); packed rows out.

        The query projection is taken into its layout before the key and value projections are
        (they may share scratch space with it only when ``queries`` is ``keys``: three slots)."""
        heads = self.network.heads
        query = queries.heads(attention.q_proj(query_rows), heads, slot=0)
        if keys is queries:
            key = keys.heads(attention.k_proj(key_rows), heads, slot=1)
            value = keys.heads(attention.v_proj(key_rows), heads, slot=2)
        else:
            key = keys.heads(attention.k_proj(key_rows), heads, slot=0)
            value = keys.heads(attention.v_proj(key_rows), heads, slot=1)
        attended = F.scaled_dot_product_attention(
            query, key, value, attn_mask=mask, scale=attention.scaling
        )
        out: torch.Tensor = attention.out_proj(queries.unheads(attended))
        return out

    def _log_probs(self, hidden: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """The log-probability (fp32) of each row's target token, the vocabulary projection run
        :data:`HEAD_ROWS` rows at a time."""
        parts = []
        for begin in range(0, hidden.shape[0], HEAD_ROWS):
            logits = self.network.head(hidden[begin : begin + HEAD_ROWS]).float()
            wanted = targets[begin : begin + HEAD_ROWS]
            rows = torch.arange(wanted.shape[0], device=wanted.device)
            parts.append(logits[rows, wanted] - torch.logsumexp(logits, dim=-1))
        return torch.cat(parts)
