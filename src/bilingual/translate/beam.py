"""Batched beam search for Marian models, exactly ``generate``'s, at an engine's speed.

The search is transformers' (5.x ``GenerationMixin._beam_search``), step for step: each step
keeps the ``2 * beams`` best continuations of all beams (so that ``beams`` unfinished ones remain
when some end), continues with the best ``beams`` unfinished ones, and merges the finished ones
(score = sum of log-probabilities / length ** ``length_penalty``) into the sentence's ``beams``
best finished hypotheses; ``early_stopping`` decides when a sentence is done (``True``: when it
has ``beams`` finished hypotheses; ``False``: also when its best running beam, scored at its
current length, cannot beat the worst of them; ``"never"``: the same at the longest possible
length when ``length_penalty > 0``).  In fp32 it gives ``generate``'s tokens and
``sequences_scores``.

Where it differs is the machinery, as CTranslate2 does it:

* the network is :class:`~bilingual.translate.decoding.Network`: packed encoder, one copy of the
  cross-attention memory per sentence that its beams query together, a static self-attention
  cache reordered by gathering the steps so far into a second buffer;
* the first step runs once per sentence, not once per beam (the beams are identical then);
* a sentence leaves the batch as soon as it is done, and each sentence has its own length cap
  (``generate`` takes one per batch): a translation never depends on its batch-mates;
* the processors opus-mt uses (single-token ``bad_words_ids``, ``min_new_tokens``,
  ``forced_eos_token_id``) touch single columns or rows of the log-probabilities.
"""

from __future__ import annotations

from typing import Any

import torch

from .decoding import Hypothesis, Memory, Network

__all__ = ["BeamDecoder"]

# transformers' "minus infinity" for scores that must lose but stay finite.
_LOSE = -1.0e9


class BeamDecoder:
    """Beam search over a ``MarianMTModel``'s own (possibly quantised) modules.

    Settings left ``None`` when called come from the model's generation config, else from
    ``generate``'s defaults (4 beams as opus-mt configs say only if the config says so).

    Example:
        >>> decoder = BeamDecoder(model)
        >>> best = decoder(input_ids, attention_mask, max_new=[20, 12], min_new=1, beams=4)
        >>> [hypotheses[0].tokens for hypotheses in best]
    """

    def __init__(self, model: Any) -> None:
        self.network = Network(model)
        self.generation = model.generation_config

    @torch.inference_mode()
    def __call__(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        max_new: int | list[int],
        min_new: int = 0,
        *,
        beams: int | None = None,
        length_penalty: float | None = None,
        early_stopping: bool | str | None = None,
        num_return: int | None = None,
    ) -> list[list[Hypothesis]]:
        """The ``num_return`` best hypotheses of each sentence, best first.

        Args:
            input_ids: the padded source batch (sentences, length).
            attention_mask: 1 at real tokens, 0 at padding.
            max_new: the cap on generated tokens, or one cap per sentence.
            min_new: generated tokens before ``</s>`` may come.
            beams: beam width (``num_beams``).
            length_penalty: exponent of the length that divides a finished hypothesis's
                log-probability.
            early_stopping: ``True``, ``False`` or ``"never"``, as ``generate`` takes it.
            num_return: hypotheses returned per sentence (``num_return_sequences``), at most
                ``beams``.

        Returns:
            Per sentence, its hypotheses: tokens (no start token, no final ``</s>``) and
            ``generate``'s ``sequences_scores``.
        """
        search = _Search(
            beams=_setting(beams, self.generation.num_beams, 1),
            length_penalty=float(_setting(length_penalty, self.generation.length_penalty, 1.0)),
            early_stopping=_setting(early_stopping, self.generation.early_stopping, False),
            num_return=_setting(num_return, self.generation.num_return_sequences, 1),
        )
        if not 1 <= search.num_return <= search.beams:
            raise ValueError(f"num_return must be 1 to beams ({search.beams}), not {search}")
        batch = input_ids.shape[0]
        limits = max_new if isinstance(max_new, list) else [max_new] * batch
        return search.run(self.network, input_ids, attention_mask, limits, min_new)


def _setting(value: Any, configured: Any, default: Any) -> Any:
    return value if value is not None else configured if configured is not None else default


