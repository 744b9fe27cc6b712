"""Batched generation: token ids in, texts out, batches planned by length, run on worker threads.

:class:`BatchEngine` takes the distinct token-id sequences a :class:`~bilingual.Translator`
prepared, plans batches by length under a token budget (:mod:`~bilingual.translate.batching`),
decodes them on its own threads (:mod:`~bilingual.translate.workers`), halves a batch that runs
out of GPU memory, and returns the texts in input order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from ..errors import ModelError
from .base import Generation, Progress
from .batching import plan_batches
from .heap import release_free_memory
from .marian import LoadedModel
from .workers import BatchPool

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
        max_sentences: sentences per batch.
        threads: torch threads for the whole engine, shared out among the workers; ``None``: the
            caller's count at the time of each call.
        workers: batches decoded at once on CPU (see :func:`worker_count`).
    """

    def __init__(
        self,
        loaded: LoadedModel,
        max_tokens: int,
        max_sentences: int,
        threads: int | None = None,
        workers: int | None = None,
    ) -> None:
        self.loaded = loaded
        self.max_tokens, self.max_sentences = max_tokens, max_sentences
        self.threads, self.workers = threads, workers

    def generate(
        self, encoded: list[list[int]], generation: Generation, progress: Progress | None = None
    ) -> list[str]:
        """Translate token-id sequences, in batches planned by length; texts in input order."""
        if not encoded:
            return []
        plan = plan_batches([len(e) for e in encoded], self.max_tokens, self.max_sentences)
        threads = self.threads or torch.get_num_threads()
        workers = worker_count(self.loaded.device, threads, self.workers, len(plan.batches))
        out = [""] * len(encoded)

        def run(batch: list[int]) -> list[str]:
            return self.generate_batch([encoded[i] for i in batch], generation)

        with BatchPool(workers, max(1, threads // workers)) as pool:
            for batch, decoded in zip(plan.batches, pool.map(run, plan.batches), strict=True):
                for i, text in zip(batch, decoded, strict=True):
                    out[i] = text
                release_free_memory()
                if progress is not None:
                    progress(len(batch))
        return out

    def generate_batch(self, ids: list[list[int]], generation: Generation) -> list[str]:
        """Decode one batch; when a GPU runs out of memory, halve it and retry each half."""
        return halving_on_oom(lambda part: self._decode(part, generation), ids, self.loaded.device)

    @torch.inference_mode()
    def _decode(self, ids: list[list[int]], generation: Generation) -> list[str]:
        loaded = self.loaded
        longest = max(len(i) for i in ids)
        pad = loaded.tokenizer.pad_token_id
        input_ids = torch.tensor(
            [i + [pad] * (longest - len(i)) for i in ids], device=loaded.device
        )
        mask = (input_ids != pad).long()
        caps = [_cap(len(i), generation, loaded.max_source_tokens + 1) for i in ids]
        min_new = generation.min_new_tokens or 1  # a non-empty source never gets an empty output
        if generation.num_beams == 1 and loaded.greedy is not None:
            output: Any = loaded.greedy(input_ids, mask, caps, min_new)
        else:
            # Beam search through generate takes one cap per batch: its longest sentence's.
            output = loaded.model.generate(
                input_ids=input_ids,
                attention_mask=mask,
                max_new_tokens=max(caps),
                min_new_tokens=min_new,
                num_beams=generation.num_beams,
                do_sample=False,
            )
        texts = loaded.tokenizer.batch_decode(output, skip_special_tokens=True)
        return [t.strip() for t in texts]


def _cap(source_tokens: int, generation: Generation, limit: int) -> int:
    """A sentence's own cap on new tokens, so a translation never depends on its batch."""
    if generation.max_new_tokens is not None:
        return generation.max_new_tokens
    return min(limit, int(source_tokens * LENGTH_RATIO) + LENGTH_MARGIN)


def halving_on_oom(
    decode: Callable[[list[list[int]]], list[str]], ids: list[list[int]], device: str
) -> list[str]:
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
