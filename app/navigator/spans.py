"""Spans of whole months, the navigator's unit of time, and how they are cut into periods."""

import calendar
from dataclasses import dataclass
from datetime import date

MAX_PERIODS = 12
# Round period lengths, in months: a span is cut into the shortest that gives at most MAX_PERIODS.
PERIOD_MONTHS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200)
# The shortest span a zoom reaches.
MIN_SPAN_MONTHS = 6


def month_number(value: date) -> int:
    return value.year * 12 + value.month - 1


def month_start(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


def month_end(number: int) -> date:
    year, month = number // 12, number % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Span:
    """Whole months, `first` to `last`, as month numbers (year × 12 + month − 1)."""

    first: int
    last: int

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    @property
    def start(self) -> date:
        return month_start(self.first)

    @property
    def end(self) -> date:
        return month_end(self.last)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def text(self) -> str:
        """As `span=` writes it: years when it is whole years."""
        if self.first % 12 == 0 and self.last % 12 == 11:
            return f"{self.first // 12:04d}..{self.last // 12:04d}"
        return f"{self.start:%Y-%m}..{self.end:%Y-%m}"

    def moved_to(self, first: int, months: int, within: "Span") -> "Span":
        """`months` long from `first`, kept inside `within` (or `within` itself when it is shorter)."""
        if months >= within.months:
            return within
        first = min(max(first, within.first), within.last - months + 1)
        return Span(first, first + months - 1)


def span_of(first_day: date, last_day: date) -> Span:
    return Span(month_number(first_day), month_number(last_day))


def shown_span(wanted: Span, whole: Span) -> tuple[Span, int]:
    """The span shown for the one wanted: whole periods of the shortest round length that gives at
    most MAX_PERIODS, kept within the whole range's periods; and that length."""
    if wanted.months >= whole.months:
        wanted = whole
    for length in PERIOD_MONTHS:
        if -(-wanted.months // length) > MAX_PERIODS:
            continue
        span = _in_periods(wanted.moved_to(wanted.first, wanted.months, _in_periods(whole, length)), length)
        if span.months // length <= MAX_PERIODS:
            return span, length
    return _in_periods(whole, PERIOD_MONTHS[-1]), PERIOD_MONTHS[-1]


def _in_periods(span: Span, length: int) -> Span:
    """The span widened to whole periods of `length` months, counted from year 0."""
    return Span(span.first - span.first % length, span.last + (-(span.last + 1) % length))


def zoomed_in(span: Span, middle: int) -> Span:
    """Half the span, centred on the month `middle` (shown_span keeps it within the range)."""
    months = max(MIN_SPAN_MONTHS, span.months // 2)
    return Span(middle - months // 2, middle - months // 2 + months - 1)
