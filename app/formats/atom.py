"""Atom: the newest events of a view, each entry linking to its page."""

from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from app.dates import format_span
from app.queries import EventView


def feed(title: str, view_url: str, feed_url: str, items: list[tuple[EventView, str]]) -> bytes:
    generator = FeedGenerator()
    generator.id(view_url)
    generator.title(title)
    generator.link(href=view_url, rel="alternate", type="text/html")
    generator.link(href=feed_url, rel="self", type="application/atom+xml")
    generator.language("en")
    generator.generator("Relations Timeline")
    newest_change = max((item.updated_at for item, _ in items), default=None)
    generator.updated(newest_change.replace(tzinfo=UTC) if newest_change else datetime.now(UTC))
    # feedgen writes entries in reverse order of adding them.
    for item, page_url in reversed(items):
        entry = generator.add_entry()
        entry.id(page_url)
        entry.title(item.title)
        entry.link(href=page_url, rel="alternate", type="text/html")
        when = format_span(item.start_date, item.date_precision, item.end_date, item.end_precision)
        entry.summary(f"{when}: {item.summary}")
        entry.published(item.created_at.replace(tzinfo=UTC))
        entry.updated(item.updated_at.replace(tzinfo=UTC))
        for slug, name in item.topics:
            entry.category(term=slug, label=name)
    return generator.atom_str(pretty=True)
