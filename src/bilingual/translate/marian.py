"""The MarianMT engine: the only module that imports torch and transformers.

:class:`Translator` loads an opus-mt model (hub id or local directory), then translates lists of
sentences in batches planned by :mod:`bilingual.translate.batching`: identical sentences once,
similar lengths together under a token budget, results back in input order.  A sentence longer
than the model's source limit is cut at clause boundaries, translated in pieces and joined, never
truncated.
"""

from __future__ import annotations

import os
import re
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from itertools import islice
from typing import Any

import torch
from transformers import MarianMTModel, MarianTokenizer

from ..errors import ModelError
from .batching import DEFAULT_MAX_SENTENCES, DEFAULT_MAX_TOKENS, plan_batches, unique
from .beam import BeamDecoder
from .devices import check_precision, choose_device
from .greedy import GreedyDecoder
from .greedy import supports as supports_greedy
from .heap import release_free_memory
from .hub import model_revision, resolve_model

__all__ = ["Translator"]

# Output may be this many times longer than the input (plus a margin) before it is cut: enough for
# fr->vi, short enough that a degenerate model cannot run to the position limit.
LENGTH_RATIO = 2.0
LENGTH_MARGIN = 10
# Where a too-long sentence may be cut, best first: clause punctuation, then any space.
_CLAUSE_BREAKS = (re.compile(r"(?<=[.;:!?…])\s+"), re.compile(r"(?<=[,)»])\s+"), re.compile(r"\s+"))


