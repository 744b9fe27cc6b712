"""``bench_translate.py --sweep``: bilingual int8 against CTranslate2 int8 across batch sizes.

At each size (by default the issue's 32, 100, 160, 200, 500 and 1,000 sentences), greedy and beam
4, on the main sample (NTREX lines from the first) and the second (every other line; it has 998,
so its largest size is 998), and on the pipeline's own first window of pages built from NTREX
documents (its distinct French sentences, about 950; a smoke run takes as many as its largest
size), bilingual int8 (``d``, ``d4``) runs against CTranslate2 int8 in both its CPU modes (``f``/``g``, ``f4``/``g4``), the faster of which is the reference.  Each
configuration runs in its own process (its peak RSS is its own), best of 3, the runs interleaved:
:func:`bench_translate.measure`, the harness of the 200-sentence table.

Only a sweep of the default sizes is written (best of 3 by default; ``--repeats`` fewer says so
in the section), to RESULTS.md only
(section ``sweep``: the ratios, rates and peak RSS; the README quotes the ratios from there as
text of its own); a smoke run (``--sizes 8 16 --repeats 1``) prints its JSON lines and writes
nothing.
"""

from __future__ import annotations

from typing import Any

from development.results import emit, machine, table, write_section

SIZES = (32, 100, 160, 200, 500, 1000)
SAMPLES = {"first": "main sample (NTREX lines from the first)", "odd": "second sample (every other line)"}  # fmt: skip
# Beam width -> (bilingual's configuration, CTranslate2's two modes, the same with the
# vocabulary map).
KEYS = {1: ("d", ("f", "g"), ("v", "w")), 4: ("d4", ("f4", "g4"), ("v4", "w4"))}
REPEATS = 3


def sweep(sizes: list[int], repeats: int, tokenizer: str = "fr+vi") -> list[dict[str, Any]]:
    """Every (sample, size, beams) point: rates, the ratio to CTranslate2's faster mode, and each
    engine's peak RSS; one JSON line printed per point."""
    from benchmarks.bench_translate import measure, sentences

    keys = [key for bilingual, ct2, vmap in KEYS.values() for key in (bilingual, *ct2, *vmap)]
    points = []
    # Each sample at each size, then the pipeline's own first window of built pages, whole.
    window = 10**6 if is_full(sizes, repeats) else max(sizes)
    runs = [(sample, size) for sample in SAMPLES for size in sizes] + [("pages", window)]
    for sample, size in runs:
        n = len(sentences(size, sample))  # the second sample stops at 998
        results = measure(keys, n, repeats, sample, tokenizer)
        for beams, (ours, theirs, mapped) in KEYS.items():
            rate = {k: n / results[k]["seconds"] for k in (ours, *theirs, *mapped)}
            best = max(theirs, key=lambda k: rate[k])
            best_map = max(mapped, key=lambda k: rate[k])
            point = {
                "bench": "sweep", "sample": sample, "sentences": n, "beams": beams,
                "bilingual_per_s": round(rate[ours], 2),
                "ct2_per_s": round(rate[best], 2), "ct2_mode": best,
                "ratio": round(rate[ours] / rate[best], 3),
                "vmap_per_s": round(rate[best_map], 2), "vmap_mode": best_map,
                "vmap_ratio": round(rate[ours] / rate[best_map], 3),
                "bilingual_rss_mb": round(results[ours]["peak_rss_mb"]),
                "ct2_rss_mb": round(results[best]["peak_rss_mb"]),
                "vmap_rss_mb": round(results[best_map]["peak_rss_mb"]),
            }  # fmt: skip
            emit(point)
            points.append(point)
    return points


def is_full(sizes: list[int], repeats: int) -> bool:
    """Whether a run covers the sweep's sizes (and so is recorded, its repeats stated: three
    are the standard, fewer a time-bounded run to be read with the machine's noise in mind)."""
    return tuple(sizes) == SIZES and repeats >= 1


def write(points: list[dict[str, Any]], repeats: int) -> None:
    """The sweep as the ``sweep`` section of benchmarks/RESULTS.md (never the README)."""
    sizes = sorted({p["sentences"] for p in points if p["sample"] == "first"})
    ratios, details = [], []
    named = [(sample, label) for sample, label in SAMPLES.items()]
    named.append(("pages", "pipeline window of built pages"))
    for sample, label in named:
        for beams in KEYS:
            row = [p for p in points if p["sample"] == sample and p["beams"] == beams]
            name = f"{label}, {'greedy' if beams == 1 else 'beam 4'}"
            if sample != "pages":
                ratios.append([name, *(f"{p['ratio']:.2f}x" for p in row)])
                ratios.append([f"{name}, vs vmap", *(f"{p['vmap_ratio']:.2f}x" for p in row)])
            details += [[name, p["sentences"], f"{p['bilingual_per_s']:.1f}",
                         f"{p['ct2_per_s']:.1f} ({p['ct2_mode']})",
                         f"{p['vmap_per_s']:.1f} ({p['vmap_mode']})", f"{p['ratio']:.2f}x",
                         f"{p['vmap_ratio']:.2f}x", p["bilingual_rss_mb"], p["ct2_rss_mb"],
                         p["vmap_rss_mb"], f"{p['bilingual_rss_mb'] / p['ct2_rss_mb']:.2f}x"]
                        for p in row]  # fmt: skip
    lowest = min(p["ratio"] for p in points)
    lowest_map = min(p["vmap_ratio"] for p in points)
    memory = max(p["bilingual_rss_mb"] / p["ct2_rss_mb"] for p in points)
    by_size = table(["sample, decoding", *(str(s) for s in sizes)], ratios)
    detail = table(["sample, decoding", "sentences", "bilingual/s", "CTranslate2/s (mode)",
                    "with vmap/s (mode)", "ratio", "ratio vs vmap", "bilingual RSS",
                    "CTranslate2 RSS", "with vmap RSS", "RSS ratio"], details)  # fmt: skip
    write_section(
        "sweep",
        f"""## Sweep over batch sizes (`benchmarks/bench_translate.py --sweep`)

Machine: {machine()}.
The model of the translation table (opus-mt-base shape, random weights, two 32,000-piece
SentencePiece models, union 59,514), exactly 32 new tokens, 2 threads; bilingual int8 against
CTranslate2 int8 in the faster of its two CPU modes at each point (f: one 4096-token batch at a
time on 2 threads; g: two at a time, one thread each), and against the same with a vocabulary map
holding the 32,000 target pieces (v, w). Each configuration in its own process (CTranslate2's
without torch), best of {repeats}, interleaved. The second sample has 998 lines, so its last size
is 998; the pipeline's window is its distinct sentences. Lowest ratio: {lowest:.2f}x; against the
vocabulary map: {lowest_map:.2f}x; highest RSS ratio: {memory:.2f}x.

bilingual / CTranslate2, by number of sentences:

{by_size}

Sentences/s and peak RSS (MB) at each point:

{detail}
""",
    )
