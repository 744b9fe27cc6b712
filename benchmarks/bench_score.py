"""Translator.score beside CTranslate2's score_batch on the opus-mt-base-shaped model (int8, CPU).

Both score the same NTREX French -> Vietnamese pairs (the human Vietnamese given the French), run
interleaved (A B A B …) in one process so a shared machine's load falls on both alike; the
figure is the ratio of their medians, with the agreement of their per-token scores (both int8:
not equal, but they should agree closely) and bilingual's fp32 scores for reference.

Run: ``nice -n 10 python -m benchmarks.bench_score [--pairs 300] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.models import THREADS, _converted, build_models, model_dir
from development.corpora import corpus
from development.results import emit, machine, table, write_section


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update RESULTS.md")
    args = parser.parse_args()

    import ctranslate2
    import torch

    from bilingual import Translator

    torch.set_num_threads(THREADS)
    build_models("fr+vi")
    model = model_dir("fr+vi")
    french = corpus("ntrex128.fra")[: args.pairs]
    vietnamese = corpus("ntrex128.vie")[: args.pairs]
    ours = Translator(model, device="cpu", precision="int8", threads=THREADS)
    ct2 = ctranslate2.Translator(
        str(_converted(model)), device="cpu", compute_type="int8", intra_threads=THREADS
    )
    tokenizer = ours.tokenizer
    sources = [tokenizer.convert_ids_to_tokens(tokenizer(s)["input_ids"]) for s in french]
    targets = [
        tokenizer.convert_ids_to_tokens(tokenizer(text_target=t)["input_ids"][:-1])
        for t in vietnamese
    ]  # score_batch adds the end token itself

    def run_ours() -> list[float]:
        return [s.per_token for s in ours.score(french, vietnamese)]

    def run_ct2() -> list[float]:
        found = ct2.score_batch(sources, targets, max_batch_size=4096, batch_type="tokens")
        return [sum(r.log_probs) / len(r.log_probs) for r in found]

    times: dict[str, list[float]] = {"bilingual": [], "ctranslate2": []}
    results: dict[str, list[float]] = {}
    for _ in range(args.repeats):
        for name, run in (("bilingual", run_ours), ("ctranslate2", run_ct2)):
            start = time.perf_counter()
            results[name] = run()
            times[name].append(time.perf_counter() - start)
    fp32 = [s.per_token for s in Translator(model, device="cpu").score(french, vietnamese)]
    medians = {name: statistics.median(t) for name, t in times.items()}
    agree = _gap(results["bilingual"], results["ctranslate2"])
    record = {
        "pairs": args.pairs,
        "repeats": args.repeats,
        "seconds": medians,
        "ratio_ct2_over_ours": medians["ctranslate2"] / medians["bilingual"],
        "mean_abs_gap_per_token": agree,
        "mean_abs_gap_int8_vs_fp32": _gap(results["bilingual"], fp32),
        "ct2_vs_fp32": _gap(results["ctranslate2"], fp32),
    }
    emit(record)
    if args.write:
        rows = [
            [name, f"{args.pairs / medians[name]:,.0f}", f"{_gap(results[name], fp32):.4f}"]
            for name in times
        ]
        write_section(
            "score",
            "## Scoring given translations (`benchmarks/bench_score.py`)\n\n"
            f"Machine: {machine()}. The opus-mt-base-shaped model (random weights), int8 on "
            f"CPU, {THREADS} threads; {args.pairs} NTREX pairs (the human Vietnamese given the "
            f"French), median of {args.repeats} interleaved runs, under `nice`.\n\n"
            + table(["scorer", "pairs/s", "mean gap to fp32, per token"], rows)
            + f"\n\nCTranslate2 takes {record['ratio_ct2_over_ours']:.2f}x bilingual's time, "
            f"measured in the same run; their int8 per-token scores differ by {agree:.4f} nats "
            "on average.\n",
        )


def _gap(a: list[float], b: list[float]) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


if __name__ == "__main__":
    main()
