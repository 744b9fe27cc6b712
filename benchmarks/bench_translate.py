"""Translation throughput: bilingual's engine side by side with stock generate and CTranslate2.

An opus-mt-base-shaped Marian model (d_model 512, 6+6 layers, 8 heads, FFN 2048, vocab 59514)
with random weights, opus-mt's generation config and a real SentencePiece tokenizer, 200 NTREX
French sentences, exactly 32 new tokens each, 2 threads; greedy decoding, then beam search of 4:

  (a) generate, one sentence at a time, fp32     (what most users write; greedy only)
  (b) generate, batches of 16, fp32 (greedy: in input order; beam 4: sorted by length)
  (c) bilingual.Translator, fp32
  (d) bilingual.Translator, int8 (by default two batches side by side, one thread each)
  (d1) the same, one batch at a time on both threads
  (e, f, g) CTranslate2 int8, through its own API, on the same model converted: batches of 32
      (greedy only), 4096-token batches, and 4096-token batches two at a time
      (inter_threads=2, one thread each); its defaults otherwise (length_penalty 1, patience 1)

Each configuration runs in its own process (so its peak RSS is its own), three times, interleaved
(best kept, the machine is noisy; stock generate, far behind, once); ratios are taken within this
one run.  The acceptance is
checked beyond this one harness: bilingual int8 against CTranslate2's faster mode, greedy and
beam 4, on a second sample (every other NTREX line) and on a model whose tokenizer was trained on
French and English.  A memory run then sends 2,000 and 200 sentences through the pipeline and
compares peak RSS.

    python -m benchmarks.bench_translate [--quick]          # every harness, writes RESULTS.md
    python -m benchmarks.bench_translate --sample odd --tokenizer fr+en --configs d4 g4
    python -m benchmarks.bench_translate --sweep [--sizes 8 16 --repeats 1]   # see sweep.py
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.models import NEW_TOKENS, THREADS, TOKENIZER_TEXTS, build_models, engine, model_dir
from development.corpora import ROOT, corpus
from development.results import emit, machine, table, write_section

# Key -> (label, beam size).
CONFIGS = {
    "a": ("generate, one at a time, fp32", 1),
    "b": ("generate, batches of 16, fp32", 1),
    "c": ("bilingual fp32", 1),
    "d": ("bilingual int8", 1),
    "d1": ("bilingual int8, one batch at a time", 1),
    "e": ("CTranslate2 int8 (batches of 32)", 1),
    "f": ("CTranslate2 int8 (4096-token batches)", 1),
    "g": ("CTranslate2 int8 (4096-token batches, 2 at a time)", 1),
    "v": ("CTranslate2 int8, vocabulary map (4096-token batches)", 1),
    "w": ("CTranslate2 int8, vocabulary map (4096-token batches, 2 at a time)", 1),
    "b4": ("generate, length-sorted batches of 16, fp32", 4),
    "c4": ("bilingual fp32", 4),
    "d4": ("bilingual int8", 4),
    "d14": ("bilingual int8, one batch at a time", 4),
    "f4": ("CTranslate2 int8 (4096-token batches)", 4),
    "g4": ("CTranslate2 int8 (4096-token batches, 2 at a time)", 4),
    "v4": ("CTranslate2 int8, vocabulary map (4096-token batches)", 4),
    "w4": ("CTranslate2 int8, vocabulary map (4096-token batches, 2 at a time)", 4),
}
CT2_KEYS = {1: ("e", "f", "g"), 4: ("f4", "g4")}
# The same with a vocabulary map holding the target pieces: the output layer cut as bilingual's.
VMAP_KEYS = {1: ("v", "w"), 4: ("v4", "w4")}
CT2_CONFIGS = {key for keys in (*CT2_KEYS.values(), *VMAP_KEYS.values()) for key in keys}
# Stock generate, minutes a run and far behind: timed once, not best of several.
ONCE = ("a", "b", "b4")
# The acceptance, on every harness: bilingual int8 against CTranslate2's faster mode.
ACCEPTANCE = ("d", "f", "g", "v", "w", "d4", "f4", "g4", "v4", "w4")
# Harness -> (sample, tokenizer): the main one, then the two that check the acceptance beyond it.
HARNESSES = {
    "NTREX lines 1-200, fr+vi tokenizer": ("first", "fr+vi"),
    "every other NTREX line, fr+vi tokenizer": ("odd", "fr+vi"),
    "NTREX lines 1-200, fr+en tokenizer": ("first", "fr+en"),
}


def sentences(n: int, sample: str) -> list[str]:
    """The first ``n`` sentences of a sample: NTREX lines from the first (``first``), every other
    line (``odd``), or what the pipeline translates in its first window of built pages
    (``pages``: the distinct French sentences of whole pages, up to the window's 1,024 or just
    over)."""
    if sample == "pages":
        return window_sentences()[:n]
    lines = [line for line in corpus("ntrex128.fra") if line.strip()]
    return (lines if sample == "first" else lines[1::2])[:n]


def window_sentences() -> list[str]:
    """The translatable French sentences of the pipeline's first window over pages built from
    NTREX documents (``development.pages``, seed 0), as ``Pipeline.run`` groups them."""
    from bilingual.config import DEFAULT_WINDOW
    from bilingual.pipeline import from_text
    from development.pages import build_pages

    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    texts: list[str] = []
    for k, article in enumerate(build_pages(fr, vi, ids, seed=0)):
        document = from_text(f"page{k:03d}.txt", article.text)
        texts += [s.text for s in document.segments if s.translatable]
        if len(texts) >= DEFAULT_WINDOW:  # a window closes after the page that fills it
            break
    # Distinct ones, as the Translator would send them to its engine (both engines get these).
    return list(dict.fromkeys(texts))


def run_config(key: str, n: int, sample: str, tokenizer: str) -> dict[str, float]:
    """Time one configuration in this process; returns seconds and peak RSS.  CTranslate2 runs
    as its users run it, without torch in the process (its import alone is 200 MB of RSS)."""
    if key not in CT2_CONFIGS:
        import torch

        torch.set_num_threads(THREADS)
    texts = sentences(n, sample)
    translate = engine(key, CONFIGS[key][1], model_dir(tokenizer))
    translate(texts[:8])  # warm-up
    started = time.perf_counter()
    translate(texts)
    seconds = time.perf_counter() - started
    if key in CT2_CONFIGS and "torch" in sys.modules:
        raise RuntimeError(f"configuration {key} imported torch: its peak RSS is not its own")
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def run_memory(n: int) -> dict[str, float]:
    """Peak RSS of the whole pipeline (read, parse, split, translate int8, align, write)."""
    import torch

    from bilingual import Pipeline, Settings, Translator
    from bilingual.write import CorpusWriter

    torch.set_num_threads(THREADS)
    lines, docids = corpus("ntrex128.fra"), corpus("ntrex128.docids")
    with tempfile.TemporaryDirectory() as tmp:
        paths, k = [], 0
        while sum(1 for _ in range(k)) < n:  # documents of whole NTREX articles, cycling
            doc = [i for i in range(len(lines)) if docids[i] == docids[k % len(lines)]]
            path = Path(tmp) / f"doc{len(paths):04d}.txt"
            path.write_text("\n\n".join(lines[i] for i in doc), "utf-8")
            paths.append(str(path))
            k += len(doc)
        translator = Translator(model_dir("fr+vi"), device="cpu", precision="int8")
        pipeline = Pipeline.of(
            {"en": translator}, Settings(max_new_tokens=8, min_new_tokens=8, cache=False)
        )
        started = time.perf_counter()
        # dedupe="none": the documents cycle, and every translated sentence is counted.
        with CorpusWriter(Path(tmp) / "out", ["en"], {}, dedupe="none") as writer:
            for document in pipeline.run(paths):
                writer.add(document)
        translated = writer.counts["mt.en.tsv"]
    return {
        "sentences": translated,
        "seconds": time.perf_counter() - started,
        "peak_rss_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory.  VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    fork and exec, so a child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args: list[str]) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.bench_translate", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(
    keys: list[str], n: int, repeats: int, sample: str, tokenizer: str
) -> dict[str, dict[str, float]]:
    """Each configuration's best of ``repeats`` runs (the stock fp32 baselines once),
    interleaved."""
    build_models(tokenizer)
    results: dict[str, dict[str, float]] = {}
    for _ in range(repeats):
        for key in keys:
            if key in ONCE and key in results:
                continue
            result = child(["--child", key, str(n), "--sample", sample, "--tokenizer", tokenizer])
            if key not in results or result["seconds"] < results[key]["seconds"]:
                results[key] = result
    return results


def ratio_to_ct2(rate: dict[str, float], key: str, vmap: bool = False) -> float:
    """``key``'s rate over CTranslate2's faster mode (with the vocabulary map if ``vmap``)."""
    beams = CONFIGS[key][1]
    modes = (VMAP_KEYS if vmap else CT2_KEYS)[beams]
    return rate[key] / max(rate[k] for k in modes if k in rate)  # those measured


def _acceptance(rate: dict[str, float]) -> list[str]:
    """bilingual int8's ratios to CTranslate2, greedy and beam 4, without then with the map."""
    return [
        f"{ratio_to_ct2(rate, key, vmap):.2f}x" for vmap in (False, True) for key in ("d", "d4")
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="50 sentences, one repeat")
    parser.add_argument(
        "--sample", choices=("first", "odd", "pages"), help="one harness: its sample"
    )
    parser.add_argument("--tokenizer", choices=tuple(TOKENIZER_TEXTS), help="one harness")
    parser.add_argument("--configs", nargs="+", choices=tuple(CONFIGS), help="one harness")
    parser.add_argument("--repeats", type=int, help="timed runs per configuration (best kept)")
    parser.add_argument(
        "--sweep", action="store_true", help="bilingual int8 vs CTranslate2 at each size (sweep.py)"
    )
    parser.add_argument(
        "--sizes", nargs="+", type=int, help="the sweep's sizes (not the issue's: printed only)"
    )
    args = parser.parse_args()
    if args.sizes and (not args.sweep or min(args.sizes) < 1):
        parser.error("--sizes goes with --sweep, and every size must be at least 1")
    sample, tokenizer = args.sample or "first", args.tokenizer or "fr+vi"
    if args.child:
        kind, n = args.child
        result = (
            run_memory(int(n)) if kind == "memory" else run_config(kind, int(n), sample, tokenizer)
        )
        print(json.dumps(result))
        return
    n, repeats = (50, 1) if args.quick else (200, 3)
    repeats = args.repeats or repeats
    if args.sweep:
        from benchmarks import sweep

        sizes = args.sizes or list(sweep.SIZES)
        points = sweep.sweep(sizes, repeats, tokenizer)
        if sweep.is_full(sizes, repeats):
            sweep.write(points, repeats)
        return
    if args.sample or args.tokenizer or args.configs:  # one harness, printed, not recorded
        results = measure(args.configs or list(CONFIGS), n, repeats, sample, tokenizer)
        for key, result in results.items():
            emit(
                {
                    "config": key,
                    "label": CONFIGS[key][0],
                    "sentences_per_s": n / result["seconds"],
                    **result,
                }
            )
        return
    record(n, repeats)


