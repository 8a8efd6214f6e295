"""What the views know about the data at one version: how many events each country and topic has
(the sizes of their bitmaps in the event index), and their names."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from app import cache
from app.queries.event_index import event_index
from app.queries.tables import country, topic
from app.queries.versioned import data_version


@dataclass(frozen=True)
class Stats:
    """The data at one version: how many events carry each key, and the keys' names."""

    version: int
    events: int
    countries: dict[str, int]
    topics: dict[str, int]
    country_names: dict[str, str]
    topic_names: dict[str, str]


def stats(session: Session) -> Stats:
    """Counts per country and topic and their names, read once per data version."""
    version = data_version(session)

    def compute() -> Stats:
        index = event_index(session)
        return Stats(
            version=version,
            events=index.size,
            countries={code: len(places) for code, places in index.countries.items()},
            topics={slug: len(places) for slug, places in index.topics.items()},
            country_names={code: name for code, name in session.execute(select(country.c.code, country.c.name))},
            topic_names={slug: name for slug, name in session.execute(select(topic.c.slug, topic.c.name))},
        )

    return cache.stats.get(str(session.get_bind().url), version, (), compute)
