"""Countries, topics and eras, by key: new ones inserted, changed ones rewritten, the rest left alone."""

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.engine import Connection

from app.ingest.records import CountryRecord, EraRecord, TopicRecord
from app.ingest.report import Counts
from app.models import Country, Era, EraCountry, Topic

country = Country.__table__
topic = Topic.__table__
era = Era.__table__
era_country = EraCountry.__table__

_ERA_FIELD_NAMES = ["name", "description", "start_date", "date_precision", "end_date", "end_precision", "last_date"]


def upsert_countries(connection: Connection, records: list[CountryRecord], counts: Counts) -> None:
    existing = {code: {"name": name} for code, name in connection.execute(select(country.c.code, country.c.name))}
    _upsert_simple(connection, country, "code", {r.code: {"name": r.name} for r in records}, existing, counts)


def upsert_topics(connection: Connection, records: list[TopicRecord], counts: Counts) -> None:
    existing = {
        slug: {"name": name, "description": description}
        for slug, name, description in connection.execute(select(topic.c.slug, topic.c.name, topic.c.description))
    }
    wanted = {r.slug: {"name": r.name, "description": r.description} for r in records}
    _upsert_simple(connection, topic, "slug", wanted, existing, counts)


def _upsert_simple(
    connection: Connection, table: Table, key: str, wanted: dict, existing: dict, counts: Counts
) -> None:
    new = [{key: k, **values} for k, values in wanted.items() if k not in existing]
    changed = [(k, values) for k, values in wanted.items() if k in existing and _differs(existing[k], values)]
    if new:
        connection.execute(insert(table), new)
    for k, values in changed:
        connection.execute(update(table).where(table.c[key] == k).values(**values))
    counts.add(len(wanted), created=len(new), updated=len(changed))


def _differs(old: dict, new: dict) -> bool:
    return any(old.get(k) != v for k, v in new.items())


def upsert_eras(connection: Connection, records: list[EraRecord], counts: Counts) -> None:
    """Eras by slug, with their countries."""
    if not records:
        return
    stored, stored_countries = _stored_eras(connection, [record.slug for record in records])
    new, changed = [], []
    for record in records:
        row = _era_row(record)
        if record.slug not in stored:
            new.append((record, row))
        elif stored[record.slug] != row or stored_countries.get(record.slug, set()) != set(record.countries):
            changed.append((record, row))
    if new:
        connection.execute(insert(era), [{"slug": record.slug, **row} for record, row in new])
    for record, row in changed:
        connection.execute(update(era).where(era.c.slug == record.slug).values(**row))
    if changed:
        connection.execute(delete(era_country).where(era_country.c.era_slug.in_([r.slug for r, _ in changed])))
    links = [{"era_slug": r.slug, "country_code": code} for r, _ in new + changed for code in r.countries]
    if links:
        connection.execute(insert(era_country), links)
    counts.add(len(records), created=len(new), updated=len(changed))


def _stored_eras(connection: Connection, slugs: list[str]) -> tuple[dict[str, dict], dict[str, set[str]]]:
    """The stored eras among these slugs, as _era_row gives them, and the country codes of each."""
    stored = {
        row.slug: {name: row._mapping[name] for name in _ERA_FIELD_NAMES}
        for row in connection.execute(
            select(era.c.slug, *(era.c[name] for name in _ERA_FIELD_NAMES)).where(era.c.slug.in_(slugs))
        )
    }
    countries: dict[str, set[str]] = {}
    for slug, code in connection.execute(
        select(era_country.c.era_slug, era_country.c.country_code).where(era_country.c.era_slug.in_(slugs))
    ):
        countries.setdefault(slug, set()).add(code)
    return stored, countries


def _era_row(record: EraRecord) -> dict:
    start, precision = record.start
    end, end_precision = record.end
    return {
        "name": record.name,
        "description": record.description,
        "start_date": start,
        "date_precision": precision.value,
        "end_date": end,
        "end_precision": end_precision.value,
        "last_date": record.last_date,
    }
