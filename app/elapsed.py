"""Elapsed time in the list: month headings in dense years, and a mark where a long time passes
between two events shown one after the other (templates/_page_of_events.html writes them)."""

from dataclasses import dataclass, field
from datetime import date

from app.dates import MONTH_NAMES
from app.models import Precision
from app.queries import EventView

# A year with more events than this in the view is divided by month headings: about one a month.
DENSE_YEAR = 12
# A gap of two years or more between two events shown one after the other is marked: a gap of one
# year is common in a sparse record, and marking each would drown the long ones.
LONG_GAP_MONTHS = 24


@dataclass
class ElapsedMarks:
    """By event id: the gap mark before an event ("4 years later") and the month heading above it."""

    gaps: dict[int, str] = field(default_factory=dict)
    months: dict[int, tuple[str, str]] = field(default_factory=dict)  # (id, words): ("month-2020-06", "June 2020")
    gap_after: str | None = None  # after the last event, before the one that follows it on screen
    # The heading of the month the events run into, which must move up above them.
    moved_month: str | None = None


def months_between(earlier: date, later: date) -> int:
    """Whole months from one day to a later one."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


def gap_words(before: date, after: date) -> str | None:
    """'4 years later' (or 'earlier', newest first) when the gap is long, else None."""
    months = abs(months_between(min(before, after), max(before, after)))
    if months < LONG_GAP_MONTHS:
        return None
    years = months // 12
    direction = "later" if after >= before else "earlier"
    return f"{years} year{'' if years == 1 else 's'} {direction}"


def month_key(day: date) -> tuple[str, str]:
    return f"month-{day.year:04d}-{day.month:02d}", f"{MONTH_NAMES[day.month]} {day.year}"


def elapsed_marks(
    items: list[EventView], previous: date | None, following: date | None, dense_years: set[int]
) -> ElapsedMarks:
    """The marks of a run of events shown in order, given the days of the events shown just before
    and just after them (None where there is none on screen)."""
    marks = ElapsedMarks()
    last_month = (previous.year, previous.month) if previous else None
    last_day = previous
    for item in items:
        day = item.start_date
        if last_day is not None and (words := gap_words(last_day, day)):
            marks.gaps[item.id] = words
        # An event dated only to its year belongs to no month: it stands under the year's heading.
        if (
            day.year in dense_years
            and item.date_precision is not Precision.year
            and last_month != (day.year, day.month)
        ):
            marks.months[item.id] = month_key(day)
        last_month = (day.year, day.month) if item.date_precision is not Precision.year else last_month
        last_day = day
    if following is not None and last_day is not None:
        marks.gap_after = gap_words(last_day, following)
        if following.year in dense_years and last_month == (following.year, following.month):
            marks.moved_month = month_key(following)[0]
    return marks
