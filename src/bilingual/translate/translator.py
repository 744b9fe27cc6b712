"""The :class:`Translator`: an opus-mt model that translates lists of sentences.

No torch here: building a :class:`Translator` loads the model (and torch) through
:mod:`~bilingual.translate.marian`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, overload

from ..errors import ConfigError
from .base import Generation, PairTooLong, Progress, Score, Translation, check_count
from .batching import DEFAULT_MAX_SENTENCES, DEFAULT_MAX_TOKENS, unique
from .clauses import encoded_pieces, joined
from .devices import DEFAULT_DEVICE, DEFAULT_PRECISION
from .hub import fingerprint, model_revision, resolve_model
from .streaming import DEFAULT_STREAM_WINDOW, translate_stream

if TYPE_CHECKING:
    from .engine import BatchEngine
    from .greedy import GreedyDecoder

__all__ = ["Translator"]


class Translator:
    """A MarianMT model that translates lists of sentences (a :class:`~bilingual.Engine`).

    Identical sentences are translated once, similar lengths are batched together under a token
    budget, and results come back in input order.  A sentence longer than the model's source limit
    is cut at clause boundaries, translated in pieces and joined, never truncated.

    Args:
        model: a hub id (``Helsinki-NLP/opus-mt-fr-en``) or a directory in the opus-mt layout.
        device: ``auto`` (cuda, then mps, then cpu), ``cpu``, ``cuda`` or ``mps``.
        precision: ``fp32``; ``int8`` (dynamic quantisation of the linear layers, CPU);
            ``fp16`` or ``bf16`` (GPU).
        threads: torch threads this translator uses, on threads of its own (the caller's torch
            thread count is never changed); ``None``: the caller's count at each call.
        workers: batches decoded at once on CPU, sharing the threads (``threads=2, workers=2``
            runs two batches of one thread each, as CTranslate2's ``inter_threads``); by
            default 2 with 2 threads or more, else 1 (two small batches side by side keep 2
            cores busier: +7-12% with an opus-mt-shaped int8 model).  Always 1 on a GPU.
        max_tokens: padded source tokens per batch.
        max_sentences: sentences per batch; by default as many as ``max_tokens`` holds.

    Raises:
        ConfigError: an unknown or unavailable device, a precision it does not run, or a
            thread or worker count under 1.
        ModelError: the model cannot be found or loaded (the message says how to pass a local
            directory).

    Example:
        >>> en = Translator("Helsinki-NLP/opus-mt-fr-en", device="cpu", precision="int8")
        >>> en.translate(["Bonjour le monde.", "Merci."])
        ['Hello world.', 'Thank you.']
    """

    def __init__(
        self,
        model: str | os.PathLike[str],
        device: str = DEFAULT_DEVICE,
        precision: str = DEFAULT_PRECISION,
        *,
        threads: int | None = None,
        workers: int | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        max_sentences: int | None = DEFAULT_MAX_SENTENCES,
    ) -> None:
        counts = {"threads": threads, "workers": workers, "max_tokens": max_tokens}
        for name, value in {**counts, "max_sentences": max_sentences}.items():
            check_count(name, value)
        from .engine import BatchEngine
        from .marian import load_model, select_device

        chosen = select_device(device, precision)
        resolved = resolve_model(model)
        self.name = resolved.name
        self.precision = precision
        self.revision = model_revision(resolved.path)
        self.loaded = load_model(resolved.path, chosen, precision)
        self.engine: BatchEngine = BatchEngine(
            self.loaded, max_tokens, max_sentences, threads, workers
        )

    def __repr__(self) -> str:
        return f"Translator({self.name!r}, device={self.device!r}, precision={self.precision!r})"

    @property
    def device(self) -> str:
        """The device the model runs on."""
        return self.loaded.device

    @property
    def model(self) -> Any:
        """The underlying ``MarianMTModel``."""
        return self.loaded.model

    @property
    def greedy(self) -> GreedyDecoder | None:
        """The fast greedy decoder (``None`` when the model's generation config needs
        ``generate``)."""
        decoders = self.loaded.decoders
        return None if decoders is None else decoders.greedy

    @property
    def tokenizer(self) -> Any:
        """The model's ``MarianTokenizer``."""
        return self.loaded.tokenizer

    @property
    def max_source_tokens(self) -> int:
        """The most source tokens (``</s>`` included) a piece may have."""
        return self.loaded.max_source_tokens

    @property
    def fingerprint(self) -> str:
        """What makes this translator's output what it is: model, revision and precision."""
        return fingerprint(self.name, self.revision, self.precision)

    @property
    def default_beams(self) -> int:
        """The beam width of the model's generation config, used when none is asked for."""
        return self.loaded.default_beams

    @overload
    def translate(
        self,
        sentences: list[str],
        *,
        max_new_tokens: int | None = ...,
        min_new_tokens: int | None = ...,
        num_beams: int | None = ...,
        num_return_sequences: int = ...,
        return_scores: Literal[False] = ...,
        progress: Progress | None = ...,
    ) -> list[str]: ...

    @overload
    def translate(
        self,
        sentences: list[str],
        *,
        max_new_tokens: int | None = ...,
        min_new_tokens: int | None = ...,
        num_beams: int | None = ...,
        num_return_sequences: int = ...,
        return_scores: Literal[True],
        progress: Progress | None = ...,
    ) -> list[Translation]: ...

    def translate(
        self,
        sentences: list[str],
        *,
        max_new_tokens: int | None = None,
        min_new_tokens: int | None = None,
        num_beams: int | None = None,
        num_return_sequences: int = 1,
        return_scores: bool = False,
        progress: Progress | None = None,
    ) -> list[str] | list[Translation]:
        """Translate sentences, in batches, keeping their order.

        Args:
            sentences: the texts to translate; empty ones come back empty.
            max_new_tokens: cap on generated tokens; by default twice the source length plus 10.
            min_new_tokens: generated tokens before the end may come; by default 1, so a non-empty
                source never gets an empty translation.
            num_beams: beam width; ``None``: the model's generation config (4 for opus-mt, as
                its authors decode); 1 is greedy decoding, the fastest.
            num_return_sequences: hypotheses per sentence: the best, and the others as its
                ``alternatives`` (with ``return_scores``); at most ``num_beams``.
            return_scores: return :class:`~bilingual.Translation` objects (``text``, ``score``,
                ``alternatives``, ``pieces``) instead of texts.  The score is a log-probability
                per token: for beam search, ``generate``'s length-normalised
                ``sequences_scores``; for greedy decoding, the mean log-probability of the
                generated tokens, the final ``</s>`` included.
            progress: called after each batch with the number of distinct texts it translated.

        Returns:
            One translation per input sentence, in input order.
        """
        generation = Generation(num_beams, max_new_tokens, min_new_tokens, num_return_sequences)
        found = self.run(sentences, generation, progress)
        return found if return_scores else [t.text for t in found]

    def run(
        self,
        sentences: list[str],
        generation: Generation = Generation(),  # noqa: B008 (frozen, so safe to share)
        progress: Progress | None = None,
    ) -> list[Translation]:
        """:meth:`translate` with the settings as one object, returning :class:`Translation` s."""
        distinct, where = unique(sentences)
        limit = self.max_source_tokens  # a fitting sentence is tokenized once
        pieces = [encoded_pieces(s, self._encode, limit) if s.strip() else [] for s in distinct]
        encoded = dict(piece for ps in pieces for piece in ps)  # each distinct piece once
        outputs = self.engine.generate(list(encoded.values()), generation, progress)
        out = dict(zip(encoded, outputs, strict=True))
        translated = [joined([out[text] for text, _ in ps]) for ps in pieces]
        return [translated[i] for i in where]

    @overload
    def translate_iterable(
        self,
        sentences: Iterable[str],
        *,
        window: int = ...,
        generation: Generation = ...,
        return_scores: Literal[False] = ...,
        progress: Progress | None = ...,
    ) -> Iterator[str]: ...

    @overload
    def translate_iterable(
        self,
        sentences: Iterable[str],
        *,
        window: int = ...,
        generation: Generation = ...,
        return_scores: Literal[True],
        progress: Progress | None = ...,
    ) -> Iterator[Translation]: ...

    def translate_iterable(
        self,
        sentences: Iterable[str],
        *,
        window: int = DEFAULT_STREAM_WINDOW,
        generation: Generation = Generation(),  # noqa: B008 (frozen, so safe to share)
        return_scores: bool = False,
        progress: Progress | None = None,
    ) -> Iterator[str] | Iterator[Translation]:
        """Translate a stream of sentences (a file's lines, a generator), lazily, in order.

        ``window`` sentences are read ahead and translated together (batched by length,
        repeats once), and their translations yielded before more input is read: memory is
        bounded by the window, whatever the stream's length.  Translations are those of
        :meth:`translate` with the same settings.

        Example:
            >>> with open("sentences.fr") as lines:
            ...     for text in en.translate_iterable(line.rstrip("\n") for line in lines):
            ...         print(text)
        """
        found = translate_stream(self, sentences, generation, window, progress)
        return found if return_scores else (t.text for t in found)

    def score(
        self, sources: list[str], targets: list[str], progress: Progress | None = None
    ) -> list[Score]:
        """The model's log-probability of each target given its source (forced decoding).

        Pairs are batched like translations (by length, under the token budget; a repeated
        pair is scored once), in the translator's precision and on its device.  In fp32 a
        score equals transformers' ``-loss * n`` for the pair given as ``labels``.

        Args:
            sources: the source sentences.
            targets: their translations, one per source.
            progress: called after each batch with the number of distinct pairs it scored.

        Returns:
            One :class:`~bilingual.Score` per pair (``total``, ``tokens``, ``per_token``), the
            final ``</s>`` counted, in input order.

        Raises:
            ConfigError: not as many targets as sources.
            PairTooLong: (an ``InputError``) a source or target longer than the model reads
                (:attr:`max_source_tokens`): a translation cannot be scored in pieces, since
                its pieces' boundaries are unknown; the message names the pair.
        """
        if len(sources) != len(targets):
            raise ConfigError(f"{len(sources)} sources but {len(targets)} targets to score")
        distinct, where = unique(list(zip(sources, targets, strict=True)))
        pairs = [self._pair(source, target) for source, target in distinct]
        PairTooLong.check(pairs, where, self.max_source_tokens, self.name)
        scores = self.engine.score(pairs, progress)
        return [scores[i] for i in where]

    def fit(self, sentence: str) -> list[str]:
        """The pieces ``sentence`` is translated in: itself when it fits the model, else clauses
        (slices of it, which joined with spaces give it back, modulo spaces)."""
        return [text for text, _ in encoded_pieces(sentence, self._encode, self.max_source_tokens)]

    def length(self, text: str) -> int:
        """``text``'s length in source tokens, ``</s>`` included."""
        return len(self._encode(text))

    def _pair(self, source: str, target: str) -> tuple[list[int], list[int]]:
        """A pair's source and target token ids (each ending in ``</s>``)."""
        return self._encode(source), self._encode(target, "text_target")

    def _encode(self, text: str, side: str = "text") -> list[int]:
        ids: list[int] = self.tokenizer(**{side: text}, truncation=False)["input_ids"]
        return ids
