"""Article alignment and document matching: French pages against the Vietnamese originals they
translate (issue #34), on bitexts built from NTREX documents (``development/originals.py``).

Reported: bilingual's :class:`ArticleAligner` without machine translation and with an oracle
translator (the reference Vietnamese, degraded by dropping and swapping words), and the peers
(``benchmarks/peers_article.py``: Gale-Church, Bleualign with the same oracle translations,
hunalign with a null dictionary and with one from the word table), link precision/recall/F1 per
convention and overall; document matching precision/recall, without and with the oracle
translator; FLORES (reported only); the time and peak memory (tracemalloc) of aligning one
article pair of 250 to 2,000 sentences.

Every convention is held out: bilingual's link and matching models are fitted by
``tools/fit_article.py`` on NTREX documents perturbed by another program
(``development/article_fit.py``: no page, no chrome, none of this builder's conventions), so
nothing measured here was fitted on these pages.  The documents are the same NTREX documents, and
the word tables never saw the documents they score: five folds by document
(``cross_fitted_lexicons``, Tatoeba added); FLORES with the shipped table.

Two inputs, each aligner given the same sentences:

* ``gold``: the builder's own units (``Bitext.page_sentences``, ``original_sentences``), one
  stream a side: the aligners alone.
* ``bilingual``: the pages and originals as bilingual parses and splits them (the French page's
  content sentences, credit-only segments left out, and the original's): the whole path.  Where
  a corpus line holds two sentences (about 3% of NTREX lines), its gold link joins them, and two
  right 1-1 links of its sentences count as wrong: the strict measure's price of a finer split.

    python -m benchmarks.bench_originals              # NTREX, printed
    python -m benchmarks.bench_originals --held-out   # and FLORES, the sweep, into RESULTS.md
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.peers_article import PeerMissing, bleualign, gale_church, hunalign
from bilingual.align.lexicon import Lexicon, shipped_lexicon
from bilingual.document import CONTENT_ROLES, Document, Segment
from bilingual.patterns import CREDIT_LINE
from bilingual.pipeline import from_text
from development.article_eval import Link, grain_scores, link_scores, match_scores
from development.corpora import corpus, documents, tatoeba
from development.measures import OracleTranslator, cross_fitted_lexicons
from development.originals import HELD_OUT, Bitext, build_bitexts, scraped
from development.pages import Article
from development.results import emit, machine, table, write_section

SEEDS = range(100, 103)
SWEEP = (250, 500, 1000, 2000)
Group = tuple[Lexicon | None, list[Bitext]]  # bitexts and the table to align them with
Run = Callable[[Bitext, Lexicon | None], list[Link]]


def groups(seeds: Sequence[int] = SEEDS) -> list[Group]:
    """NTREX bitexts of every seed, by fold, each fold with the table trained without it."""
    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    out: list[Group] = []
    for fold, lexicon in cross_fitted_lexicons(fr, vi, ids, extra=tatoeba()):
        out.append((lexicon, [b for s in seeds for b in build_bitexts(fr, vi, ids, seed=s)
                              if b.document in fold]))  # fmt: skip
    return out


def parsed(bitext: Bitext) -> tuple[Document, Document]:
    """The page and the original as bilingual reads them."""
    from bilingual.pairing import original_from_text

    return from_text(bitext.page_name, bitext.page), original_from_text(
        bitext.original_name, bitext.original
    )


def sentences(bitext: Bitext, source: str) -> tuple[list[str], list[str]]:
    """The two sentence lists every aligner gets (``source``: ``bilingual`` or ``gold``)."""
    if source == "gold":
        return bitext.page_sentences, bitext.original_sentences
    page, original = parsed(bitext)
    return [s.text for s in _content(page, "fr")], [s.text for s in _content(original, "vi")]


def _content(document: Document, lang: str) -> list[Segment]:
    return [s for s in document.segments if s.role in CONTENT_ROLES and s.lang == lang
            and not CREDIT_LINE.match(s.text)]  # fmt: skip


def oracle(bitext: Bitext, texts: list[str], seed: int = 0) -> list[str]:
    """The French texts 'translated' by the degraded reference, as the caption benchmark does."""
    return OracleTranslator(Article(translations=bitext.translations), seed=seed).translate(texts)


def bilingual_run(with_mt: bool, source: str = "bilingual", model: Any = None) -> Run:
    """bilingual's ArticleAligner: on the parsed pair (``source`` ``bilingual``: the whole path,
    its parser and splitter included), or on the same sentence lists as the peers (``gold``:
    the builder's units, one stream, as the peers get them)."""
    from bilingual.align.article import ArticleAligner

    def run(bitext: Bitext, lexicon: Lexicon | None) -> list[Link]:
        kwargs: dict[str, Any] = (
            {} if model is None else {"without_mt": model[0], "with_mt": model[1]}
        )
        aligner = ArticleAligner(lexicon=lexicon, **kwargs)
        if source == "gold":
            fr_texts, vi_texts = sentences(bitext, source)
            fr = [Segment(i, "body", t, "fr") for i, t in enumerate(fr_texts)]
            vi = [Segment(j, "body", t, "vi") for j, t in enumerate(vi_texts)]
            if with_mt:
                for s, t in zip(fr, oracle(bitext, fr_texts), strict=True):
                    s.translations["vi"] = t
            return [(" ".join(fr_texts[i] for i in a.fr), " ".join(vi_texts[j] for j in a.vi))
                    for a in aligner.align_streams(fr, vi) if a.fr and a.vi]  # fmt: skip
        page, original = parsed(bitext)
        if with_mt:
            french = [s for s in page.segments if s.translatable]
            for s, t in zip(french, oracle(bitext, [s.text for s in french]), strict=True):
                s.translations["vi"] = t
        links = aligner.align(page, original)
        return [(" ".join(page.segments[i].text for i in a.fr),
                 " ".join(original.segments[j].text for j in a.vi))
                for a in links if a.fr and a.vi]  # fmt: skip

    return run


def peer_runs(source: str) -> dict[str, Run]:
    def on(align: Callable[[list[str], list[str], Bitext, Lexicon | None], list[Link]]) -> Run:
        return lambda b, lex: align(*sentences(b, source), b, lex)

    return {
        "Gale-Church": on(lambda f, v, b, lex: gale_church(f, v)),
        "Bleualign, oracle MT": on(lambda f, v, b, lex: bleualign(f, v, oracle(b, f))),
        "hunalign, null dictionary": on(lambda f, v, b, lex: hunalign(f, v)),
        "hunalign, word table": on(lambda f, v, b, lex: hunalign(f, v, lex)),
    }


def runs(source: str) -> tuple[dict[str, Run], list[str]]:
    """Every system that can run here, and a line for each that cannot."""
    out, skipped = {}, []
    try:
        out = {
            "bilingual, no MT": bilingual_run(False, source),
            "bilingual, oracle MT": bilingual_run(True, source),
        }
    except ImportError as e:
        skipped.append(f"bilingual: {e}")
    return out | peer_runs(source), skipped


def align_all(groups: list[Group], systems: dict[str, Run]) -> dict[str, list[list[Link]]]:
    found: dict[str, list[list[Link]]] = {}
    for name, run in systems.items():
        try:
            found[name] = [run(b, lex) for lex, bitexts in groups for b in bitexts]
        except PeerMissing as e:
            print(f"{name}: not run ({e})")
    return found


def per_convention(bitexts: list[Bitext], found: dict[str, list[list[Link]]]) -> list[list[object]]:
    """Rows (convention, pages, gold links, then precision/recall/F1 of each system)."""
    names = sorted({b.convention for b in bitexts}, key=lambda n: (n in HELD_OUT, n))
    rows: list[list[object]] = []
    for name in [*names, "all"]:
        keep = [k for k, b in enumerate(bitexts) if name in ("all", b.convention)]
        label = f"{name} (held out)" if name in HELD_OUT else name
        row: list[object] = [label, len(keep), sum(len(bitexts[k].gold_links) for k in keep)]
        for links in found.values():
            s = link_scores([links[k] for k in keep], [bitexts[k].gold_links for k in keep])
            row.append(f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}")
        rows.append(row)
    return rows


def collections(bitexts: list[Bitext]) -> list[list[Bitext]]:
    """The bitexts cut into collections in which each document appears once: a site publishes
    an article once (the seeds each build every document again, another page of the same text,
    which no matcher could tell from the first by content)."""
    seen: dict[str, int] = {}
    out: list[list[Bitext]] = []
    for b in bitexts:
        k = seen.get(b.document, 0)
        seen[b.document] = k + 1
        while len(out) <= k:
            out.append([])
        out[k].append(b)
    return out


def matching(groups: list[Group]) -> str:
    """Document matching on each fold's scraped collections (one per seed), with the fold's
    table, pooled; without machine translation and with the oracle translator."""
    try:
        from bilingual.align.documents import match_documents
        from bilingual.pairing import original_from_text
    except ImportError as e:
        return f"Document matching: not run ({e})."
    lines = []
    for with_mt in (False, True):
        system: dict[str, str | None] = {}
        gold: dict[str, str | None] = {}
        for k, (lexicon, bitexts) in enumerate(groups):
            for c, collection in enumerate(collections(bitexts)):
                data = scraped(collection, seed=100 * k + c)
                by_name = {b.page_name: b for b in collection}
                pages = [from_text(n, t) for n, t in data.pages]
                if with_mt:
                    for (name, _), page in zip(data.pages, pages, strict=True):
                        bitext = by_name[name.removesuffix("_copy")]
                        french = [s for s in page.segments if s.translatable]
                        for s, t in zip(
                            french, oracle(bitext, [s.text for s in french]), strict=True
                        ):
                            s.translations["vi"] = t
                originals = [original_from_text(n, t) for n, t in data.originals]
                for m in match_documents(pages, originals, lexicon=lexicon):
                    system[f"{c}/{data.pages[m.page][0]}"] = (
                        None if m.original is None else data.originals[m.original][0]
                    )
                gold |= {f"{c}/{n}": o for n, o in data.gold.items()}
        s = match_scores(system, gold)
        label = "oracle MT" if with_mt else "no MT"
        emit({"bench": "originals-matching", "mt": label, "precision": round(s.precision, 4),
              "recall": round(s.recall, 4)})  # fmt: skip
        lines.append(
            f"{label}: precision {s.precision:.3f}, recall {s.recall:.3f} ({s.correct} of "
            f"{s.gold} gold matches, {s.predicted} predicted)"
        )
    return "Document matching (each fold's collections, pooled): " + "; ".join(lines) + "."


def long_bitext(n: int) -> Bitext:
    """One faithful article of about ``n`` sentences: NTREX documents one after another."""
    fr, vi = corpus("ntrex128.fra"), corpus("ntrex128.vie")
    lines = [i for i in range(len(fr)) if fr[i].strip() and vi[i].strip()]
    take = [lines[k % len(lines)] for k in range(n)]
    picked_fr, picked_vi = [fr[i] for i in take], [vi[i] for i in take]
    return build_bitexts(picked_fr, picked_vi, ["long"] * n, convention="faithful")[0]


def sweep(align: Callable[[Bitext], object], sizes: Sequence[int] = SWEEP) -> list[list[object]]:
    """(sentences, seconds, peak MiB, seconds per 1,000 sentences) of ``align`` (parsing both
    texts included) on one long article pair of each size: timed on its own, then run again
    under tracemalloc for the peak (which slows Python several times over); near-linear growth
    shows as a flat last column."""
    rows: list[list[object]] = []
    for n in sizes:
        bitext = long_bitext(n)
        start = time.perf_counter()
        align(bitext)
        seconds = time.perf_counter() - start
        tracemalloc.start()
        align(bitext)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append([len(bitext.page_sentences), f"{seconds:.2f}", f"{peak:.1f}",
                     f"{seconds / len(bitext.page_sentences) * 1000:.2f}"])  # fmt: skip
        emit({"bench": "originals-sweep", "sentences": n, "seconds": round(seconds, 3), "peak_mib": round(peak, 1)})  # fmt: skip
    return rows


def matching_scale(sizes: Sequence[int] = (500, 1000, 2000, 4000)) -> list[list[object]]:
    """(pages and originals, seconds, ms a page, matched right) of document matching at growing
    sizes: the NTREX documents over and over, each copy carrying a name of its own on both
    sides (the hardest index for its size: every other word's postings are as long as they get),
    the shipped table, no MT.  Constant milliseconds a page show that the index, not a
    comparison of every page with every original, does the work."""
    from bilingual.align.documents import match_documents

    fr, vi, ids = corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids")
    lines = list(documents(fr, vi, ids).values())
    rows: list[list[object]] = []
    for n in sizes:
        pages, originals = [], []
        for c in range(n):
            tag = f"Zq{c:05d}"
            doc = lines[c % len(lines)]
            pages.append(
                Document(
                    f"p{c}", [Segment(i, "body", f"{fr[k]} {tag}", "fr") for i, k in enumerate(doc)]
                )
            )
            originals.append(
                Document(
                    f"o{c}", [Segment(i, "body", f"{vi[k]} {tag}", "vi") for i, k in enumerate(doc)]
                )
            )
        originals.reverse()
        start = time.perf_counter()
        matches = match_documents(pages, originals, lexicon=shipped_lexicon())
        seconds = time.perf_counter() - start
        right = sum(
            1
            for m in matches
            if m.original is not None and originals[m.original].path[1:] == pages[m.page].path[1:]
        )
        rows.append([n, f"{seconds:.1f}", f"{seconds / n * 1000:.2f}", right])
        emit(
            {
                "bench": "originals-matching-scale",
                "n": n,
                "seconds": round(seconds, 2),
                "right": right,
            }
        )
    return rows


def sweep_aligner() -> Callable[[Bitext], object]:
    """bilingual's aligner with the shipped table on a parsed pair (parsing timed too), or
    Gale-Church on the builder's sentences when bilingual has none yet."""
    try:
        run = bilingual_run(False)
    except ImportError:
        return lambda b: gale_church(b.page_sentences, b.original_sentences)
    lexicon = shipped_lexicon()
    return lambda b: run(b, lexicon)


def report(name: str, groups: list[Group], source: str) -> str:
    systems, skipped = runs(source)
    found = align_all(groups, systems)
    bitexts = [b for _, bs in groups for b in bs]
    rows = per_convention(bitexts, found)
    for label, links in found.items():
        s = link_scores(links, [b.gold_links for b in bitexts])
        emit({"bench": "originals", "data": name, "system": label, "precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)})  # fmt: skip
    header = ["convention", "pages", "gold links", *(f"{n} P / R / F1" for n in found)]
    notes = "".join(f"\n\nNot run: {line}." for line in skipped)
    if source == "bilingual":  # where the finer split of bilingual's sentences costs
        grain = []
        for label, links in found.items():
            g = grain_scores(links, [b.gold_links for b in bitexts])
            grain.append(f"{label} {g.precision:.3f} / {g.recall:.3f} / {g.f1:.3f}")
        notes += (
            "\n\nAt the gold's grain (a link right when it lies inside one gold link, a gold "
            "link found when the links inside it tile it; `article_eval.grain_scores`), all "
            "conventions: " + "; ".join(grain) + "."
        )
    return f"### {name} (sentences: {source})\n\n{table(header, rows)}{notes}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--held-out", action="store_true", help="FLORES and the sweep too; write RESULTS.md"
    )
    args = parser.parse_args()
    ntrex = groups()
    sections = [report("NTREX-128", ntrex, source) for source in ("gold", "bilingual")]
    sections.append(matching(ntrex))
    if args.held_out:
        fr, vi = corpus("flores200.devtest.fra"), corpus("flores200.devtest.vie")
        flores = [(shipped_lexicon(), build_bitexts(fr, vi, None))]
        sections += [
            report("FLORES-200 devtest", flores, source) for source in ("gold", "bilingual")
        ]
        sections.append("Time and peak memory of one article pair:\n\n" + table(
            ["sentences", "seconds", "peak MiB", "s / 1,000 sentences"], sweep(sweep_aligner())))  # fmt: skip
        sections.append("Document matching at growing sizes (each page against every original):\n\n" + table(
            ["pages and originals", "seconds", "ms a page", "matched right"], matching_scale()))  # fmt: skip
    text = "\n\n".join(sections)
    print(text)
    if args.held_out:
        write_section(
            "originals",
            f"## Article alignment and document matching (issue #34)\n\nMachine: {machine()}.\n\n{text}",
        )


if __name__ == "__main__":
    main()
