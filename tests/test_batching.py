"""Batch planning: coverage, budgets, order."""

from __future__ import annotations

import random

import pytest

from bilingual.translate.batching import plan_batches, unique


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("max_tokens", "max_sentences"), [(64, 8), (500, 16), (4096, 64), (10, 2)])
def test_every_item_once_within_budget(seed: int, max_tokens: int, max_sentences: int) -> None:
    rng = random.Random(seed)
    lengths = [rng.randint(1, 120) for _ in range(300)]
    plan = plan_batches(lengths, max_tokens, max_sentences)
    flat = [i for batch in plan.batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    for batch in plan.batches:
        assert len(batch) <= max_sentences
        widest = max(lengths[i] for i in batch)
        assert len(batch) == 1 or len(batch) * widest <= max_tokens
        assert [lengths[i] for i in batch] == sorted((lengths[i] for i in batch), reverse=True)


@pytest.mark.parametrize("n", [1, 7, 65, 200, 1000])
def test_batches_are_evened_out_not_multiplied(n: int) -> None:
    rng = random.Random(n)
    lengths = [rng.randint(5, 40) for _ in range(n)]  # short: the sentence cap binds
    plan = plan_batches(lengths, 4096, 64)
    assert len(plan.batches) == -(-n // 64)  # as few batches as filling each to 64 gives
    sizes = [len(batch) for batch in plan.batches]
    assert max(sizes) - min(sizes) <= len(sizes)  # no runt at the end
    assert max(sizes) <= 64


def test_sorting_bounds_padding() -> None:
    rng = random.Random(1)
    lengths = [rng.randint(5, 80) for _ in range(2000)]
    plan = plan_batches(lengths, 2048, 64)
    assert plan.padding_ratio < 0.05
    assert plan.real_tokens == sum(lengths)


def test_empty_and_bad_budgets() -> None:
    assert plan_batches([]).batches == []
    with pytest.raises(ValueError):
        plan_batches([3], max_tokens=0)


def test_unique_keeps_first_seen_order() -> None:
    items = ["b", "a", "b", "c", "a"]
    distinct, where = unique(items)
    assert distinct == ["b", "a", "c"]
    assert [distinct[i] for i in where] == items
