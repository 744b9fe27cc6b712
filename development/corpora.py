"""The reference corpora (NTREX, Tatoeba, FLORES), read from beside the repository."""

from __future__ import annotations

import os
import sys
from collections.abc import Container, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("BILINGUAL_CORPORA", ROOT.parent / "shared" / "corpora"))


def corpus(name: str) -> list[str]:
    """Lines of a reference corpus; exits cleanly (status 0) when the corpora are absent."""
    path = CORPORA / name
    if not path.exists():
        print(f"skipped: {path} is not available", file=sys.stderr)
        raise SystemExit(0)
    return path.read_text("utf-8").split("\n")[:-1]


def tatoeba() -> list[tuple[str, str]]:
    """Tatoeba's (French, Vietnamese) sentence pairs."""
    return list(zip(corpus("tatoeba.fra-vie.fra"), corpus("tatoeba.fra-vie.vie"), strict=True))


def documents(
    fr: Sequence[str],
    vi: Sequence[str],
    docids: Sequence[str] | None,
    exclude: Container[str] = (),
) -> dict[str, list[int]]:
    """Document id -> its lines with text on both sides, in corpus order (``docids=None``:
    documents of 12 lines); documents in ``exclude`` are left out."""
    ids = list(docids) if docids is not None else [str(i // 12) for i in range(len(fr))]
    found: dict[str, list[int]] = {}
    for i, doc in enumerate(ids):
        if fr[i].strip() and vi[i].strip() and doc not in exclude:
            found.setdefault(doc, []).append(i)
    return found
