"""TimelineFilter: the query string of every timeline view, parsed and validated.

The page, its htmx fragments, the JSON API and every export read their filters through
`filter_params` and `parse_filter`, so one URL means the same selection everywhere.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal, Protocol

from fastapi import Depends, Query

from app.dates import InvalidDate, parse_partial_date, period_end

MAX_REPEATED = 20
MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 200
# Words and phrases one search may combine, and the letters a prefix ("negot*") needs: each term is
# a look-up in the full-text index, and a short prefix expands to a large share of its words.
MAX_SEARCH_TERMS = 8
MIN_PREFIX_LETTERS = 3

# The patterns below are both what the parser accepts and what /openapi.json promises, so that a
# generated request that fits the schema is answered, and one that does not is refused. Digits are
# [0-9]: Python's \d also takes other scripts' digits ("٥٥٥٥" would be the year 5555).
_YEAR = r"(?!0000)[0-9]{4}"
_LEAP_YEAR = r"(?!0000)(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
DATE_PATTERN = rf"^(?:{_YEAR}(?:-(?:0[1-9]|1[0-2]))?|{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)?$"
LIMIT_PATTERN = rf"^(?:[1-9][0-9]?|1[0-9][0-9]|{MAX_PAGE_SIZE})?$"
# A cursor is the last event's date (as a day number) and id: opaque, and valid for any digits.
CURSOR_PATTERN = r"^(?:[0-9]{1,7}_[0-9]{1,18})?$"
_DATE = re.compile(DATE_PATTERN)
_LIMIT = re.compile(LIMIT_PATTERN)
_CURSOR = re.compile(CURSOR_PATTERN)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_SEARCH_TERM = re.compile(r'"([^"]*)"?|(\S+)')
# Letters and digits, as the full-text tokenizers see words; everything else separates them.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchTerm:
    text: str  # words separated by single spaces; more than one makes a phrase
    prefix: bool = False


@dataclass(frozen=True)
class FilterError:
    param: str
    message: str


class InvalidFilter(Exception):
    def __init__(self, errors: list[FilterError]):
        super().__init__("; ".join(f"{e.param}: {e.message}" for e in errors))
        self.errors = errors

    def for_param(self) -> dict[str, str]:
        return {error.param: error.message for error in self.errors}


@dataclass(frozen=True)
class FilterParams:
    """The raw query string, as typed by a person or pasted from a link."""

    country: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    q: str | None = None
    importance: str | None = None
    order: str | None = None


@dataclass(frozen=True)
class PageParams:
    after: str | None = None
    limit: str | None = None


def filter_params(
    country: Annotated[
        list[str],
        Query(
            description="ISO 3166-1 alpha-2 code, any case; repeat for events involving all of them",
            json_schema_extra={"maxItems": MAX_REPEATED},
        ),
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    topic: Annotated[
        list[str],
        Query(description="Topic slug; repeat for events on any of them", json_schema_extra={"maxItems": MAX_REPEATED}),
    ] = [],  # noqa: B006
    date_from: Annotated[
        str | None,
        Query(
            alias="from",
            description="YYYY, YYYY-MM or YYYY-MM-DD; inclusive; an event counts if the period it covers overlaps",
            json_schema_extra={"pattern": DATE_PATTERN},
        ),
    ] = None,
    date_to: Annotated[
        str | None,
        Query(
            alias="to",
            description="YYYY, YYYY-MM or YYYY-MM-DD; inclusive",
            json_schema_extra={"pattern": DATE_PATTERN},
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            description='Words that must all appear in the title or summary; "quoted phrases"; prefix*',
            json_schema_extra={"maxLength": MAX_QUERY_LENGTH},
        ),
    ] = None,
    importance: Annotated[
        str | None,
        Query(description="1 = key events only, 2 = key and notable", json_schema_extra={"enum": ["", "1", "2", "3"]}),
    ] = None,
    order: Annotated[
        str | None,
        Query(description="asc (oldest first, the default) or desc", json_schema_extra={"enum": ["", "asc", "desc"]}),
    ] = None,
) -> FilterParams:
    return FilterParams(country, topic, date_from, date_to, q, importance, order)


def page_params(
    after: Annotated[
        str | None,
        Query(description="Cursor from the previous page's `next` link", json_schema_extra={"pattern": CURSOR_PATTERN}),
    ] = None,
    limit: Annotated[
        str | None,
        Query(description=f"Events per page, 1 to {MAX_PAGE_SIZE}", json_schema_extra={"pattern": LIMIT_PATTERN}),
    ] = None,
) -> PageParams:
    return PageParams(after, limit)


FilterQuery = Annotated[FilterParams, Depends(filter_params)]
PageQuery = Annotated[PageParams, Depends(page_params)]


class KnownNames(Protocol):
    """The countries and topics the data knows, by key (queries.Stats is one)."""

    country_names: dict[str, str]
    topic_names: dict[str, str]


@dataclass(frozen=True)
class Cursor:
    start_date: date
    event_id: int

    def __str__(self) -> str:
        return f"{self.start_date.toordinal()}_{self.event_id}"


@dataclass(frozen=True)
class TimelineFilter:
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    # The dates as written, so links repeat what the reader typed ("2020", not "2020-01-01").
    from_text: str | None = None
    to_text: str | None = None
    q: str | None = None
    importance: int | None = None
    order: Literal["asc", "desc"] = "asc"

    @property
    def terms(self) -> list["SearchTerm"]:
        """The words and "quoted phrases" of q; a trailing * makes a prefix ("negotiat*")."""
        return _search_terms(self.q or "")

    @property
    def is_empty(self) -> bool:
        return self == TimelineFilter(order=self.order)

    def query_items(self) -> list[tuple[str, str]]:
        """The filter as query-string pairs, in a stable order (for links and cache keys)."""
        items = [("country", code) for code in self.countries]
        items += [("topic", slug) for slug in self.topics]
        if self.from_text:
            items.append(("from", self.from_text))
        if self.to_text:
            items.append(("to", self.to_text))
        if self.q:
            items.append(("q", self.q))
        if self.importance is not None:
            items.append(("importance", str(self.importance)))
        if self.order != "asc":
            items.append(("order", self.order))
        return items

    def replace(self, **changes) -> "TimelineFilter":
        return TimelineFilter(**{**self.__dict__, **changes})

    def describe(self, known: KnownNames) -> str:
        """The filter in words, for feed and calendar titles: 'India and China · Border · from 2020'."""
        parts = []
        if self.countries:
            parts.append(" and ".join(known.country_names.get(code, code) for code in self.countries))
        if self.topics:
            parts.append(" or ".join(known.topic_names.get(slug, slug) for slug in self.topics))
        if self.from_text and self.to_text:
            parts.append(f"{self.from_text} to {self.to_text}")
        elif self.from_text:
            parts.append(f"from {self.from_text}")
        elif self.to_text:
            parts.append(f"until {self.to_text}")
        if self.q:
            parts.append(f"“{self.q}”")
        if self.importance == 1:
            parts.append("key events")
        elif self.importance == 2:
            parts.append("key and notable events")
        return " · ".join(parts) or "all events"


@dataclass(frozen=True)
class PageRequest:
    after: Cursor | None
    size: int


def parse_filter(params: FilterParams, known: KnownNames) -> TimelineFilter:
    """The filter of a view that is not paged (exports, facets)."""
    timeline_filter, errors = _parse_filter(params, known)
    if errors:
        raise InvalidFilter(errors)
    return timeline_filter


def parse_view(
    params: FilterParams, paging: PageParams, known: KnownNames, default_size: int
) -> tuple[TimelineFilter, PageRequest]:
    """The filter and page position of a paged view, reporting every problem at once."""
    timeline_filter, errors = _parse_filter(params, known)
    page, page_errors = _parse_page(paging, default_size)
    if errors or page_errors:
        raise InvalidFilter(errors + page_errors)
    return timeline_filter, page


def _parse_filter(params: FilterParams, known_names: KnownNames) -> tuple[TimelineFilter, list[FilterError]]:
    errors: list[FilterError] = []

    countries = _unique(code.upper() for code in params.country if code)
    topics = _unique(slug.lower() for slug in params.topic if slug)
    if len(params.country) > MAX_REPEATED:
        errors.append(FilterError("country", f"at most {MAX_REPEATED} countries can be combined"))
    elif countries:
        known = known_names.country_names
        unknown = [code for code in params.country if code and code.upper() not in known]
        if unknown:
            errors.append(FilterError("country", f"unknown country code {', '.join(map(repr, unknown[:5]))}"))
    if len(params.topic) > MAX_REPEATED:
        errors.append(FilterError("topic", f"at most {MAX_REPEATED} topics can be combined"))
    elif topics:
        known = known_names.topic_names
        unknown = [slug for slug in params.topic if slug and slug.lower() not in known]
        if unknown:
            errors.append(FilterError("topic", f"unknown topic {', '.join(map(repr, unknown[:5]))}"))

    date_from = date_to = None
    from_text, to_text = params.date_from or None, params.date_to or None
    if from_text:
        if _DATE.fullmatch(from_text):
            date_from = parse_partial_date(from_text)[0]
        else:
            errors.append(FilterError("from", _date_problem(from_text)))
    if to_text:
        if _DATE.fullmatch(to_text):
            date_to = period_end(*parse_partial_date(to_text))
        else:
            errors.append(FilterError("to", _date_problem(to_text)))

    q = params.q or None
    if q and len(q) > MAX_QUERY_LENGTH:
        errors.append(FilterError("q", f"at most {MAX_QUERY_LENGTH} characters"))
    elif q:
        # Control and format characters (escapes, NULs, direction overrides) search for nothing.
        q = " ".join(_CONTROL.sub(" ", q).split())
        if not _WORD.search(q):
            # Only punctuation: nothing to search for, so no search.
            q = None
        elif len(_search_terms(q)) > MAX_SEARCH_TERMS:
            errors.append(FilterError("q", f'at most {MAX_SEARCH_TERMS} words or "phrases" can be combined'))

    importance = None
    if params.importance:
        if params.importance in ("1", "2", "3"):
            importance = int(params.importance)
        else:
            errors.append(FilterError("importance", f"{params.importance[:20]!r} is not 1, 2 or 3"))

    order = params.order or "asc"
    if order not in ("asc", "desc"):
        errors.append(FilterError("order", f"{params.order[:20]!r} is not 'asc' or 'desc'"))

    return TimelineFilter(
        countries=tuple(countries),
        topics=tuple(topics),
        date_from=date_from,
        date_to=date_to,
        from_text=from_text,
        to_text=to_text,
        q=q,
        importance=importance,
        order=order if not errors else "asc",  # type: ignore[arg-type]
    ), errors


def _search_terms(q: str) -> list[SearchTerm]:
    """The distinct words and phrases of q, each a prefix where it ends in * after enough letters."""
    terms: dict[SearchTerm, None] = {}
    for phrase, word in _SEARCH_TERM.findall(q):
        text = phrase or word
        words = _WORD.findall(text)
        if words:
            prefix = text.endswith("*") and len(words[-1]) >= MIN_PREFIX_LETTERS
            terms[SearchTerm(" ".join(words), prefix)] = None
    return list(terms)


def _date_problem(text: str) -> str:
    if text.strip() != text:
        return f"{text[:40]!r} has spaces around it"
    try:
        parse_partial_date(text)
    except InvalidDate as error:
        return str(error)
    return f"{text[:40]!r} is not a date between 0001 and 9999"


def _parse_page(params: PageParams, default_size: int) -> tuple[PageRequest, list[FilterError]]:
    errors: list[FilterError] = []
    after = None
    if params.after:
        if _CURSOR.fullmatch(params.after):
            day_number, event_id = params.after.split("_")
            # Out-of-range day numbers clamp: a cursor past the end simply has no page after it.
            day = min(max(int(day_number), 1), date.max.toordinal())
            after = Cursor(date.fromordinal(day), int(event_id))
        else:
            errors.append(FilterError("after", f"{params.after[:40]!r} is not a cursor from a `next` link"))
    size = default_size
    if params.limit:
        if _LIMIT.fullmatch(params.limit):
            size = int(params.limit)
        else:
            errors.append(FilterError("limit", f"{params.limit[:20]!r} is not a number from 1 to {MAX_PAGE_SIZE}"))
    return PageRequest(after, size), errors


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))
