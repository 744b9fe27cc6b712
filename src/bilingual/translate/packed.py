"""A batch's real tokens as rows, padding left out, and the way back to the padded layout.

The encoder's position-wise layers (most of its time) and the forced decoder's run on the real
tokens only; attention alone needs the padded layout, which :class:`Packed` gives as views of
scratch space it keeps.
"""

from __future__ import annotations

import torch

__all__ = ["Packed"]


class Packed:
    """A batch's real tokens as rows (padding left out), and the way back to the padded layout.

    Attributes:
        real: the flat (sentence * length + position) index of each real token.
        states: the encoder's output, one row per real token.
    """

    def __init__(self, real: torch.Tensor, batch: int, length: int, like: torch.Tensor) -> None:
        self.real, self.batch, self.length = real, batch, length
        self.states = like
        # Padded layouts for up to three projections at once (query, key, value); only the
        # rows of real tokens are ever written, so padding stays zero.
        self._padded = like.new_zeros((3, batch * length, like.shape[1]))

    def heads(self, rows: torch.Tensor, heads: int, slot: int = 0) -> torch.Tensor:
        """Rows (tokens x width) in the padded layout (batch, heads, length, width / heads),
        zero at padding positions: a view of scratch space ``slot``, valid until it is
        next used."""
        padded = self._padded[slot].index_copy_(0, self.real, rows)
        split = (self.batch, self.length, heads, rows.shape[1] // heads)
        return padded.view(split).transpose(1, 2)

    def unheads(self, attended: torch.Tensor) -> torch.Tensor:
        """The inverse of :meth:`heads`: (batch, heads, length, head width) to token rows."""
        batch, heads, length, width = attended.shape
        flat = attended.transpose(1, 2).reshape(batch * length, heads * width)
        return flat.index_select(0, self.real)
