"""A flagged price among its peers, drawn as an inline SVG strip plot on the server.

No script and no style attribute (the CSP forbids both): colours and strokes are SVG
presentation attributes. The axis is logarithmic when the prices span more than LOG_SPAN
times, as prices of one item across buyers often do; the peers' Q1-Q3 band, the median, the
fence, the rule's benchmark and the flagged price are marked, and a legend names each.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from flask_babel import gettext as _
from markupsafe import Markup, escape

from procurement.services.flag_peers import PeerPrices
from web.i18n import money

WIDTH, LEFT, RIGHT = 760, 28, 28
PLOT_TOP, PLOT_BOTTOM = 14, 134
HEIGHT = 240
LOG_SPAN = 20.0
MAX_DOTS = 600
INK, MUTED, BAND = "#1c2733", "#5d6b78", "#dbe8f2"
MEDIAN, FENCE, BENCHMARK, FLAGGED, PEER = "#0f5c8c", "#b54708", "#067647", "#b42318", "#475467"


def peer_chart(peers: PeerPrices) -> Markup:
    """Return the SVG of a flagged price among its peers' prices."""
    marks = [v for v in (peers.median, peers.q1, peers.q3, peers.fence, peers.benchmark) if v]
    values = [*peers.prices, peers.price, *marks]
    log = _use_log(values)
    scale = _scale(values, log)
    parts = [_frame(), _band(peers, scale), _dots(peers.prices, scale)]
    parts += _lines(peers, scale)
    parts += [_flagged(peers, scale), _axis(values, log, scale, peers.unit), _legend(peers)]
    title = _("Price of this line among %(count)s peer lines", count=len(peers.prices))
    desc = _(
        "Standardized unit prices per %(unit)s of the same item decided from %(start)s to "
        "%(end)s; this line: %(price)s.",
        unit=peers.unit,
        start=peers.window_from.strftime("%d/%m/%Y"),
        end=peers.window_to.strftime("%d/%m/%Y"),
        price=money(peers.price),
    )
    chart_id = f"peer-chart-{peers.flag_id}"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" '
        f'font-size="12" fill="{INK}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def _use_log(values: list[float]) -> bool:
    positive = [v for v in values if v > 0]
    return len(positive) == len(values) and max(positive) / min(positive) > LOG_SPAN


def _scale(values: list[float], log: bool) -> Callable[[float], float]:
    """Map a price to an x position in the plot, with a little room at both ends."""
    f = math.log10 if log else float
    low, high = f(min(values)), f(max(values))
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad
    return lambda v: LEFT + (f(v) - low) / (high - low) * (WIDTH - LEFT - RIGHT)


def _frame() -> str:
    return (
        f'<rect x="{LEFT}" y="{PLOT_TOP}" width="{WIDTH - LEFT - RIGHT}" '
        f'height="{PLOT_BOTTOM - PLOT_TOP}" fill="#f8fafb" stroke="#d9e0e6"/>'
    )


def _band(peers: PeerPrices, x: Callable[[float], float]) -> str:
    if peers.q1 is None or peers.q3 is None:
        return ""
    left, right = x(peers.q1), x(peers.q3)
    return (
        f'<rect class="iqr" x="{left:.1f}" y="{PLOT_TOP + 1}" width="{max(right - left, 1):.1f}" '
        f'height="{PLOT_BOTTOM - PLOT_TOP - 2}" fill="{BAND}"/>'
    )


def _dots(prices: list[float], x: Callable[[float], float]) -> str:
    """Draw up to MAX_DOTS peers (evenly spread over the sorted prices), jittered vertically."""
    step = max(1, math.ceil(len(prices) / MAX_DOTS))
    height = PLOT_BOTTOM - PLOT_TOP - 24
    dots = []
    for n, price in enumerate(prices[::step]):
        y = PLOT_TOP + 12 + ((n * 0.618034) % 1) * height  # golden-ratio jitter: stable, even
        dots.append(f'<circle cx="{x(price):.1f}" cy="{y:.1f}" r="3.5"/>')
    return f'<g class="peers" fill="{PEER}" fill-opacity="0.45">{"".join(dots)}</g>'


def _lines(peers: PeerPrices, x: Callable[[float], float]) -> list[str]:
    lines = []
    if peers.median is not None:
        lines.append(_vertical("median", x(peers.median), MEDIAN, "2", None))
    if peers.fence is not None:
        lines.append(_vertical("fence", x(peers.fence), FENCE, "2", "6 4"))
    if peers.benchmark is not None and not _same(peers.benchmark, peers.fence):
        lines.append(_vertical("benchmark", x(peers.benchmark), BENCHMARK, "2", "2 3"))
    return lines


