"""Provenance: what produced a corpus, for the TMX header and ``run.json`` (sacrebleu's idea of a
signature).  Produced by the library, so a Python caller's files say as much as the command's."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .routes import Route

__all__ = ["PACKAGES", "VERSION", "installed", "library_versions", "provenance"]

# The packages whose versions change what a corpus contains.
PACKAGES = ("bilingual", "torch", "transformers", "sentencepiece", "nltk")


def installed(package: str) -> str:
    """The installed version of ``package`` (``not installed`` when it is not)."""
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


# bilingual's own version: pyproject.toml's, as installed (``bilingual.__version__``).
VERSION = installed("bilingual")


def library_versions() -> dict[str, str]:
    """Installed version of each of :data:`PACKAGES`."""
    return {package: installed(package) for package in PACKAGES}


def provenance(
    models: Mapping[str, str], routes: Mapping[str, Route], settings: Mapping[str, Any]
) -> dict[str, Any]:
    """Tool version, the models asked for, what each loaded one is exactly (model, revision,
    precision), the settings, and library versions.

    Args:
        models: target language -> the model as the caller named it (loaded or not).
        routes: target language -> how it is translated (the engine that loaded, directly or
            through another target).
        settings: the settings that shape the output (device, precision, beams).
    """
    return {
        "version": VERSION,
        "models": dict(models),
        "model_revisions": {
            lang: route.engine.fingerprint or route.engine.name for lang, route in routes.items()
        },
        "routes": {lang: route.name for lang, route in routes.items()},
        **settings,
        "mt": bool(models),
        "versions": library_versions(),
    }
