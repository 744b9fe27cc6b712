"""The report page: one self-contained HTML file built from a :class:`~.collect.Summary`.

Every string from the corpus or the run (page text, document names, errors, model ids) goes
through :func:`html.escape`; the page's only script is :data:`~.assets.SCRIPT`, allowed by its
hash in the page's Content-Security-Policy, which also forbids every request (no network, no CDN).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from html import escape
from typing import Any

from .articles import render_articles
from .assets import SCRIPT, STYLE
from .collect import Summary
from .svg import bars, histogram
from .tables import left_out, num, table, text

__all__ = ["render"]
LOW_SCORE = 0.8  # the low-score filter's starting value


def render(summary: Summary) -> str:
    """The whole page."""
    run = summary.run
    body = [
        f"<h1>bilingual report: {escape(summary.outdir.name or str(summary.outdir))}</h1>",
        _cards(summary),
        _roles(summary),
        _pairs(summary),
        _misses(summary),
        render_articles(summary.articles, run),
        _translation(summary),
        _routes(run.get("route_comparison") or {}),
        _failures(run.get("failures") or []),
        _run(run),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_policy()}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>bilingual report: {escape(summary.outdir.name)}</title>"
        f"<style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + f"\n<script>{SCRIPT}</script></body></html>\n"
    )


def _policy() -> str:
    """Nothing may be fetched; only this page's own style and script run."""
    digest = [
        base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        for text in (STYLE, SCRIPT)
    ]
    return (
        f"default-src 'none'; style-src 'sha256-{digest[0]}'; script-src 'sha256-{digest[1]}'; "
        "img-src data:; form-action 'none'; base-uri 'none'"
    )


def _cards(summary: Summary) -> str:
    run = summary.run
    failed = sum(1 for f in run.get("failures") or [] if "doc" in f)
    seconds = escape(str(run.get("seconds", "")))
    items = [
        ("documents", escape(str(run.get("documents", len(summary.documents))))),
        ("failed", f'<a href="#failures">{failed + _model_failures(run)}</a>'),
        ("segments", str(sum(summary.roles.values()))),
        ("caption pairs", f'<a href="#pairs">{summary.pairs.total}</a>'),
        ("near misses", f'<a href="#misses">{summary.misses.total if summary.misses else 0}</a>'),
        *((f"MT fr-{escape(lang)}", str(n)) for lang, n in sorted(summary.translated.items())),
        ("time", f"{seconds} s"),
    ]
    return (
        '<div class="cards">'
        + "".join(f'<div class="card">{name}<b>{value}</b></div>' for name, value in items)
        + "</div>"
    )


def _roles(summary: Summary) -> str:
    roles = ", ".join(f"{escape(r)} {n}" for r, n in sorted(summary.roles.items()))
    return f'<p class="note">Segments per role: {roles or "none"}.</p>'


def _pairs(summary: Summary) -> str:
    extras = list(summary.extra_fields.items())
    heads = [("doc", False), ("line", True), ("Vietnamese", False), ("French", False),
             ("score", True), ("MT chrF", True), *extras]  # fmt: skip
    rows = []
    for r in _by_score(summary.pairs.rows(), lowest_first=True):
        line = summary.lines.get((str(r.get("doc")), _int(r.get("vi_index"))))
        cells = [
            text(r.get("doc"), "doc"), num(line, 0), text(r.get("vi")), text(r.get("fr")),
            num(r.get("score"), 4, "score"), num(r.get("mt_chrf"), 4),
        ]  # fmt: skip
        for name, numeric in extras:
            value = r.get(name)
            cells.append(num(value, 4) if numeric else text(_plain(value)))
        rows.append(cells)
    chart = histogram("caption pair scores", summary.pair_scores, _marks(summary.thresholds))
    return (
        f'<h2 id="pairs">Caption pairs ({summary.pairs.total})</h2>'
        f'<div class="charts">{chart}</div>'
        f"{left_out(summary.pairs, 'pairs', 'the lowest-scored and a sample of the rest')}"
        f"{_filter('pairs-table', 4)}{table('pairs-table', heads, rows, (4, 'ascending'))}"
    )


def _misses(summary: Summary) -> str:
    head = '<h2 id="misses">Near misses: Vietnamese texts left unpaired'
    if summary.misses is None:
        return f'{head}</h2><p class="note">This directory has no pairs.rejected.jsonl.</p>'
    heads = [
        ("doc", False), ("line", True), ("Vietnamese", False), ("best candidate", False),
        ("score", True), ("threshold", True), ("reason", False), ("MT chrF", True),
    ]  # fmt: skip
    rows = [_miss_row(r) for r in _by_score(summary.misses.rows(), lowest_first=False)]
    if not summary.misses.total:
        return f'{head} (0)</h2><p class="note">None: every Vietnamese text was paired.</p>'
    reasons = ", ".join(f"{escape(k)}: {n}" for k, n in summary.miss_reasons.most_common())
    chart = histogram("best candidate scores", summary.miss_scores, _marks(summary.thresholds))
    return (
        f"{head} ({summary.misses.total})</h2>"
        f'<p class="note">Each with its best candidate, that candidate\'s score and the '
        f"threshold it needed ({reasons or 'none'}); <i>french_taken</i>: the candidate "
        f"cleared its threshold but its French went to a better-scored pair.</p>"
        f'<div class="charts">{chart}</div>'
        f"{left_out(summary.misses, 'near misses', 'the closest to a pair and a sample')}"
        f"{table('misses-table', heads, rows, (4, 'descending'))}"
    )


