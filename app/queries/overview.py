"""The overview of a view: its events per month, with their tone, from which the bars by year or month
and the navigator's periods at every zoom are summed; and the events the navigator marks one by one."""

from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import String, func, literal_column, select
from sqlmodel import Session

from app.filters import TimelineFilter
from app.models import Precision
from app.queries.planner import filtered
from app.queries.stats import cached
from app.queries.tables import event
from app.queries.views import Period


def month_counts(session: Session, timeline_filter: TimelineFilter) -> "tuple[MonthCount, ...]":
    """The view's events counted by the month they start in and their date's precision, cached like counts."""
    timeline_filter = timeline_filter.replace(order="asc")
    return cached(session, ("months", timeline_filter), lambda: read_month_counts(session, timeline_filter))


def read_month_counts(session: Session, timeline_filter: TimelineFilter) -> "tuple[MonthCount, ...]":
    """One grouped query: as many rows as months with events, at most three precisions each."""
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
    return tuple(MonthCount(int(row.month[:4]) * 12 + int(row.month[5:7]) - 1, *row[1:]) for row in rows)


def periods_between(rows: "tuple[MonthCount, ...]", first: int, last: int, by_month: bool) -> list[Period]:
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


class MonthCount(NamedTuple):
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


class Mark(NamedTuple):
    """An event as the navigator marks it on its axis: where, how long, how important."""

    start_date: date
    date_precision: Precision
    end_date: date | None
    importance: int


def marks(session: Session, timeline_filter: TimelineFilter, first: date, last: date, limit: int) -> list[Mark]:
    """The view's events that overlap `first`..`last`, in date order, at most `limit` of them: the
    navigator asks only when its month counts say that few are there."""
    date_from = max(first, timeline_filter.date_from) if timeline_filter.date_from else first
    date_to = min(last, timeline_filter.date_to) if timeline_filter.date_to else last
    within = timeline_filter.replace(order="asc", date_from=date_from, date_to=date_to)
    columns = [event.c[name] for name in Mark._fields]
    statement = filtered(session, select(*columns).select_from(event), within, limit)
    rows = session.execute(statement.order_by(event.c.start_date, event.c.id).limit(limit)).all()
    return [Mark(row.start_date, Precision(row.date_precision), row.end_date, row.importance) for row in rows]
