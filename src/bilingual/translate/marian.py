"""Loading an opus-mt model: tokenizer, weights, precision, device and the fast decoders.

With ``engine`` and the decoders, the only modules that import torch and transformers; imported
when a :class:`~bilingual.Translator` is built.
"""

from __future__ import annotations

import gc
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import MarianMTModel, MarianTokenizer

from ..errors import ModelError
from .beam import BeamDecoder
from .devices import check_precision, choose_device
from .greedy import GreedyDecoder
from .hub import WEIGHT_FILES
from .quantized import int8_kernels
from .support import supports
from .vocabulary import target_columns

__all__ = ["Decoders", "LoadedModel", "load_model", "select_device"]


@dataclass(frozen=True)
class Decoders:
    """The fast decoders of one model, greedy and beam search: a model has both or neither.

    Attributes:
        greedy: the fast greedy decoder (one beam).
        beam: the fast beam-search decoder (two beams or more).
    """

    greedy: GreedyDecoder
    beam: BeamDecoder


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to translate.

    Attributes:
        tokenizer: the model's ``MarianTokenizer``.
        model: the ``MarianMTModel``, in its precision, on its device.
        decoders: the fast decoders, or ``None`` when the model's generation config asks for
            something they do not implement (``generate`` is used then).
        default_beams: the beam width of the model's generation config (4 for opus-mt).
        device: where the model runs (``cpu``, ``cuda``, ``cuda:1``, ``mps``).
        max_source_tokens: the longest source the model reads, ``</s>`` included.
    """

    tokenizer: Any
    model: Any
    decoders: Decoders | None
    default_beams: int
    device: str
    max_source_tokens: int


def select_device(device: str, precision: str) -> str:
    """The device to run on (``auto`` picks cuda, then mps, then cpu), checked against
    ``precision``.

    Raises:
        ConfigError: the device is unknown or unavailable, or does not run the precision.
    """
    chosen = choose_device(device, torch.cuda.is_available(), _mps_available())
    check_precision(chosen, precision)
    return chosen


def load_model(path: Path, device: str, precision: str) -> LoadedModel:
    """Load the opus-mt directory ``path`` in ``precision`` on ``device`` (see
    :func:`select_device`).

    Raises:
        ModelError: the files are there but do not load.
    """
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # our own progress bar is the one the user asked for
    # fp32 uses the weights where they load, and mapping the file saves a copy.  Every other
    # precision makes new weights, and the mapped file would stay resident beside them (300 MB
    # for opus-mt; one tensor left in it keeps the whole mapping): the file is read instead.
    mapped = precision == "fp32"
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*sacremoses.*")
            tokenizer = MarianTokenizer.from_pretrained(path)
    except Exception as e:  # transformers raises many kinds; all mean "this model is broken"
        raise ModelError(f"model {str(path)!r} could not be loaded: {e}") from e
    try:
        model = MarianMTModel.from_pretrained(path, disable_mmap=not mapped)
    except Exception as e:  # a truncated or damaged download, most often
        raise ModelError(
            f"{_weights_file(path)}: the weights of model {str(path)!r} could not be loaded "
            f"({e}); download the file again"
        ) from e
    model.eval()
    tokenizer.model_max_length = 10**9  # long sentences are cut by the Translator, not warned of
    if precision == "int8":
        model = _quantize_int8(model)
    elif precision in ("fp16", "bf16"):
        model = model.to(torch.float16 if precision == "fp16" else torch.bfloat16)
    model = model.to(device)
    # Loading leaves reference cycles that hold the weights replaced above (100 MB in int8).
    gc.collect()
    fast = supports(model)
    # int8 decodes over the target pieces only (see vocabulary.py); other precisions stay generate.
    vocabulary = int(model.final_logits_bias.shape[-1])
    columns = target_columns(tokenizer, vocabulary) if precision == "int8" else None
    decoders = (
        Decoders(GreedyDecoder(model, columns), BeamDecoder(model, columns)) if fast else None
    )
    beams = int(model.generation_config.num_beams or 1)
    # Room for the end-of-sentence token within the position limit.
    limit = int(model.config.max_position_embeddings) - 1
    return LoadedModel(tokenizer, model, decoders, beams, device, limit)


def _weights_file(path: Path) -> Path:
    """The weights file ``from_pretrained`` reads in an opus-mt directory (safetensors first)."""
    found = [path / name for name in WEIGHT_FILES if (path / name).is_file()]
    return found[0] if found else path


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def _quantize_int8(model: Any) -> Any:
    """Dynamic int8 quantisation of every linear layer (weights int8, activations per batch),
    each packed for the kernels that suit the rows it is given (see
    :func:`~bilingual.translate.quantized.int8_engine`): the encoder's and the output layer's
    for many rows, the decoder's for few."""
    from torch.ao.quantization import quantize_dynamic

    def quantize(module: Any) -> Any:
        # In place: a copy would hold the fp32 and int8 models at once (peak memory).
        return quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        with int8_kernels(many_rows=True):
            quantize(model.model.encoder)
            head = torch.nn.ModuleDict({"head": model.lm_head})
            model.lm_head = quantize(head)["head"]
        with int8_kernels(many_rows=False):
            return quantize(model)
