"""Link-preview card images (og:image): one per event, and one per view of the timeline.

A card is drawn once per data version: its answer carries the data version's ETag like any page,
so the rendered-response cache (app/caching.py) keeps it and a revalidation costs no drawing.
"""

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from app import cards, queries
from app.errors import EventNotFound
from app.filters import FilterQuery, PageRequest, TimelineFilter, parse_filter
from app.routes.session import SessionDep
from app.templating import TONE_LABELS, when

# Images for link previews, not data: left out of /openapi.json.
router = APIRouter(include_in_schema=False)


def _png(body: bytes) -> Response:
    return Response(body, media_type="image/png")


@router.get("/events/{slug}/card.png", response_class=Response)
def event_card(request: Request, session: SessionDep, slug: str):
    """An event's link-preview image, 1200×630: its date, title, countries and tone."""
    item = queries.get_event(session, slug)
    if item is None:
        raise EventNotFound(slug)
    card = cards.EventCard(
        site_name=request.app.state.settings.site_name,
        when=when(item),
        title=item.title,
        countries=[name for _, name in item.countries + item.concerns],
        tone=item.tone,
        tone_label=TONE_LABELS.get(item.tone) if item.tone is not None else None,
    )
    return _png(cards.event_card(card))


@router.get("/card.png", response_class=Response)
def view_card(request: Request, session: SessionDep, params: FilterQuery):
    """A view's link-preview image, 1200×630: the filters in words, its events, years and key events."""
    timeline_filter = parse_filter(params, queries.stats(session))
    return _png(cards.view_card(_view_card(request, session, timeline_filter)))


def _view_card(request: Request, session: Session, timeline_filter: TimelineFilter) -> cards.ViewCard:
    """What a view's card says: its name and figures."""
    description = timeline_filter.describe(queries.stats(session))
    total = queries.count_events(session, timeline_filter)
    figures = [(f"{total:,}", "event" if total == 1 else "events")]
    if total:
        first = queries.list_events(session, timeline_filter.replace(order="asc"), PageRequest(None, 1)).items[0]
        latest = queries.list_events(session, timeline_filter.replace(order="desc"), PageRequest(None, 1)).items[0]
        years = f"{first.start_date.year}–{latest.start_date.year}"
        figures.append((years, "years") if first.start_date.year != latest.start_date.year else (years[:4], "year"))
        if timeline_filter.importance != 1:
            key = queries.count_events(session, timeline_filter.replace(importance=1))
            figures.append((f"{key:,}", "key event" if key == 1 else "key events"))
    return cards.ViewCard(
        site_name=request.app.state.settings.site_name,
        title=description[:1].upper() + description[1:],
        figures=figures,
    )