class Translator:
    """A MarianMT model that translates lists of sentences.

    Args:
        model: a hub id (``Helsinki-NLP/opus-mt-fr-en``) or a directory in the opus-mt layout.
        device: ``auto`` (cuda, then mps, then cpu), ``cpu``, ``cuda`` or ``mps``.
        precision: ``fp32``; ``int8`` (dynamic quantisation of the linear layers, CPU);
            ``fp16`` or ``bf16`` (GPU).
        threads: torch's intra-op threads (process-wide); ``None`` leaves torch's default.
        workers: batches decoded at once on CPU, sharing the threads (``threads=2, workers=2``
            runs two batches of one thread each, as CTranslate2's ``inter_threads``); by
            default 2 when there are at least 2 threads, else 1.  Greedy decoding of a small
            batch parallelises poorly inside each operation, and two batches side by side keep
            both cores busier: +7-12% on 2 cores with an opus-mt-shaped int8 model, for the
            memory of a second batch in flight.  Always 1 on a GPU.
        max_tokens: padded source tokens per batch.
        max_sentences: sentences per batch.

    Example:
        >>> en = Translator("Helsinki-NLP/opus-mt-fr-en", device="cpu", precision="int8")
        >>> en.translate(["Bonjour le monde.", "Merci."])
        ['Hello world.', 'Thank you.']
    """

    def __init__(
        self,
        model: str | os.PathLike[str],
        device: str = "auto",
        precision: str = "fp32",
        *,
        threads: int | None = None,
        workers: int | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        max_sentences: int = DEFAULT_MAX_SENTENCES,
    ) -> None:
        self.device = choose_device(device, torch.cuda.is_available(), _mps_available())
        check_precision(self.device, precision)
        self.precision = precision
        self.max_tokens = max_tokens
        self.max_sentences = max_sentences
        if threads is not None:
            torch.set_num_threads(threads)
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        resolved = resolve_model(model)
        self.name = resolved.name
        self.revision = model_revision(resolved.path)
        self.tokenizer, self.model, self.greedy = _load(resolved.path, self.device, precision)
        # Room for the end-of-sentence token within the position limit.
        self.max_source_tokens = int(self.model.config.max_position_embeddings) - 1

    def __repr__(self) -> str:
        return f"Translator({self.name!r}, device={self.device!r}, precision={self.precision!r})"

    @property
    def fingerprint(self) -> str:
        """What makes this translator's output what it is: model, revision and precision."""
        return f"{self.name}@{self.revision}:{self.precision}"

    def translate(
        self,
        sentences: list[str],
        *,
        max_new_tokens: int | None = None,
        min_new_tokens: int | None = None,
        num_beams: int = 1,
        progress: Callable[[int], None] | None = None,
    ) -> list[str]:
        """Translate sentences, in batches, keeping their order.

        Args:
            sentences: the texts to translate; empty ones come back empty.
            max_new_tokens: cap on generated tokens; by default twice the source length plus 10.
            min_new_tokens: generated tokens before the end may come; by default 1, so a non-empty
                source never gets an empty translation.
            num_beams: beam width; 1 is greedy decoding (the fastest).
            progress: called after each batch with the number of distinct texts it translated.

        Returns:
            One translation per input sentence, in input order.
        """
        distinct, where = unique(sentences)
        pieces = [self._encoded_pieces(s) if s.strip() else [] for s in distinct]
        encoded = dict(piece for ps in pieces for piece in ps)  # each distinct piece once
        outputs = self._translate_encoded(
            list(encoded.values()), max_new_tokens, min_new_tokens, num_beams, progress
        )
        out = dict(zip(encoded, outputs, strict=True))
        translated = [" ".join(out[text] for text, _ in ps) for ps in pieces]
        return [translated[i] for i in where]

    def fit(self, sentence: str) -> list[str]:
        """The pieces ``sentence`` is translated in: itself when it fits the model, else clauses.

        Pieces are slices of the sentence; joined with spaces they give it back (modulo spaces).
        """
        return [text for text, _ in self._encoded_pieces(sentence)]

    def _encoded_pieces(self, sentence: str) -> list[tuple[str, list[int]]]:
        """The pieces of :meth:`fit` with their token ids (a fitting sentence is tokenized once)."""
        ids = self._encode(sentence)
        if len(ids) <= self.max_source_tokens:
            return [(sentence, ids)]
        return [(piece, self._encode(piece)) for piece in self._cut(sentence, 0)]

    def _encode(self, text: str) -> list[int]:
        ids: list[int] = self.tokenizer(text, truncation=False)["input_ids"]
        return ids

    def _length(self, text: str) -> int:
        return len(self._encode(text))

    def _cut(self, text: str, level: int) -> Iterator[str]:
        """Cut ``text`` into parts that fit, packing clauses greedily at break ``level``."""
        if self._length(text) <= self.max_source_tokens:
            yield text
            return
        if level == len(_CLAUSE_BREAKS):
            yield from _hard_cut(text, self.max_source_tokens, self._length)
            return
        current = ""
        for part in (p for p in _CLAUSE_BREAKS[level].split(text) if p.strip()):
            candidate = f"{current} {part}" if current else part
            if current and self._length(candidate) > self.max_source_tokens:
                yield from self._cut(current, level + 1)
                current = part
            else:
                current = candidate
        if current:
            yield from self._cut(current, level + 1)

    def _translate_encoded(
        self,
        encoded: list[list[int]],
        max_new: int | None,
        min_new: int | None,
        beams: int,
        progress: Callable[[int], None] | None,
    ) -> list[str]:
        """Translate distinct token-id sequences in batches planned by length; input order."""
        if not encoded:
            return []
        plan = plan_batches([len(e) for e in encoded], self.max_tokens, self.max_sentences)
        out = [""] * len(encoded)

        def run(batch: list[int]) -> list[str]:
            return self._generate([encoded[i] for i in batch], max_new, min_new, beams)

        with _parallel(self._workers(len(plan.batches))) as map_batches:
            for batch, decoded in zip(plan.batches, map_batches(run, plan.batches), strict=True):
                for i, text in zip(batch, decoded, strict=True):
                    out[i] = text
                release_free_memory()
                if progress is not None:
                    progress(len(batch))
        return out

    def _workers(self, batches: int) -> int:
        """How many batches to decode at once: never more than there are batches or threads."""
        if self.device != "cpu" or batches < 2:
            return 1
        threads = torch.get_num_threads()
        wanted = self.workers if self.workers is not None else (2 if threads >= 2 else 1)
        return max(1, min(wanted, threads, batches))

    def _generate(
        self, ids: list[list[int]], max_new: int | None, min_new: int | None, beams: int
    ) -> list[str]:
        """Generate for one batch; on a GPU out-of-memory, halve the batch and retry."""
        try:
            return self._generate_batch(ids, max_new, min_new, beams)
        except torch.OutOfMemoryError:
            if len(ids) == 1:
                raise ModelError(
                    f"{self.name}: out of memory on {self.device} for a single sentence; "
                    "use --device cpu or a smaller precision"
                ) from None
            if self.device.startswith("cuda"):
                torch.cuda.empty_cache()
            half = len(ids) // 2
            return self._generate(ids[:half], max_new, min_new, beams) + self._generate(
                ids[half:], max_new, min_new, beams
            )

    @torch.inference_mode()
    def _generate_batch(
        self, ids: list[list[int]], max_new: int | None, min_new: int | None, beams: int
    ) -> list[str]:
        longest = max(len(i) for i in ids)
        pad = self.tokenizer.pad_token_id
        input_ids = torch.tensor([i + [pad] * (longest - len(i)) for i in ids], device=self.device)
        mask = (input_ids != pad).long()
        limit = self.max_source_tokens + 1
        # Each sentence's own cap, so a translation never depends on its batch; generate (beam
        # search) takes one cap per batch, the longest sentence's.
        caps = [max_new or min(limit, int(len(i) * LENGTH_RATIO) + LENGTH_MARGIN) for i in ids]
        min_new = 1 if min_new is None else min_new
        if beams == 1 and self.greedy is not None:
            found = self.greedy(input_ids, mask, caps, min_new, scored=False)
            output: Any = [best[0].tokens for best in found]
        elif self.greedy is not None:  # a generation config the fast decoders reproduce
            search = BeamDecoder(self.model)
            found = search(input_ids, mask, caps, min_new, beams=beams, num_return=1)
            output = [best[0].tokens for best in found]
        else:
            output = self.model.generate(
                input_ids=input_ids,
                attention_mask=mask,
                max_new_tokens=max(caps),
                min_new_tokens=min_new,
                num_beams=beams,
                do_sample=False,
            )
        return [t.strip() for t in self.tokenizer.batch_decode(output, skip_special_tokens=True)]