def _miss_row(r: dict[str, Any]) -> list[str]:
    return [
        text(r.get("doc"), "doc"), num(r.get("line"), 0), text(r.get("vi")), text(r.get("fr")),
        num(r.get("score"), 4, "score"), num(r.get("threshold"), 4), text(r.get("reason")),
        num(r.get("mt_chrf"), 4),
    ]  # fmt: skip


def _translation(summary: Summary) -> str:
    run = summary.run
    if not summary.translated:
        return '<h2 id="mt">Machine translation</h2><p class="note">None in this run.</p>'
    min_score = run.get("min_score")
    marks = [(float(min_score), f"--min-score {min_score}")] if min_score is not None else []
    charts = "".join(
        histogram(f"MT scores, fr-{lang}", hist, marks)
        for lang, hist in sorted(summary.mt_scores.items())
    )
    filtered, counts = run.get("filtered") or {}, run.get("counts") or {}
    duplicates, excluded = run.get("duplicates") or {}, run.get("excluded") or {}
    rows = [
        [
            text(lang),
            num(n, 0),
            num(filtered.get(lang), 0),
            num(duplicates.get(f"mt.fr-{lang}"), 0),
            num(excluded.get(f"mt.fr-{lang}"), 0),
            num(counts.get(f"mt.{lang}.tsv"), 0),
        ]
        for lang, n in sorted(summary.translated.items())
    ]
    heads = [
        ("language", False),
        ("translated segments", True),
        ("filtered by --min-score", True),
        ("duplicates", True),
        ("in a test set", True),
        ("rows written (mt.fr-L.tsv)", True),
    ]
    return (
        '<h2 id="mt">Machine translation</h2>'
        f'<div class="charts">{charts}</div>{table("mt-table", heads, rows)}'
        '<p class="note">Scores: log-probability per token; values outside the axis are '
        "counted in its end bins.</p>"
    )


def _routes(comparison: dict[str, Any]) -> str:
    if not comparison:
        return ""
    charts = []
    for lang, result in sorted(comparison.items()):
        means = {str(k): float(v) for k, v in (result.get("mean_mt_chrf") or {}).items()}
        charts.append(bars(f"fr-{lang}: mean chrF on {result.get('pairs', 0)} pairs", means))
    return f'<h2 id="routes">Route comparison</h2><div class="charts">{"".join(charts)}</div>'


def _failures(failures: Sequence[dict[str, Any]], limit: int = 500) -> str:
    rows = [[text(f.get("doc") or f.get("model") or ""), text(f.get("error"))]
            for f in failures[:limit]]  # fmt: skip
    more = f'<p class="warn">{len(failures) - limit} more not shown (see run.json).</p>'
    return (
        f'<h2 id="failures">Failures ({len(failures)})</h2>'
        + (table("failures-table", [("what", False), ("why", False)], rows) if rows else "")
        + (more if len(failures) > limit else "")
    )


def _run(run: dict[str, Any]) -> str:
    shown = ("models", "model_revisions", "routes", "device", "precision", "beams", "nbest",
             "min_score", "mt", "engine", "actors", "cache", "filtered", "counts", "resumed",
             "seconds", "versions")  # fmt: skip
    items = [(k, run[k]) for k in shown if k in run]
    items += [(k, v) for k, v in run.items() if k not in shown and k not in _ELSEWHERE]
    return (
        '<h2 id="run">The run</h2><dl class="kv">'
        + "".join(f"<dt>{escape(str(k))}</dt><dd>{escape(_plain(v))}</dd>" for k, v in items)
        + "</dl>"
    )


_ELSEWHERE = frozenset({"failures", "route_comparison", "articles"})


def _by_score(records: list[dict[str, Any]], lowest_first: bool) -> list[dict[str, Any]]:
    """The records by score (the most telling first), those without one last."""
    scored = [r for r in records if isinstance(r.get("score"), (int, float))]
    rest = [r for r in records if not isinstance(r.get("score"), (int, float))]
    return sorted(scored, key=lambda r: float(r["score"]), reverse=not lowest_first) + rest


def _filter(table: str, column: int) -> str:
    return (
        f'<form class="filter" data-table="{table}" data-column="{column}">'
        f'<label>scores below <input type="number" min="0" max="1" step="0.05" '
        f'value="{LOW_SCORE}"></label> <label><input type="checkbox"> show only those</label>; '
        "showing <output></output></form>"
    )


def _marks(thresholds: set[float]) -> list[tuple[float, str]]:
    return [(t, f"threshold {t:g}") for t in sorted(thresholds)]


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _int(value: Any) -> int:
    return value if isinstance(value, int) else -1


def _model_failures(run: dict[str, Any]) -> int:
    return sum(1 for f in run.get("failures") or [] if "doc" not in f)
