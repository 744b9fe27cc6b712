"""Translation throughput: bilingual's engine side by side with stock generate and CTranslate2.

An opus-mt-base-shaped Marian model (d_model 512, 6+6 layers, 8 heads, FFN 2048, vocab 59514)
with random weights and a real SentencePiece tokenizer (trained on NTREX fr+vi), 200 NTREX French
sentences, greedy decoding of exactly 32 new tokens each, 2 threads:

  (a) generate, one sentence at a time, fp32     (what most users write)
  (b) generate, batches of 16 in input order, fp32
  (c) bilingual.Translator, fp32
  (d) bilingual.Translator, int8 (by default two batches side by side, one thread each)
  (d1) the same, one batch at a time on both threads
  (e, f, g) CTranslate2 int8, through its own API, on the same model converted: batches of 32,
      4096-token batches, and 4096-token batches two at a time (inter_threads=2, one thread each)

Each configuration runs in its own process (so its peak RSS is its own), the timed ones three times
(best kept, the machine is noisy); ratios are taken within this one run.  A memory run then sends
2,000 and 200 sentences through the pipeline and compares peak RSS.

    python benchmarks/bench_translate.py [--quick]
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

from _common import ROOT, corpus, emit, machine, table, write_section

CACHE = ROOT / "benchmarks" / ".cache"
MODEL = CACHE / "opus-mt-base-random"
CT2_MODEL = CACHE / "opus-mt-base-random-ct2-int8"
NEW_TOKENS = 32
THREADS = 2
CONFIGS = {
    "a": "generate, one at a time, fp32",
    "b": "generate, batches of 16, fp32",
    "c": "bilingual fp32",
    "d": "bilingual int8",
    "d1": "bilingual int8, one batch at a time",
    "e": "CTranslate2 int8 (batches of 32)",
    "f": "CTranslate2 int8 (4096-token batches)",
    "g": "CTranslate2 int8 (4096-token batches, 2 at a time)",
}


def build_models() -> None:
    """The base-shaped model and its CTranslate2 conversion, built once and cached."""
    from bilingual.testing import BASE_SHAPE, build_marian

    if not (MODEL / "config.json").exists():
        text = corpus("ntrex128.fra") + corpus("ntrex128.vie")
        build_marian(MODEL, text, vocab_size=8000, padded_vocab=59514, shape=BASE_SHAPE, seed=0)
    if not (CT2_MODEL / "model.bin").exists():
        import ctranslate2

        ctranslate2.converters.TransformersConverter(str(MODEL)).convert(
            str(CT2_MODEL), quantization="int8", force=True
        )


def sentences(n: int) -> list[str]:
    return [line for line in corpus("ntrex128.fra") if line.strip()][:n]


def run_config(key: str, n: int) -> dict[str, float]:
    """Time one configuration in this process; returns seconds and peak RSS."""
    import torch

    torch.set_num_threads(THREADS)
    texts = sentences(n)
    translate = _engine(key)
    translate(texts[:8])  # warm-up
    started = time.perf_counter()
    translate(texts)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def _engine(key: str):  # type: ignore[no-untyped-def]
    import torch

    gen = {
        "max_new_tokens": NEW_TOKENS,
        "min_new_tokens": NEW_TOKENS,
        "num_beams": 1,
        "do_sample": False,
    }
    if key in ("a", "b"):
        from transformers import MarianMTModel, MarianTokenizer

        tokenizer, model = (
            MarianTokenizer.from_pretrained(MODEL),
            MarianMTModel.from_pretrained(MODEL).eval(),
        )
        size = 1 if key == "a" else 16

        def stock(texts: list[str]) -> None:
            with torch.inference_mode():
                for i in range(0, len(texts), size):
                    model.generate(
                        **tokenizer(texts[i : i + size], return_tensors="pt", padding=True), **gen
                    )

        return stock
    if key in ("c", "d", "d1"):
        from bilingual import Translator

        translator = Translator(
            MODEL,
            device="cpu",
            precision="fp32" if key == "c" else "int8",
            workers=1 if key == "d1" else None,
        )
        return lambda texts: translator.translate(
            texts, max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS
        )
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(MODEL / "source.spm"))
    inter = 2 if key == "g" else 1
    ct2 = ctranslate2.Translator(
        str(CT2_MODEL),
        device="cpu",
        compute_type="int8",
        inter_threads=inter,
        intra_threads=THREADS // inter,
    )
    batching = (
        {"max_batch_size": 32} if key == "e" else {"max_batch_size": 4096, "batch_type": "tokens"}
    )

    def ctranslate(texts: list[str]) -> None:
        tokens = [[*sp.encode(t, out_type=str), "</s>"] for t in texts]
        ct2.translate_batch(
            tokens,
            beam_size=1,
            max_decoding_length=NEW_TOKENS,
            min_decoding_length=NEW_TOKENS,
            **batching,
        )

    return ctranslate


def run_memory(n: int) -> dict[str, float]:
    """Peak RSS of the whole pipeline (read, parse, split, translate int8, align, write)."""
    import torch

    from bilingual import Pipeline, Translator
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
        translator = Translator(MODEL, device="cpu", precision="int8")
        pipeline = Pipeline(
            {"en": translator}, generation={"max_new_tokens": 8, "min_new_tokens": 8}
        )
        started = time.perf_counter()
        with CorpusWriter(Path(tmp) / "out", ["en"], {}) as writer:
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
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="50 sentences, one repeat")
    args = parser.parse_args()
    if args.child:
        kind, n = args.child
        result = run_memory(int(n)) if kind == "memory" else run_config(kind, int(n))
        print(json.dumps(result))
        return
    build_models()
    n, repeats = (50, 1) if args.quick else (200, 3)
    results: dict[str, dict[str, float]] = {}
    for _ in range(repeats):
        for key in CONFIGS:
            if key == "a" and key in results:
                continue  # the slow baseline is timed once
            result = child(["--child", key, str(n)])
            best = results.get(key)
            if best is None or result["seconds"] < best["seconds"]:
                results[key] = result
    rate = {k: n / r["seconds"] for k, r in results.items()}
    ct2_best = max(rate["e"], rate["f"], rate["g"])
    rows = []
    for key, label in CONFIGS.items():
        emit({"bench": "translate", "config": label, "sentences_per_s": round(rate[key], 2),
              "tokens_per_s": round(rate[key] * NEW_TOKENS, 1), "peak_rss_mb": round(results[key]["peak_rss_mb"])})  # fmt: skip
        rows.append([f"({key}) {label}", f"{rate[key]:.2f}", f"{rate[key] * NEW_TOKENS:.0f}",
                     f"{results[key]['peak_rss_mb']:.0f}", f"{rate[key] / rate['a']:.1f}x", f"{rate[key] / ct2_best:.2f}x"])  # fmt: skip
    small, large = child(["--child", "memory", str(n)]), child(["--child", "memory", str(n * 10)])
    emit(
        {
            "bench": "memory",
            "small": small,
            "large": large,
            "ratio": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3),
        }
    )
    write_section(
        "translate",
        f"""## Translation engine (`benchmarks/bench_translate.py`)

Machine: {machine()}.
Model: opus-mt-base shape (d_model 512, 6+6 layers, 8 heads, FFN 2048, vocab 59514), random weights,
SentencePiece tokenizer trained on NTREX. {n} NTREX French sentences, greedy, exactly {NEW_TOKENS} new
tokens each, {THREADS} threads. Each configuration in its own process; best of {repeats} (the
one-at-a-time baseline once). Ratios are within this run.

{table(["configuration", "sentences/s", "generated tokens/s", "peak RSS (MB)", "vs (a)", "vs best CTranslate2"], rows)}

Memory: the whole pipeline (read, parse, split, int8 translation of 8 tokens, align, write) over
{large["sentences"]:.0f} sentences peaks at {large["peak_rss_mb"]:.0f} MB, over {small["sentences"]:.0f}
at {small["peak_rss_mb"]:.0f} MB: a ratio of {large["peak_rss_mb"] / small["peak_rss_mb"]:.3f}.
""",
    )


if __name__ == "__main__":
    main()
