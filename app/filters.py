"""TimelineFilter: the query string of every timeline view, parsed and validated.

The page, its htmx fragments, the JSON API and every export take their filters as `FilterQuery`
(and paged views `PageQuery`) and read them through `parse_filter` or `parse_view`, so one URL
means the same selection everywhere. Parsing is a typed pydantic model (`_FilterValues`) whose
validators refuse a value in words; `app.validation_messages` turns its errors into messages.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Annotated, Literal, Protocol

from fastapi import Query
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo

from app.dates import InvalidDate, format_date, format_span, parse_partial_date, period_end
from app.validation_messages import message

MAX_REPEATED = 20
MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 200
# Words and phrases one search may combine, and the letters a prefix ("negot*") needs: each term is
# a look-up in the full-text index, and a short prefix expands to a large share of its words.
MAX_SEARCH_TERMS = 8
MIN_PREFIX_LETTERS = 3

# The patterns below are what /openapi.json promises, so that a generated request that fits the
# schema is answered, and one that does not is refused; DATE_PATTERN accepts exactly the dates
# parse_partial_date reads (tests/test_filters.py holds them to it). Digits are [0-9]: Python's \d
# also takes other scripts' digits ("٥٥٥٥" would be the year 5555).
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


class InvalidFilter(RequestValidationError):
    """Query parameters the timeline refuses, each with its message: a request validation error
    like any other, so one handler answers it, while a page shows each message by its field."""

    @classmethod
    def of(cls, error: ValidationError) -> "InvalidFilter":
        return cls(
            [
                {"loc": ("query", *detail["loc"]), "msg": message(detail), "type": detail["type"]}
                for detail in error.errors()
            ]
        )

    def for_param(self) -> dict[str, str]:
        return {str(error["loc"][-1]): error["msg"] for error in self.errors()}


class FilterParams(BaseModel):
    """The filter part of the query string, as typed by a person or pasted from a link.

    Kept as text, so that a form refused can be shown again as it was filled in.
    """

    # By name too, for callers in Python; the query string itself takes only the names below.
    model_config = ConfigDict(validate_by_name=True)

    country: list[str] = Field(
        [],
        description="ISO 3166-1 alpha-2 code, any case; repeat for events involving all of them",
        json_schema_extra={"maxItems": MAX_REPEATED},
    )
    topic: list[str] = Field(
        [], description="Topic slug; repeat for events on any of them", json_schema_extra={"maxItems": MAX_REPEATED}
    )
    date_from: str | None = Field(
        None,
        alias="from",
        description="YYYY, YYYY-MM or YYYY-MM-DD; inclusive; an event counts if the period it covers overlaps",
        json_schema_extra={"pattern": DATE_PATTERN},
    )
    date_to: str | None = Field(
        None,
        alias="to",
        description="YYYY, YYYY-MM or YYYY-MM-DD; inclusive",
        json_schema_extra={"pattern": DATE_PATTERN},
    )
    q: str | None = Field(
        None,
        description='Words that must all appear in the title or summary; "quoted phrases"; prefix*',
        json_schema_extra={"maxLength": MAX_QUERY_LENGTH},
    )
    importance: str | None = Field(
        None, description="1 = key events only, 2 = key and notable", json_schema_extra={"enum": ["", "1", "2", "3"]}
    )
    order: str | None = Field(
        None, description="asc (oldest first, the default) or desc", json_schema_extra={"enum": ["", "asc", "desc"]}
    )


class _FilterQueryParams(FilterParams):
    # An unknown parameter such as ?date_from= is ignored, as it always was.
    model_config = ConfigDict(validate_by_name=False)


class PageParams(BaseModel):
    after: str | None = Field(
        None,
        description="Cursor from the previous page's `next` link",
        json_schema_extra={"pattern": CURSOR_PATTERN},
    )
    limit: str | None = Field(
        None, description=f"Events per page, 1 to {MAX_PAGE_SIZE}", json_schema_extra={"pattern": LIMIT_PATTERN}
    )


FilterQuery = Annotated[_FilterQueryParams, Query()]
PageQuery = Annotated[PageParams, Query()]


# How describe() names an importance filter; 3 (every event) goes without saying.
IMPORTANCE_WORDS = {1: "key events", 2: "key and notable events"}


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
        """The filter in words, for titles: 'India and China · Border · April–July 2020'."""
        parts = [
            _and_list([known.country_names.get(code, code) for code in self.countries]),
            " or ".join(known.topic_names.get(slug, slug) for slug in self.topics),
            self._period_words(),
            f"“{self.q}”" if self.q else "",
            IMPORTANCE_WORDS.get(self.importance, ""),
        ]
        return " · ".join(part for part in parts if part) or "all events"

    def _period_words(self) -> str:
        """The dates in words at the precision they were written: 'April–July 2020', 'from 2020'."""
        start = parse_partial_date(self.from_text) if self.from_text else None
        end = parse_partial_date(self.to_text) if self.to_text else None
        if start and end:
            return format_span(*start, *end)
        if start:
            return f"from {format_date(*start)}"
        if end:
            return f"until {format_date(*end)}"
        return ""


def _and_list(names: list[str]) -> str:
    """'India', 'India and China', 'India, China and Pakistan'."""
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1] if names else ""]))


@dataclass(frozen=True)
class PageRequest:
    after: Cursor | None
    size: int


def parse_filter(params: FilterParams, known: KnownNames) -> TimelineFilter:
    """The filter of a view that is not paged (exports, facets)."""
    try:
        values = _FilterValues.model_validate(params.model_dump(by_alias=True), context=known)
    except ValidationError as error:
        raise InvalidFilter.of(error) from None
    return values.timeline_filter()


def parse_view(
    params: FilterParams, paging: PageParams, known: KnownNames, default_size: int
) -> tuple[TimelineFilter, PageRequest]:
    """The filter and page position of a paged view, reporting every problem at once."""
    query = params.model_dump(by_alias=True) | paging.model_dump()
    try:
        values = _ViewValues.model_validate(query, context=known)
    except ValidationError as error:
        raise InvalidFilter.of(error) from None
    return values.timeline_filter(), PageRequest(values.after, values.limit or default_size)


def _known_keys(
    plural: str, unknown: str, normal_form: Callable[[str], str], names_of: Callable[[KnownNames], dict[str, str]]
) -> AfterValidator:
    """Codes or slugs the data knows, in their normal case, each once; at most MAX_REPEATED."""

    def check(values: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if len(values) > MAX_REPEATED:
            raise ValueError(f"at most {MAX_REPEATED} {plural} can be combined")
        known = names_of(info.context)
        refused = [value for value in values if value and normal_form(value) not in known]
        if refused:
            raise ValueError(f"{unknown} {', '.join(map(repr, refused[:5]))}")
        return tuple(dict.fromkeys(normal_form(value) for value in values if value))

    return AfterValidator(check)


def _partial_date(text: str | None) -> str | None:
    """A partial date as written, once it is known to be one; empty means none."""
    if not text:
        return None
    if text.strip() != text:
        raise ValueError(f"{text[:40]!r} has spaces around it")
    try:
        parse_partial_date(text)
    except InvalidDate as error:
        raise ValueError(str(error)) from None
    return text


def _search_text(q: str | None) -> str | None:
    """The words to search for, tidied; none when q holds no word."""
    if not q:
        return None
    if len(q) > MAX_QUERY_LENGTH:
        raise ValueError(f"at most {MAX_QUERY_LENGTH} characters")
    # Control and format characters (escapes, NULs, direction overrides) search for nothing.
    q = " ".join(_CONTROL.sub(" ", q).split())
    if not _WORD.search(q):
        return None  # only punctuation: nothing to search for, so no search
    if len(_search_terms(q)) > MAX_SEARCH_TERMS:
        raise ValueError(f'at most {MAX_SEARCH_TERMS} words or "phrases" can be combined')
    return q


def _importance(text: str | None) -> int | None:
    if not text:
        return None
    if text not in ("1", "2", "3"):
        raise ValueError(f"{text[:20]!r} is not 1, 2 or 3")
    return int(text)


def _order(text: str | None) -> str:
    if not text:
        return "asc"
    if text not in ("asc", "desc"):
        raise ValueError(f"{text[:20]!r} is not 'asc' or 'desc'")
    return text


def _cursor(text: str | None) -> Cursor | None:
    if not text:
        return None
    if not _CURSOR.fullmatch(text):
        raise ValueError(f"{text[:40]!r} is not a cursor from a `next` link")
    day_number, event_id = text.split("_")
    # Out-of-range day numbers clamp: a cursor past the end simply has no page after it.
    day = min(max(int(day_number), 1), date.max.toordinal())
    return Cursor(date.fromordinal(day), int(event_id))


def _page_size(text: str | None) -> int | None:
    if not text:
        return None
    if not _LIMIT.fullmatch(text):
        raise ValueError(f"{text[:20]!r} is not a number from 1 to {MAX_PAGE_SIZE}")
    return int(text)


PartialDateText = Annotated[str | None, BeforeValidator(_partial_date)]


class _FilterValues(BaseModel):
    """The filter's parameters as typed values, validated with the known names as context."""

    model_config = ConfigDict(frozen=True)

    country: Annotated[
        tuple[str, ...], _known_keys("countries", "unknown country code", str.upper, attrgetter("country_names"))
    ]
    topic: Annotated[tuple[str, ...], _known_keys("topics", "unknown topic", str.lower, attrgetter("topic_names"))]
    date_from: PartialDateText = Field(alias="from")
    date_to: PartialDateText = Field(alias="to")
    q: Annotated[str | None, BeforeValidator(_search_text)]
    importance: Annotated[Literal[1, 2, 3] | None, BeforeValidator(_importance)]
    order: Annotated[Literal["asc", "desc"], BeforeValidator(_order)]

    def timeline_filter(self) -> TimelineFilter:
        return TimelineFilter(
            countries=self.country,
            topics=self.topic,
            date_from=parse_partial_date(self.date_from)[0] if self.date_from else None,
            date_to=period_end(*parse_partial_date(self.date_to)) if self.date_to else None,
            from_text=self.date_from,
            to_text=self.date_to,
            q=self.q,
            importance=self.importance,
            order=self.order,
        )


class _ViewValues(_FilterValues):
    """A paged view's parameters: the filter's, and the page position after them."""

    after: Annotated[Cursor | None, BeforeValidator(_cursor)]
    limit: Annotated[int | None, BeforeValidator(_page_size)]


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
