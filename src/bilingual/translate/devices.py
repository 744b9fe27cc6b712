"""Choosing a device and checking a precision against it (no torch here, so it is testable
without a GPU)."""

from __future__ import annotations

from ..errors import ConfigError

__all__ = [
    "DEFAULT_DEVICE",
    "DEFAULT_PRECISION",
    "DEVICES",
    "PRECISIONS",
    "check_precision",
    "choose_device",
]

DEFAULT_DEVICE = "auto"
DEFAULT_PRECISION = "fp32"
DEVICES = ("auto", "cpu", "cuda", "mps")
PRECISIONS = ("fp32", "int8", "fp16", "bf16")
# Which precisions each kind of device runs: int8 is dynamic quantisation (CPU kernels only);
# half precisions only pay on accelerators.
_SUPPORTED = {"cpu": ("fp32", "int8"), "cuda": ("fp32", "fp16", "bf16"), "mps": ("fp32", "fp16")}


def choose_device(requested: str, cuda_available: bool, mps_available: bool) -> str:
    """The device to run on: ``auto`` picks cuda, then mps, then cpu.

    Raises:
        ConfigError: the device is unknown, or was asked for and is not available.
    """
    kind = requested.split(":", 1)[0]
    if kind not in DEVICES:
        raise ConfigError(f"unknown device {requested!r}; use one of {', '.join(DEVICES)}")
    if kind == "auto":
        return "cuda" if cuda_available else "mps" if mps_available else "cpu"
    if kind == "cuda" and not cuda_available:
        raise ConfigError(
            "device 'cuda' was asked for but torch sees no CUDA GPU; use --device cpu"
        )
    if kind == "mps" and not mps_available:
        raise ConfigError("device 'mps' was asked for but is not available; use --device cpu")
    return requested


def check_precision(device: str, precision: str) -> None:
    """Raise a :class:`ConfigError` if ``precision`` cannot run on ``device``."""
    if precision not in PRECISIONS:
        raise ConfigError(f"unknown precision {precision!r}; use one of {', '.join(PRECISIONS)}")
    kind = device.split(":", 1)[0]
    if precision not in _SUPPORTED[kind]:
        raise ConfigError(
            f"precision {precision!r} does not run on {kind}; "
            f"there use {' or '.join(_SUPPORTED[kind])}"
        )
