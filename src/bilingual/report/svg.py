"""Inline SVG charts for the report: a histogram, and bars for a few named values.

Every label passes through :func:`html.escape`; the charts need no script and no font files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from .collect import Histogram

__all__ = ["bars", "histogram"]

WIDTH, HEIGHT, PAD = 420, 160, 28


def histogram(title: str, hist: Histogram, marks: Iterable[tuple[float, str]] = ()) -> str:
    """A histogram as an ``<svg>`` element, with a vertical line at each ``(value, label)`` mark
    (a threshold).  Each bar's tooltip gives its range and count."""
    if not hist.total:
        return f'<p class="note">{escape(title)}: no values.</p>'
    top = max(hist.counts, default=0) or 1
    step = (WIDTH - 2 * PAD) / hist.bins
    width = (hist.hi - hist.lo) / hist.bins
    parts = []
    for k, count in enumerate(hist.counts):
        h = (HEIGHT - 2 * PAD) * count / top
        x, y = PAD + k * step, HEIGHT - PAD - h
        lo = hist.lo + k * width
        tip = f"{lo:.2f} to {lo + width:.2f}: {count}"
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(step - 1, 1):.1f}" '
            f'height="{h:.1f}"><title>{escape(tip)}</title></rect>'
        )
    for value, label in marks:
        if hist.lo <= value <= hist.hi:
            x = PAD + (value - hist.lo) / (hist.hi - hist.lo) * (WIDTH - 2 * PAD)
            parts.append(
                f'<line class="mark" x1="{x:.1f}" y1="{PAD - 6}" x2="{x:.1f}" '
                f'y2="{HEIGHT - PAD}"><title>{escape(label)}</title></line>'
                f'<text class="marklabel" x="{x + 3:.1f}" y="{PAD - 8}">{escape(label)}</text>'
            )
    axis = (
        f'<line class="axis" x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" '
        f'y2="{HEIGHT - PAD}"/>'
        f'<text x="{PAD}" y="{HEIGHT - 8}">{hist.lo:g}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" text-anchor="end">{hist.hi:g}</text>'
        f'<text x="{PAD - 4}" y="{PAD + 4}" text-anchor="end">{top}</text>'
    )
    return _svg(title, f"{title}: {hist.total} values", axis + "".join(parts))


def bars(title: str, values: Mapping[str, float], hi: float = 1.0) -> str:
    """Horizontal bars, one per named value in ``[0, hi]`` (a route's mean chrF)."""
    rows = []
    for k, (name, value) in enumerate(values.items()):
        y = PAD + k * 26
        w = (WIDTH - 3 * PAD - 60) * max(0.0, min(value / hi, 1.0))
        rows.append(
            f'<text x="{PAD + 56}" y="{y + 14}" text-anchor="end">{escape(name)}</text>'
            f'<rect class="bar" x="{PAD + 60}" y="{y}" width="{w:.1f}" height="18"/>'
            f'<text x="{PAD + 64 + w:.1f}" y="{y + 14}">{value:.4f}</text>'
        )
    return _svg(title, title, "".join(rows), PAD + 26 * len(values) + 8)


def _svg(title: str, label: str, body: str, height: int = HEIGHT) -> str:
    return (
        f'<figure><svg viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(label)}">{body}</svg>'
        f"<figcaption>{escape(label)}</figcaption></figure>"
    )
