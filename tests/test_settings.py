"""Settings that contradict each other, or a model, fail before any document is translated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilingual import ConfigError, Settings
from bilingual.cli import main
from conftest import SEEDS


@pytest.mark.parametrize(("beams", "nbest"), [(4, 6), (1, 2)])
def test_nbest_beyond_the_beams_is_a_settings_error(beams: int, nbest: int) -> None:
    with pytest.raises(ConfigError, match=rf"nbest \({nbest}\).*beams \({beams}\)"):
        Settings(beams=beams, nbest=nbest)


@pytest.mark.parametrize(("beams", "nbest"), [(4, 4), (None, 6), (6, 6), (1, 1)])
def test_nbest_within_the_beams_is_accepted(beams: int | None, nbest: int) -> None:
    assert Settings(beams=beams, nbest=nbest).nbest == nbest


def test_nbest_beyond_beams_is_a_usage_error_before_any_model_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-model"  # loading it would fail: the error must come first
    out = tmp_path / "out"
    args = [str(SEEDS[0]), "-o", str(out), "--model", f"en={missing}", "--to", "en"]
    assert main([*args, "--beams", "4", "--nbest", "6", "-q"]) == 2
    err = capsys.readouterr().err
    assert "--nbest" in err and "--beams" in err and "Traceback" not in err
    assert "no-such-model" not in err  # no model was loaded
    assert not out.exists()


@pytest.mark.slow  # loads a model
def test_nbest_beyond_a_models_own_beams_fails_before_any_document_is_translated(
    tmp_path: Path, model_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = [*map(str, SEEDS), "-o", str(out), "--device", "cpu", "-q", "--no-cache"]
    args += ["--model", f"en={model_dirs['en']}", "--model", f"vi={model_dirs['vi']}"]
    assert main([*args, "--nbest", "6"]) == 2
    err = capsys.readouterr().err
    assert str(model_dirs["en"]) in err and "4 beams" in err and "--nbest" in err
    assert "Traceback" not in err
    assert not (out / "segments.jsonl").exists() and not (out / "run.json").exists()
    # Within the model's beams, the same run goes through with the alternatives.
    assert main([*args, "--nbest", "4"]) == 0
    segments = [json.loads(line) for line in (out / "segments.jsonl").read_text().splitlines()]
    assert any(len(r.get("alternatives", {}).get("en", [])) == 3 for r in segments)


def test_lines_check_nbest_against_the_models_beams_before_any_line(
    tmp_path: Path, model_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    source, out = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_text("Bonjour.\nMerci.\n", "utf-8")
    args = [
        "--lines",
        str(source),
        "-o",
        str(out),
        "--to",
        "en",
        "--model",
        f"en={model_dirs['en']}",
    ]
    assert main([*args, "--device", "cpu", "-q", "--no-cache", "--nbest", "6"]) == 2
    err = capsys.readouterr().err
    assert str(model_dirs["en"]) in err and "4 beams" in err and "Traceback" not in err
    assert not out.exists()
