"""What templates/_navigator.html draws: the view's events along a time axis that zooms and pans.

The axis shows a span of whole months (`span=1990..2009`, `span=2020-01..2020-12`), the view's whole
range by default. It is cut into at most MAX_PERIODS periods of a round length (ten years, five, two,
one, six months…): they are the places a reader can move the list to, each wide enough to tap on a
phone. Beneath them the events are drawn in proportion to time, one mark each while few enough are
in the span, otherwise as bars of the events per year or month; the tone line and the eras go with
them. Zooming halves or doubles the span around a period; panning moves it by half its length.

Across, the plot is a nested <svg> whose viewBox counts days from the span's first day, stretched to
the width (preserveAspectRatio="none", strokes that do not scale); the periods, labels and the "you
are here" band sit in the outer <svg> at fractions of its width, so focus rings and text keep their
true size. Down, everything is in pixels. Everything here is counted from the view's month counts,
which are cached per filter, so a zoom or a pan costs no new count; only the marks are read, and
only when there are few.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app import queries
from app.filters import TimelineFilter
from app.models import Precision
from app.navigator import layers
from app.navigator.layers import ERA_ROW_HEIGHT, PLOT_HEIGHT, PLOT_WIDTH
from app.navigator.spans import (
    MIN_SPAN_MONTHS,
    Span,
    month_end,
    month_number,
    month_start,
    shown_span,
    span_of,
    zoomed_in,
)
from app.queries import MonthCount, Period
from app.templating import TONE_LABELS, average_tone, timeline_url

# Up to this many events in the span, each is a mark; more are drawn as bars.
MAX_MARKS = 200
# Up to ten years, bars and tone go by month; a longer span by year.
MONTHLY_UP_TO = 120
AXIS_HEIGHT = 24


@dataclass
class NavPeriod:
    """One of the places on the axis the list can move to."""

    first: int  # month numbers
    last: int
    events: int
    rated: int
    tone_total: int
    label: str  # "1960s", "2020", "June 2020"
    name: str  # the link's accessible name
    x: float  # fractions of the chart's width
    width: float
    href: str  # the list at the period's start, this span kept
    zoom_href: str  # the span zoomed in around it
    at_text: str  # the period's start as `at=` writes it (a year for periods of years)
    current: bool = False  # holds the first event the list shows


@dataclass
class Control:
    label: str
    href: str | None  # None where the step goes nowhere (zoomed in all the way, at an end)
    key: str  # the key that does the same on the axis


@dataclass
class Navigator:
    span: Span
    span_param: str  # `span=` of the view shown: empty for the whole range
    whole: Span
    periods: list[NavPeriod]
    marks: list[dict]  # x, width (days from the span's start), height (px), class, title
    bars: list[dict]  # x, width (days), top, height (px), title
    tone_path: str
    bands: list[dict]
    ticks: list[dict]
    controls: list[Control]
    narrow_href: str | None  # the view narrowed to the span's dates, unless that is the whole range
    title: str
    description: str
    note: str
    here: tuple[float, float] | None  # the "you are here" band, fractions of the width
    table: list[Period]
    table_unit: str
    plot_top: int
    plot_height: int = PLOT_HEIGHT
    plot_width: float = PLOT_WIDTH

    @property
    def height(self) -> int:
        return self.plot_top + PLOT_HEIGHT + AXIS_HEIGHT

    @property
    def zero_y(self) -> float:
        return layers.tone_y(0)


@dataclass
class _Links:
    """The links a view's navigator makes: to the timeline with the list at a position and the axis
    at a span (shown as shown_span rounds it; none for the whole range), and to the view narrowed."""

    timeline_filter: TimelineFilter
    whole: Span
    at: str | None  # where the list is now: the zoom and pan steps keep it there

    def __call__(self, position: str | None, wanted: Span) -> str:
        return timeline_url(self.timeline_filter, at=position or self.at, span=self.span_param(wanted))

    def span_param(self, wanted: Span) -> str | None:
        shown, _ = shown_span(wanted, self.whole)
        return None if shown == shown_span(self.whole, self.whole)[0] else shown.text

    def narrowed(self, span: Span) -> str | None:
        if self.span_param(span) is None:
            return None
        first_text, last_text = span.text.split("..")
        view = self.timeline_filter
        narrowed = view.replace(
            from_text=first_text,
            date_from=max(span.start, view.date_from or span.start),
            to_text=last_text,
            date_to=min(span.end, view.date_to or span.end),
        )
        return timeline_url(narrowed)


def navigator(
    session: Session,
    timeline_filter: TimelineFilter,
    requested: tuple[date, date] | None = None,
    shown: tuple[date, date] | None = None,
    at: str | None = None,
    zoomable: bool = True,
) -> Navigator | None:
    """The navigator of a view at the requested span (the whole range by default); `shown` is the
    first and last date of the events the list shows, which its zoom and pan steps keep at `at`;
    `zoomable` False leaves out those steps (on a page without the list). None when the view has no
    events to place."""
    counts = queries.month_counts(session, timeline_filter)
    if not counts:
        return None
    whole = _whole_span(counts, timeline_filter)
    span, length = shown_span(whole if requested is None else span_of(*requested), whole)
    link = _Links(timeline_filter, whole, at)
    in_span = [row for row in counts if span.first <= row.number <= span.last]
    periods = _periods(span, length, in_span, link, timeline_filter.order == "desc")
    _mark_current(periods, shown)
    marks = []
    if sum(period.events for period in periods) <= MAX_MARKS:
        marks = layers.marks(queries.marks(session, timeline_filter, span.start, span.end, MAX_MARKS), span)
    by_month = span.months <= MONTHLY_UP_TO
    fine = queries.periods_between(counts, span.first, span.last, by_month)
    bands = layers.bands(queries.eras(session, timeline_filter), span)
    era_rows = max((band["row"] for band in bands), default=-1) + 1
    return Navigator(
        span=span,
        span_param=link.span_param(span) or "",
        whole=whole,
        periods=periods,
        marks=marks,
        bars=[] if marks else layers.bars(fine, span),
        tone_path=layers.tone_path(fine, span),
        bands=bands,
        ticks=layers.ticks(periods, length),
        controls=_controls(span, whole, link, shown) if zoomable else [],
        narrow_href=link.narrowed(span),
        title=_title(span, length),
        description=_description(periods, marks, length, bands),
        note=_note(counts, in_span, periods, length),
        here=layers.here(shown, span),
        table=[period for period in fine if period.events],
        table_unit="month" if by_month else "year",
        plot_top=era_rows * ERA_ROW_HEIGHT + (4 if bands else 8),
    )


def _whole_span(counts: tuple[MonthCount, ...], timeline_filter: TimelineFilter) -> Span:
    """The months of the view's events, within its dates; a year-dated event's whole year."""
    first = min(row.number for row in counts)
    last = max(row.number + (11 if row.date_precision == Precision.year.value else 0) for row in counts)
    if timeline_filter.date_from:
        first = max(first, month_number(timeline_filter.date_from))
    if timeline_filter.date_to:
        last = min(last, month_number(timeline_filter.date_to))
    return Span(first, max(first, last))


def _periods(span: Span, length: int, rows: list[MonthCount], link: _Links, newest_first: bool) -> list[NavPeriod]:
    """The span's periods with their counts; each links to the list where it begins in the list's
    order: its first month oldest first, its last newest first."""

    def written(month: int) -> str:
        return f"{month // 12:04d}" if length >= 12 else f"{month_start(month):%Y-%m}"

    periods = []
    for first in range(span.first, span.last + 1, length):
        last = first + length - 1
        inside = [
            row
            for row in rows
            if first <= row.number <= last and (length >= 12 or row.date_precision != Precision.year.value)
        ]
        period = NavPeriod(
            first=first,
            last=last,
            events=sum(row.events for row in inside),
            rated=sum(row.rated for row in inside),
            tone_total=sum(row.tone_total for row in inside),
            label=_period_label(first, length),
            name="",
            x=(first - span.first) / span.months * PLOT_WIDTH,
            width=length / span.months * PLOT_WIDTH,
            href="",
            zoom_href=link(None, zoomed_in(span, first + length // 2)),
            at_text=written(first),
        )
        period.name = _period_name(period)
        period.href = link(written(last) if newest_first else written(first), span)
        periods.append(period)
    return periods


def _period_label(first: int, length: int) -> str:
    start, end = month_start(first), month_end(first + length - 1)
    if length == 120 and start.year % 10 == 0:
        return f"{start.year}s"
    if length >= 12:
        return str(start.year) if length == 12 else f"{start.year}–{end.year}"
    if length == 1:
        return f"{start:%B %Y}"
    return f"{start:%b}–{end:%b %Y}" if start.year == end.year else f"{start:%b %Y}–{end:%b %Y}"


def _period_name(period: NavPeriod) -> str:
    events = f"{period.events} event{'' if period.events == 1 else 's'}"
    if not period.rated:
        return f"{period.label}: {events}"
    tone = period.tone_total / period.rated
    # The nearest word of the rubric, halves away from zero (-1.5 is hostile, +0.5 cooperative).
    nearest = int(abs(tone) + 0.5) * (1 if tone >= 0 else -1)
    return f"{period.label}: {events}, average tone {average_tone(tone)} ({TONE_LABELS[nearest]})"


def _controls(span: Span, whole: Span, link: _Links, shown: tuple[date, date] | None) -> list[Control]:
    """Zoom in around where the list is (or the middle of the span), out around the middle; pan by half."""
    middle = span.first + span.months // 2
    listed = month_number(shown[0]) if shown else None
    zoom_middle = listed if listed is not None and span.first <= listed <= span.last else middle
    half = max(1, span.months // 2)
    # Unbounded here: the links' spans are kept within the range as they are shown (shown_span).
    zoom_in = zoomed_in(span, zoom_middle)
    zoom_out = Span(middle - span.months, middle + span.months - 1)
    earlier = Span(span.first - half, span.last - half)
    later = Span(span.first + half, span.last + half)
    fits = span.first <= whole.first and span.last >= whole.last
    return [
        Control("Zoom in", link(None, zoom_in) if span.months > MIN_SPAN_MONTHS else None, "+"),
        Control("Zoom out", None if fits else link(None, zoom_out), "-"),
        Control("Earlier", link(None, earlier) if span.first > whole.first else None, "ArrowLeft"),
        Control("Later", link(None, later) if span.last < whole.last else None, "ArrowRight"),
        Control("Whole range", None if fits else link(None, whole), "0"),
    ]


def _title(span: Span, length: int) -> str:
    """'Events, 1960–2029, by decade', 'Events in 2020, by month', 'Events, January–June 2020, by month',
    'Events in August 2025'."""
    start, end = span.start, span.end
    if span.months == 1:
        return f"Events in {start:%B %Y}"
    by = f", by {_length_words(length)}"
    if span.first % 12 == 0 and span.months % 12 == 0:
        if span.months == 12:
            return f"Events in {start.year}{by}"
        return f"Events, {start.year}–{end.year}{by}"
    if start.year == end.year:
        return f"Events, {start:%B}–{end:%B %Y}{by}"
    return f"Events, {start:%B %Y} – {end:%B %Y}{by}"


def _length_words(length: int) -> str:
    return {1: "month", 12: "year", 120: "decade"}.get(length) or (
        f"{length // 12} years" if length >= 12 else f"{length} months"
    )


def _description(periods: list[NavPeriod], marks: list[dict], length: int, bands: list[dict]) -> str:
    busiest = max(periods, key=lambda period: period.events)
    total = sum(period.events for period in periods)
    parts = [
        f"{total:,} events in {len(periods)} periods of a {_length_words(length)} each; "
        f"the most, {busiest.events}, in {busiest.label}."
    ]
    parts.append("Each event is a mark at its date, key events taller." if marks else "Bars: events per period.")
    parts.append("Line: average tone, from \u22122 (hostile) to +2 (strongly cooperative).")
    if bands:
        parts.append(f"Shaded bands: {len(bands)} era{'' if len(bands) == 1 else 's'}, listed after the chart.")
    return " ".join(parts)


def _mark_current(periods: list[NavPeriod], shown: tuple[date, date] | None) -> None:
    """The period that holds the first event the list shows is the current one."""
    for period in periods:
        period.current = shown is not None and period.first <= month_number(shown[0]) <= period.last


def _note(counts: tuple[MonthCount, ...], in_span: list[MonthCount], periods: list[NavPeriod], length: int) -> str:
    """What the periods leave out: events outside the span, and (in periods of months) those dated
    only to a year."""
    left_out = sum(row.events for row in counts) - sum(period.events for period in periods)
    year_dated = length < 12 and any(row.date_precision == Precision.year.value for row in in_span)
    if left_out <= 0:
        return ""
    one = left_out == 1
    where = "outside the period shown" + (" or too coarsely dated for it" if year_dated else "")
    return f"{left_out:,} matching event{'' if one else 's'} {'is' if one else 'are'} {where}."
