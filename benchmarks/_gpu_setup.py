"""What ``gpu_check.py`` runs on: the device, the precisions, the model and the sentences.

A bare CUDA machine lacks the pipeline's packages (nltk, lingua, sacrebleu, ...); the engine
(``bilingual.translate``) needs only torch, transformers and sentencepiece (transformers brings
huggingface_hub and tqdm), and importing it imports nothing else of bilingual's but
``bilingual.errors`` (the package's ``__init__`` is lazy), so the check imports it plainly.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

from development.corpora import CORPORA, ROOT

GPU_PRECISIONS = ("fp16", "bf16")
CACHE = ROOT / "benchmarks" / ".cache"
_WORDS = [
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "ministre",
    "ville",
    "gouvernement",
    "pays",
    "année",
    "projet",
    "habitants",
    "région",
    "économie",
    "élection",
    "rapport",
    "semaine",
    "président",
    "école",
    "route",
    "santé",
    "marché",
    "prix",
    "travail",
    "a",
    "annoncé",
    "mardi",
    "que",
    "selon",
    "dans",
    "pour",
    "avec",
    "sur",
    "entre",
    "après",
    "depuis",
    "plus",
    "nouveaux",
    "grande",
    "Paris",
    "Hanoï",
    "Lyon",
    "Saïgon",
    "Marseille",
    "Huế",
    "police",
    "tribunal",
    "musée",
    "hôpital",
    "festival",
]


class NoDevice(Exception):
    """The device asked for is not there (or runs none of the precisions asked for)."""


def choose(requested: str, precisions: list[str] | None) -> tuple[str, list[str]]:
    """The device and precisions to check.

    Raises:
        NoDevice: CUDA asked for and absent, an unknown device, or a precision it does not run.
    """
    import torch

    from bilingual.errors import ConfigError
    from bilingual.translate.devices import check_precision, choose_device

    if requested.split(":", 1)[0] not in ("cuda", "cpu"):
        raise NoDevice(f"--device {requested!r}: the check runs on cuda (or cpu for a dry run)")
    if requested.startswith("cuda") and not torch.cuda.is_available():
        raise NoDevice(
            f"torch {torch.__version__} sees no CUDA GPU (built for CUDA "
            f"{torch.version.cuda or 'none'}); run this on a CUDA machine, or "
            "--device cpu --dry-run to exercise the logic"
        )
    chosen = precisions or (list(GPU_PRECISIONS) if requested != "cpu" else ["fp32"])
    try:
        device = choose_device(requested, torch.cuda.is_available(), False)
        for precision in chosen:
            check_precision(device, precision)
    except ConfigError as e:
        raise NoDevice(str(e)) from None
    return device, chosen


def texts(n: int, dry_run: bool) -> list[str]:
    """``n`` distinct French sentences: NTREX's when the corpora are there, cycled with a
    number past its end; else generated ones (seeded)."""
    path = CORPORA / "ntrex128.fra"
    if path.exists() and not dry_run:
        lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
        return [lines[k % len(lines)] + (f" ({k // len(lines)})" if k >= len(lines) else "")
                for k in range(n)]  # fmt: skip
    return generated(n)


def generated(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct French-looking sentences of 4 to 14 words (their tokenizer cuts them finer
    than NTREX's: about as many tokens a sentence)."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        words = rng.choices(_WORDS, k=rng.randint(4, 14))
        sentence = " ".join(words).capitalize() + f" {len(out)}."
        out.append(sentence)
    return out


def sentences_source(dry_run: bool) -> str:
    """Where :func:`texts` takes its sentences from, for the report."""
    if (CORPORA / "ntrex128.fra").exists() and not dry_run:
        return "NTREX French"
    return "generated French-looking sentences"


def check_model(dry_run: bool) -> tuple[Path, str]:
    """The model to check and where its sentences come from.

    The dry run builds a tiny model in a temporary directory; otherwise the opus-mt-base-shaped
    one of :mod:`models` (cached in benchmarks/.cache), whose tokenizer is trained on generated
    text when the corpora are absent.
    """
    from transformers.utils import logging as hf_logging

    from development.tiny_models import BASE_SHAPE, TINY_SHAPE, build_marian

    hf_logging.set_verbosity_error()  # generate's notice that max_new_tokens beats max_length
    hf_logging.disable_progress_bar()

    source = sentences_source(dry_run)
    if dry_run:
        directory = Path(tempfile.mkdtemp(prefix="gpu-check-")) / "tiny-random"
        build_marian(directory, generated(200), vocab_size=120, shape=TINY_SHAPE)
        return directory, source
    if (CORPORA / "ntrex128.fra").exists() and (CORPORA / "ntrex128.vie").exists():
        from benchmarks.models import base_model

        return base_model("fr+vi"), source
    directory = CACHE / "opus-mt-base-random-generated"
    if not (directory / "generation_config.json").exists():
        build_marian(directory, generated(20000, seed=1), vocab_size=8000, padded_vocab=59514,
                     shape=BASE_SHAPE, seed=0)  # fmt: skip
    return directory, source


def describe(device: str) -> str:
    """The card (or the CPU) in words."""
    import torch

    if device.startswith("cuda"):
        props: Any = torch.cuda.get_device_properties(torch.device(device))
        return (
            f"{props.name}, {props.total_memory / 2**30:.0f} GiB, torch {torch.__version__}, "
            f"CUDA {torch.version.cuda}"
        )
    return f"CPU, torch {torch.__version__}, {torch.get_num_threads()} threads"
