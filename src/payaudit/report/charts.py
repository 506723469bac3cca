"""Inline SVG charts for the HTML report, drawn here so the page needs no script library and no
network: horizontal bars with a per-bar reference tick, and histograms with a limit line."""

from __future__ import annotations

import math
from html import escape

WIDTH = 760
LABEL_W = 150  # room for worker ids on the left
BAR_H = 16
BLUE, RED, GREY = "#4e79a7", "#e15759", "#9aa0a6"


def _step(top: float) -> float:
    """A round tick step (1, 2 or 5 × 10^k) giving at most 6 ticks up to `top`."""
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = _step(value)
    return math.ceil(value / step) * step


def _svg(height: int, body: list[str], title: str) -> str:
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _axis(x0: float, y: float, top: float, to_x, unit: str) -> list[str]:
    out = [f'<line x1="{x0}" y1="{y}" x2="{WIDTH - 20}" y2="{y}" stroke="{GREY}"/>']
    step = _step(top)
    for i in range(int(top / step + 1e-9) + 1):
        value = i * step
        x = to_x(value)
        out.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" stroke="{GREY}"/>')
        out.append(f'<text x="{x:.1f}" y="{y + 16}" text-anchor="middle">{value:g}</text>')
    out.append(f'<text x="{WIDTH - 20}" y="{y + 30}" text-anchor="end">{escape(unit)}</text>')
    return out


def bars(
    items: list[tuple[str, float, float | None]],
    title: str,
    unit: str,
    ref_label: str = "",
    highlight_below_ref: bool = False,
) -> str:
    """One horizontal bar per (label, value, reference); the reference is a red tick."""
    if not items:
        return ""
    top = _nice_max(max(max(v, 0 if r is None or math.isnan(r) else r) for _, v, r in items))
    span = WIDTH - 20 - LABEL_W

    def to_x(value: float) -> float:
        return LABEL_W + span * value / top

    body: list[str] = []
    for i, (label, value, ref) in enumerate(items):
        y = 10 + i * (BAR_H + 4)
        low = highlight_below_ref and ref is not None and value < ref  # False for NaN
        body.append(
            f'<text x="{LABEL_W - 6}" y="{y + 12}" text-anchor="end">{escape(label[:22])}</text>'
        )
        body.append(
            f'<rect class="bar" x="{LABEL_W}" y="{y}" height="{BAR_H}" '
            f'width="{max(0.5, to_x(value) - LABEL_W):.1f}" fill="{RED if low else BLUE}">'
            f"<title>{escape(label)}: {value:,.2f}</title></rect>"
        )
        if ref is not None and not math.isnan(ref):
            x = to_x(ref)
            body.append(
                f'<line class="ref" x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" '
                f'y2="{y + BAR_H + 2}" stroke="{RED}" stroke-width="2"/>'
            )
    y = 10 + len(items) * (BAR_H + 4) + 4
    body += _axis(LABEL_W, y, top, to_x, unit)
    if ref_label:
        body.append(
            f'<line x1="{LABEL_W}" y1="{y + 26}" x2="{LABEL_W + 14}" y2="{y + 26}" '
            f'stroke="{RED}" stroke-width="2"/><text x="{LABEL_W + 18}" y="{y + 30}">'
            f"{escape(ref_label)}</text>"
        )
    return _svg(y + 40, body, title)


def histogram(
    counts: list[int],
    bin_width: float,
    limit: float | None,
    title: str,
    unit: str,
    count_label: str,
    limit_label: str,
) -> str:
    """counts[i] values fell in (i·bin_width, (i+1)·bin_width]; bins above the limit in red
    (a value equal to the limit is within it), the limit a dashed line."""
    if not any(counts):
        return ""
    nbins = len(counts)
    height, x0, base = 220, 60, 180
    span = WIDTH - 20 - x0
    top = nbins * bin_width
    peak = max(counts)

    def to_x(value: float) -> float:
        return x0 + span * value / top

    body: list[str] = [
        f'<text x="{x0 - 8}" y="34" text-anchor="end">{peak}</text>',
        f'<text x="{x0 - 8}" y="{base}" text-anchor="end">0</text>',
        f'<text x="14" y="{(base + 30) / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(base + 30) / 2:.0f})">{escape(count_label)}</text>',
    ]
    for i, n in enumerate(counts):
        if not n:
            continue
        over = limit is not None and i * bin_width >= limit
        # A breach is never a hairline: a bin over the limit is at least 8 px and labelled.
        h = max(8.0 if over else 3.0, (base - 34) * n / peak)
        x = to_x(i * bin_width) + 1
        body.append(
            f'<rect class="bar{" over" if over else ""}" x="{x:.1f}" y="{base - h:.1f}" '
            f'width="{span / nbins - 2:.1f}" height="{h:.1f}" '
            f'fill="{RED if over else BLUE}"><title>{i * bin_width:g}–'
            f"{(i + 1) * bin_width:g}: {n}</title></rect>"
        )
        if over:
            body.append(
                f'<text class="count" x="{x + (span / nbins - 2) / 2:.1f}" y="{base - h - 3:.1f}" '
                f'text-anchor="middle" fill="{RED}">{n}</text>'
            )
    if limit is not None:
        x = to_x(limit)
        body.append(
            f'<line class="ref" x1="{x:.1f}" y1="10" x2="{x:.1f}" y2="{base}" '
            f'stroke="{RED}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{x + 4:.1f}" y="20" fill="{RED}">{escape(limit_label)} '
            f"{limit:g}</text>"
        )
    body += _axis(x0, base, top, to_x, unit)
    return _svg(height, body, title)
