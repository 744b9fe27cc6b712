"""One writer per output format.  Each streams documents into an :class:`AtomicFile` set.

Files (names relative to the output directory, ``L`` for each target language):

* ``segments.jsonl``: every segment, the output contract (see ``records.segment_record``).
* ``pairs.fr-vi.jsonl``: every Vietnamese text of the input aligned with its French translation.
* ``pairs.fr-vi.tsv`` and ``pairs.fr-vi.{fr,vi}``: the same pairs as TSV and Moses text, then
  the article links (origin ``article``).
* ``article.fr-vi.jsonl``: each link of a page's sentences with its Vietnamese original's.
* ``mt.fr-L.tsv`` and ``mt.fr-L.{fr,L}``: each translated French segment with its machine
  translation, as TSV and Moses text.
* ``corpus.tmx``: TMX 1.4b, one ``tu`` per translated segment with a ``tuv`` per language, and
  one per article link (``x-origin`` ``article``).
* ``sources.txt``: the URL of every ``Source :`` line of the pages, once each.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from ..document import Document, Segment, passes_min_score
from .atomic import AtomicFile
from .names import ARTICLE_JSONL, PAIRS, PAIRS_JSONL, SEGMENTS, SOURCES, TMX, mt_file
from .origin import ARTICLE, HUMAN, Origin
from .records import article_records, pair_records, row_text, segment_records

__all__ = [
    "JsonlArticle",
    "JsonlPairs",
    "JsonlSegments",
    "MosesWriter",
    "SourcesWriter",
    "TmxWriter",
    "TsvWriter",
    "Writer",
    "kept",
    "translated",
]


class Writer(ABC):
    """Streams documents into one or more atomic files."""

    def __init__(self, files: list[AtomicFile]) -> None:
        self.files = files

    @abstractmethod
    def add(self, document: Document) -> int:
        """Write one document's records; return how many were written."""

    def finish(self) -> None:
        """Put every file's whole text on disk (see :meth:`AtomicFile.finish`)."""
        for f in self.files:
            f.finish()

    def publish(self) -> None:
        """Move the finished files into place."""
        for f in self.files:
            f.publish()

    def commit(self) -> None:
        self.finish()
        self.publish()

    def abort(self) -> None:
        for f in self.files:
            f.abort()


def translated(document: Document, lang: str) -> Iterator[Segment]:
    """The segments of ``document`` that have a translation into ``lang`` (the writers get
    documents :class:`~bilingual.write.select.Selector` has already filtered by score)."""
    return (s for s in document.segments if s.translations.get(lang))


def kept(segment: Segment, lang: str, min_score: float | None) -> bool:
    """Whether ``segment`` has a translation into ``lang`` that the score filter keeps."""
    if not segment.translations.get(lang):
        return False
    return passes_min_score(segment.scores.get(lang), min_score)


