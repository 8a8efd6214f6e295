"""Any timeline view as a file: CSV, iCalendar, Atom, TimelineJS, and an embeddable page.

Each export takes the timeline's own filters and reads through the same query builder, so a
view's export holds exactly the events the view shows.
"""

import json
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlmodel import Session

from app import queries
from app.errors import EventNotFound
from app.filters import FilterQuery, PageRequest, TimelineFilter, parse_filter
from app.formats import atom, ical, spreadsheet, timelinejs
from app.list_position import ListQuery, parse_list
from app.queries.window import event_window
from app.routes.api import ErrorMessage
from app.routes.session import SessionDep
from app.templating import site_url, templates, timeline_url

router = APIRouter(tags=["exports"])

FEED_SIZE = 50
# Events per batch of a streamed export: each batch is read and written on a worker thread.
BATCH_SIZE = 500
# Calendar programs load a whole file at once, and writing an event takes the library about a
# millisecond: larger views are cut to their first events, and the file says so.
MAX_CALENDAR_EVENTS = 2000


def _event_url(request: Request, slug: str) -> str:
    return site_url(request, f"/events/{slug}")


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/events.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}})
def events_csv(request: Request, session: SessionDep, params: FilterQuery):
    """The view's events as CSV, one row per event, streamed."""
    timeline_filter = parse_filter(params, queries.stats(session))

    def write(items: list, first: bool) -> str:
        rows = (spreadsheet.event_row(item, _event_url(request, item.slug)) for item in items)
        return "".join(spreadsheet.write_rows(rows, header=first))

    return StreamingResponse(
        _stream(request, timeline_filter, write, details=True),
        media_type="text/csv; charset=utf-8",
        headers=_attachment("events.csv"),
    )


@router.get("/events/statements.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}})
def statements_csv(request: Request, session: SessionDep, params: FilterQuery):
    """The statements of the view's events as CSV, one row per statement, streamed."""
    timeline_filter = parse_filter(params, queries.stats(session))

    def write(items: list, first: bool) -> str:
        rows = (row for item in items for row in spreadsheet.statement_rows(item, _event_url(request, item.slug)))
        return "".join(spreadsheet.write_rows(rows, spreadsheet.STATEMENT_COLUMNS, header=first))

    return StreamingResponse(
        _stream(request, timeline_filter, write, details=True),
        media_type="text/csv; charset=utf-8",
        headers=_attachment("statements.csv"),
    )


@router.get("/events.ics", response_class=StreamingResponse, responses={200: {"content": {"text/calendar": {}}}})
def events_ics(request: Request, session: SessionDep, params: FilterQuery):
    """The view's events as an iCalendar file of all-day events."""
    timeline_filter = parse_filter(params, queries.stats(session))
    name = f"{request.app.state.settings.site_name}: {timeline_filter.describe(queries.stats(session))}"
    total = queries.count_events(session, timeline_filter)
    if total > MAX_CALENDAR_EVENTS:
        name += f" (the first {MAX_CALENDAR_EVENTS:,} of {total:,} events)"
    domain = _uid_domain(request)
    head, tail = ical.calendar(name, domain).to_ical().decode().split("END:VCALENDAR")

    def write(items: list, first: bool) -> str:
        events = (ical.calendar_event(item, _event_url(request, item.slug), domain) for item in items)
        return (head if first else "") + "".join(event.to_ical().decode() for event in events)

    return StreamingResponse(
        _stream(request, timeline_filter, write, limit=MAX_CALENDAR_EVENTS, tail="END:VCALENDAR" + tail),
        media_type="text/calendar; charset=utf-8",
        headers={**_attachment("events.ics"), "X-Total-Count": str(total)},
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
    domain = _uid_domain(request)
    calendar = ical.calendar(item.title, domain)
    calendar.add_component(ical.calendar_event(item, _event_url(request, item.slug), domain))
    return Response(calendar.to_ical(), media_type="text/calendar; charset=utf-8", headers=_attachment(f"{slug}.ics"))


def _uid_domain(request: Request) -> str:
    return urlsplit(site_url(request, "/")).hostname or "localhost"


async def _stream(
    request: Request,
    timeline_filter: TimelineFilter,
    write: Callable[[list, bool], str],
    *,
    details: bool = False,
    limit: int | None = None,
    tail: str = "",
) -> AsyncIterator[str]:
    """A view's export, a batch at a time: `write(items, first)` turns each batch into text.

    Each batch is read and written on a thread kept for exports, with a session of its own, closed
    before the text is sent: while a client is slow to read, it holds no thread and no database connection.
    """
    engine = request.app.state.engine
    export_threads = request.app.state.export_threads

    def next_batch(after, size: int):
        with Session(engine) as session:
            page = queries.list_events(session, timeline_filter, PageRequest(after, size), details=details)
        return page, write(page.items, after is None)

    after, written = None, 0
    while True:
        size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - written)
        page, text = await anyio.to_thread.run_sync(next_batch, after, size, limiter=export_threads)
        yield text
        written += len(page.items)
        if page.next_cursor is None or written == limit:
            break
        after = page.next_cursor
    yield tail


@router.get("/feed.atom", response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def feed_atom(request: Request, session: SessionDep, params: FilterQuery):
    """The newest events of the view as an Atom feed."""
    timeline_filter = parse_filter(params, queries.stats(session)).replace(order="desc")
    page = queries.list_events(session, timeline_filter, PageRequest(None, FEED_SIZE))
    view = timeline_filter.replace(order="asc")
    body = atom.feed(
        title=f"{request.app.state.settings.site_name}: {view.describe(queries.stats(session))}",
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
    timeline_filter = parse_filter(params, queries.stats(session))
    description = timeline_filter.describe(queries.stats(session))
    title_slide = timelinejs.document(request.app.state.settings.site_name, description, [])["title"]

    def write(items: list, first: bool) -> str:
        head = '{"title": ' + json.dumps(title_slide, ensure_ascii=False) + ', "events": [' if first else ""
        slides = (
            json.dumps(timelinejs.event_slide(item, _event_url(request, item.slug)), ensure_ascii=False)
            for item in items
        )
        return head + "".join(
            ("" if first and position == 0 else ",") + "\n" + slide for position, slide in enumerate(slides)
        )

    return StreamingResponse(_stream(request, timeline_filter, write, tail="\n]}\n"), media_type="application/json")


@router.get("/embed", response_class=HTMLResponse, include_in_schema=False)
def embed(request: Request, session: SessionDep, params: FilterQuery, position: ListQuery):
    """A compact view of the filtered timeline, made to sit in an iframe on another site; like the
    timeline, it starts where `at` says."""
    size = request.app.state.settings.page_size
    timeline_filter, list_request = parse_list(params, position, queries.stats(session), size)
    return templates.TemplateResponse(
        request,
        "embed.html",
        {
            "filter": timeline_filter,
            "position": list_request,
            "page": event_window(session, timeline_filter, list_request),
            "total": queries.count_events(session, timeline_filter),
            "description": timeline_filter.describe(queries.stats(session)),
        },
    )
