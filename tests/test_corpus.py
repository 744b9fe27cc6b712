"""A run that loses nothing: resume after kill -9, the translation cache, bad inputs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bilingual.cli import main
from bilingual.corpus import STATE_DIR
from conftest import SEEDS

CORPUS_FILES = [
    "segments.jsonl", "pairs.fr-vi.jsonl", "pairs.fr-vi.tsv", "pairs.fr-vi.fr", "pairs.fr-vi.vi",
    "mt.fr-en.tsv", "mt.fr-en.fr", "mt.fr-en.en", "mt.fr-vi.tsv", "mt.fr-vi.fr", "mt.fr-vi.vi",
    "corpus.tmx", "pairs.rejected.jsonl",
]  # fmt: skip


def make_inputs(directory: Path, count: int) -> Path:
    """``count`` distinct documents in the seeds' format."""
    directory.mkdir()
    for k in range(count):
        seed = SEEDS[k % len(SEEDS)].read_text("utf-8")
        page = seed.replace("Selon VNA", f"Selon VNA ({k})").replace(
            "du Parti", f"du Parti n° {k}", 1
        )
        (directory / f"doc{k:02d}.txt").write_text(page, "utf-8")
    return directory


def command(inputs: Path, out: Path, models: dict[str, Path], *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "bilingual", str(inputs), "-o", str(out), "--device", "cpu", "-q",
        "--model", f"en={models['en']}", "--model", f"vi={models['vi']}", *extra,
    ]  # fmt: skip


@pytest.mark.slow  # a subprocess
def test_kill_9_then_resume_gives_the_same_corpus(
    tmp_path: Path, model_dirs: dict[str, Path]
) -> None:
    inputs = make_inputs(tmp_path / "in", 24)
    clean, resumed = tmp_path / "clean", tmp_path / "resumed"
    flags = ("--no-cache", "--parquet", "--beams", "1")  # greedy: resuming is what is tested
    subprocess.run(command(inputs, clean, model_dirs, *flags), check=True)

    # One document per window, so the run saves documents one by one; kill it after a few.
    process = subprocess.Popen(command(inputs, resumed, model_dirs, *flags, "--window", "1"))
    state = resumed / STATE_DIR
    deadline = time.monotonic() + 120
    while (
        len(list(state.glob("*.json"))) < 3
        and process.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.01)
    assert process.poll() is None, "the run finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    saved = len(list(state.glob("*.json")))
    assert 3 <= saved < 24
    assert not (resumed / "segments.jsonl").exists()  # nothing half-written in place

    resume = command(inputs, resumed, model_dirs, *flags, "--resume")
    subprocess.run(resume, check=True)
    for name in [*CORPUS_FILES, "corpus.parquet"]:
        assert (resumed / name).read_bytes() == (clean / name).read_bytes(), name
    run = json.loads((resumed / "run.json").read_text())
    # The pages repeat sentences: the resumed run removed the duplicates the clean one did.
    assert run["duplicates"] == json.loads((clean / "run.json").read_text())["duplicates"]
    assert run["duplicates"]["mt.fr-en"] > 0
    assert run["resumed"] >= saved - 1  # the last file may have been the one being written
    assert not state.exists()


@pytest.mark.slow  # a subprocess
def test_a_second_run_translates_nothing(tmp_path: Path, model_dirs: dict[str, Path]) -> None:
    cache = tmp_path / "cache.sqlite"
    first, second = tmp_path / "first", tmp_path / "second"
    subprocess.run(command(SEEDS[0].parent, first, model_dirs, "--cache", str(cache)), check=True)
    subprocess.run(command(SEEDS[0].parent, second, model_dirs, "--cache", str(cache)), check=True)
    runs = [json.loads((d / "run.json").read_text()) for d in (first, second)]
    assert runs[0]["cache"]["misses"] > 0
    assert runs[1]["cache"] == {
        "hits": runs[0]["cache"]["hits"] + runs[0]["cache"]["misses"],
        "misses": 0,
    }
    for name in CORPUS_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.slow  # a build with models (conftest's seeds_built, shared)
def test_no_cache_bypasses_it(seeds_built: Path) -> None:
    out = seeds_built  # the command's build of the seeds with --no-cache
    assert json.loads((out / "run.json").read_text())["cache"] == {"hits": 0, "misses": 0}
    assert not list(out.parent.rglob("*.sqlite"))  # its cache home included


BAD_INPUTS = {
    "empty.txt": (b"", "the file is empty"),
    "binary.txt": (bytes(range(256)) * 8, "binary data"),
    "zero-width.txt": ("\u200b\u200c\ufeff\n\u00ad".encode(), "the file is empty"),
}


@pytest.mark.parametrize("name", [*BAD_INPUTS, "missing.txt", "unreadable.txt"])
def test_each_bad_input_is_named_and_the_others_complete(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / name
    if name in BAD_INPUTS:
        bad.write_bytes(BAD_INPUTS[name][0])
        expected = BAD_INPUTS[name][1]
    elif name == "unreadable.txt":
        bad.write_text("Un texte.")
        real = Path.read_bytes

        def denied(path: Path) -> bytes:
            # Root reads any file whatever its mode; fail as it would for a user.
            if path == bad:
                raise PermissionError(13, "Permission denied")
            return real(path)

        monkeypatch.setattr(Path, "read_bytes", denied)
        expected = "cannot be read (Permission denied)"
    else:
        expected = "no such file"
    good = tmp_path / "good.txt"
    good.write_bytes("Un titre\r\n\r\nLe texte\u200b\x07 de l'article, en CRLF.\r\n".encode())
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Un été à Hanoï.\n\nLe Comité a déclaré : « Très bien ».\n".encode("cp1252"))
    out = tmp_path / "out"
    code = main([str(SEEDS[0]), str(bad), str(good), str(legacy), "-o", str(out), "--no-mt", "-q"])
    assert code == 1
    err = capsys.readouterr().err
    assert f"{bad}: {expected}" in err and "Traceback" not in err
    docs = [json.loads(line)["doc"] for line in (out / "segments.jsonl").read_text().splitlines()]
    assert set(docs) == {str(SEEDS[0]), str(good), str(legacy)}
    texts = [json.loads(line)["text"] for line in (out / "segments.jsonl").read_text().splitlines()]
    assert "Le texte de l'article, en CRLF." in texts  # invisible and control characters gone
    assert "Le Comité a déclaré : « Très bien »." in texts  # cp1252 detected
    seed_lines = sum(1 for line in SEEDS[0].read_text().splitlines() if line.strip())
    assert docs.count(str(SEEDS[0])) >= seed_lines  # the seed's document is complete
    run = json.loads((out / "run.json").read_text())
    assert [f["doc"] for f in run["failures"]] == [str(bad)]
