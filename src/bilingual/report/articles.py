"""The report's section on whole articles (``--originals``): the pages matched with their
Vietnamese originals (the weakest first), the pages and originals left without one and why,
and the weakest links (:class:`~bilingual.report.collect.Articles`, and ``run.json``'s
``articles``).
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..write.names import ARTICLE_JSONL
from .collect import Articles, _score
from .tables import left_out, num, table, text

__all__ = ["render_articles"]

SHOWN_DOCUMENTS = 500  # matched documents listed at most (the weakest first)


def render_articles(articles: Articles | None, run: dict[str, Any]) -> str:
    """The section, or nothing when the run had no originals."""
    about = run.get("articles") or {}
    if articles is None and not about:
        return ""
    articles = articles or Articles()
    weakest = sorted(articles.documents.items(), key=lambda kv: kv[1][2] / max(kv[1][1], 1))
    rows = [
        [text(fr, "doc"), text(vi, "doc"), num(match, 4, "score"), num(int(n), 0),
         num(total / n if n else None, 4, "score")]
        for (fr, vi), (match, n, total) in weakest[:SHOWN_DOCUMENTS]
    ]  # fmt: skip
    heads = [("page", False), ("original", False), ("match score", True), ("links", True),
             ("mean link score", True)]  # fmt: skip
    left = [
        [text(u.get("doc"), "doc"), text("page"), text(u.get("why"))]
        for u in about.get("unmatched_pages") or []
    ] + [
        [text(u.get("doc"), "doc"), text("original"), text(u.get("why"))]
        for u in about.get("unmatched_originals") or []
    ]
    link_heads = [("page", False), ("French", False), ("Vietnamese", False), ("link", False),
                  ("score", True)]  # fmt: skip
    link_rows = [
        [text(r.get("fr_doc"), "doc"), text(r.get("fr")), text(r.get("vi")),
         text(r.get("link")), num(r.get("score"), 4, "score")]
        for r in sorted(articles.links.rows(), key=lambda r: _score(r) or 0.0)
    ]  # fmt: skip
    more = len(articles.documents) - SHOWN_DOCUMENTS
    shapes = ", ".join(f"{escape(k)}: {v}" for k, v in (about.get("links") or {}).items())
    parts = [
        f'<h2 id="articles">Whole articles ({len(articles.documents)} pages matched with '
        "their originals)</h2>",
        f'<p class="note">Links by shape, French first ({shapes or "none"}); 1-0 and 0-1 are '
        "sentences one side left out, counted, not written.</p>",
        table("articles-table", heads, rows, (4, "ascending")),
    ]
    if more > 0:
        parts.append(
            f'<p class="warn">{more} more matched pages not shown (all are in {ARTICLE_JSONL}).</p>'
        )
    if left:
        parts.append(f"<h3>Left without a partner ({len(left)})</h3>")
        kinds = [("file", False), ("is a", False), ("why", False)]
        parts.append(table("unmatched-table", kinds, left))
    parts += [
        f"<h3>The weakest links ({articles.links.total})</h3>",
        left_out(articles.links, "links", "the lowest-scored and a sample of the rest"),
        table("links-table", link_heads, link_rows, (4, "ascending")),
    ]
    return "".join(parts)
