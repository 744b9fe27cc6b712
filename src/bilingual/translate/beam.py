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
  cache reordered in place (only the rows whose parent is another row are copied);
* the first step runs once per sentence, not once per beam (the beams are identical then);
* nothing vocabulary-wide is kept: the output layer runs on blocks of rows, and each row gives
  its ``2 * beams`` best tokens, the only ones that can be among its sentence's best
  continuations, with the log-softmax normaliser of one pass over the row;
* a sentence leaves the batch as soon as it is done, and each sentence has its own length cap
  (``generate`` takes one per batch): a translation never depends on its batch-mates;
* the processors opus-mt uses (single-token ``bad_words_ids``, ``min_new_tokens``,
  ``forced_eos_token_id``) touch single columns or rows of the log-probabilities.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from .decoding import Hypothesis, Memory, Network, gather_beams, reorder_cache
from .vocabulary import logsumexp

__all__ = ["BeamDecoder"]

_LOSE = -1.0e9  # transformers' "minus infinity" for scores that must lose but stay finite
_CHUNK = 64  # vocabulary columns per chunk when looking for a row's best tokens
# Rows whose logits are computed at once (15 MB of fp32 for opus-mt's 59,514 tokens: glibc
# recycles blocks that size, where a whole step's logits would come from fresh, zeroed pages).
_BLOCK = 64


