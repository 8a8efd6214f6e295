"""iCalendar: one all-day VEVENT per event, spans as multi-day events, UIDs stable from slugs."""

from datetime import UTC, timedelta

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from app.dates import format_span, period_end
from app.models import Precision
from app.queries import EventView

PRECISION_NOTES = {Precision.month: "known to the month", Precision.year: "known to the year"}


def calendar(name: str, uid_domain: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//{uid_domain}//Relations Timeline//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def calendar_event(item: EventView, page_url: str, uid_domain: str) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"{item.slug}@{uid_domain}")
    entry.add("dtstamp", item.updated_at.replace(tzinfo=UTC))
    entry.add("dtstart", item.start_date)
    # A date known only to the month or year sits on its first day; the description says so.
    last_day = period_end(item.end_date, item.end_precision) if item.end_date is not None else item.start_date
    # DTEND of an all-day event is the day after the last one.
    entry.add("dtend", last_day + timedelta(days=1))
    entry.add("summary", item.title)
    when = format_span(item.start_date, item.date_precision, item.end_date, item.end_precision)
    note = PRECISION_NOTES.get(item.date_precision)
    sources = "\n".join(f"- {s.title}: {s.url}" for s in item.sources)
    entry.add(
        "description",
        f"{when}{f' ({note})' if note else ''}\n\n{item.summary}\n\nSources:\n{sources}\n\n{page_url}",
    )
    entry.add("url", page_url)
    if item.location:
        entry.add("location", item.location)
    if item.topics:
        entry.add("categories", [name for _, name in item.topics])
    return entry
