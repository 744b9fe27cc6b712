"""The Ray build: the local build's files from a cluster, nothing lost when an actor dies, resume.

One local Ray cluster (2 CPUs, a small object store) serves the whole test run; the tests that need
it skip when the ``ray`` extra is not installed.  The others check that Ray stays out of every
other path and that asking for it without the extra says how to install it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bilingual import Pivot, Routes, Translator, build_corpus
from bilingual.cli import main
from bilingual.corpus import STATE_DIR, Settings
from bilingual.errors import ConfigError
from conftest import SEEDS
from test_corpus import make_inputs

pytestmark = pytest.mark.slow  # the Ray tests start a cluster

# corpus.parquet too: its rows, as every file's, must not depend on where the pages were done.
# Greedy: where the pages are done is what is compared, and beam search is tested on its own.
# With an original for a seed: the article links are made where the corpus is written, the same.
ORIGINALS = (Path(__file__).parent / "data" / "original_000.txt",)
LOCAL = Settings(device="cpu", cache=False, parquet=True, beams=1, originals=ORIGINALS)
RAY = Settings(
    device="cpu", cache=False, executor="ray", parquet=True, beams=1, originals=ORIGINALS
)
NOT_COMPARED = ("run.json", "report.html")  # both say which engine ran, and when


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[ModuleType]:
    """A local cluster for the whole test run; builds use it instead of starting their own."""
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    ray.init(
        address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
        object_store_memory=200 * 1024**2, logging_level="WARNING",
    )  # fmt: skip
    # The translators below are defined here; the workers cannot import this file, so send them.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The seeds and 40 pages made from them."""
    generated = make_inputs(tmp_path_factory.mktemp("pages") / "generated", 40)
    return [str(SEEDS[0].parent), str(generated)]


