"""The fitted models that score the article aligner's links (:mod:`bilingual.align.article`).

Two logistic models, as for captions: one for articles without machine translation, one for
articles whose French was translated into Vietnamese.  Each holds the log-odds a sentence left
out contributes to the programme (``skip``).  Written by ``python -m tools.fit_article``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ModelError
from .model import Model

__all__ = [
    "FEATURES",
    "MODEL_FILE",
    "LinkModel",
    "load_link_models",
    "save_link_models",
    "shipped_link_models",
]

MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "article_model.json"
# What a link is scored on (see links.Links.features); "vi_mt" and "fr_mt" only with MT.
FEATURES = (
    "vi_lex", "fr_lex", "weakest", "vi_mt", "fr_mt", "weakest_mt", "length", "length_log",
    "numbers", "names", "many", "role",
)  # fmt: skip


@dataclass(frozen=True)
class LinkModel:
    """A link model: the logistic :class:`~bilingual.align.model.Model` (its calibration maps
    its output to the share of such links that are right) and ``skip``, the log-odds of one
    sentence left out."""

    model: Model
    skip: float


def load_link_models(path: Path = MODEL_FILE) -> tuple[LinkModel, LinkModel]:
    """The models without and with machine translation.

    Raises:
        ModelError: the file is missing, is not such a file, or weighs a feature this version
            does not compute (refit with ``python -m tools.fit_article``).
    """
    try:
        data = json.loads(path.read_text("utf-8"))
        models = tuple(
            LinkModel(Model.from_json(data[key]), float(data[key]["skip"]))
            for key in ("without_mt", "with_mt")
        )
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ModelError(f"{path}: not an article model file ({e!r}); refit it with "
                         "`python -m tools.fit_article`") from e  # fmt: skip
    unknown = {n for m in models for n in m.model.weights} - set(FEATURES)
    if unknown:
        raise ModelError(f"{path}: weighs features this version does not compute "
                         f"({', '.join(sorted(unknown))}); refit it with "
                         "`python -m tools.fit_article`")  # fmt: skip
    return models[0], models[1]


def save_link_models(path: Path, without_mt: LinkModel, with_mt: LinkModel, about: str) -> None:
    """Write the two models atomically, as :func:`load_link_models` reads them."""
    from ..write.atomic import write_atomic

    data: dict[str, Any] = {"about": about, "features": list(FEATURES)}
    for key, m in (("without_mt", without_mt), ("with_mt", with_mt)):
        data[key] = {**m.model.as_json(), "skip": m.skip}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


@cache
def shipped_link_models() -> tuple[LinkModel, LinkModel]:
    """The shipped models, read once when first used."""
    return load_link_models()