def _same(a: float, b: float | None) -> bool:
    return b is not None and abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1)


def _vertical(name: str, at: float, colour: str, width: str, dashes: str | None) -> str:
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    return (
        f'<line class="{name}" x1="{at:.1f}" x2="{at:.1f}" y1="{PLOT_TOP}" y2="{PLOT_BOTTOM}" '
        f'stroke="{colour}" stroke-width="{width}"{dash}/>'
    )


def _flagged(peers: PeerPrices, x: Callable[[float], float]) -> str:
    at, middle = x(peers.price), (PLOT_TOP + PLOT_BOTTOM) / 2
    label = _("This line: %(price)s", price=money(peers.price))
    diamond = f"{at:.1f},{middle - 9:.1f} {at + 7:.1f},{middle:.1f} {at:.1f},{middle + 9:.1f} "
    diamond += f"{at - 7:.1f},{middle:.1f}"
    return (
        f'<g class="flagged-price" data-price="{peers.price:g}"><title>{escape(label)}</title>'
        f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{PLOT_TOP}" y2="{PLOT_BOTTOM}" '
        f'stroke="{FLAGGED}" stroke-width="2"/>'
        f'<polygon points="{diamond}" fill="{FLAGGED}" stroke="#fff" stroke-width="1.5"/></g>'
    )


def _axis(values: list[float], log: bool, x: Callable[[float], float], unit: str) -> str:
    parts = [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM}" '
        f'stroke="{MUTED}"/>'
    ]
    for tick in ticks(min(values), max(values), log):
        at = x(tick)
        parts.append(
            f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM + 5}" '
            f'stroke="{MUTED}"/><text x="{at:.1f}" y="{PLOT_BOTTOM + 18}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(money(tick))}</text>'
        )
    title = (
        _("Standardized unit price (₫ per %(unit)s), logarithmic scale", unit=unit)
        if log
        else _("Standardized unit price (₫ per %(unit)s)", unit=unit)
    )
    parts.append(
        f'<text x="{WIDTH / 2:.0f}" y="{PLOT_BOTTOM + 38}" text-anchor="middle">'
        f"{escape(title)}</text>"
    )
    return "".join(parts)


def ticks(low: float, high: float, log: bool) -> list[float]:
    """Return round tick values between low and high: 1-2-5 steps, or decades on a log axis."""
    if high <= low:
        return [low]
    if log:
        found = []
        for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
            found += [m * 10.0**power for m in (1, 2, 5) if low <= m * 10.0**power <= high]
        return found if len(found) <= 8 else [t for t in found if math.log10(t).is_integer()]
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def _legend(peers: PeerPrices) -> str:
    drawn = min(len(peers.prices), MAX_DOTS) if len(peers.prices) > MAX_DOTS else None
    count = _("Peer lines: %(count)s", count=len(peers.prices))
    if drawn:
        count += " " + _("(%(drawn)s drawn)", drawn=drawn)
    items = [(f'<circle r="4" fill="{PEER}" fill-opacity="0.45"/>', count)]
    if peers.q1 is not None and peers.q3 is not None:
        items.append(
            (
                f'<rect x="-6" y="-6" width="12" height="12" fill="{BAND}"/>',
                _("Q1–Q3: %(q1)s – %(q3)s", q1=money(peers.q1), q3=money(peers.q3)),
            )
        )
    if peers.median is not None:
        items.append((_swatch(MEDIAN, None), _("Median: %(v)s", v=money(peers.median))))
    if peers.fence is not None:
        fence = _("Fence Q3 + %(k)s IQR: %(v)s", k=f"{peers.iqr_k:g}", v=money(peers.fence))
        items.append((_swatch(FENCE, "6 4"), fence))
    if peers.benchmark is not None and not _same(peers.benchmark, peers.fence):
        items.append(
            (_swatch(BENCHMARK, "2 3"), _("Rule's benchmark: %(v)s", v=money(peers.benchmark)))
        )
    items.append((_swatch(FLAGGED, None), _("This line: %(price)s", price=money(peers.price))))
    parts = []
    for n, (mark, text) in enumerate(items):
        column, row = n % 3, n // 3
        left, top = LEFT + 8 + column * 245, PLOT_BOTTOM + 64 + row * 22
        parts.append(
            f'<g transform="translate({left} {top})">{mark}'
            f'<text x="12" y="4">{escape(text)}</text></g>'
        )
    return '<g class="legend">' + "".join(parts) + "</g>"


def _swatch(colour: str, dashes: str | None) -> str:
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    return f'<line x1="-6" x2="6" y1="0" y2="0" stroke="{colour}" stroke-width="3"{dash}/>'
