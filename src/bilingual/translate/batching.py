"""Scheduling sentences into batches: dedupe, sort by length, token budget, restore order.

Pure Python (no torch) so it can be tested and reasoned about on its own.  Sorting by length keeps
padding small: in a batch, every sentence is padded to the longest, so batching neighbours in length
wastes little compute.  The token budget bounds a batch's memory whatever the sentence lengths.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..errors import ConfigError

__all__ = ["DEFAULT_MAX_SENTENCES", "DEFAULT_MAX_TOKENS", "Plan", "plan_batches", "unique"]

Item = TypeVar("Item", bound=Hashable)

# Padded source tokens per batch; 4096 keeps a base-size Marian batch well under 1 GB (and it is
# what CTranslate2 packs).  Sentences per batch (hypotheses, with beams): 128, as wide as the int8
# kernels for many rows pay off (quantized.MANY_ROWS); against 64, 500 sentences in 0.91 of the
# time greedy and 300 in 0.92 with 4 beams, 32 the same (opus-mt-base shape, 2 cores with AMX).
DEFAULT_MAX_TOKENS = 4096
DEFAULT_MAX_SENTENCES: int | None = 128


@dataclass(frozen=True)
class Plan:
    """Batches of indices into a list of unique items, longest first.

    Attributes:
        batches: each batch is a list of item indices, sorted by decreasing length.
        padded_tokens: the tokens the batches hold once padded (what compute is paid for).
        real_tokens: the tokens the items hold (what compute is needed for).
    """

    batches: list[list[int]]
    padded_tokens: int
    real_tokens: int

    @property
    def padding_ratio(self) -> float:
        """Share of the padded batches that is padding."""
        return 1 - self.real_tokens / self.padded_tokens if self.padded_tokens else 0.0


def unique(items: Sequence[Item]) -> tuple[list[Item], list[int]]:
    """Distinct items in first-seen order, and for each input item its index among them.

    Example:
        >>> unique(["a", "b", "a"])
        (['a', 'b'], [0, 1, 0])
    """
    index: dict[Item, int] = {}
    where = [index.setdefault(item, len(index)) for item in items]
    return list(index), where


def plan_batches(
    lengths: Sequence[int],
    max_tokens: int = DEFAULT_MAX_TOKENS,
    max_sentences: int | None = DEFAULT_MAX_SENTENCES,
    workers: int = 1,
) -> Plan:
    """Group items into batches whose padded size stays within a token budget.

    Args:
        lengths: the token length of each item.
        max_tokens: the most padded tokens a batch may hold (``len(batch) * longest``); an item
            longer than the budget gets a batch of its own.
        max_sentences: the most items a batch may hold; ``None``: no limit but the tokens.
        workers: batches decoded side by side: the number of batches is made a multiple of it
            (while there are items enough), so that no worker idles at the end of the call.

    Returns:
        A :class:`Plan` whose batches cover every index exactly once, their sizes evened out.
    """
    cap = len(lengths) if max_sentences is None else max_sentences
    if max_tokens < 1 or (max_sentences is not None and max_sentences < 1):
        raise ConfigError(
            f"max_tokens and max_sentences must be at least 1, not {max_tokens}, {max_sentences}"
        )
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, not {workers}")
    if not lengths:
        return Plan([], 0, 0)
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches = _fill(order, lengths, max_tokens, cap)
    # Filling each batch to the brim leaves a runt at the end (200 sentences under a cap of 64:
    # 42, 64, 64, 30), and workers decoding side by side then finish far apart; so does a batch
    # count that the workers do not divide (3 batches for 2 workers: one idles a third of the
    # run).  The count is rounded up to a multiple of the workers, then the fewest sentences per
    # batch that need no more batches than that even the sizes out (42, 53, 53, 52).
    wanted = min(len(lengths), -(-len(batches) // workers) * workers)
    low, high = 1, cap
    while low < high:
        middle = (low + high) // 2
        if len(_fill(order, lengths, max_tokens, middle)) <= wanted:
            high = middle
        else:
            low = middle + 1
    if low < cap:
        batches = _fill(order, lengths, max_tokens, low)
    padded = sum(len(batch) * max(1, lengths[batch[0]]) for batch in batches)
    return Plan(batches, padded, sum(max(1, n) for n in lengths))


def _fill(
    order: Sequence[int], lengths: Sequence[int], max_tokens: int, max_sentences: int
) -> list[list[int]]:
    """Items in ``order`` (longest first), each batch filled as far as the budgets allow."""
    batches: list[list[int]] = []
    for i in order:
        batch = batches[-1] if batches else None
        # Sorted longest first, so the batch's first item sets its padded width.
        if (
            batch
            and len(batch) < max_sentences
            and (len(batch) + 1) * lengths[batch[0]] <= max_tokens
        ):
            batch.append(i)
        else:
            batches.append([i])
    return batches
