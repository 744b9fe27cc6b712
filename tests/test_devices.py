"""Device selection and precision checks, on any machine (no GPU needed)."""

from __future__ import annotations

import pytest

from bilingual.errors import ConfigError
from bilingual.translate.devices import check_precision, choose_device


@pytest.mark.parametrize(
    ("requested", "cuda", "mps", "expected"),
    [
        ("auto", True, True, "cuda"),
        ("auto", False, True, "mps"),
        ("auto", False, False, "cpu"),
        ("cpu", True, True, "cpu"),
        ("cuda", True, False, "cuda"),
        ("cuda:1", True, False, "cuda:1"),
        ("mps", False, True, "mps"),
    ],
)
def test_choose_device(requested: str, cuda: bool, mps: bool, expected: str) -> None:
    assert choose_device(requested, cuda, mps) == expected


@pytest.mark.parametrize(
    ("requested", "message"), [("cuda", "no CUDA"), ("mps", "not available"), ("tpu", "unknown")]
)
def test_unavailable_devices_are_refused(requested: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        choose_device(requested, False, False)


@pytest.mark.parametrize(
    ("device", "precision", "ok"),
    [
        ("cpu", "fp32", True), ("cpu", "int8", True), ("cpu", "fp16", False), ("cpu", "bf16", False),
        ("cuda", "fp16", True), ("cuda:0", "bf16", True), ("cuda", "int8", False), ("mps", "fp16", True),
        ("cpu", "int4", False),
    ],
)  # fmt: skip
def test_check_precision(device: str, precision: str, ok: bool) -> None:
    if ok:
        check_precision(device, precision)
    else:
        with pytest.raises(ConfigError):
            check_precision(device, precision)
