"""Language identification: accuracy and time per line on NTREX fr/vi/en (development data) and
once on FLORES devtest (held out).

    python -m benchmarks.bench_langid
"""

from __future__ import annotations

import time

from bilingual.langid import identify
from development.corpora import corpus
from development.results import emit, machine, table, write_section


def measure(name: str, files: dict[str, str]) -> list[object]:
    lines = [(lang, line) for lang, f in files.items() for line in corpus(f) if line.strip()]
    identify("warm-up: load the models")
    started = time.perf_counter()
    correct = sum(identify(text) == lang for lang, text in lines)
    ms = (time.perf_counter() - started) * 1000 / len(lines)
    emit({"bench": "langid", "data": name, "lines": len(lines), "accuracy": round(correct / len(lines), 5), "ms_per_line": round(ms, 3)})  # fmt: skip
    return [name, len(lines), f"{correct / len(lines):.4f}", f"{ms:.3f}"]


def main() -> None:
    rows = [
        measure("NTREX-128 fr/vi/en (development)", {"fr": "ntrex128.fra", "vi": "ntrex128.vie", "en": "ntrex128.eng"}),
        measure("FLORES-200 devtest fr/vi/en (held out)", {"fr": "flores200.devtest.fra", "vi": "flores200.devtest.vie", "en": "flores200.devtest.eng"}),
    ]  # fmt: skip
    write_section(
        "langid",
        f"""## Language identification (`benchmarks/bench_langid.py`)

Machine: {machine()}. Each corpus line on its own (no context), labels fr / vi / en / other.

{table(["data", "lines", "accuracy", "ms per line"], rows)}
""",
    )


if __name__ == "__main__":
    main()
