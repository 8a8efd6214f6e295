"""What templates/_overview.html draws: a view's events per period, their tone, and its eras.

The chart is standard SVG, laid out here as numbers so the template only writes attributes. Across,
everything is a fraction of the width: the plot is a nested <svg> whose viewBox is one unit per
period, stretched to the width (preserveAspectRatio="none", strokes that do not scale), and text
sits at fractions of the chart's width (the template writes them as percentages). Down, everything
is in pixels. So the chart fills any width and its text keeps its size.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from app import queries
from app.dates import format_date, format_span
from app.filters import TimelineFilter
from app.models import Precision
from app.queries import EraView, Overview, Period
from app.templating import TONE_LABELS, average_tone, era_url, timeline_url

PLOT_HEIGHT = 160
# The plot's share of the width; the rest, on the right, holds the tone scale's labels.
PLOT_WIDTH = 0.95
# Room for the tone line's highest and lowest values inside the plot.
TONE_MARGIN = 10
ERA_ROW_HEIGHT = 18
AXIS_HEIGHT = 24
# Labels are placed so they do not overlap on the narrowest chart (a phone, less the page's margins).
NARROWEST_PX = 320
CHARACTER_PX = 7
MAX_TICKS = 8
MAX_ERA_ROWS = 3
# Below this many periods each value of the tone line gets a dot; above, the line alone reads better.
DOTS_UP_TO = 40
# An era shorter than this many periods is drawn this wide, so it can be seen.
MIN_BAND = 0.3
# Round periods a tick may stand at, every so many years or months, the fewest that fit.
YEAR_TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)
MONTH_TICK_STEPS = (1, 2, 3, 6, 12, 24)
MAX_MONTH_TICKS = 6


def _tone_y(tone: float) -> float:
    """Where a tone falls down the plot, in pixels from its top: +2 highest, −2 lowest."""
    return TONE_MARGIN + (2 - tone) / 4 * (PLOT_HEIGHT - 2 * TONE_MARGIN)


@dataclass
class Bar:
    period: Period
    label: str  # "2020", "June 2020"
    name: str  # the link's accessible name
    x: int  # the period's left edge, in periods
    bar_x: float  # the bar's, a little inside it
    top: float  # in pixels from the top of the plot
    height: float
    href: str | None  # to the timeline narrowed to the period; None for an empty period
    from_text: str  # the narrowed view's from= and to=
    to_text: str


@dataclass
class Band:
    number: int
    era: EraView
    x: float  # in periods
    width: float
    label: str  # the number, and the name where it fits
    label_x: float  # a fraction of the chart's width
    row: int  # of labels, above the plot
    label_y: int  # the label's baseline, in pixels
    anchor: str
    when: str
    href: str


@dataclass
class Tick:
    x: float  # a fraction of the chart's width
    text: str
    anchor: str


@dataclass
class TonePoint:
    x: float  # in periods
    y: float  # in pixels from the top of the plot
    joined: bool  # to the point before it, the previous period's


@dataclass
class Dot:
    x: float  # a fraction of the chart's width
    y: float  # pixels from the top of the chart


@dataclass
class OverviewChart:
    unit: str
    description: str
    note: str
    periods: int
    most: int
    bars: list[Bar]
    bar_width: float
    tone_line: list[TonePoint]
    dots: list[Dot]
    ticks: list[Tick]
    bands: list[Band]
    plot_top: int
    plot_height: int = PLOT_HEIGHT
    plot_width: float = PLOT_WIDTH
    zero_y: int = round(_tone_y(0))
    plus_y: int = round(_tone_y(2))
    minus_y: int = round(_tone_y(-2))

    @property
    def height(self) -> int:
        return self.plot_top + PLOT_HEIGHT + AXIS_HEIGHT

    @property
    def rows(self) -> list[Bar]:
        """The table's rows: the periods that have events."""
        return [bar for bar in self.bars if bar.period.events]


def view_overview(session: Session, timeline_filter: TimelineFilter) -> OverviewChart | None:
    """The view's overview with its eras, laid out for templates/_overview.html; None when there is nothing to draw."""
    eras = queries.eras(session, timeline_filter)
    return overview_chart(queries.overview(session, timeline_filter), eras, timeline_filter)


def overview_chart(data: Overview, eras: list[EraView], timeline_filter: TimelineFilter) -> OverviewChart | None:
    """The chart of a view's overview; None when there is nothing to draw."""
    periods = data.periods
    if not periods or not data.events:
        return None
    bands = _bands(eras, data, timeline_filter)
    era_rows = max((band.row for band in bands), default=-1) + 1
    plot_top = era_rows * ERA_ROW_HEIGHT + (4 if bands else 8)
    gap = 0.15 if len(periods) <= DOTS_UP_TO else 0.1
    bars = _bars(data, timeline_filter, gap)
    tone_line = _tone_line(periods)
    return OverviewChart(
        unit=data.unit,
        description=_description(data, bars, bands),
        note=_note(data),
        periods=len(periods),
        most=max(period.events for period in periods),
        bars=bars,
        bar_width=1 - 2 * gap,
        tone_line=tone_line,
        dots=_dots(tone_line, len(periods), plot_top),
        ticks=_ticks(periods, data.unit),
        bands=bands,
        plot_top=plot_top,
    )


