"""Partial dates ("2020", "2020-06", "2020-06-15") and how they are shown."""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from app.models import Precision

# Looked up once: calendar.month_name formats a date at every lookup.
MONTH_NAMES = tuple(calendar.month_name)
# ASCII digits only: \d would read other scripts' digits as a year.
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class InvalidDate(ValueError):
    pass


@lru_cache(maxsize=65536)
def parse_partial_date(text: str) -> tuple[date, Precision]:
    """The first day of the period a partial date names, and its precision."""
    match = _PARTIAL_DATE.fullmatch(text.strip())
    if not match:
        raise InvalidDate(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day is not None:
            return date(year, month, day), Precision.day
        if month is not None:
            return date(year, month, 1), Precision.month
        return date(year, 1, 1), Precision.year
    except ValueError:
        raise InvalidDate(f"{text!r} is not a valid date") from None


def period_end(start: date, precision: Precision) -> date:
    """The last day of the period that starts on `start`."""
    if precision is Precision.year:
        return date(start.year, 12, 31)
    if precision is Precision.month:
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def partial_iso(value: date, precision: Precision) -> str:
    """The date written at its precision, valid in <time datetime>."""
    if precision is Precision.year:
        return f"{value.year:04d}"
    if precision is Precision.month:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def format_date(value: date, precision: Precision, *, with_year: bool = True, with_month: bool = True) -> str:
    parts = []
    if precision is Precision.day:
        parts.append(str(value.day))
    if precision is not Precision.year and with_month:
        parts.append(MONTH_NAMES[value.month])
    if with_year:
        parts.append(str(value.year))
    return " ".join(parts)


def format_span(
    start: date, precision: Precision, end: date | None = None, end_precision: Precision | None = None
) -> str:
    """'15 June 2020', 'June 2020', '2020'; spans as '16 June – 28 August 2017', '16–28 June 2017',
    'April–July 2020' or '2020–2021': the dash is spaced only where a side has more than one word."""
    if end is None or end_precision is None or (end, end_precision) == (start, precision):
        return format_date(start, precision)
    end_text = format_date(end, end_precision)
    if precision is end_precision is Precision.year:
        return f"{start.year}–{end.year}"
    neither_is_a_year = Precision.year not in (precision, end_precision)
    if neither_is_a_year and start.year == end.year:
        if precision is end_precision is Precision.day and start.month == end.month:
            return f"{start.day}–{end_text}"
        if precision is end_precision is Precision.month:
            return f"{MONTH_NAMES[start.month]}–{end_text}"
        return f"{format_date(start, precision, with_year=False)} – {end_text}"
    return f"{format_date(start, precision)} – {end_text}"


_SPAN = re.compile(r"([0-9]{4}(?:-[0-9]{2})?)\.\.([0-9]{4}(?:-[0-9]{2})?)")


@dataclass(frozen=True)
class Span:
    """A period of whole years or months, as `span=2015..2025` or `span=2020-01..2020-12` names it:
    its first and last day, and the text as written (links repeat it)."""

    first: date
    last: date
    text: str

    def __str__(self) -> str:
        return self.text


def parse_span(text: str) -> Span:
    """The period `START..END` names (each YYYY or YYYY-MM, both included); START may not follow END."""
    match = _SPAN.fullmatch(text)
    if not match:
        raise InvalidDate(f"{text[:40]!r} is not a period of the form YYYY..YYYY or YYYY-MM..YYYY-MM")
    first, _ = parse_partial_date(match[1])
    last = period_end(*parse_partial_date(match[2]))
    if first > last:
        raise InvalidDate(f"{text[:40]!r} starts after it ends")
    return Span(first, last, text)
