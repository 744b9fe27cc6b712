"""A run is checked in one place, before any model loads: settings that contradict each other,
or a model's own generation config, fail before any weights are read or any document is
translated (no model and no subprocess needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bilingual import Config, ConfigError, Pivot, Routes, Settings
from bilingual.cli import main
from bilingual.flags import build_parser, config_from
from bilingual.translate.hub import generation_beams
from conftest import SEEDS


@pytest.mark.parametrize(("beams", "nbest"), [(4, 6), (1, 2)])
def test_nbest_beyond_the_beams_is_a_settings_error(beams: int, nbest: int) -> None:
    with pytest.raises(ConfigError, match=rf"nbest \({nbest}\).*beams \({beams}\)"):
        Config.of(None, Settings(beams=beams, nbest=nbest))


@pytest.mark.parametrize(("beams", "nbest"), [(4, 4), (None, 6), (6, 6), (1, 1)])
def test_nbest_within_the_beams_is_accepted(beams: int | None, nbest: int) -> None:
    assert Config.of(None, Settings(beams=beams, nbest=nbest)).settings.nbest == nbest


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


def test_an_unknown_executor_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="local, ray"):
        Config.of(None, Settings(executor="spark"))


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], ("local", None, None, None)),
        (["--ray"], ("ray", None, None, None)),
        (["--ray", "--actors", "3"], ("ray", None, 3, None)),
        (
            ["--ray=ray://head:10001", "--gpus-per-actor", "0.5"],
            ("ray", "ray://head:10001", None, 0.5),
        ),
    ],
)
def test_flags_become_the_run_s_settings(
    flags: list[str], expected: tuple[Any, ...], tmp_path: Path
) -> None:
    args = build_parser().parse_args([str(SEEDS[0]), "-o", str(tmp_path), "--no-mt", *flags])
    settings = config_from(args).settings
    assert (
        settings.executor,
        settings.ray_address,
        settings.actors,
        settings.gpus_per_actor,
    ) == expected


@pytest.mark.parametrize(
    "flags", [["--actors", "2"], ["--gpus-per-actor", "1"], ["--ray", "--gpus-per-actor", "-1"]]
)
def test_pool_flags_need_ray_and_sensible_numbers(
    flags: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main([str(SEEDS[0]), "-o", str(tmp_path), "--no-mt", "-q", *flags])
    except SystemExit as e:  # argparse's own checks of a flag's value
        code = e.code  # type: ignore[assignment]
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def opus_mt_config(directory: Path, generation: dict[str, Any] | None) -> Path:
    """A model directory with its configuration and no weights: whatever is checked from it was
    checked without loading a model."""
    directory.mkdir()
    (directory / "config.json").write_text(json.dumps({"model_type": "marian", "num_beams": 6}))
    if generation is not None:
        (directory / "generation_config.json").write_text(json.dumps(generation))
    return directory


@pytest.mark.parametrize(
    ("generation", "beams"), [({"num_beams": 4}, 4), ({"max_length": 512}, 1), (None, 6)]
)
def test_a_models_own_beams_are_read_from_its_generation_config(
    tmp_path: Path, generation: dict[str, Any] | None, beams: int
) -> None:
    assert generation_beams(opus_mt_config(tmp_path / "m", generation)) == beams
    assert generation_beams(tmp_path / "absent") is None  # it fails as it loads, reported then


def test_generation_beams_agree_with_the_loaded_model(tiny_translator: Any) -> None:
    assert generation_beams(tiny_translator.loaded.model.name_or_path) == (
        tiny_translator.default_beams
    )


def test_nbest_beyond_a_models_own_beams_exits_before_any_weights_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = opus_mt_config(tmp_path / "opus-mt-fr-en", {"num_beams": 4})  # no weights at all
    out = tmp_path / "out"
    args = [str(SEEDS[0]), "-o", str(out), "-q", "--to", "en", "--model", f"en={model}"]
    assert main([*args, "--nbest", "6"]) == 2
    err = capsys.readouterr().err
    assert "4 beams" in err and "--nbest" in err and "Traceback" not in err
    assert not out.exists()
    with pytest.raises(ConfigError, match="4 beams"):  # the API says the same
        Config.of({"en": str(model)}, Settings(nbest=6))
    assert Config.of({"en": str(model)}, Settings(nbest=6, beams=6)).settings.nbest == 6


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({"vi": Pivot("en", "m")}, "pivots through en"),
        ({"en": "a", "vi": Pivot("en", "b"), "x": Pivot("vi", "c")}, "must be translated directly"),
        ({"en": "a", "fr": Routes("b", Pivot("en", "c"))}, "compared only for 'vi'"),
        ({"en": "a", "vi": Routes("b", Pivot("en", "c"), use="both")}, "'direct' or 'pivot'"),  # type: ignore[arg-type]
        ({"en": 42}, "not a translator"),
    ],
)
def test_routes_and_translators_are_checked_before_anything_loads(
    targets: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.of(targets)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(window=0), "window"),
        (Settings(threads=0), "threads"),
        (Settings(device="tpu"), "unknown device"),
        (Settings(device="cpu", precision="fp16"), "does not run on cpu"),
        (Settings(device="cuda", precision="int8"), "does not run on cuda"),
        (Settings(precision="fp64"), "unknown precision"),
        (Settings(dedupe="fuzzy"), "dedupe"),
        (Settings(executor="ray", actors=0), "actors"),
    ],
)
def test_settings_that_cannot_work_are_config_errors(settings: Settings, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.of(None, settings)


def test_a_config_is_frozen_and_described_once() -> None:
    config = Config.of({"en": "a", "vi": Routes("b", Pivot("en", "c"), use="pivot")})
    assert [t.route for t in config.targets.values()] == ["direct", "pivot via en"]
    assert config.generation.num_return_sequences == 1
    with pytest.raises(AttributeError):
        config.settings = Settings()  # type: ignore[misc]
