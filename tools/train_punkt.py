"""Train the Punkt parameters shipped in ``src/bilingual/data/punkt_{fr,vi}.json``.

Punkt learns abbreviations, collocations, frequent sentence starters and which words appear
capitalised mid-sentence from unlabelled text.  We train on development data only (French: the
French sides of Tatoeba and NTREX, and the seeds; Vietnamese: the Vietnamese sides of Tatoeba and
NTREX; never FLORES, which is held out) and take the abbreviations from a curated list, which a
small corpus cannot be trusted to find.

Run from the repository root:

    python -m tools.train_punkt [--lang fr|vi] [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

from nltk.tokenize.punkt import _ORTHO_MID_UC, PunktParameters, PunktTrainer

from bilingual.split import LANGUAGES, NewsLanguageVars, parameters_file

ROOT = Path(__file__).resolve().parents[1]

# Abbreviations written with a final period in French news text, lower-cased, without the period.
# Single letters are initials to Punkt, which breaks after them before a capitalised common word;
# "M." (Monsieur) and "p." (page) never end a sentence, so they are listed.
CURATED_ABBREVIATIONS = [
    "m",
    "p",
    "mm",
    "mme",
    "mmes",
    "mlle",
    "mlles",
    "dr",
    "pr",
    "me",
    "mgr",
    "st",
    "ste",
    "sts",
    "stes",
    "prof",
    "art",
    "chap",
    "cf",
    "ex",
    "etc",
    "vol",
    "pp",
    "env",
    "fig",
    "éd",
    "av",
    "apr",
    "hab",
    "tél",
    "bd",
    "boul",
    "janv",
    "févr",
    "fév",
    "avr",
    "juil",
    "sept",
    "oct",
    "nov",
    "déc",
    "gén",
    "col",
    "cdt",
    "lt",
    "sgt",
    "adj",
    "cne",
    "réf",
    "coll",
    "max",
    "min",
    "approx",
    "cie",
    "éts",
    "ets",
    "inc",
    "ltd",
    "jr",
    "sr",
    "vs",
    "resp",
    "ibid",
    "op",
    "cit",
    "ms",
    "mss",
    "dir",
    "dép",
    "c.-à-d",
    "c.-à.-d",
    "c-à-d",
    "n.b",
    "ps",
    "p.-s",
    "mr",
    "mrs",
]


# Words that start French sentences often enough that, capitalised after an abbreviation or an
# ellipsis ("etc. Puis", "… Il"), they mark a new sentence.
CURATED_SENTENCE_STARTERS = [
    "il",
    "elle",
    "ils",
    "elles",
    "on",
    "je",
    "nous",
    "vous",
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "ce",
    "cette",
    "ces",
    "cela",
    "ceci",
    "c",
    "puis",
    "mais",
    "et",
    "donc",
    "ensuite",
    "enfin",
    "cependant",
    "pourtant",
    "toutefois",
    "alors",
    "ainsi",
    "selon",
    "en",
    "dans",
    "pour",
    "par",
    "sur",
    "après",
    "avant",
    "depuis",
    "lors",
    "au",
    "aux",
    "du",
    "de",
    "si",
    "quand",
    # elided words ("L'accord", "Qu'on", "D'autres"), which Punkt reads as "L", "Qu", "D"
    "l",
    "d",
    "j",
    "n",
    "s",
    "qu",
    "lorsqu",
    "puisqu",
    "jusqu",
]

# Vietnamese abbreviations written with a final period.  A title always precedes a name, so no
# sentence ends after it; after the others ("v.v", "vân vân": etc.) Punkt's orthographic
# heuristic decides.  Single letters stay initials ("Nguyễn Văn A."), except the titles here.
VIETNAMESE_TITLES = [
    "tp", "tx", "tt", "q", "p",  # thành phố, thị xã, thị trấn (or Tổng thống), quận, phường
    # tiến sĩ (khoa học), thạc sĩ, (phó) giáo sư, bác sĩ, dược sĩ, kỹ sư, luật sư, nghiên cứu sinh,
    # chuyên khoa (II)
    "ts", "tskh", "ths", "gs", "pgs", "bs", "ds", "ks", "ls", "ncs", "ck", "ckii",
    "st", "mr", "mrs", "ms", "dr",  # foreign titles in translated news
]  # fmt: skip
VIETNAMESE_ABBREVIATIONS = [
    *VIETNAMESE_TITLES,
    "v.v", "tr", "vd", "cn", "etc", "vs", "inc", "ltd", "jr", "sr", "corp",
]  # fmt: skip

# Words that start Vietnamese sentences often enough that, capitalised after "v.v." or an
# ellipsis, they mark a new sentence.  Syllables that are often part of names ("Đồng Nai", "Hà")
# are not listed, and learnt ones are dropped the same way (see ``sentence_starters``).
VIETNAMESE_SENTENCE_STARTERS = [
    "tôi", "chúng", "họ", "ông", "bà", "anh", "chị", "em", "cô", "đây", "đó", "điều", "việc",
    "các", "những", "một", "nhưng", "và", "tuy", "theo", "trong", "khi", "sau", "trước", "tại",
    "với", "vì", "do", "nếu", "hiện", "ngoài", "bên", "cũng", "còn", "này",
]  # fmt: skip


@dataclass(frozen=True)
class Language:
    """What training needs to know about one language."""

    corpora: tuple[str, ...]  # development files, never FLORES
    abbreviations: list[str]
    sentence_starters: list[str]
    titles: list[str] = field(default_factory=list)
    seeds: bool = False  # the seed pages are French pages


LANGUAGE = {
    "fr": Language(
        ("tatoeba.fra-vie.fra", "ntrex128.fra"),
        CURATED_ABBREVIATIONS,
        CURATED_SENTENCE_STARTERS,
        seeds=True,
    ),
    "vi": Language(
        ("tatoeba.fra-vie.vie", "ntrex128.vie"),
        VIETNAMESE_ABBREVIATIONS,
        VIETNAMESE_SENTENCE_STARTERS,
        VIETNAMESE_TITLES,
    ),
}


def training_text(corpora: Path, language: Language) -> str:
    parts = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    parts = parts if language.seeds else []
    for name in language.corpora:
        if (corpora / name).exists():
            parts.append((corpora / name).read_text("utf-8"))
    return "\n\n".join(parts)


def sentence_starters(params: PunktParameters, language: Language) -> list[str]:
    """Learnt and curated sentence starters.  For Vietnamese, a learnt starter seen capitalised
    inside sentences is a syllable of names too ("Đồng thời" and "Đồng Nai"): after a title
    ("TP. Đồng Hới") it must not start a sentence, so it is dropped."""
    learnt = set(params.sent_starters)
    if language.titles:
        learnt = {w for w in learnt if not params.ortho_context[w] & _ORTHO_MID_UC}
    return sorted(learnt | set(language.sentence_starters))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGUAGES, default="fr")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    language = LANGUAGE[args.lang]
    trainer = PunktTrainer(lang_vars=NewsLanguageVars())
    trainer.INCLUDE_ALL_COLLOCS = False
    trainer.train(training_text(args.corpora, language), finalize=True)
    params = trainer.get_params()
    # Learnt abbreviations are not kept: on short sentences Punkt takes rare sentence-final words
    # ("lac.", "or.") for abbreviations.  The curated list is the whole list.
    abbrevs = set(language.abbreviations)
    starters = sentence_starters(params, language)
    data = {
        "source": f"NLTK PunktTrainer on {', '.join(language.corpora)}"
        + (" and the seeds" if language.seeds else "")
        + " + curated lists",
        "abbrev_types": sorted(abbrevs),
        "collocations": sorted([list(pair) for pair in params.collocations]),
        "sent_starters": starters,
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }
    if language.titles:
        data["titles"] = sorted(language.titles)
    out = ROOT / "src" / "bilingual" / "data" / parameters_file(args.lang)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"wrote {out}: {len(abbrevs)} abbreviations, {len(starters)} sentence starters")


if __name__ == "__main__":
    main()
