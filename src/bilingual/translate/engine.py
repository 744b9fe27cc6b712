"""Batched generation: token ids in, translations out, batches planned by length, on worker threads.

:class:`BatchEngine` takes the distinct token-id sequences a :class:`~bilingual.Translator`
prepared, plans batches by length under a token budget (:mod:`~bilingual.translate.batching`),
decodes them on its own threads (:mod:`~bilingual.translate.workers`), halves a batch that runs
out of GPU memory, and returns the texts in input order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import torch

from ..errors import ModelError
from .base import Generation, Progress, Score, Translation
from .batching import Plan, plan_batches
from .decoding import Hypothesis
from .heap import release_free_memory
from .marian import LoadedModel
from .scoring import ForcedDecoder
from .workers import BatchPool

Decoded = TypeVar("Decoded")
Batch = TypeVar("Batch")
Pair = tuple[list[int], list[int]]

__all__ = ["LENGTH_MARGIN", "LENGTH_RATIO", "BatchEngine", "halving_on_oom", "worker_count"]

# Output may be this many times longer than the input (plus a margin) before it is cut: enough for
# fr->vi, short enough that a degenerate model cannot run to the position limit.
LENGTH_RATIO = 2.0
LENGTH_MARGIN = 10


def worker_count(device: str, threads: int, wanted: int | None, batches: int) -> int:
    """How many batches to decode at once: by default 2 on a CPU with 2 threads or more; never
    more than there are batches or threads; always 1 on a GPU (one device, one stream)."""
    if device != "cpu" or batches < 2:
        return 1
    return max(1, min(wanted if wanted is not None else 2, threads, batches))


class BatchEngine:
    """Decodes batches of token ids with a loaded model.

    Args:
        loaded: the model.
        max_tokens: padded source tokens per batch.
        max_sentences: sentences per batch; ``None``: as many as the token budget holds.
        threads: torch threads for the whole engine, shared out among the workers; ``None``: the
            caller's count at the time of each call.
        workers: batches decoded at once on CPU (see :func:`worker_count`).
    """

    def __init__(
        self,
        loaded: LoadedModel,
        max_tokens: int,
        max_sentences: int | None,
        threads: int | None = None,
        workers: int | None = None,
    ) -> None:
        self.loaded = loaded
        self.max_tokens, self.max_sentences = max_tokens, max_sentences
        self.threads, self.workers = threads, workers
        self._forced: ForcedDecoder | None = None

    @property
    def forced(self) -> ForcedDecoder:
        """The forced decoder, made when a first pair is scored: a translating process never
        holds its layers (with an int8 output layer cut to the target pieces, it quantises
        the whole vocabulary's, 60 MB for opus-mt)."""
        if self._forced is None:
            self._forced = ForcedDecoder(self.loaded.model)
        return self._forced

    def generate(
        self, encoded: list[list[int]], generation: Generation, progress: Progress | None = None
    ) -> list[Translation]:
        """Translate token-id sequences, in batches planned by length; results in input order.

        The token budget of a batch counts every beam: with ``b`` beams, a batch holds ``b``
        times fewer sentences, so its memory stays bounded.
        """
        if not encoded:
            return []
        generation.check_model("the model", self.loaded.default_beams)
        beams = generation.num_beams or self.loaded.default_beams
        cap = None if self.max_sentences is None else max(1, self.max_sentences // beams)
        workers = self._workers(len(encoded))
        budget = max(1, self.max_tokens // beams)
        plan = plan_batches([len(e) for e in encoded], budget, cap, workers)
        out: list[Translation] = [Translation("")] * len(encoded)

        def run(batch: list[int]) -> list[Translation]:
            return self.generate_batch([encoded[i] for i in batch], generation)

        self._each_batch(plan, workers, run, out, progress)
        return out

    def score(self, pairs: list[Pair], progress: Progress | None = None) -> list[Score]:
        """Score (source ids, target ids) pairs by forced decoding, in batches planned by their
        source and target lengths together under the token budget; results in input order."""
        if not pairs:
            return []
        lengths = [len(source) + len(target) for source, target in pairs]
        workers = self._workers(len(pairs))
        plan = plan_batches(lengths, self.max_tokens, self.max_sentences, workers)
        out: list[Score] = [Score(0.0, 1)] * len(pairs)

        def run(batch: list[int]) -> list[Score]:
            return self.score_batch([pairs[i] for i in batch])

        self._each_batch(plan, workers, run, out, progress)
        return out

    def score_batch(self, pairs: list[Pair]) -> list[Score]:
        """Score one batch; when a GPU runs out of memory, halve it and retry each half."""
        return halving_on_oom(self._force, pairs, self.loaded.device)

    def _threads(self) -> int:
        return self.threads or torch.get_num_threads()

    def _workers(self, items: int) -> int:
        """The batches decoded at once for a call of ``items`` sentences, which the plan's batch
        count is made a multiple of."""
        return worker_count(self.loaded.device, self._threads(), self.workers, items)

    def _each_batch(
        self,
        plan: Plan,
        workers: int,
        run: Callable[[list[int]], list[Decoded]],
        out: list[Decoded],
        progress: Progress | None,
    ) -> None:
        """``run`` over the plan's batches on ``workers`` workers (the count the plan was made
        for; no more than it has batches), each result put at its index in ``out``."""
        threads = self._threads()
        workers = min(workers, len(plan.batches))
        with BatchPool(workers, max(1, threads // workers)) as pool:
            for batch, decoded in zip(plan.batches, pool.map(run, plan.batches), strict=True):
                for i, result in zip(batch, decoded, strict=True):
                    out[i] = result
                release_free_memory()
                if progress is not None:
                    progress(len(batch))

    def generate_batch(self, ids: list[list[int]], generation: Generation) -> list[Translation]:
        """Decode one batch; when a GPU runs out of memory, halve it and retry each half."""
        found = halving_on_oom(lambda part: self._decode(part, generation), ids, self.loaded.device)
        return [self._translation(hypotheses) for hypotheses in found]

    def _force(self, pairs: list[Pair]) -> list[Score]:
        pad = self.loaded.tokenizer.pad_token_id
        sources, source_mask = _padded([s for s, _ in pairs], pad, self.loaded.device)
        targets, target_mask = _padded([t for _, t in pairs], pad, self.loaded.device)
        return self.forced(sources, source_mask, targets, target_mask)

    @torch.inference_mode()
    def _decode(self, ids: list[list[int]], generation: Generation) -> list[list[Hypothesis]]:
        loaded = self.loaded
        longest = max(len(i) for i in ids)
        pad = loaded.tokenizer.pad_token_id
        input_ids = torch.tensor(
            [i + [pad] * (longest - len(i)) for i in ids], device=loaded.device
        )
        mask = (input_ids != pad).long()
        caps = [_cap(len(i), generation, loaded.max_source_tokens + 1) for i in ids]
        min_new = generation.min_new_tokens or 1  # a non-empty source never gets an empty output
        beams = generation.num_beams or loaded.default_beams
        if loaded.decoders is not None:
            if beams == 1:
                return loaded.decoders.greedy(input_ids, mask, caps, min_new)
            return loaded.decoders.beam(
                input_ids,
                mask,
                caps,
                min_new,
                beams=beams,
                num_return=generation.num_return_sequences,
            )
        return _generate(loaded.model, input_ids, mask, caps, min_new, beams, generation)

    def _translation(self, hypotheses: list[Hypothesis]) -> Translation:
        """The best hypothesis as a translation, the others as its alternatives."""
        texts = self.loaded.tokenizer.batch_decode(
            [list(h.tokens) for h in hypotheses], skip_special_tokens=True
        )
        found = [
            Translation(t.strip(), score=h.score) for t, h in zip(texts, hypotheses, strict=True)
        ]
        return Translation(found[0].text, score=found[0].score, alternatives=tuple(found[1:]))


def _generate(
    model: Any,
    input_ids: torch.Tensor,
    mask: torch.Tensor,
    caps: list[int],
    min_new: int,
    beams: int,
    generation: Generation,
) -> list[list[Hypothesis]]:
    """``generate``, for generation configs the fast decoders do not reproduce.  It takes one
    length cap per batch (its longest sentence's), and scores as it reports them: for beams,
    ``sequences_scores``; for greedy, the mean log-probability of the generated tokens."""
    returned = generation.num_return_sequences
    output = model.generate(
        input_ids=input_ids,
        attention_mask=mask,
        max_new_tokens=max(caps),
        min_new_tokens=min_new,
        num_beams=beams,
        num_return_sequences=returned,
        do_sample=False,
        output_scores=True,
        return_dict_in_generate=True,
    )
    sequences = output.sequences[:, 1:]  # the start token
    if beams > 1:
        scores = output.sequences_scores.tolist()
    else:
        steps = model.compute_transition_scores(
            output.sequences, output.scores, normalize_logits=True
        )
        real = sequences != model.generation_config.pad_token_id
        scores = ((steps * real).sum(dim=1) / real.sum(dim=1).clamp(min=1)).tolist()
    special = {model.generation_config.pad_token_id, model.generation_config.eos_token_id}
    hypotheses = [
        Hypothesis(tuple(t for t in row.tolist() if t not in special), float(score))
        for row, score in zip(sequences, scores, strict=True)
    ]
    return [hypotheses[k : k + returned] for k in range(0, len(hypotheses), returned)]


def _padded(ids: list[list[int]], pad: int, device: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Token-id sequences right-padded into one tensor, and the mask of their real tokens."""
    longest = max(len(i) for i in ids)
    tensor = torch.tensor([i + [pad] * (longest - len(i)) for i in ids], device=device)
    lengths = torch.tensor([len(i) for i in ids], device=device)
    mask = (torch.arange(longest, device=device)[None] < lengths[:, None]).long()
    return tensor, mask


def _cap(source_tokens: int, generation: Generation, limit: int) -> int:
    """A sentence's own cap on new tokens, so a translation never depends on its batch."""
    if generation.max_new_tokens is not None:
        return generation.max_new_tokens
    return min(limit, int(source_tokens * LENGTH_RATIO) + LENGTH_MARGIN)


def halving_on_oom(
    decode: Callable[[list[Batch]], list[Decoded]], ids: list[Batch], device: str
) -> list[Decoded]:
    """``decode(ids)``; when the device runs out of memory, the same for each half, recursively.

    Raises:
        ModelError: a single sentence does not fit in memory.
    """
    try:
        return decode(ids)
    except torch.OutOfMemoryError:
        if len(ids) == 1:
            raise ModelError(
                f"out of memory on {device} for a single sentence; "
                "use --device cpu or a smaller precision"
            ) from None
        if device.startswith("cuda"):
            torch.cuda.empty_cache()
        half = len(ids) // 2
        return halving_on_oom(decode, ids[:half], device) + halving_on_oom(
            decode, ids[half:], device
        )