class _Search:
    """One batch's beam search state: every tensor has the sentences still decoding first."""

    def __init__(
        self, beams: int, length_penalty: float, early_stopping: bool | str, num_return: int
    ) -> None:
        self.beams, self.length_penalty = beams, length_penalty
        self.early_stopping, self.num_return = early_stopping, num_return

    def run(
        self,
        network: Network,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        limits: list[int],
        min_new: int,
    ) -> list[list[Hypothesis]]:
        batch, beams, device = input_ids.shape[0], self.beams, input_ids.device
        memory = network.encode(input_ids, attention_mask)
        longest = max(limits)
        caches = (network.cache(batch * beams, longest, memory.bias) for _ in range(2))
        (keys, values), (spare_keys, spare_values) = caches
        self._start(batch, longest, limits, device)
        results: list[list[Hypothesis]] = [[] for _ in range(batch)]
        tokens = torch.full((batch,), network.start, dtype=torch.long, device=device)
        for step in range(longest):
            logits = network.logits(tokens, step, keys, values, memory)
            log_probs = self._log_probs(network, logits, step, min_new)
            parents, tokens = self._advance(log_probs, step, network.eos)
            done = self._done(step)
            for k in done.nonzero().squeeze(1).tolist():
                results[self.sentences[k]] = self._hypotheses(k, network.eos)
            if bool(done.all()):
                break
            keep = (~done).nonzero().squeeze(1)
            # Each surviving beam's parent row in this step's layout (one row per sentence at
            # step 0, where every beam of a sentence is the same).
            width = 1 if step == 0 else beams
            rows = (keep[:, None] * width + parents[keep] % width).reshape(-1)
            for source, target in ((keys, spare_keys), (values, spare_values)):
                for layer in range(source.shape[0]):
                    torch.index_select(
                        source[layer, :, :, : step + 1],
                        0,
                        rows,
                        out=target[layer, : rows.shape[0], :, : step + 1],
                    )
            keys, spare_keys, values, spare_values = spare_keys, keys, spare_values, values
            tokens = tokens[keep].reshape(-1)
            if keep.shape[0] < done.shape[0]:
                memory = self._select(keep, memory)
        return results

    def _start(self, batch: int, longest: int, limits: list[int], device: torch.device) -> None:
        """The state before the first step, as ``generate`` sets it up."""
        beams = self.beams
        self.sentences = list(range(batch))  # the input position of each sentence decoding
        self.limits = torch.tensor(limits, device=device)
        self.history = torch.zeros((batch, beams, longest), dtype=torch.long, device=device)
        self.running = torch.zeros((batch, beams), device=device)
        self.running[:, 1:] = _LOSE  # only the first beam's continuations count at step 0
        self.finished = torch.zeros((batch, beams, longest), dtype=torch.long, device=device)
        self.finished_scores = torch.full((batch, beams), _LOSE, device=device)
        self.finished_lengths = torch.zeros((batch, beams), dtype=torch.long, device=device)
        self.is_finished = torch.zeros((batch, beams), dtype=torch.bool, device=device)
        self.improvable = torch.ones((batch, 1), dtype=torch.bool, device=device)
        self.top = torch.arange(2 * beams, device=device) < beams

    def _log_probs(
        self, network: Network, logits: torch.Tensor, step: int, min_new: int
    ) -> torch.Tensor:
        """The processed log-probabilities (sentences, beams, vocabulary) plus each beam's
        running score: ``generate``'s log-softmax in fp32, then its processors."""
        log_probs = torch.log_softmax(logits.float(), dim=-1)
        network.suppress(log_probs, step, min_new)
        if network.forced_eos is not None:
            forced = self.limits - 1 == step
            if bool(forced.any()):
                rows = forced.repeat_interleave(log_probs.shape[0] // forced.shape[0])
                log_probs[rows] = -float("inf")
                log_probs[rows, network.forced_eos] = 0.0
        sentences, vocabulary = self.running.shape[0], log_probs.shape[-1]
        # At step 0 the rows are one per sentence and generate's beams all equal the first.
        per_beam = log_probs.view(sentences, -1, vocabulary)
        return per_beam + self.running[:, :, None]

    def _advance(
        self, log_probs: torch.Tensor, step: int, eos: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One step of ``generate``'s bookkeeping; returns each running beam's parent beam and
        new token (sentences, beams)."""
        beams, sentences, vocabulary = self.beams, log_probs.shape[0], log_probs.shape[-1]
        top_scores, top_indices = torch.topk(log_probs.view(sentences, -1), 2 * beams)
        parents, tokens = top_indices // vocabulary, top_indices % vocabulary
        candidates = torch.take_along_dim(self.history, parents[:, :, None], dim=1)
        candidates[:, :, step] = tokens
        ends = (tokens == eos) | (self.limits - 1 <= step)[:, None]
        # The best unfinished candidates run on.
        running = top_scores + ends.to(torch.float32) * _LOSE
        chosen = torch.topk(running, beams)[1]
        self.running = running.gather(1, chosen)
        self.history = torch.take_along_dim(candidates, chosen[:, :, None], dim=1)
        # The finished ones among the best `beams` join the finished hypotheses if they beat them.
        ended = ends & self.top[None, :]
        scores = top_scores / ((step + 1) ** self.length_penalty)
        full = self.is_finished.all(dim=-1, keepdim=True) & (self.early_stopping is True)
        scores += full.to(torch.float32) * _LOSE
        scores += (~self.improvable).to(torch.float32) * _LOSE
        scores += (~ended) * _LOSE
        merged = torch.cat((self.finished_scores, scores), dim=1)
        best = torch.topk(merged, beams)[1]
        self.finished_scores = merged.gather(1, best)
        lengths = torch.full_like(tokens, step + 1)
        pairs = (
            (self.finished, candidates),
            (self.finished_lengths, lengths),
            (self.is_finished, ended),
        )
        self.finished, self.finished_lengths, self.is_finished = (
            _gather(torch.cat(pair, dim=1), best) for pair in pairs
        )
        self._update_improvable(step)
        return parents.gather(1, chosen), tokens.gather(1, chosen)

    def _update_improvable(self, step: int) -> None:
        """Whether each sentence's best running beam may still beat its worst finished
        hypothesis (``generate``'s early-stopping heuristic)."""
        penalty = self.length_penalty
        if self.early_stopping == "never" and penalty > 0.0:
            # The longest each sentence can get: its own cap (generate's max_length).
            lengths = [float(limit**penalty) for limit in self.limits.tolist()]
            denominator = torch.tensor(lengths, device=self.running.device)[:, None]
            best = self.running[:, :1] / denominator
        else:
            best = self.running[:, :1] / ((step + 1) ** penalty)
        worst = self.finished_scores.min(dim=1, keepdim=True)[0]
        worst = torch.where(self.is_finished, worst, _LOSE)
        self.improvable = self.improvable & (best > worst).any(dim=-1, keepdim=True)

    def _done(self, step: int) -> torch.Tensor:
        """Which sentences stop after this step: no improvement possible, all beams finished
        under ``early_stopping=True``, or the length cap reached."""
        done = ~self.improvable[:, 0] | (self.limits - 1 <= step)
        if self.early_stopping is True:
            done |= self.is_finished.all(dim=-1)
        return done

    def _hypotheses(self, k: int, eos: int) -> list[Hypothesis]:
        """Sentence ``k``'s best finished hypotheses, best first, without the final ``</s>``."""
        out = []
        for beam in range(self.num_return):
            length = int(self.finished_lengths[k, beam])
            tokens = self.finished[k, beam, :length].tolist()
            if tokens and tokens[-1] == eos:
                tokens.pop()
            out.append(Hypothesis(tuple(tokens), float(self.finished_scores[k, beam])))
        return out

    def _select(self, keep: torch.Tensor, memory: Memory) -> Memory:
        """Keep the sentences at ``keep`` in every per-sentence state; returns their memory."""
        self.sentences = [self.sentences[k] for k in keep.tolist()]
        for name in ("limits", "history", "running", "finished", "finished_scores"):
            setattr(self, name, getattr(self, name)[keep])
        for name in ("finished_lengths", "is_finished", "improvable"):
            setattr(self, name, getattr(self, name)[keep])
        return memory.select(keep)


def _gather(tensor: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """``tensor``'s entries (sentences, k, ...) at ``index`` (sentences, beams) along k."""
    while index.dim() < tensor.dim():
        index = index.unsqueeze(-1)
    return torch.take_along_dim(tensor, index, dim=1)
