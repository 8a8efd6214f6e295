"""Where eras begin and end among a page of events: the marks that templates/_page_of_events.html
writes between the events of the list."""

import bisect
from dataclasses import dataclass, field
from datetime import date

from app.dates import format_date
from app.filters import Cursor, TimelineFilter
from app.queries import EraView, EventView
from app.templating import era_url


@dataclass(frozen=True)
class EraMark:
    era: EraView
    begins: bool
    day: date
    href: str  # the view narrowed to the era

    @property
    def when(self) -> str:
        if self.begins:
            return format_date(self.era.start_date, self.era.date_precision)
        return format_date(self.era.end_date, self.era.end_precision)

    @property
    def when_iso(self) -> str:
        return self.era.from_text if self.begins else self.era.to_text


@dataclass
class EraMarks:
    """The era marks of one page of events, by the id of the event they go before or after."""

    before: dict[int, list[EraMark]] = field(default_factory=dict)
    after: dict[int, list[EraMark]] = field(default_factory=dict)


def era_marks(
    items: list[EventView],
    eras: list[EraView],
    timeline_filter: TimelineFilter,
    after: Cursor | None,
    last_page: bool,
) -> EraMarks:
    """Where eras begin and end among a page of events.

    A mark sits where its day falls in the order of the events: a beginning before the events of its
    day, an end after them. It goes with the event after it when they share a year (it is shown under
    that year's heading), else with the event before it. Marks before the first event of the timeline
    or after its last are outside the events shown, unless they fall on that event's day; marks after
    the last event of a page that has a next one are shown at the top of the next page.
    """
    marks = EraMarks()
    if not items or not eras:
        return marks
    order = _Order(-1 if timeline_filter.order == "desc" else 1)
    keys = [order.key(item.start_date, _EVENT, item.id) for item in items]
    lower = order.key(after.start_date, _EVENT, after.event_id) if after is not None else None
    for key, mark in _placed_marks(eras, timeline_filter, order):
        if lower is not None and key <= lower:
            continue
        index = bisect.bisect_left(keys, key)
        before_item = items[index - 1] if index > 0 else None
        next_item = items[index] if index < len(items) else None
        if not _shown(mark, before_item, next_item, first_page=after is None, last_page=last_page):
            continue
        if _goes_before(mark, before_item, next_item):
            marks.before.setdefault(next_item.id, []).append(mark)
        else:
            marks.after.setdefault(before_item.id, []).append(mark)
    return marks


# Within a day, beginnings come before its events and ends after them.
_BEGINNING, _EVENT, _END = 0, 1, 2


@dataclass(frozen=True)
class _Order:
    sign: int  # 1 oldest first, -1 newest first

    def key(self, day: date, rank: int, event_id: int = 0) -> tuple[int, int, int]:
        """Where a day's beginning, event or end falls in the page's order."""
        return (self.sign * day.toordinal(), self.sign * rank, self.sign * event_id)


def _placed_marks(
    eras: list[EraView], timeline_filter: TimelineFilter, order: _Order
) -> list[tuple[tuple[int, int, int], EraMark]]:
    """Each era's beginning and end, with its place in the page's order, in that order."""
    marks = []
    for era in eras:
        href = era_url(timeline_filter, era)
        marks += [EraMark(era, True, era.start_date, href), EraMark(era, False, era.last_date, href)]
    placed = [(order.key(mark.day, _BEGINNING if mark.begins else _END), mark) for mark in marks]
    return sorted(placed, key=lambda pair: pair[0])


def _shown(
    mark: EraMark,
    before_item: EventView | None,
    next_item: EventView | None,
    first_page: bool,
    last_page: bool,
) -> bool:
    """Whether a mark falling between these two events is shown on this page."""
    if next_item is None:
        # After the page's last event: the next page shows it, or it is past the timeline's end.
        return last_page and mark.day == before_item.start_date
    if before_item is None and first_page:
        return mark.day == next_item.start_date  # else before the timeline's first event
    return True


def _goes_before(mark: EraMark, before_item: EventView | None, next_item: EventView | None) -> bool:
    """Whether a mark goes with the event after it (under that event's year heading), not before."""
    return next_item is not None and (before_item is None or next_item.start_date.year == mark.day.year)
