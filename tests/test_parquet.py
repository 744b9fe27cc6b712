"""corpus.parquet: the TSV files' rows, read back by pyarrow and by Hugging Face datasets."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bilingual.cli import main
from bilingual.document import Alignment, Document, Segment
from bilingual.errors import DiskFullError
from bilingual.write import CorpusWriter
from bilingual.write.origin import Origin
from bilingual.write.parquet import ParquetWriter
from conftest import SEEDS
from test_dedupe import pages, rows
from test_misses import jsonl

pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, model_dirs: dict[str, Path]) -> Path:
    root = tmp_path_factory.mktemp("parquet")
    out = root / "out"
    args = [str(pages(root / "in")), "-o", str(out), "--device", "cpu", "-q", "--no-cache"]
    args += ["--model", f"en={model_dirs['en']}", "--model", f"vi={model_dirs['vi']}", "--parquet"]
    assert main(args) == 0
    return out


def cell(text: str | None) -> str:
    """A Parquet text as the TSV files write it: the same text (an empty cell for none)."""
    return text or ""


@pytest.mark.slow  # a build with models
def test_the_parquet_rows_are_the_tsv_rows(built: Path) -> None:
    table = pq.read_table(built / "corpus.parquet")
    records: list[dict[str, Any]] = table.to_pylist()
    machine = [r for r in records if r["origin"] == "mt"]
    human = [r for r in records if r["origin"] == "human"]
    assert len(machine) + len(human) == table.num_rows and human
    for lang in ("en", "vi"):
        expected = rows(built, f"mt.fr-{lang}.tsv")
        got = [
            [r["doc"], str(r["index"]), cell(r["translation"]["fr"]), cell(r["translation"][lang]),
             "mt", r["model"][lang], r["route"][lang]]
            for r in machine if r["translation"][lang] is not None
        ]  # fmt: skip
        assert got == expected
    pairs = rows(built, "pairs.fr-vi.tsv")
    got = [
        [r["doc"], str(r["index"]), cell(r["translation"]["fr"]), cell(r["translation"]["vi"]), "human", "", ""]
        for r in human
    ]  # fmt: skip
    assert got == pairs
    assert all(r["translation"]["en"] is None and r["model"] is None for r in human)
    assert all(r["pair_score"] is not None and r["role"] == "caption" for r in human)
    scored = {
        (p["doc"], p["vi_index"]): p.get("model_score") for p in jsonl(built / "pairs.fr-vi.jsonl")
    }
    assert [r["model_score"] for r in human] == [scored[r["doc"], r["index"]] for r in human]
    assert any(r["model_score"] is not None for r in human)
    assert all(r["scores"]["en"] is not None and r["fr_indices"] == [r["index"]] for r in machine)


@pytest.mark.slow  # a build with models
def test_datasets_reads_translation_as_a_translation_feature(built: Path, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    data = datasets.load_dataset(
        "parquet", data_files=str(built / "corpus.parquet"), split="train", cache_dir=str(tmp_path)
    )
    feature = data.features["translation"]
    assert isinstance(feature, datasets.Translation)
    assert feature.languages == ["en", "fr", "vi"]
    table = pq.read_table(built / "corpus.parquet")
    assert data.num_rows == table.num_rows
    assert data["translation"] == table.column("translation").to_pylist()


def document(k: int) -> Document:
    segments = [
        Segment(0, "body", f"Phrase {k}.", "fr", 0, {"en": f"Sentence {k}.", "vi": f"Câu {k}."}),
        Segment(1, "caption", f"Chú thích {k}.", "vi", 1),
        Segment(2, "caption", f"Légende {k}.", "fr", 2, {"en": f"Caption {k}.", "vi": f"Mèo {k}."}),
    ]
    return Document(f"p{k}.txt", segments, [Alignment(1, (2,), 0.8, 0.25)])


def test_rows_go_out_in_row_groups(tmp_path: Path) -> None:
    origins = {lang: Origin("mt", f"m-{lang}", "direct") for lang in ("en", "vi")}
    writer = ParquetWriter(tmp_path, ["en", "vi"], origins, row_group_rows=4)
    for k in range(10):
        writer.add(document(k))  # 3 rows each
        assert len(writer.rows) < 4  # held in memory: less than a row group
    writer.commit()
    file = pq.ParquetFile(tmp_path / "corpus.parquet")
    assert file.metadata.num_rows == 30 and file.metadata.num_row_groups == 5
    assert [p.name for p in tmp_path.iterdir()] == ["corpus.parquet"]  # no temporary file left


def test_an_aborted_write_leaves_the_previous_file_and_a_rerun_without_it_removes_it(
    tmp_path: Path,
) -> None:
    with CorpusWriter(tmp_path, ["en", "vi"], {}, parquet=True) as writer:
        writer.add(document(0))
    before = (tmp_path / "corpus.parquet").read_bytes()
    with pytest.raises(RuntimeError), CorpusWriter(tmp_path, ["en", "vi"], {}, parquet=True) as w:
        w.add(document(1))
        raise RuntimeError("interrupted")
    assert (tmp_path / "corpus.parquet").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    with CorpusWriter(tmp_path, ["en", "vi"], {}) as writer:
        writer.add(document(0))
    assert not (tmp_path / "corpus.parquet").exists()  # it would pass for this run's


@pytest.mark.slow  # a subprocess
def test_without_pyarrow_the_error_names_the_extra(tmp_path: Path) -> None:
    """pyarrow hidden: --parquet says how to install it, and nothing else needs pyarrow."""
    code = (
        "import sys; sys.modules['pyarrow'] = None; sys.modules['pyarrow.parquet'] = None\n"
        "from bilingual.cli import main\n"
        f"assert main([{str(SEEDS[0])!r}, '-o', {str(tmp_path / 'plain')!r}, '--no-mt', '-q']) == 0\n"
        f"sys.exit(main([{str(SEEDS[0])!r}, '-o', {str(tmp_path / 'pq')!r}, '--no-mt', '--parquet']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2, result.stderr
    assert "pip install 'bilingual[parquet]'" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "plain" / "segments.jsonl").exists() and not (tmp_path / "pq").exists()


def test_a_full_disk_while_a_row_group_is_written_is_a_disk_full_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not an OSError's traceback: the command's message and exit 1, and no temporary file."""
    origins = {lang: Origin("mt", f"m-{lang}", "direct") for lang in ("en", "vi")}
    writer = ParquetWriter(tmp_path, ["en", "vi"], origins, row_group_rows=2)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer.writer, "write_table", full)
    with pytest.raises(DiskFullError, match="no space left"):
        writer.add(document(0))
    assert list(tmp_path.iterdir()) == []
