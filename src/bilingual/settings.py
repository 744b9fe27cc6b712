"""How a corpus is built: the one settings object the command's flags become, and the library's
callers fill in.  It travels down the layers (corpus -> backend -> pipeline -> translators)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .pipeline import DEFAULT_WINDOW
from .translate.base import Generation, check_alternatives
from .translate.devices import DEFAULT_DEVICE, DEFAULT_PRECISION
from .write.dedupe import DEFAULT_DEDUPE

__all__ = ["ENGINES", "Settings"]

# Where documents are processed: in this process, or on a Ray cluster (the ``ray`` extra).
ENGINES = ("local", "ray")


@dataclass(frozen=True)
class Settings:
    """How a corpus is built.

    Attributes:
        device: ``auto``, ``cpu``, ``cuda`` or ``mps``, for models given as ids or paths.
        precision: ``fp32``, ``int8`` (CPU), ``fp16`` or ``bf16`` (GPU), likewise.
        beams: beam width; 1 is greedy decoding (the fastest); ``None``: each model's generation
            config (4 for opus-mt).
        nbest: hypotheses kept per sentence: the best, and ``nbest - 1`` alternatives in
            ``segments.jsonl``.
        threads: torch threads per model (``None``: torch's default).
        workers: batches decoded at once on CPU (``None``: 2 with 2 threads or more).
        window: French sentences read ahead and translated together.
        resume: reuse the documents an interrupted run with the same settings finished.
        cache: look translations up in, and store them to, a translation cache.
        cache_path: the cache's file (``None``: ``~/.cache/bilingual/translations.sqlite``).
        min_score: keep in the machine-translation files (``mt.fr-L.*``, the TMX) only the
            translations whose score is at least this; ``segments.jsonl`` keeps every one with
            its score, and the caption pairs (human translations) are never filtered.
        engine: ``local`` (this process) or ``ray`` (a Ray cluster; the ``ray`` extra).
        ray_address: the Ray cluster to join (``None``: ``RAY_ADDRESS``, else a local one).
        actors: translation actors on the cluster, each with its own copy of the models.
        gpus_per_actor: GPUs each translation actor takes (0: CPU actors, ``threads`` each).
        report: write ``report.html``, a page to look at the corpus (see
            :func:`~bilingual.write_report`).
        dedupe: duplicate rows of the corpus files written once (``exact``, the default),
            also near-duplicates (``normalized``: case, punctuation, spacing and accents
            folded) or all (``none``); ``segments.jsonl`` keeps every segment.
        exclude: test-set files (one sentence per line) whose sentences no corpus row may have.
        parquet: also write ``corpus.parquet`` (the ``parquet`` extra).

    Raises:
        ConfigError: ``nbest`` above ``beams`` (the alternatives are the other beams), checked
            as the settings are made, before any model loads; with ``beams=None``, each model's
            own beams are checked as it loads (:meth:`check_model_beams`).
    """

    device: str = DEFAULT_DEVICE
    precision: str = DEFAULT_PRECISION
    beams: int | None = None
    nbest: int = 1
    threads: int | None = None
    workers: int | None = None
    window: int = DEFAULT_WINDOW
    resume: bool = False
    cache: bool = True
    cache_path: Path | None = None
    min_score: float | None = None
    engine: str = "local"
    ray_address: str | None = None
    actors: int = 1
    gpus_per_actor: float = 0.0
    report: bool = True
    dedupe: str = DEFAULT_DEDUPE
    exclude: tuple[Path, ...] = ()
    parquet: bool = False

    def __post_init__(self) -> None:
        if self.beams is not None:
            check_alternatives(self.nbest, self.beams, flags=True)

    def check_model_beams(self, model: str, default_beams: int) -> None:
        """Check ``nbest`` against a model's own beam width, when ``beams`` leaves it to the
        model's generation config: called as each model loads, before anything is translated.

        Raises:
            ConfigError: ``nbest`` above the model's beams.
        """
        if self.beams is None:
            check_alternatives(self.nbest, default_beams, model, flags=True)

    def generation(self) -> Generation:
        """The decoding settings, as :class:`~bilingual.Pipeline` and the engines take them."""
        return Generation(num_beams=self.beams, num_return_sequences=self.nbest)

    def about(self) -> dict[str, object]:
        """The settings that shape the output, for provenance."""
        return {
            "device": self.device,
            "precision": self.precision,
            "beams": self.beams,
            "nbest": self.nbest,
            "min_score": self.min_score,
        }
