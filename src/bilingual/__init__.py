"""bilingual: machine translation and bilingual alignment for French/Vietnamese news pages.

The public names are imported lazily where they need torch, so ``import bilingual`` stays fast:
:class:`Translator` loads torch and transformers on first use.

Example:
    >>> import bilingual
    >>> bilingual.split_sentences("M. Dupont arrive. Il parle.")
    ['M. Dupont arrive.', 'Il parle.']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .align import Aligner
from .document import Alignment, Document, Segment
from .errors import BilingualError, ConfigError, InputError, ModelError, OutputError
from .langid import identify
from .parse import parse_page
from .pipeline import Pipeline
from .read import read_text
from .split import split_sentences

if TYPE_CHECKING:
    from .translate.marian import Translator

__version__ = "0.1.0"
__all__ = [
    "Aligner",
    "Alignment",
    "BilingualError",
    "ConfigError",
    "Document",
    "InputError",
    "ModelError",
    "OutputError",
    "Pipeline",
    "Segment",
    "Translator",
    "__version__",
    "identify",
    "parse_page",
    "read_text",
    "split_sentences",
]


def __getattr__(name: str) -> Any:
    if name == "Translator":
        from .translate.marian import Translator

        return Translator
    raise AttributeError(f"module 'bilingual' has no attribute {name!r}")
