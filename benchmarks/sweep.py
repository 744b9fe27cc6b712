"""``bench_translate.py --sweep``: bilingual int8 against CTranslate2 int8 across batch sizes.

At each size (by default the issue's 32, 100, 160, 200, 500 and 1,000 sentences), greedy and beam
4, on the main sample (NTREX lines from the first) and the second (every other line; it has 998,
so its largest size is 998), and on the pipeline's own first window of pages built from NTREX
documents (its distinct French sentences, about 950; a smoke run takes as many as its largest
size), bilingual int8 (``d``, ``d4``) runs against CTranslate2 int8 in both its CPU modes (``f``/``g``, ``f4``/``g4``), the faster of which is the reference.  Each
configuration runs in its own process (its peak RSS is its own), best of 3, the runs interleaved:
:func:`bench_translate.measure`, the harness of the 200-sentence table.

Only the full sweep (the default sizes, 3 repeats or more) is written, to RESULTS.md only
(section ``sweep``: the ratios, rates and peak RSS; the README quotes the ratios from there as
text of its own); a smoke run (``--sizes 8 16 --repeats 1``) prints its JSON lines and writes
nothing.
"""

from __future__ import annotations

from typing import Any

from development.results import emit, machine, table, write_section

SIZES = (32, 100, 160, 200, 500, 1000)
SAMPLES = {"first": "main sample (NTREX lines from the first)", "odd": "second sample (every other line)"}  # fmt: skip
# Beam width -> (bilingual's configuration, CTranslate2's two modes).
KEYS = {1: ("d", ("f", "g")), 4: ("d4", ("f4", "g4"))}
REPEATS = 3


def sweep(sizes: list[int], repeats: int, tokenizer: str = "fr+vi") -> list[dict[str, Any]]:
    """Every (sample, size, beams) point: rates, the ratio to CTranslate2's faster mode, and each
    engine's peak RSS; one JSON line printed per point."""
    from benchmarks.bench_translate import measure, sentences

    keys = [key for bilingual, ct2 in KEYS.values() for key in (bilingual, *ct2)]
    points = []
    # Each sample at each size, then the pipeline's own first window of built pages, whole.
    window = 10**6 if is_full(sizes, repeats) else max(sizes)
    runs = [(sample, size) for sample in SAMPLES for size in sizes] + [("pages", window)]
    for sample, size in runs:
        n = len(sentences(size, sample))  # the second sample stops at 998
        results = measure(keys, n, repeats, sample, tokenizer)
        for beams, (ours, theirs) in KEYS.items():
            rate = {k: n / results[k]["seconds"] for k in (ours, *theirs)}
            best = max(theirs, key=lambda k: rate[k])
            point = {
                "bench": "sweep", "sample": sample, "sentences": n, "beams": beams,
                "bilingual_per_s": round(rate[ours], 2),
                "ct2_per_s": round(rate[best], 2), "ct2_mode": best,
                "ratio": round(rate[ours] / rate[best], 3),
                "bilingual_rss_mb": round(results[ours]["peak_rss_mb"]),
                "ct2_rss_mb": round(results[best]["peak_rss_mb"]),
            }  # fmt: skip
            emit(point)
            points.append(point)
    return points


def is_full(sizes: list[int], repeats: int) -> bool:
    """Whether a run is the sweep the issue asks for (and so is recorded)."""
    return tuple(sizes) == SIZES and repeats >= REPEATS


def write(points: list[dict[str, Any]], repeats: int) -> None:
    """The sweep as the ``sweep`` section of benchmarks/RESULTS.md (never the README)."""
    sizes = sorted({p["sentences"] for p in points if p["sample"] == "first"})
    window = [p for p in points if p["sample"] == "pages"]
    ratios, details = [], []
    for sample, label in SAMPLES.items():
        for beams in KEYS:
            row = [p for p in points if p["sample"] == sample and p["beams"] == beams]
            name = f"{label}, {'greedy' if beams == 1 else 'beam 4'}"
            ratios.append([name, *(f"{p['ratio']:.2f}x" for p in row)])
            details += [[name, p["sentences"], f"{p['bilingual_per_s']:.1f}",
                         f"{p['ct2_per_s']:.1f} ({p['ct2_mode']})", f"{p['bilingual_rss_mb']}",
                         f"{p['ct2_rss_mb']}"] for p in row]  # fmt: skip
    lowest = min(p["ratio"] for p in points)
    for p in window:
        name = f"pipeline window of built pages, {'greedy' if p['beams'] == 1 else 'beam 4'}"
        details.append([name, p["sentences"], f"{p['bilingual_per_s']:.1f}",
                        f"{p['ct2_per_s']:.1f} ({p['ct2_mode']})", f"{p['bilingual_rss_mb']}",
                        f"{p['ct2_rss_mb']}"])  # fmt: skip
    pages = table(
        ["the pipeline's first window of built pages", "sentences", "greedy", "beam 4"],
        [["bilingual / CTranslate2", window[0]["sentences"],
          *(f"{p['ratio']:.2f}x" for p in sorted(window, key=lambda p: p["beams"]))]]
        if window else [],
    )  # fmt: skip
    header = ["sample, decoding", "sentences", "bilingual/s", "CTranslate2/s (mode)"]
    by_size = table(["sample, decoding", *(str(s) for s in sizes)], ratios)
    detail = table([*header, "bilingual RSS", "CTranslate2 RSS"], details)
    write_section(
        "sweep",
        f"""## Sweep over batch sizes (`benchmarks/bench_translate.py --sweep`)

Machine: {machine()}.
The model of the translation table (opus-mt-base shape, random weights, fr+vi SentencePiece),
exactly 32 new tokens, 2 threads; bilingual int8 against CTranslate2 int8 in the faster of its two
CPU modes at each point (f: one 4096-token batch at a time on 2 threads; g: two at a time, one
thread each). Each configuration in its own process, best of {repeats}, interleaved. The second
sample has 998 lines, so its last size is 998. Lowest ratio: {lowest:.2f}x.

bilingual / CTranslate2, by number of sentences:

{by_size}

{pages}

Sentences/s and peak RSS (MB) at each point:

{detail}
""",
    )
