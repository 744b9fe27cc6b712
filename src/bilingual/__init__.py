"""bilingual: machine translation and bilingual alignment for French/Vietnamese news pages.

``import bilingual`` (and ``from bilingual import *``) imports no torch: building a
:class:`Translator` loads torch and transformers.

Example:
    >>> import bilingual
    >>> bilingual.split_sentences("M. Dupont arrive. Il parle.")
    ['M. Dupont arrive.', 'Il parle.']
"""

from __future__ import annotations

from .align import Aligner
from .config import Config, Settings
from .corpus import RunReport, build_corpus
from .document import Alignment, Document, NearMiss, Segment
from .errors import (
    BilingualError,
    ConfigError,
    DiskFullError,
    InputError,
    ModelError,
    OutputError,
)
from .langid import identify
from .loading import VERSION as __version__
from .loading import LoadedRun, load_run
from .parse import parse_page
from .pipeline import Pipeline
from .read import read_text
from .report import write_report
from .split import split_sentences
from .targets import Pivot, Routes
from .translate import Engine, Generation, Score, SupportsTranslate, Translation, Translator

__all__ = [
    "Aligner",
    "Alignment",
    "BilingualError",
    "Config",
    "ConfigError",
    "DiskFullError",
    "Document",
    "Engine",
    "Generation",
    "InputError",
    "LoadedRun",
    "ModelError",
    "NearMiss",
    "OutputError",
    "Pipeline",
    "Pivot",
    "Routes",
    "RunReport",
    "Score",
    "Segment",
    "Settings",
    "SupportsTranslate",
    "Translation",
    "Translator",
    "__version__",
    "build_corpus",
    "identify",
    "load_run",
    "parse_page",
    "read_text",
    "split_sentences",
    "write_report",
]