def _bars(data: Overview, timeline_filter: TimelineFilter, gap: float) -> list[Bar]:
    most = max(period.events for period in data.periods)
    bars = []
    for index, period in enumerate(data.periods):
        label = _period_label(period, data.unit)
        height = period.events / most * (PLOT_HEIGHT - 2) if period.events else 0
        narrowed = _narrowed(timeline_filter, period)
        bars.append(
            Bar(
                period=period,
                label=label,
                name=_bar_name(label, period),
                x=index,
                bar_x=index + gap,
                top=PLOT_HEIGHT - height,
                height=height,
                href=timeline_url(narrowed) if period.events else None,
                from_text=narrowed.from_text or "",
                to_text=narrowed.to_text or "",
            )
        )
    return bars


def _tone_line(periods: list[Period]) -> list[TonePoint]:
    """A point at the middle of each period that has a tone; a gap in the line where one has none."""
    return [
        TonePoint(index + 0.5, _tone_y(period.tone), joined=index > 0 and periods[index - 1].tone is not None)
        for index, period in enumerate(periods)
        if period.tone is not None
    ]


def _dots(tone_line: list[TonePoint], count: int, plot_top: int) -> list[Dot]:
    """A dot on every point of a short line, and on any point of a long one that joins no other."""
    dots = []
    for position, point in enumerate(tone_line):
        following = tone_line[position + 1] if position + 1 < len(tone_line) else None
        alone = not point.joined and (following is None or not following.joined)
        if alone or count <= DOTS_UP_TO:
            dots.append(Dot(point.x / count * PLOT_WIDTH, plot_top + point.y))
    return dots


def _narrowed(timeline_filter: TimelineFilter, period: Period) -> TimelineFilter:
    """The view narrowed to one period, within the dates it already has."""
    from_text, date_from = period.key, period.start
    if timeline_filter.date_from and timeline_filter.date_from > period.start:
        from_text, date_from = timeline_filter.from_text, timeline_filter.date_from
    to_text, date_to = period.key, period.last
    if timeline_filter.date_to and timeline_filter.date_to < period.last:
        to_text, date_to = timeline_filter.to_text, timeline_filter.date_to
    return timeline_filter.replace(from_text=from_text, date_from=date_from, to_text=to_text, date_to=date_to)


def _period_label(period: Period, unit: str) -> str:
    return period.key if unit == "year" else format_date(period.start, Precision.month)


def _bar_name(label: str, period: Period) -> str:
    events = f"{period.events} event{'' if period.events == 1 else 's'}"
    if period.tone is None:
        return f"{label}: {events}, no tone given"
    # The nearest word of the rubric, halves away from zero (-1.5 is hostile, +0.5 cooperative).
    nearest = int(abs(period.tone) + 0.5) * (1 if period.tone >= 0 else -1)
    return f"{label}: {events}, average tone {average_tone(period.tone)} ({TONE_LABELS[nearest]})"


def _description(data: Overview, bars: list[Bar], bands: list[Band]) -> str:
    unit = data.unit
    busiest = max(bars, key=lambda bar: bar.period.events)
    parts = [
        f"Bars: the number of events that begin in each {unit}, {data.events:,} in all; "
        f"the most, {busiest.period.events}, in {busiest.label}."
    ]
    rated = [bar for bar in bars if bar.period.tone is not None]
    if rated:
        low = min(rated, key=lambda bar: bar.period.tone)
        high = max(rated, key=lambda bar: bar.period.tone)
        parts.append(
            f"Line: the average tone of each {unit}'s events, from \u22122 (hostile) to +2 (strongly cooperative); "
            f"lowest {average_tone(low.period.tone)} in {low.label}, "
            f"highest {average_tone(high.period.tone)} in {high.label}."
        )
    if bands:
        parts.append(f"Shaded bands: {len(bands)} era{'' if len(bands) == 1 else 's'}, listed after the chart.")
    return " ".join(parts)


def _note(data: Overview) -> str:
    if not data.left_out:
        return ""
    one = data.left_out == 1
    reasons = ["began before this range"]
    if data.unit == "month":
        reasons.append("is dated only to a year" if one else "are dated only to a year")
    events = f"{data.left_out} matching event{'' if one else 's'} {'is' if one else 'are'} not in the bars"
    return f"{events}: {'it' if one else 'they'} {' or '.join(reasons)}."


