"""Train the French Punkt parameters shipped in ``src/bilingual/data/punkt_fr.json``.

Punkt learns abbreviations, collocations, frequent sentence starters and which words appear
capitalised mid-sentence from unlabelled text.  We train on development data only (the French
sides of Tatoeba and NTREX, and the seeds; never FLORES, which is held out) and take the
abbreviations from a curated list, which a small corpus cannot be trusted to find.

Run from the repository root:

    python -m tools.train_punkt [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from nltk.tokenize.punkt import PunktTrainer

from bilingual.split import PARAMETERS_FILE, FrenchLanguageVars

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
]


def training_text(corpora: Path) -> str:
    parts = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for name in ("tatoeba.fra-vie.fra", "ntrex128.fra"):
        if (corpora / name).exists():
            parts.append((corpora / name).read_text("utf-8"))
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    trainer = PunktTrainer(lang_vars=FrenchLanguageVars())
    trainer.INCLUDE_ALL_COLLOCS = False
    trainer.train(training_text(args.corpora), finalize=True)
    params = trainer.get_params()
    # Learnt abbreviations are not kept: on short sentences Punkt takes rare sentence-final words
    # ("lac.", "or.") for abbreviations.  The curated list is the whole list.
    abbrevs = set(CURATED_ABBREVIATIONS)
    data = {
        "source": "NLTK PunktTrainer on the seeds, Tatoeba fr and NTREX fr + curated lists",
        "abbrev_types": sorted(abbrevs),
        "collocations": sorted([list(pair) for pair in params.collocations]),
        "sent_starters": sorted(set(params.sent_starters) | set(CURATED_SENTENCE_STARTERS)),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }
    out = ROOT / "src" / "bilingual" / "data" / PARAMETERS_FILE
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(
        f"wrote {out}: {len(abbrevs)} abbreviations, {len(params.sent_starters)} sentence starters"
    )


if __name__ == "__main__":
    main()