class BeamDecoder:
    """Beam search over a ``MarianMTModel``'s own (possibly quantised) modules.

    Settings left ``None`` when called come from the model's generation config (opus-mt's says
    4 beams), else from ``generate``'s defaults.

    Example:
        >>> decoder = BeamDecoder(model)
        >>> best = decoder(input_ids, attention_mask, max_new=[20, 12], min_new=1, beams=4)
        >>> [hypotheses[0].tokens for hypotheses in best]
    """

    def __init__(
        self, model: Any, columns: Sequence[int] | None = None, network: Network | None = None
    ) -> None:
        """``network``: as :class:`~bilingual.translate.greedy.GreedyDecoder`'s."""
        self.network = network or Network(model, columns)
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
            beams: beam width (``num_beams``), at least 2 (one beam is greedy search, which
                ``generate`` runs instead, and so does :class:`~.greedy.GreedyDecoder`).
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
        if search.beams < 2:
            raise ValueError(f"beam search needs at least 2 beams, not {search.beams}")
        if not 1 <= search.num_return <= search.beams:
            raise ValueError(f"num_return must be 1 to {search.beams}, not {search.num_return}")
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
        keys, values = network.cache(batch * beams, longest, memory.bias)
        # A block of rows' logits, vocabulary-wide, padded with -inf to whole chunks, and
        # scratch space for their exponentials; both reused for every block of every step.
        width = -(-network.vocabulary // _CHUNK) * _CHUNK
        block = min(batch * beams, _BLOCK)
        self.padded = torch.full((block, width), -math.inf, device=device)
        self.scratch = torch.empty((block, network.vocabulary), device=device)
        self._start(batch, longest, limits, network.eos)
        results: list[list[Hypothesis]] = [[] for _ in range(batch)]
        tokens = torch.full((batch,), network.start, dtype=torch.long, device=device)
        for step in range(longest):
            hidden = network.decode(tokens, step, keys, values, memory)
            parents, tokens = self._advance(*self._candidates(network, hidden, step, min_new), step)
            done = self._done(step)
            for k in done.nonzero().squeeze(1).tolist():
                results[self.sentences[k]] = self._hypotheses(k)
            if bool(done.all()):
                break
            keep = (~done).nonzero().squeeze(1)
            # Each surviving beam's parent row in this step's layout (one row per sentence at
            # step 0, where every beam of a sentence is the same).
            width = 1 if step == 0 else beams
            sources = (keep[:, None] * width + parents[keep] % width).reshape(-1)
            reorder_cache(keys, values, sources, step + 1)
            tokens = tokens[keep].reshape(-1)
            if keep.shape[0] < done.shape[0]:
                memory = self._select(keep, memory)
        return results

    def _start(self, batch: int, longest: int, limits: list[int], eos: int) -> None:
        """The state before the first step, as ``generate`` sets it up."""
        beams, device, self.eos = self.beams, self.padded.device, eos
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

    def _candidates(
        self, network: Network, hidden: torch.Tensor, step: int, min_new: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Each row's ``2 * beams`` best next tokens (rows, 2 * beams) and their processed
        log-probabilities: ``generate``'s log-softmax, then its processors.

        Only these can be among a sentence's ``2 * beams`` best continuations, so nothing
        vocabulary-wide is kept: a block of rows at a time, the logits are computed (the
        output layer's product is cheaper in blocks than whole, and a block stays in cache),
        the log-softmax's normaliser comes from one pass over them, and the best tokens from
        the best chunks (a chunk's maximum ranks it: the ``k`` best tokens lie in the ``k``
        chunks with the highest maxima).
        """
        rows, wanted = hidden.shape[0], 2 * self.beams
        forced = torch.zeros(rows, dtype=torch.bool, device=hidden.device)
        if network.forced_eos is not None:
            forced = (self.limits - 1 == step).repeat_interleave(rows // self.limits.shape[0])
        values, tokens = [], []
        for start in range(0, rows, _BLOCK):
            block = hidden[start : start + _BLOCK]
            padded = self.padded[: block.shape[0]]
            scores = network.head(block, out=padded[:, : network.vocabulary])
            normaliser = logsumexp(scores, self.scratch[: block.shape[0]])
            network.suppress(scores, step, min_new)
            ending = forced[start : start + _BLOCK]
            if bool(ending.any()):  # </s> gets log-probability 0, the rest -inf
                scores[ending] = -math.inf
                scores[ending, network.forced_eos_column] = normaliser[ending]
            chunks = padded.view(block.shape[0], -1, _CHUNK)
            best = chunks.amax(dim=-1).topk(min(wanted, chunks.shape[1])).indices
            pool = torch.take_along_dim(chunks, best[:, :, None], dim=1).flatten(1)
            top, where = pool.topk(wanted)
            values.append(top - normaliser[:, None])
            chunk = best.gather(1, torch.div(where, _CHUNK, rounding_mode="floor"))
            tokens.append(network.output.tokens(chunk * _CHUNK + where % _CHUNK))
        return torch.cat(values), torch.cat(tokens)

    def _advance(
        self, log_probs: torch.Tensor, choices: torch.Tensor, step: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One step of ``generate``'s bookkeeping, given each row's candidate tokens and their
        log-probabilities; returns each running beam's parent beam and new token
        (sentences, beams)."""
        beams, sentences, wanted = self.beams, self.running.shape[0], log_probs.shape[-1]
        # At step 0 the rows are one per sentence, and generate's beams all equal the first.
        per_beam = log_probs.view(sentences, -1, wanted) + self.running[:, :, None]
        choices = choices.view(sentences, -1, wanted).expand(sentences, beams, wanted)
        top_scores, top = torch.topk(per_beam.view(sentences, -1), wanted)
        parents = torch.div(top, wanted, rounding_mode="floor")
        tokens = choices.reshape(sentences, -1).gather(1, top)
        candidates = torch.take_along_dim(self.history, parents[:, :, None], dim=1)
        candidates[:, :, step] = tokens
        ends = (tokens == self.eos) | (self.limits - 1 <= step)[:, None]
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
            gather_beams(torch.cat(pair, dim=1), best) for pair in pairs
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

    def _hypotheses(self, k: int) -> list[Hypothesis]:
        """Sentence ``k``'s best finished hypotheses, best first, without the final ``</s>``."""
        out = []
        for beam in range(self.num_return):
            length = int(self.finished_lengths[k, beam])
            tokens = self.finished[k, beam, :length].tolist()
            if tokens and tokens[-1] == self.eos:
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
