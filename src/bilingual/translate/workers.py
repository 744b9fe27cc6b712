"""Running batches on threads of the engine's own, with their own torch thread count.

Torch's intra-op thread count (``torch.set_num_threads``) belongs to the thread that sets it:
OpenMP and MKL keep it per thread.  So a translator never sets it in its caller's thread: each
batch runs on one of the translator's worker threads, whose count is set once when the thread
starts.  The caller's own count is never touched, and two translators in one process, each with
its own threads, cannot change each other's.

One more piece of state is shared: torch remembers the last count set anywhere and gives it to
threads that have not run a parallel operation yet.  After setting a worker's count, the
process-wide default is put back (from a short-lived thread, so no live thread changes).

Two workers decode two batches side by side (as CTranslate2's ``inter_threads``): greedy decoding
of a small batch parallelises poorly inside each operation, and two batches keep both cores busier.
Torch releases the GIL inside its operations, so the workers' batches really run at once.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import TypeVar

import torch

__all__ = ["BatchPool"]

Item = TypeVar("Item")
Result = TypeVar("Result")


class BatchPool:
    """``workers`` threads, each running torch operations on ``threads_each`` threads.

    Use as a context manager; :meth:`map` runs a function over items, results in order, with one
    more item in flight than there are workers (a failure stops the run after at most that many,
    and finished results never pile up).  On an error or an interrupt, items not started are
    dropped, not run.

    Example:
        >>> with BatchPool(workers=2, threads_each=1) as pool:
        ...     list(pool.map(lambda n: n * torch.get_num_threads(), [1, 2, 3]))
        [1, 2, 3]
    """

    def __init__(self, workers: int, threads_each: int, name: str = "bilingual-batch") -> None:
        self.workers, self.threads_each = workers, threads_each
        default = torch.get_num_threads()
        self._executor = ThreadPoolExecutor(
            workers,
            thread_name_prefix=name,
            initializer=_own_threads,
            initargs=(threads_each, default),
        )

    def map(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
        waiting = iter(items)
        pending = deque(
            self._executor.submit(function, item) for item in islice(waiting, self.workers + 1)
        )
        while pending:
            result = pending.popleft().result()
            for item in islice(waiting, 1):
                pending.append(self._executor.submit(function, item))
            yield result

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> BatchPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _own_threads(count: int, default: int) -> None:
    """Give the calling worker thread ``count`` torch threads, and put back the process-wide
    default that new threads start from."""
    # A thread takes the process default at its first parallel operation, which would undo a
    # count set before it; asking for the count makes that happen now.
    torch.get_num_threads()
    torch.set_num_threads(count)
    restore = threading.Thread(target=torch.set_num_threads, args=(default,))
    restore.start()
    restore.join()
