"""A series' last closing balances as a small inline SVG line (a sparkline), drawn on the server.

No script and no style attribute (the CSP forbids both). The line runs from 0 at the bottom to
the highest closing at the top; periods at 0 or below are red dots, and a dashed line marks the
minimum stock (minimum months x AMC) when it is known and fits, so a glance tells whether the
balance is falling towards it. The <title> lists every figure for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from web.i18n import day, number

WIDTH, HEIGHT, PAD = 132, 34, 4
LINE, EMPTY, MINIMUM = "#0f5c8c", "#b42318", "#b54708"


def sparkline(history: Sequence[tuple[str, float]], minimum: float | None = None) -> Markup:
    """Return the SVG of (period ISO date, closing) pairs, oldest first; empty for none."""
    if not history:
        return Markup("")
    values = [value for _period, value in history]
    top = max(max(values), minimum or 0.0, 1.0)
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def x(i: int) -> float:
        return PAD + i * step if len(values) > 1 else WIDTH / 2

    def y(value: float) -> float:
        return HEIGHT - PAD - max(value, 0.0) / top * (HEIGHT - 2 * PAD)

    parts = [
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{HEIGHT - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#d9e0e6"/>'
    ]
    if minimum is not None and 0 < minimum <= top:
        parts.append(
            f'<line class="minimum" x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(minimum):.1f}" '
            f'y2="{y(minimum):.1f}" stroke="{MINIMUM}" stroke-dasharray="3 2"/>'
        )
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.8"/>')
    for i, value in enumerate(values):
        if value <= 0:
            parts.append(f'<circle class="empty" cx="{x(i):.1f}" cy="{y(value):.1f}" r="2.6" '
                         f'fill="{EMPTY}"/>')  # fmt: skip
    last = len(values) - 1
    if values[last] > 0:
        parts.append(
            f'<circle cx="{x(last):.1f}" cy="{y(values[last]):.1f}" r="2.4" fill="{LINE}"/>'
        )
    figures = "; ".join(f"{day(period)[3:]}: {number(value)}" for period, value in history)
    label = _("Closing balance, last %(count)s periods: %(figures)s", count=len(values),
              figures=figures)  # fmt: skip
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>" + "".join(parts) + "</svg>"
    )
