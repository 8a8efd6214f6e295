"""Any timeline view as a file: CSV, iCalendar, Atom, TimelineJS, and an embeddable page.

Each export takes the timeline's own filters and reads through the same query builder, so a
view's export holds exactly the events the view shows.
"""

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from app import queries
from app.errors import EventNotFound
from app.filters import FilterQuery, PageRequest, parse_filter
from app.formats import atom, ical, spreadsheet, timelinejs
from app.queries import describe_filter
from app.routes.api import ErrorMessage
from app.routes.session import SessionDep
from app.templating import site_url, templates, timeline_url

router = APIRouter(tags=["exports"])

FEED_SIZE = 50


def _event_url(request: Request, slug: str) -> str:
    return site_url(request, f"/events/{slug}")


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/events.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}})
def events_csv(request: Request, session: SessionDep, params: FilterQuery):
    """The view's events as CSV, one row per event, streamed."""
    timeline_filter = parse_filter(params, session)
    rows = (
        spreadsheet.event_row(item, _event_url(request, item.slug))
        for item in queries.iter_events(session, timeline_filter, details=True)
    )
    return StreamingResponse(
        spreadsheet.write_rows(rows), media_type="text/csv; charset=utf-8", headers=_attachment("events.csv")
    )


@router.get("/events/statements.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}})
def statements_csv(request: Request, session: SessionDep, params: FilterQuery):
    """The statements of the view's events as CSV, one row per statement, streamed."""
    timeline_filter = parse_filter(params, session)
    rows = (
        row
        for item in queries.iter_events(session, timeline_filter, details=True)
        for row in spreadsheet.statement_rows(item, _event_url(request, item.slug))
    )
    return StreamingResponse(
        spreadsheet.write_rows(rows, spreadsheet.STATEMENT_COLUMNS),
        media_type="text/csv; charset=utf-8",
        headers=_attachment("statements.csv"),
    )


@router.get("/events.ics", response_class=StreamingResponse, responses={200: {"content": {"text/calendar": {}}}})
def events_ics(request: Request, session: SessionDep, params: FilterQuery):
    """The view's events as an iCalendar file of all-day events."""
    timeline_filter = parse_filter(params, session)
    items = queries.iter_events(session, timeline_filter)
    name = f"{request.app.state.settings.site_name}: {describe_filter(session, timeline_filter)}"
    return StreamingResponse(
        _calendar_chunks(request, name, items),
        media_type="text/calendar; charset=utf-8",
        headers=_attachment("events.ics"),
    )


@router.get(
    "/events/{slug}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, 404: {"model": ErrorMessage}},
)
def event_ics(request: Request, session: SessionDep, slug: str):
    """One event as an iCalendar file."""
    item = queries.get_event(session, slug)
    if item is None:
        raise EventNotFound(slug)
    body = "".join(_calendar_chunks(request, item.title, iter([item])))
    return Response(body, media_type="text/calendar; charset=utf-8", headers=_attachment(f"{slug}.ics"))


def _calendar_chunks(request: Request, name: str, items) -> Iterator[str]:
    # The calendar is written event by event, so a large view never sits in memory whole.
    domain = urlsplit(site_url(request, "/")).hostname or "localhost"
    head, tail = ical.calendar(name, domain).to_ical().decode().split("END:VCALENDAR")
    yield head
    for item in items:
        yield ical.calendar_event(item, _event_url(request, item.slug), domain).to_ical().decode()
    yield "END:VCALENDAR" + tail


@router.get("/feed.atom", response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def feed_atom(request: Request, session: SessionDep, params: FilterQuery):
    """The newest events of the view as an Atom feed."""
    timeline_filter = parse_filter(params, session).replace(order="desc")
    page = queries.list_events(session, timeline_filter, PageRequest(None, FEED_SIZE))
    view = timeline_filter.replace(order="asc")
    body = atom.feed(
        title=f"{request.app.state.settings.site_name}: {describe_filter(session, view)}",
        view_url=site_url(request, timeline_url(view)),
        feed_url=site_url(request, timeline_url(view, path="/feed.atom")),
        items=[(item, _event_url(request, item.slug)) for item in page.items],
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get(
    "/timelinejs.json",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}}}},
)
def timelinejs_json(request: Request, session: SessionDep, params: FilterQuery):
    """The view as a Knight Lab TimelineJS3 document."""
    timeline_filter = parse_filter(params, session)
    description = describe_filter(session, timeline_filter)
    title_slide = timelinejs.document(request.app.state.settings.site_name, description, [])["title"]
    slides = (
        timelinejs.event_slide(item, _event_url(request, item.slug))
        for item in queries.iter_events(session, timeline_filter)
    )
    return StreamingResponse(_json_document(title_slide, slides), media_type="application/json")


def _json_document(title: dict, slides) -> Iterator[str]:
    yield '{"title": ' + json.dumps(title, ensure_ascii=False) + ', "events": ['
    for position, slide in enumerate(slides):
        yield ("," if position else "") + "\n" + json.dumps(slide, ensure_ascii=False)
    yield "\n]}\n"


@router.get("/embed", response_class=HTMLResponse, include_in_schema=False)
def embed(request: Request, session: SessionDep, params: FilterQuery):
    """A compact view of the filtered timeline, made to sit in an iframe on another site."""
    timeline_filter = parse_filter(params, session)
    size = request.app.state.settings.page_size
    return templates.TemplateResponse(
        request,
        "embed.html",
        {
            "filter": timeline_filter,
            "page": queries.list_events(session, timeline_filter, PageRequest(None, size)),
            "total": queries.count_events(session, timeline_filter),
            "description": describe_filter(session, timeline_filter),
        },
    )
