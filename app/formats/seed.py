"""The project's own seed format, written out: a whole database as one file `timeline ingest` reads.

This is how a database moves between backends (SQLite to PostgreSQL): export, then ingest.
"""

import json
from collections.abc import Callable, Iterator

from sqlalchemy import select
from sqlmodel import Session

from app import queries
from app.dates import partial_iso
from app.filters import TimelineFilter
from app.formats import EVENT_FIELDS, REQUIRED_FIELDS
from app.models import Country, Topic

# How a field that is not written as it is stored appears in a seed file; None leaves it out.
_SEED_VALUES: dict[str, Callable[[queries.EventView], object]] = {
    "start_date": lambda item: partial_iso(item.start_date, item.date_precision),
    "date_precision": lambda item: None,  # start_date's form says it
    "end_date": lambda item: partial_iso(item.end_date, item.end_precision) if item.end_date else None,
    "countries": lambda item: [code for code, _ in item.countries],
    "concerns": lambda item: [code for code, _ in item.concerns],
    "topics": lambda item: [slug for slug, _ in item.topics],
    "sources": lambda item: [_source_data(cited) for cited in item.sources],
    "links": lambda item: [{"type": link.type.value, "to": link.slug} for link in item.links],
    "statements": lambda item: [_statement_data(said) for said in item.statements],
}


def event_data(item: queries.EventView) -> dict:
    """The event as a seed file gives it: optional fields that are unset or empty are left out."""
    data = {}
    for name in EVENT_FIELDS:
        value = _SEED_VALUES[name](item) if name in _SEED_VALUES else getattr(item, name)
        if name in REQUIRED_FIELDS or value not in (None, "", []):
            data[name] = value
    return data


def _statement_data(said: queries.StatementView) -> dict:
    data: dict = {"party": said.party}
    if said.party_country:
        data["party_country"] = said.party_country
    data["text"] = said.text
    if said.said_on is not None:
        data["date"] = partial_iso(said.said_on, said.said_on_precision)
    data["source"] = _source_data(said.source)
    return data


def _source_data(cited: queries.SourceView) -> dict:
    data = {
        "url": cited.url,
        "title": cited.title,
        "headline": cited.headline,
        "publisher": cited.publisher,
        "published": cited.published_date.isoformat() if cited.published_date else None,
    }
    return {key: value for key, value in data.items() if value is not None}


def era_data(era: queries.EraView) -> dict:
    return {
        "slug": era.slug,
        "name": era.name,
        "description": era.description,
        "start_date": partial_iso(era.start_date, era.date_precision),
        "end_date": partial_iso(era.end_date, era.end_precision),
        "countries": list(era.countries),
    }


def database_document(session: Session) -> Iterator[str]:
    """The whole database as a JSON seed document, a chunk at a time."""
    country, topic = Country.__table__, Topic.__table__
    countries = [
        {"code": code, "name": name}
        for code, name in session.execute(select(country.c.code, country.c.name).order_by(country.c.code))
    ]
    topics = [
        {"slug": slug, "name": name, "description": description}
        for slug, name, description in session.execute(
            select(topic.c.slug, topic.c.name, topic.c.description).order_by(topic.c.slug)
        )
    ]
    yield '{"countries": ' + json.dumps(countries, ensure_ascii=False)
    yield ',\n"topics": ' + json.dumps(topics, ensure_ascii=False)
    eras = [era_data(era) for era in queries.eras(session, TimelineFilter())]
    yield ',\n"eras": ' + json.dumps(eras, ensure_ascii=False)
    yield ',\n"events": ['
    for position, item in enumerate(queries.iter_events(session, TimelineFilter(), details=True)):
        yield ("," if position else "") + "\n" + json.dumps(event_data(item), ensure_ascii=False)
    yield "\n]}\n"
