"""Sentence splitting with NLTK's Punkt and French or Vietnamese parameters shipped with bilingual.

The parameters (abbreviations, collocations, frequent sentence starters, orthographic context) were
trained with NLTK's ``PunktTrainer`` by ``tools/train_punkt.py`` and merged with curated lists of
abbreviations; they live in ``data/punkt_fr.json`` and ``data/punkt_vi.json``, so nothing is
downloaded at run time.  Punkt is wrapped by rules it cannot express: French spacing before
closing guillemets (``… fin. » Puis``), the ellipsis character ``…``, a photo credit in parentheses
(``(Photo : An Dang/VNA)``, ``(Ảnh: TTXVN)``), which is a segment of its own, a list number
opening a sentence (``1. Le premier point.``), titles that always precede a name (Vietnamese
``TP.``, ``PGS.TS.``), and Vietnamese one-letter words (``ý.``), which are not initials.

Splitting never changes text: every sentence is a slice of the input, and the sentences joined
equal the input modulo whitespace.  Decomposed (NFD) text splits where its NFC form does.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
)

from .document import CONTENT_ROLES, Segment
from .errors import ConfigError
from .parse import Block
from .patterns import CREDIT

__all__ = [
    "LANGUAGES",
    "FrenchLanguageVars",
    "Language",
    "NewsLanguageVars",
    "load_parameters",
    "parameters_file",
    "split_sentences",
    "split_spans",
    "to_segments",
]

Language = Literal["fr", "vi"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
ELLIPSIS = "…"
# Closing punctuation that French typography separates from the sentence end by a space.
_CLOSERS = "»”’)]\"'"
# Closers that open a sentence: matched from the sentence's start (no "^", which would only
# match at the start of the whole text).
_LEADING_CLOSERS = re.compile(rf"[{re.escape(_CLOSERS)}]+(?=\s|$|[,;:])")
# A photo credit (or source) ending the text: a segment of its own.
_TRAILING_CREDIT = re.compile(rf"{CREDIT.pattern}\s*$", CREDIT.flags)
# Initialisms such as O.N.U., U.S., É.-U., J.-C.: abbreviations whatever the training saw.
_ELISION = re.compile(r"^[^\W\d_]?['’]")
_INITIALISM = re.compile(r"^(?:[^\W\d_]?['’])?(?:[^\W\d_]{1,2}\.-?){2,}$")
# A list number (or Roman numeral) that is all a sentence holds so far: "1." of "1. Le point".
_LIST_NUMBER = re.compile(r"\s*(?:\d{1,3}|[IVX]{1,4})\.")
# A Vietnamese letter with a tone or vowel mark is a word ("ý", "Ý" Italy, "ở"), not an initial.
_MARKED_LETTER = re.compile(r"^[^\W\d_A-Za-zĐđ]\.$")


class NewsLanguageVars(PunktLanguageVars):
    """Punkt's language variables with ``…`` as a sentence end and French quotes.

    NLTK realigns ``«`` onto the preceding sentence as if it closed a quote; in French it opens
    one, so only closing marks are realigned.  Vietnamese news uses the same marks.
    """

    sent_end_chars = (".", "?", "!", ELLIPSIS)
    re_boundary_realignment = re.compile(r"[\"')\]}’”»]+?(?:\s+|(?=--)|$)", re.MULTILINE)


FrenchLanguageVars = NewsLanguageVars  # the name it had when it served French alone


def parameters_file(lang: Language) -> str:
    """The file under ``bilingual/data`` that holds the Punkt parameters of ``lang``."""
    return f"punkt_{lang}.json"


@cache
def _raw_parameters(lang: Language) -> dict[str, Any]:
    if lang not in LANGUAGES:
        raise ConfigError(
            f"no sentence splitter for language {lang!r}: expected one of {LANGUAGES}"
        )
    path = resources.files("bilingual").joinpath(f"data/{parameters_file(lang)}")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


@cache
def load_parameters(lang: Language = "fr") -> PunktParameters:
    """The shipped Punkt parameters of ``lang`` (``"fr"`` or ``"vi"``).

    Raises:
        ConfigError: ``lang`` has no parameters.
    """
    raw = _raw_parameters(lang)
    params = PunktParameters()
    params.abbrev_types = set(raw["abbrev_types"])
    params.collocations = {tuple(pair) for pair in raw["collocations"]}
    params.sent_starters = set(raw["sent_starters"])
    for word_type, flags in raw["ortho_context"].items():
        params.ortho_context[word_type] = flags
    return params


class NewsPunkt(PunktSentenceTokenizer):
    """Punkt that treats initialisms as abbreviations and ``…`` like ``...``.

    Punkt only knows the abbreviations it was trained on; an initialism (``O.N.U.``) is one by its
    shape, and so is a run of known ones (``PGS.TS.``).  Both then go through Punkt's own
    orthographic heuristic, which breaks after them only when the next word looks like a sentence
    start.  A title (``TP.``) is never followed by a break: a name follows it.  In Vietnamese a
    marked letter (``ý.``) is a word, which Punkt would take for an initial.
    """

    def __init__(self, lang: Language) -> None:
        super().__init__(load_parameters(lang), lang_vars=NewsLanguageVars())
        self._titles = frozenset(_raw_parameters(lang).get("titles", ()))
        self._letter_words = lang == "vi"

    def _first_pass_annotation(self, aug_tok: PunktToken) -> None:
        super()._first_pass_annotation(aug_tok)
        if aug_tok.tok == ELLIPSIS:
            aug_tok.sentbreak, aug_tok.ellipsis = False, True
        elif aug_tok.sentbreak and (
            _INITIALISM.match(aug_tok.tok) or self._known_abbreviation(aug_tok.tok[:-1])
        ):
            # "O.N.U.", "PGS.TS.", or an abbreviation after an elided article ("l'art.")
            aug_tok.sentbreak, aug_tok.abbr = False, True

    def _known_abbreviation(self, word: str) -> bool:
        word, known = _ELISION.sub("", word).lower(), self._params.abbrev_types
        return word in known or all(part in known for part in word.split("."))

    def _second_pass_annotation(
        self, aug_tok1: PunktToken, aug_tok2: PunktToken | None
    ) -> str | None:
        if aug_tok2 is not None and aug_tok1.period_final:
            if aug_tok1.type_no_period.rsplit(".", 1)[-1] in self._titles:
                aug_tok1.sentbreak, aug_tok1.abbr = False, True
                return "title"
            if self._letter_words and _MARKED_LETTER.match(aug_tok1.tok):
                return None  # a word: its period ends the sentence, as the first pass said
        if aug_tok1.tok != ELLIPSIS or aug_tok2 is None:
            reason: str | None = super()._second_pass_annotation(aug_tok1, aug_tok2)
            return reason
        # Punkt's rule for "...", which it only applies to period-final tokens.
        starter = aug_tok2.first_upper and aug_tok2.type_no_sentperiod in self._params.sent_starters
        aug_tok1.sentbreak = self._ortho_heuristic(aug_tok2) is True or starter
        return None

    def _slices_from_text(self, text: str) -> Iterator[slice]:
        # Punkt's own loop, but a list number that opens a sentence ("1. Le premier point.")
        # does not end one.
        last_break = 0
        for match, context in self._match_potential_end_contexts(text):
            if _LIST_NUMBER.fullmatch(text, last_break, match.end()):
                continue
            if self.text_contains_sentbreak(context):
                yield slice(last_break, match.end())
                last_break = match.start("next_tok") if match.group("next_tok") else match.end()
        yield slice(last_break, len(text.rstrip()))


@cache
def _tokenizer(lang: Language) -> NewsPunkt:
    return NewsPunkt(lang)


def split_spans(text: str, lang: Language = "fr") -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``, without surrounding spaces.

    Raises:
        ConfigError: ``lang`` is neither ``"fr"`` nor ``"vi"``.
    """
    tokenizer = _tokenizer(lang)
    if unicodedata.is_normalized("NFC", text):
        return _spans(tokenizer, text)
    # The parameters are NFC: split the NFC form, then map its spans back onto the input.
    composed, origin = _compose(text)
    return [(origin[a], origin[b]) for a, b in _spans(tokenizer, composed)]


