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
