"""The public pages' charts, drawn as inline SVG on the server (web.review.chart's approach).

No script and no style attribute (the CSP forbids both): colours are SVG presentation
attributes. Each chart has a <title> and <desc>; the templates put the same figures in a table
next to it for screen readers and for anyone who wants the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup, escape

from web.i18n import money, number, share
from web.review.chart import ticks

WIDTH = 760
INK, MUTED, GRID, FRAME = "#1c2733", "#5d6b78", "#e4e9ee", "#d9e0e6"
DOMESTIC, IMPORTED, UNKNOWN = "#067647", "#0f5c8c", "#98a2b3"
VALUE, QUANTITY, TARGET, MEDIAN, DOT = "#0f5c8c", "#067647", "#b42318", "#b54708", "#475467"
ORIGIN_COLOURS = {"domestic": DOMESTIC, "imported": IMPORTED, "unknown": UNKNOWN}
MAX_DOTS = 800


@dataclass(frozen=True)
class Series:
    """A named line of (x label, value) points, None where there is no value."""

    name: str
    colour: str
    values: Sequence[float | None]


def _svg(
    chart_id: str, height: int, title: str, desc: str, body: str, width: int = WIDTH
) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" '
        f'font-size="12" fill="{INK}" class="public-chart" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", fill: str = MUTED) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def _short(value: float) -> str:
    """Write a large amount briefly: 1,2 tỷ, 350 tr."""
    for size, unit in ((1e12, _("tn")), (1e9, _("bn")), (1e6, _("m")), (1e3, _("k"))):
        if abs(value) >= size:
            return f"{number(value / size, 1 if abs(value) < 10 * size else 0)} {unit}"
    return number(value)


def _legend(
    items: Sequence[tuple[str, str, bool]], y: float, left: float = 60, width: int = WIDTH
) -> str:
    """Draw (colour, label, dashed) swatches in a row, wrapping onto a second row."""
    parts, x = [], left
    for colour, label, dashed in items:
        if x > left and x + 30 + 6.6 * len(label) > width:
            x, y = left, y + 18
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(
            f'<line x1="{x:.0f}" x2="{x + 18:.0f}" y1="{y - 4:.0f}" y2="{y - 4:.0f}" '
            f'stroke="{colour}" stroke-width="4"{dash}/>' + _text(x + 24, y, label, "start", INK)
        )
        x += 36 + 6.6 * len(label)
    return '<g class="legend">' + "".join(parts) + "</g>"


def stacked_columns(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    stacks: Sequence[tuple[str, str, Sequence[float]]],
    notes: Sequence[str] | None = None,
    width: int = 520,
) -> Markup:
    """Columns per label, stacked by (name, colour, values): value by origin and year."""
    height, top, bottom, left, right = 300, 18, 226, 64, 16
    totals = [sum(s[2][i] for s in stacks) for i in range(len(labels))]
    high = max(totals, default=0) or 1
    grid = ticks(0, high, False)
    high = max(high, grid[-1])
    y = lambda v: bottom - v / high * (bottom - top)  # noqa: E731
    parts = [
        f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID}"/>'
        + _text(left - 6, y(t) + 4, _short(t), "end")
        for t in grid
    ]
    slot = (width - left - right) / max(len(labels), 1)
    bar = min(80.0, slot * 0.6)
    for i, label in enumerate(labels):
        x, base = left + slot * i + (slot - bar) / 2, 0.0
        for name, colour, values in stacks:
            value = values[i]
            if value > 0:
                tip = f"{label} · {name}: {money(value)}"
                parts.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y(base + value):.1f}" width="{bar:.1f}" '
                    f'height="{max(y(base) - y(base + value), 0.5):.1f}" fill="{colour}">'
                    f"<title>{escape(tip)}</title></rect>"
                )
                base += value
        parts.append(_text(x + bar / 2, bottom + 16, label, "middle", INK))
        if notes:
            parts.append(_text(x + bar / 2, bottom + 31, notes[i]))
        parts.append(_text(x + bar / 2, y(totals[i]) - 5, _short(totals[i]), "middle", INK))
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{bottom}" y2="{bottom}" stroke="{MUTED}"/>'
    )
    parts.append(_legend([(c, n, False) for n, c, _v in stacks], bottom + 46, left))
    desc = "; ".join(
        f"{label}: {money(total)}" for label, total in zip(labels, totals, strict=True)
    )
    return _svg(chart_id, height, title, desc, "".join(parts), width)


def share_lines(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    targets: Sequence[tuple[str, str, float | None]],
    width: int = 520,
) -> Markup:
    """Shares over the years (0-100%) as lines, with the targets as dashed lines."""
    height, top, bottom, left, right = 300, 16, 226, 48, 40
    y = lambda v: bottom - v * (bottom - top)  # noqa: E731
    parts = []
    for t in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            f'stroke="{GRID}"/>' + _text(left - 6, y(t) + 4, f"{t * 100:.0f}%", "end")
        )
    n = len(labels)
    x = lambda i: left + (width - left - right) * ((i + 0.5) / max(n, 1))  # noqa: E731
    legend = []
    for name, colour, target in targets:
        if target is not None:
            parts.append(
                f'<line class="target" x1="{left}" x2="{width - right}" y1="{y(target):.1f}" '
                f'y2="{y(target):.1f}" stroke="{colour}" stroke-width="2" stroke-dasharray="6 4"/>'
            )
            legend.append((colour, f"{name}: {share(target)}", True))
    highest = [max((s.values[i] or 0) for s in series) for i in range(n)]
    for line in series:
        points = [(i, x(i), y(v), v) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for _i, px, py, _v in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{line.colour}" stroke-width="3"/>'
            )
        for i, px, py, v in points:
            above = v >= highest[i]  # the higher figure above its point, the lower below
            parts.append(
                f'<circle class="point" cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{line.colour}">'
                f"<title>{escape(line.name)}: {escape(share(v))}</title></circle>"
                + _text(px, py - 9 if above else py + 19, share(v), "middle", line.colour)
            )
        legend.insert(0, (line.colour, line.name, False))
    for i, label in enumerate(labels):
        parts.append(_text(x(i), bottom + 16, label, "middle", INK))
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{bottom}" y2="{bottom}" stroke="{MUTED}"/>'
    )
    parts.append(_legend(legend, bottom + 46, left, width))
    desc = "; ".join(
        f"{s.name} {label}: {share(v)}"
        for s in series
        for label, v in zip(labels, s.values, strict=True)
    )
    return _svg(chart_id, height, title, desc, "".join(parts), width)


def share_bars(
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, float | None]],
    target: float | None,
    target_name: str,
) -> Markup:
    """Horizontal bars of a share per subject, ranked, with the target as a vertical line."""
    row, top, left, right = 22, 12, 230, 70
    bottom = top + row * max(len(bars), 1)
    height = bottom + 56
    x = lambda v: left + v * (WIDTH - left - right)  # noqa: E731
    parts = []
    for t in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{bottom}" stroke="{GRID}"/>'
            + _text(x(t), bottom + 16, f"{t * 100:.0f}%")
        )
    for i, (name, value) in enumerate(bars):
        y = top + i * row
        label = name if len(name) <= 34 else name[:33] + "…"
        parts.append(_text(left - 8, y + 15, label, "end", INK))
        if value is None:
            parts.append(_text(left + 4, y + 15, _("no line of known origin"), "start"))
            continue
        colour = DOMESTIC if target is None or value >= target else IMPORTED
        parts.append(
            f'<rect class="bar" x="{left}" y="{y + 4}" width="{max(x(value) - left, 1):.1f}" '
            f'height="{row - 8}" fill="{colour}"><title>{escape(name)}: {escape(share(value))}'
            f"</title></rect>" + _text(x(value) + 4, y + 15, share(value), "start", INK)
        )
    if target is not None:
        parts.append(
            f'<line class="target" x1="{x(target):.1f}" x2="{x(target):.1f}" y1="{top - 6}" '
            f'y2="{bottom + 4}" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    legend = [(DOMESTIC, _("meets the target"), False), (IMPORTED, _("below the target"), False)]
    if target is not None:
        legend.append((TARGET, f"{target_name}: {share(target)}", True))
    parts.append(_legend(legend, bottom + 44, 60))
    desc = "; ".join(f"{name}: {share(value)}" for name, value in bars)
    return _svg(chart_id, height, title, desc, "".join(parts))


def _price_scale(
    values: Sequence[float], low_px: float, high_px: float
) -> tuple[Callable[[float], float], bool]:
    positive = [v for v in values if v > 0]
    log = bool(positive) and len(positive) == len(values) and max(positive) / min(positive) > 20
    f = math.log10 if log else float
    low, high = f(min(values)), f(max(values))
    if high == low:
        low, high = (
            low - (1 if log else abs(low) * 0.1 + 1),
            high + (1 if log else abs(high) * 0.1 + 1),
        )
    pad = (high - low) * 0.06
    low, high = low - pad, high + pad
    return (lambda v: low_px + (f(v) - low) / (high - low) * (high_px - low_px)), log


def price_strip(chart_id: str, prices: Sequence[float], median: float | None, unit: str) -> Markup:
    """Every line's standardized unit price as a dot on one axis, with the median marked."""
    height, top, bottom, left, right = 190, 14, 120, 28, 28
    values = [*prices] or [0.0]
    scale, log = _price_scale(values, left, WIDTH - right)
    parts = [
        f'<rect x="{left}" y="{top}" width="{WIDTH - left - right}" height="{bottom - top}" '
        f'fill="#f8fafb" stroke="{FRAME}"/>'
    ]
    step = max(1, math.ceil(len(prices) / MAX_DOTS))
    dots = []
    for n, price in enumerate(prices[::step]):
        cy = top + 10 + ((n * 0.618034) % 1) * (bottom - top - 20)
        dots.append(f'<circle cx="{scale(price):.1f}" cy="{cy:.1f}" r="4"/>')
    parts.append(f'<g class="dots" fill="{DOT}" fill-opacity="0.5">{"".join(dots)}</g>')
    if median is not None:
        parts.append(
            f'<line class="median" x1="{scale(median):.1f}" x2="{scale(median):.1f}" y1="{top}" '
            f'y2="{bottom}" stroke="{MEDIAN}" stroke-width="3"/>'
        )
    parts.append(_axis_x(values, log, scale, bottom))
    axis = (
        _("Standardized unit price (₫ per %(unit)s), logarithmic scale", unit=unit)
        if log
        else _("Standardized unit price (₫ per %(unit)s)", unit=unit)
    )
    parts.append(_text(WIDTH / 2, bottom + 38, axis, "middle", INK))
    legend = [(DOT, _("Lines: %(count)s", count=len(prices)), False)]
    if median is not None:
        legend.append((MEDIAN, _("Median: %(v)s", v=money(median)), False))
    parts.append(_legend(legend, bottom + 62, left + 8))
    title = _("Unit price paid on %(count)s lines", count=len(prices))
    desc = (
        _("Median: %(v)s", v=money(median))
        + "; "
        + (f"{money(min(values))} – {money(max(values))}" if prices else "")
    )
    return _svg(chart_id, height, title, desc, "".join(parts))


