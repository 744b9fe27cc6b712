"""Running a build on a Ray cluster: ``build_corpus(…, Settings(executor="ray"))``, ``--ray``.

The ``ray`` extra (``pip install 'bilingual[ray]'``) is imported only when a Ray run starts;
``import bilingual`` and local runs never import it.  Ray Data runs the pipeline's steps over one
row per document (a page stays whole, so the aligner always sees all of it): preparing (reading,
parsing, splitting) as tasks, the rest in a pool of actors that load the models once (as tasks
without translation); the documents come back to the driver, which writes the same corpus files
a local run writes.
"""

from __future__ import annotations

from .executor import RayExecutor

__all__ = ["RayExecutor"]
