"""The timeline list as templates/_page_of_events.html draws it: a window of a view's events, the
controls that load more of them either way, and the marks that stand between them.

A list is whole (the page, or the results after a filter change), or a part that htmx adds to the
list on screen: the page `later` than it, or `earlier`. Either part asks with the address of the
list on screen, so the answer knows both of its ends: it says the list's new address (htmx puts it
in the address bar, so that reload and Back show the same events) and redraws both controls.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel import Session

from app import queries
from app.elapsed import DENSE_YEAR, ElapsedMarks, elapsed_marks
from app.era_marks import EraMarks, era_marks
from app.filters import Cursor, TimelineFilter
from app.list_position import ListRequest
from app.queries.window import EventWindow, count_before, event_window, events_per_year, position_of, start_of
from app.templating import timeline_url

Part = Literal["whole", "later", "earlier"]
# A start past every event: the view's newest events, oldest first (or its oldest, newest first).
PAST_THE_END = {"asc": "9999", "desc": "0001"}
# A start before every event, where the address of a list that starts with the view's first event
# needs one (up to `until` alone is the page that ends there).
BEFORE_THE_START = {"asc": "0001", "desc": "9999"}


@dataclass
class EventList:
    part: Part
    window: EventWindow  # the events this answer adds (all of them, for a whole list)
    # The list on screen once they are added: its address, where it starts (None: at the view's
    # first event) and ends, and how many events lie beyond either end.
    address: str
    start: Cursor | None
    end: Cursor | None
    earlier: int
    later: int
    earlier_href: str  # without JavaScript: the page before the list on screen, and after it
    later_href: str
    first_href: str  # the view's first events, and its last (its newest, oldest first)
    last_href: str
    era_marks: EraMarks
    elapsed: ElapsedMarks


def event_list(
    session: Session, timeline_filter: TimelineFilter, position: ListRequest, part: Part, default_size: int
) -> EventList:
    """The whole list at a position, or the part of it a "later" or "earlier" control asks for."""
    order = timeline_filter.order
    if part == "later":
        # The list on screen ends at `until`; the page after it follows.
        window = event_window(session, timeline_filter, _page(position, after=position.until), fallback=False)
        start = position.after
        end = position_of(window.items[-1]) if window.items else position.until
        earlier = count_before(session, timeline_filter, _first_after(start, order)) if start else 0
        later = window.later
    elif part == "earlier":
        # The list on screen starts after `after`; the page up to it comes before.
        window = event_window(session, timeline_filter, _page(position, until=position.after), fallback=False)
        start = start_of(window.items[0], order) if window.earlier else None
        end = position.until
        earlier = window.earlier
        later = queries.count_events(session, timeline_filter) - count_before(session, timeline_filter, end) - 1
    else:
        window = event_window(session, timeline_filter, position)
        start = start_of(window.items[0], order) if window.earlier else None
        end = position_of(window.items[-1]) if window.items else None
        earlier, later = window.earlier, window.later

    def url(**where) -> str:
        limit = position.size if position.size != default_size else None
        return timeline_url(timeline_filter, span=position.span, limit=limit, **where)

    # The gap above the first event is marked only where the event before it is on screen.
    previous = window.previous.start_date if window.previous and part == "later" else None
    following = position.after.start_date if part == "earlier" and position.after else None
    return EventList(
        part=part,
        window=window,
        address=url(after=start, until=end) if start else url(at=BEFORE_THE_START[order], until=end),
        start=start,
        end=end,
        earlier=earlier,
        later=later,
        earlier_href=url(until=start) if start else url(),
        later_href=url(after=end),
        first_href=url(),
        # At the end of the list, scrolled so that its last events fill the screen (app.css #later:target).
        last_href=url(at=PAST_THE_END[order]) + "#later",
        era_marks=era_marks(
            window.items,
            queries.eras(session, timeline_filter),
            timeline_filter,
            position_of(window.previous) if window.previous else None,
            window.later == 0,
        ),
        elapsed=elapsed_marks(
            window.items, previous, following, _dense_years(session, timeline_filter, window, previous, following)
        ),
    )


def _page(position: ListRequest, **where) -> ListRequest:
    return ListRequest(after=where.get("after"), size=position.size, until=where.get("until"))


def _first_after(start: Cursor, order: str) -> Cursor:
    """The position of the event a list starting after `start` begins with (see window.start_of)."""
    return Cursor(start.start_date, start.event_id + (-1 if order == "desc" else 1))


def _dense_years(
    session: Session, timeline_filter: TimelineFilter, window: EventWindow, *neighbours: date | None
) -> set[int]:
    """The years, among those of these events and their neighbours on screen, that get month headings."""
    if not window.items:
        return set()
    years = {item.start_date.year for item in window.items} | {day.year for day in neighbours if day}
    counts = events_per_year(session, timeline_filter)
    return {year for year in years if counts.get(year, 0) > DENSE_YEAR}
