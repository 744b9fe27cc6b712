"""The engine's worker threads: their own torch thread counts, order, bounded failures."""

from __future__ import annotations

import threading
import time

import pytest
import torch

from bilingual.translate.workers import BatchPool


def probe(_: int) -> tuple[str, int]:
    return threading.current_thread().name, torch.get_num_threads()


def test_batches_run_on_the_pools_threads_with_their_count() -> None:
    before = torch.get_num_threads()
    with BatchPool(workers=2, threads_each=1) as pool:
        seen = list(pool.map(probe, range(6)))
    assert all(name.startswith("bilingual-batch") for name, _ in seen)
    assert {threads for _, threads in seen} == {1}
    assert torch.get_num_threads() == before


def test_results_come_back_in_order() -> None:
    def slow_first(n: int) -> int:
        time.sleep(0.05 if n == 0 else 0)
        return n * n

    with BatchPool(workers=2, threads_each=1) as pool:
        assert list(pool.map(slow_first, range(8))) == [n * n for n in range(8)]


def test_two_pools_keep_their_own_counts_and_new_threads_keep_the_default() -> None:
    before = torch.get_num_threads()
    with (
        BatchPool(workers=1, threads_each=1, name="one") as one,
        BatchPool(workers=1, threads_each=3, name="three") as three,
    ):
        for _ in range(3):
            assert {t for _, t in one.map(probe, range(2))} == {1}
            assert {t for _, t in three.map(probe, range(2))} == {3}
    fresh: list[int] = []
    thread = threading.Thread(target=lambda: fresh.append(torch.get_num_threads()))
    thread.start()
    thread.join()
    assert fresh == [before]  # a thread started afterwards gets the process default
    assert torch.get_num_threads() == before


def test_a_failure_stops_the_run_after_at_most_one_more_batch_than_workers() -> None:
    started: list[int] = []

    def fail(n: int) -> int:
        started.append(n)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"), BatchPool(2, 1) as pool:
        list(pool.map(fail, range(100)))
    assert len(started) <= 3
