"""Line mode: translate_iterable, translate_lines / score_lines and ``translate --lines``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bilingual import Translator
from bilingual.cli import main
from bilingual.errors import InputError
from bilingual.lines import score_lines, translate_lines
from bilingual.translate.base import Generation
from bilingual.translate.cache import CachedEngine, TranslationCache
from conftest import ROOT, corpus_lines

GREEDY = Generation(num_beams=1)


@pytest.fixture(scope="module")
def french() -> list[str]:
    return corpus_lines("ntrex128.fra")


@pytest.mark.slow  # translates for seconds with the tiny models
def test_translate_iterable_is_lazy_and_in_order(
    tiny_translator: Translator, french: list[str]
) -> None:
    read: list[int] = []

    def lines() -> Iterator[str]:
        for i, line in enumerate(french[:20]):
            read.append(i)
            yield line

    stream = tiny_translator.translate_iterable(lines(), window=8, generation=GREEDY)
    first = next(stream)
    assert len(read) == 8  # one window read, not the whole input
    rest = list(stream)
    assert [first, *rest] == tiny_translator.translate(french[:20], num_beams=1)


@pytest.mark.slow  # translates for seconds with the tiny models
def test_translate_lines_equals_translate(
    tiny_translator: Translator, french: list[str], tmp_path: Path
) -> None:
    lines = [*french[:16], "", french[0], *french[:5]]  # an empty line and repeats
    source = tmp_path / "in.fr"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.en"
    count = translate_lines(str(source), tiny_translator, out, generation=GREEDY, window=7)
    assert count == len(lines)
    expected = tiny_translator.translate(lines, num_beams=1)
    assert out.read_text("utf-8").split("\n")[:-1] == expected


def test_nbest_and_min_score(tiny_translator: Translator, tmp_path: Path) -> None:
    source = tmp_path / "in.fr"
    source.write_text("Bonjour.\n\nMerci beaucoup.\n", encoding="utf-8")
    out = tmp_path / "nbest"
    beams = Generation(num_beams=3, num_return_sequences=3)
    translate_lines(str(source), tiny_translator, out, generation=beams, nbest=True)
    rows = [line.split(" ||| ") for line in out.read_text("utf-8").splitlines()]
    assert [int(r[0]) for r in rows] == [0, 0, 0, 1, 2, 2, 2]
    assert rows[3][1:] == ["", "0.000000"]  # an empty line's one empty hypothesis
    for i in (0, 2):
        scores = [float(r[2]) for r in rows if int(r[0]) == i]
        assert scores == sorted(scores, reverse=True)
    # A threshold above every score empties the lines but keeps them, one per input line.
    translate_lines(str(source), tiny_translator, out, generation=GREEDY, min_score=0.0)
    assert out.read_text("utf-8") == "\n\n\n"


def test_the_cache_serves_line_mode(
    tiny_translator: Translator, french: list[str], tmp_path: Path
) -> None:
    source = tmp_path / "in.fr"
    source.write_text("\n".join(french[:6]) + "\n", encoding="utf-8")
    cache = TranslationCache(tmp_path / "cache.sqlite")
    engine = CachedEngine(tiny_translator, cache)
    first, second = tmp_path / "first", tmp_path / "second"
    translate_lines(str(source), engine, first, generation=GREEDY, window=4)
    assert (cache.hits, cache.misses) == (0, 6)
    translate_lines(str(source), engine, second, generation=GREEDY, window=4)
    assert (cache.hits, cache.misses) == (6, 6)  # nothing translated twice
    assert first.read_text("utf-8") == second.read_text("utf-8")
    cache.close()


def test_line_progress_counts_every_line_translated(
    tiny_translator: Translator, french: list[str], tmp_path: Path
) -> None:
    lines = [*french[:3]] * 3  # repeats: the model translates each distinct line once
    source = tmp_path / "in.fr"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cache = TranslationCache(tmp_path / "cache.sqlite")
    for _ in range(2):  # the second time from the cache alone
        done: list[int] = []
        engine = CachedEngine(tiny_translator, cache)
        translate_lines(
            str(source), engine, tmp_path / "out", generation=GREEDY, progress=done.append
        )
        assert sum(done) == len(lines) and all(n > 0 for n in done)
    assert cache.hits > 0
    cache.close()


def test_score_lines_equals_score(tiny_translator: Translator, tmp_path: Path) -> None:
    pairs = [("Bonjour.", "Hello."), ("Merci beaucoup.", "Thank you very much."), ("", "")]
    source = tmp_path / "pairs.tsv"
    source.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    out = tmp_path / "scores"
    assert score_lines(str(source), tiny_translator, out, window=2) == 3
    rows = [line.split("\t") for line in out.read_text("utf-8").splitlines()]
    expected = tiny_translator.score([s for s, _ in pairs], [t for _, t in pairs])
    for row, score in zip(rows, expected, strict=True):
        assert float(row[0]) == pytest.approx(score.per_token, abs=1e-4)
        assert float(row[1]) == pytest.approx(score.total, rel=1e-6, abs=1e-4)
        assert int(row[2]) == score.tokens


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a\tb\nno tab here\n", r"pairs.tsv: line 2 has 1 tab-separated columns"),
        (b"a\tb\n\xff\xfe\tb\n", r"pairs.tsv: line 2 is not UTF-8"),
        (b"a\t" + b"mot " * 600 + b"\n", r"pairs.tsv: line 1: pair 0: its target has"),
    ],
)
def test_bad_lines_are_named(
    tiny_translator: Translator, tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "pairs.tsv"
    source.write_bytes(content)
    out = tmp_path / "scores"
    with pytest.raises(InputError, match=message):
        score_lines(str(source), tiny_translator, out)
    assert not out.exists()  # nothing half-written


def test_cli_lines_to_a_file_and_scores(
    model_dirs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.fr"
    source.write_text("Bonjour.\nMerci.\n", encoding="utf-8")
    model = f"en={model_dirs['en']}"
    args = ["--lines", str(source), "--to", "en", "--model", model, "--beams", "1", "-q"]
    assert main([*args, "-o", str(tmp_path / "out.en")]) == 0
    assert len((tmp_path / "out.en").read_text("utf-8").splitlines()) == 2
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("Bonjour.\tHello.\n", encoding="utf-8")
    scoring = ["--score", "--lines", str(pairs), "--to", "en", "--model", model, "-q"]
    assert main(scoring) == 0
    per_token, total, tokens = capsys.readouterr().out.split("\t")
    assert float(per_token) * int(tokens) == pytest.approx(float(total), abs=1e-4)
    # The cache served the second run of the same lines.
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "bilingual" / "translations.sqlite"
    assert cache.exists()


def test_a_broken_cache_is_a_warning_in_line_mode_too(
    model_dirs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As in a corpus build: the cache only saves time, so a damaged one never stops a run."""
    source = tmp_path / "in.fr"
    source.write_text("Bonjour.\nMerci.\n", encoding="utf-8")
    broken = tmp_path / "cache.sqlite"
    broken.write_bytes(b"not a database, " * 100)
    args = ["--lines", str(source), "--to", "en", "--model", f"en={model_dirs['en']}", "-q"]
    assert main([*args, "--beams", "1", "-o", str(tmp_path / "plain"), "--no-cache"]) == 0
    assert main([*args, "--beams", "1", "-o", str(tmp_path / "out"), "--cache", str(broken)]) == 0
    assert str(broken) in capsys.readouterr().err
    assert (tmp_path / "out").read_bytes() == (tmp_path / "plain").read_bytes()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lines", "f", "page.txt"], "give no INPUT"),
        (["page.txt"], "INPUT and -o/--output are required"),
        (["--score", "page.txt", "-o", "out"], "add --lines"),
        (["--lines", "f"], "one language"),  # --to defaults to en,vi
        (["--score", "--lines", "f", "--to", "en", "--nbest", "2"], "not with --score"),
    ],
)
def test_cli_refuses_mixed_modes(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def _run_lines(
    model: Path, lines: list[str], tmp_path: Path, name: str, window: int = 1024
) -> tuple[list[str], int]:
    """``translate --lines FILE`` in a subprocess: its output lines and peak RSS (bytes)."""
    source = tmp_path / f"{name}.fr"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / f"{name}.out"
    code = (
        "import json, resource, sys\n"
        "from bilingual.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    argv = ["--lines", str(source), "--to", "en", "--model", f"en={model}", "--beams", "1"]
    argv += ["--window", str(window)]
    # A cache of its own: each run translates its distinct lines itself.
    argv += ["-o", str(out), "-q", "--threads", "1", "--cache", str(tmp_path / f"{name}.sqlite")]
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    peak_kib = json.loads(done.stderr.strip().splitlines()[-1])
    return out.read_text("utf-8").split("\n")[:-1], peak_kib * 1024


@pytest.mark.slow  # a subprocess
def test_memory_stays_flat_on_ten_times_the_lines(
    model_dirs: dict[str, Path], french: list[str], tmp_path: Path
) -> None:
    """Ten times the lines, ten times the windows, peak within 10%, with the same translations:
    2,000 NTREX lines (200 distinct, repeated; each run has a cache of its own, which serves the
    repeats after the first pass) against their first 200, in windows of 100 lines, as 20,000
    lines against 2,000 in the default 1,024 (the acceptance check of line mode, scaled down so
    that it translates 400 lines, not 4,000)."""
    distinct = [line for line in french if line.strip()][:200]
    lines = distinct * 10
    small, small_peak = _run_lines(model_dirs["en"], lines[:200], tmp_path, "small", window=100)
    large, large_peak = _run_lines(model_dirs["en"], lines, tmp_path, "large", window=100)
    assert len(small) == 200 and len(large) == 2_000
    assert large[:200] == small
    assert all(large[i] == large[i % len(distinct)] for i in range(len(large)))  # repeats
    assert large_peak <= 1.10 * small_peak, (small_peak, large_peak)


@pytest.mark.slow  # a subprocess
def test_lines_work_in_a_pipe(model_dirs: dict[str, Path], french: list[str]) -> None:
    """``cat f | translate --lines - … | wc -l`` prints the line count."""
    text = "\n".join(french[:30]) + "\n"
    command = (
        f"{sys.executable} -m bilingual --lines - --to en --model en={model_dirs['en']} "
        "--beams 1 | wc -l"
    )
    done = subprocess.run(
        command,
        shell=True,
        input=text,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    assert done.stdout.strip() == "30"
    assert done.stderr == ""  # no progress bar when standard error is not a terminal


@pytest.mark.slow  # a subprocess
def test_a_reader_that_stops_early_is_no_error(
    model_dirs: dict[str, Path], french: list[str], tmp_path: Path
) -> None:
    """``translate --lines f | head -1``: quiet, with the status of a command SIGPIPE stops."""
    source = tmp_path / "in.fr"
    source.write_text("\n".join(french[:40]) + "\n", encoding="utf-8")
    command = (
        f"{sys.executable} -m bilingual --lines {source} --to en --model en={model_dirs['en']} "
        "--beams 1 --window 4 | head -1; echo status=${PIPESTATUS[0]}"
    )
    done = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "status=141"
    assert len(done.stdout.splitlines()) == 2
    assert done.stderr == ""
