"""Captions <-> French segments: candidates, signals, the word-translation table, the fitted model.

:class:`Aligner` is the entry point; its submodules hold one job each:
:mod:`~bilingual.align.candidates` (where a translation may be),
:mod:`~bilingual.align.signals` (evidence without machine translation, and chrF with it),
:mod:`~bilingual.align.lexicon` (the word-translation table; :mod:`~bilingual.align.ibm1`, the
IBM Model 1 it holds each way),
:mod:`~bilingual.align.model` (the fitted logistic models) and
:mod:`~bilingual.align.misses` (the Vietnamese texts left unpaired, with what came closest).

Example:
    >>> from bilingual.align import Aligner
    >>> Aligner().annotate(document)
    >>> document.alignments
    [Alignment(vi=12, fr=(13, 14), score=0.98, mt_chrf=None)]
"""

from __future__ import annotations

from .aligner import Aligner
from .lexicon import Lexicon

__all__ = ["Aligner", "Lexicon"]
