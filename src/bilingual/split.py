"""Sentence splitting with NLTK's Punkt and French parameters that ship with bilingual.

The parameters (abbreviations, collocations, frequent sentence starters, orthographic context) were
trained with NLTK's ``PunktTrainer`` by ``tools/train_punkt.py`` and merged with a curated list of
French abbreviations; they live in ``data/punkt_fr.json``, so nothing is downloaded at run time.
Punkt is wrapped by three rules it cannot express: French spacing before closing guillemets
(``… fin. » Puis``), the ellipsis character ``…``, and a photo credit in parentheses
(``(Photo : An Dang/VNA)``), which is a segment of its own.

Splitting never changes text: every sentence is a slice of the input, and the sentences joined
equal the input modulo whitespace.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
)

from .document import Segment, french_article
from .parse import Block
from .patterns import CREDIT

__all__ = [
    "FrenchLanguageVars",
    "load_parameters",
    "split_sentences",
    "split_spans",
    "to_segments",
]

PARAMETERS_FILE = "punkt_fr.json"
ELLIPSIS = "…"
# Closing punctuation that French typography separates from the sentence end by a space.
_CLOSERS = "»”’)]\"'"
_LEADING_CLOSERS = re.compile(rf"^[{re.escape(_CLOSERS)}]+(?=\s|$)")
# A photo credit (or source) ending the text: a segment of its own.
_TRAILING_CREDIT = re.compile(rf"{CREDIT.pattern}\s*$", CREDIT.flags)
# Initialisms such as O.N.U., U.S., É.-U., J.-C.: abbreviations whatever the training saw.
_ELISION = re.compile(r"^[^\W\d_]?['’]")
_INITIALISM = re.compile(r"^(?:[^\W\d_]?['’])?(?:[^\W\d_]{1,2}\.-?){2,}$")


class FrenchLanguageVars(PunktLanguageVars):
    """Punkt's language variables with ``…`` as a sentence end and French quotes.

    NLTK realigns ``«`` onto the preceding sentence as if it closed a quote; in French it opens
    one, so only closing marks are realigned.
    """

    sent_end_chars = (".", "?", "!", ELLIPSIS)
    re_boundary_realignment = re.compile(r"[\"')\]}’”»]+?(?:\s+|(?=--)|$)", re.MULTILINE)


@lru_cache(maxsize=1)
def load_parameters() -> PunktParameters:
    """The shipped French Punkt parameters."""
    raw: dict[str, Any] = json.loads(
        resources.files("bilingual").joinpath(f"data/{PARAMETERS_FILE}").read_text("utf-8")
    )
    params = PunktParameters()
    params.abbrev_types = set(raw["abbrev_types"])
    params.collocations = {tuple(pair) for pair in raw["collocations"]}
    params.sent_starters = set(raw["sent_starters"])
    for word_type, flags in raw["ortho_context"].items():
        params.ortho_context[word_type] = flags
    return params


class FrenchPunkt(PunktSentenceTokenizer):
    """Punkt that treats initialisms as abbreviations and ``…`` like ``...``.

    Punkt only knows the abbreviations it was trained on; an initialism (``O.N.U.``) is one by its
    shape.  Both then go through Punkt's own orthographic heuristic, which breaks after them only
    when the next word looks like a sentence start.
    """

    def _first_pass_annotation(self, aug_tok: PunktToken) -> None:
        super()._first_pass_annotation(aug_tok)
        if aug_tok.tok == ELLIPSIS:
            aug_tok.sentbreak, aug_tok.ellipsis = False, True
        elif aug_tok.sentbreak and (
            _INITIALISM.match(aug_tok.tok)
            or _ELISION.sub("", aug_tok.tok)[:-1].lower() in self._params.abbrev_types
        ):
            # "O.N.U.", or an abbreviation after an elided article ("l'art.")
            aug_tok.sentbreak, aug_tok.abbr = False, True

    def _second_pass_annotation(
        self, aug_tok1: PunktToken, aug_tok2: PunktToken | None
    ) -> str | None:
        if aug_tok1.tok != ELLIPSIS or aug_tok2 is None:
            reason: str | None = super()._second_pass_annotation(aug_tok1, aug_tok2)
            return reason
        # Punkt's rule for "...", which it only applies to period-final tokens.
        starter = aug_tok2.first_upper and aug_tok2.type_no_sentperiod in self._params.sent_starters
        aug_tok1.sentbreak = self._ortho_heuristic(aug_tok2) is True or starter
        return None


@lru_cache(maxsize=1)
def _tokenizer() -> FrenchPunkt:
    return FrenchPunkt(load_parameters(), lang_vars=FrenchLanguageVars())


def split_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``, without surrounding spaces."""
    spans = [s for s in _tokenizer().span_tokenize(text) if text[s[0] : s[1]].strip()]
    spans = _reattach_closers(text, spans)
    spans = [piece for span in spans for piece in _split_credit(text, span)]
    return [_strip(text, s) for s in spans if text[s[0] : s[1]].strip()]


def split_sentences(text: str) -> list[str]:
    """Split a French paragraph into sentences.

    Args:
        text: one paragraph (newlines inside it are treated as spaces).

    Returns:
        The sentences, each a slice of ``text`` without surrounding whitespace.

    Example:
        >>> split_sentences("M. Dupont arrive à 14 h 30. Il dit : « Bonjour. » Puis il part.")
        ['M. Dupont arrive à 14 h 30.', 'Il dit : « Bonjour. »', 'Puis il part.']
    """
    return [text[a:b] for a, b in split_spans(text)]


def _reattach_closers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Move a ``»`` (or ``)``, ``”``) that opens a sentence back onto the sentence it closes.

    When what follows the closer starts in lower case, the quote ended inside a sentence
    (``« la stabilité. » en conclusion``) and the two parts are one sentence; a part that is only
    punctuation (the ``!`` of ``?!``) also belongs to the sentence before it.
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        body = text[start:end].lstrip()
        stripped = end - len(body)
        match = _LEADING_CLOSERS.match(text, stripped, end) if out else None
        quote_ended_inside = out and body[:1].islower() and text[out[-1][1] - 1] in _CLOSERS
        if out and (quote_ended_inside or not any(ch.isalnum() for ch in body)):
            out[-1] = (out[-1][0], end)
        elif match is None:
            out.append((start, end))
        else:
            rest = text[match.end() : end].lstrip()
            if not rest or rest[0].islower():
                out[-1] = (out[-1][0], end if rest else match.end())
            else:
                out[-1] = (out[-1][0], match.end())
                out.append((match.end(), end))
    return out


def _split_credit(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    start, end = span
    match = _TRAILING_CREDIT.search(text, start, end)
    if match is None or not text[start : match.start()].strip():
        return [span]
    return [(start, match.start()), (match.start(), end)]


def _strip(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def to_segments(blocks: list[Block]) -> list[Segment]:
    """Turn parsed blocks into segments, splitting French article text into sentences.

    Chrome, bylines and non-French text stay whole: only French title, body and caption text is
    translated, so only it needs sentences.
    """
    segments: list[Segment] = []
    for block in blocks:
        split = french_article(block.lang, block.role)
        for text in split_sentences(block.text) if split else [block.text]:
            segments.append(Segment(len(segments), block.role, text, block.lang, block.line))
    return segments