def _jsonl(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


class JsonlSegments(Writer):
    def __init__(self, outdir: Path) -> None:
        super().__init__([AtomicFile(outdir / SEGMENTS)])

    def add(self, document: Document, notes: Mapping[int, dict[str, Any]] | None = None) -> int:
        """Write every segment; ``notes``: segment index -> fields its record gains (what the
        corpus files did with it: ``duplicate_of``, ``excluded``)."""
        records = segment_records(document)
        if notes:
            records = [{**r, **notes.get(r["index"], {})} for r in records]
        self.files[0].write("".join(_jsonl(r) for r in records))
        return len(records)


class JsonlPairs(Writer):
    def __init__(self, outdir: Path) -> None:
        super().__init__([AtomicFile(outdir / PAIRS_JSONL)])

    def add(self, document: Document) -> int:
        records = list(pair_records(document))
        self.files[0].write("".join(_jsonl(r) for r in records))
        return len(records)


class JsonlArticle(Writer):
    def __init__(self, outdir: Path) -> None:
        super().__init__([AtomicFile(outdir / ARTICLE_JSONL)])

    def add(self, document: Document) -> int:
        records = list(article_records(document))
        self.files[0].write("".join(_jsonl(r) for r in records))
        return len(records)


# A page's "Source : URL" line (the Vietnamese article it translates).
_SOURCE = re.compile(r"^\s*sources?\s*:\s*(?P<url>https?://\S+)", re.IGNORECASE)


class SourcesWriter(Writer):
    """``sources.txt``: the URL of each page's ``Source :`` line, once each, in input order."""

    def __init__(self, outdir: Path) -> None:
        super().__init__([AtomicFile(outdir / SOURCES)])
        self.seen: set[str] = set()

    def add(self, document: Document) -> int:
        found = []
        for s in document.segments:
            match = _SOURCE.match(s.text)
            if match and match["url"] not in self.seen:
                self.seen.add(match["url"])
                found.append(row_text(match["url"]))
        self.files[0].write("".join(f"{url}\n" for url in found))
        return len(found)


class TsvWriter(Writer):
    """``doc  index  fr  L  origin  model  route`` rows with a header: machine translations
    (``mt``, the model and its route), or the human pairs (``human``, no model: the caption
    pairs, then the article links, ``article``, whose index is their first French segment)."""

    def __init__(
        self,
        outdir: Path,
        lang: str,
        human: bool = False,
        origin: Origin | None = None,
    ) -> None:
        stem = PAIRS if human else mt_file(lang)
        super().__init__([AtomicFile(outdir / f"{stem}.tsv")])
        self.lang, self.human = lang, human
        self.origin = origin or Origin("mt")
        self.files[0].write(f"doc\tindex\tfr\t{lang}\torigin\tmodel\troute\n")

    def add(self, document: Document) -> int:
        rows = list(_rows(document, self.lang, self.human))
        doc = row_text(document.path)
        self.files[0].write(
            "".join(
                f"{doc}\t{i}\t{fr}\t{tgt}\t{_origin(made or self.origin)}\n"
                for i, fr, tgt, made in rows
            )
        )
        return len(rows)


class MosesWriter(Writer):
    """Two line-aligned plain-text files, ``NAME.fr`` and ``NAME.L``."""

    def __init__(self, outdir: Path, lang: str, human: bool = False) -> None:
        stem = PAIRS if human else mt_file(lang)
        super().__init__([AtomicFile(outdir / f"{stem}.fr"), AtomicFile(outdir / f"{stem}.{lang}")])
        self.lang, self.human = lang, human

    def add(self, document: Document) -> int:
        rows = list(_rows(document, self.lang, self.human))
        self.files[0].write("".join(f"{fr}\n" for _, fr, _, _ in rows))
        self.files[1].write("".join(f"{tgt}\n" for _, _, tgt, _ in rows))
        return len(rows)


def _rows(
    document: Document, lang: str, human: bool
) -> Iterator[tuple[str, str, str, Origin | None]]:
    """(index, French, target, who translated) cells: the caption pairs and article links, or
    machine translations (``None``: the writer's model), their texts as every format writes
    them (:func:`~bilingual.write.records.row_text`: no tab or line break is left to cut a
    row)."""
    if human:
        for r in pair_records(document):
            yield str(r["vi_index"]), r["fr"], r["vi"], HUMAN
        for r in article_records(document):
            yield str(r["fr_indices"][0]), r["fr"], r["vi"], ARTICLE
    else:
        for s in translated(document, lang):
            yield str(s.index), row_text(s.text), row_text(s.translations[lang]), None


def _origin(made: Origin) -> str:
    return "\t".join(row_text(c) for c in (made.kind, made.model, made.route))


class TmxWriter(Writer):
    """TMX 1.4b: one ``tu`` per translated segment, a ``tuv`` per language, provenance in notes."""

    def __init__(
        self,
        outdir: Path,
        langs: list[str],
        header: dict[str, Any],
        origins: Mapping[str, Origin] | None = None,
    ) -> None:
        super().__init__([AtomicFile(outdir / TMX)])
        self.langs = langs
        self.origins = dict(origins or {})
        head = ET.Element(
            "header",
            {
                "creationtool": "bilingual",
                "creationtoolversion": str(header.get("version", "")),
                "datatype": "plaintext",
                "segtype": "sentence",
                "adminlang": "en",
                "srclang": "fr",
                "o-tmf": "bilingual",
            },
        )
        for key, value in header.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            ET.SubElement(head, "prop", type=f"x-{key}").text = text
        self.files[0].write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            + ET.tostring(head, encoding="unicode")
            + "\n<body>\n"
        )

    def add(self, document: Document) -> int:
        count = 0
        for s in document.segments:
            langs = [lang for lang in self.langs if s.translations.get(lang)]
            if not langs:
                continue
            tu = ET.Element("tu", tuid=f"{document.path}#{s.index}", srclang="fr")
            props = (("doc", document.path), ("index", str(s.index)), ("role", s.role))
            for kind, value in (*props, ("origin", "mt")):
                ET.SubElement(tu, "prop", type=f"x-{kind}").text = value
            _tuv(tu, "fr", s.text)
            for lang in langs:
                _tuv(tu, lang, s.translations[lang], self.origins.get(lang))
            self.files[0].write(ET.tostring(tu, encoding="unicode") + "\n")
            count += 1
        for r in article_records(document):
            first = r["fr_indices"][0]
            tu = ET.Element("tu", tuid=f"{document.path}#article-{first}", srclang="fr")
            link_props = (
                ("doc", document.path), ("index", str(first)), ("vi_doc", r["vi_doc"]),
                ("link", r["link"]), ("score", str(r["score"])), ("origin", ARTICLE.kind),
            )  # fmt: skip
            for kind, value in link_props:
                ET.SubElement(tu, "prop", type=f"x-{kind}").text = row_text(value)
            _tuv(tu, "fr", r["fr"])
            _tuv(tu, "vi", r["vi"])
            self.files[0].write(ET.tostring(tu, encoding="unicode") + "\n")
            count += 1
        return count

    def finish(self) -> None:
        self.files[0].write("</body>\n</tmx>\n")
        super().finish()


def _tuv(tu: ET.Element, lang: str, text: str, origin: Origin | None = None) -> None:
    tuv = ET.SubElement(tu, "tuv", {"xml:lang": lang})
    if origin is not None:  # who made this language's text: a tuv's props come before its seg
        ET.SubElement(tuv, "prop", type="x-model").text = origin.model
        ET.SubElement(tuv, "prop", type="x-route").text = origin.route
    ET.SubElement(tuv, "seg").text = row_text(text)  # what XML 1.0 cannot hold is gone
