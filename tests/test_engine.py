"""Batched generation's rules that need no model: worker counts and out-of-memory halving."""

from __future__ import annotations

import pytest
import torch

from bilingual import ModelError
from bilingual.translate.engine import halving_on_oom, worker_count


@pytest.mark.parametrize(
    ("device", "threads", "wanted", "batches", "expected"),
    [
        ("cpu", 2, None, 5, 2),  # the default on two cores: two batches of one thread each
        ("cpu", 1, None, 5, 1),
        ("cpu", 8, None, 5, 2),
        ("cpu", 8, 4, 5, 4),
        ("cpu", 2, 4, 5, 2),  # never more workers than threads
        ("cpu", 2, None, 1, 1),  # nothing to run side by side
        ("cuda", 8, 4, 5, 1),  # a GPU runs one batch at a time
        ("cuda:1", 8, None, 5, 1),
    ],
)
def test_worker_count(
    device: str, threads: int, wanted: int | None, batches: int, expected: int
) -> None:
    assert worker_count(device, threads, wanted, batches) == expected


def test_out_of_memory_halves_the_batch_until_it_fits() -> None:
    sizes: list[int] = []

    def decode(ids: list[list[int]]) -> list[str]:
        # A CUDA OOM cannot happen on this machine; simulate one for batches over two sentences.
        sizes.append(len(ids))
        if len(ids) > 2:
            raise torch.OutOfMemoryError("simulated")
        return [str(sum(i)) for i in ids]

    ids = [[k, k] for k in range(7)]
    assert halving_on_oom(decode, ids, "cpu") == [str(2 * k) for k in range(7)]
    assert sizes[0] == 7 and max(s for s in sizes if s <= 2) <= 2


def test_a_single_sentence_out_of_memory_is_a_model_error() -> None:
    def decode(ids: list[list[int]]) -> list[str]:
        raise torch.OutOfMemoryError("simulated")

    with pytest.raises(ModelError, match="out of memory on cpu"):
        halving_on_oom(decode, [[1, 2], [3]], "cpu")
