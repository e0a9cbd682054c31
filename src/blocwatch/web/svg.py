"""Membership timelines as inline SVG, drawn on the server: no chart library, no script.

A timeline is lanes (an organisation on a state's page, a state on an
organisation's page) of bars (one membership period with its status). Where
a boundary is imprecise ("2005" rather than a day), the part of the bar that
may or may not belong is drawn pale, so the chart says what the data says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from blocwatch.dates import parse_date

WIDTH = 960
LABEL_W = 190
PAD_R = 16
ROW_H = 24
BAR_H = 14
TOP = 8
AXIS_H = 28
LEGEND_H = 26

# Colour per membership status; chosen to stay apart for common colour blindness.
STATUS_COLOURS = {
    "full": "#1f6fb2",
    "associate": "#6aa9de",
    "participant": "#8c6bb1",
    "observer": "#e69f00",
    "partner": "#009e73",
    "dialogue-partner": "#56b4a9",
    "candidate": "#cc79a7",
    "suspended": "#d55e00",
    "frozen": "#b0413e",
}
OTHER_COLOUR = "#777777"


@dataclass(frozen=True)
class Bar:
    """One period in one lane: LANE is its label, HREF where the label links to."""

    lane: str
    status: str
    start: str  # a blocwatch date text: YYYY, YYYY-MM or YYYY-MM-DD
    end: str | None
    href: str | None = None
    note: str = ""


def _year_fraction(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def _tick_step(span: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50):
        if span / step <= 12:
            return step
    return 100


def timeline(bars: Sequence[Bar], *, title: str, today: dt.date | None = None) -> Markup:
    """An accessible SVG of BARS; empty markup when there is nothing to draw."""
    if not bars:
        return Markup("")
    today = today or dt.date.today()
    parsed = []
    for bar in bars:
        start = parse_date(bar.start)
        end = parse_date(bar.end) if bar.end else None
        parsed.append((bar, start, end))
    first_year = min(start.first.year for _, start, _ in parsed)
    last_year = max([today.year] + [end.last.year for _, _, end in parsed if end]) + 1
    x0, x1 = LABEL_W, WIDTH - PAD_R

    def x(value: float) -> float:
        return round(x0 + (value - first_year) / (last_year - first_year) * (x1 - x0), 1)

    lanes: dict[str, str | None] = {}
    for bar, _, _ in parsed:
        lanes.setdefault(bar.lane, bar.href)
    lane_y = {lane: TOP + i * ROW_H for i, lane in enumerate(lanes)}
    plot_bottom = TOP + len(lanes) * ROW_H
    height = plot_bottom + AXIS_H + LEGEND_H
    out: list[str] = [
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="tl-title tl-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="tl-title">{escape(title)}</title>',
        f'<desc id="tl-desc">{len(bars)} membership period(s) in {len(lanes)} lane(s), '
        f"{first_year} to {last_year - 1}; the table below lists them.</desc>",
    ]
    step = _tick_step(last_year - first_year)
    tick = first_year + (-first_year % step)
    while tick <= last_year:
        tx = x(tick)
        out.append(f'<line class="grid" x1="{tx}" y1="{TOP}" x2="{tx}" y2="{plot_bottom}" '
                   'stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text class="tick" x="{tx}" y="{plot_bottom + 16}" text-anchor="middle" '
                   f'font-size="12" fill="#333">{tick}</text>')
        tick += step
    now = x(_year_fraction(today))
    out.append(f'<line class="today" x1="{now}" y1="{TOP}" x2="{now}" y2="{plot_bottom}" '
               'stroke="#333" stroke-dasharray="3 3"><title>today</title></line>')
    for lane, href in lanes.items():
        y = lane_y[lane] + ROW_H / 2 + 4
        shown = lane if len(lane) <= 26 else lane[:25] + "…"
        label = (f'<text x="{LABEL_W - 8}" y="{y}" text-anchor="end" font-size="13" '
                 f'fill="#111">{escape(shown)}<title>{escape(lane)}</title></text>')
        if href:
            label = f'<a href="{escape(href)}" class="lane-link">{label}</a>'
        out.append(label)
    for bar, start, end in parsed:
        y = lane_y[bar.lane] + (ROW_H - BAR_H) / 2
        colour = STATUS_COLOURS.get(bar.status, OTHER_COLOUR)
        sure_from = _year_fraction(start.last)
        may_from = _year_fraction(start.first)
        if end is None:
            sure_to = may_to = _year_fraction(today)
        else:
            sure_to, may_to = _year_fraction(end.first), _year_fraction(end.last)
        span = f"{bar.start} – {bar.end or 'today'}"
        tip = f"{bar.lane}: {bar.status}, {span}" + (f". {bar.note}" if bar.note else "")
        out.append(f'<g class="bar status-{escape(bar.status)}"><title>{escape(tip)}</title>')
        if sure_to > sure_from:
            out.append(f'<rect x="{x(sure_from)}" y="{y}" width="{max(1.0, x(sure_to) - x(sure_from))}" '
                       f'height="{BAR_H}" fill="{colour}"/>')
        for lo, hi in ((may_from, min(sure_from, may_to)), (max(sure_to, may_from), may_to)):
            if hi > lo:
                out.append(f'<rect class="unsure" x="{x(lo)}" y="{y}" '
                           f'width="{max(1.0, x(hi) - x(lo))}" height="{BAR_H}" fill="{colour}" '
                           'fill-opacity="0.35"/>')
        out.append("</g>")
    legend_y = plot_bottom + AXIS_H + 4
    lx = float(x0)
    for status in dict.fromkeys(bar.status for bar in bars):
        colour = STATUS_COLOURS.get(status, OTHER_COLOUR)
        out.append(f'<rect x="{lx}" y="{legend_y}" width="14" height="12" fill="{colour}"/>')
        out.append(f'<text x="{lx + 19}" y="{legend_y + 11}" font-size="12" fill="#111">'
                   f"{escape(status)}</text>")
        lx += 30 + 7.5 * len(status)
    out.append(f'<rect x="{lx}" y="{legend_y}" width="14" height="12" fill="{OTHER_COLOUR}" '
               'fill-opacity="0.35"/>')
    out.append(f'<text x="{lx + 19}" y="{legend_y + 11}" font-size="12" fill="#111">'
               "pale: date known only to the year or month</text>")
    out.append("</svg>")
    return Markup("\n".join(out))