def _spans(tokenizer: NewsPunkt, text: str) -> list[tuple[int, int]]:
    spans = [s for s in tokenizer.span_tokenize(text) if text[s[0] : s[1]].strip()]
    spans = _reattach_closers(text, spans)
    spans = [piece for span in spans for piece in _split_credit(text, span)]
    return [_strip(text, s) for s in spans if text[s[0] : s[1]].strip()]


def _compose(text: str) -> tuple[str, list[int]]:
    """``text`` in NFC, composed one base character and its marks at a time, and for every
    offset of the result (and its end) the offset in ``text`` where its character starts."""
    clusters = re.finditer(r".[\u0300-\u036f]*", text, re.DOTALL)
    pieces, origin = [], []
    for cluster in clusters:
        piece = unicodedata.normalize("NFC", cluster.group())
        pieces.append(piece)
        origin += [cluster.start()] * len(piece)
    origin.append(len(text))
    return "".join(pieces), origin


def split_sentences(text: str, lang: Language = "fr") -> list[str]:
    """Split a French (or Vietnamese) paragraph into sentences.

    Args:
        text: one paragraph (newlines inside it are treated as spaces).
        lang: ``"fr"`` or ``"vi"``: whose abbreviations and habits to follow.

    Returns:
        The sentences, each a slice of ``text`` without surrounding whitespace.

    Raises:
        ConfigError: ``lang`` is neither ``"fr"`` nor ``"vi"``.

    Example:
        >>> split_sentences("M. Dupont arrive à 14 h 30. Il dit : « Bonjour. » Puis il part.")
        ['M. Dupont arrive à 14 h 30.', 'Il dit : « Bonjour. »', 'Puis il part.']
        >>> split_sentences("PGS.TS. Nguyễn Văn A dự họp tại TP. Hồ Chí Minh. Ông phát biểu.", "vi")
        ['PGS.TS. Nguyễn Văn A dự họp tại TP. Hồ Chí Minh.', 'Ông phát biểu.']
    """
    return [text[a:b] for a, b in split_spans(text, lang)]


