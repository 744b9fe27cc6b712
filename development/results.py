"""What benchmarks report with: the machine they ran on, JSON lines, tables, RESULTS.md sections."""

from __future__ import annotations

import json
import os
import platform
import re
from pathlib import Path
from typing import Any

from development.corpora import ROOT

RESULTS = ROOT / "benchmarks" / "RESULTS.md"


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
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Benchmark results\n"
    _write_atomic(RESULTS, _replaced(text, name, markdown))


def _replaced(text: str, name: str, markdown: str) -> str:
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return f"{text.rstrip()}\n\n{block}\n"


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")  # atomic: a reader sees old or new
    partial.write_text(text, "utf-8")
    os.replace(partial, path)


def emit(record: dict[str, Any]) -> None:
    """Print one machine-readable result line."""
    print(json.dumps(record, ensure_ascii=False))


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
