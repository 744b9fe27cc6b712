"""Where the peak memory of int8 translation goes, stage by stage, beside CTranslate2's.

Each engine runs in a process of its own (``--child``), which reads its resident size (VmRSS) and
its peak so far (VmHWM) after each stage: the interpreter, each import, the model loaded, the
language identification and the word table the pipeline loads too, and translating. Translating
runs in one process per batch size and decoding (32 and 1,000 NTREX sentences, greedy and 4 beams,
exactly 32 new tokens, 2 threads, int8), so each peak is its own; the stages before it are the
same in each and are reported from the first.  CTranslate2 runs as its users run it: its own
package and sentencepiece, no torch.  The model is the benchmarks' opus-mt-base-shaped one
(:mod:`benchmarks.models`).

    python -m benchmarks.bench_memory          # writes the "memory" section of RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.models import NEW_TOKENS
from development.corpora import ROOT
from development.results import emit, machine, table, write_section

RUNS = [(32, 1), (1000, 1), (32, 4), (1000, 4)]


def status() -> dict[str, float]:
    """This process's resident size and its peak so far, in MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key = line.split(":")[0]
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(line.split()[1]) / 1024
    return {"rss": round(found["VmRSS"]), "peak": round(found["VmHWM"])}


def bilingual(n: int, beams: int) -> list[dict[str, Any]]:
    """bilingual's stages, then ``n`` sentences translated with ``beams`` beams."""
    stages = [{"stage": "interpreter", **status()}]
    import torch

    torch.set_num_threads(2)
    stages.append({"stage": "import torch", **status()})
    import transformers.models.marian.modeling_marian
    import transformers.models.marian.tokenization_marian  # noqa: F401

    stages.append({"stage": "import transformers (Marian)", **status()})
    from bilingual import Translator  # noqa: F401  (its import is a stage)

    stages.append({"stage": "import bilingual", **status()})
    _translate("d", n, beams, stages)  # bilingual int8, its defaults
    # What a corpus build loads beside the models (a translation run alone does not).
    from bilingual.langid import identify

    identify("Le président a parlé hier soir devant les députés.")
    stages.append({"stage": "then: language identification loaded (a build)", **status()})
    from bilingual.align.lexicon import shipped_lexicon

    shipped_lexicon().coverage("Tổng thống phát biểu tối qua.", "Le président a parlé hier soir.")
    stages.append({"stage": "then: word table loaded (a build)", **status()})
    return stages


def ctranslate2(n: int, beams: int) -> list[dict[str, Any]]:
    """CTranslate2's stages (4096-token batches on 2 threads), then ``n`` sentences."""
    stages = [{"stage": "interpreter", **status()}]
    import ctranslate2  # noqa: F401  (its import is a stage)
    import sentencepiece  # noqa: F401

    stages.append({"stage": "import ctranslate2, sentencepiece", **status()})
    _translate("f", n, beams, stages)  # one 4096-token batch at a time on 2 threads
    if "torch" in sys.modules:
        raise RuntimeError("CTranslate2's process imported torch: its memory is not its own")
    return stages


def _translate(key: str, n: int, beams: int, stages: list[dict[str, Any]]) -> None:
    """The benchmarks' engine ``key`` (:func:`benchmarks.models.engine`) loaded, then given the
    first ``n`` NTREX sentences; a stage recorded after each."""
    from benchmarks.bench_translate import sentences
    from benchmarks.models import engine, model_dir

    translate = engine(key, beams, model_dir("fr+vi"))
    stages.append({"stage": "model loaded (int8)", **status()})
    translate(sentences(n, "first"))
    stages.append({"stage": "translated", **status()})


def child(engine: str, n: int, beams: int) -> list[dict[str, Any]]:
    command = [sys.executable, "-m", "benchmarks.bench_memory", "--child", engine, str(n)]
    command.append(str(beams))
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    stages: list[dict[str, Any]] = json.loads(out.stdout.strip().splitlines()[-1])
    return stages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--child", nargs=3, metavar=("ENGINE", "N", "BEAMS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        engine, n, beams = args.child
        run = bilingual if engine == "bilingual" else ctranslate2
        print(json.dumps(run(int(n), int(beams))))
        return
    from benchmarks.models import build_models

    build_models("fr+vi")
    started = time.perf_counter()
    found = {(e, n, b): child(e, n, b) for e in ("bilingual", "ctranslate2") for n, b in RUNS}
    emit({"bench": "memory", "seconds": round(time.perf_counter() - started, 1), "runs": [
        {"engine": e, "sentences": n, "beams": b, "stages": s} for (e, n, b), s in found.items()
    ]})  # fmt: skip
    write(found)


def write(found: dict[tuple[str, int, int], list[dict[str, Any]]]) -> None:
    """The ``memory`` section: each engine's stages, then each run's peak and its ratio."""
    sections = []
    for engine in ("bilingual", "ctranslate2"):
        first = found[(engine, RUNS[0][0], RUNS[0][1])]  # the stages are the same in every run
        rows, before = [], 0.0
        for stage in first:
            if stage["stage"] == "translated":  # its peak is the runs' table's
                before = stage["rss"]
                continue
            rows.append([stage["stage"], stage["rss"], f"{stage['rss'] - before:+.0f}",
                         stage["peak"]])  # fmt: skip
            before = stage["rss"]
        sections.append(table([f"{engine}: stage", "resident (MB)", "added", "peak so far"], rows))
    runs = []
    for n, beams in RUNS:
        ours = _stage(found[("bilingual", n, beams)], "translated")
        loaded = _stage(found[("bilingual", n, beams)], "model loaded (int8)")
        theirs = _stage(found[("ctranslate2", n, beams)], "translated")
        runs.append([n, "greedy" if beams == 1 else "beam 4", ours["peak"],
                     ours["peak"] - loaded["rss"], theirs["peak"],
                     f"{ours['peak'] / theirs['peak']:.2f}x"])  # fmt: skip
    write_section(
        "memory",
        f"""## Memory, stage by stage (`benchmarks/bench_memory.py`)

Machine: {machine()}. The opus-mt-base-shaped model of the translation table, int8 on CPU,
2 threads; each engine in its own process, reading its resident size and its peak after each
stage (CTranslate2 without torch, as its users run it: 4096-token batches on 2 threads). The
stages after translating are what a corpus build adds (language identification, the word table);
a translation alone does not load them.

{sections[0]}

{sections[1]}

Peak while translating NTREX sentences (exactly {NEW_TOKENS} new tokens), each run in a process of its
own; "above the loaded model" is bilingual's peak less its resident size before translating:

{table(["sentences", "decoding", "bilingual peak (MB)", "above the loaded model", "CTranslate2 peak", "ratio"], runs)}
""",
    )


def _stage(stages: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(stage for stage in stages if stage["stage"] == name)


if __name__ == "__main__":
    main()
