"""Where a decoding step spends its time, at small and large batches: torch's profiler over the
int8 engine's own decoders on the benchmarks' opus-mt-base-shaped model.

One batch at a time on one thread, as each of the engine's two workers runs: NTREX sentences of
middling length (the middle of the sample sorted by length), exactly 32 new tokens, greedy and 4
beams, a few sentences (8 greedy, 4 with beams: 16 rows) and many (128, and 32 with beams: 128
rows).  Each batch is decoded once unprofiled first (oneDNN builds its kernels on first use).
Operators are grouped by what they do; shares are of the profiled CPU time.

    python -m benchmarks.profile_translate       # writes the "profile" section of RESULTS.md
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.models import NEW_TOKENS
from development.results import emit, machine, table, write_section

# (label, sentences, beams)
BATCHES = [("greedy, 8 sentences", 8, 1), ("greedy, 128 sentences", 128, 1),
           ("4 beams, 4 sentences", 4, 4), ("4 beams, 32 sentences", 32, 4)]  # fmt: skip
# Operator -> group; the rest is "other".
GROUPS = {
    "quantized::linear_dynamic": "int8 products (every linear layer)",
    "aten::bmm": "attention products (one query per row)",
    "aten::_softmax": "attention products (one query per row)",
    "aten::_scaled_dot_product_flash_attention_for_cpu": "encoder attention",
    "aten::silu": "activations, layer norms, additions",
    "aten::native_layer_norm": "activations, layer norms, additions",
    "aten::add": "activations, layer norms, additions",
    "aten::add_": "activations, layer norms, additions",
    "aten::mul_": "activations, layer norms, additions",
    "aten::amax": "vocabulary-wide scores (normaliser, best tokens)",
    "aten::sum": "vocabulary-wide scores (normaliser, best tokens)",
    "aten::max": "vocabulary-wide scores (normaliser, best tokens)",
    "aten::topk": "vocabulary-wide scores (normaliser, best tokens)",
    "aten::sort": "vocabulary-wide scores (normaliser, best tokens)",
    "aten::log_": "vocabulary-wide scores (normaliser, best tokens)",
    "aten::copy_": "copies and gathers (caches, packing, beams)",
    "aten::index_copy_": "copies and gathers (caches, packing, beams)",
    "aten::index_select": "copies and gathers (caches, packing, beams)",
    "aten::index": "copies and gathers (caches, packing, beams)",
    "aten::take_along_dim": "copies and gathers (caches, packing, beams)",
    "aten::clone": "copies and gathers (caches, packing, beams)",
}


def profile(translator: Any, texts: list[str], beams: int) -> tuple[float, dict[str, float]]:
    """Seconds for one batch, and each group's share of the profiled CPU time."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as profiler

    from bilingual.translate.base import Generation

    tokenizer, engine = translator.loaded.tokenizer, translator.engine
    ids = [tokenizer(text)["input_ids"] for text in texts]
    generation = Generation(num_beams=beams, max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS)
    engine._decode(ids, generation)  # oneDNN makes its kernels on first use
    with profiler(activities=[ProfilerActivity.CPU]) as found:
        started = time.perf_counter()
        engine._decode(ids, generation)
        seconds = time.perf_counter() - started
    shares: dict[str, float] = {}
    for event in found.key_averages():
        group = GROUPS.get(event.key, "other (Python, allocation, small operators)")
        shares[group] = shares.get(group, 0.0) + event.self_cpu_time_total
    total = sum(shares.values())
    return seconds, {group: time / total for group, time in shares.items()}


def main() -> None:
    import torch

    from benchmarks.bench_translate import sentences
    from benchmarks.models import build_models, model_dir
    from bilingual import Translator

    torch.set_num_threads(1)
    build_models("fr+vi")
    translator = Translator(model_dir("fr+vi"), device="cpu", precision="int8", workers=1)
    pool = sorted(sentences(1000, "first"), key=len)
    results = {}
    for label, count, beams in BATCHES:
        middle = len(pool) // 2 - count // 2
        seconds, shares = profile(translator, pool[middle : middle + count], beams)
        results[label] = (count, seconds, shares)
        emit({"bench": "profile", "batch": label, "seconds": round(seconds, 3),
              **{k: round(v, 3) for k, v in shares.items()}})  # fmt: skip
    groups = sorted({g for *_, shares in results.values() for g in shares},
                    key=lambda g: -sum(r[2].get(g, 0.0) for r in results.values()))  # fmt: skip
    rows = [[g, *(f"{r[2].get(g, 0.0):.0%}" for r in results.values())] for g in groups]
    rows.append(["ms per sentence (one thread)",
                 *(f"{1000 * seconds / count:.0f}" for count, seconds, _ in results.values())])  # fmt: skip
    write_section(
        "profile",
        f"""## Where a decoding step goes (`benchmarks/profile_translate.py`)

Machine: {machine()}. torch's profiler over the int8 decoders, one batch on one thread (as each of
the engine's two workers runs), the opus-mt-base-shaped model of the translation table (output
layer cut to its 32,000 target pieces), NTREX sentences of middling length, exactly {NEW_TOKENS} new
tokens. Shares of the profiled CPU time:

{table(["operators", *results], rows)}
""",
    )


if __name__ == "__main__":
    main()
