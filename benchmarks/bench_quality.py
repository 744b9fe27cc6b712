"""Translation quality of the real opus-mt models: fp32 vs int8, greedy vs beam search.

BLEU and chrF (sacrebleu) on NTREX-128 fr->en and fr->vi (development data).  Needs the real
models, from the Hugging Face cache or as directories; skips cleanly when they are not available
(this machine cannot download them).

    python -m benchmarks.bench_quality [--en DIR] [--vi DIR] [--lines N]
"""

from __future__ import annotations

import argparse
import sys
import time

from bilingual.errors import ModelError
from bilingual.translate import DEFAULT_MODELS
from development.corpora import corpus
from development.results import emit, machine, table, write_section

SETTINGS = [("fp32", 1), ("int8", 1), ("fp32", 4), ("int8", 4)]
REFERENCES = {"en": "ntrex128.eng", "vi": "ntrex128.vie"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--en", default=DEFAULT_MODELS["en"])
    parser.add_argument("--vi", default=DEFAULT_MODELS["vi"])
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args()
    import sacrebleu

    from bilingual import Translator

    source = corpus("ntrex128.fra")[: args.lines]
    rows = []
    for lang, model in (("en", args.en), ("vi", args.vi)):
        references = corpus(REFERENCES[lang])[: args.lines]
        for precision, beams in SETTINGS:
            try:
                translator = Translator(model, device="cpu", precision=precision)
            except ModelError as e:
                print(f"skipped: {e}", file=sys.stderr)
                return
            started = time.perf_counter()
            hypotheses = translator.translate(source, num_beams=beams)
            seconds = time.perf_counter() - started
            bleu = sacrebleu.corpus_bleu(hypotheses, [references]).score
            chrf = sacrebleu.corpus_chrf(hypotheses, [references]).score
            emit({"bench": "quality", "pair": f"fr-{lang}", "precision": precision, "beams": beams,
                  "bleu": round(bleu, 2), "chrf": round(chrf, 2), "sentences_per_s": round(len(source) / seconds, 2)})  # fmt: skip
            rows.append(
                [
                    f"fr-{lang}",
                    precision,
                    beams,
                    f"{bleu:.2f}",
                    f"{chrf:.2f}",
                    f"{len(source) / seconds:.1f}",
                ]
            )
    write_section(
        "quality",
        f"""## Translation quality (`benchmarks/bench_quality.py`)

Machine: {machine()}. NTREX-128, first {len(source)} lines, real opus-mt models.

{table(["pair", "precision", "beams", "BLEU", "chrF", "sentences/s"], rows)}
""",
    )


if __name__ == "__main__":
    main()