def _axis_x(values: Sequence[float], log: bool, scale: Callable[[float], float], at: float) -> str:
    parts = [f'<line x1="28" x2="{WIDTH - 28}" y1="{at}" y2="{at}" stroke="{MUTED}"/>']
    low, high = min(values), max(values)
    for tick in ticks(low, high, log) if high > low else [low]:
        x = scale(tick)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{at}" y2="{at + 5}" stroke="{MUTED}"/>'
            + _text(x, at + 18, money(tick))
        )
    return "".join(parts)


def price_time(
    chart_id: str,
    points: Sequence[tuple[date, float]],
    medians: Sequence[tuple[date, float, str]],
    unit: str,
) -> Markup:
    """Prices over time: each line as a dot at its decision date, and the quarterly medians."""
    height, top, bottom, left, right = 300, 14, 236, 90, 24
    values = [p for _d, p in points] or [0.0]
    scale_y, log = _price_scale(values, bottom, top)
    days = [d.toordinal() for d, _p in points] or [date.today().toordinal()]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - 45, last + 45
    pad = (last - first) * 0.04
    span = WIDTH - left - right

    def x(day: date) -> float:
        return left + (day.toordinal() - first + pad) / (last - first + 2 * pad) * span

    parts = []
    low, high = min(values), max(values)
    for tick in ticks(low, high, log) if high > low else [low]:
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{scale_y(tick):.1f}" '
            f'y2="{scale_y(tick):.1f}" stroke="{GRID}"/>'
            + _text(left - 6, scale_y(tick) + 4, money(tick), "end")
        )
    start, end = date.fromordinal(min(days)), date.fromordinal(max(days))
    for year in range(start.year, end.year + 1):
        low, high = max(date(year, 1, 1), start), min(date(year, 12, 31), end)
        middle = date.fromordinal((low.toordinal() + high.toordinal()) // 2)
        parts.append(_text(x(middle), bottom + 18, str(year), "middle", INK))
        if year > start.year:
            at = x(date(year, 1, 1))
            parts.append(
                f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{top}" y2="{bottom + 6}" stroke="{GRID}"/>'
            )
    step = max(1, math.ceil(len(points) / MAX_DOTS))
    dots = "".join(
        f'<circle cx="{x(d):.1f}" cy="{scale_y(p):.1f}" r="3.5"/>' for d, p in points[::step]
    )
    parts.append(f'<g class="dots" fill="{DOT}" fill-opacity="0.4">{dots}</g>')
    if medians:
        path = " ".join(f"{x(d):.1f},{scale_y(m):.1f}" for d, m, _l in medians)
        parts.append(
            f'<polyline class="median" points="{path}" fill="none" stroke="{MEDIAN}" '
            f'stroke-width="3"/>'
        )
        for d, m, label in medians:
            parts.append(
                f'<circle cx="{x(d):.1f}" cy="{scale_y(m):.1f}" r="5" fill="{MEDIAN}">'
                f"<title>{escape(label)}: {escape(money(m))}</title></circle>"
            )
    parts.append(
        f'<line x1="{left}" x2="{WIDTH - right}" y1="{bottom}" y2="{bottom}" stroke="{MUTED}"/>'
    )
    legend = [(DOT, _("One line"), False), (MEDIAN, _("Quarterly median"), False)]
    parts.append(_legend(legend, bottom + 48, left))
    title = _("Unit price (₫ per %(unit)s) over time", unit=unit)
    desc = "; ".join(f"{label}: {money(m)}" for _d, m, label in medians)
    return _svg(chart_id, height, title, desc, "".join(parts))
