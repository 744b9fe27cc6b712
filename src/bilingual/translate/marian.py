"""Loading an opus-mt model: tokenizer, weights, precision, device and the fast decoders.

With ``engine`` and the decoders, the only modules that import torch and transformers; imported
when a :class:`~bilingual.Translator` is built.
"""

from __future__ import annotations

import gc
import json
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import MarianMTModel, MarianTokenizer

from ..errors import ModelError
from .beam import BeamDecoder
from .decoding import Network
from .devices import check_precision, choose_device
from .greedy import GreedyDecoder
from .heap import release_free_memory
from .hub import WEIGHT_FILES
from .quantized import both_kernels, int8_kernels, quantize_linears, quantized_head
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
    # fp32 uses the weights where they load, and mapping the file saves a copy.  int8 maps a
    # safetensors file too, and reads each tensor from it apart just before its layer is
    # quantised (_quantize_int8): the fp32 weights are never all in memory at once, and the
    # mapping, never read, goes when the last tensor is replaced.  fp16 and bf16 (and int8 from
    # a pickled file) make new weights, beside which the mapped file would stay resident (300 MB
    # for opus-mt; one tensor left in it keeps the whole mapping): the file is read instead.
    weights = _weights_file(path)
    apart = precision == "int8" and weights.name == "model.safetensors"
    mapped = precision == "fp32" or apart
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
    fast = supports(model)
    # int8 decodes over the target pieces only (see vocabulary.py); other precisions stay generate.
    vocabulary = int(model.final_logits_bias.shape[-1])
    columns = target_columns(tokenizer, vocabulary) if precision == "int8" else None
    if precision == "int8":
        # With the output layer cut, the whole one is never used to translate: it stays the fp32
        # embedding it is tied to (no copy), quantised only if scoring needs it (OutputLayer).
        try:
            model = _quantize_int8(model, not (fast and columns is not None), weights, apart)
        except Exception as e:  # the file changed or broke since from_pretrained read its index
            raise ModelError(f"{weights}: the weights could not be read ({e})") from e
    elif precision in ("fp16", "bf16"):
        model = model.to(torch.float16 if precision == "fp16" else torch.bfloat16)
    model = model.to(device)
    decoders = None
    if fast:  # one network for both decoders: one copy of its stacked and cut layers
        network = Network(model, columns)
        greedy, beam = GreedyDecoder(model, network=network), BeamDecoder(model, network=network)
        decoders = Decoders(greedy, beam)
    # Loading and quantising leave reference cycles that hold the layers they replace, and
    # glibc keeps what they free in its heap (in int8, about 100 MB: fp32 weights, the float
    # rows quantised for the cut output layer): both given back.
    gc.collect()
    release_free_memory()
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


def _quantize_int8(model: Any, head: bool, weights: Path, apart: bool) -> Any:
    """Dynamic int8 quantisation of every linear layer (weights int8, activations per batch),
    each packed for the kernels that suit the rows it is given (see
    :func:`~bilingual.translate.quantized.int8_engine`): the encoder's and the output layer's
    for many rows, the decoder's for few; the output layer (``lm_head``) only if ``head``.

    With ``apart``, ``model`` maps the safetensors file ``weights`` untouched, and each layer's
    tensors are read from it on their own just before the layer is quantised, then every tensor
    left (the embedding, the output layer's bias): the peak is the int8 model and one layer.
    """
    names = {id(module): name for name, module in model.named_modules()}
    encoder = {id(layer) for layer in model.model.encoder.layers}
    for layer in [*model.model.encoder.layers, *model.model.decoder.layers]:
        if apart:
            _read_into(layer, names[id(layer)], weights)
        replaced = [m for m in layer.modules() if isinstance(m, torch.nn.Linear)]
        with int8_kernels(many_rows=id(layer) in encoder):
            quantize_linears(layer)
        if id(layer) not in encoder:  # a decoder's: a batch's hypotheses, few or many
            for owner, name in _STEP_LAYERS:
                module = getattr(layer, owner) if owner else layer
                setattr(module, name, both_kernels(getattr(module, name)))
        # The fp32 layers are held by reference cycles until a collection: freed now.
        for linear in replaced:
            linear.weight.data = linear.weight.data.new_empty(0)
        release_free_memory()
    if apart:
        _read_into(model, "", weights)
    if head:
        model.lm_head = quantized_head(model.lm_head)
    return model


# A decoder layer's projections that the fast decoders run one step at a time (the self-attention's
# query, key and value, and the cross-attention's keys and values, they run stacked: decoding.py).
_STEP_LAYERS = [("self_attn", "out_proj"), ("encoder_attn", "q_proj"), ("encoder_attn", "out_proj"),
                ("", "fc1"), ("", "fc2")]  # fmt: skip


def _read_into(module: Any, prefix: str, weights: Path) -> None:
    """Replace ``module``'s tensors by their values in the safetensors file ``weights`` (those
    it holds; the others, such as sinusoidal positions, stay as made).

    Each tensor's bytes are read into memory of its own: safetensors' reader maps the whole
    file and gives views of it, and every page read would stay resident until the last view
    goes (the 116 MB embedding twice over, for opus-mt).  The tensors are new objects, put in
    every module that holds the old one (tied weights stay tied): a mapped tensor's data
    replaced in place would keep the view it was made from, and with it the mapping."""
    owners: dict[int, list[tuple[Any, str, bool]]] = {}
    names: dict[int, str] = {}
    for path, owner in module.named_modules(prefix=prefix, remove_duplicate=False):
        for table, parameter in ((owner._parameters, True), (owner._buffers, False)):
            for attribute, tensor in table.items():
                if tensor is not None:
                    owners.setdefault(id(tensor), []).append((owner, attribute, parameter))
                    names.setdefault(id(tensor), f"{path}.{attribute}".lstrip("."))
    with open(weights, "rb") as file:
        (size,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(size))
        for key, held in owners.items():
            entry = header.get(names[key])
            if entry is None:
                continue
            begin, end = entry["data_offsets"]
            data = bytearray(end - begin)
            file.seek(8 + size + begin)
            if file.readinto(data) != len(data):
                raise ValueError(f"{names[key]} is cut short")
            owner, attribute, _ = held[0]
            old = getattr(owner, attribute)
            read = torch.frombuffer(data, dtype=_SAFETENSORS_DTYPES[entry["dtype"]])
            read = read.reshape(entry["shape"]).to(old.dtype)
            tied = torch.nn.Parameter(read, requires_grad=False)
            for owner, attribute, parameter in held:
                if parameter:
                    owner._parameters[attribute] = tied
                else:
                    owner._buffers[attribute] = read


# safetensors' names of the float types a model's weights are stored in.
_SAFETENSORS_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
