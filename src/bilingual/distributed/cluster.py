"""The Ray cluster a build runs on: joined or started, quiet, and left as it was found.

This is the one module that imports Ray; :func:`import_ray` says how to install it when it is
missing.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from ..errors import ConfigError

__all__ = ["connected", "import_ray", "quiet_data"]

INSTALL_HINT = "pip install 'bilingual[ray]' (or: pip install 'ray[data]')"


def import_ray() -> ModuleType:
    """Ray, with Ray Data.

    Raises:
        ConfigError: Ray (or Ray Data's own dependencies) is not installed.
    """
    try:
        import ray
        import ray.data  # needs pyarrow and pandas, which plain ray lacks
    except ImportError as e:
        raise ConfigError(f"running on Ray needs the ray extra ({e}): {INSTALL_HINT}") from e
    module: ModuleType = ray
    return module


@contextmanager
def connected(address: str | None) -> Iterator[ModuleType]:
    """Ray, connected to a cluster for the time of the block.

    A connection the caller already made (``ray.init`` before the build) is used as it is and left
    open.  Otherwise the block joins the cluster at ``address``, else at ``RAY_ADDRESS`` (which
    ``ray job submit`` sets), else starts a local one with this machine's cores; and disconnects
    (stopping a local cluster) at the end.

    Raises:
        ConfigError: Ray is not installed, or the cluster cannot be joined.
    """
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    target = address or os.environ.get("RAY_ADDRESS") or "local"
    options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
    if target == "local":
        options["include_dashboard"] = False
    try:
        ray.init(address=target, **options)
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise ConfigError(
            f"cannot join the Ray cluster at {target!r} ({e}): start one there with "
            "`ray start --head`, or leave the address out to run on a local cluster"
        ) from e
    try:
        yield ray
    finally:
        ray.shutdown()


@contextmanager
def quiet_data() -> Iterator[None]:
    """Ray Data without its progress bars and log lines below errors (the driver reports progress
    itself); the caller's settings come back afterwards."""
    import ray.data

    context = ray.data.DataContext.get_current()
    bars = context.enable_progress_bars
    logger = logging.getLogger("ray.data")
    level = logger.level
    context.enable_progress_bars = False
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            # Sizing advice for small runs, where fewer batches than actors is expected.
            warnings.filterwarnings("ignore", "The maximum number of concurrent tasks")
            yield
    finally:
        context.enable_progress_bars = bars
        logger.setLevel(level)
