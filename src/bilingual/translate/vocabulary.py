"""Vocabulary-wide rows: the output layer over the tokens a model may emit (its whole vocabulary,
or its target pieces), and the normaliser of a row of logits.

An opus-mt vocabulary (``vocab.json``) is the union of the source and the target SentencePiece
models' pieces, and the decoder is only ever trained on targets cut by ``target.spm``: a piece only
the source tokenizer makes is never a right output.  The output projection over the whole
vocabulary is about half a decoding step (59,514 rows of 512 for opus-mt base), and everything
vocabulary-wide in a step (the normaliser, the argmax, the best continuations) scales with it.

So, in int8 only, the output layer is cut to the target pieces' rows (as CTranslate2's
vocabulary map does): the same int8 weights and scale, so each remaining logit is the one the
whole layer gives (up to float rounding where oneDNN's kernels run it, see
:func:`~bilingual.translate.quantized.int8_engine`).  The whole int8 layer is never made: its
rows are quantised from the fp32 head as ``quantize_dynamic`` would quantise it whole, and the
head stays the fp32 embedding it is tied to, quantised whole only if scoring asks for it.
Two things change, both of int8's own kind: a token outside the target pieces
can no longer win (a trained model gives them next to nothing), and the log-probabilities are
normalised over the target pieces.  fp32, fp16 and bf16 keep the whole vocabulary, and so stay
token for token ``generate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from numpy import exp as numpy_exp

from .quantized import is_int8, is_int8_model, quantized_head, quantized_rows

__all__ = ["OutputLayer", "logsumexp", "target_columns"]

# Cut the layer only when it drops at least this share of the vocabulary: a model whose two
# tokenizers share their pieces (as the tiny test models' do) keeps its own layer, with no copy of
# nearly all of it beside it.  (The share is a judgement, not a measurement.)
_WORTH_CUTTING = 0.1


def target_columns(tokenizer: Any, size: int) -> list[int] | None:
    """The vocabulary ids the target tokenizer can produce (its pieces, ``</s>`` and ``<unk>``),
    in increasing order, or ``None`` when they are nearly the whole vocabulary of ``size``."""
    pieces, encoder = getattr(tokenizer, "spm_target", None), getattr(tokenizer, "encoder", None)
    if pieces is None or not isinstance(encoder, dict):
        return None
    ids = {encoder.get(pieces.id_to_piece(i)) for i in range(pieces.get_piece_size())}
    ids |= {tokenizer.eos_token_id, tokenizer.unk_token_id}
    columns = sorted(i for i in ids if isinstance(i, int) and 0 <= i < size)
    if tokenizer.eos_token_id not in columns or len(columns) > (1 - _WORTH_CUTTING) * size:
        return None
    return columns


class OutputLayer:
    """A model's output projection (``lm_head`` plus ``final_logits_bias``) over ``columns``
    (vocabulary ids, increasing), or over the whole vocabulary when ``columns`` is ``None``.

    Attributes:
        width: the number of columns of the logits it gives.
        ids: the vocabulary id of each column, or ``None`` when column ``i`` is token ``i``.
    """

    def __init__(self, model: Any, columns: Sequence[int] | None = None) -> None:
        head, bias = model.lm_head, model.final_logits_bias
        if columns is not None and not is_int8_model(model):
            raise ValueError("the output layer is cut to target pieces only in int8")
        if columns is None and not is_int8(head) and is_int8_model(model):
            # An int8 model keeps its fp32 head, tied to the embedding, when the decoders cut
            # it (marian.load_model): quantised whole here, as quantize_dynamic would have.
            head = quantized_head(head)
        self.ids: torch.Tensor | None = None
        self._where: dict[int, int] = {}
        if columns is None:
            self._linear, self._bias = head, bias
        else:
            self.ids = torch.tensor(list(columns), dtype=torch.long, device=bias.device)
            self._linear = quantized_rows(head, self.ids)
            self._bias = bias[:, self.ids].contiguous()
            self._where = {token: k for k, token in enumerate(columns)}
        self.width = int(self._bias.shape[-1])
        self._lookup = None if self.ids is None else self.ids.tolist()

    def __call__(self, hidden: torch.Tensor, out: torch.Tensor | None = None) -> torch.Tensor:
        """The logits (rows, width) of decoder outputs, in ``out`` if given (in fp32 then,
        whatever the model's dtype)."""
        logits: torch.Tensor = self._linear(hidden)
        if out is None:
            return logits.add_(self._bias)
        return torch.add(logits, self._bias, out=out)

    def column(self, token: int) -> int | None:
        """The column of vocabulary id ``token``, or ``None`` when the layer leaves it out."""
        if self.ids is None:
            return token
        return self._where.get(token)

    def tokens(self, columns: torch.Tensor) -> torch.Tensor:
        """The vocabulary ids of a tensor of columns."""
        return columns if self.ids is None else self.ids[columns]

    def token_list(self, columns: list[int]) -> list[int]:
        """The vocabulary ids of a list of columns."""
        lookup = self._lookup
        return columns if lookup is None else [lookup[c] for c in columns]


# Logits within this of 0 need no shift before their exponentials (fp32's exp overflows at 88).
_SAFE_EXP = 64.0


def logsumexp(scores: torch.Tensor, scratch: torch.Tensor) -> torch.Tensor:
    """Each row's log-sum-exp (rows,) of fp32 ``scores``, using ``scratch`` (same shape,
    contiguous) for the exponentials: the normaliser of a log-softmax without writing one.

    On CPU, NumPy's vectorised exp is twice as fast as torch's (``torch.logsumexp`` is slower
    still); over a vocabulary-wide row per hypothesis, that is a good part of a beam step.
    Rows are shifted by their maximum only when an exponential could overflow or all could
    underflow (logits beyond +-64), which real logits never are: one pass less.
    """
    highest = scores.amax(dim=-1, keepdim=True)
    shift = bool((highest.abs() > _SAFE_EXP).any())
    if shift:
        torch.sub(scores, highest, out=scratch)
    if scratch.device.type == "cpu":
        numpy_exp(scratch.numpy() if shift else scores.numpy(), out=scratch.numpy())
    else:
        torch.exp(scratch if shift else scores, out=scratch)
    total = scratch.sum(dim=-1).log_()
    return highest[:, 0] + total if shift else total
