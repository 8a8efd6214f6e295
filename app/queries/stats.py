"""What the planner knows about the data at one version, and the cache every read goes through."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from app import cache
from app.models import DataVersion
from app.queries.tables import country, event, event_country, event_topic, topic

T = TypeVar("T")


@dataclass(frozen=True)
class Stats:
    """What the planner knows about the data at one version: how many events carry each key."""

    version: int
    events: int
    countries: dict[str, int]
    topics: dict[str, int]
    country_names: dict[str, str]
    topic_names: dict[str, str]


def data_version(session: Session) -> int:
    return session.execute(select(DataVersion.version)).scalar_one_or_none() or 0


def stats(session: Session) -> Stats:
    """Counts per country and topic, read once per data version (and the version once per session)."""
    if "stats" in session.info:
        return session.info["stats"]
    version = data_version(session)

    def compute() -> Stats:
        return Stats(
            version=version,
            events=session.execute(select(func.count()).select_from(event)).scalar_one(),
            countries=_key_counts(session, event_country.c.country_code),
            topics=_key_counts(session, event_topic.c.topic_slug),
            country_names={code: name for code, name in session.execute(select(country.c.code, country.c.name))},
            topic_names={slug: name for slug, name in session.execute(select(topic.c.slug, topic.c.name))},
        )

    session.info["stats"] = cache.stats.get(str(session.get_bind().url), version, (), compute)
    return session.info["stats"]


def cached(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """A value computed from the data, kept until the data changes (see app/cache.py)."""
    return cache.results.get(str(session.get_bind().url), stats(session).version, key, compute)


def _key_counts(session: Session, column) -> dict[str, int]:
    return {key: count for key, count in session.execute(select(column, func.count()).group_by(column))}
