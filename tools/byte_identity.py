"""Byte-identity gate for refactors: the ``translate`` command's output files, hashed.

Runs the command on the seeds and on 40 pages of the page builder (``development.pages``, from
NTREX), with no model and with tiny random-weight Marian models (``development.tiny_models``):
direct, a pivot, two routes compared, n-best with a score filter; locally and with ``--ray``.
Each run's files are hashed (sha256); ``run.json`` without its ``seconds`` (a timing),
``report.html`` not at all (it shows the timing).  A run the command refuses is recorded by its
exit code.

    python -m tools.byte_identity --save before.json     # at the starting commit
    python -m tools.byte_identity --check before.json    # after each step: same bytes?

The models and pages are built once into ``--work`` and reused, so that every commit is measured
on the same inputs.  ``--only`` runs some of the runs (names as printed); ``--no-ray`` leaves the
Ray runs out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("BILINGUAL_SEEDS", ROOT.parent / "shared" / "seeds"))
CORPORA = Path(os.environ.get("BILINGUAL_CORPORA", ROOT.parent / "shared" / "corpora"))
PAGES = 40
UNHASHED = ("report.html",)
TIMINGS = ("seconds",)

# name -> flags past the inputs; E: fr->en, V: fr->vi, P: en->vi (a pivot), B: a missing model.
RUNS: dict[str, list[str]] = {
    "nomt": ["--no-mt"],
    "direct": ["--model", "en={E}", "--model", "vi={V}"],
    "pivot": ["--model", "en={E}", "--pivot", "vi={P}"],
    "routes": ["--model", "en={E}", "--model", "vi={V}", "--pivot", "vi={P}"],
    "routes-pivot": [
        "--model", "en={E}", "--model", "vi={V}", "--pivot", "vi={P}", "--route", "vi=pivot",
    ],
    "nbest": [
        "--model", "en={E}", "--model", "vi={V}", "--beams", "3", "--nbest", "2",
        "--min-score", "-4.5", "--parquet", "--dedupe", "normalized",
    ],
    "broken-source": ["--model", "en={B}", "--model", "vi={V}", "--pivot", "vi={P}"],
}  # fmt: skip
RAY = ("nomt", "direct", "pivot", "routes", "nbest")


def build_inputs(work: Path) -> tuple[list[str], dict[str, str]]:
    """The inputs (the seeds' directory, the pages' directory) and the tiny models."""
    sys.path.insert(0, str(ROOT / "src"))  # pages built with this checkout's bilingual, as run
    pages = work / "pages"
    if not pages.exists():
        from development.pages import build_pages

        fr, vi, ids = (_lines(f"ntrex128.{x}") for x in ("fra", "vie", "docids"))
        built: list[str] = []
        seed = 0
        while len(built) < PAGES:
            built += [a.text for a in build_pages(fr, vi, ids, seed)]
            seed += 1
        tmp = work / "pages.tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        for k, text in enumerate(built[:PAGES]):
            (tmp / f"page{k:02d}.txt").write_text(text, "utf-8")
        tmp.rename(pages)
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    models = {}
    for name, seed in (("E", 0), ("V", 1), ("P", 2)):
        directory = work / "models" / name
        if not (directory / "config.json").exists():
            from development.tiny_models import build_marian

            build_marian(directory, texts, seed=seed)
        models[name] = str(directory)
    models["B"] = str(work / "models" / "broken")  # no such directory: a model that fails
    return [str(SEEDS), str(pages)], models


def run(name: str, ray: bool, inputs: list[str], models: dict[str, str], work: Path) -> dict:
    """One run of the command: its exit code and its files' hashes (its files in ``work``)."""
    out = work / f"{name}{'-ray' if ray else ''}"
    flags = [f.format(**models) for f in RUNS[name]]
    command = [sys.executable, "-m", "bilingual", *inputs, "-o", str(out), "--device", "cpu"]
    command += ["-q", "--threads", "1", *flags, *(["--ray"] if ray else [])]  # last: no ADDRESS
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}")
    env["XDG_CACHE_HOME"] = str(work / "cache" / out.name)  # a fresh cache per run
    subprocess.run(["rm", "-rf", str(out), env["XDG_CACHE_HOME"]], check=True)
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    result: dict = {"exit": done.returncode}
    if done.returncode not in (0, 1):
        result["stderr"] = done.stderr.strip().splitlines()[-1:]
        return result
    return {**result, **hashes(out)}


def hashes(out: Path) -> dict[str, str]:
    """Each output file's sha256; ``run.json``'s with its timings left out, keys in their order."""
    found = {}
    for path in sorted(out.iterdir()) if out.is_dir() else []:
        if not path.is_file() or path.name in UNHASHED:
            continue
        data = path.read_bytes()
        if path.name == "run.json":
            record = {k: v for k, v in json.loads(data).items() if k not in TIMINGS}
            data = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode()
        found[path.name] = hashlib.sha256(data).hexdigest()
    return found


def _lines(name: str) -> list[str]:
    return (CORPORA / name).read_text("utf-8").split("\n")[:-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/byte-identity"))
    parser.add_argument("--out", type=Path, default=None, help="runs' files (default: WORK/out)")
    parser.add_argument("--save", type=Path)
    parser.add_argument("--check", type=Path)
    parser.add_argument("--only", nargs="+", default=None)
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args(argv)
    inputs, models = build_inputs(args.work)
    plan = [(n, False) for n in RUNS] + ([] if args.no_ray else [(n, True) for n in RAY])
    results = {}
    for name, ray in plan:
        key = f"{name}{'-ray' if ray else ''}"
        if args.only is None or key in args.only:
            results[key] = run(name, ray, inputs, models, args.out or args.work / "out")
            print(key, json.dumps(results[key])[:160], flush=True)
    if args.save:
        args.save.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    if args.check:
        before = json.loads(args.check.read_text())
        differ = [k for k in results if before.get(k) != results[k]]
        for key in differ:
            old, new = before.get(k := key, {}), results[k]
            changed = sorted(f for f in {*old, *new} if old.get(f) != new.get(f))
            print(f"DIFFERS {key}: {changed}")
        print(f"{len(results) - len(differ)}/{len(results)} runs byte-identical")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
