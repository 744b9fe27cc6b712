"""The ``translate`` command end to end, on the seeds, with and without tiny real models."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from bilingual.cli import main
from bilingual.document import CONTENT_ROLES
from conftest import SEEDS


def records(outdir: Path, name: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in (outdir / name).read_text("utf-8").splitlines()]


def test_no_mt_writes_segments_and_pairs(tmp_path: Path) -> None:
    assert main([*map(str, SEEDS), "-o", str(tmp_path), "--no-mt", "--quiet"]) == 0
    segments = records(tmp_path, "segments.jsonl")
    assert {r["doc"] for r in segments} == {str(p) for p in SEEDS}
    assert all(r["translations"] == {} for r in segments)
    pairs = records(tmp_path, "pairs.fr-vi.jsonl")
    assert len(pairs) == 2 and all(set(p) >= {"doc", "vi", "fr", "score"} for p in pairs)
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["documents"] == 2 and run["failures"] == []


@pytest.mark.slow  # a build with models
def test_with_models_every_french_segment_is_translated(seeds_built: Path) -> None:
    tmp_path = seeds_built  # the command's build of the seeds with both models (conftest)
    segments = records(tmp_path, "segments.jsonl")
    french = [r for r in segments if r["lang"] == "fr" and r["role"] in CONTENT_ROLES]
    assert len(french) > 40
    assert all(r["translations"].get("en") and r["translations"].get("vi") for r in french)
    assert all(r["translations"] == {} for r in segments if r["role"] == "chrome")
    tus = ET.parse(tmp_path / "corpus.tmx").getroot().findall("./body/tu")
    assert len(tus) == len(french)
    assert all(len(tu.findall("tuv")) == 3 for tu in tus)
    assert len((tmp_path / "mt.fr-en.en").read_text("utf-8").splitlines()) == len(french)


def test_a_bad_document_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    code = main(
        [
            str(SEEDS[0]),
            str(tmp_path / "missing.txt"),
            str(empty),
            str(SEEDS[1]),
            "-o",
            str(out),
            "--no-mt",
            "-q",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "missing.txt: no such file" in err and "empty.txt: the file is empty" in err
    assert "Traceback" not in err
    assert {r["doc"] for r in records(out, "segments.jsonl")} == {str(SEEDS[0]), str(SEEDS[1])}
    run = json.loads((out / "run.json").read_text())
    assert len(run["failures"]) == 2


@pytest.mark.parametrize(
    ("kind", "message"), [("missing", "does not exist"), ("broken", "missing source.spm")]
)
@pytest.mark.slow  # a build with models
def test_a_broken_model_does_not_stop_the_other_target(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    model_dirs: dict[str, Path],
    kind: str,
    message: str,
) -> None:
    if kind == "broken":
        (tmp_path / "nope").mkdir()
        (tmp_path / "nope" / "config.json").write_bytes(
            (model_dirs["en"] / "config.json").read_bytes()
        )
    out = tmp_path / "o"
    args = [str(SEEDS[0]), "-o", str(out), "--model", f"en={tmp_path / 'nope'}"]
    args += ["--model", f"vi={model_dirs['vi']}", "--device", "cpu", "-q", "--no-cache"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "no en translation" in err and "nope" in err and message in err
    assert "Traceback" not in err
    segments = records(out, "segments.jsonl")
    french = [r for r in segments if r["lang"] == "fr" and r["role"] != "chrome"]
    assert french and all(set(r["translations"]) == {"vi"} for r in french)
    run = json.loads((out / "run.json").read_text())
    assert [f["model"] for f in run["failures"]] == [str(tmp_path / "nope")]


@pytest.mark.slow  # two builds with models
def test_workers_change_the_speed_not_the_output(
    tmp_path: Path, model_dirs: dict[str, Path]
) -> None:
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / workers
        args = [*map(str, SEEDS), "-o", str(out), "--device", "cpu", "--quiet", "--no-cache"]
        args += ["--model", f"vi={model_dirs['vi']}", "--to", "vi", "--workers", workers]
        assert main(args) == 0
        outputs.append((out / "mt.fr-vi.vi").read_text("utf-8"))
    assert outputs[0] == outputs[1] and outputs[0].strip()


@pytest.mark.parametrize("workers", ["0", "-1", "two"])
def test_workers_must_be_a_positive_number(tmp_path: Path, workers: str) -> None:
    with pytest.raises(SystemExit) as e:
        main([str(SEEDS[0]), "-o", str(tmp_path), "--no-mt", "--workers", workers])
    assert e.value.code == 2


def test_bad_model_flag_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as e:
        main([str(SEEDS[0]), "-o", str(tmp_path), "--model", "nolang"])
    assert e.value.code == 2


@pytest.mark.slow  # a subprocess
def test_directories_and_stdin_are_inputs(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_bytes(SEEDS[0].read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "bilingual", str(tmp_path / "in"), "-", "-o", str(tmp_path / "out"), "--no-mt"],
        input=SEEDS[1].read_bytes(), capture_output=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    docs = {r["doc"] for r in records(tmp_path / "out", "segments.jsonl")}
    assert docs == {str(tmp_path / "in" / "sub" / "a.txt"), "-"}


@pytest.mark.slow  # a subprocess
@pytest.mark.parametrize(
    "code",
    [
        "import bilingual, sys; assert 'torch' not in sys.modules and 'transformers' not in sys.modules",
        "from bilingual import *; import sys; assert 'torch' not in sys.modules",
        "import sys; from bilingual.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules",
    ],
    ids=["import", "star-import", "help"],
)
def test_light_paths_do_not_import_torch(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


@pytest.mark.slow  # translates for seconds with the tiny models
def test_scores_and_nbest_alternatives_are_written(
    tmp_path: Path, model_dirs: dict[str, Path]
) -> None:
    args = [str(SEEDS[1]), "-o", str(tmp_path), "--device", "cpu", "--quiet", "--no-cache"]
    args += ["--model", f"vi={model_dirs['vi']}", "--to", "vi", "--nbest", "2"]
    assert main(args) == 0
    french = [r for r in records(tmp_path, "segments.jsonl") if r["translations"]]
    assert french
    for record in french:
        assert isinstance(record["scores"]["vi"], float)
        (alternative,) = record["alternatives"]["vi"]
        assert alternative["score"] <= record["scores"]["vi"]
    run = json.loads((tmp_path / "run.json").read_text())
    assert (run["beams"], run["nbest"]) == (None, 2)
