"""The timeline list's window: the events of a view between two positions, how many lie before and
after them (ranks in the event index), and how many each of their years holds (for month headings)."""

from dataclasses import dataclass

from sqlmodel import Session

from app.filters import MAX_PAGE_SIZE, Cursor, TimelineFilter
from app.list_position import ListRequest
from app.queries.event_index import event_index
from app.queries.events import count_events, read_events
from app.queries.matches import view_matches
from app.queries.overview import month_counts
from app.queries.views import EventView

# A window restored from its address (after and until) shows at most this many events; a reader who
# loaded more sees the first of them and a "later" control for the rest.
MAX_WINDOW = MAX_PAGE_SIZE


@dataclass
class EventWindow:
    items: list[EventView]
    earlier: int  # the view's events before the first shown, in the view's order
    later: int  # and after the last
    previous: EventView | None  # the event just before the first shown, when there is one


def position_of(item: EventView) -> Cursor:
    return Cursor(item.start_date, item.id)


def start_of(item: EventView, order: str) -> Cursor:
    """The position just before an event in the view's order: `after` it, a list starts with the event.

    Positions are (day, id) with whole ids, so the one before (day, id) is (day, id - 1) oldest first.
    """
    return Cursor(item.start_date, item.id + (1 if order == "desc" else -1))


def event_window(
    session: Session, timeline_filter: TimelineFilter, position: ListRequest, fallback: bool = True
) -> EventWindow:
    """The events at a position of the list. With `fallback` never none while the view has some: a
    start past the view's end (`at=9999`) shows its last events, an end before its start its first."""
    size = position.size
    starts = position.after is not None or position.at is not None
    if starts and position.until is not None:
        items = read_events(
            session, timeline_filter, MAX_WINDOW, after=position.after, at=position.at, until=position.until
        )
    elif position.until is not None:
        items = read_events(session, timeline_filter, size + 1, until=position.until, backwards=True)
    else:
        items = read_events(session, timeline_filter, size, after=position.after, at=position.at)
    if not items and fallback:
        backwards = starts
        items = read_events(session, timeline_filter, size + 1 if backwards else size, backwards=backwards)
        starts = not backwards
    previous = None
    if not starts and len(items) > size:
        # A page read backwards: its first row is the event before the page.
        previous, items = items[0], items[1:]
    if not items:
        return EventWindow([], 0, 0, None)
    total = count_events(session, timeline_filter)
    earlier = count_before(session, timeline_filter, position_of(items[0]))
    if earlier and previous is None:
        before_first = start_of(items[0], timeline_filter.order)
        previous = read_events(session, timeline_filter, 1, until=before_first, backwards=True)[0]
    return EventWindow(items, earlier, total - earlier - len(items), previous)


def count_before(session: Session, timeline_filter: TimelineFilter, position: Cursor) -> int:
    """How many of the view's events come before a position in its order: a rank in the event index."""
    matches = view_matches(session, timeline_filter)
    return event_index(session).count_before(matches, position, descending=timeline_filter.order == "desc")


def events_per_year(session: Session, timeline_filter: TimelineFilter) -> dict[int, int]:
    """How many of the view's events each year holds: summed from its events per month, the one
    grouped read the navigator draws from too (kept like a count)."""
    per_year: dict[int, int] = {}
    for row in month_counts(session, timeline_filter):
        per_year[row.number // 12] = per_year.get(row.number // 12, 0) + row.events
    return per_year
