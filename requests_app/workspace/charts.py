"""Bar charts as server-rendered SVG: no script, no CDN, readable by a screen reader.

Each chart is one ``<svg role="img">`` with a ``<title>`` and a ``<desc>``;
the numbers it draws are always printed beside it as a table by the template
(``workspace/_chart.html``), so nothing is known only from a bar's length.

Scales are proportional from zero: a bar's length is ``value / axis_max`` of
the plot, where ``axis_max`` is the first "nice" tick (1, 2 or 5 times a power
of ten) at or above the largest value. 10 and 11 therefore differ by a tenth.
Colours are SVG presentation attributes, not inline CSS, so the
Content-Security-Policy needs no ``unsafe-inline`` for styles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Distinguishable for the common colour-vision deficiencies (Okabe-Ito), darkened for contrast on white.
PALETTE = ("#1d4e89", "#c26a00", "#2f8f6b", "#b42318", "#6b4c9a", "#8a7a00", "#4d6a80", "#a0467a")


@dataclass
class Series:
    label: str
    values: list[float | None]
    colour: str = ""


@dataclass
class Chart:
    """Bars per category; several series are stacked (their sum is the bar)."""

    key: str
    title: str
    description: str
    categories: list[str]
    series: list[Series]
    horizontal: bool = False
    # A fixed top of the axis (100 for percentages); else the nice tick above the largest bar.
    axis_max: float | None = None
    unit: str = ""
    # The table beside the chart: header row and rows of cells (already formatted).
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list] = field(default_factory=list)

    def __post_init__(self) -> None:
        for index, series in enumerate(self.series):
            series.colour = series.colour or PALETTE[index % len(PALETTE)]

    def totals(self) -> list[float]:
        return [sum(s.values[i] or 0 for s in self.series) for i in range(len(self.categories))]

    def scale(self) -> tuple[float, list[float]]:
        """The top of the axis and its ticks (zero included)."""
        top = self.axis_max if self.axis_max is not None else nice_ceiling(max(self.totals(), default=0))
        step = nice_step(top)
        ticks = [round(step * i, 6) for i in range(int(round(top / step)) + 1)]
        return top, ticks

    def svg(self) -> SafeString:
        return _horizontal(self) if self.horizontal else _vertical(self)

    def legend(self) -> SafeString:
        return legend(self)


def nice_step(top: float, *, ticks: int = 5) -> float:
    """A tick spacing of 1, 2 or 5 times a power of ten giving about ``ticks`` intervals."""
    if top <= 0:
        return 1
    raw = top / ticks
    step: float = 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            step = factor * power
            break
    # Counts are whole: no tick at 0.5 requests.
    return max(step, 1) if top >= 1 else step


def nice_ceiling(value: float) -> float:
    """The smallest multiple of the tick step at or above ``value`` (at least 1)."""
    if value <= 0:
        return 1
    step = nice_step(value)
    return math.ceil(value / step - 1e-9) * step


def _fmt(value: float) -> str:
    return f"{value:g}"


def _head(chart: Chart, width: int, height: int) -> SafeString:
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-labelledby="{}-title {}-desc"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        width,
        height,
        chart.key,
        chart.key,
        chart.key,
        chart.title,
        chart.key,
        chart.description,
    )


def _vertical(chart: Chart) -> SafeString:
    width, height = 640, 240
    left, right, top_pad, bottom = 44, 8, 10, 36
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top, ticks = chart.scale()
    parts = [_head(chart, width, height)]
    for tick in ticks:
        y = top_pad + plot_h - tick / top * plot_h
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e4e7eb"/>'
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#616e7c">{}{}</text>',
                left,
                width - right,
                f"{y:.2f}",
                f"{y:.2f}",
                left - 4,
                f"{y + 4:.2f}",
                _fmt(tick),
                chart.unit,
            )
        )
    count = max(len(chart.categories), 1)
    slot = plot_w / count
    bar_w = max(slot * 0.7, 1)
    for index, category in enumerate(chart.categories):
        x = left + index * slot + (slot - bar_w) / 2
        base: float = top_pad + plot_h
        for series in chart.series:
            value = series.values[index] or 0
            h = value / top * plot_h if top else 0
            base -= h
            if value:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}{}</title></rect>',
                        f"{x:.2f}",
                        f"{base:.2f}",
                        f"{bar_w:.2f}",
                        f"{h:.2f}",
                        series.colour,
                        f"{category} · {series.label}" if len(chart.series) > 1 else category,
                        _fmt(value),
                        chart.unit,
                    )
                )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#616e7c">{}</text>',
                f"{x + bar_w / 2:.2f}",
                height - bottom + 16,
                category,
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#616e7c"/>',
            left,
            width - right,
            top_pad + plot_h,
            top_pad + plot_h,
        )
    )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant closing tag
    return SafeString("".join(parts))


# Characters of a category that fit left of a horizontal chart's bars.
LABEL_CHARS = 28


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    """A long category cut at a word with an ellipsis (never mid-word without saying so);
    the full text is the label's <title> and the table's row beside the chart."""
    label = str(label)
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,(·–-") + "…"


def _horizontal(chart: Chart) -> SafeString:
    row_h = 22
    left, right, top_pad, bottom = 170, 16, 6, 24
    width = 640
    height = top_pad + row_h * max(len(chart.categories), 1) + bottom
    plot_w = width - left - right
    plot_bottom = height - bottom
    top, ticks = chart.scale()
    parts = [_head(chart, width, height)]
    for tick in ticks:
        x = left + tick / top * plot_w
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e4e7eb"/>'
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#616e7c">{}{}</text>',
                f"{x:.2f}",
                f"{x:.2f}",
                top_pad,
                plot_bottom,
                f"{x:.2f}",
                plot_bottom + 15,
                _fmt(tick),
                chart.unit,
            )
        )
    for index, category in enumerate(chart.categories):
        y = top_pad + index * row_h + 3
        start: float = left
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#1f2933"><title>{}</title>{}</text>',
                left - 6,
                y + 12,
                category,
                shorten(category),
            )
        )
        for series in chart.series:
            value = series.values[index] or 0
            w = value / top * plot_w if top else 0
            if value:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}{}</title></rect>',
                        f"{start:.2f}",
                        y,
                        f"{w:.2f}",
                        row_h - 6,
                        series.colour,
                        f"{category} · {series.label}" if len(chart.series) > 1 else category,
                        _fmt(value),
                        chart.unit,
                    )
                )
            start += w
    parts.append(
        format_html('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#616e7c"/>', left, left, top_pad, plot_bottom)
    )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant closing tag
    return SafeString("".join(parts))


def legend(chart: Chart) -> SafeString:
    """A key to the colours, for stacked charts (the table beside says the same in numbers)."""
    if len(chart.series) < 2:
        return SafeString("")
    items = format_html_join(
        "",
        '<li><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="{}"/></svg> {}</li>',
        ((series.colour, series.label) for series in chart.series),
    )
    return format_html('<ul class="chart-legend">{}</ul>', items)
