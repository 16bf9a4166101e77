"""The stock-security chart: shares of reporting facilities per month, as SVG lines.

Drawn like the other public charts (web.public.charts): inline SVG, no script, no style
attribute, a <title> and <desc>, every point with its own <title>; the page puts the same
figures in a table. The y axis stops at a round share just above the highest value (10%, 20%,
25%, 50% or 100%), so a 3% stock-out rate does not lie flat on the floor of a 0-100% axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from web.i18n import share
from web.public.charts import GRID, INK, MUTED, WIDTH, _legend, _svg, _text

STOCKED_OUT, BELOW_MINIMUM = "#b42318", "#e08a00"
CATEGORY_COLOURS = {"vaccine": "#0f5c8c", "medicine": "#067647"}
OTHER_COLOUR = "#475467"
CEILINGS = (0.1, 0.2, 0.25, 0.5, 1.0)


@dataclass(frozen=True)
class MonthLine:
    """A named line of monthly shares (None where nobody reported), solid or dashed."""

    name: str
    colour: str
    values: Sequence[float | None]
    notes: Sequence[str]  # per month, e.g. "3 of 40 facilities"
    dashed: bool = False


def month_lines(
    chart_id: str, title: str, months: Sequence[date], lines: Sequence[MonthLine]
) -> Markup:
    """Draw monthly shares as lines over the months, with a legend and a share axis."""
    height, top, bottom, left, right = 290, 16, 222, 52, 20
    highest = max((v for line in lines for v in line.values if v is not None), default=0.0)
    ceiling = next(c for c in CEILINGS if highest <= c)
    y = lambda v: bottom - v / ceiling * (bottom - top)  # noqa: E731
    n = len(months)
    x = lambda i: left + (WIDTH - left - right) * ((i + 0.5) / max(n, 1))  # noqa: E731
    parts = []
    for step in range(5):
        t = ceiling * step / 4
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            f'stroke="{GRID}"/>' + _text(left - 6, y(t) + 4, share(t).replace(",0%", "%"), "end")
        )
    for i, month in enumerate(months):
        parts.append(_text(x(i), bottom + 16, month.strftime("%m/%y"), "middle", INK))
    for line in lines:
        dash = ' stroke-dasharray="7 4"' if line.dashed else ""
        run: list[str] = []
        segments = []
        for i, v in enumerate(line.values):
            if v is None:
                if run:
                    segments.append(run)
                run = []
            else:
                run.append(f"{x(i):.1f},{y(v):.1f}")
        if run:
            segments.append(run)
        for segment in segments:
            if len(segment) > 1:
                parts.append(
                    f'<polyline class="share-line" points="{" ".join(segment)}" fill="none" '
                    f'stroke="{line.colour}" stroke-width="2.5"{dash}/>'
                )
        for i, v in enumerate(line.values):
            if v is not None:
                tip = f"{line.name}, {months[i]:%m/%Y}: {share(v)} ({line.notes[i]})"
                parts.append(
                    f'<circle class="point" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" '
                    f'fill="{line.colour}"><title>{escape(tip)}</title></circle>'
                )
    parts.append(
        f'<line x1="{left}" x2="{WIDTH - right}" y1="{bottom}" y2="{bottom}" stroke="{MUTED}"/>'
    )
    parts.append(_legend([(ln.colour, ln.name, ln.dashed) for ln in lines], bottom + 44, left))
    latest = [
        f"{line.name} {months[i]:%m/%Y}: {share(v)}"
        for line in lines
        for i, v in list(enumerate(line.values))[::-1][:1]
        if v is not None
    ]
    return _svg(chart_id, height, title, "; ".join(latest), "".join(parts))
