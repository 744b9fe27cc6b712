"""report.html: what it shows of a run, that page text stays text, its size bound on a big run,
and, in a real headless Chromium, that it loads with no error and no request."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from html import escape
from pathlib import Path

import pytest

import bilingual
from bilingual import InputError, Settings, build_corpus, write_report
from bilingual.cli import main
from bilingual.report import REPORT_FILE
from bilingual.report.collect import Sample
from bilingual.write.names import REJECTED_JSONL
from browser import Browser, find_chromium
from conftest import SEEDS
from test_misses import built_pages, jsonl

PAYLOAD = "</script><script>alert(1)</script> <img src=x onerror=\"document.title='owned'\">"
BIG = 1000  # pages of the big run: more pairs and near misses than the page shows


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "out"
    build_corpus([str(s) for s in SEEDS], out)
    return out


@pytest.fixture(scope="module")
def big_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1,000-page run of the benchmark's built pages, without machine translation."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        pages = built_pages(BIG, monkeypatch)
    inputs = tmp_path_factory.mktemp("big") / "pages"
    inputs.mkdir()
    for k, page in enumerate(pages):
        (inputs / f"page{k:04d}.txt").write_text(page.text, "utf-8")
    out = inputs.parent / "out"
    build_corpus([str(inputs)], out)
    return out


@pytest.fixture(scope="module")
def browser() -> Browser:  # type: ignore[misc]
    executable = find_chromium()
    if executable is None:
        pytest.skip("no chromium on this machine (.ci/run installs Debian's)")
    with Browser(executable) as b:
        yield b


def page_of(out: Path) -> str:
    return (out / REPORT_FILE).read_text("utf-8")


def table_rows(html: str, table: str) -> int:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return body.count("<tr>") - 1  # the header row


def not_shown(html: str, what: str) -> tuple[int, int] | None:
    found = re.search(rf"(\d+) of (\d+) {what} are not shown", html)
    return (int(found[1]), int(found[2])) if found else None


def test_the_report_shows_the_run_and_the_seeds_pairs_with_their_document_and_line(
    seeds_out: Path,
) -> None:
    html = page_of(seeds_out)
    run = json.loads((seeds_out / "run.json").read_text("utf-8"))
    pairs = jsonl(seeds_out / "pairs.fr-vi.jsonl")
    assert len(pairs) == 2 and table_rows(html, "pairs-table") == 2
    for pair in pairs:
        lines = Path(pair["doc"]).read_text("utf-8").split("\n")
        line = next(k for k, text in enumerate(lines, 1) if text.startswith(pair["vi"][:30]))
        row = next(r for r in html.split("<tr>") if escape(pair["vi"]) in r)
        assert escape(pair["doc"]) in row and escape(pair["fr"]) in row
        assert f'data-v="{pair["score"]}">{pair["score"]:.4f}<' in row
        assert f'data-v="{line}">{line}<' in row
    assert f"Caption pairs ({len(pairs)})" in html and "All 2 pairs are shown" in html
    segments = jsonl(seeds_out / "segments.jsonl")
    for role in {s["role"] for s in segments}:
        assert f"{role} {sum(1 for s in segments if s['role'] == role)}" in html
    assert f"<b>{run['seconds']} s</b>" in html and "None: every Vietnamese text was paired" in html


def test_the_report_is_self_contained(seeds_out: Path) -> None:
    html = page_of(seeds_out)
    assert not re.search(r"(?i)\b(?:https?|ftp|wss?):", html)
    assert "url(" not in html and "@import" not in html
    assert not re.search(r'\s(?:src|href|action|srcset|data)="(?!#|data:)', html)
    assert "default-src 'none'" in html  # and the browser enforces it


def test_write_report_rebuilds_the_page_from_the_files(seeds_out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "out"
    shutil.copytree(seeds_out, copy, ignore=shutil.ignore_patterns(REPORT_FILE))
    assert bilingual.write_report(copy) == copy / REPORT_FILE
    assert page_of(copy).replace(copy.name, "") == page_of(seeds_out).replace(seeds_out.name, "")


def test_extra_pair_fields_get_their_own_columns(seeds_out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "extra"
    shutil.copytree(seeds_out, copy)
    pairs = jsonl(copy / "pairs.fr-vi.jsonl")
    for k, pair in enumerate(pairs):
        pair.update(model_score=0.25 + k / 2, origin=f"<b>site {k}</b>")
    (copy / "pairs.fr-vi.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs))
    html = page_of(copy) if write_report(copy) else ""
    assert '<button type="button">model_score</button>' in html and ">origin</button>" in html
    assert 'data-v="0.75">0.7500<' in html and "&lt;b&gt;site 1&lt;/b&gt;" in html


def test_page_text_is_shown_as_text(tmp_path: Path) -> None:
    text = SEEDS[0].read_text("utf-8")
    text = text.replace(
        "Quang cảnh phiên họp sáng 22/12.", f"Quang cảnh phiên họp sáng 22/12. {PAYLOAD}"
    )
    page = tmp_path / "in" / "<img src=x onerror=alert(2)>.txt"
    page.parent.mkdir()
    page.write_text(text, "utf-8")
    build_corpus([str(page)], tmp_path / "out")
    html = page_of(tmp_path / "out")
    (pair,) = jsonl(tmp_path / "out" / "pairs.fr-vi.jsonl")
    assert PAYLOAD in pair["vi"] and escape(PAYLOAD) in html and escape(page.name) in html
    assert "<img" not in html and html.count("<script") == 1


@pytest.mark.slow  # a build with two routes
def test_route_comparison_and_machine_translation_are_shown(
    tmp_path: Path, model_dirs: dict[str, Path]
) -> None:
    out = tmp_path / "out"
    settings = Settings(device="cpu", min_score=-1.0, beams=1)  # greedy: the page is tested
    build_corpus([str(s) for s in SEEDS], out, model_dirs, settings)
    run = json.loads((out / "run.json").read_text("utf-8"))
    html = page_of(out)
    for lang in ("en", "vi"):
        translated = sum(1 for s in jsonl(out / "segments.jsonl") if s["translations"].get(lang))
        assert f"MT scores, fr-{lang}" in html and f"MT fr-{lang}<b>{translated}</b>" in html
        assert f'data-v="{run["filtered"][lang]}">{run["filtered"][lang]}<' in html
    assert "--min-score -1.0" in html  # the filter's threshold on the histograms
    assert "MT chrF" in html and all("mt_chrf" in p for p in jsonl(out / "pairs.fr-vi.jsonl"))
    run["route_comparison"] = {"vi": {"pairs": 2, "mean_mt_chrf": {"direct": 0.31, "pivot": 0.42}}}
    (out / "run.json").write_text(json.dumps(run))
    html = page_of(out) if write_report(out) else ""
    assert "Route comparison" in html and "mean chrF on 2 pairs" in html and "0.4200" in html


def test_failures_are_listed_with_their_reasons(tmp_path: Path) -> None:
    missing, empty = tmp_path / "missing.txt", tmp_path / "<b>empty.txt"
    empty.write_text("", "utf-8")
    report = build_corpus([str(SEEDS[0]), str(missing), str(empty)], tmp_path / "out")
    html = page_of(tmp_path / "out")
    assert len(report.failures) == 2 and "Failures (2)" in html
    for failure in report.failures:
        assert escape(failure["doc"]) in html and escape(failure["error"]) in html
    assert '<a href="#failures">2</a>' in html and "<b>empty" not in html


def test_an_output_without_near_misses_is_still_shown(seeds_out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "old"
    shutil.copytree(seeds_out, copy)
    (copy / REJECTED_JSONL).unlink()  # written before near misses existed
    html = page_of(copy) if write_report(copy) else ""
    assert "has no pairs.rejected.jsonl" in html and table_rows(html, "pairs-table") == 2


def test_no_report_skips_it_and_removes_an_earlier_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main([*map(str, SEEDS), "-o", str(out), "--no-mt"]) == 0
    assert f"translate: report: {out / REPORT_FILE}" in capsys.readouterr().err
    assert (out / REPORT_FILE).exists() and (out / REJECTED_JSONL).exists()
    assert main([*map(str, SEEDS), "-o", str(out), "--no-mt", "--no-report"]) == 0
    err = capsys.readouterr().err
    assert "translate: report:" not in err and "removed report.html" in err
    assert not (out / REPORT_FILE).exists() and (out / REJECTED_JSONL).exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda out: (out / "run.json").unlink(), r"run\.json: not found"),
        (lambda out: (out / "pairs.fr-vi.jsonl").write_text('{"doc": 1}\nnot json\n'),
         r"pairs\.fr-vi\.jsonl:2: not a JSON object"),
        (lambda out: (out / "segments.jsonl").write_text("[1]\n"),
         r"segments\.jsonl:1: expected a JSON object"),
    ],
)  # fmt: skip
def test_a_directory_that_is_not_an_output_is_named(
    seeds_out: Path, tmp_path: Path, damage: Callable[[Path], object], message: str
) -> None:
    copy = tmp_path / "out"
    shutil.copytree(seeds_out, copy)
    damage(copy)
    with pytest.raises(InputError, match=message):
        write_report(copy)


def test_a_selection_keeps_the_worst_and_a_sample_and_counts_the_rest() -> None:
    selection = Sample(10, 20, lambda r: r["score"])
    records = [{"n": n, "score": (n * 7919) % 10007 / 10007} for n in range(10_000)]
    for record in records:
        selection.add(record)
    rows = selection.rows()
    lowest = sorted(records, key=lambda r: r["score"])[:10]
    assert all(r in rows for r in lowest) and 20 <= len(rows) <= 30
    assert selection.left_out == 10_000 - len(rows) and rows == sorted(rows, key=lambda r: r["n"])
    selection.shrink()
    assert len(selection.rows()) <= 15 and all(r in selection.rows() for r in lowest[:5])


@pytest.mark.slow  # a big run
def test_a_big_run_keeps_the_page_within_its_bound_and_says_what_it_leaves_out(
    big_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = page_of(big_out)
    pairs, rejected = jsonl(big_out / "pairs.fr-vi.jsonl"), jsonl(big_out / REJECTED_JSONL)
    assert len(html.encode()) <= bilingual.report.MAX_BYTES
    shown = table_rows(html, "pairs-table")
    assert not_shown(html, "pairs") == (len(pairs) - shown, len(pairs)) and shown < len(pairs)
    lowest = min(p["score"] for p in pairs)
    assert f'data-v="{lowest}"' in html.split('id="pairs-table"')[1]
    misses = table_rows(html, "misses-table")
    assert not_shown(html, "near misses") == (len(rejected) - misses, len(rejected))
    monkeypatch.setattr(bilingual.report, "MAX_BYTES", 300_000)  # a tighter bound: fewer rows
    html = page_of(big_out) if write_report(big_out) else ""
    assert len(html.encode()) <= 300_000 and table_rows(html, "pairs-table") < shown
    assert not_shown(html, "pairs") == (len(pairs) - table_rows(html, "pairs-table"), len(pairs))


def test_the_seeds_report_loads_in_a_browser_with_the_pairs_in_view(
    seeds_out: Path, browser: Browser, tmp_path: Path
) -> None:
    url = (seeds_out / REPORT_FILE).resolve().as_uri()
    page = browser.open(url)
    assert page.console_errors == [] and page.requests == [url]
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('#pairs-table tbody tr'))"
        ".map(r => Array.from(r.cells).map(c => c.textContent))"
    )
    for pair in jsonl(seeds_out / "pairs.fr-vi.jsonl"):
        assert [pair["doc"], pair["vi"], pair["fr"], f"{pair['score']:.4f}"] in [
            [r[0], r[2], r[3], r[4]] for r in rows
        ]
    top, bottom = page.evaluate(
        "(b => [b.top, b.bottom])(document.getElementById('pairs-table').getBoundingClientRect())"
    )
    assert top >= 0 and bottom <= page.evaluate("window.innerHeight")  # in the first screen
    shot = page.screenshot(Path(os.environ.get("BILINGUAL_SCREENSHOTS", tmp_path)) / "seeds.png")
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_the_tables_sort_and_filter_in_the_browser(seeds_out: Path, browser: Browser) -> None:
    page = browser.open((seeds_out / REPORT_FILE).resolve().as_uri())
    scores = "Array.from(document.querySelectorAll('#pairs-table tbody tr')).map(r => r.cells[4].textContent)"
    click = "document.querySelectorAll('#pairs-table th button')[{}].click()"
    up = page.evaluate(scores)  # lowest first, as the page comes
    page.evaluate(click.format(4))
    assert up == sorted(up) and page.evaluate(scores) == sorted(up, reverse=True)
    page.evaluate(click.format(4))
    assert page.evaluate(scores) == up
    docs = "Array.from(document.querySelectorAll('#pairs-table tbody tr')).map(r => r.cells[0].textContent)"
    page.evaluate(click.format(0))
    assert page.evaluate(docs) == sorted(str(s) for s in SEEDS)
    visible = "Array.from(document.querySelectorAll('#pairs-table tbody tr')).filter(r => !r.hidden).length"
    page.evaluate(
        "(f => { f.querySelector('input[type=number]').value = '0.9';"
        " f.querySelector('input[type=checkbox]').click(); })(document.querySelector('form.filter'))"
    )
    low = sum(1 for p in jsonl(seeds_out / "pairs.fr-vi.jsonl") if p["score"] < 0.9)
    assert page.evaluate(visible) == low == 1


def test_page_text_stays_text_in_the_browser(tmp_path: Path, browser: Browser) -> None:
    test_page_text_is_shown_as_text(tmp_path)
    page = browser.open((tmp_path / "out" / REPORT_FILE).resolve().as_uri())
    assert page.dialogs == [] and page.console_errors == []
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("document.title").startswith("bilingual report")
    assert PAYLOAD in page.evaluate("document.getElementById('pairs-table').textContent")


@pytest.mark.slow  # a big run
def test_the_big_report_loads_in_a_browser(big_out: Path, browser: Browser, tmp_path: Path) -> None:
    url = (big_out / REPORT_FILE).resolve().as_uri()
    page = browser.open(url)
    assert page.console_errors == [] and page.requests == [url]
    text = page.evaluate("document.body.innerText")
    pairs = len(jsonl(big_out / "pairs.fr-vi.jsonl"))
    shown = page.evaluate("document.querySelectorAll('#pairs-table tbody tr').length")
    assert f"{pairs - shown} of {pairs} pairs are not shown" in text
    page.screenshot(Path(os.environ.get("BILINGUAL_SCREENSHOTS", tmp_path)) / "big.png")
