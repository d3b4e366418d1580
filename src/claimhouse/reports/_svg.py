"""Charts as inline SVG, drawn in Python: no script, no fonts or images fetched.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says the
data in words (what a screen reader reads), a text label with the value on every bar, and
a ``<title>`` per bar (the hover tooltip). Output is deterministic for the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

COLORS = ("#1f5fa8", "#d9822b", "#2e7d4f", "#8e44ad")
"""Bar colours (distinguishable in grey scale and for common colour blindness)."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value and the value as the reader sees it."""

    label: str
    value: Decimal | int
    text: str


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [f'<svg class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-labelledby="{chart_id}-t {chart_id}-d">',
            f'<title id="{chart_id}-t">{_esc(title)}</title>',
            f'<desc id="{chart_id}-d">{_esc(desc)}</desc>']


def _short(label: str, n: int) -> str:
    return label if len(label) <= n else label[:n - 1].rstrip() + "…"


def column_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar], *,
                 caption: str = "", width: int = 520, height: int = 260) -> str:
    """Vertical bars (one per category, e.g. aging buckets), value on top, label below."""
    out = _open(chart_id, title, desc, width, height)
    top, bottom, left = 24, 44, 12
    plot_h = height - top - bottom
    biggest = max((float(b.value) for b in bars), default=0.0) or 1.0
    slot = (width - 2 * left) / max(len(bars), 1)
    bar_w = slot * 0.62
    base = top + plot_h
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" '
               f'stroke="#888" stroke-width="1"/>')
    for i, b in enumerate(bars):
        h = max(float(b.value), 0.0) / biggest * plot_h
        x = left + i * slot + (slot - bar_w) / 2
        cx = left + i * slot + slot / 2
        out.append(f'<g><title>{_esc(b.label)}: {_esc(b.text)}</title>'
                   f'<rect x="{_num(x)}" y="{_num(base - h)}" width="{_num(bar_w)}" '
                   f'height="{_num(h)}" fill="{COLORS[0]}"/>'
                   f'<text x="{_num(cx)}" y="{_num(base - h - 6)}" text-anchor="middle" '
                   f'class="val">{_esc(b.text)}</text>'
                   f'<text x="{_num(cx)}" y="{base + 16}" text-anchor="middle" '
                   f'class="lbl">{_esc(b.label)}</text></g>')
    if caption:
        out.append(f'<text x="{width / 2}" y="{height - 6}" text-anchor="middle" '
                   f'class="cap">{_esc(caption)}</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar], *,
              width: int = 520) -> str:
    """Horizontal bars for ranked categories with long labels (e.g. CARC texts): the label
    on a line of its own above its bar, the value after the bar."""
    row_h, top = 42, 6
    height = top * 2 + row_h * max(len(bars), 1)
    out = _open(chart_id, title, desc, width, height)
    plot_w = width - 110
    biggest = max((float(b.value) for b in bars), default=0.0) or 1.0
    if not bars:
        out.append(f'<text x="4" y="{top + 16}" class="lbl">No denials.</text>')
    for i, b in enumerate(bars):
        y = top + i * row_h
        w = max(float(b.value), 0.0) / biggest * plot_w
        out.append(f'<g><title>{_esc(b.label)}: {_esc(b.text)}</title>'
                   f'<text x="4" y="{y + 13}" class="lbl">{_esc(_short(b.label, 80))}</text>'
                   f'<rect x="4" y="{y + 18}" width="{_num(w)}" height="16" '
                   f'fill="{COLORS[1]}"/>'
                   f'<text x="{_num(w + 10)}" y="{y + 31}" class="val">{_esc(b.text)}</text>'
                   "</g>")
    out.append("</svg>")
    return "".join(out)


def grouped_bar_chart(chart_id: str, title: str, desc: str, categories: Sequence[str],
                      series: Sequence[tuple[str, Sequence[Bar]]], *, width: int = 520,
                      label_width: int = 90) -> str:
    """Horizontal bars grouped per category (e.g. expected and paid per payer), a legend
    on top; ``series`` is (name, one bar per category)."""
    bar_h, gap, top = 18, 14, 30
    group_h = bar_h * len(series) + gap
    height = top + group_h * max(len(categories), 1)
    out = _open(chart_id, title, desc, width, height)
    plot_w = width - label_width - 100
    biggest = max((float(b.value) for _, bars in series for b in bars), default=0.0) or 1.0
    x = label_width
    for k, (name, _) in enumerate(series):
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLORS[k]}"/>'
                   f'<text x="{x + 16}" y="16" class="lbl">{_esc(name)}</text>')
        x += 24 + 8 * len(name)
    for i, cat in enumerate(categories):
        y0 = top + i * group_h
        out.append(f'<text x="{label_width - 6}" y="{y0 + bar_h * len(series) / 2 + 4}" '
                   f'text-anchor="end" class="lbl">{_esc(_short(cat, label_width // 7))}'
                   f'</text>')
        for k, (name, bars) in enumerate(series):
            b = bars[i]
            y = y0 + k * bar_h
            w = max(float(b.value), 0.0) / biggest * plot_w
            out.append(f'<g><title>{_esc(cat)} {_esc(name)}: {_esc(b.text)}</title>'
                       f'<rect x="{label_width}" y="{y}" width="{_num(w)}" '
                       f'height="{bar_h - 3}" fill="{COLORS[k % len(COLORS)]}"/>'
                       f'<text x="{_num(label_width + w + 5)}" y="{y + bar_h - 6}" '
                       f'class="val">{_esc(b.text)}</text></g>')
    out.append("</svg>")
    return "".join(out)
