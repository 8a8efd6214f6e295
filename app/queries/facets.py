"""Facet counts of a view (events per country and topic, given the other filters), and the
dataset's figures."""

from sqlalchemy import func, or_, select
from sqlmodel import Session

from app import sourcing
from app.filters import TimelineFilter
from app.queries.planner import filtered
from app.queries.stats import cached, stats
from app.queries.tables import event, event_country, event_topic, source, topic
from app.queries.views import DatasetStats, Facet


def country_facets(session: Session, timeline_filter: TimelineFilter) -> list[Facet]:
    """Countries that have events, most frequent first, each with the events ticking it would match.

    Countries combine with AND, so ticking one narrows the current selection: its count is taken
    with the current countries kept.
    """

    def compute() -> list[Facet]:
        matching = _grouped_counts(session, event_country.c.country_code, timeline_filter)
        return [
            Facet(code, name, total, matching.get(code, 0)) for code, name, total in country_counts(session) if total
        ]

    return cached(session, ("country facets", timeline_filter), compute)


def topic_facets(session: Session, timeline_filter: TimelineFilter) -> list[Facet]:
    """Topics that have events, most frequent first, each with the events it matches.

    Topics combine with OR, so a topic's count is taken with the topic filter left out.
    """
    matching = _grouped_counts(session, event_topic.c.topic_slug, timeline_filter.replace(topics=()))
    return [Facet(slug, name, total, matching.get(slug, 0)) for slug, name, _, total in topic_counts(session) if total]


def _grouped_counts(session: Session, key_column, timeline_filter: TimelineFilter) -> dict[str, int]:
    if timeline_filter.is_empty:
        known = stats(session)
        return known.countries if key_column is event_country.c.country_code else known.topics

    def compute() -> dict[str, int]:
        # From each matching event to its link rows (the primary key starts with event_id).
        matches = filtered(session, select(event.c.id), timeline_filter, None).subquery()
        link = key_column.table
        statement = (
            select(key_column, func.count())
            .select_from(matches.join(link, link.c.event_id == matches.c.id))
            .group_by(key_column)
        )
        return {key: count for key, count in session.execute(statement)}

    return cached(session, ("facet", key_column.name, timeline_filter), compute)


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
