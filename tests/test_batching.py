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


@pytest.mark.parametrize(("n", "workers"), [(160, 2), (40, 2), (330, 2), (7, 3), (1000, 2), (3, 2)])
def test_batch_count_is_a_multiple_of_the_workers(n: int, workers: int) -> None:
    """160 sentences under a cap of 64 fill 3 batches, and 2 workers would finish a third of the
    run apart: 4 even batches instead (as long as there are sentences enough)."""
    rng = random.Random(n)
    lengths = [rng.randint(5, 40) for _ in range(n)]
    plan = plan_batches(lengths, 4096, 64, workers)
    alone = plan_batches(lengths, 4096, 64)
    assert len(plan.batches) % workers == 0 or len(plan.batches) == n
    assert len(plan.batches) >= len(alone.batches)
    assert sorted(i for batch in plan.batches for i in batch) == list(range(n))
    sizes = [len(batch) for batch in plan.batches]
    assert max(sizes) - min(sizes) <= len(sizes) and max(sizes) <= 64


def test_no_sentence_cap_but_the_tokens() -> None:
    lengths = [10] * 1000
    plan = plan_batches(lengths, 4096, None)
    assert [len(batch) for batch in plan.batches] == [334, 334, 332]  # 409 fit: 3 batches, evened
    assert all(len(batch) * 10 <= 4096 for batch in plan.batches)
    assert len(plan_batches(lengths, 4096, None, workers=2).batches) == 4


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
    with pytest.raises(ValueError):
        plan_batches([3], max_sentences=0)
    with pytest.raises(ValueError):
        plan_batches([3], workers=0)


def test_unique_keeps_first_seen_order() -> None:
    items = ["b", "a", "b", "c", "a"]
    distinct, where = unique(items)
    assert distinct == ["b", "a", "c"]
    assert [distinct[i] for i in where] == items
