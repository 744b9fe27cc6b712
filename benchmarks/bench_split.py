"""Sentence splitting: boundary recall/precision and speed, bilingual vs untrained Punkt vs pysbd.

Paragraphs of 2–6 consecutive lines of one NTREX document (development data), and once of FLORES
devtest (held out: reported, never tuned on).  Every line end is a gold boundary; precision is a
lower bound, since a corpus line may hold two sentences.

    python -m benchmarks.bench_split
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bilingual import split_sentences
from development.corpora import corpus
from development.evaluation import boundary_scores, build_paragraphs
from development.results import emit, machine, table, write_section


def splitters() -> dict[str, Callable[[str], list[str]]]:
    import pysbd
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    punkt = PunktSentenceTokenizer()
    sbd = pysbd.Segmenter(language="fr", clean=False)
    return {
        "bilingual (Punkt + French parameters)": split_sentences,
        "NLTK Punkt, untrained": punkt.tokenize,
        "pysbd (fr)": sbd.segment,
    }


def run(name: str, paragraphs: list[list[str]]) -> list[list[object]]:
    rows = []
    for label, split in splitters().items():
        split(paragraphs[0][0])  # warm-up: load parameters, compile regexes
        started = time.perf_counter()
        scores = boundary_scores(split, paragraphs)
        seconds = time.perf_counter() - started
        rate = scores.sentences / seconds
        emit({"bench": "split", "data": name, "splitter": label, "recall": round(scores.recall, 4),
              "precision_lower_bound": round(scores.precision, 4), "sentences_per_s": round(rate)})  # fmt: skip
        rows.append([label, f"{scores.recall:.4f}", f"{scores.precision:.4f}", f"{rate:,.0f}"])
    return rows


def main() -> None:
    ntrex = build_paragraphs(corpus("ntrex128.fra"), corpus("ntrex128.docids"))
    flores = build_paragraphs(corpus("flores200.devtest.fra"))
    header = ["splitter", "boundary recall", "precision (lower bound)", "sentences/s"]
    write_section(
        "split",
        f"""## Sentence splitting (`benchmarks/bench_split.py`)

Machine: {machine()}.
Paragraphs of 2–6 consecutive corpus lines; every line end is a gold boundary. Precision counts a
split inside a line as an error, so it is a lower bound (a line may hold two sentences).

NTREX-128 French, {len(ntrex)} paragraphs, {sum(len(p) - 1 for p in ntrex)} boundaries (development data):

{table(header, run("ntrex", ntrex))}

FLORES-200 devtest French, {len(flores)} paragraphs, {sum(len(p) - 1 for p in flores)} boundaries (held out, reported once):

{table(header, run("flores", flores))}
""",
    )


if __name__ == "__main__":
    main()
