"""The timeline list's position: where it starts and ends, and the period the navigator shows.

A position is query parameters beside the filter's (app/filters.py), parsed the same way: `at` (a
date: the list starts at the view's first event from then on, in the view's order), `after` and
`until` (cursors: the list holds the events after the one and up to the other), `limit`, and `span`
(the period the navigator draws; the list only carries it on). It is a position, not a narrowing:
the view's total, facets and overview stay those of the whole filter.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, ValidationInfo

from app.dates import InvalidDate, Span, parse_partial_date, parse_span, period_end
from app.filters import (
    _YEAR,
    CURSOR_PATTERN,
    DATE_PATTERN,
    Cursor,
    FilterParams,
    InvalidFilter,
    KnownNames,
    PageParams,
    PageRequest,
    PartialDateText,
    TimelineFilter,
    _cursor,
    _ViewValues,
)

_MONTH_OF_YEAR = rf"{_YEAR}(?:-(?:0[1-9]|1[0-2]))?"
SPAN_PATTERN = rf"^(?:{_MONTH_OF_YEAR}\.\.{_MONTH_OF_YEAR})?$"


class ListParams(PageParams):
    """The list's position in the query string, as typed or pasted."""

    at: str | None = Field(
        None,
        description="YYYY, YYYY-MM or YYYY-MM-DD: the list starts at the view's first event from then on",
        json_schema_extra={"pattern": DATE_PATTERN},
    )
    until: str | None = Field(
        None, description="Cursor: the list ends with this position", json_schema_extra={"pattern": CURSOR_PATTERN}
    )
    span: str | None = Field(
        None,
        description="YYYY..YYYY or YYYY-MM..YYYY-MM: the period the navigator shows",
        json_schema_extra={"pattern": SPAN_PATTERN},
    )


ListQuery = Annotated[ListParams, Query()]


@dataclass(frozen=True)
class ListRequest(PageRequest):
    """A position in the list: after a cursor or from a date (`at`), up to a cursor (`until`)."""

    until: Cursor | None = None
    # Where `at` starts the list in its order: its first day oldest first, its last day newest first.
    at: date | None = None
    at_text: str | None = None
    span: Span | None = None


def parse_list(
    params: FilterParams, position: ListParams, known: KnownNames, default_size: int
) -> tuple[TimelineFilter, ListRequest]:
    """The filter and list position of the timeline page, reporting every problem at once."""
    query = params.model_dump(by_alias=True) | position.model_dump()
    try:
        values = _ListValues.model_validate(query, context=known)
    except ValidationError as error:
        raise InvalidFilter.of(error) from None
    timeline_filter = values.timeline_filter()
    at = None
    if values.at:
        start, precision = parse_partial_date(values.at)
        at = period_end(start, precision) if timeline_filter.order == "desc" else start
    size = values.limit or default_size
    return timeline_filter, ListRequest(values.after, size, values.until, at, values.at, values.span)


def _span(text: str | None) -> Span | None:
    if not text:
        return None
    try:
        return parse_span(text)
    except InvalidDate as error:
        raise ValueError(str(error)) from None


def _one_start(text: str | None, info: ValidationInfo) -> str | None:
    # `after` is declared (and so validated) before `at`.
    if text and info.data.get("after"):
        raise ValueError("a list starts at a date or after a cursor, not both")
    return text


class _ListValues(_ViewValues):
    """The list's parameters: a paged view's, and where the list starts and ends."""

    at: Annotated[PartialDateText, AfterValidator(_one_start)]
    until: Annotated[Cursor | None, BeforeValidator(_cursor)]
    span: Annotated[Span | None, BeforeValidator(_span)]
