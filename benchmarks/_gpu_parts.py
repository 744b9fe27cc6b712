"""The parts of ``gpu_check.py``: equality with ``generate``, speed, and out-of-memory halving.

Each part appends its figures to a :class:`Check`, and what fails to ``Check.failures``; a
measurement that would start past the part's deadline is skipped and listed in ``Check.skipped``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BATCH = 64  # generate's batches: the engine's own sentence cap (DEFAULT_MAX_SENTENCES)
OOM_HEADROOM = 512 * 2**20  # bytes the out-of-memory part leaves the engine beyond the model


@dataclass
class Check:
    """What the check found."""

    device: str
    precisions: list[str]
    new_tokens: int
    gpu: str = ""
    model: str = ""
    source: str = ""
    equal: list[dict[str, Any]] = field(default_factory=list)
    speed: list[dict[str, Any]] = field(default_factory=list)
    oom: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """The whole check as JSON-ready data."""
        return asdict(self)


def load_engine(model: Path, device: str, precision: str) -> Any:
    """A bilingual ``Translator`` of ``model`` in ``precision`` on ``device``."""
    from bilingual.translate.translator import Translator

    return Translator(model, device=device, precision=precision)


def equality(check: Check, translator: Any, sentences: list[str], deadline: float) -> None:
    """The engine's translations against ``generate``'s (same model object), greedy and beam 4."""
    n = check.new_tokens
    for beams in (1, 4):
        what = f"equality {translator.precision} beams {beams}"
        if time.perf_counter() > deadline:
            check.skipped.append(what)
            continue
        ours = translator.translate(sentences, max_new_tokens=n, min_new_tokens=n, num_beams=beams)
        theirs = generate_texts(translator, sentences, beams, n)
        same = [k for k, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a == b]
        check.equal.append({"precision": translator.precision, "beams": beams,
                            "sentences": len(sentences), "equal": len(same)})  # fmt: skip
        if len(same) != len(sentences):
            first = next(k for k in range(len(sentences)) if k not in set(same))
            check.failures.append(
                f"{what}: {len(sentences) - len(same)} of {len(sentences)} sentences differ "
                f"from generate (first: sentence {first})"
            )


def generate_texts(translator: Any, sentences: list[str], beams: int, n: int) -> list[str]:
    """transformers' ``generate`` on the translator's own model: length-sorted batches of
    :data:`BATCH`, exactly ``n`` new tokens; texts in input order."""
    import torch

    tokenizer, model = translator.tokenizer, translator.model
    order = sorted(range(len(sentences)), key=lambda k: len(tokenizer(sentences[k])["input_ids"]))
    out = [""] * len(sentences)
    with torch.inference_mode():
        for start in range(0, len(order), BATCH):
            part = order[start : start + BATCH]
            batch = tokenizer([sentences[k] for k in part], return_tensors="pt", padding=True)
            generated = model.generate(
                **batch.to(translator.device), max_new_tokens=n, min_new_tokens=n,
                num_beams=beams, do_sample=False,
            )  # fmt: skip
            texts = tokenizer.batch_decode(generated, skip_special_tokens=True)
            for k, text in zip(part, texts, strict=True):
                out[k] = text.strip()
    return out


def speed(
    check: Check, translator: Any, sentences: list[str], sizes: list[int], deadline: float
) -> None:
    """Sentences/s of the engine and of batched ``generate``, at each size, greedy and beam 4."""
    n = check.new_tokens
    for beams in (1, 4):
        translator.translate(sentences[:8], max_new_tokens=n, min_new_tokens=n, num_beams=beams)
        generate_texts(translator, sentences[:8], beams, n)  # warm-up: kernels, allocator
        for size in sizes:
            what = f"speed {translator.precision} beams {beams} at {size} sentences"
            if time.perf_counter() > deadline:
                check.skipped.append(what)
                continue
            texts = sentences[:size]
            reset_peak(translator.device)
            engine = timed(translator.device, translator.translate, texts, max_new_tokens=n,
                           min_new_tokens=n, num_beams=beams)  # fmt: skip
            engine_peak = peak_mb(translator.device)
            reset_peak(translator.device)
            stock = timed(translator.device, generate_texts, translator, texts, beams, n)
            check.speed.append({"precision": translator.precision, "beams": beams,
                                "sentences": size, "engine_per_s": size / engine,
                                "generate_per_s": size / stock, "ratio": stock / engine,
                                "peak_mb": engine_peak,
                                "generate_peak_mb": peak_mb(translator.device)})  # fmt: skip


def oom_halving(check: Check, translator: Any, sentences: list[str], deadline: float) -> None:
    """One batch too big for the memory it may use, through the engine's ``generate_batch``.

    On a GPU the process's share of the card is capped at what it holds plus
    :data:`OOM_HEADROOM`, so the allocator raises a real out-of-memory error; on CPU it is
    raised in front of the engine's real decoding for batches over a quarter of the sentences.
    Either way the engine must halve the batch until it fits and return every sentence.
    """
    import torch

    from bilingual.errors import ModelError
    from bilingual.translate.base import Generation

    if time.perf_counter() > deadline:
        check.skipped.append("out-of-memory halving")
        return
    n, device, engine = check.new_tokens, translator.device, translator.engine
    generation = Generation(num_beams=4, max_new_tokens=n, min_new_tokens=n)
    ids = [translator.tokenizer(s)["input_ids"] for s in sentences]
    gpu = device.startswith("cuda")
    limit = None if gpu else max(1, len(ids) // 4)
    decoded: list[int] = []
    ooms = [0]
    real = engine._decode  # the engine's own decoding, observed (and, on CPU, guarded)

    def observed(part: list[list[int]], settings: Any) -> Any:
        try:
            if limit is not None and len(part) > limit:
                raise torch.OutOfMemoryError(f"injected: {len(part)} sentences > {limit}")
            found = real(part, settings)
        except torch.OutOfMemoryError:
            ooms[0] += 1
            raise
        decoded.append(len(part))
        return found

    engine._decode = observed
    reset_peak(device)
    if gpu:
        torch.cuda.empty_cache()
        total = torch.cuda.get_device_properties(torch.device(device)).total_memory
        allowed = torch.cuda.memory_allocated(device) + OOM_HEADROOM
        torch.cuda.set_per_process_memory_fraction(min(1.0, allowed / total), device)
    started = time.perf_counter()
    try:
        found = [t.text for t in engine.generate_batch(ids, generation)]
    except ModelError as e:
        found = []
        check.failures.append(f"out-of-memory halving: {e}")
    finally:
        del engine._decode  # the instance attribute; the class's method again
        if gpu:
            torch.cuda.set_per_process_memory_fraction(1.0, device)
            torch.cuda.empty_cache()
    seconds = time.perf_counter() - started
    peak = peak_mb(device)
    normal = [t.text for t in translator.run(sentences, generation)]
    how = (f"share of the card capped {OOM_HEADROOM >> 20} MiB above the model" if gpu
           else f"out of memory injected above {limit} sentences")  # fmt: skip
    check.oom = {"sentences": len(ids), "ooms": ooms[0], "decoded": sorted(set(decoded)),
                 "returned": len(found), "equal": sum(a == b for a, b in zip(found, normal, strict=False)),
                 "seconds": seconds, "peak_mb": peak, "how": how}  # fmt: skip
    if found and ooms[0] == 0:
        check.failures.append("out-of-memory halving: the batch fit, nothing was halved")
    if found and len(found) != len(ids):
        check.failures.append(f"out-of-memory halving: {len(found)} of {len(ids)} came back")


def timed(device: str, work: Any, *args: Any, **kwargs: Any) -> float:
    """Seconds ``work(*args, **kwargs)`` takes, the device's queue drained at both ends."""
    synchronize(device)
    started = time.perf_counter()
    work(*args, **kwargs)
    synchronize(device)
    return time.perf_counter() - started


def synchronize(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize(device)


def reset_peak(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.reset_peak_memory_stats(device)


def peak_mb(device: str) -> float:
    """Peak GPU memory allocated since the last reset; on CPU, the process's peak RSS."""
    if device.startswith("cuda"):
        import torch

        return float(torch.cuda.max_memory_allocated(device)) / 2**20
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
