"""The JSON API: the timeline's filters, query builder and cursors, as data."""

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app import queries
from app.errors import EventNotFound
from app.filters import FilterQuery, PageQuery, TimelineFilter, parse_view
from app.models import CountryRead, EventRead, TopicRead
from app.routes.session import SessionDep
from app.templating import site_url, timeline_url

router = APIRouter(prefix="/api", tags=["api"])


class ErrorMessage(BaseModel):
    detail: str


class AppliedFilters(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    country: list[str]
    topic: list[str]
    date_from: str | None = Field(alias="from", serialization_alias="from")
    to: str | None
    q: str | None
    importance: int | None
    order: str

    @classmethod
    def of(cls, timeline_filter: TimelineFilter) -> "AppliedFilters":
        return cls(
            country=list(timeline_filter.countries),
            topic=list(timeline_filter.topics),
            date_from=timeline_filter.from_text,
            to=timeline_filter.to_text,
            q=timeline_filter.q,
            importance=timeline_filter.importance,
            order=timeline_filter.order,
        )


class EventList(BaseModel):
    items: list[EventRead]
    filters: AppliedFilters
    total: int = Field(description="Events matching the filters, on all pages")
    next: str | None = Field(description="URL of the next page, or null on the last one")


def event_read(request: Request, item: queries.EventView) -> EventRead:
    return EventRead.model_validate(item, context={"site_url": site_url(request, "")})


@router.get("/events", response_model=EventList, response_model_by_alias=True)
def list_events(request: Request, response: Response, session: SessionDep, params: FilterQuery, paging: PageQuery):
    """Events matching the filters, oldest first unless `order=desc`, one keyset page at a time."""
    timeline_filter, page_request = parse_view(
        params, paging, queries.stats(session), request.app.state.settings.page_size
    )
    page = queries.list_events(session, timeline_filter, page_request, details=True)
    next_url = None
    if page.next_cursor is not None:
        next_url = site_url(request, timeline_url(timeline_filter, after=page.next_cursor, path="/api/events"))
        if page_request.size != request.app.state.settings.page_size:
            next_url += f"&limit={page_request.size}"
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return EventList(
        items=[event_read(request, item) for item in page.items],
        filters=AppliedFilters.of(timeline_filter),
        total=queries.count_events(session, timeline_filter),
        next=next_url,
    )


@router.get("/events/{slug}", response_model=EventRead, responses={404: {"model": ErrorMessage}})
def get_event(request: Request, session: SessionDep, slug: str):
    """One event by its slug."""
    item = queries.get_event(session, slug)
    if item is None:
        raise EventNotFound(slug)
    return event_read(request, item)


@router.get("/countries", response_model=list[CountryRead])
def list_countries(session: SessionDep):
    """Every country (ISO 3166-1), with its number of events; most events first."""
    return [CountryRead(code=c, name=n, event_count=k) for c, n, k in queries.country_counts(session)]


@router.get("/topics", response_model=list[TopicRead])
def list_topics(session: SessionDep):
    """Every topic, with its number of events; most events first."""
    return [TopicRead(slug=s, name=n, description=d, event_count=k) for s, n, d, k in queries.topic_counts(session)]
