"""Train the word-translation table shipped in ``src/bilingual/data/lexicon_fr_vi.json``.

The aligner's strongest signal without machine translation is lexical: do the French words
explain the Vietnamese ones, and the other way round?  (Hunalign uses a dictionary for this;
Moore's aligner an IBM Model 1 trained on the corpus itself, which a single article is too small
for.)  The table is NLTK's IBM Model 1 both ways, P(Vietnamese syllable | French stem) and
P(French stem | Vietnamese syllable), trained on the development data: Tatoeba fr-vi and
NTREX-128; FLORES is never used.  A syllable keeps the French stems that explain it with
probability 0.1 or more (the table), every probability of 0.003 or more (for the likelihood
ratio), its frequency and its inverse document frequency, so content syllables weigh more than
function ones (``bilingual.align.lexicon.Lexicon.train``).  The cut and the weighting were chosen
by how well they separate captions' translations from the lines that follow untranslated
captions, with tables trained on part of NTREX scored on the rest.

Calibration (``tools/fit_align.py``) and ``benchmarks/bench_align.py`` never score a document
with this table: they train one per fold on the other documents
(``development.measures.cross_fitted_lexicons``) and pass it to ``Aligner(lexicon=...)``.
Run from the repository root:

    python -m tools.train_lexicon
"""

from __future__ import annotations

from bilingual.align.lexicon import LEXICON_FILE, Lexicon
from development.corpora import corpus, tatoeba


def bitext() -> list[tuple[str, str]]:
    """(French, Vietnamese) pairs of NTREX-128 and Tatoeba."""
    ntrex = zip(corpus("ntrex128.fra"), corpus("ntrex128.vie"), strict=True)
    return [(f, v) for f, v in [*ntrex, *tatoeba()] if f.strip() and v.strip()]


def main() -> None:
    pairs = bitext()
    lexicon = Lexicon.train(pairs)
    about = (
        f"French stems w with P(vi syllable | w) >= 0.1 (table) and >= 0.003 (probabilities); "
        "french: P(French stem | vi syllable) >= 0.003; NLTK IBM Model 1 both ways on "
        f"{len(pairs)} sentence pairs of NTREX-128 and Tatoeba fr-vi; each word's frequency and "
        "idf: tools/train_lexicon.py"
    )
    lexicon.save(LEXICON_FILE, about)
    entries = sum(len(t) for t in lexicon.table.values())
    print(f"{len(pairs)} pairs; {len(lexicon.idf)} syllables, {entries} entries -> {LEXICON_FILE}")


if __name__ == "__main__":
    main()
