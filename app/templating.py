"""The Jinja environment: date formatting by precision, links to filtered views, year groups."""

from datetime import date, datetime
from itertools import groupby
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates

from app.caching import static_versions
from app.config import PROJECT_DIR
from app.dates import Span, format_date, format_span, partial_iso
from app.filters import Cursor, TimelineFilter
from app.models import Precision
from app.queries import EraView, EventView, relation_order

TONE_LABELS = {-2: "hostile", -1: "strained", 0: "neutral", 1: "cooperative", 2: "strongly cooperative"}
IMPORTANCE_LABELS = {1: "key event", 2: "notable", 3: "minor"}


def _app_settings(request: Request) -> dict:
    # The settings the app was created with (tests and deployments may pass their own).
    return {"settings": request.app.state.settings}


templates = Jinja2Templates(directory=PROJECT_DIR / "templates", context_processors=[_app_settings])
STATIC_VERSIONS = static_versions(PROJECT_DIR / "static")


def static_url(name: str) -> str:
    return f"/static/{name}?v={STATIC_VERSIONS[name]}"


def when(item: EventView) -> str:
    return format_span(item.start_date, item.date_precision, item.end_date, item.end_precision)


def when_iso(item: EventView) -> str:
    return partial_iso(item.start_date, item.date_precision)


def timeline_url(
    timeline_filter: TimelineFilter | None = None,
    *,
    at: str | date | None = None,
    span: Span | str | None = None,
    after: Cursor | None = None,
    until: Cursor | None = None,
    limit: int | None = None,
    path: str = "/",
) -> str:
    """A link to a view: the filter's query string, then the list's position (`at`, `span`, cursors)."""
    items = timeline_filter.query_items() if timeline_filter else []
    if at is not None:
        items.append(("at", at.isoformat() if isinstance(at, date) else at))
    if span is not None:
        items.append(("span", str(span)))
    if after is not None:
        items.append(("after", str(after)))
    if until is not None:
        items.append(("until", str(until)))
    if limit is not None:
        items.append(("limit", str(limit)))
    return f"{path}?{urlencode(items)}" if items else path


def chip_links(timeline_filter: TimelineFilter) -> tuple[str, frozenset[str], frozenset[str]]:
    """What an event's chips need, once per page: the start of a link that adds one more country or
    topic after the reader's own parameters ('/?country=IN&q=border&', then 'topic=security'), and
    the countries and the topics already in the view, which are not linked."""
    url = timeline_url(timeline_filter)
    prefix = url + ("&" if "?" in url else "?")
    return prefix, frozenset(timeline_filter.countries), frozenset(timeline_filter.topics)


def era_url(timeline_filter: TimelineFilter, era: EraView) -> str:
    """The view narrowed to an era's dates."""
    return timeline_url(
        timeline_filter.replace(
            from_text=partial_iso(era.start_date, era.date_precision),
            date_from=era.start_date,
            to_text=partial_iso(era.end_date, era.end_precision),
            date_to=era.last_date,
        )
    )


def relation_path(first: str, second: str) -> str:
    """The relation page of two countries, at its one address (see queries.relation_order)."""
    return "/relations/{}-{}".format(*relation_order(first, second))


def export_links(timeline_filter: TimelineFilter) -> dict[str, str]:
    """The view's exports, for the pages that offer them."""
    return {
        "CSV": timeline_url(timeline_filter, path="/events.csv"),
        "Statements (CSV)": timeline_url(timeline_filter, path="/events/statements.csv"),
        "iCalendar": timeline_url(timeline_filter, path="/events.ics"),
        "Atom feed": timeline_url(timeline_filter, path="/feed.atom"),
        "TimelineJS": timeline_url(timeline_filter, path="/timelinejs.json"),
        "JSON": timeline_url(timeline_filter, path="/api/events"),
    }


def by_year(items: list[EventView]) -> list[tuple[int, list[EventView]]]:
    return [(year, list(group)) for year, group in groupby(items, key=lambda item: item.start_date.year)]


def site_url(request: Request, path: str) -> str:
    """An absolute URL, for canonical links and link previews."""
    base = request.app.state.settings.base_url or str(request.base_url)
    return base.rstrip("/") + path


def on_date(value: date | datetime, precision: Precision | None = Precision.day) -> str:
    """A date (or the day of a timestamp) at its precision: '16 June 2020', 'June 2020'."""
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, precision or Precision.day)


def iso_date(value: date | datetime, precision: Precision | None = Precision.day) -> str:
    day = value.date() if isinstance(value, datetime) else value
    return partial_iso(day, precision or Precision.day)


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value).replace("-", "\u2212")


def average_tone(value: float) -> str:
    """An average tone as shown: one decimal, signed, with a true minus ("+1.4", "0.0", "−0.5")."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text.replace("-", "\u2212")


def upper_first(text: str) -> str:
    """The first letter capitalised and the rest left as written ("India and China", unlike `capitalize`)."""
    return text[:1].upper() + text[1:]


def coord(value: float) -> str:
    """An SVG coordinate, short: two decimals at most."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def percent(fraction: float) -> str:
    """A fraction of the width as an SVG percentage."""
    return f"{coord(fraction * 100)}%"


templates.env.filters.update(
    when=when,
    when_iso=when_iso,
    signed=signed,
    average_tone=average_tone,
    coord=coord,
    percent=percent,
    upper_first=upper_first,
    on_date=on_date,
    iso_date=iso_date,
)
templates.env.globals.update(
    timeline_url=timeline_url,
    chip_links=chip_links,
    by_year=by_year,
    static_url=static_url,
    export_links=export_links,
    relation_path=relation_path,
    site_url=site_url,
    TONE_LABELS=TONE_LABELS,
    IMPORTANCE_LABELS=IMPORTANCE_LABELS,
)
