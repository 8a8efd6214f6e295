"""The eras of a view: named periods concerning its countries and overlapping its dates."""

from sqlalchemy import exists, func, select
from sqlmodel import Session

from app.filters import TimelineFilter
from app.models import Precision
from app.queries.tables import era, era_country
from app.queries.versioned import cached
from app.queries.views import EraView


def eras(session: Session, timeline_filter: TimelineFilter) -> list[EraView]:
    """The eras of a view, oldest first: those concerning all of its countries and overlapping its dates."""
    key = ("eras", timeline_filter.countries, timeline_filter.date_from, timeline_filter.date_to)
    return cached(session, key, lambda: _eras(session, timeline_filter))


def _eras(session: Session, timeline_filter: TimelineFilter) -> list[EraView]:
    codes = (
        select(func.aggregate_strings(era_country.c.country_code, ","))
        .where(era_country.c.era_slug == era.c.slug)
        .scalar_subquery()
    )
    statement = select(
        era.c.slug,
        era.c.name,
        era.c.description,
        era.c.start_date,
        era.c.date_precision,
        era.c.end_date,
        era.c.end_precision,
        era.c.last_date,
        codes.label("codes"),
    ).order_by(era.c.start_date, era.c.slug)
    # Countries combine as they do for events: an era of India and China belongs to India's view.
    for code in timeline_filter.countries:
        statement = statement.where(
            exists().where(era_country.c.era_slug == era.c.slug, era_country.c.country_code == code)
        )
    if timeline_filter.date_from:
        statement = statement.where(era.c.last_date >= timeline_filter.date_from)
    if timeline_filter.date_to:
        statement = statement.where(era.c.start_date <= timeline_filter.date_to)
    return [
        EraView(
            *row[:4],
            Precision(row.date_precision),
            row.end_date,
            Precision(row.end_precision),
            row.last_date,
            tuple(sorted((row.codes or "").split(","))),
        )
        for row in session.execute(statement)
    ]
