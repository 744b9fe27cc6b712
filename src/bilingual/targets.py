"""What translates into each target language: one :class:`Target` per target, checked as a whole.

A caller names a target's translation three ways (a model, a :class:`~bilingual.Pivot`, or
:class:`~bilingual.Routes`); :meth:`Target.of` is the one place those are told apart.  From then
on a target is its name, the models it loads (:meth:`Target.load`), and its routes
(:meth:`Target.routes`); :func:`check_routes` is the one check that every pivot goes through a
target translated directly, made before any model loads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from .errors import ConfigError
from .routes import Pivot, Pivoting, Route, Routes, TargetSpec, route_name
from .translate.base import Engine, TranslatorSpec
from .translate.spec import as_engine

__all__ = ["Target", "check_routes", "model_name", "plan_routes"]


@dataclass(frozen=True)
class Target:
    """One target language and what translates into it.

    Attributes:
        lang: the target language.
        direct: the model from French, if any (an id, a directory, a translator; an
            :class:`~bilingual.translate.Engine` once loaded).
        pivot: the pivot through another target's translations, if any.
        use: the route that translates (``direct`` or ``pivot``); with both given, the other is
            compared on the page's caption pairs.
    """

    lang: str
    direct: TranslatorSpec | None = None
    pivot: Pivot | None = None
    use: Literal["direct", "pivot"] = "direct"

    @classmethod
    def of(cls, lang: str, spec: TargetSpec | Target) -> Target:
        """The target a caller's spec names (a model, a :class:`Pivot`, :class:`Routes`)."""
        if isinstance(spec, Target):
            return spec
        if isinstance(spec, Routes):
            return cls(lang, spec.direct, spec.pivot, spec.use)
        if isinstance(spec, Pivot):
            return cls(lang, None, spec, "pivot")
        return cls(lang, spec)

    @property
    def compared(self) -> bool:
        """Both routes given: the one not used is measured against the used one."""
        return self.direct is not None and self.pivot is not None

    @property
    def model(self) -> TranslatorSpec:
        """The model of the route used."""
        if self.use == "pivot":
            assert self.pivot is not None
            return self.pivot.model
        assert self.direct is not None
        return self.direct

    @property
    def route(self) -> str:
        """The route used, as provenance names it (``direct``, ``pivot via en``)."""
        return route_name(self.pivot.via if self.use == "pivot" and self.pivot else None)

    @property
    def name(self) -> str:
        """The model of the route used, as the caller named it (see :func:`model_name`)."""
        return model_name(self.model)

    @property
    def models(self) -> list[TranslatorSpec]:
        """Every model the target loads: the pivot's first, as :meth:`load` loads them."""
        pivot = [] if self.pivot is None else [self.pivot.model]
        return pivot + ([] if self.direct is None else [self.direct])

    def load(self, load: Callable[[TranslatorSpec], Engine]) -> Target:
        """The target with its models loaded by ``load`` (the pivot's first).

        Raises:
            ModelError: a model that cannot be loaded.
        """
        pivot = None if self.pivot is None else Pivot(self.pivot.via, load(self.pivot.model))
        direct = None if self.direct is None else load(self.direct)
        return replace(self, direct=direct, pivot=pivot)

    def engines(self) -> list[Engine]:
        """The loaded engines (see :meth:`load`)."""
        return [m for m in reversed(self.models) if isinstance(m, Engine)]

    def direct_only(self) -> Target:
        """The target translated by its direct model alone (its pivot dropped)."""
        return replace(self, pivot=None, use="direct")

    def routes(self) -> tuple[Route, Route | None]:
        """The route used and, for a compared target, the other one (a loaded target's)."""
        direct = None if self.direct is None else Route(as_engine(self.direct))
        pivot = None
        if self.pivot is not None:
            via = self.pivot.via
            pivot = Route(Pivoting(as_engine(self.pivot.model), via), via)
        used, other = (direct, pivot) if self.use == "direct" else (pivot, direct)
        assert used is not None
        return used, other


def model_name(spec: TranslatorSpec) -> str:
    """A model as the caller named it: the id or path given, or the translator's name."""
    if isinstance(spec, (str, os.PathLike)):
        return os.fspath(spec)
    return as_engine(spec).name


def check_routes(targets: Mapping[str, Target]) -> None:
    """Every pivot (used or compared) goes through a target translated directly.

    Raises:
        ConfigError: a pivot through a target that is missing, or translated through a pivot.
    """
    for lang, target in targets.items():
        via = target.pivot.via if target.pivot is not None else None
        if via is not None and (via not in targets or targets[via].use != "direct"):
            raise ConfigError(
                f"{lang} pivots through {via}, which must be translated directly too: "
                f"add a model for {via}"
            )


def plan_routes(targets: Mapping[str, Target]) -> tuple[dict[str, Route], dict[str, Route]]:
    """The route of each (loaded) target, in an order where a pivot comes after the target it
    goes through, and for compared targets, the route not used.

    Raises:
        ConfigError: see :func:`check_routes`.
    """
    check_routes(targets)
    used: dict[str, Route] = {}
    others: dict[str, Route] = {}
    for lang, target in targets.items():
        used[lang], other = target.routes()
        if other is not None:
            others[lang] = other
    direct_first = sorted(used, key=lambda lang: used[lang].via is not None)
    return {lang: used[lang] for lang in direct_first}, others
