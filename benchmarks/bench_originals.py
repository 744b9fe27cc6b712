"""Article alignment and document matching: French pages against the Vietnamese originals they
translate (issue #34), on bitexts built from NTREX documents (``development/originals.py``).

Reported: bilingual's :class:`ArticleAligner` without machine translation and with an oracle
translator (the reference Vietnamese, degraded by dropping and swapping words), and the peers
(``benchmarks/peers_article.py``: Gale-Church, Bleualign with the same oracle translations,
hunalign with a null dictionary and with one from the word table), link precision/recall per
convention and overall; the held-out conventions also with a model fitted without them
(``development.article_fit.fit_article_model``); document matching precision/recall; FLORES
(reported only); the time and peak memory (tracemalloc) of aligning one article pair of 250 to
2,000 sentences.

Every aligner gets the same sentences: the French page's content sentences (title, headings,
body and captions, French, as bilingual parses and splits the page; credit-only segments left
out) and the original's (as ``original_from_text`` parses it).  Until bilingual parses originals
(or with ``--sentences gold``) the lists are the builder's own cut (``Bitext.page_sentences``).
The word tables never saw the documents they score: five folds by document
(``cross_fitted_lexicons``, Tatoeba added), FLORES with the shipped table.

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
from development.article_eval import Link, link_scores, match_scores
from development.corpora import corpus, tatoeba
from development.measures import OracleTranslator, cross_fitted_lexicons
from development.originals import HELD_OUT, Bitext, build_bitexts, fitting, scraped
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
    from bilingual.original import original_from_text  # type: ignore[import-not-found,unused-ignore]

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


def bilingual_run(with_mt: bool, model: Any = None) -> Run:
    """bilingual's ArticleAligner on the parsed pair (``model``: a fitted model to use)."""
    from bilingual.align.article import ArticleAligner

    def run(bitext: Bitext, lexicon: Lexicon | None) -> list[Link]:
        page, original = parsed(bitext)
        if with_mt:
            french = [s for s in page.segments if s.translatable]
            for s, t in zip(french, oracle(bitext, [s.text for s in french]), strict=True):
                s.translations["vi"] = t
        kwargs: dict[str, Any] = {} if model is None else {"without_mt": model[0], "with_mt": model[1]}
        links = ArticleAligner(lexicon=lexicon, **kwargs).align(page, original)
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
            "bilingual, no MT": bilingual_run(False),
            "bilingual, oracle MT": bilingual_run(True),
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


def held_out_rows(groups: list[Group]) -> list[list[object]]:
    """Each held-out convention scored with models fitted on the pages of the other conventions
    (without MT, with oracle MT); empty when no fitting function exists yet."""
    try:
        from development.article_fit import fit_article_model  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        print("held out: not run (development/article_fit.py has no fit_article_model yet)")
        return []
    fitted = fit_article_model(fitting(b for s in range(3) for b in build_bitexts(
        corpus("ntrex128.fra"), corpus("ntrex128.vie"), corpus("ntrex128.docids"), seed=s)))  # fmt: skip
    rows: list[list[object]] = []
    for name in HELD_OUT:
        bitexts = [(lex, b) for lex, bs in groups for b in bs if b.convention == name]
        row: list[object] = [name, len(bitexts)]
        for with_mt in (False, True):
            run = bilingual_run(with_mt, fitted)
            s = link_scores([run(b, lex) for lex, b in bitexts], [b.gold_links for _, b in bitexts])
            row.append(f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}")
        rows.append(row)
    return rows


def matching(groups: list[Group]) -> str:
    """Document matching on each fold's scraped collection, with the fold's table, pooled."""
    try:
        from bilingual.align.documents import match_documents
        from bilingual.original import original_from_text
    except ImportError as e:
        return f"Document matching: not run ({e})."
    system: dict[str, str | None] = {}
    gold: dict[str, str | None] = {}
    for k, (lexicon, bitexts) in enumerate(groups):
        data = scraped(bitexts, seed=k)
        pages = [from_text(n, t) for n, t in data.pages]
        originals = [original_from_text(n, t) for n, t in data.originals]
        for m in match_documents(pages, originals, lexicon=lexicon):
            system[data.pages[m.page][0]] = (
                None if m.original is None else data.originals[m.original][0]
            )
        gold |= data.gold
    s = match_scores(system, gold)
    emit(
        {
            "bench": "originals-matching",
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
        }
    )
    return f"Document matching (pooled over folds): precision {s.precision:.3f}, recall {s.recall:.3f} ({s.correct} of {s.gold} gold matches, {s.predicted} predicted)."


def long_bitext(n: int) -> Bitext:
    """One faithful article of about ``n`` sentences: NTREX documents one after another."""
    fr, vi = corpus("ntrex128.fra"), corpus("ntrex128.vie")
    lines = [i for i in range(len(fr)) if fr[i].strip() and vi[i].strip()]
    take = [lines[k % len(lines)] for k in range(n)]
    picked_fr, picked_vi = [fr[i] for i in take], [vi[i] for i in take]
    return build_bitexts(picked_fr, picked_vi, ["long"] * n, convention="faithful")[0]


def sweep(align: Callable[[Bitext], object], sizes: Sequence[int] = SWEEP) -> list[list[object]]:
    """(sentences, seconds, peak MiB, seconds per 1,000 sentences) of ``align`` on one long
    article pair of each size: near-linear growth shows as a flat last column."""
    rows: list[list[object]] = []
    for n in sizes:
        bitext = long_bitext(n)
        tracemalloc.start()
        start = time.perf_counter()
        align(bitext)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append([len(bitext.page_sentences), f"{seconds:.2f}", f"{peak:.1f}",
                     f"{seconds / len(bitext.page_sentences) * 1000:.2f}"])  # fmt: skip
        emit({"bench": "originals-sweep", "sentences": n, "seconds": round(seconds, 3), "peak_mib": round(peak, 1)})  # fmt: skip
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
    return f"### {name} (sentences: {source})\n\n{table(header, rows)}{notes}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--held-out", action="store_true", help="FLORES and the sweep too; write RESULTS.md"
    )
    parser.add_argument("--sentences", choices=["bilingual", "gold"], default="bilingual")
    args = parser.parse_args()
    source = args.sentences
    if source == "bilingual":
        try:
            import bilingual.original  # noqa: F401
        except ImportError:
            print(
                "bilingual cannot parse originals yet: every aligner gets the builder's sentences"
            )
            source = "gold"
    ntrex = groups()
    sections = [report("NTREX-128", ntrex, source)]
    held = held_out_rows(ntrex)
    if held:
        sections.append("Held-out conventions, fitted without them (P / R / F1):\n\n" + table(
            ["convention", "pages", "no MT", "oracle MT"], held))  # fmt: skip
    sections.append(matching(ntrex))
    if args.held_out:
        fr, vi = corpus("flores200.devtest.fra"), corpus("flores200.devtest.vie")
        sections.append(
            report("FLORES-200 devtest", [(shipped_lexicon(), build_bitexts(fr, vi, None))], source)
        )
        sections.append("Time and peak memory of one article pair:\n\n" + table(
            ["sentences", "seconds", "peak MiB", "s / 1,000 sentences"], sweep(sweep_aligner())))  # fmt: skip
    text = "\n\n".join(sections)
    print(text)
    if args.held_out:
        write_section(
            "originals",
            f"## Article alignment and document matching (issue #34)\n\nMachine: {machine()}.\n\n{text}",
        )


if __name__ == "__main__":
    main()
