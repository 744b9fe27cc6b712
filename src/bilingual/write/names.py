"""The output files' names, in one place: what each writer creates, what ``run.json`` counts
removed rows under (a file's stem, without its formats' extensions), and what a later run
recognises as an earlier one's.
"""

from __future__ import annotations

import re

__all__ = [
    "ARTICLE",
    "ARTICLE_JSONL",
    "MT_FILES",
    "PAIRS",
    "PAIRS_JSONL",
    "PARQUET",
    "REJECTED",
    "REJECTED_JSONL",
    "RUN",
    "SEGMENTS",
    "SOURCES",
    "TMX",
    "mt_file",
    "mt_language",
]

SEGMENTS = "segments.jsonl"  # every segment of every document
PAIRS = "pairs.fr-vi"  # the caption pairs: .jsonl, .tsv, and Moses .fr and .vi
PAIRS_JSONL = f"{PAIRS}.jsonl"
# The links of whole articles with their Vietnamese originals (--originals): .jsonl; their rows
# also go into the pair files, TMX and Parquet with origin "article".
ARTICLE = "article.fr-vi"
ARTICLE_JSONL = f"{ARTICLE}.jsonl"
SOURCES = "sources.txt"  # every "Source : URL" the pages name, one a line, for a crawler
REJECTED = "pairs.rejected"  # the Vietnamese captions left unpaired: .jsonl
REJECTED_JSONL = f"{REJECTED}.jsonl"
TMX = "corpus.tmx"
PARQUET = "corpus.parquet"
RUN = "run.json"
MT_FILES = "mt.fr-*"  # a glob of every target's machine-translation files

# mt.fr-L.tsv, mt.fr-L.fr, mt.fr-L.L: the files of target L.
_MT_FILE = re.compile(r"mt\.fr-(?P<lang>[^.]+)\.(?:tsv|fr|(?P=lang))")


def mt_file(lang: str) -> str:
    """The stem of the machine-translation files of ``lang`` (``mt.fr-L``)."""
    return f"mt.fr-{lang}"


def mt_language(name: str) -> str | None:
    """The target language whose machine-translation file ``name`` is, if it is one."""
    match = _MT_FILE.fullmatch(name)
    return None if match is None else match.group("lang")
