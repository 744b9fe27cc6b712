"""Shared helpers for the benchmarks: corpora, machine description, RESULTS.md sections."""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
CORPORA = Path(os.environ.get("BILINGUAL_CORPORA", ROOT.parent / "shared" / "corpora"))
# The development package (page builder, conventions) sits at the root, beside benchmarks/: a
# script run from benchmarks/ finds it there.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))


def corpus(name: str) -> list[str]:
    """Lines of a reference corpus; exits cleanly (status 0) when the corpora are absent."""
    path = CORPORA / name
    if not path.exists():
        print(f"skipped: {path} is not available", file=sys.stderr)
        raise SystemExit(0)
    return path.read_text("utf-8").split("\n")[:-1]


def tatoeba() -> list[tuple[str, str]]:
    """Tatoeba's (French, Vietnamese) sentence pairs."""
    return list(zip(corpus("tatoeba.fra-vie.fra"), corpus("tatoeba.fra-vie.vie"), strict=True))


def machine() -> str:
    """One line describing this machine, for the results."""
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"torch {torch.__version__}, {torch.get_num_threads()} torch threads"
    )


def write_section(name: str, markdown: str) -> None:
    """Replace (or add) the section ``name`` of benchmarks/RESULTS.md."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Benchmark results\n"
    block = f"{start}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    text = (
        pattern.sub(lambda _: block, text)
        if pattern.search(text)
        else f"{text.rstrip()}\n\n{block}\n"
    )
    partial = RESULTS.with_name(RESULTS.name + ".partial")  # atomic: a reader sees old or new
    partial.write_text(text, "utf-8")
    os.replace(partial, RESULTS)


def emit(record: dict[str, Any]) -> None:
    """Print one machine-readable result line."""
    print(json.dumps(record, ensure_ascii=False))


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