def record(n: int, repeats: int) -> None:
    """Every harness, then the memory run; writes the RESULTS.md section."""
    (main_harness, (sample, tokenizer)), *others = HARNESSES.items()
    results = measure(list(CONFIGS), n, repeats, sample, tokenizer)
    rate = {k: n / r["seconds"] for k, r in results.items()}
    tables = {}
    for beams, baseline in ((1, "a"), (4, "b4")):
        rows = []
        for key, (label, size) in CONFIGS.items():
            if size != beams:
                continue
            emit({"bench": "translate", "harness": main_harness, "beams": beams, "config": label,
                  "sentences_per_s": round(rate[key], 2), "tokens_per_s": round(rate[key] * NEW_TOKENS, 1),
                  "peak_rss_mb": round(results[key]["peak_rss_mb"])})  # fmt: skip
            rows.append([f"({key}) {label}", f"{rate[key]:.2f}", f"{rate[key] * NEW_TOKENS:.0f}",
                         f"{results[key]['peak_rss_mb']:.0f}", f"{rate[key] / rate[baseline]:.1f}x",
                         f"{ratio_to_ct2(rate, key):.2f}x", f"{ratio_to_ct2(rate, key, True):.2f}x"])  # fmt: skip
        tables[beams] = table(["configuration", "sentences/s", "generated tokens/s", "peak RSS (MB)",
                               f"vs ({baseline})", "vs best CTranslate2", "vs best CTranslate2 with vmap"], rows)  # fmt: skip
    acceptance = [[main_harness, *_acceptance(rate)]]
    for harness, (other_sample, other_tokenizer) in others:
        other = measure(list(ACCEPTANCE), n, repeats, other_sample, other_tokenizer)
        other_rate = {k: n / r["seconds"] for k, r in other.items()}
        emit({"bench": "translate", "harness": harness,
              **{k: round(v, 2) for k, v in other_rate.items()}})  # fmt: skip
        acceptance.append([harness, *_acceptance(other_rate)])
    small, large = child(["--child", "memory", str(n)]), child(["--child", "memory", str(n * 10)])
    emit({"bench": "memory", "small": small, "large": large,
          "ratio": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3)})  # fmt: skip
    write_section(
        "translate",
        f"""## Translation engine (`benchmarks/bench_translate.py`)

Machine: {machine()}.
Model: opus-mt-base shape (d_model 512, 6+6 layers, 8 heads, FFN 2048), random weights,
opus-mt's generation config and vocabulary shape: a French and a Vietnamese SentencePiece model
trained on NTREX, each padded to 32,000 pieces, their union 59,514 entries; int8 keeps the
32,000 target rows of the output layer. {n} NTREX French sentences, exactly {NEW_TOKENS} new
tokens each, {THREADS} threads. Each configuration in its own process (CTranslate2's without torch,
as its users run it); best of {repeats}, runs interleaved (stock `generate`, a, b and b4, once).
Ratios are within this run. CTranslate2 "with vmap": the model converted with a vocabulary map
whose always-included entries are the 32,000 target pieces, and `use_vmap=True`: its output
layer cut to the rows bilingual's int8 keeps.

Greedy:

{tables[1]}

Beam search, 4 beams (CTranslate2 with its defaults: length penalty 1, patience 1):

{tables[4]}

bilingual int8 against CTranslate2 int8's faster mode (one batch on 2 threads, or two batches on
one thread each), without and with the vocabulary map, on three harnesses:

{table(["harness", "greedy", "beam 4", "greedy, vmap", "beam 4, vmap"], acceptance)}

Memory: the whole pipeline (read, parse, split, int8 translation of 8 tokens, align, write) over
{large["sentences"]:.0f} sentences peaks at {large["peak_rss_mb"]:.0f} MB, over {small["sentences"]:.0f}
at {small["peak_rss_mb"]:.0f} MB: a ratio of {large["peak_rss_mb"] / small["peak_rss_mb"]:.3f}.
""",
    )


if __name__ == "__main__":
    main()
