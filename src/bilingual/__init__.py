"""bilingual: machine translation and bilingual alignment for French/Vietnamese news pages.

``import bilingual`` imports none of its submodules: each public name is imported from its
module the first time it is used (PEP 562), so ``import bilingual.translate`` loads the engine
alone (torch, transformers, sentencepiece), not the pipeline's packages (nltk, lingua, ...).
``from bilingual import *`` imports every public name and still no torch: building a
:class:`Translator` loads torch and transformers.

Example:
    >>> import bilingual
    >>> bilingual.split_sentences("M. Dupont arrive. Il parle.")
    ['M. Dupont arrive.', 'Il parle.']
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .align import Aligner
    from .align.article import ArticleAligner
    from .align.documents import DocumentMatch, match_documents
    from .config import Config, Settings
    from .corpus import RunReport, build_corpus
    from .document import Alignment, ArticleAlignment, ArticleLink, Document, NearMiss, Segment
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
    from .original import parse_original
    from .pairing import Pairing, original_from_text, prepare_original
    from .parse import parse_page
    from .pipeline import Pipeline
    from .read import read_text
    from .report import write_report
    from .split import split_sentences
    from .targets import Pivot, Routes
    from .translate import Engine, Generation, Score, SupportsTranslate, Translation, Translator

# Public name -> (its module, relative to this package; its name there).
_SOURCES: dict[str, tuple[str, str]] = {
    "Aligner": (".align", "Aligner"),
    "Alignment": (".document", "Alignment"),
    "ArticleAligner": (".align.article", "ArticleAligner"),
    "ArticleAlignment": (".document", "ArticleAlignment"),
    "ArticleLink": (".document", "ArticleLink"),
    "DocumentMatch": (".align.documents", "DocumentMatch"),
    "match_documents": (".align.documents", "match_documents"),
    "Pairing": (".pairing", "Pairing"),
    "BilingualError": (".errors", "BilingualError"),
    "Config": (".config", "Config"),
    "ConfigError": (".errors", "ConfigError"),
    "DiskFullError": (".errors", "DiskFullError"),
    "Document": (".document", "Document"),
    "Engine": (".translate", "Engine"),
    "Generation": (".translate", "Generation"),
    "InputError": (".errors", "InputError"),
    "LoadedRun": (".loading", "LoadedRun"),
    "ModelError": (".errors", "ModelError"),
    "NearMiss": (".document", "NearMiss"),
    "OutputError": (".errors", "OutputError"),
    "Pipeline": (".pipeline", "Pipeline"),
    "Pivot": (".targets", "Pivot"),
    "Routes": (".targets", "Routes"),
    "RunReport": (".corpus", "RunReport"),
    "Score": (".translate", "Score"),
    "Segment": (".document", "Segment"),
    "Settings": (".config", "Settings"),
    "SupportsTranslate": (".translate", "SupportsTranslate"),
    "Translation": (".translate", "Translation"),
    "Translator": (".translate", "Translator"),
    "__version__": (".loading", "VERSION"),
    "build_corpus": (".corpus", "build_corpus"),
    "identify": (".langid", "identify"),
    "load_run": (".loading", "load_run"),
    "original_from_text": (".pairing", "original_from_text"),
    "parse_original": (".original", "parse_original"),
    "parse_page": (".parse", "parse_page"),
    "prepare_original": (".pairing", "prepare_original"),
    "read_text": (".read", "read_text"),
    "split_sentences": (".split", "split_sentences"),
    "write_report": (".report", "write_report"),
}

__all__ = [
    "Aligner",
    "Alignment",
    "ArticleAligner",
    "ArticleAlignment",
    "ArticleLink",
    "BilingualError",
    "Config",
    "ConfigError",
    "DiskFullError",
    "Document",
    "DocumentMatch",
    "Engine",
    "Generation",
    "InputError",
    "LoadedRun",
    "ModelError",
    "NearMiss",
    "OutputError",
    "Pairing",
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
    "match_documents",
    "original_from_text",
    "parse_original",
    "parse_page",
    "prepare_original",
    "read_text",
    "split_sentences",
    "write_report",
]


def __getattr__(name: str) -> object:
    """A public name, imported from its module on first use (then kept in this module)."""
    try:
        module, attribute = _SOURCES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
