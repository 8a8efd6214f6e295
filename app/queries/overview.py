"""The overview of a view: its events per month, with their tone, from which the bars by year or month
and the navigator's periods at every zoom are summed; and the events the navigator marks one by one."""

from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from app.filters import TimelineFilter
from app.models import Precision
from app.queries.event_index import event_index
from app.queries.matches import view_matches
from app.queries.tables import event
from app.queries.versioned import cached
from app.queries.views import MonthCount, Period


def month_counts(session: Session, timeline_filter: TimelineFilter) -> tuple[MonthCount, ...]:
    """The view's events counted by the month they start in and their date's precision, with their
    tones; kept like a count, since the navigator's every step and the list's month headings ask."""
    timeline_filter = timeline_filter.replace(order="asc")
    return cached(
        session,
        ("months", timeline_filter),
        lambda: tuple(event_index(session).month_counts(view_matches(session, timeline_filter))),
    )


def periods_between(rows: tuple[MonthCount, ...], first: int, last: int, by_month: bool) -> list[Period]:
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
    index = event_index(session)
    ids = index.ids_between(view_matches(session, within), limit, index.bounds(False, None, None, None), False)
    columns = [event.c[name] for name in Mark._fields]
    statement = select(*columns).where(event.c.id.in_(ids)).order_by(event.c.start_date, event.c.id)
    rows = session.execute(statement).all() if ids else []
    return [Mark(row.start_date, Precision(row.date_precision), row.end_date, row.importance) for row in rows]
