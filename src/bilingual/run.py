"""What a run reports: a backend's result once its documents are done, and ``run.json``.

``run.json`` is made of parts that come from different places (the plan's provenance, the corpus
rows' settings, the run's report, where it ran); :class:`RunRecord` declares them, and a key two
parts share is an error rather than one silently overwriting the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BackendResult", "RunRecord", "merged"]


@dataclass
class BackendResult:
    """What a backend reports once its documents are done.

    Attributes:
        failures: the models that could not be loaded, and a cache on a full disk.
        cache: translation cache ``hits`` and ``misses``.
        route_comparison: per compared target, the routes' measures
            (:meth:`~bilingual.routes.RouteComparison.report`).
    """

    failures: list[dict[str, str]]
    cache: dict[str, int]
    route_comparison: dict[str, dict[str, object]]


@dataclass(frozen=True)
class RunRecord:
    """``run.json``, part by part, in the order written.

    Attributes:
        provenance: what produced the corpus (:func:`~bilingual.provenance.provenance`, with
            ``route_notes`` when a route was dropped).
        rows: what decides the corpus rows (``dedupe``, ``exclude``).
        report: the run's report (:class:`~bilingual.RunReport`'s fields).
        ran_on: where it ran (the Ray pool; nothing, locally).
    """

    provenance: Mapping[str, Any]
    rows: Mapping[str, Any]
    report: Mapping[str, Any]
    ran_on: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The record as ``run.json`` holds it.

        Raises:
            ValueError: two parts with the same key.
        """
        return merged(self.provenance, self.rows, self.report, self.ran_on)


def merged(*parts: Mapping[str, Any]) -> dict[str, Any]:
    """The parts' keys together, in order.

    Raises:
        ValueError: a key in two parts (one would overwrite the other).
    """
    record: dict[str, Any] = {}
    for part in parts:
        shared = record.keys() & part.keys()
        if shared:
            raise ValueError(f"run.json would hold {', '.join(sorted(shared))} twice")
        record.update(part)
    return record
