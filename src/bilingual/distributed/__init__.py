"""Building a corpus on a Ray cluster: ``build_corpus(…, Settings(engine="ray"))``, ``--ray``.

The ``ray`` extra (``pip install 'bilingual[ray]'``) is imported only when a Ray build starts;
``import bilingual`` and local runs never import it.  Ray Data runs the stages over one row per
document (a page stays whole, so the aligner always sees all of it): reading, parsing and splitting
as tasks, translation as a pool of actors that load each model once, alignment as tasks; the
documents come back to the driver, which writes the same corpus files a local run writes.
"""

from __future__ import annotations

from .backend import RayBackend

__all__ = ["RayBackend"]
