"""Greedy decoding for Marian models without ``generate``'s per-step overhead.

On top of :class:`~bilingual.translate.decoding.Network` (packed encoder, static cache, the
model's own modules), this decoder

* applies the few processors greedy opus-mt decoding uses to single vocabulary columns
  (``min_new_tokens``, single-token ``bad_words_ids``, ``forced_eos_token_id``);
* drops finished sentences from the batch, so the rest decode at the width they need;
* takes NumPy's argmax on CPU, several times faster than torch's over a vocabulary-wide row.

In fp32 it gives the same tokens as ``generate(num_beams=1, do_sample=False)``.

A translation's score is the mean log-probability of its generated tokens, the final ``</s>``
included: the score beam search gives a finished hypothesis under length penalty 1
(``generate``'s ``sequences_scores``), so greedy and beam scores read alike.  As there, the
log-probabilities are the log-softmax of the model's logits, and a ``</s>`` forced at the length
cap counts 0 (``generate`` forces it after the log-softmax).  Only the chosen column's
log-probability is needed: its logit minus the row's logsumexp, one pass over the row instead of
a vocabulary-wide log-softmax.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from .decoding import Hypothesis, Network
from .vocabulary import logsumexp

__all__ = ["GreedyDecoder"]


class GreedyDecoder:
    """Greedy search over a ``MarianMTModel``'s own (possibly quantised) modules."""

    def __init__(
        self, model: Any, columns: Sequence[int] | None = None, network: Network | None = None
    ) -> None:
        """``network``: the model's network, shared with its other decoders (one copy of its
        stacked and cut layers); made from ``model`` and ``columns`` when not given."""
        self.network = network or Network(model, columns)

    @torch.inference_mode()
    def __call__(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        max_new: int | list[int],
        min_new: int,
    ) -> list[list[Hypothesis]]:
        """The translation of each sentence of the batch (a list of one :class:`Hypothesis`).

        ``max_new`` may be one limit per sentence: each then ends exactly as it would in a batch
        of its own, so a translation never depends on the sentences batched with it.  The
        scores' one pass over every row costs a few percent of a greedy step on CPU.
        """
        network, batch = self.network, input_ids.shape[0]
        limits = max_new if isinstance(max_new, list) else [max_new] * batch
        memory = network.encode(input_ids, attention_mask)
        keys, values = network.cache(batch, max(limits), memory.bias)
        tokens = torch.full((batch,), network.start, dtype=torch.long, device=input_ids.device)
        # Room for the exponentials of a row, for the scores.
        scratch = torch.empty((batch, network.vocabulary), device=input_ids.device)
        alive = list(range(batch))
        outputs: list[list[int]] = [[] for _ in range(batch)]
        totals = [0.0] * batch
        for step in range(max(limits)):
            last = [step == limits[row] - 1 for row in alive]
            logits = network.head(network.decode(tokens, step, keys, values, memory))
            chosen, log_probs = self._choose(logits, step, last, min_new, scratch[: len(alive)])
            for row, token, log_prob in zip(alive, chosen, log_probs, strict=True):
                outputs[row].append(token)
                totals[row] += log_prob
            keep = [k for k, token in enumerate(chosen) if token != network.eos and not last[k]]
            if not keep:
                break
            tokens = torch.tensor([chosen[k] for k in keep], device=input_ids.device)
            if len(keep) < len(alive):  # drop finished sentences from every per-row state
                index = torch.tensor(keep, device=input_ids.device)
                alive = [alive[k] for k in keep]
                keys, values, memory = keys[:, index], values[:, index], memory.select(index)
        pairs = zip(outputs, totals, strict=True)
        return [[_hypothesis(out, total, network.eos)] for out, total in pairs]

    def _choose(
        self,
        logits: torch.Tensor,
        step: int,
        last: list[bool],
        min_new: int,
        scratch: torch.Tensor,
    ) -> tuple[list[int], list[float]]:
        """The greedy tokens and their log-probabilities, after the processors greedy opus-mt
        generation applies, in ``generate``'s order: banned tokens, minimum length, then the
        forced final ``</s>`` on each row's last step; ``scratch`` is room for the
        exponentials of the log-probabilities' normaliser."""
        network = self.network
        # The normaliser comes before any column is removed.
        normaliser = logsumexp(logits.float(), scratch)
        network.suppress(logits, step, min_new)
        if logits.device.type == "cpu" and logits.dtype == torch.float32:
            # NumPy's argmax is several times faster than torch's on CPU rows this wide; both
            # return the first maximum, as generate does.
            columns = [int(i) for i in logits.numpy().argmax(axis=-1)]
        else:
            columns = [int(i) for i in logits.argmax(dim=-1).tolist()]
        rows = torch.arange(len(columns), device=logits.device)
        picked = logits[rows, torch.tensor(columns, device=logits.device)].float()
        log_probs: list[float] = (picked - normaliser).tolist()
        chosen = network.output.token_list(columns)
        if network.forced_eos is None:
            return chosen, log_probs
        for k, end in enumerate(last):
            if end:
                chosen[k], log_probs[k] = network.forced_eos, 0.0
        return chosen, log_probs


def _hypothesis(tokens: list[int], total: float, eos: int) -> Hypothesis:
    """A greedy translation: its tokens without the final ``</s>``, its mean log-probability."""
    ended = bool(tokens) and tokens[-1] == eos
    return Hypothesis(tuple(tokens[:-1] if ended else tokens), total / max(1, len(tokens)))