def _reattach_closers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Move a ``»`` (or ``)``, ``”``) that opens a sentence back onto the sentence it closes.

    When what follows the closer starts in lower case or with a comma, the quote ended inside a
    sentence (``« la stabilité. » en conclusion``, ``« Qui ? », a-t-il dit``, ``"Ai?", anh
    nói``) and the two parts are one sentence; a part that is only
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
            if not rest or rest[0].islower() or rest[0] in ",;:":
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


def to_segments(blocks: list[Block], lang: Language = "fr") -> list[Segment]:
    """Turn parsed blocks into segments, splitting the article text of ``lang`` into sentences.

    Article text is the title, headings, body and captions
    (:data:`~bilingual.document.CONTENT_ROLES`); chrome, bylines and text in another language
    stay whole.  For a French page (``lang="fr"``) that is the text the engine translates; for a
    Vietnamese original (``lang="vi"``), the text its translation is aligned with.

    Raises:
        ConfigError: ``lang`` is neither ``"fr"`` nor ``"vi"``.
    """
    _tokenizer(lang)  # an unknown language fails here, whatever the blocks hold
    segments: list[Segment] = []
    for block in blocks:
        split = block.lang == lang and block.role in CONTENT_ROLES
        for text in split_sentences(block.text, lang) if split else [block.text]:
            segments.append(Segment(len(segments), block.role, text, block.lang, block.line))
    return segments
