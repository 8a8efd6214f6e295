"""Facet counts of a view (events per country and topic, given the other filters), and the
dataset's figures."""

from pyroaring import BitMap
from sqlalchemy import func, or_, select
from sqlmodel import Session

from app import sourcing
from app.filters import TimelineFilter
from app.queries.event_index import event_index
from app.queries.matches import view_matches
from app.queries.stats import stats
from app.queries.tables import event, event_topic, source, topic
from app.queries.views import DatasetStats, Facet


def country_facets(session: Session, timeline_filter: TimelineFilter) -> list[Facet]:
    """Countries that have events, most frequent first, each with the events ticking it would match.

    Countries combine with AND, so ticking one narrows the current selection: its count is taken
    with the current countries kept.
    """

    matching = _matching(event_index(session).countries, view_matches(session, timeline_filter))
    return [Facet(code, name, total, matching.get(code, 0)) for code, name, total in country_counts(session) if total]


def topic_facets(session: Session, timeline_filter: TimelineFilter) -> list[Facet]:
    """Topics that have events, most frequent first, each with the events it matches.

    Topics combine with OR, so a topic's count is taken with the topic filter left out.
    """
    matching = _matching(event_index(session).topics, view_matches(session, timeline_filter.replace(topics=())))
    return [Facet(slug, name, total, matching.get(slug, 0)) for slug, name, _, total in topic_counts(session) if total]


def _matching(bitmaps: dict[str, BitMap], matches: BitMap) -> dict[str, int]:
    return {key: matches.intersection_cardinality(places) for key, places in bitmaps.items()}


def country_counts(session: Session) -> list[tuple[str, str, int]]:
    """Every country with its number of events (zero included), most events first, then by name."""
    known = stats(session)
    rows = [(code, name, known.countries.get(code, 0)) for code, name in known.country_names.items()]
    return sorted(rows, key=lambda row: (-row[2], row[1]))


def topic_counts(session: Session) -> list[tuple[str, str, str, int]]:
    """Every topic with its description and number of events, most events first, then by name."""
    counts = stats(session).topics
    rows = [
        (slug, name, description, counts.get(slug, 0))
        for slug, name, description in session.execute(select(topic.c.slug, topic.c.name, topic.c.description))
    ]
    return sorted(rows, key=lambda row: (-row[3], row[1]))


def dataset_stats(session: Session) -> DatasetStats:
    events, first, last = session.execute(
        select(func.count(), func.min(event.c.start_date), func.max(event.c.start_date))
    ).one()
    topics = session.execute(select(func.count(func.distinct(event_topic.c.topic_slug)))).scalar_one()
    on_primary_host = or_(
        *(
            source.c.url.like(f"{scheme}://{prefix}{domain}/%")
            for domain in sourcing.domains(sourcing.PRIMARY_DOMAINS)
            for scheme in ("https", "http")
            for prefix in ("", "%.")
        )
    )
    sources, primary = session.execute(
        select(func.count(), func.count().filter(on_primary_host)).select_from(source)
    ).one()
    return DatasetStats(events, topics, first.year if first else None, last.year if last else None, sources, primary)
