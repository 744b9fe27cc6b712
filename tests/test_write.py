"""Output files: formats read back by independent readers, atomic replacement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilingual.document import Alignment, Document, Segment
from bilingual.write import AtomicFile, CorpusWriter
from bilingual.write.origin import Origin


def sample() -> Document:
    segments = [
        Segment(0, "title", "Un titre\tavec tabulation", "fr", 0, {"en": "A title", "vi": "Một tiêu đề"}),
        Segment(1, "caption", "Quang cảnh phiên họp sáng 22/12.", "vi", 1),
        Segment(2, "caption", "Scène de la réunion <du> 22 décembre & \"autres\".", "fr", 2,
                {"en": "Scene of the meeting", "vi": "Quang cảnh cuộc họp"}),
        Segment(3, "chrome", "Source", "fr", 3),
    ]  # fmt: skip
    return Document("in/a.txt", segments, [Alignment(1, (2,), 0.93, 0.41)])


def write(outdir: Path) -> CorpusWriter:
    header = {"version": "0.1.0", "models": {"en": "m"}}
    with CorpusWriter(outdir, ["en", "vi"], header, origins={"en": Origin("mt", "m")}) as writer:
        writer.add(sample())
    return writer


def test_tmx_reads_back_with_three_languages(tmp_path: Path) -> None:
    from translate.storage import tmx

    write(tmp_path)
    store = tmx.tmxfile.parsefile(str(tmp_path / "corpus.tmx"))
    assert len(store.units) == 2
    unit = store.units[1]
    nodes = unit.getlanguageNodes()
    langs = [n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in nodes]
    assert langs == ["fr", "en", "vi"]
    assert unit.source == 'Scène de la réunion <du> 22 décembre & "autres".'
    assert unit.getid() == "in/a.txt#2"


def test_jsonl_tsv_and_moses_agree(tmp_path: Path) -> None:
    write(tmp_path)
    records = [json.loads(line) for line in (tmp_path / "segments.jsonl").read_text().splitlines()]
    assert [r["index"] for r in records] == [0, 1, 2, 3]
    assert set(records[0]) >= {"doc", "index", "role", "lang", "text", "translations"}
    pairs = [json.loads(line) for line in (tmp_path / "pairs.fr-vi.jsonl").read_text().splitlines()]
    assert pairs == [{
        "doc": "in/a.txt", "vi": "Quang cảnh phiên họp sáng 22/12.",
        "fr": "Scène de la réunion <du> 22 décembre & \"autres\".", "score": 0.93,
        "vi_index": 1, "fr_indices": [2], "mt_chrf": 0.41, "origin": "human",
    }]  # fmt: skip
    tsv = (tmp_path / "mt.fr-en.tsv").read_text().splitlines()
    assert tsv[0] == "doc\tindex\tfr\ten\torigin\tmodel\troute"
    assert tsv[1] == "in/a.txt\t0\tUn titre avec tabulation\tA title\tmt\tm\t"
    assert all(len(row.split("\t")) == 7 for row in tsv)
    human = (tmp_path / "pairs.fr-vi.tsv").read_text().splitlines()
    assert human[1].split("\t")[4:] == ["human", "", ""]
    fr = (tmp_path / "mt.fr-vi.fr").read_text().splitlines()
    vi = (tmp_path / "mt.fr-vi.vi").read_text().splitlines()
    assert len(fr) == len(vi) == 2
    assert (tmp_path / "pairs.fr-vi.vi").read_text() == "Quang cảnh phiên họp sáng 22/12.\n"


def test_an_aborted_write_leaves_the_previous_output(tmp_path: Path) -> None:
    write(tmp_path)
    before = (tmp_path / "segments.jsonl").read_bytes()
    with pytest.raises(RuntimeError), CorpusWriter(tmp_path, ["en", "vi"], {}) as writer:
        writer.add(Document("other.txt", [Segment(0, "body", "Autre.", "fr")]))
        raise RuntimeError("interrupted")
    assert (tmp_path / "segments.jsonl").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_atomic_file_appears_only_on_commit(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    out = AtomicFile(target)
    out.write("hello")
    assert not target.exists()
    out.commit()
    assert target.read_text() == "hello"
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)


def test_a_row_has_one_text_in_every_format(tmp_path: Path) -> None:
    """No-break spaces (U+00A0, narrow U+202F) and runs of spaces are kept as read in every file;
    a tab or a line break, which a TSV row or a Moses line cannot hold, is a space in every file,
    and a character XML cannot hold is gone from every file: the same row, the same text."""
    pq = pytest.importorskip("pyarrow.parquet")
    from xml.etree import ElementTree as ET

    nbsp, narrow = "\u00a0", "\u202f"
    segments = [
        Segment(0, "title", f"Qui paiera{nbsp}? «{narrow}Personne{narrow}»  dit-il", "fr", 0,
                {"en": f"Who will pay{nbsp}?", "vi": "Ai sẽ  trả"}),
        Segment(1, "caption", f"Quang cảnh{nbsp}phiên họp\tsáng 22/12.", "vi", 1),
        Segment(2, "caption", f"Scène de la réunion.\u2028(Photo{nbsp}: An Dang/VNA)", "fr", 2,
                {"en": "Scene\x01 of the\r\nmeeting", "vi": f"Quang cảnh{narrow}cuộc họp"}),
    ]  # fmt: skip
    document = Document("in/a.txt", segments, [Alignment(1, (2,), 0.93, 0.41)])
    with CorpusWriter(tmp_path, ["en", "vi"], {"models": {"en": "m"}}, parquet=True) as writer:
        writer.add(document)

    def lines(name: str) -> list[str]:
        return (tmp_path / name).read_text("utf-8").splitlines()  # any line break would split

    expected = {  # (index, lang) -> the text every file must have
        (0, "fr"): f"Qui paiera{nbsp}? «{narrow}Personne{narrow}»  dit-il",
        (0, "en"): f"Who will pay{nbsp}?", (0, "vi"): "Ai sẽ  trả",
        (1, "vi"): f"Quang cảnh{nbsp}phiên họp sáng 22/12.",
        (2, "fr"): f"Scène de la réunion. (Photo{nbsp}: An Dang/VNA)",
        (2, "en"): "Scene of the  meeting", (2, "vi"): f"Quang cảnh{narrow}cuộc họp",
    }  # fmt: skip
    found: dict[str, dict[tuple[int, str], str]] = {}
    for r in map(json.loads, lines("segments.jsonl")):
        found.setdefault("segments.jsonl", {})[r["index"], r["lang"]] = r["text"]
        for lang, text in r["translations"].items():
            found["segments.jsonl"][r["index"], lang] = text
    for lang in ("en", "vi"):
        for row in (line.split("\t") for line in lines(f"mt.fr-{lang}.tsv")[1:]):
            assert len(row) == 7
            found.setdefault("tsv", {}).update(
                {(int(row[1]), "fr"): row[2], (int(row[1]), lang): row[3]}
            )
        for side in ("fr", lang):
            moses = lines(f"mt.fr-{lang}.{side}")
            found.setdefault("moses", {}).update(
                {(i, side): t for i, t in zip((0, 2), moses, strict=True)}
            )
    (pair,) = (line.split("\t") for line in lines("pairs.fr-vi.tsv")[1:])
    found["pairs.tsv"] = {(2, "fr"): pair[2], (1, "vi"): pair[3]}
    found["pairs.moses"] = {
        (2, "fr"): lines("pairs.fr-vi.fr")[0],
        (1, "vi"): lines("pairs.fr-vi.vi")[0],
    }
    (record,) = map(json.loads, lines("pairs.fr-vi.jsonl"))
    found["pairs.jsonl"] = {(2, "fr"): record["fr"], (1, "vi"): record["vi"]}
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for tu in ET.parse(tmp_path / "corpus.tmx").getroot().iter("tu"):
        index = int(str(tu.get("tuid")).split("#")[1])
        for tuv in tu.iter("tuv"):
            found.setdefault("tmx", {})[index, str(tuv.get(xml_lang))] = str(tuv.findtext("seg"))
    for row in pq.read_table(tmp_path / "corpus.parquet").to_pylist():
        texts = found.setdefault(f"parquet {row['origin']}", {})
        for lang, text in row["translation"].items():
            if text is not None:  # a pair's index is its Vietnamese segment's
                texts[row["fr_indices"][0] if lang == "fr" else row["index"], lang] = text
    assert set(found) == {"segments.jsonl", "tsv", "moses", "pairs.tsv", "pairs.moses",
                          "pairs.jsonl", "tmx", "parquet mt", "parquet human"}  # fmt: skip
    for name, texts in found.items():
        assert texts == {key: expected[key] for key in texts}, name
    assert set(found["segments.jsonl"]) == set(expected)


def test_exact_dedupe_compares_the_texts_as_written(tmp_path: Path) -> None:
    """Two French texts that differ by a tab and a space are one row in every file, so
    ``--dedupe exact`` writes it once; a no-break space, kept in every file, makes another."""
    texts = ["Un titre\tici.", "Un titre ici.", "Un titre\u00a0ici."]
    segments = [Segment(i, "body", t, "fr", i, {"en": "A title."}) for i, t in enumerate(texts)]
    with CorpusWriter(tmp_path, ["en"], {}, dedupe="exact") as writer:
        writer.add(Document("a.txt", segments))
    assert (tmp_path / "mt.fr-en.fr").read_text("utf-8").splitlines() == [texts[1], texts[2]]
    assert writer.duplicates["mt.fr-en"] == 1
