"""Shared fixtures: tiny real Marian models built once per session, and the shared corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
# French sentences of the seeds' kind, for the engine tests.
SENTENCES = [
    "Scène de la réunion matinale du 22 décembre.",
    "Le Comité central pour la mobilisation des masses.",
    "Truong Thi Mai a prononcé un discours.",
    "Selon VNA",
    "Après 4 ans de mise en œuvre de la décision n° 209 du 26 novembre 2019 du Politburo sur la fusion.",
    "Bonjour.",
    "Les comités du Parti et les organes représentatifs à tous les niveaux.",
]
# The reference corpora live beside the repository, never in it.
CORPORA = Path(os.environ.get("BILINGUAL_CORPORA", ROOT.parent / "shared" / "corpora"))


def corpus_lines(name: str) -> list[str]:
    """Lines of a shared corpus file; skips the test when the corpora are not beside the repo."""
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path.read_text("utf-8").split("\n")[:-1]


def seed_texts() -> list[str]:
    return [p.read_text("utf-8") for p in SEEDS]


@pytest.fixture(scope="session")
def model_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two tiny opus-mt-layout models (fr->en, fr->vi) with different random weights."""
    from development.tiny_models import build_marian

    root = tmp_path_factory.mktemp("models")
    return {
        lang: build_marian(root / f"opus-mt-fr-{lang}", seed_texts(), seed=seed)
        for seed, lang in enumerate(("en", "vi"))
    }


@pytest.fixture(scope="session")
def tiny_translator(model_dirs: dict[str, Path]):  # type: ignore[no-untyped-def]
    from bilingual import Translator

    return Translator(model_dirs["en"], device="cpu")


@pytest.fixture(scope="session")
def seeds_built(tmp_path_factory: pytest.TempPathFactory, model_dirs: dict[str, Path]) -> Path:
    """The seeds built once by the command with both tiny models and no cache (its translation
    cache home set inside the same folder, so a cache written anyway would show there): the
    output directory, ``ROOT/out``, for tests that only read it.  A test must not change it."""
    from bilingual.cli import main

    root = tmp_path_factory.mktemp("seeds-built")
    out = root / "out"
    args = [*map(str, SEEDS), "-o", str(out), "--device", "cpu", "-q", "--no-cache"]
    args += ["--model", f"en={model_dirs['en']}", "--model", f"vi={model_dirs['vi']}"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "xdg-cache"))
        assert main(args) == 0
    return out


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test's translation cache out of the user's home directory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
