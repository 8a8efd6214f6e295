"""The pairs of countries that share events, and the one order a pair's address writes them in."""

from itertools import combinations

from sqlmodel import Session

from app.queries.event_index import event_index
from app.queries.stats import stats
from app.queries.views import CountryPair


def relation_order(first: str, second: str) -> tuple[str, str]:
    """The canonical order of a pair of codes, as /relations/{A}-{B} writes it: the later code in the
    alphabet first (IN-CN, US-CN, PK-IN). It depends on the codes alone, so an address never changes."""
    return (first, second) if first > second else (second, first)


def country_pairs(session: Session) -> list[CountryPair]:
    """Every pair of countries that share events, most events first: intersections in the event index."""
    countries = event_index(session).countries
    names = stats(session).country_names
    pairs = []
    for first, second in combinations(sorted(countries, reverse=True), 2):
        # Each pair once, already in relation_order: the later code first.
        if shared := countries[first].intersection_cardinality(countries[second]):
            pairs.append(CountryPair(first, second, names.get(first, first), names.get(second, second), shared))
    return sorted(pairs, key=lambda pair: (-pair.events, pair.first_name, pair.second_name))
