"""Other sentence aligners on an article pair, each returning links as (French, Vietnamese) texts.

Every peer gets the same two sentence lists, the French page's content sentences and the
original's, in reading order (:mod:`benchmarks.bench_originals` makes them), so what is compared
is the aligners.  A peer's output (pairs of sentence indices, or a ladder) becomes links by
grouping: the French and Vietnamese sentences of one bead, joined by a space, are one link; a
bead with an empty side (1-0, 0-1) is no link.

- :func:`gale_church`: NLTK's Gale-Church on character lengths.
- :func:`bleualign`: Bleualign (Sennrich and Volk), BLEU between the machine translation of
  the French and the Vietnamese, Gale-Church in the gaps; its source is not on PyPI in a form
  that installs here, so it is imported from a checkout (``BLEUALIGN`` or
  ``/tmp/bench34/bleualign``).
- :func:`hunalign`: hunalign (Varga et al.), its C++ binary (``HUNALIGN`` or
  ``/tmp/bench34/hunalign/src/hunalign/hunalign``), with a null dictionary or one made from a
  word table (French stems and Vietnamese syllables, as :mod:`bilingual.align.lexicon` cuts
  them).

A peer whose program is absent raises :class:`PeerMissing`; the benchmark reports it as not run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path

from bilingual.align.lexicon import Lexicon, french_words, stem, vietnamese_words

__all__ = ["PeerMissing", "beads_to_links", "bleualign", "gale_church", "hunalign"]

Link = tuple[str, str]
BLEUALIGN = Path(os.environ.get("BLEUALIGN", "/tmp/bench34/bleualign"))
HUNALIGN = Path(os.environ.get("HUNALIGN", "/tmp/bench34/hunalign/src/hunalign/hunalign"))


class PeerMissing(RuntimeError):
    """A peer's program or source is not on this machine."""


def beads_to_links(
    fr: Sequence[str], vi: Sequence[str], beads: Iterable[tuple[Sequence[int], Sequence[int]]]
) -> list[Link]:
    """Links from beads (French indices, Vietnamese indices); beads with an empty side dropped."""
    return [
        (" ".join(fr[i] for i in sorted(f)), " ".join(vi[j] for j in sorted(v)))
        for f, v in beads
        if f and v
    ]


def _components(pairs: Iterable[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Index pairs grouped into n-m beads: the connected groups of the pairs."""
    beads: list[tuple[set[int], set[int]]] = []
    for i, j in sorted(pairs):
        touching = [b for b in beads if i in b[0] or j in b[1]]
        merged: tuple[set[int], set[int]] = ({i}, {j})
        for b in touching:
            merged[0].update(b[0])
            merged[1].update(b[1])
            beads.remove(b)
        beads.append(merged)
    return [(sorted(f), sorted(v)) for f, v in beads]


def gale_church(fr: Sequence[str], vi: Sequence[str]) -> list[Link]:
    """NLTK's Gale-Church (default parameters) on the sentences' character lengths."""
    from nltk.translate.gale_church import align_blocks

    if not fr or not vi:
        return []
    pairs = align_blocks([len(s) for s in fr], [len(s) for s in vi])
    return beads_to_links(fr, vi, _components(pairs))


def bleualign(fr: Sequence[str], vi: Sequence[str], fr_to_vi: Sequence[str]) -> list[Link]:
    """Bleualign with ``fr_to_vi`` (the French sentences machine-translated) as its
    ``srctotarget``, and its default options (2-grams, 1-to-2 beads, Gale-Church gap filling)."""
    if not (BLEUALIGN / "bleualign" / "align.py").exists():
        raise PeerMissing(f"Bleualign's source is not in {BLEUALIGN}")
    if str(BLEUALIGN) not in sys.path:
        sys.path.insert(0, str(BLEUALIGN))
    from bleualign.align import Aligner  # type: ignore[import-not-found]

    if not fr or not vi:
        return []
    src, tgt, trans = list(fr), list(vi), list(fr_to_vi)
    options = {"srcfile": src, "targetfile": tgt, "srctotarget": [trans], "verbosity": 0}
    with open(os.devnull, "w") as quiet:
        aligner = Aligner({**options, "log_to": quiet})
        beads = aligner.process(src, tgt, [trans], [])
    return beads_to_links(fr, vi, [(f, v) for (f, v), _ in beads])


def hunalign(
    fr: Sequence[str], vi: Sequence[str], lexicon: Lexicon | None = None, realign: bool = False
) -> list[Link]:
    """hunalign on French stems and Vietnamese syllables, with a dictionary from ``lexicon``
    (``None``: the null dictionary, lengths and identical tokens only); ``realign`` lets it
    build a dictionary of its own from a first pass."""
    if not HUNALIGN.exists():
        raise PeerMissing(f"hunalign is not built at {HUNALIGN}")
    if not fr or not vi:
        return []
    with tempfile.TemporaryDirectory(prefix="hunalign") as tmp:
        folder = Path(tmp)
        (folder / "fr").write_text("".join(_french_tokens(s) + "\n" for s in fr), "utf-8")
        (folder / "vi").write_text("".join(_vietnamese_tokens(s) + "\n" for s in vi), "utf-8")
        (folder / "dic").write_text(_dictionary(lexicon), "utf-8")
        flags = ["-utf"] + (["-realign"] if realign else [])
        done = subprocess.run(
            [str(HUNALIGN), *flags, str(folder / "dic"), str(folder / "fr"), str(folder / "vi")],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    rungs = [tuple(map(int, line.split()[:2])) for line in done.stdout.splitlines() if line]
    beads = [(range(a[0], b[0]), range(a[1], b[1])) for a, b in pairwise(rungs)]
    return beads_to_links(fr, vi, beads)


def _french_tokens(sentence: str) -> str:
    return " ".join(stem(w) for w in french_words(sentence)) or "."


def _vietnamese_tokens(sentence: str) -> str:
    return " ".join(vietnamese_words(sentence)) or "."


def _dictionary(lexicon: Lexicon | None) -> str:
    """hunalign's dictionary: one ``target @ source`` line per entry (Vietnamese syllable @
    French stem), from the word table's likeliest stems of each syllable."""
    if lexicon is None:
        return ""
    return "".join(
        f"{syllable} @ {stem(word)}\n"
        for syllable, words in sorted(lexicon.table.items())
        for word in sorted(words)
        if syllable.isalpha()
    )
