"""An event's chain: the events linked to it, directly or through others, before and after it."""

from sqlalchemy import CTE, Integer, Row, String, and_, case, cast, literal_column, null, or_, select
from sqlmodel import Session

from app.models import LinkType
from app.queries.tables import event, event_link
from app.queries.views import Chain, ChainItem, EventView

# How far a chain is followed from an event, and how many events it shows at most.
CHAIN_DEPTH = 10
CHAIN_SIZE = 30


# A link read from the event it is declared on, and read from its target.
LINK_WORDS = {
    LinkType.led_to: ("led to", "followed from"),
    LinkType.response_to: ("in response to", "answered by"),
    LinkType.follow_up_of: ("follow-up of", "followed up by"),
    LinkType.part_of: ("part of", "includes"),
}


def chain(session: Session, current: EventView) -> Chain:
    """The events linked to this one, directly or through others, before and after it.

    Every link has an earlier and a later end ('A led_to B': A then B; 'A response_to',
    'follow_up_of' or 'part_of B': B then A). One recursive query walks from the event to the later
    ends (after) and to the earlier ends (before), CHAIN_DEPTH links at most; UNION drops repeated
    steps, so cycles and diamonds stay small.
    """
    walk = _walk(current.id)
    nearest: dict[int, Row] = {}
    for row in session.execute(
        select(walk).where(walk.c.depth > 0).order_by(walk.c.depth, walk.c.direction.desc(), walk.c.via, walk.c.id)
    ):
        if row.id != current.id and row.id not in nearest:
            nearest[row.id] = row
    kept = list(nearest.values())[:CHAIN_SIZE]
    if not kept:
        return Chain([], [])
    return _chain_of(session, kept)


def _walk(event_id: int) -> CTE:
    """The recursive walk from an event along its links: one row per step, with the event it came from."""
    is_led_to = event_link.c.type == LinkType.led_to.value
    walk = (
        select(
            event.c.id,
            # 0 at the event itself, then 1 along the chain's later ends and -1 along its earlier ends.
            literal_column("0", Integer).label("direction"),
            literal_column("0", Integer).label("depth"),
            cast(null(), Integer).label("via"),
            cast(null(), String(20)).label("type"),
            cast(null(), Integer).label("declared_by"),
        )
        .where(event.c.id == event_id)
        .cte("chain", recursive=True)
    )
    here = walk.c.id
    is_earlier_end = or_(
        and_(is_led_to, event_link.c.event_id == here), and_(~is_led_to, event_link.c.target_id == here)
    )
    is_later_end = or_(and_(is_led_to, event_link.c.target_id == here), and_(~is_led_to, event_link.c.event_id == here))
    goes_later = and_(walk.c.direction >= 0, is_earlier_end)
    goes_earlier = and_(walk.c.direction <= 0, is_later_end)
    step = (
        select(
            case((event_link.c.event_id == here, event_link.c.target_id), else_=event_link.c.event_id),
            case((goes_later, 1), else_=-1),
            walk.c.depth + 1,
            here,
            event_link.c.type,
            event_link.c.event_id,
        )
        .select_from(walk)
        .join(event_link, or_(goes_later, goes_earlier))
        .where(walk.c.depth < CHAIN_DEPTH)
    )
    return walk.union(step)


def _chain_of(session: Session, kept: list[Row]) -> Chain:
    """The steps kept, each with its event and the one it was reached from, in date order either side."""
    ids = {row.id for row in kept} | {row.via for row in kept}
    columns = [event.c.id, event.c.slug, event.c.title, event.c.start_date, event.c.date_precision]
    columns += [event.c.end_date, event.c.end_precision]
    events = {row.id: row for row in session.execute(select(*columns).where(event.c.id.in_(ids)))}
    before, after = [], []
    for row in kept:
        item, via = events[row.id], events[row.via]
        said_by_item, said_by_via = LINK_WORDS[LinkType(row.type)]
        relation = said_by_item if row.declared_by == row.id else said_by_via
        entry = ChainItem(
            item.slug,
            item.title,
            item.start_date,
            item.date_precision,
            item.end_date,
            item.end_precision,
            relation,
            via.slug,
            via.title,
        )
        (after if row.direction == 1 else before).append((item.start_date, item.id, entry))
    return Chain([entry for *_, entry in sorted(before)], [entry for *_, entry in sorted(after)])
