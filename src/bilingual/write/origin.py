"""Where each corpus row comes from: a human translation found on the page, or a model.

A caption pair is a human translation (the site's own Vietnamese beside its French); a row of the
machine-translation files was made by a model, by a route (``direct``, or ``pivot via en``).
Every format with room for it says so on each row: a TSV column, a JSONL field, a TMX ``prop``,
a Parquet column; Moses files stay plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["HUMAN", "Origin", "machine_origins"]


@dataclass(frozen=True)
class Origin:
    """Who translated a row.

    Attributes:
        kind: ``human`` (a caption pair found on the page) or ``mt`` (machine translation).
        model: for ``mt``, the model exactly (``id@revision:precision``, as ``run.json``'s
            ``model_revisions`` says it).
        route: for ``mt``, ``direct`` or ``pivot via L``.
    """

    kind: Literal["human", "mt"]
    model: str = ""
    route: str = ""


HUMAN = Origin("human")


def machine_origins(provenance: Mapping[str, Any], targets: list[str]) -> dict[str, Origin]:
    """The origin of each target's machine translations, from a run's provenance record
    (:func:`~bilingual.provenance.provenance`); a record without models gives empty names."""
    revisions = provenance.get("model_revisions") or {}
    models = provenance.get("models") or {}
    routes = provenance.get("routes") or {}
    return {
        lang: Origin("mt", str(revisions.get(lang) or models.get(lang) or ""), routes.get(lang, ""))
        for lang in targets
    }
