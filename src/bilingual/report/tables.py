"""The cells and tables every section of the report page draws with.

Every text goes through :func:`html.escape`: page text, document names, errors are scraped or
user-given, and the page must not run or fetch anything they hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from .collect import Sample

__all__ = ["MAX_TEXT", "left_out", "num", "table", "text"]

MAX_TEXT = 600  # characters of a text shown in a table cell; longer ones are cut


def table(
    name: str,
    heads: Iterable[tuple[str, bool]],
    rows: list[list[str]],
    order: tuple[int, str] | None = None,
) -> str:
    """A sortable table; ``order``: the column the rows are sorted by, and which way."""
    th = "".join(
        f'<th data-type="{"number" if numeric else "text"}" scope="col"{_sort(k, order)}>'
        f'<button type="button">{escape(head)}</button></th>'
        for k, (head, numeric) in enumerate(heads)
    )
    body = "".join(f"<tr>{''.join(cells)}</tr>\n" for cells in rows)
    return (
        f'<table class="sortable" id="{name}"><thead><tr>{th}</tr></thead>'
        f"<tbody>\n{body}</tbody></table>"
    )


def _sort(column: int, order: tuple[int, str] | None) -> str:
    return f' aria-sort="{order[1]}"' if order is not None and order[0] == column else ""


def left_out(selection: Sample | None, what: str, how: str) -> str:
    if selection is None or not selection.left_out:
        return f'<p class="note">All {selection.total if selection else 0} {what} are shown.</p>'
    shown = selection.total - selection.left_out
    return (
        f'<p class="warn">{selection.left_out} of {selection.total} {what} are not shown on this '
        f"page: it shows {shown}, {how} (all are in the files).</p>"
    )


def text(value: Any, kind: str = "text") -> str:
    if value is None:
        return f'<td class="{kind}">—</td>'
    shown = str(value)
    cut = shown if len(shown) <= MAX_TEXT else shown[:MAX_TEXT] + " […]"
    return f'<td class="{kind}">{escape(cut)}</td>'


def num(value: Any, places: int, kind: str = "") -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return f'<td class="num {kind}" data-v="">—</td>'
    return f'<td class="num {kind}" data-v="{value}">{value:.{places}f}</td>'
