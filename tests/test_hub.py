"""Resolving a model name to a directory, without a network."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bilingual.errors import ModelError
from bilingual.translate.hub import check_layout, resolve_model


def test_local_directory_is_used_as_is(model_dirs: dict[str, Path]) -> None:
    assert resolve_model(model_dirs["vi"]).path == model_dirs["vi"]


def test_missing_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "nope"))


def test_incomplete_directory_lists_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError) as e:
        check_layout(tmp_path)
    for name in ("source.spm", "target.spm", "vocab.json", "model.safetensors"):
        assert name in str(e.value)


def test_uncached_hub_id_fails_fast_with_a_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.monotonic()
    with pytest.raises(ModelError, match="--model en=DIR") as e:
        resolve_model("Helsinki-NLP/opus-mt-fr-en")
    assert "not in the Hugging Face cache" in str(e.value)
    assert time.monotonic() - started < 30  # transformers alone retries for minutes


def test_cached_hub_id_resolves_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_dirs: dict[str, Path]
) -> None:
    # Lay the tiny model out as the Hugging Face cache does: refs/main -> snapshots/<commit>.
    repo = tmp_path / "models--Helsinki-NLP--opus-mt-fr-en"
    commit = "0" * 40
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    for f in model_dirs["en"].iterdir():
        (snapshot / f.name).write_bytes(f.read_bytes())
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants as constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    assert resolve_model("Helsinki-NLP/opus-mt-fr-en").path == snapshot