@pytest.fixture(scope="module")
def local_build(
    pages: list[str], model_dirs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    build_corpus(pages, out, model_dirs, LOCAL)
    return out


def assert_same_corpus(built: Path, expected: Path) -> None:
    """The same files, byte for byte, run.json and the report that shows it aside (they say
    which engine ran, and when)."""
    names = sorted(p.name for p in expected.iterdir() if p.name not in NOT_COMPARED)
    assert sorted(p.name for p in built.iterdir() if p.name not in NOT_COMPARED) == names
    for name in names:
        assert (built / name).read_bytes() == (expected / name).read_bytes(), name


def test_a_ray_build_writes_the_local_build_files(
    ray_cluster: ModuleType,
    pages: list[str],
    model_dirs: dict[str, Path],
    local_build: Path,
    tmp_path: Path,
) -> None:
    report = build_corpus(pages, tmp_path, model_dirs, Settings(**{**vars(RAY), "actors": 2}))
    assert_same_corpus(tmp_path, local_build)
    assert report.documents == 42 and report.failures == []
    run, local = (json.loads((d / "run.json").read_text()) for d in (tmp_path, local_build))
    assert (run["engine"], run["actors"], run["threads_per_actor"]) == ("ray", 2, 1)
    assert "engine" not in local
    assert run["model_revisions"] == local["model_revisions"]


def test_routes_are_compared_on_ray_as_locally(
    ray_cluster: ModuleType, pages: list[str], model_dirs: dict[str, Path], tmp_path: Path
) -> None:
    targets = {
        "en": model_dirs["en"],
        "vi": Routes(model_dirs["vi"], Pivot("en", model_dirs["vi"])),
    }
    local = build_corpus(pages, tmp_path / "local", targets, LOCAL)
    ray = build_corpus(pages, tmp_path / "ray", targets, Settings(**{**vars(RAY), "actors": 2}))
    assert_same_corpus(tmp_path / "ray", tmp_path / "local")
    compared, expected = ray.route_comparison["vi"], local.route_comparison["vi"]
    assert compared["pairs"] == expected["pairs"] > 0 and compared["used"] == "direct"
    assert set(compared["mean_mt_chrf"]) == {"direct", "pivot via en"}
    for route, mean in expected["mean_mt_chrf"].items():  # sums added in another order
        assert compared["mean_mt_chrf"][route] == pytest.approx(mean, abs=1e-4)
    run = json.loads((tmp_path / "ray" / "run.json").read_text())
    assert run["route_comparison"] == ray.route_comparison


class Interrupted(Exception):
    """Stands for a driver stopped mid-run (Ctrl-C, a lost session)."""


def test_resume_skips_the_documents_already_finished(
    ray_cluster: ModuleType,
    pages: list[str],
    model_dirs: dict[str, Path],
    local_build: Path,
    tmp_path: Path,
) -> None:
    returned: list[int] = []

    def stop_after_ten(sentences: int) -> None:
        returned.append(sentences)
        if len(returned) > 10:  # called as each document comes back, before it is saved
            raise Interrupted

    with pytest.raises(Interrupted):
        build_corpus(pages, tmp_path, model_dirs, RAY, progress=stop_after_ten)
    assert len(list((tmp_path / STATE_DIR).glob("*.json"))) == 10

    resumed = build_corpus(pages, tmp_path, model_dirs, Settings(**{**vars(RAY), "resume": True}))
    assert resumed.resumed == 10
    assert_same_corpus(tmp_path, local_build)
    assert not (tmp_path / STATE_DIR).exists()


class DiesOnce:
    """A translator whose process exits the first time it sees the marker (a crash, a lost node),
    and translates normally ever after: the first time is remembered in a file."""

    def __init__(self, model: Path, marker: str, died: Path) -> None:
        self.model, self.marker, self.died = model, marker, died
        self.translator: Translator | None = None  # loaded where it runs, not where it is built

    def translate(self, sentences: list[str]) -> list[str]:
        if any(self.marker in s for s in sentences) and not self.died.exists():
            self.died.touch()
            os._exit(1)
        if self.translator is None:
            self.translator = Translator(self.model, device="cpu")
        return self.translator.translate(sentences)


def test_nothing_is_lost_when_an_actor_dies_or_a_document_is_bad(
    ray_cluster: ModuleType, model_dirs: dict[str, Path], tmp_path: Path
) -> None:
    inputs = make_inputs(tmp_path / "in", 24)
    (inputs / "doc01.txt").write_bytes(b"\x00\x01\x02binary\xff" * 50)
    paths = [str(inputs), str(tmp_path / "missing.txt")]
    died = tmp_path / "died"
    translators: dict[str, Any] = {
        "en": DiesOnce(model_dirs["en"], "du Parti n° 17", died), "vi": model_dirs["vi"]
    }  # fmt: skip
    # One actor: the run can only finish if it is restarted and its batch translated again.
    report = build_corpus(paths, tmp_path / "ray", translators, RAY)
    assert died.exists(), "the actor never died"
    local = build_corpus(paths, tmp_path / "local", translators, LOCAL)  # it died already

    assert_same_corpus(tmp_path / "ray", tmp_path / "local")
    assert [f["doc"] for f in report.failures] == [str(inputs / "doc01.txt"), paths[1]]
    assert report.failures == local.failures
    lines = (tmp_path / "ray" / "segments.jsonl").read_text("utf-8").splitlines()
    assert len({json.loads(line)["doc"] for line in lines}) == 23  # once each


def test_a_translator_that_cannot_be_pickled_is_a_config_error(
    ray_cluster: ModuleType, tmp_path: Path
) -> None:
    class Local:
        def __init__(self) -> None:
            self.lock = __import__("threading").Lock()

        def translate(self, sentences: list[str]) -> list[str]:
            return sentences

    with pytest.raises(ConfigError, match="model id or directory"):
        build_corpus([str(SEEDS[0])], tmp_path, {"en": Local()}, RAY)


def test_nbest_beyond_a_models_beams_is_the_same_config_error_on_ray(
    ray_cluster: ModuleType, tmp_path: Path, model_dirs: dict[str, Path]
) -> None:
    settings = Settings(device="cpu", cache=False, executor="ray", nbest=6)
    with pytest.raises(ConfigError, match=r"cannot exceed the 4 beams of .*opus-mt-fr-en") as e:
        build_corpus([str(SEEDS[0])], tmp_path / "out", {"en": model_dirs["en"]}, settings)
    assert "Traceback" not in str(e.value) and "load_plan" not in str(e.value)
    assert not (tmp_path / "out" / "segments.jsonl").exists()


def test_without_the_extra_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails, installed or not
    with pytest.raises(ConfigError, match=r"pip install 'bilingual\[ray\]'"):
        build_corpus([str(SEEDS[0])], tmp_path, None, RAY)
    assert main([str(SEEDS[0]), "-o", str(tmp_path), "--no-mt", "--ray", "-q"]) == 2
    assert "bilingual[ray]" in capsys.readouterr().err


@pytest.mark.parametrize(
    "code",
    [
        "import bilingual, sys; assert 'ray' not in sys.modules",
        "import sys; from bilingual.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'ray' not in sys.modules",
        "import sys; from bilingual.cli import main\n"
        "assert main([sys.argv[1], '-o', sys.argv[2], '--no-mt', '-q']) == 0\n"
        "assert 'ray' not in sys.modules",
    ],
    ids=["import", "help", "local-run"],
)
def test_other_paths_do_not_import_ray(code: str, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", code, str(SEEDS[0]), str(tmp_path / "out")],
        check=True,
        capture_output=True,
    )
