"""The GPU check: bilingual's engine against transformers' ``generate`` on one CUDA card, bounded.

One command, under 5 minutes on a CUDA machine with only torch, transformers and sentencepiece
installed (bilingual's engine, ``bilingual.translate``, is imported from the working tree; it
needs none of the pipeline's packages, nltk, lingua, sacrebleu..., and imports none):

    PYTHONPATH=src python -m benchmarks.gpu_check [--write]
    PYTHONPATH=src python -m benchmarks.gpu_check --device cpu --dry-run   # the logic, seconds

On the opus-mt-base-shaped model (random weights, :mod:`benchmarks.models`; exactly 32 new tokens)
it prints, human-readable and as one JSON line at the end:

* equality: in fp16 and bf16, the engine's output against ``generate``'s in the same dtype (the same
  weights), greedy and beam 4, sentence by sentence;
* speed: sentences/s of the engine against ``generate`` in length-sorted batches of 64 (the engine's
  sentence cap), at 200 and 2,000 sentences (NTREX French when ``../shared/corpora`` has it, else
  generated sentences), greedy and beam 4, in the first precision;
* out of memory: one batch too big for the card, made so by capping this process's share of it
  (``torch.cuda.set_per_process_memory_fraction``) a little above what the model holds, sent to
  the engine's ``generate_batch``: it must be halved until it fits, and every sentence come back;
  on CPU (``--dry-run``) the out-of-memory error is injected above a batch size, in front of the
  engine's real decoding, to exercise the same halving;
* peak GPU memory of each part.

Each part has a time budget (``--budget`` scales them); what would start past it is skipped and
said so, and the whole stops at ``--limit`` seconds (290), reporting what it has.
``--write`` records the figures in ``benchmarks/RESULTS.md`` (section ``gpu``).  Exit status: 0
when every check holds, 1 when one fails, 2 when the device is not there (a message, no traceback).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks._gpu_parts import Check, equality, load_engine, oom_halving, speed
from benchmarks._gpu_setup import NoDevice, check_model, choose, describe, texts

BUDGETS = {"equality": 60.0, "speed": 150.0, "oom": 45.0}  # seconds; model building apart
# One batch of these with 4 beams needs gigabytes (key/value caches of 8,192 rows), far over the
# share of the card the out-of-memory part leaves (_gpu_parts.OOM_HEADROOM).
OOM_SENTENCES = 2048


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The check's options (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cuda", help="cuda (default), cuda:N, or cpu")
    parser.add_argument("--precisions", nargs="+", help="default: fp16 bf16 on a GPU, fp32 on CPU")
    parser.add_argument(
        "--dry-run", action="store_true", help="a tiny model and tiny sizes: the logic, in seconds"
    )
    parser.add_argument("--sizes", nargs="+", type=int, help="speed sizes (default 200 2000)")
    parser.add_argument("--new-tokens", type=int, help="generated tokens (default 32; dry run 4)")
    parser.add_argument(
        "--budget", type=float, default=1.0, help="scale every part's time budget by this"
    )
    parser.add_argument(
        "--limit", type=float, default=290.0, help="seconds for the whole check (default 290)"
    )
    parser.add_argument("--write", action="store_true", help="record in benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.sizes is not None and min(args.sizes) < 1:
        parser.error("--sizes: every size must be at least 1")
    if args.new_tokens is not None and args.new_tokens < 1:
        parser.error("--new-tokens must be at least 1")
    if args.budget <= 0 or args.limit < 1:
        parser.error("--budget must be positive, --limit at least 1")
    args.sizes = args.sizes or ([8, 16] if args.dry_run else [200, 2000])
    args.new_tokens = args.new_tokens or (4 if args.dry_run else 32)
    return args


class Overtime(BaseException):
    """The whole check ran past ``--limit`` seconds.  Not an ``Exception``, as ``KeyboardInterrupt``
    is not: the library catches those where a model fails to load, and must not swallow this."""


def run(args: argparse.Namespace) -> Check:
    """Every part, each within its budget, the whole within ``--limit`` seconds; the figures and
    whether each check held."""
    device, precisions = choose(args.device, args.precisions)
    check = Check(device=device, precisions=precisions, new_tokens=args.new_tokens)

    def overtime(signum: int, frame: Any) -> None:
        raise Overtime

    import bilingual.translate.marian  # noqa: F401  (torch, transformers: never cut mid-import)
    import development.tiny_models  # noqa: F401

    previous = signal.signal(signal.SIGALRM, overtime)
    signal.alarm(int(args.limit))
    try:
        parts(args, check)
    except Overtime:
        check.failures.append(f"ran past --limit {args.limit:.0f} s; the rest did not run")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return check


def parts(args: argparse.Namespace, check: Check) -> None:
    """The model, then each part with its own deadline."""
    device, precisions = check.device, check.precisions
    model, source = check_model(args.dry_run)
    check.model, check.source, check.gpu = model.name, source, describe(device)
    n_equal, n_oom = (8, 8) if args.dry_run else (100, OOM_SENTENCES)
    sentences = texts(max(*args.sizes, n_equal, n_oom), args.dry_run)
    for part, budget in BUDGETS.items():
        deadline = time.perf_counter() + budget * args.budget * (0.2 if args.dry_run else 1.0)
        if part == "equality":
            for precision in precisions:
                translator = load_engine(model, device, precision)
                equality(check, translator, sentences[:n_equal], deadline)
                del translator
        elif part == "speed":
            translator = load_engine(model, device, precisions[0])
            speed(check, translator, sentences, args.sizes, deadline)
            del translator
        else:
            translator = load_engine(model, device, precisions[0])
            oom_halving(check, translator, sentences[:n_oom], deadline)
            del translator


def report(check: Check) -> None:
    """The figures, human-readable, then as one JSON line."""
    print(f"GPU check on {check.device} ({check.gpu}); model {check.model}; {check.source}")
    for row in check.equal:
        verdict = "equal" if row["equal"] == row["sentences"] else "DIFFERENT"
        print(f"  {row['precision']} beams {row['beams']}: engine vs generate {verdict}, "
              f"{row['equal']}/{row['sentences']} sentences")  # fmt: skip
    for row in check.speed:
        print(f"  {row['precision']} beams {row['beams']}, {row['sentences']} sentences: "
              f"engine {row['engine_per_s']:.1f}/s, generate {row['generate_per_s']:.1f}/s "
              f"({row['ratio']:.2f}x); peak {row['peak_mb']:.0f} MB")  # fmt: skip
    if check.oom:
        oom = check.oom
        print(f"  out of memory: {oom['sentences']} sentences in one batch, {oom['ooms']} "
              f"out-of-memory errors caught, batches decoded {oom['decoded']}; "
              f"{oom['returned']} returned, {oom['equal']} equal to normal batches "
              f"({oom['how']}); peak {oom['peak_mb']:.0f} MB")  # fmt: skip
    for line in check.skipped:
        print(f"  skipped: {line}")
    for line in check.failures:
        print(f"  FAILED: {line}")
    print(json.dumps({"bench": "gpu_check", **check.record()}))


def write(check: Check) -> None:
    """The figures as the ``gpu`` section of benchmarks/RESULTS.md."""
    from development.results import table, write_section

    equal = table(
        ["precision", "beams", "equal to generate"],
        [[r["precision"], r["beams"], f"{r['equal']}/{r['sentences']}"] for r in check.equal],
    )
    rows = [[r["precision"], r["beams"], r["sentences"], f"{r['engine_per_s']:.1f}",
             f"{r['generate_per_s']:.1f}", f"{r['ratio']:.2f}x", f"{r['peak_mb']:.0f}"]
            for r in check.speed]  # fmt: skip
    speeds = table(["precision", "beams", "sentences", "engine/s", "generate/s", "ratio",
                    "peak GPU MB"], rows)  # fmt: skip
    oom = check.oom
    halving = (
        f"{oom['sentences']} sentences sent as one batch ({oom['how']}): {oom['ooms']} "
        f"out-of-memory errors caught and halved, {oom['returned']} translations back, "
        f"{oom['equal']} equal to those of normal batches; peak {oom['peak_mb']:.0f} MB."
        if oom
        else "not run."
    )
    skipped = "".join(f"\nSkipped (time budget): {s}." for s in check.skipped)
    verdict = "every check held" if not check.failures else "FAILED: " + "; ".join(check.failures)
    write_section(
        "gpu",
        f"""## GPU check (`benchmarks/gpu_check.py`)

Device: {check.gpu}. Model: {check.model}, random weights, exactly {check.new_tokens} new tokens.
Sentences: {check.source}. `generate` gets length-sorted batches of 64. Result: {verdict}.

The engine's output against `generate`'s, same dtype and weights:

{equal}

Speed (peak GPU memory of each run):

{speeds}

Out of memory: {halving}{skipped}
""",
    )


def main(argv: list[str] | None = None) -> int:
    """Run the check; the exit status (0 held, 1 failed, 2 no device)."""
    args = parse_args(argv)
    try:
        check = run(args)
    except NoDevice as e:
        print(f"gpu_check: {e}", file=sys.stderr)
        return 2
    report(check)
    if args.write:
        write(check)
        print(f"recorded in {Path(__file__).with_name('RESULTS.md')}")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
