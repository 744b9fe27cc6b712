"""Termination signals as exceptions, so that an interrupted run cleans up as Ctrl-C does.

Python turns SIGINT (Ctrl-C) into :class:`KeyboardInterrupt`, and every ``finally`` and
``except BaseException`` on the way up runs: temporary files are removed, open corpus files are
dropped, the documents already finished stay saved for ``--resume``.  SIGTERM (``kill``, a job
scheduler's time limit) and SIGHUP (a closed terminal) would end the process on the spot instead;
:func:`signals_as_interrupts` makes them a :class:`Terminated`, a ``KeyboardInterrupt`` too, so
they take the same path.  The exit status of an interrupted command is ``128 + signal``, as a
shell reports a process the signal ended: 130 for SIGINT, 143 for SIGTERM.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["CAUGHT", "Terminated", "exit_status", "signals_as_interrupts"]

# The signals that end a run cleanly (SIGINT already does: KeyboardInterrupt).
CAUGHT = (signal.SIGTERM, signal.SIGHUP)


class Terminated(KeyboardInterrupt):
    """The run was asked to stop by a signal other than SIGINT.

    Attributes:
        signal: the signal's number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"terminated by {signal.Signals(signum).name}")
        self.signal = signum


def exit_status(interrupt: KeyboardInterrupt) -> int:
    """``128 + signal``: 143 for a :class:`Terminated` by SIGTERM, 130 for Ctrl-C."""
    signum = interrupt.signal if isinstance(interrupt, Terminated) else signal.SIGINT
    return 128 + int(signum)


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` in the main thread.

    The previous handlers are put back on leaving.  Outside the main thread (where Python cannot
    set handlers) the block runs unchanged.

    Example:
        >>> with signals_as_interrupts():
        ...     build_corpus(inputs, outdir)  # a SIGTERM here raises Terminated
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _raise) for signum in CAUGHT}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _raise(signum: int, frame: FrameType | None) -> None:
    # Once: a second signal during the clean-up would cut it short (a job scheduler often sends
    # SIGTERM twice); SIGKILL still ends the process at once.
    for caught in CAUGHT:
        signal.signal(caught, signal.SIG_IGN)
    raise Terminated(signum)
