"""HTML pages: the timeline (full page or htmx fragment), its print view, event pages, about."""

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from app import queries
from app.caching import VARY
from app.config import PROJECT_DIR
from app.era_marks import era_marks
from app.errors import EventNotFound
from app.filters import FilterQuery, InvalidFilter, PageQuery, PageRequest, TimelineFilter, parse_filter, parse_view
from app.htmx import requested_fragment
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
def timeline(request: Request, session: SessionDep, params: FilterQuery, paging: PageQuery):
    """The timeline: the whole page, or with htmx only the results (or the next page of them)."""
    fragment = requested_fragment(request.headers)
    try:
        timeline_filter, page_request = parse_view(
            params, paging, queries.stats(session), request.app.state.settings.page_size
        )
        invalid = None
    except InvalidFilter as error:
        timeline_filter, page_request, invalid = TimelineFilter(), None, error

    context = {
        "filter": timeline_filter,
        "params": params,
        "errors": invalid.for_param() if invalid else {},
        "form_fields": FORM_FIELDS,
        "page": None,
        "after": None,
        "total": 0,
        "more": False,
    }
    if page_request is not None:
        context["page"] = queries.list_events(session, timeline_filter, page_request)
        context["after"] = page_request.after
        context["total"] = queries.count_events(session, timeline_filter)
        eras = queries.eras(session, timeline_filter)
        page = context["page"]
        last_page = page.next_cursor is None
        context["era_marks"] = era_marks(page.items, eras, timeline_filter, page_request.after, last_page)
    status = 422 if invalid else 200

    if fragment == "navigator" and page_request is not None:
        context["navigator"] = navigator(session, timeline_filter, _span(request))
        context["navigator_controls"] = True
        template = "_navigator.html" if context["navigator"] else "_results.html"
    # The next page goes after the events shown; without a cursor there is nothing before it.
    elif fragment == "more" and page_request is not None and page_request.after is not None:
        template, context["more"] = "_page_of_events.html", True
    else:
        context["country_facets"] = queries.country_facets(session, timeline_filter)
        context["topic_facets"] = queries.topic_facets(session, timeline_filter)
        context["description"] = timeline_filter.describe(queries.stats(session))
        if context["total"]:
            items = context["page"].items
            shown = (items[0].start_date, items[-1].start_date) if items else None
            context["navigator"] = navigator(session, timeline_filter, _span(request), shown)
            context["navigator_controls"] = True
            context["pairs"] = queries.country_pairs(session) if timeline_filter.is_empty else []
            if len(timeline_filter.countries) == 2:
                context["relation_pair"] = timeline_filter.countries
        template = "_results.html" if fragment else "timeline.html"
    response = templates.TemplateResponse(request, template, {**context, "htmx": bool(fragment)}, status_code=status)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    response.headers["Vary"] = VARY
    return response


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


def _span(request: Request):
    from app.dates import parse_partial_date, period_end

    text = request.query_params.get("span")
    if not text or ".." not in text:
        return None
    first, last = text.split("..", 1)
    start, _ = parse_partial_date(first)
    end, precision = parse_partial_date(last)
    return start, period_end(end, precision)
