"""Train the word-translation table shipped in ``src/bilingual/data/lexicon_fr_vi.json``.

The aligner's strongest signal without machine translation is lexical: do the French words
explain the Vietnamese ones?  (Hunalign uses a dictionary for this; Moore's aligner an IBM Model 1
trained on the corpus itself, which a single article is too small for.)  We train NLTK's IBM
Model 1, P(Vietnamese syllable | French word), on development data only: Tatoeba fr-vi and half
of the NTREX documents (``bilingual.evaluation.lexicon_documents``); the other half is kept for
calibrating and measuring the aligner, and FLORES is never used.  A syllable keeps the French
words that explain it with probability ``MIN_P`` or more (at most ``TOP``), and its inverse
document frequency in the training text, so rare (content) syllables weigh more than function
ones.  ``MIN_P`` and the weighting were chosen by how well they separate captions' translations
from the sentences that follow untranslated captions, on the NTREX documents not trained on.

    python tools/train_lexicon.py
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

from nltk.translate import AlignedSent, IBMModel1

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import corpus  # noqa: E402
from bilingual.evaluation import lexicon_documents  # noqa: E402
from bilingual.signals import LEXICON_FILE, french_words, vietnamese_words  # noqa: E402

ITERATIONS = 5
MIN_P = 0.1
TOP = 12


def bitext() -> list[tuple[str, str]]:
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    train = lexicon_documents(ids)
    pairs = [(f, v) for f, v, d in zip(fr, vi, ids, strict=True) if d in train and f.strip()]
    tatoeba = zip(corpus("tatoeba.fra-vie.fra"), corpus("tatoeba.fra-vie.vie"), strict=True)
    return pairs + [(f, v) for f, v in tatoeba if f.strip() and v.strip()]


def main() -> None:
    pairs = bitext()
    # AlignedSent(words, mots): the model learns P(word | mot), here P(vi syllable | fr word).
    sentences = [AlignedSent(vietnamese_words(v), french_words(f)) for f, v in pairs]
    model = IBMModel1(sentences, ITERATIONS)
    documents = Counter(w for _, v in pairs for w in set(vietnamese_words(v)))
    table: dict[str, list[str]] = {}
    for syllable, sources in model.translation_table.items():
        best = sorted(((p, f) for f, p in sources.items() if f and p >= MIN_P), reverse=True)
        if syllable in documents:
            table[syllable] = [f for _, f in best[:TOP]]
    idf = {w: round(math.log(len(pairs) / documents[w]), 3) for w in table}
    LEXICON_FILE.write_text(
        json.dumps(
            {
                "about": f"French words w with P(vi syllable | w) >= {MIN_P} (NLTK IBM Model 1 on "
                "Tatoeba fr-vi and half of NTREX-128) and each syllable's idf: "
                "tools/train_lexicon.py",
                "sentence_pairs": len(pairs),
                "idf": dict(sorted(idf.items())),
                "table": dict(sorted(table.items())),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\n",
        "utf-8",
    )
    entries = sum(len(t) for t in table.values())
    print(f"{len(pairs)} pairs; {len(table)} syllables, {entries} entries -> {LEXICON_FILE}")


if __name__ == "__main__":
    main()
