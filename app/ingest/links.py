"""Links between events: written last in a run, since they may point at events that come later in it."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.ingest.bulk import insert_rows
from app.ingest.validation import LinkCheck
from app.models import Event, EventLink

# Slugs per `IN (...)` lookup: far below every backend's limit on parameters.
SLUGS_PER_QUERY = 500

event = Event.__table__
event_link = EventLink.__table__


@dataclass
class PendingLinks:
    """The links of the events written so far, kept until every event of the run is in the database."""

    to_write: list[tuple[int, tuple[tuple[str, str], ...]]] = field(default_factory=list)

    def write_later(self, event_id: int, links: tuple[tuple[str, str], ...]) -> None:
        if links:
            self.to_write.append((event_id, links))

    def write(self, connection: Connection) -> None:
        ids = ids_by_slug(connection, {target for _, links in self.to_write for _, target in links})
        rows = [
            (event_id, ids[target], kind, position)
            for event_id, links in self.to_write
            for position, (kind, target) in enumerate(links)
        ]
        insert_rows(connection, event_link, ["event_id", "target_id", "type", "position"], rows)


def unknown_targets(connection: Connection, links: list[LinkCheck]) -> list[str]:
    """Errors for the links whose target is neither in the run nor in the database."""
    stored = ids_by_slug(connection, {link.target for link in links})
    return [
        f"{link.label}: {link.field_name}.{link.position}.to: unknown event {link.target!r}"
        for link in links
        if link.target not in stored
    ]


def ids_by_slug(connection: Connection, slugs: set[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    ordered = sorted(slugs)
    for start in range(0, len(ordered), SLUGS_PER_QUERY):
        query = select(event.c.slug, event.c.id).where(event.c.slug.in_(ordered[start : start + SLUGS_PER_QUERY]))
        ids.update({slug: event_id for slug, event_id in connection.execute(query)})
    return ids
