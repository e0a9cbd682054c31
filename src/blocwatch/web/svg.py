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


# --- Year charts: co-presence bars and overlap lines --------------------------------------------

CHART_H = 180
CHART_LEFT = 48
SERIES_COLOURS = ("#1f6fb2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
MEETINGS_COLOUR = "#9aa5b1"
PRESENT_COLOUR = "#1f6fb2"
MIN_YEARS = 6
BARS_H = 120


@dataclass(frozen=True)
class YearCount:
    """One year of co-presence: meetings on record, how many with presence, how many missed."""

    year: int
    meetings: int
    with_presence: int
    absent: int = 0


def _head(kind: str, ident: str, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="{kind}" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def _legend(items: Sequence[tuple[str, str]], y: float) -> list[str]:
    out, lx = [], float(CHART_LEFT)
    for label, colour in items:
        out.append(f'<rect x="{lx}" y="{y}" width="14" height="12" fill="{colour}"/>')
        out.append(f'<text x="{lx + 19}" y="{y + 11}" font-size="12" fill="#111">'
                   f"{escape(label)}</text>")
        lx += 34 + 7 * len(label)
    return out


def year_bars(rows: Sequence[YearCount], *, title: str, ident: str) -> Markup:
    """Per year two bars: meetings on record (grey) and meetings with presence (blue).

    Years without a meeting on record are drawn empty, so gaps show. IDENT
    keeps the title and description ids unique on a page with several charts.
    """
    if not rows:
        return Markup("")
    by_year = {r.year: r for r in rows}
    last = max(by_year)
    # At least MIN_YEARS columns, so a single year of meetings still reads as a point in time.
    years = list(range(min(min(by_year), last - MIN_YEARS + 1), last + 1))
    top = max(1, max(r.meetings for r in rows))
    x0, x1, y0, y1 = CHART_LEFT, WIDTH - PAD_R, TOP + 8, TOP + 8 + BARS_H
    slot = (x1 - x0) / len(years)
    bar_w = max(2.0, min(28.0, slot * 0.36))
    height = int(y1 + AXIS_H + LEGEND_H)
    total = sum(r.meetings for r in rows)
    present = sum(r.with_presence for r in rows)
    out = _head("yearbars", ident, height, title,
                f"{total} meeting(s) on record from {years[0]} to {years[-1]}, {present} with "
                "presence; the table below lists them.")

    def y(value: float) -> float:
        return round(y1 - value / top * (y1 - y0), 1)

    for tick in range(0, top + 1, max(1, top // 4)):
        out.append(f'<line x1="{x0}" y1="{y(tick)}" x2="{x1}" y2="{y(tick)}" stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 6}" y="{y(tick) + 4}" text-anchor="end" font-size="12" '
                   f'fill="#333">{tick}</text>')
    label_every = max(1, len(years) // 12)
    for i, year in enumerate(years):
        cx = x0 + slot * (i + 0.5)
        if i % label_every == 0:
            out.append(f'<text class="tick" x="{round(cx, 1)}" y="{y1 + 16}" text-anchor="middle" '
                       f'font-size="12" fill="#333">{year}</text>')
        row = by_year.get(year)
        if row is None:
            continue
        tip = (f"{year}: {row.meetings} meeting(s), {row.with_presence} with presence"
               + (f", {row.absent} said to be missed" if row.absent else ""))
        out.append(f'<g class="year" data-year="{year}"><title>{escape(tip)}</title>')
        for offset, value, colour, cls in ((-bar_w, row.meetings, MEETINGS_COLOUR, "meetings"),
                                            (0.0, row.with_presence, PRESENT_COLOUR, "present")):
            h = round(y1 - y(value), 1)
            out.append(f'<rect class="{cls}" x="{round(cx + offset, 1)}" y="{y(value)}" '
                       f'width="{round(bar_w, 1)}" height="{max(h, 0.0)}" fill="{colour}"/>')
        if row.with_presence == 0:  # a zero bar is invisible: say so
            out.append(f'<text x="{round(cx + bar_w / 2, 1)}" y="{y1 - 4}" text-anchor="middle" '
                       f'font-size="11" fill="#b3261e">{"absent" if row.absent else "0"}</text>')
        out.append("</g>")
    out.append(f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="#333"/>')
    out += _legend([("meetings on record", MEETINGS_COLOUR), ("with presence", PRESENT_COLOUR)],
                   y1 + AXIS_H + 4)
    out.append("</svg>")
    return Markup("\n".join(out))


@dataclass(frozen=True)
class Series:
    """One line: LABEL and its (year, value) points."""

    label: str
    points: tuple[tuple[int, float], ...]


def year_lines(series: Sequence[Series], *, title: str, ident: str, y_max: float = 1.0,
               y_label: str = "") -> Markup:
    """A line per series over years, values from 0 to Y_MAX (an overlap index: 0 to 1)."""
    points = [p for s in series for p in s.points]
    if not points:
        return Markup("")
    first = min(year for year, _ in points)
    last = max(year for year, _ in points)
    span = max(1, last - first)
    x0, x1, y0, y1 = CHART_LEFT, WIDTH - PAD_R, TOP + 8, TOP + 8 + CHART_H
    height = int(y1 + AXIS_H + LEGEND_H)
    out = _head("yearlines", ident, height, title,
                f"{len(series)} line(s) from {first} to {last}"
                + (f", {y_label}" if y_label else "") + "; the table below lists the values.")

    def x(year: float) -> float:
        return round(x0 + (year - first) / span * (x1 - x0), 1)

    def y(value: float) -> float:
        return round(y1 - value / y_max * (y1 - y0), 1)

    for i in range(5):
        value = y_max * i / 4
        out.append(f'<line x1="{x0}" y1="{y(value)}" x2="{x1}" y2="{y(value)}" stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 6}" y="{y(value) + 4}" text-anchor="end" font-size="12" '
                   f'fill="#333">{value:g}</text>')
    step = _tick_step(span)
    tick = first + (-first % step)
    while tick <= last:
        out.append(f'<text class="tick" x="{x(tick)}" y="{y1 + 16}" text-anchor="middle" '
                   f'font-size="12" fill="#333">{tick}</text>')
        tick += step
    out.append(f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="#333"/>')
    for i, s in enumerate(series):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        path = " ".join(f"{x(year)},{y(value)}" for year, value in s.points)
        out.append(f'<g class="series"><title>{escape(s.label)}</title>')
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for year, value in s.points:
            out.append(f'<circle cx="{x(year)}" cy="{y(value)}" r="3.5" fill="{colour}">'
                       f"<title>{escape(s.label)}, {year}: {value:g}</title></circle>")
        out.append("</g>")
    out += _legend([(s.label, SERIES_COLOURS[i % len(SERIES_COLOURS)])
                    for i, s in enumerate(series)], y1 + AXIS_H + 4)
    out.append("</svg>")
    return Markup("\n".join(out))
