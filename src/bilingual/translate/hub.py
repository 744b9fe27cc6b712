"""Finding a model: a local directory in the opus-mt layout, or a Hugging Face hub id.

A hub id is looked up in the local cache first.  Only when it is not cached, the Hub is probed with
a short connection test before anything is downloaded: ``from_pretrained`` on an unreachable Hub
retries for minutes and then fails with an unrelated error, where a user needs to hear at once how
to pass a local directory.  No torch here.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path
from urllib.parse import urlparse

from ..errors import ModelError

__all__ = [
    "MODEL_FILES",
    "ResolvedModel",
    "fingerprint",
    "generation_beams",
    "model_revision",
    "resolve_model",
]

# What an opus-mt directory must hold (weights in either format).
MODEL_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
_PROBE_TIMEOUT = 3.0


class ResolvedModel:
    """A model's name as the user gave it and the local directory that holds it."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path

    def __repr__(self) -> str:
        return f"ResolvedModel({self.name!r}, {str(self.path)!r})"


def resolve_model(name: str | os.PathLike[str]) -> ResolvedModel:
    """The local directory of a model given as a directory or a hub id.

    Raises:
        ModelError: the directory is missing or incomplete, or the hub id is neither cached nor
            downloadable; the message says how to pass a local directory instead.
    """
    text = os.fspath(name)
    path = Path(text).expanduser()
    if path.is_dir():
        check_layout(path)
        return ResolvedModel(text, path)
    if _looks_like_path(text):
        raise ModelError(f"model directory {text!r} does not exist")
    cached = _from_cache(text)
    if cached is not None:
        check_layout(cached)
        return ResolvedModel(text, cached)
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes") or not _hub_reachable():
        raise ModelError(
            f"model {text!r} is not a local directory, is not in the Hugging Face cache, and the "
            "Hub cannot be reached. Download it where there is internet "
            f"(`huggingface-cli download {text} --local-dir DIR`) and pass the directory, e.g. "
            f"`--model en=DIR` or Translator('DIR'); or use --no-mt to run without models"
        )
    return ResolvedModel(text, _download(text))


def check_layout(path: Path) -> None:
    """Raise a :class:`ModelError` naming what an opus-mt directory lacks."""
    missing = [f for f in MODEL_FILES if not (path / f).is_file()]
    if not any((path / f).is_file() for f in WEIGHT_FILES):
        missing.append(" or ".join(WEIGHT_FILES))
    if missing:
        raise ModelError(
            f"model directory {str(path)!r} is not in the opus-mt layout: "
            f"missing {', '.join(missing)}"
        )


def model_revision(path: Path) -> str:
    """A short fingerprint of a model directory's files (names, sizes, modification times)."""
    digest = hashlib.sha256()
    for f in sorted(path.iterdir()):
        if f.is_file():
            stat = f.stat()
            digest.update(f"{f.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def fingerprint(name: str, revision: str, precision: str) -> str:
    """What makes a model's output what it is, as the cache keys on it and provenance records
    it: ``id@revision:precision`` (a loaded :class:`~bilingual.Translator`'s, and a model found
    without loading its weights)."""
    return f"{name}@{revision}:{precision}"


def _looks_like_path(text: str) -> bool:
    return (
        text.startswith((".", "/", "~")) or text.count("/") > 1 or os.sep in text.replace("/", "")
    )


def _from_cache(repo_id: str) -> Path | None:
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # not cached, or not a valid repo id: both mean "look further"
        return None


def _hub_reachable() -> bool:
    from huggingface_hub import constants

    url = urlparse(constants.ENDPOINT)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=_PROBE_TIMEOUT):
            return True
    except OSError:
        return False


def _download(repo_id: str) -> Path:
    from huggingface_hub import snapshot_download

    patterns = [*MODEL_FILES, *WEIGHT_FILES, "generation_config.json", "tokenizer_config.json"]
    try:
        return Path(snapshot_download(repo_id, allow_patterns=patterns))
    except Exception as e:
        raise ModelError(f"model {repo_id!r} could not be downloaded from the Hub: {e}") from e


def generation_beams(name: str | os.PathLike[str]) -> int | None:
    """A model's own beam width, as its generation config gives it (``generation_config.json``,
    else the legacy ``config.json``; 1 where neither says), read without loading the weights or
    reaching the Hub: ``None`` for a model that is neither a directory nor in the local cache."""
    text = os.fspath(name)
    path: Path | None = Path(text).expanduser()
    if path is None or not path.is_dir():
        path = None if _looks_like_path(text) else _from_cache(text)
    if path is None:
        return None
    for file in ("generation_config.json", "config.json"):
        try:
            data = json.loads((path / file).read_text("utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            return None
        beams = data.get("num_beams", 1) if isinstance(data, dict) else None
        return beams if isinstance(beams, int) and beams >= 1 else None
    return None
