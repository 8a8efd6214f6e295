"""The overview of a view: its events per year or month, with their average tone."""

from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import String, func, literal_column, select
from sqlmodel import Session

from app.filters import TimelineFilter
from app.models import Precision
from app.queries.planner import filtered
from app.queries.stats import cached
from app.queries.tables import event
from app.queries.views import Overview, Period

# Up to three years, the overview counts by month; a longer range by year.
MONTHS_SHOWN_BY_MONTH = 36


def overview(session: Session, timeline_filter: TimelineFilter) -> Overview:
    """The view's events per period with their average tone, from one grouped query, cached like counts."""
    timeline_filter = timeline_filter.replace(order="asc")  # the order changes nothing here
    return cached(session, ("overview", timeline_filter), lambda: read_overview(session, timeline_filter))


def read_overview(session: Session, timeline_filter: TimelineFilter) -> Overview:
    """The overview as the database gives it now, without the cache."""
    month = _month_of_start(session.get_bind().dialect.name).label("month")
    statement = (
        select(
            month,
            event.c.date_precision,
            func.count().label("events"),
            func.count(event.c.tone).label("rated"),
            func.coalesce(func.sum(event.c.tone), 0).label("tone_total"),
        )
        .select_from(event)
        .group_by(month, event.c.date_precision)
    )
    # As many rows as there are matches: the plan that reads fewest of them, as for a count.
    rows = session.execute(filtered(session, statement, timeline_filter, None)).all()
    total = sum(row.events for row in rows)
    if not rows:
        return Overview("year", [], 0, 0)

    rows = [_MonthRow(int(row.month[:4]) * 12 + int(row.month[5:7]) - 1, *row[1:]) for row in rows]
    first, last = _months_shown(rows, timeline_filter)
    by_month = last - first < MONTHS_SHOWN_BY_MONTH
    periods = _periods(rows, first, last, by_month)
    if by_month and not any(period.events for period in periods):
        # Only events dated to a year: bars by year say more than empty months.
        by_month, periods = False, _periods(rows, first, last, False)
    shown = sum(period.events for period in periods)
    return Overview("month" if by_month else "year", periods, shown, total - shown)


def _month_number(value: date) -> int:
    return value.year * 12 + value.month - 1


def _months_shown(rows: "list[_MonthRow]", timeline_filter: TimelineFilter) -> tuple[int, int]:
    """The first and last month numbers of the axis: the events', within the view's dates."""
    first = min(row.number for row in rows)
    last = max(row.number for row in rows)
    date_from, date_to = timeline_filter.date_from, timeline_filter.date_to
    if date_from:
        first = max(first, _month_number(date_from))
    if date_to:
        last = min(last, _month_number(date_to))
    # A short range the reader asked for is shown whole, even where it has no events.
    if date_from and date_to and _month_number(date_to) - _month_number(date_from) < MONTHS_SHOWN_BY_MONTH:
        first, last = _month_number(date_from), _month_number(date_to)
    return first, last


def _periods(rows: "list[_MonthRow]", first: int, last: int, by_month: bool) -> list[Period]:
    """The periods from month number `first` to `last`, with the counts and tones of their rows."""
    sums: dict[int, list[int]] = {}
    for row in rows:
        # By month, an event dated only to a year has no month to be counted in.
        if row.number < first or row.number > last or (by_month and row.date_precision == Precision.year.value):
            continue
        counts = sums.setdefault(row.number if by_month else row.number // 12, [0, 0, 0])
        counts[0] += row.events
        counts[1] += row.rated
        counts[2] += row.tone_total
    if by_month:
        return [Period(*_month_span(key), *sums.get(key, (0, 0, 0))) for key in range(first, last + 1)]
    return [
        Period(f"{key:04d}", date(key, 1, 1), date(key, 12, 31), *sums.get(key, (0, 0, 0)))
        for key in range(first // 12, last // 12 + 1)
    ]


class _MonthRow(NamedTuple):
    number: int  # year * 12 + month - 1
    date_precision: str
    events: int
    rated: int
    tone_total: int


def _month_of_start(dialect: str):
    """The month an event starts in, as 'YYYY-MM': one cheap key to group by."""
    if dialect == "sqlite":
        # SQLite keeps dates as ISO text: cutting it is several times cheaper than strftime.
        return func.substr(event.c.start_date, literal_column("1"), literal_column("7"), type_=String)
    return func.to_char(event.c.start_date, literal_column("'YYYY-MM'"), type_=String)


def _month_span(number: int) -> tuple[str, date, date]:
    year, month = divmod(number, 12)
    start = date(year, month + 1, 1)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return f"{year:04d}-{month + 1:02d}", start, following - timedelta(days=1)