def _ticks(periods: list[Period], unit: str) -> list[Tick]:
    """Labels under the bars at round years or months, as many as fit side by side on a phone."""
    count = len(periods)
    chosen = _round_periods(periods, unit)

    def placed(position: int, index: int, period: Period) -> tuple[Tick, float, float]:
        return _placed_tick(_tick_text(period, unit, first=position == 0), index, count)

    def overlap(first: tuple, second: tuple) -> bool:
        return second[1] < first[2] + CHARACTER_PX

    # A label pushed against an edge gives way to its neighbour, so the rest stay evenly spaced.
    if len(chosen) > 1 and overlap(placed(0, *chosen[0]), placed(1, *chosen[1])):
        chosen = chosen[1:]
    if len(chosen) > 1 and overlap(placed(len(chosen) - 2, *chosen[-2]), placed(len(chosen) - 1, *chosen[-1])):
        chosen = chosen[:-1]
    ticks: list[tuple[Tick, float, float]] = []
    for index, period in chosen:
        tick = placed(len(ticks), index, period)
        if not ticks or not overlap(ticks[-1], tick):
            ticks.append(tick)
    return [tick for tick, _, _ in ticks]


def _round_periods(periods: list[Period], unit: str) -> list[tuple[int, Period]]:
    """The periods at every so many years or months, each with its place on the axis."""
    steps, most = (YEAR_TICK_STEPS, MAX_TICKS) if unit == "year" else (MONTH_TICK_STEPS, MAX_MONTH_TICKS)
    step = next((step for step in steps if len(periods) / step <= most), steps[-1])
    return [
        (index, period)
        for index, period in enumerate(periods)
        if (period.start.year if unit == "year" else period.start.month - 1) % step == 0
    ]


def _tick_text(period: Period, unit: str, first: bool) -> str:
    if unit == "year":
        return period.key
    if first:
        return f"{period.start:%b %Y}"  # the first month says its year
    return str(period.start.year) if period.start.month == 1 else f"{period.start:%b}"


def _placed_tick(text: str, index: int, count: int) -> tuple[Tick, float, float]:
    """A tick and the pixels it spans on the narrowest chart.

    Centred under its bar, unless that would cross an edge of the narrowest chart: then it starts at
    the bar's left edge (or ends at its right one).
    """
    plot, width = NARROWEST_PX * PLOT_WIDTH, len(text) * CHARACTER_PX
    where, anchor, left = (index + 0.5) / count, "middle", (index + 0.5) / count * plot - width / 2
    if left < 0:
        where, anchor, left = index / count, "start", index / count * plot
    elif left + width > plot:
        where, anchor, left = (index + 1) / count, "end", (index + 1) / count * plot - width
    return Tick(where * PLOT_WIDTH, text, anchor), left, left + width


def _position(day: date, periods: list[Period], unit: str) -> float:
    """Where a day falls along the axis, in periods from its start (clamped to the axis)."""
    first = periods[0].start
    if day <= first:
        return 0.0
    if day > periods[-1].last:
        return float(len(periods))
    if unit == "year":
        index = day.year - first.year
        length = (date(day.year, 12, 31) - date(day.year, 1, 1)).days + 1
        return index + (day - date(day.year, 1, 1)).days / length
    index = (day.year - first.year) * 12 + day.month - first.month
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return index + (day.day - 1) / (following - date(day.year, day.month, 1)).days


def _bands(eras: list[EraView], data: Overview, timeline_filter: TimelineFilter) -> list[Band]:
    periods, unit = data.periods, data.unit
    count = len(periods)
    bands: list[Band] = []
    row_ends = [-1.0] * MAX_ERA_ROWS
    for era in eras:
        start = _position(era.start_date, periods, unit)
        end = _position(era.last_date + timedelta(days=1), periods, unit)
        if end <= 0 or start >= count:
            continue
        width = max(end - start, MIN_BAND)
        start = min(start, count - width)
        number = len(bands) + 1
        # The name beside the number where it fits within the band on the narrowest chart.
        named = f"{number} {era.name}"
        fits = (len(named) * CHARACTER_PX) / NARROWEST_PX <= width / count
        label = named if fits else str(number)
        label_width = (len(label) * CHARACTER_PX + 6) / NARROWEST_PX
        left = start / count
        row = next((row for row, row_end in enumerate(row_ends) if row_end < left), None)
        if row is None:
            row = min(range(MAX_ERA_ROWS), key=lambda row: row_ends[row])
        row_ends[row] = left + label_width
        anchor = "end" if left + label_width > 1 else "start"
        bands.append(
            Band(
                number=number,
                era=era,
                x=start,
                width=width,
                label=label,
                label_x=(min(left, 1.0) if anchor == "start" else 1.0) * PLOT_WIDTH,
                row=row,
                label_y=row * ERA_ROW_HEIGHT + 13,
                anchor=anchor,
                when=format_span(era.start_date, era.date_precision, era.end_date, era.end_precision),
                href=era_url(timeline_filter, era),
            )
        )
    return bands
