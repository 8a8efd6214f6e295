"""Embeds: a view of the timeline, or one event, made to sit in an iframe on another site.

Only these pages may be framed by other sites (app/middleware.py, FRAMEABLE_PATHS); each takes
`theme` so the host page can match its own colours.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app import queries
from app.errors import EventNotFound
from app.filters import FilterQuery
from app.list_position import ListQuery, parse_list
from app.queries.window import event_window
from app.routes.session import SessionDep
from app.templating import templates

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

ThemeQuery = Annotated[
    Literal["auto", "light", "dark"],
    Query(description="auto follows the reader's system setting; light or dark forces one"),
]


@router.get("/embed")
def view_embed(
    request: Request, session: SessionDep, params: FilterQuery, position: ListQuery, theme: ThemeQuery = "auto"
):
    """A compact view of the filtered timeline: a page of its events, from where `at` says as on the
    timeline, and a link to the rest."""
    size = request.app.state.settings.page_size
    timeline_filter, list_request = parse_list(params, position, queries.stats(session), size)
    return templates.TemplateResponse(
        request,
        "embed.html",
        {
            "theme": theme,
            "filter": timeline_filter,
            "position": list_request,
            "page": event_window(session, timeline_filter, list_request),
            "total": queries.count_events(session, timeline_filter),
            "description": timeline_filter.describe(queries.stats(session)),
        },
    )


@router.get("/events/{slug}/embed")
def event_embed(request: Request, session: SessionDep, slug: str, theme: ThemeQuery = "auto"):
    """One event as a card: its date, title, summary, countries, topics and sources."""
    item = queries.get_event(session, slug)
    if item is None:
        raise EventNotFound(slug)
    return templates.TemplateResponse(request, "embed_event.html", {"theme": theme, "event": item})