@contextmanager
def _parallel(workers: int) -> Iterator[Callable[..., Iterator[Any]]]:
    """``map`` over batches, ``workers`` at a time, results in order.

    Torch's intra-op thread count is process-wide: while the workers run, the threads are shared
    out among them (two threads, two workers: one each), then restored.  Torch releases the GIL
    inside its operations, so the workers' batches really run side by side.
    """
    if workers == 1:
        yield map
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(max(1, threads // workers))
    pool = ThreadPoolExecutor(workers, thread_name_prefix="bilingual-batch")

    def bounded_map(function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        # Executor.map would submit every batch at once; here one more batch than there are
        # workers is in flight, so a failure stops the run after at most that many batches,
        # and finished results never pile up.
        waiting = iter(items)
        pending = deque(pool.submit(function, item) for item in islice(waiting, workers + 1))
        while pending:
            result = pending.popleft().result()
            for item in islice(waiting, 1):
                pending.append(pool.submit(function, item))
            yield result

    try:
        yield bounded_map
    finally:
        # On an error (or an interrupt) the batches not started yet are dropped, not run.
        pool.shutdown(wait=True, cancel_futures=True)
        torch.set_num_threads(threads)


def _hard_cut(text: str, limit: int, length: Callable[[str], int]) -> Iterator[str]:
    """Cut a text with no usable break (one huge word) into character runs that fit."""
    start = 0
    while start < len(text):
        end = len(text)
        while end - start > 1 and length(text[start:end]) > limit:
            end = start + (end - start) // 2
        yield text[start:end]
        start = end


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def _load(path: Any, device: str, precision: str) -> tuple[Any, Any, GreedyDecoder | None]:
    """Tokenizer, model and (when the model's generation config allows it) the fast greedy
    decoder, both converted to ``precision`` and moved to ``device``."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # our own progress bar is the one the user asked for
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*sacremoses.*")
            tokenizer = MarianTokenizer.from_pretrained(path)
            model = MarianMTModel.from_pretrained(path)
    except Exception as e:  # transformers raises many kinds; all mean "this model is broken"
        raise ModelError(f"model {str(path)!r} could not be loaded: {e}") from e
    model.eval()
    tokenizer.model_max_length = 10**9  # lengths are handled by Translator.fit, not by a warning
    if precision == "int8":
        model = _quantize_int8(model)
    elif precision in ("fp16", "bf16"):
        model = model.to(torch.float16 if precision == "fp16" else torch.bfloat16)
    model = model.to(device)
    return tokenizer, model, GreedyDecoder(model) if supports_greedy(model) else None


def _quantize_int8(model: Any) -> Any:
    """Dynamic int8 quantisation of every linear layer (weights int8, activations per batch)."""
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        # In place: a copy would hold the fp32 and int8 models at once (peak memory).
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
