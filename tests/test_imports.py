"""The package's modules import one another in one direction: no cycle, lazy or not.

Every ``import`` and ``from … import`` of a ``bilingual`` module counts, at module level or inside
a function (a lazy import is still a dependency), read from the source without importing it.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "src"
# Cycles tolerated: none (align.aligner and align.misses shared Scored; it lives in align.model).
KNOWN: set[tuple[str, ...]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (ROOT / "bilingual").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the package, up level - 1
                    parts = package.split(".")
                    parts = parts[: len(parts) - node.level + 1]
                    source = ".".join([*parts, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                for alias in node.names:  # a submodule, or a name from the module
                    full = f"{source}.{alias.name}"
                    found.add(full if full in modules else source)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Each cycle, as the modules on it from its smallest name round."""
    found: set[tuple[str, ...]] = set()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        for other in graph[module]:
            if other in path:
                cycle = path[path.index(other) :]
                start = cycle.index(min(cycle))
                found.add(tuple(cycle[start:] + cycle[:start]))
            elif other not in done:
                visit(other, [*path, other])
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    return found


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    graph = import_graph()
    assert "bilingual.distributed" in graph["bilingual.corpus"]  # a lazy import, in a function
    assert "bilingual.translate.base" in graph["bilingual.translate.translator"]  # relative


def test_no_module_imports_itself_back() -> None:
    assert cycles(import_graph()) - KNOWN == set()


def test_a_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {("a", "b", "c")}


# What the engine may not bring in: the pipeline's packages, and bilingual's own pipeline.
NOT_THE_ENGINES = (
    "nltk", "lingua", "charset_normalizer", "tqdm", "pyarrow", "ray",
    "bilingual.align", "bilingual.pipeline", "bilingual.parse",
)  # fmt: skip


def loaded_after(code: str) -> set[str]:
    """The modules in ``sys.modules`` after ``code`` runs in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, timeout=120, check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return set(done.stdout.split())


@pytest.mark.slow  # a subprocess
def test_the_engine_imports_without_the_pipeline() -> None:
    """``import bilingual.translate`` (building nothing) needs torch, transformers and
    sentencepiece at most: the package's ``__init__`` is lazy, and the engine's modules import
    nothing of bilingual's but ``bilingual.errors``."""
    loaded = loaded_after("import bilingual.translate")
    assert not {m for m in loaded if m in NOT_THE_ENGINES or m.split(".")[0] in NOT_THE_ENGINES}
    assert {m for m in loaded if m.startswith("bilingual.")} <= {"bilingual.errors"} | {
        m for m in loaded if m == "bilingual.translate" or m.startswith("bilingual.translate.")
    }


@pytest.mark.slow  # a subprocess
def test_import_bilingual_alone_imports_no_submodule_and_no_torch() -> None:
    loaded = loaded_after("import bilingual")
    assert "torch" not in loaded and "transformers" not in loaded
    assert not {m for m in loaded if m.startswith("bilingual.")}


def test_the_engines_modules_import_only_the_engine_and_errors() -> None:
    """Read from the source, lazy imports included: bilingual.translate.* imports nothing of
    bilingual's outside bilingual.translate and bilingual.errors."""
    graph = import_graph()
    engine = {
        m for m in graph if m == "bilingual.translate" or m.startswith("bilingual.translate.")
    }
    outside = {(m, d) for m in engine for d in graph[m] if d not in engine | {"bilingual.errors"}}
    assert outside == set()
    assert graph["bilingual.errors"] == set()


def test_every_public_name_resolves_lazily() -> None:
    import bilingual

    assert sorted(bilingual._SOURCES) == sorted(bilingual.__all__)
    assert set(bilingual.__all__) <= set(dir(bilingual))
    for name in bilingual.__all__:
        assert getattr(bilingual, name) is not None
    assert bilingual.__version__ == bilingual.loading.VERSION
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = bilingual.nothing  # type: ignore[attr-defined]


def test_the_installed_package_imports_no_development_code() -> None:
    """development/, benchmarks/ and tools/ sit outside the installed package: nothing in it may
    import them (they are not installed with it)."""
    outside = {"development", "benchmarks", "tools", "tests", "conftest"}
    found = set()
    for path in (ROOT / "bilingual").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )  # fmt: skip
            found |= {(path.name, n) for n in names if n.split(".")[0] in outside}
    assert found == set()
