"""HTML pages: the timeline (full page or htmx fragment), its print view, event pages, about."""

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from app import queries
from app.caching import VARY
from app.config import PROJECT_DIR
from app.errors import EventNotFound
from app.event_list import Part, event_list
from app.filters import FilterQuery, InvalidFilter, PageRequest, TimelineFilter, parse_filter
from app.htmx import requested_fragment
from app.list_position import ListQuery, ListRequest, parse_list
from app.navigator import navigator
from app.routes.session import SessionDep
from app.templating import templates

# Pages are for people; the API and the exports are what /openapi.json describes.
router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

# A printed view is one document, made at once like a calendar file (exports.MAX_CALENDAR_EVENTS):
# larger views are cut to their first events, and the page says so.
MAX_PRINTED_EVENTS = 2000
# Fields of the filter form that show their own error message.
FORM_FIELDS = ("country", "topic", "from", "to", "q", "importance", "order")


@router.get("/", name="timeline")
def timeline(request: Request, session: SessionDep, params: FilterQuery, position: ListQuery):
    """The timeline: the whole page, or with htmx only the results (or the events after or before
    the list on screen)."""
    fragment = requested_fragment(request.headers)
    default_size = request.app.state.settings.page_size
    try:
        timeline_filter, list_request = parse_list(params, position, queries.stats(session), default_size)
        invalid = None
    except InvalidFilter as error:
        timeline_filter, list_request, invalid = TimelineFilter(), None, error

    context = {
        "filter": timeline_filter,
        "params": params,
        "errors": invalid.for_param() if invalid else {},
        "form_fields": FORM_FIELDS,
        "position": list_request,
        "events": None,
        "total": 0,
    }
    part = _list_part(fragment, list_request)
    if list_request is not None and fragment != "navigator":
        context["events"] = event_list(session, timeline_filter, list_request, part, default_size)
        context["total"] = queries.count_events(session, timeline_filter)
    status = 422 if invalid else 200

    if fragment == "navigator" and list_request is not None:
        # A zoom or a pan: the navigator alone, the list as it is.
        context["navigator"] = _navigator(session, timeline_filter, list_request, None)
        template = "_navigator.html" if context["navigator"] else "_results.html"
    elif part != "whole":
        template = "_page_of_events.html"
    else:
        context["country_facets"] = queries.country_facets(session, timeline_filter)
        context["topic_facets"] = queries.topic_facets(session, timeline_filter)
        context["description"] = timeline_filter.describe(queries.stats(session))
        if context["total"]:
            context["navigator"] = _navigator(session, timeline_filter, list_request, context["events"].window.items)
            context["pairs"] = queries.country_pairs(session) if timeline_filter.is_empty else []
            if len(timeline_filter.countries) == 2:
                context["relation_pair"] = timeline_filter.countries
        template = "_results.html" if fragment else "timeline.html"
    response = templates.TemplateResponse(request, template, {**context, "htmx": bool(fragment)}, status_code=status)
    if part != "whole":
        # The list on screen has grown: its address now names what it shows, for reload and Back.
        response.headers["HX-Replace-Url"] = context["events"].address
    # The same URL answers with a page or a fragment: caches must keep them apart.
    response.headers["Vary"] = VARY
    return response


def _navigator(session, timeline_filter: TimelineFilter, list_request: ListRequest, shown_events):
    """The view's navigator at the span asked for, its "you are here" on the events shown."""
    span = list_request.span
    shown = (shown_events[0].start_date, shown_events[-1].start_date) if shown_events else None
    if shown and shown[0] > shown[1]:
        shown = (shown[1], shown[0])  # newest first
    requested = (span.first, span.last) if span else None
    return navigator(session, timeline_filter, requested, shown, at=list_request.at_text)


@router.get("/print", name="print_view")
def print_view(request: Request, session: SessionDep, params: FilterQuery):
    """Every event of a view (up to MAX_PRINTED_EVENTS) with its filters in words and no controls, to print."""
    timeline_filter = parse_filter(params, queries.stats(session))
    context = {
        "filter": timeline_filter,
        "description": timeline_filter.describe(queries.stats(session)),
        "page": queries.list_events(session, timeline_filter, PageRequest(None, MAX_PRINTED_EVENTS)),
        "total": queries.count_events(session, timeline_filter),
    }
    return templates.TemplateResponse(request, "print.html", context)


def _list_part(fragment: str | None, list_request: ListRequest | None) -> Part:
    """What the list answer is: a part of the list on screen needs both of its ends, which the
    control's address holds; anything else gets the whole list."""
    if list_request is None or list_request.until is None:
        return "whole"
    if fragment == "later" or (fragment == "earlier" and list_request.after is not None):
        return fragment
    return "whole"


@router.get("/events/{slug}", name="event")
def event_page(request: Request, session: SessionDep, slug: str):
    """One event with its sources, each party's account, its chain of linked events, its corrections
    and its neighbours in time."""
    item = queries.get_event(session, slug)
    if item is None:
        raise EventNotFound(slug)
    context = {
        "event": item,
        "neighbours": queries.neighbours(session, item),
        "chain": queries.chain(session, item),
        "revisions": queries.revisions(session, item.id) if item.revision_count else [],
    }
    return templates.TemplateResponse(request, "event.html", context)


@router.get("/about", name="about")
def about(request: Request, session: SessionDep):
    """What the data covers, where it comes from, and the tone and importance rubric."""
    return templates.TemplateResponse(request, "about.html", {"stats": queries.dataset_stats(session)})


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request):
    """Swagger UI for the JSON API, from vendored files."""
    return templates.TemplateResponse(request, "docs.html", {})


@router.get("/favicon.ico", response_class=FileResponse)
def favicon():
    """The site's icon (static/favicon.svg drawn at 16, 32 and 48 pixels), where browsers look without a link."""
    return FileResponse(
        PROJECT_DIR / "static" / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=604800"},
    )
