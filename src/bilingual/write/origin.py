"""Where each corpus row comes from: a human translation found on the page, or a model.

A caption pair is a human translation (the site's own Vietnamese beside its French); a row of the
machine-translation files was made by a model, by a route (``direct``, or ``pivot via en``).
Every format with room for it says so on each row: a TSV column, a JSONL field, a TMX ``prop``,
a Parquet column; Moses files stay plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ARTICLE", "HUMAN", "Origin"]


@dataclass(frozen=True)
class Origin:
    """Who translated a row.

    Attributes:
        kind: ``human`` (a caption pair found on the page), ``article`` (sentences of the page
            linked with the Vietnamese original it translates) or ``mt`` (machine translation).
        model: for ``mt``, the model exactly (``id@revision:precision``, as ``run.json``'s
            ``model_revisions`` says it).
        route: for ``mt``, ``direct`` or ``pivot via L``.
    """

    kind: Literal["human", "mt", "article"]
    model: str = ""
    route: str = ""


HUMAN = Origin("human")
ARTICLE = Origin("article")
