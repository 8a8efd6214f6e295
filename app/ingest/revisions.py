"""Correction history: one revision per changed event, a row for each field with its old and new value as text."""

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from app.dates import partial_iso
from app.ingest.bulk import insert_rows
from app.models import Precision, Revision

revision = Revision.__table__

# A field's change: its name, its old value and its new one (as ingest compares them, see snapshots).
FieldChange = tuple[str, object, object]


def record_revisions(connection: Connection, changes: list[tuple[int, list[FieldChange]]], now: datetime | str) -> None:
    """The next revision of each event, numbered after the ones it has."""
    numbers = dict(
        connection.execute(
            select(revision.c.event_id, func.max(revision.c.number))
            .where(revision.c.event_id.in_([event_id for event_id, _ in changes]))
            .group_by(revision.c.event_id)
        ).all()
    )
    rows = [
        (event_id, numbers.get(event_id, 0) + 1, now, name, readable(name, old), readable(name, new))
        for event_id, fields in changes
        for name, old, new in fields
    ]
    insert_rows(connection, revision, ["event_id", "number", "changed_at", "field", "old_value", "new_value"], rows)


def readable(name: str, value) -> str | None:
    """A field's value as a revision shows it (None: not set)."""
    shown = _SHOWN.get(name)
    if shown is not None:
        return shown(value)
    return None if value is None else str(value)


def _period(value: tuple[str | None, str | None]) -> str | None:
    day, precision = value
    return partial_iso(date.fromisoformat(day), Precision(precision)) if day else None


def _listed(codes: tuple[str, ...]) -> str | None:
    return ", ".join(codes) or None


def _sources(rows: tuple[tuple, ...]) -> str | None:
    return "\n".join(_cited(*row) for row in rows) or None


def _links(links: tuple[tuple[str, str], ...]) -> str | None:
    return "\n".join(f"{kind} {slug}" for kind, slug in links) or None


def _statements(rows: tuple[tuple, ...]) -> str | None:
    return "\n".join(_said(*row) for row in rows) or None


def _said(party: str, country_code: str | None, text: str, said_on: str | None, precision: str | None, *cited) -> str:
    who = f"{party} [{country_code}]" if country_code else party
    when = f", {partial_iso(date.fromisoformat(said_on), Precision(precision))}" if said_on else ""
    return f"{who}{when}: {text} — {_cited(*cited)}"


def _cited(url: str, title: str, headline: bool | None, publisher: str | None, published: str | None) -> str:
    details = ", ".join(part for part in (publisher, published) if part)
    title = f"“{title}”" if headline else f"[{title}]" if headline is False else title
    return f"{title}{f' ({details})' if details else ''} <{url}>"


_SHOWN = {
    "start_date": _period,
    "end_date": _period,
    "countries": _listed,
    "concerns": _listed,
    "topics": _listed,
    "sources": _sources,
    "links": _links,
    "statements": _statements,
}
