"""bench_translate --sweep's bookkeeping: which runs are recorded, and the RESULTS.md section, the
only file it writes (the timing itself is bench_translate.measure's, run by the benchmark, not
here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import sweep
from development import results as results_module

ROOT = Path(__file__).resolve().parents[1]


def test_only_a_sweep_of_every_size_is_recorded() -> None:
    assert sweep.is_full(list(sweep.SIZES), 3) and sweep.is_full(list(sweep.SIZES), 1)
    assert not sweep.is_full([8, 16], 3)  # a smoke run prints only
    assert not sweep.is_full(list(sweep.SIZES), 0)


def test_the_section_has_a_ratio_per_size_and_the_peaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n<!-- translate -->\nkept\n<!-- /translate -->\n")
    monkeypatch.setattr(results_module, "RESULTS", results)
    readme = ROOT / "README.md"
    before = readme.read_bytes()
    points = [
        {"sample": sample, "sentences": n if sample == "first" else min(n, 998), "beams": beams,
         "bilingual_per_s": 10.0 * beams, "ct2_per_s": 8.0, "ct2_mode": "g" if beams == 1 else "f4",
         "ratio": 1.25 * beams if n < 1000 else 0.5, "bilingual_rss_mb": 900 + n,
         "ct2_rss_mb": 400, "vmap_per_s": 9.0, "vmap_mode": "w" if beams == 1 else "v4",
         "vmap_ratio": 1.1 * beams if n < 1000 else 0.9, "vmap_rss_mb": 450}
        for sample in sweep.SAMPLES for n in (32, 1000) for beams in (1, 4)
    ]  # fmt: skip
    points += [
        {"sample": "pages", "sentences": 954, "beams": beams, "bilingual_per_s": 9.0,
         "ct2_per_s": 8.0, "ct2_mode": "g", "ratio": 1.1 if beams == 1 else 1.2,
         "bilingual_rss_mb": 950, "ct2_rss_mb": 450, "vmap_per_s": 9.5, "vmap_mode": "w",
         "vmap_ratio": 0.95, "vmap_rss_mb": 500}
        for beams in (1, 4)
    ]  # fmt: skip
    sweep.write(points, 3)
    text = results.read_text("utf-8")
    assert "kept" in text and text.count("<!-- sweep -->") == 1
    assert "| sample, decoding | 32 | 1000 |" in text
    assert "| second sample (every other line), beam 4 | 5.00x | 0.50x |" in text
    assert "| second sample (every other line), beam 4, vs vmap | 4.40x | 0.90x |" in text
    row = "| main sample (NTREX lines from the first), greedy | 1000 | 10.0 | 8.0 (g) | 9.0 (w) |"
    assert row + " 0.50x | 0.90x | 1900 | 400 | 450 | 4.75x |" in text
    flat = " ".join(text.split())
    assert "Lowest ratio: 0.50x; against the vocabulary map: 0.90x" in flat
    assert "highest RSS ratio: 4.75x" in flat and "best of 3" in flat
    pages = "| pipeline window of built pages, beam 4 | 954 | 9.0 | 8.0 (g) | 9.5 (w) | 1.20x |"
    assert pages + " 0.95x | 950 | 450 | 500 | 2.11x |" in text
    # The README quotes the curve as text of its own: a benchmark never rewrites it.
    assert readme.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["RESULTS.md"]


def test_no_benchmark_writes_the_readme() -> None:
    """Benchmarks record in benchmarks/RESULTS.md; the README's figures are its own text."""
    assert not hasattr(results_module, "write_readme_section")
    for path in [*(ROOT / "benchmarks").glob("*.py"), *(ROOT / "development").glob("*.py")]:
        assert "README.md" not in path.read_text("utf-8"), path
