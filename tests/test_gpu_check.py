"""benchmarks/gpu_check.py's CPU side: options, device choice, and each part's logic on a tiny
real model (equality with generate, the time budget, the out-of-memory halving)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from benchmarks import gpu_check
from benchmarks._gpu_parts import Check, equality, oom_halving, speed
from benchmarks._gpu_setup import NoDevice, choose, generated
from conftest import SENTENCES
from development import results as results_module

ROOT = Path(__file__).resolve().parents[1]

FAR = 10**9  # a deadline never reached


def script(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.gpu_check", *args],
        capture_output=True, text=True, env=env, timeout=300, cwd=ROOT,
    )  # fmt: skip


def test_defaults_and_dry_run_sizes() -> None:
    full = gpu_check.parse_args([])
    assert (full.device, full.sizes, full.new_tokens, full.write) == (
        "cuda",
        [200, 2000],
        32,
        False,
    )
    dry = gpu_check.parse_args(["--device", "cpu", "--dry-run", "--write"])
    assert (dry.device, dry.sizes, dry.new_tokens, dry.write) == ("cpu", [8, 16], 4, True)
    assert gpu_check.parse_args(["--sizes", "3", "--new-tokens", "2"]).sizes == [3]


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--sizes", "0"], "--sizes"), (["--new-tokens", "0"], "--new-tokens"),
     (["--budget", "0"], "--budget"), (["--limit", "0"], "--limit")],
)  # fmt: skip
def test_bad_options_are_refused(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        gpu_check.parse_args(argv)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_cpu_checks_fp32_and_refuses_what_it_does_not_run() -> None:
    assert choose("cpu", None) == ("cpu", ["fp32"])
    with pytest.raises(NoDevice, match="'fp16' does not run on cpu"):
        choose("cpu", ["fp16"])
    with pytest.raises(NoDevice, match="--device 'mps'"):
        choose("mps", None)


@pytest.mark.slow  # a subprocess
def test_no_cuda_is_a_message_and_status_2_not_a_traceback() -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    with pytest.raises(NoDevice, match=r"sees no CUDA GPU.*--device cpu --dry-run"):
        choose("cuda", None)
    done = script()
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("gpu_check: torch ") and "Traceback" not in done.stderr


@pytest.mark.slow  # a subprocess
def test_the_whole_check_stops_at_its_limit_and_says_so() -> None:
    started = time.perf_counter()
    done = script("--device", "cpu", "--dry-run", "--limit", "1")
    assert time.perf_counter() - started < 60
    assert done.returncode == 1, done.stderr
    assert "FAILED: ran past --limit 1 s; the rest did not run" in done.stdout
    record = json.loads(done.stdout.strip().splitlines()[-1])
    assert record["oom"] == {}  # the last part never started


def test_the_engine_equals_generate_in_fp32(tiny_translator: Any) -> None:
    check = Check(device="cpu", precisions=["fp32"], new_tokens=5)
    equality(check, tiny_translator, SENTENCES, FAR)
    assert [(r["beams"], r["equal"], r["sentences"]) for r in check.equal] == [
        (1, len(SENTENCES), len(SENTENCES)),
        (4, len(SENTENCES), len(SENTENCES)),
    ]
    assert check.failures == [] and check.skipped == []


def test_a_different_output_is_a_failure(model_dirs: dict[str, Path], tiny_translator: Any) -> None:
    from bilingual import Translator

    other = Translator(model_dirs["vi"], device="cpu")  # same tokenizer text, other weights
    # The engine of one model, generate on the other's weights: a real disagreement.
    mixed = SimpleNamespace(
        translate=tiny_translator.translate, tokenizer=tiny_translator.tokenizer,
        model=other.model, device="cpu", precision="fp32",
    )  # fmt: skip
    check = Check(device="cpu", precisions=["fp32"], new_tokens=5)
    equality(check, mixed, SENTENCES, FAR)
    assert min(r["equal"] for r in check.equal) < len(SENTENCES)
    assert check.failures and "differ from generate" in check.failures[0]


def test_speed_times_both_at_each_size_and_a_spent_budget_skips(tiny_translator: Any) -> None:
    check = Check(device="cpu", precisions=["fp32"], new_tokens=3)
    speed(check, tiny_translator, SENTENCES, [2, 5], FAR)
    assert [(r["beams"], r["sentences"]) for r in check.speed] == [(1, 2), (1, 5), (4, 2), (4, 5)]
    assert all(r["engine_per_s"] > 0 and r["generate_per_s"] > 0 for r in check.speed)
    assert all(r["ratio"] == pytest.approx(r["engine_per_s"] / r["generate_per_s"])
               for r in check.speed)  # fmt: skip
    late = Check(device="cpu", precisions=["fp32"], new_tokens=3)
    speed(late, tiny_translator, SENTENCES, [2], time.perf_counter() - 1)
    equality(late, tiny_translator, SENTENCES, time.perf_counter() - 1)
    oom_halving(late, tiny_translator, SENTENCES, time.perf_counter() - 1)
    assert late.speed == [] and late.equal == [] and late.oom == {}
    assert len(late.skipped) == 5 and late.failures == []


def test_an_out_of_memory_batch_is_halved_until_it_fits(tiny_translator: Any) -> None:
    sentences = generated(12)
    check = Check(device="cpu", precisions=["fp32"], new_tokens=4)
    oom_halving(check, tiny_translator, sentences, FAR)
    oom = check.oom
    # 12 -> 6 -> 3: the injection is above 12 // 4 = 3, so 12 and both 6s fail, the 3s decode.
    assert (oom["ooms"], oom["decoded"], oom["returned"]) == (3, [3], 12)
    assert oom["equal"] == 12 and check.failures == []
    assert "_decode" not in vars(tiny_translator.engine)  # the engine is left as it was


def test_a_batch_that_fits_is_a_failure_of_the_check(tiny_translator: Any) -> None:
    check = Check(device="cpu", precisions=["fp32"], new_tokens=4)
    oom_halving(check, tiny_translator, SENTENCES[:1], FAR)
    assert check.oom["ooms"] == 0 and check.failures == [
        "out-of-memory halving: the batch fit, nothing was halved"
    ]


@pytest.mark.slow  # a subprocess
def test_dry_run_end_to_end_prints_and_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = script("--device", "cpu", "--dry-run", "--sizes", "4")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.strip().splitlines()[-1])
    assert record["bench"] == "gpu_check" and record["failures"] == []
    assert [(r["beams"], r["equal"]) for r in record["equal"]] == [(1, 8), (4, 8)]
    assert [r["sentences"] for r in record["speed"]] == [4, 4]
    assert record["oom"]["ooms"] > 0 and record["oom"]["returned"] == 8
    assert "fp32 beams 4: engine vs generate equal, 8/8" in done.stdout
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n<!-- gpu -->\nold\n<!-- /gpu -->\n", "utf-8")
    monkeypatch.setattr(results_module, "RESULTS", results)
    check = Check(**{k: record[k] for k in ("device", "precisions", "new_tokens")})
    for key in ("gpu", "model", "source", "equal", "speed", "oom"):
        setattr(check, key, record[key])
    gpu_check.write(check)
    text = results.read_text("utf-8")
    assert "old" not in text and "| fp32 | 4 | 8/8 |" in text and "every check held" in text


BLOCKER = """
import sys
BLOCKED = {"nltk", "lingua", "sacrebleu", "charset_normalizer", "pyarrow", "ray"}
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Block())
sys.path.insert(0, sys.argv[1])
from benchmarks import _gpu_setup
print(_gpu_setup.choose("cpu", None))
from bilingual.translate.engine import BatchEngine
from bilingual.translate.translator import Translator
print(sorted({m.split(".")[1] for m in sys.modules if m.startswith("bilingual.")}))
"""


@pytest.mark.slow  # a subprocess
def test_the_engine_imports_without_the_pipelines_dependencies() -> None:
    """On a bare CUDA machine nltk, lingua, sacrebleu and charset-normalizer are absent: the
    check imports bilingual's engine plainly, which imports none of them nor the rest of
    bilingual."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", BLOCKER, str(ROOT)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    chosen, modules = done.stdout.strip().splitlines()
    assert chosen == "('cpu', ['fp32'])"
    assert modules == "['errors', 'translate']"
