"""The pairs of countries that share events, and the one order a pair's address writes them in."""

from sqlalchemy import and_, func, select
from sqlmodel import Session

from app.queries.stats import cached, stats
from app.queries.tables import event_country
from app.queries.views import CountryPair


def relation_order(first: str, second: str) -> tuple[str, str]:
    """The canonical order of a pair of codes, as /relations/{A}-{B} writes it: the later code in the
    alphabet first (IN-CN, US-CN, PK-IN). It depends on the codes alone, so an address never changes."""
    return (first, second) if first > second else (second, first)


def country_pairs(session: Session) -> list[CountryPair]:
    """Every pair of countries that share events, most events first."""

    def compute() -> list[CountryPair]:
        one, other = event_country.alias("one"), event_country.alias("other")
        # Each pair once, already in relation_order: the later code is `one`.
        statement = (
            select(one.c.country_code, other.c.country_code, func.count())
            .select_from(
                one.join(other, and_(other.c.event_id == one.c.event_id, other.c.country_code < one.c.country_code))
            )
            .group_by(one.c.country_code, other.c.country_code)
        )
        names = stats(session).country_names
        pairs = [
            CountryPair(first, second, names.get(first, first), names.get(second, second), count)
            for first, second, count in session.execute(statement)
        ]
        return sorted(pairs, key=lambda pair: (-pair.events, pair.first_name, pair.second_name))

    return cached(session, ("country pairs",), compute)
